"""How cost grows with corpus size: a synthetic corpus of 200 statutes, `check` and `batch`.

The synthetic statutes are made from the shared corpus (never copied into the project): each is one
or two real national texts concatenated, with the country names replaced by an invented one, so
the corpus has the length and drafting mix of real law but 200 distinct documents. Generated with a
fixed seed into a scratch folder.

Prints:
  * check, in one warm process: cumulative time and documents/s after 25, 50, 100 and 200
    documents, seconds per 10,000 characters (growth should be linear), time split by stage and
    peak memory; plus a cold `lexalign check` of one document in a fresh process;
  * batch (issue 5): wall time of `lexalign batch` over the 200 statutes with --jobs 1 and
    --jobs 2, and of a re-run after one file changed (only that file should be analysed).

Usage: python benchmarks/bench_scale.py [--shared ../shared/corpora] [--n 200] [--workdir DIR]
       [--skip-check] [--skip-batch]
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
COUNTRY_NAMES = re.compile(r"\b(Malaysia|Malaysian|Kenya|Ghana|Sri Lanka|Pakistan|Canada|Cameroun|Cameroon|"
                           r"Sénégal|Senegal|France|Colombia|España|Spain|Republic|République)\b")


def build_corpus(shared: Path, out: Path, n: int, seed: int = 2026) -> list[Path]:
    sources = sorted(p for p in shared.glob("*.txt") if not p.name.startswith(("palermo", "un-")))
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
    from lexalign.embed import load_model
    a = time.perf_counter()
    load_model(None)
    print(f"model load (warm process start): {time.perf_counter() - a:.2f} s")
    from lexalign.align import analyse, attach_similarities, decide
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


def lexalign_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("lexalign")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "lexalign"]


def timed(cmd: list[str]) -> tuple[float, int]:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    a = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - a
    if proc.returncode not in (0, 1):
        print("   stderr:", proc.stderr.strip().splitlines()[-1:] if proc.stderr else "")
    return dt, proc.returncode


def bench_batch(corpus: Path, work: Path, n: int) -> None:
    cold, _ = timed(lexalign_cmd() + ["check", str(corpus / "synthetic-000.txt"), "--out", str(work / "one.json")])
    print(f"cold check of one synthetic statute in a fresh process (model load included): {cold:.1f} s")
    for jobs in (1, 2):
        out = work / f"batch-j{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        dt, rc = timed(lexalign_cmd() + ["batch", str(corpus), "--out", str(out), "--jobs", str(jobs), "--no-progress"])
        print(f"batch of {n} statutes, --jobs {jobs}: {dt:.1f} s ({n / dt:.2f} docs/s, exit {rc})")
    # change one file and re-run on the same output folder: only that file is analysed again
    target = corpus / "synthetic-007.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\n\nAmendment. This Act shall be reviewed every five years.\n",
                      encoding="utf-8")
    dt, rc = timed(lexalign_cmd() + ["batch", str(corpus), "--out", str(work / "batch-j2"), "--jobs", "2", "--no-progress"])
    print(f"re-run after one file changed (--jobs 2, same output folder): {dt:.1f} s (exit {rc})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "corpora"))
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--skip-check", action="store_true")
    ap.add_argument("--skip-batch", action="store_true")
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
    print(f"machine: {os.cpu_count()} CPUs")
    if not args.skip_check:
        bench_check(paths)
    if not args.skip_batch:
        bench_batch(corpus, work, len(paths))


if __name__ == "__main__":
    main()
