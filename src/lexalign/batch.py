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
import html
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .errors import LexalignError, UsageError
from .ingest import SUPPORTED_SUFFIXES
from .reference import load_catalogue

STATUS_CODE = {"missing": 0, "not_raised": 0, "partial": 1, "covered": 2, "raised": 3}


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


def analyse_file(task: Task) -> tuple[str, dict[str, Any] | None, str | None, str | None]:
    """Analyse one file wherever it runs: (name, report dict, report HTML, error).

    The HTML comes back with the result, so a remote worker needs to read the input but never
    to write into the output folder.  A failure is returned, not raised: it must not cost the
    other files their results.
    """
    from .analysis import check
    from .embed import set_precise
    from .ingest import ingest
    set_precise(task.precise)
    try:
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
              progress: bool = True, scheduler: Any = None, quiet: bool = False) -> int:
    """Analyse every statute under ``directory``; returns the number of files that failed.

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
            tasks.append(Task(str(f.resolve()), name, model, precise, max_size))
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
    if order:
        _heatmap_if_changed(out, order, results, elements, names, manifest)
    (out / "index.html").write_text(index_html(order, results, elements, names, manifest, errors), encoding="utf-8")


def _heatmap_if_changed(out: Path, order, results, elements, names, manifest) -> None:
    """Draw the heat map only when what it shows has changed.

    Drawing 200 rows takes seconds (half of a re-run after one edit, measured), and an edit
    seldom changes a status: the picture is keyed by its rows, labels and statuses.
    """
    from . import __version__
    shown = [__version__, [[e.id, e.group] for e in elements],
             [[names[d], _jurisdiction(d, names[d], manifest),
               {f["element"]: f["status"] for f in results[d]["findings"]}] for d in order]]
    key = hashlib.sha256(json.dumps(shown, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    stamp = out / "cache" / "heatmap.key"
    if (out / "heatmap.png").exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == key:
        return
    heatmap(out / "heatmap.png", order, results, elements, names, manifest)
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


def heatmap(path: Path, order, results, elements, names, manifest) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import ListedColormap

    ids = [e.id for e in elements]
    data = np.array([[STATUS_CODE.get({f["element"]: f["status"] for f in results[d]["findings"]}.get(i, "missing"), 0)
                      for i in ids] for d in order])
    cmap = ListedColormap(["#e0e0e0", "#f9c74f", "#2e7d32", "#c62828"])
    fig_h = max(3.0, 0.32 * len(order) + 2.2)
    fig, ax = plt.subplots(figsize=(18, fig_h))
    ax.imshow(data, aspect="auto", cmap=cmap, vmin=0, vmax=3, interpolation="nearest")
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([f"{_jurisdiction(d, names[d], manifest)} · {Path(names[d]).stem[:28]}" for d in order], fontsize=7)
    ax.set_xticks(range(len(ids)))
    ax.set_xticklabels([i.split(".", 1)[-1][:22] for i in ids], rotation=90, fontsize=5.5)
    prev = None
    for k, e in enumerate(elements):
        if e.group != prev and k:
            ax.axvline(k - 0.5, color="white", linewidth=1.5)
        prev = e.group
    groups = []
    for k, e in enumerate(elements):
        if not groups or groups[-1][0] != e.group:
            groups.append([e.group, k, k])
        groups[-1][2] = k
    for n, (g, a, b) in enumerate(groups):
        # staggered on two rows so that the labels of narrow neighbouring groups do not overlap
        ax.text((a + b) / 2, -0.7 - 0.9 * (n % 2), g.replace("gap_", "gap:"), ha="center", va="bottom", fontsize=6.5)
    from matplotlib.patches import Patch
    ax.legend(handles=[Patch(color="#2e7d32", label="covered"), Patch(color="#f9c74f", label="partial"),
                       Patch(color="#e0e0e0", label="missing / not raised"), Patch(color="#c62828", label="red flag raised")],
              loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7)
    ax.set_title("lexalign: coverage of the Palermo Protocol elements (rows in clustering order)", pad=38)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def index_html(order, results, elements, names, manifest, errors) -> str:
    esc = html.escape
    groups = []
    for e in elements:
        if e.group not in groups:
            groups.append(e.group)
    rows = []
    for d in order:
        st = {f["element"]: f["status"] for f in results[d]["findings"]}
        counts = {s: sum(1 for v in st.values() if v == s) for s in ("covered", "partial", "missing", "raised")}
        cells = "".join(f'<td class="s-{esc(st.get(e.id, ""))}" data-sort="{STATUS_CODE.get(st.get(e.id, ""), 0)}" '
                        f'title="{esc(e.id)}: {esc(st.get(e.id, ""))}">'
                        f'{ {"covered": "●", "partial": "◐", "raised": "!"}.get(st.get(e.id, ""), "")}</td>' for e in elements)
        rows.append(f'<tr><td><a href="reports/{esc(d)}.html">{esc(names[d])}</a></td>'
                    f'<td>{esc(_jurisdiction(d, names[d], manifest))}</td><td>{counts["covered"]}</td>'
                    f'<td>{counts["partial"]}</td><td>{counts["missing"]}</td><td>{counts["raised"]}</td>{cells}</tr>')
    head = "".join(f'<th class="el" title="{esc(e.id)}"><span>{esc(e.id)}</span></th>' for e in elements)
    err_html = ""
    if errors:
        err_html = "<h2>Files that failed</h2><ul>" + "".join(
            f"<li><code>{esc(names[d])}</code>: {esc(m)}</li>" for d, m in sorted(errors.items())) + "</ul>"
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self'">
<title>lexalign batch overview</title><style>
body{{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1b1b}}table{{border-collapse:collapse;font-size:12px}}
th,td{{border:1px solid #ddd;padding:2px 4px;text-align:center}}td:first-child{{text-align:left;white-space:nowrap;position:sticky;left:0;background:#fff}}
.scroll{{overflow:auto;max-height:85vh;border:1px solid #ddd}}
th{{background:#f3f3f3;cursor:pointer;position:sticky;top:0}}th.el{{height:170px;vertical-align:bottom;padding:0}}
th.el span{{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;font-size:10px;padding:3px}}
.s-covered{{background:#2e7d32;color:#fff}}.s-partial{{background:#f9c74f}}.s-raised{{background:#c62828;color:#fff}}
.s-missing,.s-not_raised{{background:#fafafa}}.legend span{{display:inline-block;padding:2px 8px;margin-right:6px}}
</style></head><body><h1>lexalign batch overview</h1>
<p>{len(order)} documents analysed, {len(errors)} failed. Rows are in clustering order (similar coverage together); click a column heading to sort.</p>
<p class="legend"><span class="s-covered">● covered</span><span class="s-partial">◐ partial</span><span>missing</span><span class="s-raised">! red flag</span></p>
<p><img src="heatmap.png" alt="heat map of coverage" style="max-width:100%"></p>
<div class="scroll"><table id="m"><thead><tr><th>document</th><th>jurisdiction</th><th>covered</th><th>partial</th><th>missing</th><th>flags</th>{head}</tr></thead>
<tbody>{''.join(rows)}</tbody></table></div>{err_html}
<script>
document.querySelectorAll('#m th').forEach(function(th, i){{th.addEventListener('click', function(){{
 var tb=document.querySelector('#m tbody'); var rows=Array.from(tb.rows); var asc=th.dataset.asc!=='1'; th.dataset.asc=asc?'1':'0';
 rows.sort(function(a,b){{var x=a.cells[i].dataset.sort||a.cells[i].textContent, y=b.cells[i].dataset.sort||b.cells[i].textContent; var nx=parseFloat(x), ny=parseFloat(y);
  var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y); return asc?c:-c;}}); rows.forEach(function(r){{tb.appendChild(r);}});}});}});
</script></body></html>
"""
