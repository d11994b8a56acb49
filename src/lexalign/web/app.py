"""The workbench's web application: pages for people, a JSON API for programs, one SQLite file.

Routes (each page has a JSON twin):

=====================================  ==========================================================
``GET  /``                             upload a statute (files or pasted text); recent reports
``POST /jobs``                         start a check from the upload form -> the progress page
``GET  /jobs/{id}``, ``/api/jobs/{id}``  progress of a check or comparison (``POST .../cancel`` stops it)
``POST /api/check``                    multipart ``file`` (repeatable) -> the report JSON
``GET  /reports/{id}``, ``/api/reports/{id}``  report page (statute beside findings) / JSON
``GET  /reports/{id}/download?format=``  the report as a file: html, md, json, csv or docx
``GET  /compare``, ``POST /compare``   compare two drafts -> ``/diffs/{id}`` (``/api/diffs/{id}``)
``GET  /corpus``, ``/api/corpus``      the ``--corpus`` folder: country x group overview
``POST /api/reviews``                  JSON review -> 201; ``GET /api/reviews[?document=sha256]``
``GET  /api/health``                   ``{"status": "ok"}``
=====================================  ==========================================================
"""
from __future__ import annotations

import asyncio
import json
import sqlite3
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from ..errors import LexalignError
from ..i18n import COOKIE as LANG_COOKIE, choose as choose_language, install_jinja, language_links
from ..reference import load_catalogue
from ..carry import effective, effective_reviews, effective_summary
from ..reviews import BadCharacters, by_element, validate_client_key, validate_review
from ..store import Review, Store
from .checker import Checker, Upload, safe_name
from .security import (BodyLimit, HeadAsGet, HostCheck, Refused, SecurityHeaders, check_post, csrf_token,
                       set_csrf_cookie, CSRF_FIELD)
from .uploads import read_form as read_upload_form
from .views import corpus_rows, diff_context, report_context
from .messages import js_strings, message_label, stage_label

HERE = Path(__file__).resolve().parent
MAX_FILES = 20
#: a review is a few lines of JSON; a body larger than this is not one
MAX_REVIEW_BYTES = 64_000


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(["html"], default=True), trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = lambda x: f"{100 * float(x):.0f}%"
    install_jinja(env)
    from ..downloads import FORMATS
    env.globals["download_formats"] = [(fmt, label) for fmt, (_, _, label) in FORMATS.items()]
    return env


