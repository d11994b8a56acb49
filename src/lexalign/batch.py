"""Batch analysis of a folder of statutes: the researchers' country x element matrix.

Each file is analysed on its own; a failure is recorded in ``errors.csv`` and never costs the other
files their results.  Results are cached in ``OUTDIR/cache`` under the file's content hash and the
settings (model, catalogue, calibration), so a re-run analyses only what changed.  The per-file
work runs here (``--jobs``) or on an existing Dask cluster (``--scheduler``): the outputs are the
same, because one pure function analyses a file and all writing happens in this process.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .errors import LexalignError, UsageError
from .ingest import SUPPORTED_SUFFIXES
from .overview import STATUS_CODE, Row, heatmap, index_html
from .reference import load_catalogue



def discover(directory: Path, follow_symlinks: bool = False, skipped: list[str] | None = None) -> list[Path]:
    """The statute files under ``directory``, in a stable order.

    A symbolic link to a file is read only while it stays inside the folder: a link to
    ``/etc/passwd`` would otherwise be read and published in the reports.  Links that leave the
    folder are skipped and named in ``skipped``, unless ``follow_symlinks``; links to folders are
    not descended into without it (one inside is read under its own path), and with it each real
    folder is walked once, so a link loop ends.
    """
    root = Path(directory)
    real_root = root.resolve()
    files: list[Path] = []
    seen_dirs: set[Path] = set()

    def inside(path: Path) -> bool:
        try:
            path.resolve().relative_to(real_root)
            return True
        except (ValueError, OSError, RuntimeError):
            return False

    for folder, dirnames, filenames in os.walk(root, followlinks=True):
        here = Path(folder)
        real = here.resolve()
        if real in seen_dirs:  # a link back up the tree: walked once
            dirnames[:] = []
            continue
        seen_dirs.add(real)
        keep = []
        for d in sorted(dirnames):
            sub = here / d
            if d.startswith("."):
                continue
            if sub.is_symlink() and not follow_symlinks:
                # a link to a folder inside is read under the folder's own path; one out is not read
                if not inside(sub) and skipped is not None:
                    skipped.append(f"{sub.relative_to(root).as_posix()}/: a link out of the folder (to {_target(sub)}), "
                                   "skipped; pass --follow-symlinks to read it")
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            p = here / name
            if not (p.suffix.lower() in SUPPORTED_SUFFIXES - {""} and not name.startswith(".")
                    and name.upper() not in ("README.MD", "MANIFEST.TSV") and p.suffix.lower() != ".md"):
                continue
            if p.is_symlink() and not follow_symlinks and not inside(p):
                if skipped is not None:
                    skipped.append(f"{p.relative_to(root).as_posix()}: a link out of the folder (to {_target(p)}), "
                                   "skipped; pass --follow-symlinks to read it")
                continue
            if p.is_file():
                files.append(p)
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def _target(link: Path) -> str:
    try:
        return os.readlink(link)
    except OSError:
        return "?"


def report_names(rels: list[str]) -> tuple[dict[str, str], list[str]]:
    """A unique report name for each input path, and a note for each name that had to be changed.

    The name is the path without its extension, folders joined by ``__`` (``a/b.txt`` -> ``a__b``),
    which is what a reader expects to find in ``reports/``.  Two inputs may map to one name
    (``ke.txt`` and ``ke.html``; ``a/b.txt`` and ``a__b.txt``): then each of them keeps its extension
    and, if that is still not enough, a short hash of its path, so that no report overwrites
    another and the resume cache of one is never taken for the other.
    """
    def plain(rel: str) -> str:
        return rel.rsplit(".", 1)[0].replace("/", "__") if "." in Path(rel).name else rel.replace("/", "__")

    by_plain: dict[str, list[str]] = {}
    for rel in rels:
        by_plain.setdefault(plain(rel).lower(), []).append(rel)
    out: dict[str, str] = {}
    notes: list[str] = []
    taken = {k for k, v in by_plain.items() if len(v) == 1}
    for rel in rels:
        group = by_plain[plain(rel).lower()]
        if len(group) == 1:
            out[rel] = plain(rel)
            continue
        name = rel.replace("/", "__")
        if name.lower() in taken or sum(1 for r in group if r.replace("/", "__").lower() == name.lower()) > 1:
            name = f"{plain(rel)}-{hashlib.sha256(rel.encode('utf-8')).hexdigest()[:8]}"
        taken.add(name.lower())
        out[rel] = name
    for key, group in sorted(by_plain.items()):
        if len(group) > 1:
            notes.append(f"{' and '.join(group)} would share the report name {plain(group[0])!r}; their reports are "
                         + ", ".join(f"reports/{out[r]}.html" for r in group))
    return out, notes


def read_manifest(directory: Path) -> dict[str, str]:
    path = directory / "MANIFEST.tsv"
    out = {}
    if path.exists():
        with open(path, encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                name = (row.get("file") or "").strip()
                if name:
                    out[name] = (row.get("jurisdiction") or "").strip()
    return out


def settings_key(model: str | None) -> str:
    """What a cached result depends on besides the file: model and precision, catalogue, version,
    calibration."""
    from .modelfile import calibration_path
    from .embed import model_id
    from .reference import catalogue_hash
    from . import __version__
    h = hashlib.sha256()
    h.update(model_id(model).encode())
    h.update(catalogue_hash().encode())
    h.update(__version__.encode())
    cp = calibration_path()
    if cp.exists():
        h.update(cp.read_bytes())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Task:
    """One file to analyse, as sent to a worker: a path (workers read the file themselves), never its text."""

    path: str
    name: str
    model: str | None
    precise: bool
    max_size: float
    timeout: float | None = None  # wall-clock budget of this file, seconds (lexalign.budget)


def analyse_file(task: Task) -> tuple[str, dict[str, Any] | None, str | None, str | None]:
    """Analyse one file wherever it runs: (name, report dict, report HTML, error).

    The HTML comes back with the result, so a remote worker needs to read the input but never
    to write into the output folder.  A failure is returned, not raised: it must not cost the
    other files their results.
    """
    from .analysis import check
    from .budget import time_budget
    from .embed import set_precise
    from .ingest import ingest
    set_precise(task.precise)
    try:
        # the budget stops the work itself (checks inside the stages); the batch goes on with the next file
        with time_budget(task.timeout, Path(task.path).name):
            doc = ingest(task.path, max_bytes=int(task.max_size * 1e6))
            report = check([doc], model=task.model)
            return task.name, report.to_dict(), report.to_html(), None
    except LexalignError as exc:
        return task.name, None, None, exc.message
    except Exception as exc:  # a broken file must not stop the batch
        return task.name, None, None, f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}"


def _init_worker(threads: int, precise: bool, parent: int | None = None) -> None:
    """Give each worker its share of the cores: the model would otherwise use all of them in every
    process, and two workers on two cores would only take turns (measured: --jobs 2 no faster).

    A worker also dies with the batch: a killed ``lexalign batch`` (SIGKILL, the OOM killer) runs no
    clean-up, and its workers, each holding a model in 600-700 MB, would live on.
    """
    from .embed import set_precise, set_threads
    die_with_parent(parent)
    set_threads(threads)
    set_precise(precise)


def die_with_parent(parent: int | None) -> None:
    """End this process when ``parent`` (the batch process) is gone.

    On Linux the kernel does it (``prctl(PR_SET_PDEATHSIG, SIGKILL)``); elsewhere, and as a
    fallback on Linux, a daemon thread polls the parent's pid once a second.
    """
    import threading
    first_parent = os.getppid()
    if parent is None:
        parent = first_parent
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal
            libc = ctypes.CDLL(None, use_errno=True)
            PR_SET_PDEATHSIG = 1
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if not _alive(parent):  # died before the signal was armed
        os._exit(1)

    def watch() -> None:
        import time
        while True:
            time.sleep(1.0)
            # re-parented (to init or a subreaper): the parent is gone, even while it is an unreaped zombie
            if os.getppid() != first_parent or not _alive(parent):
                os._exit(1)

    threading.Thread(target=watch, name="lexalign-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _run_local(tasks: list[Task], jobs: int) -> Iterator[tuple]:
    if jobs > 1 and len(tasks) > 1:
        threads = max(1, (os.cpu_count() or 1) // jobs)
        precise = tasks[0].precise
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                 initargs=(threads, precise, os.getpid())) as pool:
            futures = {pool.submit(analyse_file, t): t for t in tasks}
            for fut in as_completed(futures):
                try:
                    yield fut.result()
                except Exception as exc:  # the worker process died (memory): that file fails, not the batch
                    yield futures[fut].name, None, None, f"worker failed: {type(exc).__name__}"
    else:
        for t in tasks:
            yield analyse_file(t)


class Progress:
    """Documents done, failures and time left, on a terminal; nothing otherwise or with --quiet."""

    def __init__(self, total: int, cached: int, enabled: bool):
        self.bar = None
        self.failed = 0
        if enabled and sys.stderr.isatty():
            import shutil
            from tqdm import tqdm
            # a terminal that reports its size as 0 x 0 would get no bar at all from tqdm
            size = shutil.get_terminal_size((100, 20))
            self.bar = tqdm(total=total, initial=cached, unit="doc", desc="lexalign batch", file=sys.stderr,
                            ncols=min(120, size.columns), nrows=max(2, size.lines), smoothing=0.1)
            self.bar.set_postfix(failed=0)

    def advance(self, name: str, failed: bool) -> None:
        self.failed += failed
        if self.bar is not None:
            self.bar.set_postfix(failed=self.failed, last=name[:24])
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_batch(directory: str, outdir: str, jobs: int = 1, model: str | None = None, max_size: float = 20.0,
              progress: bool = True, scheduler: Any = None, quiet: bool = False, follow_symlinks: bool = False,
              timeout: float | None = None) -> int:
    """Analyse every statute under ``directory``; returns the number of files that failed.

    ``timeout``: seconds each file may take (None: no limit); a file that overruns it goes to
    ``errors.csv`` like any other failure.

    ``scheduler`` (an address or a ``dask.distributed.Client``) runs the files on a Dask cluster;
    otherwise they run here, in ``jobs`` processes.  Either way the results, the resume cache and
    ``errors.csv`` are the same: the per-file work is one pure function and all writing happens here.
    """
    from .embed import precise_mode
    src = Path(directory)
    if not src.is_dir():
        raise UsageError(f"{directory}: not a folder")
    out = Path(outdir)
    try:
        (out / "reports").mkdir(parents=True, exist_ok=True)
        (out / "cache").mkdir(exist_ok=True)
    except OSError as exc:
        raise LexalignError(f"cannot create {outdir}: {exc.strerror or exc}", LexalignError.OUTPUT) from None
    skipped: list[str] = []
    files = discover(src, follow_symlinks=follow_symlinks, skipped=skipped)
    for note in skipped:
        sys.stderr.write(f"lexalign: warning: {note}\n")
    if not files:
        raise UsageError(f"{directory}: no statute files (.txt, .pdf, .docx, .html, .xml) found")
    manifest = read_manifest(src)
    skey = settings_key(model)
    precise = precise_mode()
    unique, renamed = report_names([f.relative_to(src).as_posix() for f in files])
    for note in renamed:
        sys.stderr.write(f"lexalign: warning: {note}\n")
    tasks, results, errors, names, caches = [], {}, {}, {}, {}
    for f in files:
        rel = f.relative_to(src).as_posix()
        name = unique[rel]
        names[name] = rel
        try:
            digest = hashlib.sha256(f.read_bytes()).hexdigest()[:16]
        except OSError as exc:  # unreadable: that file fails, not the batch
            errors[name] = f"cannot be read ({exc.strerror or exc})"
            continue
        cache = out / "cache" / f"{name}.{digest}.{skey}.json"
        if cache.exists() and (out / "reports" / f"{name}.html").exists():
            results[name] = json.loads(cache.read_text(encoding="utf-8"))
        else:
            # absolute paths: a worker's working folder is not ours
            tasks.append(Task(str(f.resolve()), name, model, precise, max_size, timeout))
            caches[name] = cache
    if not quiet:
        sys.stderr.write(f"lexalign batch: {len(files)} files ({len(tasks)} to analyse, {len(results)} from the cache)\n")
    bar = Progress(len(files), len(results), progress and not quiet)
    if scheduler is not None:
        from .cluster import run_on_cluster
        runner = run_on_cluster(tasks, scheduler, analyse_file)
    else:
        runner = _run_local(tasks, jobs)
    try:
        with _writing(out):
            for name, res, page, err in runner:
                _store(out, name, res, page, err, results, errors, caches)
                bar.advance(name, res is None)
                for w in ((res or {}).get("document") or {}).get("warnings", []) if not quiet else []:
                    sys.stderr.write(f"lexalign: warning: {names[name]}: {w}\n")  # a damaged PDF, a lost structure
    finally:
        bar.close()
    with _writing(out):
        write_outputs(out, results, errors, names, manifest, notes=skipped + renamed)
    if not quiet:
        sys.stderr.write(f"lexalign batch: {len(results)} analysed, {len(errors)} failed; results in {out}\n")
    return len(errors)


@contextmanager
def _writing(out: Path) -> Iterator[None]:
    """Turn a failed write (a full disk, a folder made read-only) into the documented exit 5."""
    try:
        yield
    except OSError as exc:
        where = exc.filename or out
        raise LexalignError(f"cannot write {where}: {exc.strerror or exc}", LexalignError.OUTPUT) from None


def _store(out: Path, name, res, page, err, results, errors, caches) -> None:
    """Keep one file's outcome: its report page and resume cache, or its error."""
    if res is None:
        errors[name] = err
        return
    results[name] = res
    (out / "reports" / f"{name}.html").write_text(page, encoding="utf-8")
    tmp = caches[name].with_suffix(".tmp")
    tmp.write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, caches[name])


