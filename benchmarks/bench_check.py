"""Cost of `check`: model load, stage split, cold vs warm, and the 62 KB Malaysian bill target.

Target (issue 3): checking the Malaysian bill takes no more than twice the time of loading the model
and embedding its lines once, and peaks under 1.5 GB. Issue 13 (semantic retrieval and the learned
decision) tightens the time target to 1.5 times.
"""
from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

CORPORA = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "corpora")


def main() -> None:
    t0 = time.perf_counter()
    from lexalign.embed import encode, load_model
    load_model(None)
    t_load = time.perf_counter() - t0
    from lexalign.align import analyse, build_units, decide
    from lexalign.ingest import ingest
    from lexalign.report import Report
    from lexalign.segment import segment

    my = CORPORA / "my-atip-bill-2007.txt"
    doc = ingest(my)
    lines = [ln for ln in doc.text.splitlines() if ln.strip()]
    t1 = time.perf_counter()
    encode(lines)
    t_embed_lines = time.perf_counter() - t1
    baseline = t_load + t_embed_lines

    def timed_check(d):
        s = {}
        a = time.perf_counter(); segs = segment(d); s["segment"] = time.perf_counter() - a
        a = time.perf_counter(); ctx = analyse([d]); s["analyse (rules+embed)"] = time.perf_counter() - a - s["segment"]
        from lexalign.retrieve import attach_retrieval
        a = time.perf_counter(); attach_retrieval(ctx); s["of which retrieval (re-run)"] = time.perf_counter() - a
        a = time.perf_counter(); fs = decide(ctx); s["decide (rules, calibration, learned)"] = time.perf_counter() - a
        a = time.perf_counter(); Report.build([d], ctx, fs).to_html(); s["report"] = time.perf_counter() - a
        del segs
        return s

    a = time.perf_counter()
    stages = timed_check(doc)
    t_check_warm = time.perf_counter() - a
    print(f"model load: {t_load:.2f} s; embedding the bill's {len(lines)} lines once: {t_embed_lines:.2f} s")
    print(f"check of the Malaysian bill (model already loaded): {t_check_warm:.2f} s")
    print(f"cold check (load + check): {t_load + t_check_warm:.2f} s vs target 2 x (load + embed lines) = {2 * baseline:.2f} s "
          f"-> {'OK' if t_load + t_check_warm <= 2 * baseline else 'OVER'}")
    print(f"issue 13 target: cold check <= 1.5 x (load + embed lines) = {1.5 * baseline:.2f} s "
          f"-> {'OK' if t_load + t_check_warm <= 1.5 * baseline else 'OVER'}")
    print("stage split (s): " + ", ".join(f"{k} {v:.3f}" for k, v in stages.items()))
    files = sorted(p for p in CORPORA.rglob("*") if p.suffix in (".txt", ".pdf"))
    a = time.perf_counter()
    t_ing = 0.0
    for p in files:
        b = time.perf_counter(); d = ingest(p); t_ing += time.perf_counter() - b
        timed_check(d)
    dt = time.perf_counter() - a
    print(f"shared corpus: {len(files)} documents in {dt:.1f} s warm = {len(files) / dt:.2f} documents/s (ingest {t_ing:.2f} s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MB (target < 1500 MB)")


if __name__ == "__main__":
    main()
