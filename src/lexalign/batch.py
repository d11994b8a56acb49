"""Batch analysis of a folder of statutes: the researchers' country x element matrix.

Each file is analysed on its own; a failure is recorded in ``errors.csv`` and never costs the other
files their results.  Results are cached in ``OUTDIR/cache`` under the file's content hash and the
settings (model, catalogue, calibration), so a re-run analyses only what changed.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

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
    from .align import calibration_path
    from .reference import catalogue_hash
    from . import __version__
    h = hashlib.sha256()
    h.update((model or "default").encode())
    h.update(catalogue_hash().encode())
    h.update(__version__.encode())
    cp = calibration_path()
    if cp.exists():
        h.update(cp.read_bytes())
    return h.hexdigest()[:16]


def _analyse_one(path: str, model: str | None, max_size: float, reports_dir: str, name: str) -> dict[str, Any]:
    from .align import check
    from .ingest import ingest
    doc = ingest(path, max_bytes=int(max_size * 1e6))
    report = check([doc], model=model)
    Path(reports_dir, f"{name}.html").write_text(report.to_html(), encoding="utf-8")
    return report.to_dict()


def _init_worker(threads: int) -> None:
    """Give each worker its share of the cores: torch would otherwise use all of them in every
    process, and two workers on two cores would only take turns (measured: --jobs 2 no faster)."""
    try:
        import torch
        torch.set_num_threads(threads)
    except Exception:  # torch missing or already initialised: leave its default
        pass


def _worker(args):
    path, model, max_size, reports_dir, name = args
    try:
        return name, _analyse_one(path, model, max_size, reports_dir, name), None
    except LexalignError as exc:
        return name, None, exc.message
    except Exception as exc:  # a broken file must not stop the batch
        return name, None, f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}"


def run_batch(directory: str, outdir: str, jobs: int = 1, model: str | None = None, max_size: float = 20.0,
              progress: bool = True) -> int:
    """Analyse every statute under ``directory``; returns the number of files that failed."""
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
    todo, results, errors = [], {}, {}
    names = {}
    for f in files:
        rel = f.relative_to(src).as_posix()
        name = rel.rsplit(".", 1)[0].replace("/", "__")
        names[name] = rel
        digest = hashlib.sha256(f.read_bytes()).hexdigest()[:16]
        cache = out / "cache" / f"{name}.{digest}.{skey}.json"
        if cache.exists() and (out / "reports" / f"{name}.html").exists():
            results[name] = json.loads(cache.read_text(encoding="utf-8"))
        else:
            todo.append((str(f), model, max_size, str(out / "reports"), name, cache))
    done = len(results)
    total = len(files)
    start = time.time()

    def tick(name: str) -> None:
        if progress:
            elapsed = time.time() - start
            sys.stderr.write(f"\rlexalign batch: {done}/{total} ({len(todo)} to analyse, {elapsed:.0f}s) {name[:40]:40s}")
            sys.stderr.flush()

    tick("cached" if results else "")
    args = [t[:5] for t in todo]
    caches = {t[4]: t[5] for t in todo}
    if jobs > 1 and len(args) > 1:
        threads = max(1, (os.cpu_count() or 1) // jobs)
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(threads,)) as pool:
            futures = [pool.submit(_worker, a) for a in args]
            for fut in as_completed(futures):
                name, res, err = fut.result()
                done += 1
                _store(name, res, err, results, errors, caches)
                tick(name)
    else:
        for a in args:
            name, res, err = _worker(a)
            done += 1
            _store(name, res, err, results, errors, caches)
            tick(name)
    if progress:
        sys.stderr.write("\n")
    write_outputs(out, results, errors, names, manifest)
    if progress:
        sys.stderr.write(f"lexalign batch: {len(results)} analysed, {len(errors)} failed; results in {out}\n")
    return len(errors)


def _store(name, res, err, results, errors, caches) -> None:
    if res is not None:
        results[name] = res
        tmp = caches[name].with_suffix(".tmp")
        tmp.write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, caches[name])
    else:
        errors[name] = err


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
        heatmap(out / "heatmap.png", rows, elements)
    (out / "index.html").write_text(
        index_html(rows, elements, {names[d]: m for d, m in errors.items()},
                   link=lambda row, eid: f"reports/{row.key}.html#{eid}"), encoding="utf-8")


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
