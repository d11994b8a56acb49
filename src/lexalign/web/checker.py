"""Checks run in the background: one worker thread, one model, jobs a page can watch.

The server's event loop must answer while a statute is analysed (``/api/health`` within a
second), so every check runs in a single worker thread.  One thread because the embedding model
is loaded once per process and the machine's cores are better spent on one check at a time than
on two checks taking turns; a queued job reports its place in the queue.

Uploads are read from memory (``ingest_bytes``) and never executed.  A check that has been
accepted but has not finished is kept in the SQLite file (its uploads with it) until it finishes,
so that a server stopped with checks in its queue resumes them when it starts again
(:meth:`Checker.resume`); the row is deleted when the check ends, whether it succeeded or failed.
The multipart parser spools large parts to the system's temporary folder and removes them when the
request ends.
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import InputError, LexalignError
from ..store import Store


class TooLarge(InputError):
    """An upload above the size limit (HTTP 413)."""


@dataclass
class Upload:
    """One file as the browser sent it (or pasted text, named by the user)."""

    name: str
    data: bytes


def safe_name(name: str | None, default: str = "upload.txt") -> str:
    """The base name of an uploaded file, without folders or control characters."""
    base = Path((name or "").replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip()
    return base[:200] or default


def content_hash(uploads: list[Upload]) -> str:
    """SHA-256 of the bytes (one file: exactly ``sha256sum FILE``; several: of their hashes in order)."""
    hashes = [hashlib.sha256(u.data).hexdigest() for u in uploads]
    if len(hashes) == 1:
        return hashes[0]
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest()


def read_uploads(uploads: list[Upload], max_bytes: int):
    """Documents from uploads, with the same one-line messages as ``lexalign check``."""
    from ..ingest import ingest_bytes
    docs = []
    for u in uploads:
        if len(u.data) > max_bytes:
            raise TooLarge(f"{u.name}: {len(u.data) / 1e6:.1f} MB is larger than the {max_bytes / 1e6:.0f} MB limit; "
                           "start the server with --max-size to raise it")
        docs.append(ingest_bytes(u.data, source=u.name, suffix=Path(u.name).suffix.lower()))
    return docs


def provision_spans(provisions) -> list[dict[str, Any]]:
    """Sections and articles of a document as spans of its text, for the side-by-side pages."""
    spans, end = [], 0
    for p in provisions:
        if p.kind in ("section", "article") and p.start >= end and p.end > p.start:
            spans.append({"eid": p.eid, "citation": p.citation, "start": p.start, "end": p.end})
            end = p.end
    return spans


#: the kinds of provision a table of contents lists (subsections and paragraphs are reached by go-to)
TOC_KINDS = ("part", "chapter", "division", "title", "book", "section", "article")


def provision_anchors(provisions, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every other provision (parts, subsections, paragraphs, definitions) as a point in the text, so
    that the page can take a reader to "s. 4(2)" or to Part II and not only to whole sections."""
    in_spans = {s["eid"] for s in spans}
    return [{"eid": p.eid, "citation": p.citation, "start": p.start} for p in provisions
            if p.eid not in in_spans and p.kind != "preface" and p.end > p.start]


def provision_toc(provisions) -> list[dict[str, Any]]:
    """The statute's table of contents: parts, chapters, sections and articles with their headings,
    indented by depth in the provision tree."""
    out = []
    for p in provisions:
        if p.kind in TOC_KINDS and p.end > p.start:
            depth = sum(1 for a in p.ancestors() if a.kind in TOC_KINDS)
            out.append({"eid": p.eid, "kind": p.kind, "citation": p.citation, "heading": p.heading[:160],
                        "depth": depth})
    return out


def doc_view(doc, provisions=None) -> dict[str, Any]:
    from ..segment import flatten, segment
    provisions = provisions if provisions is not None else flatten(segment(doc))
    spans = provision_spans(provisions)
    return {"source": doc.source, "title": doc.name or doc.title, "text": doc.text, "spans": spans,
            "anchors": provision_anchors(provisions, spans), "toc": provision_toc(provisions)}


