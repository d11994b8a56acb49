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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .errors import LexalignError, UsageError
from .ingest import SUPPORTED_SUFFIXES
from .overview import STATUS_CODE, Row, heatmap, index_html
from .reference import load_catalogue



def discover(directory: Path) -> list[Path]:
    files = []
    for p in sorted(directory.rglob("*")):
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES - {""} and not p.name.startswith(".") \
                and p.name.upper() not in ("README.MD", "MANIFEST.TSV") and p.suffix.lower() != ".md":
            files.append(p)
    return files


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
    from .decision import calibration_path
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


def _init_worker(threads: int, precise: bool) -> None:
    """Give each worker its share of the cores: the model would otherwise use all of them in every
    process, and two workers on two cores would only take turns (measured: --jobs 2 no faster)."""
    from .embed import set_precise, set_threads
    set_threads(threads)
    set_precise(precise)


def _run_local(tasks: list[Task], jobs: int) -> Iterator[tuple]:
    if jobs > 1 and len(tasks) > 1:
        threads = max(1, (os.cpu_count() or 1) // jobs)
        precise = tasks[0].precise
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(threads, precise)) as pool:
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
              progress: bool = True, scheduler: Any = None, quiet: bool = False, timeout: float | None = None) -> int:
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
    files = discover(src)
    if not files:
        raise UsageError(f"{directory}: no statute files (.txt, .pdf, .html, .xml) found")
    manifest = read_manifest(src)
    skey = settings_key(model)
    precise = precise_mode()
    tasks, results, errors, names, caches = [], {}, {}, {}, {}
    for f in files:
        rel = f.relative_to(src).as_posix()
        name = rel.rsplit(".", 1)[0].replace("/", "__")
        names[name] = rel
        digest = hashlib.sha256(f.read_bytes()).hexdigest()[:16]
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
        for name, res, page, err in runner:
            _store(out, name, res, page, err, results, errors, caches)
            bar.advance(name, res is None)
    finally:
        bar.close()
    write_outputs(out, results, errors, names, manifest)
    if not quiet:
        sys.stderr.write(f"lexalign batch: {len(results)} analysed, {len(errors)} failed; results in {out}\n")
    return len(errors)


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


def write_outputs(out: Path, results: dict, errors: dict, names: dict, manifest: dict) -> None:
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
        {"document": names[d], "jurisdiction": _jurisdiction(d, names[d], manifest),
         "statuses": {f["element"]: f["status"] for f in results[d]["findings"]}} for d in order]}
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
    (out / "index.html").write_text(
        index_html(rows, elements, {names[d]: m for d, m in errors.items()},
                   link=lambda row, eid: f"reports/{row.key}.html#{eid}"), encoding="utf-8")


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
