"""Segmentation throughput (characters/s) and peak memory over the whole shared corpus."""
from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

from lexalign.ingest import ingest
from lexalign.segment import flatten, segment

CORPORA = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "corpora")


def main() -> None:
    files = sorted(p for p in CORPORA.rglob("*") if p.suffix in (".txt", ".pdf"))
    docs = [ingest(p) for p in files]
    chars = sum(len(d.text) for d in docs)
    tracemalloc.start()
    t0 = time.perf_counter()
    rounds = 5
    n = 0
    for _ in range(rounds):
        for d in docs:
            n += len(flatten(segment(d)))
    dt = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    t1 = time.perf_counter()
    for p in files:
        ingest(p)
    ingest_dt = time.perf_counter() - t1
    print(f"files: {len(files)}  characters: {chars}  provisions: {n // rounds}")
    print(f"segment throughput: {chars * rounds / dt:,.0f} characters/s ({dt / rounds:.3f} s per pass)")
    print(f"ingest (incl. PDF) time for the corpus: {ingest_dt:.2f} s")
    print(f"segment peak traced memory: {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
