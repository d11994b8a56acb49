"""Cameroon's whole OCR Penal Code read with Law 2011/024: time against the issue-14 target.

Target: checking the Law with the whole English Penal Code (261 KB of OCR text, 297 print-page
headers) takes under 3 x (loading the model + embedding the Code's and the Law's lines once), and
it finds s. 342-1 and the general part (ss. 94-100) as sections of their own.

Run: ``python benchmarks/bench_cameroon.py [../shared/corpora]``. The embedding cache is pointed at
a fresh temporary folder so that the figure is a cold, honest one.
"""
from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

CORPORA = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "corpora")


def main() -> None:
    os.environ["LEXALIGN_CACHE"] = tempfile.mkdtemp(prefix="lexalign-bench-")
    law_path = CORPORA / "cm-law-2011-024-full-fr.txt"
    code_path = CORPORA / "cm-penal-code-2016-full-en-ocr.txt"
    if not code_path.exists():
        print(f"skipped: {code_path} not found")
        return
    t0 = time.perf_counter()
    from lexalign.embed import encode, load_model
    load_model(None)
    t_load = time.perf_counter() - t0
    from lexalign.align import check
    from lexalign.ingest import ingest
    from lexalign.models import walk_all
    from lexalign.segment import segment

    law, code = ingest(law_path), ingest(code_path)
    lines = [ln for d in (law, code) for ln in d.text.splitlines() if ln.strip()]
    t1 = time.perf_counter()
    encode(lines)
    t_lines = time.perf_counter() - t1
    base = t_load + t_lines

    t2 = time.perf_counter()
    provisions = segment(code)
    t_seg = time.perf_counter() - t2
    sections = {p.num for p in walk_all(provisions) if p.kind in ("section", "article")}
    wanted = ["342-1", *[str(n) for n in range(94, 101)]]
    found = [n for n in wanted if n in sections]

    t3 = time.perf_counter()
    report = check([law, code])
    t_check = time.perf_counter() - t3
    covered = sum(1 for f in report.findings if f.status == "covered")
    print(f"model load {t_load:.1f} s; embedding the {len(lines)} lines of Law + Code once {t_lines:.1f} s "
          f"-> baseline {base:.1f} s")
    print(f"segmenting the whole Code: {t_seg:.2f} s, {len(sections)} numbered sections; "
          f"found {len(found)}/{len(wanted)} of s. 342-1 and ss. 94-100" +
          ("" if len(found) == len(wanted) else f" (missing: {sorted(set(wanted) - set(found))})"))
    print(f"check of Law + whole Code (model loaded): {t_check:.1f} s; cold (load + check) {t_load + t_check:.1f} s "
          f"vs target 3 x baseline = {3 * base:.1f} s -> {'OK' if t_load + t_check <= 3 * base else 'OVER'}")
    print(f"elements covered: {covered}; peak resident memory "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
