"""Cost of a long multi-line statute (issue 22): it must grow in proportion to the text.

The input imitates a long code whose every section creates an offence: numbered sections, each a
heading, a chapeau "(1) Any person who—" and dense run-in lettered clauses "(a) recruits,
transports ... for the purpose of exploitation;" mixed with sentences of the shared corpus
(development statutes only; the held-out files are not read), a penalty, and a second subsection
citing another section.  Every section differs (its number, its penalty, its sentences), so no cache
or de-duplication makes a longer text look cheaper.  Sizes double from 0.25 MB to 2 MB.

Prints, for each size, the time of `check` in one warm process (model and language tables already
loaded) with its stage split, and the ratio of the 2 MB time to the 0.25 MB time, measured in this
one run.  Exits non-zero when 8x the text costs more than 9x the time.

Usage: python benchmarks/bench_multiline.py [--shared ../shared/corpora] [--workdir DIR] [--max-ratio 9]
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_oneline import HELD_OUT, _label, warm_check  # noqa: E402

SIZES_MB = (0.25, 0.5, 1.0, 2.0)
_ACTS = ("recruits", "transports", "transfers", "harbours", "receives", "hires", "provides", "obtains")
_MEANS = ("by means of threat", "by the use of force", "by abduction", "by fraud", "by deception",
          "by the abuse of power", "by giving payments", "by coercion")
_PURPOSES = ("exploitation", "sexual exploitation", "forced labour", "slavery", "servitude", "the removal of organs")
_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "fifteen", "twenty")


def _sentences(shared: Path) -> list[str]:
    sources = sorted(p for p in shared.glob("*.txt")
                     if not p.name.startswith(("palermo", "un-")) and not p.stem.startswith(HELD_OUT))
    flat = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in sources if p.stat().st_size < 2_000_000)
    return [s.rstrip(".;:") for s in re.split(r"(?<=[.;:])\s+", flat) if 20 < len(s) < 300]


def multi_line_statute(shared: Path, size: int) -> str:
    """About ``size`` characters of numbered offence sections with dense lettered clauses, one per line."""
    sentences = _sentences(shared)
    out = ["AN ACT to provide for the offence of trafficking in persons", "",
           "1. In this Act, unless the context otherwise requires—",
           '"child" means a person under the age of eighteen years;',
           '"exploitation" includes all forms of sexual exploitation, forced labour, slavery and servitude;']
    total, k, sec = sum(len(x) + 1 for x in out), 0, 2
    while total < size:
        lines = [f"Offence number {sec} of trafficking in persons", f"{sec}. (1) Any person who—"]
        for j in range(8):
            act, means = _ACTS[(sec + j) % len(_ACTS)], _MEANS[(sec * 3 + j) % len(_MEANS)]
            purpose = _PURPOSES[(sec + 2 * j) % len(_PURPOSES)]
            lines.append(f"({_label(j)}) {act}, transports, transfers, harbours or receives a person {means} "
                         f"for the purpose of {purpose}; {sentences[k % len(sentences)]};")
            k += 1
        lines.append(f"commits an offence and shall on conviction be liable to imprisonment for a term not exceeding "
                     f"{_WORDS[sec % len(_WORDS)]} years and to a fine.")
        lines.append(f"(2) A person convicted under section {max(2, sec - 1)} is liable to imprisonment for life; "
                     f"{sentences[k % len(sentences)]}.")
        k += 1
        block = "\n".join(lines)
        out.append(block)
        total += len(block) + 1
        sec += 1
    return "\n".join(out)[:size]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpora"))
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--max-ratio", type=float, default=9.0, help="largest allowed time(2 MB) / time(0.25 MB)")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES_MB)), help="sizes in MB, comma-separated")
    args = ap.parse_args()
    shared = Path(args.shared)
    if not shared.is_dir():
        sys.exit(f"bench_multiline: shared corpus not found at {shared}")
    os.environ["LEXALIGN_EMBED_CACHE"] = "off"
    sizes = tuple(float(x) for x in args.sizes.split(","))
    work = Path(args.workdir or tempfile.mkdtemp(prefix="lexalign-multiline-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    small = work / "warm.txt"
    small.write_text(multi_line_statute(shared, 5000), encoding="utf-8")
    warm_check(small)
    times, cpus = {}, {}
    for mb in sizes:
        path = work / f"multi-line-{mb}MB.txt"
        path.write_text(multi_line_statute(shared, int(mb * 1e6)), encoding="utf-8")
        total, stages = warm_check(path)
        times[mb], cpus[mb] = total, stages["cpu"]
        print(f"  {mb:4.2f} MB multi-line: {total:6.1f} s  (" + ", ".join(f"{k} {v:.1f}" for k, v in stages.items())
              + f") [load {os.getloadavg()[0]:.2f}]", flush=True)
    ratio = times[sizes[-1]] / times[sizes[0]]
    cpu_ratio = cpus[sizes[-1]] / cpus[sizes[0]]
    ok = min(ratio, cpu_ratio) <= args.max_ratio
    print(f"  {sizes[-1] / sizes[0]:.0f}x the text took {ratio:.1f}x the wall time, {cpu_ratio:.1f}x the CPU time "
          f"(done when <= {args.max_ratio:g}x): {'ok' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