def heading_only_findings(report, docs, flat: list[list]) -> list[str]:
    """Elements whose every piece of evidence is a heading: a heading states no rule, so the page
    warns that such a verdict is not shown to be in the law (see :func:`lexalign.diff.heading_only`)."""
    from ..diff import heading_only
    by_eid = {(d.source, p.eid): p for d, provisions in zip(docs, flat) for p in provisions}
    out = []
    for f in report.findings:
        if f.status in ("covered", "partial") and f.evidence and all(
                heading_only(e, {e.eid: by_eid.get((e.source, e.eid))}) for e in f.evidence):
            out.append(f.element)
    return out


@dataclass
class Job:
    """A check or comparison the pages can watch (kept in memory: a restart forgets jobs, not reports)."""

    id: str
    kind: str  # "check" or "diff"
    names: list[str]
    chars: int
    estimate_s: float
    state: str = "queued"  # queued, running, done, failed
    stage: str = "waiting for the checker"
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    result: str | None = None  # report or diff id
    error: str | None = None
    http_status: int = 200
    future: Future | None = field(default=None, repr=False)
    persisted: bool = field(default=False, repr=False)
    cancel: threading.Event = field(default_factory=threading.Event, repr=False)

    def to_dict(self, queue_position: int = 0) -> dict[str, Any]:
        now = self.finished or time.time()
        out = {"id": self.id, "kind": self.kind, "files": self.names, "state": self.state, "stage": self.stage,
               "elapsed_s": round(now - (self.started or self.created), 1), "estimate_s": round(self.estimate_s, 1),
               "queue_position": queue_position}
        if self.result:
            out["url"] = f"/reports/{self.result}" if self.kind == "check" else f"/diffs/{self.result}"
            out["result"] = self.result
        if self.error:
            out["error"] = self.error
        return out


