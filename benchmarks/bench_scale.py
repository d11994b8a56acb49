"""How cost grows with corpus size (issue 15): 200 synthetic statutes, embeddings, Dask, verdicts.

The synthetic statutes are made from the shared corpus (never copied into the project): each is one
or two real national texts concatenated, with the country names replaced by an invented one, so
the corpus has the length and drafting mix of real law but 200 distinct documents. Generated with a
fixed seed into a scratch folder.  The held-out statutes are left out.

Prints, with the machine's load average beside each figure:
  * batch: wall time of `lexalign batch --jobs 2` over the 200 statutes (int8 embeddings, a fresh
    provision-embedding store; done when <= 300 s), then a re-run after one file changed (only
    that file is analysed; done when <= 10 s);
  * Dask: the same batch through a 2-worker LocalCluster; matrix.csv and findings.csv must be
    byte-identical to the local run's;
  * verdicts: every element verdict on the development gold (gold minus the held-out four and the
    Cameroon national corpus) with the int8 export and with the float model (--precise), side by
    side: share identical (done when >= 99%) and each accuracy figure;
  * with --with-check: the older in-process split of `check` by stage, and peak memory.

Usage: python benchmarks/bench_scale.py [--shared ../shared/corpora] [--gold ../shared/gold] [--n 200]
       [--workdir DIR] [--skip-batch] [--skip-dask] [--skip-verdicts] [--with-check]
"""
from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELD_OUT = ("ls-atip-act-2011", "zw-tip-act-2014", "uy-ley-19643-trata-es", "ar-codigo-penal-145bis-145ter-140-127-es")
COUNTRY_NAMES = re.compile(r"\b(Malaysia|Malaysian|Kenya|Ghana|Sri Lanka|Pakistan|Canada|Cameroun|Cameroon|"
                           r"Sénégal|Senegal|France|Colombia|España|Spain|Republic|République)\b")