def _jurisdiction(name: str, rel: str, manifest: dict[str, str]) -> str:
    if rel in manifest and manifest[rel]:
        return manifest[rel]
    base = Path(rel).name
    if base in manifest and manifest[base]:
        return manifest[base]
    return base.split("-")[0].split("_")[0].upper()


def write_outputs(out: Path, results: dict, errors: dict, names: dict, manifest: dict,
                  notes: list[str] | None = None) -> None:
    elements = [e for e in load_catalogue()]
    ids = [e.id for e in elements]
    docs = sorted(results)
    order = cluster_order(docs, results, ids)
    with open(out / "matrix.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["document", "jurisdiction", *ids])
        for d in order:
            st = {f["element"]: f["status"] for f in results[d]["findings"]}
            w.writerow([names[d], _jurisdiction(d, names[d], manifest), *[st.get(i, "") for i in ids]])
    matrix = {"elements": ids, "documents": [
        {"document": names[d], "jurisdiction": _jurisdiction(d, names[d], manifest), "report": f"reports/{d}.html",
         "warnings": list((results[d].get("document") or {}).get("warnings", [])),
         "statuses": {f["element"]: f["status"] for f in results[d]["findings"]}} for d in order],
              "notes": list(notes or [])}
    (out / "matrix.json").write_text(json.dumps(matrix, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    with open(out / "findings.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["document", "element", "status", "confidence", "citation", "quote"])
        for d in order:
            for f in results[d]["findings"]:
                ev = f["evidence"][0] if f["evidence"] else {}
                w.writerow([names[d], f["element"], f["status"], f["confidence"], ev.get("citation", ""), ev.get("quote", "")])
    with open(out / "errors.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["document", "error"])
        for d in sorted(errors):
            w.writerow([names[d], errors[d]])
    rows = [Row(d, names[d], _jurisdiction(d, names[d], manifest),
                {f["element"]: f["status"] for f in results[d]["findings"]}) for d in order]
    if rows:
        _heatmap_if_changed(out, rows, elements)
    page = index_html(rows, elements, {names[d]: m for d, m in errors.items()},
                      link=lambda row, eid: f"reports/{row.key}.html#{eid}")
    if notes:  # renamed reports and skipped links: said where the reader looks, not only on stderr
        import html as _html
        items = "".join(f"<li>{_html.escape(n)}</li>" for n in notes)
        block = f'<section class="notes"><h2>Notes</h2><ul>{items}</ul></section>'
        page = page.replace("</body>", block + "</body>", 1) if "</body>" in page else page + block
    (out / "index.html").write_text(page, encoding="utf-8")


def _heatmap_if_changed(out: Path, rows: list[Row], elements) -> None:
    """Draw the heat map only when what it shows has changed.

    Drawing 200 rows takes seconds (half of a re-run after one edit, measured), and an edit
    seldom changes a status: the picture is keyed by its kind, rows, labels and statuses.
    """
    from . import __version__
    shown = [__version__, "group view", [[e.id, e.group] for e in elements],
             [[r.name, r.jurisdiction, r.statuses] for r in rows]]
    key = hashlib.sha256(json.dumps(shown, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    stamp = out / "cache" / "heatmap.key"
    if (out / "heatmap.png").exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == key:
        return
    heatmap(out / "heatmap.png", rows, elements)
    stamp.write_text(key, encoding="utf-8")


def cluster_order(docs: list[str], results: dict, ids: list[str]) -> list[str]:
    """Documents ordered by hierarchical clustering of their status vectors (dendrogram order)."""
    if len(docs) < 3:
        return docs
    import numpy as np
    from scipy.cluster.hierarchy import leaves_list, linkage
    X = np.array([[STATUS_CODE.get({f["element"]: f["status"] for f in results[d]["findings"]}.get(i, "missing"), 0)
                   for i in ids] for d in docs], dtype=float)
    Z = linkage(X, method="average", metric="euclidean")
    return [docs[i] for i in leaves_list(Z)]