class Checker:
    """Runs checks and comparisons one at a time in a worker thread and stores what they produce."""

    def __init__(self, store: Store, model: str | None = None, rules_only: bool = False,
                 max_bytes: int = 20_000_000, timeout: float | None = 600.0) -> None:
        self.store = store
        #: seconds a check may take before it is stopped (``serve --timeout``; None or 0: no limit)
        self.timeout = timeout
        self.model = model
        self.rules_only = rules_only
        self.max_bytes = max_bytes
        self.jobs: dict[str, Job] = {}
        self._order: list[str] = []
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lexalign-check")
        self._lock = threading.Lock()
        self._settings: str | None = None
        self._model_ready = rules_only
        #: seconds per 1,000 characters, measured on this machine's checks (a first guess until then)
        self._rate = 0.35

    # ------------------------------------------------------------------ settings and ids
    def settings(self) -> str:
        """Everything besides the text that changes a report: model, catalogue, calibration, version."""
        if self._settings is None:
            from ..batch import settings_key
            self._settings = settings_key(self.model) + (":rules-only" if self.rules_only else "")
        return self._settings

    def report_id(self, sha: str, names: list[str] | tuple[str, ...] = ()) -> str:
        """Same bytes, same names, same settings: same report.  The names are part of it because the
        report quotes its file's name (``document.source``, the page's title): the same text
        uploaded as ``bill-v2.txt`` must not come back as ``bill.txt``."""
        key = f"{sha}:{self.settings()}" + ("" if not names else ":" + "\x00".join(names))
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    def warm_up(self) -> None:
        """Load the model in the worker now, so the first check a user starts is not the slow one."""
        if self.rules_only:
            return

        def load():
            from ..embed import load_model
            try:
                load_model(self.model)
            finally:
                self._model_ready = True
        self._pool.submit(load)

    # ------------------------------------------------------------------ jobs
    def _new_job(self, kind: str, uploads: list[Upload], job_id: str | None = None) -> Job:
        chars = sum(len(u.data) for u in uploads)
        n_checks = 2 if kind == "diff" else 1
        estimate = n_checks * (1.5 + self._rate * chars / 1000) + (0 if self._model_ready else 8)
        job = Job(job_id or uuid.uuid4().hex[:12], kind, [u.name for u in uploads], chars, estimate)
        with self._lock:
            self.jobs[job.id] = job
            self._order.append(job.id)
            # forget old finished jobs: their reports are in the store
            if len(self._order) > 500:
                old = self._order.pop(0)
                self.jobs.pop(old, None)
        return job

    def queue_position(self, job: Job) -> int:
        if job.state != "queued":
            return 0
        waiting = [j for j in (self.jobs.get(i) for i in self._order) if j and j.state in ("queued", "running")]
        return next((k for k, j in enumerate(waiting) if j is job), 0)

    def submit_check(self, uploads: list[Upload], persist: bool = True, job_id: str | None = None) -> Job:
        """Queue a check.  ``persist``: keep it in the store until it ends, so that a restart resumes
        it (the ``--corpus`` checks are requeued from the folder instead)."""
        job = self._new_job("check", uploads, job_id)
        if persist:
            job.persisted = self._persist(job, "check", [(u.name, u.data) for u in uploads])
        job.future = self._pool.submit(self._run, job, lambda: self._check(job, uploads))
        return job

    def _persist(self, job: Job, kind: str, uploads: list[tuple[str, bytes]]) -> bool:
        """Keep a queued job in the store so that a restart resumes it.  A store that cannot be written
        (a full disk) does not stop the check: its result then fails to be saved, with a clear 503."""
        import sqlite3
        try:
            self.store.enqueue(job.id, kind, uploads)
            return True
        except sqlite3.Error:
            return False

    def submit_diff(self, old: Upload, new: Upload, job_id: str | None = None) -> Job:
        job = self._new_job("diff", [old, new], job_id)
        job.persisted = self._persist(job, "diff", [(old.name, old.data), (new.name, new.data)])
        job.future = self._pool.submit(self._run, job, lambda: self._diff(job, old, new))
        return job

    def resume(self) -> list[Job]:
        """Queue again the checks the server had accepted and not finished when it last stopped,
        under their old ids (a progress page left open finds its job again)."""
        jobs = []
        for job_id, kind, files in self.store.queued():
            uploads = [Upload(n, b) for n, b in files]
            if kind == "diff" and len(uploads) == 2:
                jobs.append(self.submit_diff(uploads[0], uploads[1], job_id=job_id))
            elif kind == "check" and uploads:
                jobs.append(self.submit_check(uploads, job_id=job_id))
            else:
                self.store.dequeue(job_id)
        return jobs

    def _run(self, job: Job, work: Callable[[], str]) -> Job:
        try:
            return self._run_inner(job, work)
        finally:
            if job.persisted and job.state in ("done", "failed"):
                self.store.dequeue(job.id)

    def cancel(self, job_id: str) -> Job | None:
        """Ask a queued or running job to stop: a queued one never starts, a running one stops at its
        next check of the budget (between provisions, rules, embedded batches)."""
        job = self.jobs.get(job_id)
        if job is not None and job.state in ("queued", "running"):
            job.cancel.set()
        return job

    def _run_inner(self, job: Job, work: Callable[[], str]) -> Job:
        from ..budget import time_budget
        job.state, job.started = "running", time.time()
        what = ", ".join(job.names) or job.kind
        try:
            with time_budget(self.timeout, what, cancel=job.cancel):
                if job.cancel.is_set():
                    from ..errors import Cancelled
                    raise Cancelled(what)
                job.result = work()
            job.state, job.stage = "done", "done"
        except LexalignError as exc:
            job.state, job.error = "failed", exc.message
            job.http_status = 413 if isinstance(exc, TooLarge) else (503 if exc.exit_code == LexalignError.MODEL else 400)
        except sqlite3.Error as exc:  # a full disk or a read-only database: not the statute's fault
            job.state, job.http_status = "failed", 503
            job.error = f"the report could not be stored in the database ({exc}); free some space and try again"
        except Exception as exc:  # a bug: one line for the user, as the CLI does
            msg = " ".join(str(exc).split())[:300]
            job.state, job.error, job.http_status = "failed", f"internal error: {type(exc).__name__}: {msg}", 500
        job.finished = time.time()
        if job.state == "done" and job.chars and job.finished - job.started > 1:
            per_check = (job.finished - job.started) / (2 if job.kind == "diff" else 1)
            self._rate = 0.5 * self._rate + 0.5 * per_check / max(1.0, job.chars / 1000)
        return job

    # ------------------------------------------------------------------ the work itself
    def _analyse(self, docs):
        from ..align import check
        from ..reference import select_elements
        return check(docs, model=self.model, elements=select_elements(None), use_embeddings=not self.rules_only)

    def _reestimate(self, job: Job, text_chars: int, checks: int = 1) -> None:
        """The time expected, once the text is read: a PDF's or an HTML page's bytes are several times
        its text (the first guess counts bytes), and the time a check takes follows the text."""
        job.chars = text_chars
        spent = time.time() - (job.started or job.created)
        job.estimate_s = spent + checks * (1.5 + self._rate * text_chars / 1000) + (0 if self._model_ready else 8)

    def _check(self, job: Job, uploads: list[Upload]) -> str:
        sha = content_hash(uploads)
        rid = self.report_id(sha, [u.name for u in uploads])
        if self.store.has_report(rid):
            return rid
        job.stage = "reading the file" + ("s" if len(uploads) > 1 else "")
        docs = read_uploads(uploads, self.max_bytes)
        self._reestimate(job, sum(len(d.text) for d in docs))
        job.stage = "analysing: provisions, element rules" + ("" if self.rules_only else ", embeddings")
        analysed = self._analyse(docs)
        job.stage = "preparing the report page"
        self._save(rid, sha, uploads, docs, analysed)
        return rid

    def _save(self, rid: str, sha: str, uploads: list[Upload], docs, analysed) -> None:
        """Store a report with the view its page shows (texts, provision spans, contents)."""
        report = analysed.to_dict()
        report["id"] = rid
        report["document"]["sha256"] = sha
        from ..segment import flatten, segment
        flat = [flatten(segment(d)) for d in docs]
        view = {"documents": [doc_view(d, f) for d, f in zip(docs, flat)],
                "heading_only": heading_only_findings(analysed, docs, flat)}
        name = uploads[0].name if len(uploads) == 1 else f"{Path(uploads[0].name).stem}-and-{len(uploads) - 1}-more"
        self.store.save_report(rid, sha, name, report["document"].get("title", ""), report, view)

    def _diff(self, job: Job, old: Upload, new: Upload) -> str:
        from ..diff import diff_documents
        did = hashlib.sha256(f"{content_hash([old])}:{content_hash([new])}:{self.settings()}".encode()).hexdigest()[:16]
        if self.store.diff(did):
            return did
        job.stage = "reading both drafts"
        old_doc, new_doc = read_uploads([old, new], self.max_bytes)
        self._reestimate(job, (len(old_doc.text) + len(new_doc.text)) // 2, checks=2)
        job.stage = "analysing both drafts"
        reports: list = []
        d = diff_documents(old_doc, new_doc, model=self.model, old_name=old.name, new_name=new.name,
                           use_embeddings=not self.rules_only, reports=reports)
        job.stage = "preparing the comparison page"
        d["id"] = did
        # each draft gets its report (and its page): reviews are made on a draft and carried between them
        for upload, doc, analysed, side in zip((old, new), (old_doc, new_doc), reports, ("old", "new")):
            sha = content_hash([upload])
            rid = self.report_id(sha)
            if not self.store.has_report(rid):
                self._save(rid, sha, [upload], [doc], analysed)
            d[f"{side}_report"], d[f"{side}_sha256"] = rid, sha
        self.store.save_diff(did, d, {"old": doc_view(old_doc), "new": doc_view(new_doc)})
        return did

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
