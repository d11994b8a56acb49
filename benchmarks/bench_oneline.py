"""Cost of a statute that arrives as one long line (issue 15): it must grow in proportion to the text.

The input imitates a flattened extraction: a definitions chapeau followed by lettered paragraphs
"(a) ... (b) ..." run together on one line, the paragraphs being sentences of the shared corpus
(development statutes only; the held-out four are not read).  Sizes double from 0.25 MB to 2 MB.

Prints, for each size, the time of `check` in one warm process (model and language tables already
loaded) with its stage split, the ratio of the 2 MB time to the 0.25 MB time (done when <= 9 for
8x the text, issue 22), then a cold `lexalign check --timeout T` of a 20 MB one-line statute (inside
the default size limit) in a fresh process with its peak memory: done when it is checked or
refused with the one-line budget message, exit 3, within T plus a minute of start-up and reading.
The provision-embedding cache is switched off so that every figure is a first reading.  Exits
non-zero when a target is missed.

Usage: python benchmarks/bench_oneline.py [--shared ../shared/corpora] [--workdir DIR] [--timeout 60]
"""
from __future__ import annotations

import argparse
import os
import re
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: never read (the statutes held out of development, by name prefix)
HELD_OUT = ("ls-atip-act-2011", "zw-tip-act-2014", "uy-ley-19643-trata-es", "ar-codigo-penal-145bis-145ter-140-127-es",
            "au-criminal-code", "dj-loi-133", "gt-codigo-penal", "qa-law-15", "tr-criminal-code")
SIZES_MB = (0.25, 0.5, 1.0, 2.0)


def _label(k: int) -> str:
    """a, b, ..., z, aa, ab, ...: every paragraph's label is distinct, so no two pieces of the text
    are equal and no cache or de-duplication can make a longer input look cheaper."""
    out = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        out = string.ascii_lowercase[r] + out
    return out


def one_line_statute(shared: Path, size: int) -> str:
    """``size`` characters of lettered paragraphs on one line, made from development statutes."""
    sources = sorted(p for p in shared.glob("*.txt")
                     if not p.name.startswith(("palermo", "un-")) and not p.stem.startswith(HELD_OUT))
    flat = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in sources)
    sentences = [s for s in re.split(r"(?<=[.;:])\s+", flat) if 20 < len(s) < 400]
    parts = ["1. In this Act, unless the context otherwise requires:"]
    total, k = len(parts[0]), 0
    while total < size:
        piece = f"({_label(k)}) {sentences[k % len(sentences)]}"
        parts.append(piece)
        total += len(piece) + 1
        k += 1
    return " ".join(parts)[:size]


def warm_check(path: Path) -> tuple[float, dict[str, float]]:
    """Time of each stage of one check in this (warm) process; the total is CPU-bound work."""
    from lexalign.analysis import analyse
    from lexalign.decision import attach_similarities, decide
    from lexalign.ingest import ingest
    stages: dict[str, float] = {}

    def timed(name, fn, *a, **kw):
        t, c = time.perf_counter(), time.process_time()
        out = fn(*a, **kw)
        stages[name] = time.perf_counter() - t
        stages["cpu"] = stages.get("cpu", 0.0) + time.process_time() - c
        return out

    doc = timed("ingest", ingest, path)
    ctx = timed("segment+rules+cues", analyse, [doc], use_embeddings=False)
    timed("embed", attach_similarities, ctx)
    timed("decide", decide, ctx)
    cpu = stages.pop("cpu")
    return sum(stages.values()), dict(stages, cpu=cpu)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "corpora"))
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--timeout", type=float, default=60.0, help="budget of the 20 MB check (seconds)")
    ap.add_argument("--max-ratio", type=float, default=9.0)
    ap.add_argument("--sizes", default=",".join(map(str, SIZES_MB)), help="sizes in MB, comma-separated (8x apart)")
    ap.add_argument("--skip-big", action="store_true", help="leave out the 20 MB check")
    args = ap.parse_args()
    sizes = tuple(float(x) for x in args.sizes.split(","))
    shared = Path(args.shared)
    if not shared.is_dir():
        sys.exit(f"bench_oneline: shared corpus not found at {shared}")
    os.environ["LEXALIGN_EMBED_CACHE"] = "off"
    work = Path(args.workdir or tempfile.mkdtemp(prefix="lexalign-oneline-"))
    work.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.2f} at start")
    small = work / "warm.txt"
    small.write_text(one_line_statute(shared, 5000), encoding="utf-8")
    warm_check(small)  # loads the model and the language tables once
    times, cpus = {}, {}
    for mb in sizes:
        path = work / f"one-line-{mb}MB.txt"
        path.write_text(one_line_statute(shared, int(mb * 1e6)), encoding="utf-8")
        total, stages = warm_check(path)
        times[mb], cpus[mb] = total, stages["cpu"]
        print(f"  {mb:4.2f} MB one line: {total:6.1f} s  (" + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()) + f") [load {os.getloadavg()[0]:.2f}]",
              flush=True)
    ratio = times[sizes[-1]] / times[sizes[0]]
    cpu_ratio = cpus[sizes[-1]] / cpus[sizes[0]]
    linear = min(ratio, cpu_ratio) <= args.max_ratio
    print(f"  {sizes[-1] / sizes[0]:.0f}x the text took {ratio:.1f}x the wall time, "
          f"{cpu_ratio:.1f}x the CPU time (done when <= {args.max_ratio:g}x): {'ok' if linear else 'MISSED'}")
    if args.skip_big:
        return 0 if linear else 1
    big = work / "one-line-20MB.txt"
    big.write_text(one_line_statute(shared, 19_900_000), encoding="utf-8")
    exe = Path(sys.executable).with_name("lexalign")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "lexalign"]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd + ["check", str(big), "--out", str(work / "big.json"), "--max-size", "25",
                                   "--timeout", f"{args.timeout:g}"], stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    dt = time.perf_counter() - t
    rc = os.waitstatus_to_exitcode(status)
    refused = rc == 3 and "not analysed within the time budget" in err and len(err.strip().splitlines()) == 1
    bounded = (rc == 0 or refused) and dt <= args.timeout + 60
    print(f"cold `lexalign check --timeout {args.timeout:g}` of a 20 MB one-line statute: {dt:.1f} s "
          f"({usage.ru_utime + usage.ru_stime:.1f} CPU s), exit {rc} ({'checked' if rc == 0 else 'refused' if refused else 'FAILED'}), "
          f"peak memory {usage.ru_maxrss / 1024:.0f} MB (done when checked or refused within {args.timeout + 60:g} s): "
          f"{'ok' if bounded else 'MISSED'}")
    if err.strip():
        print("  stderr: " + err.strip().splitlines()[-1][:200])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load:.2f} at the end")
    return 0 if linear and bounded else 1


if __name__ == "__main__":
    sys.exit(main())