def create_app(db: str | Path, corpus: str | None = None, model: str | None = None, rules_only: bool = False,
               max_mb: float = 20.0, allowed_hosts: list[str] | None = None, follow_symlinks: bool = False,
               reviewers: list[tuple[str, str]] | None = None, timeout: float | None = 600.0) -> Any:
    """The ASGI application.  ``rules_only`` skips the embedding model (quick, for tests and slow
    machines; reports then differ from ``lexalign check``'s); ``allowed_hosts`` (the names requests
    may be addressed to, :func:`~lexalign.web.security.allowed_host_names`) guards against DNS
    rebinding: ``lexalign serve`` always passes it, whatever ``--host`` is; ``reviewers`` (name, id)
    are the only names a review may carry, when given."""
    store = Store(db)
    reviewer_ids = {name: rid for name, rid in (reviewers or [])}
    max_bytes = int(max_mb * 1e6)
    checker = Checker(store, model=model, rules_only=rules_only, max_bytes=max_bytes, timeout=timeout)
    env = _templates()
    corpus_entries: list[dict[str, Any]] = []

    @asynccontextmanager
    async def lifespan(app):
        checker.warm_up()
        checker.resume()
        _warm_pages(env)
        if corpus:
            for note in _queue_corpus(corpus, checker, corpus_entries, follow_symlinks):
                import sys
                sys.stderr.write(f"lexalign: warning: {note}\n")
        yield
        checker.shutdown()

    app = FastAPI(title="lexalign workbench", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  lifespan=lifespan)
    app.state.store, app.state.checker = store, checker
    app.state.allowed_hosts = list(allowed_hosts) if allowed_hosts else None
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def page_language(request: Request) -> tuple[str, bool]:
        """?lang= (remembered in a cookie), else the cookie, else Accept-Language, else English."""
        return choose_language(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE),
                               request.headers.get("accept-language"))

    def page(request: Request, template: str, status: int = 200, **ctx) -> HTMLResponse:
        token = csrf_token(request)
        lang, remember = ctx.pop("lang", None) or page_language(request)
        html = env.get_template(template).render(
            csrf=token, csrf_field=CSRF_FIELD, has_corpus=bool(corpus), rules_only=rules_only, path=request.url.path,
            lang=lang, lang_links=language_links(request.url.path, dict(request.query_params)),
            js_strings=js_strings(lang), stage_label=lambda x: stage_label(x, lang),
            message_label=lambda x: message_label(x, lang), **ctx)
        resp = HTMLResponse(html, status_code=status)
        if request.cookies.get("lexalign_csrf") != token:
            set_csrf_cookie(resp, token)
        if remember:
            resp.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
        resp.headers["Content-Language"] = lang
        resp.headers["Vary"] = "Accept-Language, Cookie"
        return resp

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and message == "Not Found":
            message = f"{request.url.path}: no such page"
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=exc.status_code)
        return page(request, "error.html", status=exc.status_code, message=message)

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused):
        if wants_json(request):
            return JSONResponse({"error": exc.message}, status_code=exc.status)
        return page(request, "error.html", status=exc.status, message=exc.message)

    # ------------------------------------------------------------------ uploads
    async def read_form(request: Request, multipart_only: bool = False):
        # each file is counted as it streams in: one over the limit is refused before the rest is read
        return await read_upload_form(request, max_bytes, MAX_FILES, multipart_only=multipart_only)

    async def uploads_from(form, field: str) -> list[Upload]:
        out = []
        for item in form.getlist(field):
            if isinstance(item, UploadFile):
                if not item.filename:
                    continue  # the browser's empty file input
                data = await item.read()
                out.append(Upload(safe_name(item.filename), data))
        return out

    def pasted(form, field: str, name_field: str) -> list[Upload]:
        text = form.get(field)
        if isinstance(text, str) and text.strip():
            name = safe_name(form.get(name_field) if isinstance(form.get(name_field), str) else "", "pasted-text")
            if not Path(name).suffix:
                name += ".txt"
            return [Upload(name, text.encode("utf-8"))]
        return []

    # ------------------------------------------------------------------ API
    @app.get("/api/health")
    async def health():
        return {"status": "ok"}

    @app.post("/api/check")
    async def api_check(request: Request):
        check_post(request)
        form = await read_form(request, multipart_only=True)
        uploads = await uploads_from(form, "file")
        if not uploads:
            raise Refused(400, "no file uploaded: send one or more files in the multipart field 'file'")
        job = checker.submit_check(uploads)
        await asyncio.wrap_future(job.future)
        if job.state != "done":
            return JSONResponse({"error": job.error}, status_code=job.http_status)
        return JSONResponse(store.report(job.result))

    @app.post("/api/jobs/{job_id}/cancel", status_code=202)
    async def api_cancel(request: Request, job_id: str):
        """Stop a queued or running check: it fails with "cancelled" at its next budget check."""
        check_post(request)
        job = checker.cancel(job_id)
        if job is None:
            raise HTTPException(404, f"no job {job_id}")
        return job.to_dict(checker.queue_position(job))

    @app.get("/api/jobs/{job_id}")
    async def api_job(job_id: str):
        job = checker.jobs.get(job_id)
        if job is None:
            raise HTTPException(404, f"no job {job_id} (jobs are forgotten when the server restarts; reports are kept)")
        return job.to_dict(checker.queue_position(job))

    @app.get("/api/reports/{report_id}")
    async def api_report(report_id: str):
        report = store.report(report_id)
        if report is None:
            raise HTTPException(404, f"no report {report_id}")
        return report

    @app.get("/api/diffs/{diff_id}")
    async def api_diff(diff_id: str):
        found = store.diff(diff_id)
        if found is None:
            raise HTTPException(404, f"no comparison {diff_id}")
        return found[0]

    @app.post("/api/reviews", status_code=201)
    async def api_post_review(request: Request):
        check_post(request)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise Refused(415, "send the review as JSON (Content-Type: application/json)")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_REVIEW_BYTES:
                raise Refused(413, f"a review is at most {MAX_REVIEW_BYTES // 1000} kB of JSON")
        try:
            data = json.loads(bytes(body))
        except RecursionError:
            raise Refused(400, "the review is not a plain JSON object (nested too deeply)") from None
        except ValueError:
            raise Refused(400, "the review is not valid JSON") from None
        try:
            fields = validate_review(data)
            key = validate_client_key(request.headers.get("idempotency-key") or
                                      (data.get("client_key") if isinstance(data, dict) else None))
        except BadCharacters as exc:
            raise Refused(400, exc.message) from None
        except LexalignError as exc:
            raise Refused(422, exc.message) from None
        report = store.latest_report(fields["document"])
        if report is None:
            raise Refused(404, f"no statute with sha256 {fields['document']} has been checked on this server")
        check_reviewer(fields["reviewer"])
        supersedes = data.get("supersedes")
        if supersedes is not None:
            replaced = replaceable(supersedes, fields["reviewer"])
            if replaced.element != fields["element"]:
                raise Refused(422, f"review {replaced.id} is of {replaced.element}, not {fields['element']}")
        engine = next((f["status"] for f in report["findings"] if f["element"] == fields["element"]), "")
        try:
            review, new = store.add_review(engine_status=engine, client_key=key, supersedes=supersedes,
                                           reviewer_id=reviewer_ids.get(fields["reviewer"], ""), **fields)
        except sqlite3.Error as exc:  # a full disk, a read-only file
            raise Refused(503, f"the review could not be stored ({exc}); it was not saved") from None
        if not new and any(getattr(review, k) != v for k, v in fields.items()):
            raise Refused(409, "this client_key was already used for a different review; send a new key")
        return JSONResponse(review_answer(review, report), status_code=201)
    def check_reviewer(name: str) -> None:
        if reviewer_ids and name not in reviewer_ids:
            raise Refused(400, f"reviewer {name!r} is not on this server's list of reviewers (serve --reviewers)")

    def replaceable(review_id: Any, reviewer: str) -> Review:
        """The review an edit or withdrawal replaces: it must exist and be the same reviewer's."""
        if not isinstance(review_id, int) or isinstance(review_id, bool):
            raise Refused(422, "review field 'supersedes' must be the id (a number) of the review it replaces")
        old = store.review(review_id)
        if old is None:
            raise Refused(404, f"no review {review_id}")
        if old.reviewer != reviewer:
            raise Refused(403, f"review {review_id} is {old.reviewer}'s: only its reviewer can edit or withdraw it")
        return old

    def review_answer(review: Review, report: dict[str, Any]) -> dict[str, Any]:
        """The saved row, with where the element and the report now stand (the page updates itself)."""
        reviews, _ = effective_reviews(store, review.document)
        verdicts = effective(report["findings"], reviews)
        out = review.to_dict()
        v = verdicts.get(review.element, {})
        out.update(disagreement=v.get("disagreement", False), effective=v.get("effective", review.status),
                   override=v.get("override", False), reviewed=v.get("reviewed", False),
                   summary=effective_summary(report["findings"], verdicts))
        return out

    @app.post("/api/reviews/{review_id}/withdraw", status_code=201)
    async def api_withdraw(request: Request, review_id: int):
        check_post(request)
        try:
            data = json.loads(await request.body() or b"{}")
        except ValueError:
            raise Refused(400, "the withdrawal is not valid JSON") from None
        reviewer = (data.get("reviewer") or "").strip() if isinstance(data, dict) else ""
        if not reviewer:
            raise Refused(422, "give the reviewer's name: only a review's own reviewer can withdraw it")
        check_reviewer(reviewer)
        old = replaceable(review_id, reviewer)
        target = data.get("document") or old.document
        if not isinstance(target, str) or store.latest_report(target) is None:
            raise Refused(404, "no statute with that sha256 has been checked on this server")
        report = store.latest_report(target)
        try:
            row, _ = store.add_review(target, old.element, old.status, old.note, old.reviewer, old.evidence,
                                      old.engine_status, supersedes=old.id, withdrawn=True, reviewer_id=old.reviewer_id)
        except sqlite3.Error as exc:
            raise Refused(503, f"the withdrawal could not be stored ({exc}); it was not saved") from None
        return JSONResponse(review_answer(row, report), status_code=201)

    @app.get("/api/reviews")
    async def api_reviews(document: str | None = None):
        return [r.to_dict() for r in store.reviews(document)]

    @app.get("/api/corpus")
    async def api_corpus():
        if not corpus:
            raise HTTPException(404, "the server was started without --corpus")
        return {"folder": corpus, "documents": [_corpus_entry(e, checker) for e in corpus_entries]}

    # ------------------------------------------------------------------ twins: .json and .csv of every page
    def report_json(report_id: str) -> dict[str, Any] | None:
        """The report as ``/api/reports/{id}`` returns it, plus the verdicts of record (``effective``)."""
        report = store.report(report_id)
        if report is None:
            return None
        reviews, carried_from = effective_reviews(store, report["document"].get("sha256", ""))
        verdicts = effective(report["findings"], reviews)
        return {**report, "effective": {"summary": effective_summary(report["findings"], verdicts), "elements": verdicts,
                                        "carried_reviews": sorted(carried_from)}}

    def corpus_json() -> dict[str, Any]:
        docs = []
        for e in corpus_entries:
            entry = _corpus_entry(e, checker)
            rep = store.report(entry["report"]) if entry.get("report") else None
            if rep:
                verdicts = effective(rep["findings"], effective_reviews(store, rep["document"].get("sha256", ""))[0])
                entry["statuses"] = {k: v["effective"] for k, v in verdicts.items()}
                entry["engine_statuses"] = {k: v["engine"] for k, v in verdicts.items()}
                entry["summary"] = effective_summary(rep["findings"], verdicts)
            docs.append(entry)
        return {"folder": corpus, "documents": docs}

    from .twins import add_twins
    add_twins(app, store, page, corpus_json if corpus else None, report_json)

    # ------------------------------------------------------------------ pages
    @app.get("/", response_class=HTMLResponse)
    async def index(request: Request):
        return page(request, "index.html", recent=store.recent_reports(15), max_mb=max_mb)

    @app.post("/jobs")
    async def start_job(request: Request):
        form = await read_form(request)
        check_post(request, form.get(CSRF_FIELD), page_only=True)
        uploads = await uploads_from(form, "file") or pasted(form, "text", "name")
        if not uploads:
            return page(request, "index.html", status=400, recent=store.recent_reports(15), max_mb=max_mb,
                        error="Choose a file or paste the text of a statute first.")
        if form.get("mode") == "separate" and len(uploads) > 1:
            jobs = [checker.submit_check([u]) for u in uploads]
            return RedirectResponse(f"/jobs/{jobs[0].id}?more={','.join(j.id for j in jobs[1:])}", status_code=303)
        job = checker.submit_check(uploads)
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.get("/jobs/{job_id}", response_class=HTMLResponse)
    async def job_page(request: Request, job_id: str, more: str = ""):
        job = checker.jobs.get(job_id)
        if job is None:
            raise HTTPException(404, f"no job {job_id}: jobs are forgotten when the server restarts (reports are kept)")
        others = [checker.jobs[i].to_dict() for i in more.split(",") if i in checker.jobs][:MAX_FILES]
        return page(request, "job.html", job=job.to_dict(checker.queue_position(job)), others=others)

    @app.get("/reports/{report_id}", response_class=HTMLResponse)
    async def report_page(request: Request, report_id: str):
        report, view = store.report(report_id), store.view(report_id)
        if report is None or view is None:
            raise HTTPException(404, f"no report {report_id}")
        sha = report["document"].get("sha256", "")
        reviews, carried_from = effective_reviews(store, sha)
        lang = page_language(request)
        return page(request, "report.html", lang=lang, **report_context(report, view, reviews, carried_from, lang[0]),
                    reviewers=[name for name in reviewer_ids])

    @app.get("/reports/{report_id}/download")
    async def report_download(report_id: str, format: str = "html", lang: str = "en"):
        from ..downloads import FORMATS, render_download
        from ..wording import REPORT_LANGUAGES
        report = store.report(report_id)
        if report is None:
            raise HTTPException(404, f"no report {report_id}")
        if format not in FORMATS:
            raise HTTPException(400, f"unknown format {format!r}: choose one of {', '.join(FORMATS)}")
        document = store.document(report["document"].get("sha256", ""))
        name = document["name"] if document else ""
        found = await asyncio.to_thread(render_download, report, format, name,
                                        lang if lang in REPORT_LANGUAGES else "en")
        return Response(found.data, media_type=found.media_type,
                        headers={"Content-Disposition": found.content_disposition()})

    @app.get("/compare", response_class=HTMLResponse)
    async def compare_form(request: Request):
        return page(request, "compare.html", max_mb=max_mb)

    @app.post("/compare")
    async def start_compare(request: Request):
        form = await read_form(request)
        check_post(request, form.get(CSRF_FIELD), page_only=True)
        old = (await uploads_from(form, "old")) or pasted(form, "old_text", "old_name")
        new = (await uploads_from(form, "new")) or pasted(form, "new_text", "new_name")
        if len(old) != 1 or len(new) != 1:
            return page(request, "compare.html", status=400, max_mb=max_mb,
                        error="Give one earlier draft and one later draft (a file or pasted text for each).")
        job = checker.submit_diff(old[0], new[0])
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.get("/diffs/{diff_id}", response_class=HTMLResponse)
    async def diff_page(request: Request, diff_id: str):
        found = store.diff(diff_id)
        if found is None:
            raise HTTPException(404, f"no comparison {diff_id}")
        lang = page_language(request)
        return page(request, "diff.html", lang=lang, **diff_context(*found, lang=lang[0]),
                    review_carry=review_carry(found[0]))

    def review_carry(d: dict[str, Any]) -> dict[str, Any]:
        """Which reviews of the earlier draft hold for the later one (see :mod:`lexalign.carry`)."""
        old, new = d.get("old_sha256"), d.get("new_sha256")
        if not old or not new:
            return {}
        own = [r for r in effective_reviews(store, old)[0]]
        replaced = {r.supersedes for r in own if r.supersedes}
        live = [r for r in own if not r.withdrawn and r.id not in replaced]
        _, carried = effective_reviews(store, new)
        held = [r for r in live if r.id in carried]
        lost = sorted({r.element for r in live if r.id not in carried and r.document != new})
        return {"held": len(held), "lost": lost}

    @app.get("/overview.css")
    async def overview_css():
        from ..overview import OVERVIEW_CSS
        return Response(OVERVIEW_CSS, media_type="text/css")

    @app.get("/overview.js")
    async def overview_js():
        from ..overview import SORT_JS
        return Response(SORT_JS, media_type="text/javascript")

    @app.get("/corpus", response_class=HTMLResponse)
    async def corpus_page(request: Request):
        if not corpus:
            raise HTTPException(404, "the server was started without --corpus: there is no folder to overview")
        from ..overview import legend, overview_tables
        entries = [_corpus_entry(e, checker) for e in corpus_entries]
        reports = {e["report"]: store.report(e["report"]) for e in entries if e.get("report")}
        rows = corpus_rows(entries, reports, corpus_verdicts(reports))
        lang = page_language(request)
        table = overview_tables(rows, load_catalogue(), link=lambda row, eid: f"/reports/{row.key}#finding-{eid}",
                                lang=lang[0])
        return page(request, "corpus.html", lang=lang, folder=corpus, entries=entries, table=table, legend=legend(lang[0]),
                    done=sum(1 for e in entries if e["state"] in ("done", "failed")))

    def corpus_verdicts(reports: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
        out = {}
        for rid, rep in reports.items():
            if rep:
                out[rid] = effective(rep["findings"], effective_reviews(store, rep["document"].get("sha256", ""))[0])
        return out

    app_with_limits = BodyLimit(app, limit=max_bytes * MAX_FILES + 1_000_000)
    app_with_limits = HeadAsGet(SecurityHeaders(app_with_limits))
    if allowed_hosts:
        app_with_limits = HostCheck(app_with_limits, list(allowed_hosts))
    app_with_limits.fastapi = app  # type: ignore[attr-defined]
    return app_with_limits


def _warm_pages(env: Environment) -> None:
    """Compile the templates, the translations and read the catalogue now, not on a user's first report."""
    from ..i18n import LANGUAGES, translations
    from ..reference import protocol_wording
    for lang in LANGUAGES:
        translations(lang)
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    for e in load_catalogue():
        protocol_wording(e)


def _queue_corpus(folder: str, checker: Checker, entries: list[dict[str, Any]],
                  follow_symlinks: bool = False) -> list[str]:
    """Queue a check of every statute in the folder (reports already stored are not redone); returns
    the notes on links skipped because they lead out of the folder."""
    from ..batch import _jurisdiction, discover, read_manifest
    src = Path(folder)
    manifest = read_manifest(src)
    skipped: list[str] = []
    for f in discover(src, follow_symlinks=follow_symlinks, skipped=skipped):
        rel = f.relative_to(src).as_posix()
        entry = {"file": rel, "jurisdiction": _jurisdiction(rel, rel, manifest)}
        try:
            data = f.read_bytes()
        except OSError as exc:
            entry.update(state="failed", error=f"{rel}: cannot be read ({exc.strerror or exc})")
            entries.append(entry)
            continue
        entry["job"] = checker.submit_check([Upload(f.name, data)], persist=False)
        entries.append(entry)
    return skipped


def _corpus_entry(e: dict[str, Any], checker: Checker) -> dict[str, Any]:
    job = e.get("job")
    out = {k: v for k, v in e.items() if k != "job"}
    if job is not None:
        out.update(state=job.state, stage=job.stage)
        if job.result:
            out["report"] = job.result
        if job.error:
            out["error"] = job.error
    return out
