"""Segmentation throughput (characters/s), peak memory, and segmentation's share of a check's time.

Target (issue 11): segmenting stays under 5% of the time a `check` of the same document takes,
with the embedding model loaded (the ordinary run) and, stricter, on the rules-only path.
"""
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
    share_of_check(docs)


def _timed(fn, *args, **kw) -> float:
    t = time.perf_counter()
    fn(*args, **kw)
    return time.perf_counter() - t


def share_of_check(docs) -> None:
    """Segmentation time against the time of a whole check of each document (warm)."""
    from lexalign.align import check
    seg = sum(_timed(segment, d) for d in docs)
    rules = sum(_timed(check, [d], use_embeddings=False) for d in docs)
    print(f"segment {seg:.2f} s vs rules-only check {rules:.2f} s -> {100 * seg / rules:.1f}% of a rules-only check")
    try:
        from lexalign.embed import load_model
        load_model(None)
    except Exception as exc:  # no model offline: the rules-only figure stands
        print(f"embedding model not available ({type(exc).__name__}); full-check share not measured")
        return
    # the full check embeds every provision: measured on the largest documents, where segmenting costs most
    sample = sorted(docs, key=lambda d: len(d.text), reverse=True)[:4]
    seg = sum(_timed(segment, d) for d in sample)
    full = sum(_timed(check, [d]) for d in sample)
    share = 100 * seg / full
    names = ", ".join(Path(d.source).name for d in sample)
    print(f"segment {seg:.2f} s vs full check {full:.2f} s on the 4 largest documents ({names}) -> "
          f"{share:.1f}% of a check (target < 5%: {'OK' if share < 5 else 'OVER'})")


if __name__ == "__main__":
    main()