def build_corpus(shared: Path, out: Path, n: int, seed: int = 2026) -> list[Path]:
    sources = sorted(p for p in shared.glob("*.txt")
                     if not p.name.startswith(("palermo", "un-")) and p.stem not in HELD_OUT)
    texts = [p.read_text(encoding="utf-8") for p in sources]
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    manifest = ["file\tjurisdiction"]
    paths = []
    for i in range(n):
        picks = rng.sample(range(len(texts)), k=rng.choice((1, 2)))
        name = f"Country{i:03d}"
        body = "\n\n".join(COUNTRY_NAMES.sub(name, texts[j]) for j in picks)
        path = out / f"synthetic-{i:03d}.txt"
        path.write_text(body, encoding="utf-8")
        manifest.append(f"{path.name}\t{name}")
        paths.append(path)
    (out / "MANIFEST.tsv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return paths


def bench_check(paths: list[Path]) -> None:
    from lexalign.embed import encode
    a = time.perf_counter()
    encode(["warm up"])
    print(f"model load (warm process start): {time.perf_counter() - a:.2f} s")
    from lexalign.analysis import analyse
    from lexalign.decision import attach_similarities, decide
    from lexalign.ingest import ingest
    from lexalign.report import Report
    from lexalign.segment import segment

    stages = {"ingest": 0.0, "segment": 0.0, "rules+cues": 0.0, "embed": 0.0, "decide": 0.0, "report": 0.0}
    chars = 0
    marks = {25, 50, 100, len(paths)}
    start = time.perf_counter()
    for k, p in enumerate(paths, 1):
        t = time.perf_counter(); d = ingest(p); stages["ingest"] += time.perf_counter() - t
        t = time.perf_counter(); segment(d); seg = time.perf_counter() - t
        stages["segment"] += seg
        t = time.perf_counter(); ctx = analyse([d], use_embeddings=False)
        stages["rules+cues"] += max(0.0, time.perf_counter() - t - seg)  # analyse segments again
        t = time.perf_counter(); attach_similarities(ctx); stages["embed"] += time.perf_counter() - t
        t = time.perf_counter(); fs = decide(ctx); stages["decide"] += time.perf_counter() - t
        t = time.perf_counter(); Report.build([d], ctx, fs).to_json(); stages["report"] += time.perf_counter() - t
        chars += len(d.text)
        if k in marks:
            dt = time.perf_counter() - start
            print(f"  check, {k:3d} documents ({chars / 1e6:.2f} M chars): {dt:7.1f} s = {k / dt:.2f} docs/s, "
                  f"{dt / chars * 1e4:.2f} s per 10,000 chars")
    total = sum(stages.values())
    print("  stage split: " + ", ".join(f"{k} {v:.1f} s ({v / total:.0%})" for k, v in stages.items()))
    print(f"  peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def load() -> str:
    return f"load {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "load ?"


def lexalign_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("lexalign")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "lexalign"]


def cpu_seconds() -> float:
    """CPU time used by finished child processes: a figure the other users of the machine inflate
    far less than wall time (the wall time of single-threaded work on an idle core is close to it)."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    env = dict(os.environ, HF_HUB_OFFLINE="1", **(env or {}))
    a, c = time.perf_counter(), cpu_seconds()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - a
    print(f"   ({cpu_seconds() - c:.1f} CPU seconds in the child processes)")
    if proc.returncode not in (0, 1):
        print("   stderr:", proc.stderr.strip().splitlines()[-1:] if proc.stderr else "")
    return dt, proc.returncode


def bench_batch(corpus: Path, work: Path, n: int) -> None:
    store = {"LEXALIGN_EMBED_STORE": str(work / "embeddings.sqlite")}
    (work / "embeddings.sqlite").unlink(missing_ok=True)
    out = work / "batch-local"
    shutil.rmtree(out, ignore_errors=True)
    dt, rc = timed(lexalign_cmd() + ["batch", str(corpus), "--out", str(out), "--jobs", "2", "--quiet"], store)
    print(f"batch of {n} statutes, --jobs 2, int8, fresh embedding store: {dt:.1f} s "
          f"({n / dt:.2f} docs/s, exit {rc}) [{load()}]  (done when <= 300 s)", flush=True)
    # change one file and re-run on the same output folder: only that file is analysed again
    target = corpus / "synthetic-007.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\n\nAmendment. This Act shall be reviewed every five years.\n",
                      encoding="utf-8")
    dt, rc = timed(lexalign_cmd() + ["batch", str(corpus), "--out", str(out), "--jobs", "2", "--quiet"], store)
    print(f"re-run after one file changed (same output folder): {dt:.1f} s (exit {rc}) [{load()}]  (done when <= 10 s)",
          flush=True)


def bench_dask(corpus: Path, work: Path) -> None:
    from dask.distributed import Client, LocalCluster
    from lexalign.batch import run_batch
    os.environ["LEXALIGN_EMBED_STORE"] = str(work / "embeddings.sqlite")
    out = work / "batch-dask"
    shutil.rmtree(out, ignore_errors=True)
    a = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        run_batch(str(corpus), str(out), scheduler=client, quiet=True)
    dt = time.perf_counter() - a
    same = {name: (out / name).read_bytes() == (work / "batch-local" / name).read_bytes()
            for name in ("matrix.csv", "findings.csv", "errors.csv")}
    print(f"same batch through a 2-worker LocalCluster (embedding store warm): {dt:.1f} s [{load()}]; "
          + ", ".join(f"{k} {'byte-identical' if v else 'DIFFERENT'}" for k, v in same.items()), flush=True)


def development_gold(gold: Path, work: Path) -> Path:
    """The gold files tuning may see: not the held-out four, not the Cameroon national corpus."""
    dev = work / "dev-gold"
    shutil.rmtree(dev, ignore_errors=True)
    dev.mkdir(parents=True)
    for f in sorted(gold.glob("*.tsv")):
        if f.stem not in HELD_OUT and not f.stem.startswith("cm-national-corpus"):
            shutil.copy(f, dev / f.name)
    return dev


def bench_verdicts(gold: Path, shared: Path, work: Path) -> None:
    from lexalign.decision import decide
    from lexalign.embed import set_precise
    from lexalign.evaluate import analyse_gold, run_evaluation
    dev = development_gold(gold, work)
    corpus_dirs = [str(shared)] + [str(p) for p in shared.iterdir() if p.is_dir()]
    runs = {}
    for mode in ("int8", "float"):
        set_precise(mode == "float")
        a = time.perf_counter()
        results = analyse_gold(str(dev), corpus_dirs)
        dt = time.perf_counter() - a
        verdicts = {(r.stem, f.element): f.status for r in results for f in decide(r.ctx)}
        runs[mode] = (run_evaluation(results, cv=False)["engine"], verdicts, dt)
        print(f"  {mode:5s}: {len(results)} gold documents analysed in {dt:.1f} s [{load()}]", flush=True)
    set_precise(False)
    q, f = runs["int8"][1], runs["float"][1]
    same = sum(q[k] == f[k] for k in f)
    print(f"verdicts identical, int8 vs float: {same}/{len(f)} = {same / len(f):.2%}  (done when >= 99%)")
    for k in sorted(k for k in f if q[k] != f[k]):
        print(f"    differs: {k[0]} {k[1]}: float {f[k]}, int8 {q[k]}")
    print(f"  {'figure':28s}{'float':>9s}{'int8':>9s}")
    for key in ("present_f1", "present_precision", "present_recall", "macro_f1", "kappa", "wrong_covered_rate",
                "flag_accuracy", "evidence_agreement", "precision_at_80_recall"):
        fv, qv = runs["float"][0].get(key), runs["int8"][0].get(key)
        worse = fv is not None and qv is not None and ((qv > fv) if key == "wrong_covered_rate" else (qv < fv))
        fmt = lambda v: f"{v:9.4f}" if isinstance(v, (int, float)) else f"{'-':>9s}"
        print(f"  {key:28s}{fmt(fv)}{fmt(qv)}{'   <- worse' if worse else ''}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "corpora"))
    ap.add_argument("--gold", default=str(ROOT.parent / "shared" / "gold"))
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--with-check", action="store_true", help="also the in-process split of check by stage")
    ap.add_argument("--skip-batch", action="store_true")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--skip-verdicts", action="store_true")
    args = ap.parse_args()
    shared = Path(args.shared)
    if not shared.is_dir():
        sys.exit(f"bench_scale: shared corpus not found at {shared}")
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="lexalign-scale-"))
    corpus = work / "synthetic"
    shutil.rmtree(corpus, ignore_errors=True)
    paths = build_corpus(shared, corpus, args.n)
    size = sum(p.stat().st_size for p in paths)
    print(f"synthetic corpus: {len(paths)} statutes, {size / 1e6:.1f} MB, in {corpus}")
    print(f"machine: {os.cpu_count()} CPUs [{load()}]", flush=True)
    if args.with_check:
        bench_check(paths)
    if not args.skip_batch:
        bench_batch(corpus, work, len(paths))
        if not args.skip_dask:
            bench_dask(corpus, work)
    if not args.skip_verdicts and Path(args.gold).is_dir():
        bench_verdicts(Path(args.gold), shared, work)


if __name__ == "__main__":
    main()
