"""Cost of PDF input (issue 22): reading must grow with the pages and stay small in memory.

Writes statute-like PDFs of 500, 1,000 and 4,000 pages (numbered sections and lettered paragraphs
made from sentences of the shared development statutes, a running head and a page number on each
page; see ``pdf_maker.py``), prints a dense 60-page gazette (about 170 KB of text from development
statutes, 7.5-point type) with headless Chromium when it is installed (else writes it directly), and
reads each one with ingest + segment in a fresh process, printing the time (start-up excluded) and
the peak memory.  The Barbados bill of ../shared/corpora/pdf is read the same way.

Targets (wall or CPU seconds, whichever is lower: the CPU figure holds on a shared machine): 4,000 pages in at most 60 s and 1 GB; 8x the pages at most 9x the time (4,000 / 500);
the Barbados bill under 2 s; the gazette under 10 s.  Exits non-zero when one is missed.

Usage: python benchmarks/bench_pdf.py [--shared ../shared/corpora] [--workdir DIR] [--pages 500,1000,4000]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pdf_maker import HELD_OUT, chromium_pdf, gazette_html, statute_lines, write_pdf  # noqa: E402

LINES_PER_PAGE = 40
_READ = """
import json, sys, time
from lexalign.ingest import ingest
from lexalign.segment import flatten, segment
t, c = time.perf_counter(), time.process_time()
doc = ingest(sys.argv[1], max_bytes=None)
read = time.perf_counter() - t
n = len(flatten(segment(doc)))
print(json.dumps({"read": read, "total": time.perf_counter() - t, "cpu": time.process_time() - c, "pages": len(doc.page_starts),
                  "chars": len(doc.text), "provisions": n}))
"""


def measure(path: Path) -> dict:
    """ingest + segment of one PDF in a fresh process: seconds (without start-up) and peak MB."""
    proc = subprocess.Popen([sys.executable, "-c", _READ, str(path)], stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench_pdf: reading {path} failed")
    res = json.loads(out.strip().splitlines()[-1])
    res["peak_mb"] = usage.ru_maxrss / 1024
    return res


def gazette(shared: Path, work: Path) -> tuple[Path, str]:
    """A dense 60-page gazette of about 170 KB of text: Chromium's print-to-PDF, else written directly."""
    names = ["my-atip-bill-2007.txt", "ar-ley-26364-trata-es.txt", "zm-anti-human-trafficking-act-2008.txt",
             "ke-ctip-2010.txt", "gh-human-trafficking-act-2005.txt", "na-ctip-act-2018.txt"]
    text, used = "", []
    for name in names:
        p = shared / name
        if p.exists() and not p.stem.startswith(HELD_OUT) and len(text) < 170_000:
            text += p.read_text(encoding="utf-8") + "\n"
            used.append(name)
    text = text[:170_000]
    path = work / "gazette.pdf"
    if chromium_pdf(gazette_html(text), path, work):
        return path, f"Chromium print-to-PDF of {', '.join(used)}"
    lines = [ln for raw in text.splitlines() for ln in _wrap(raw, 160)]
    write_pdf(path, lines, per_page=max(1, len(lines) // 60 + 1), font_size=6.5)
    return path, f"written directly (Chromium not found) from {', '.join(used)}"


def _wrap(text: str, width: int) -> list[str]:
    words, out, line = text.split(), [], ""
    for w in words:
        if line and len(line) + len(w) + 1 > width:
            out.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return out + ([line] if line else [])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpora"))
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--pages", default="500,1000,4000")
    args = ap.parse_args()
    shared = Path(args.shared)
    if not shared.is_dir():
        sys.exit(f"bench_pdf: shared corpus not found at {shared}")
    work = Path(args.workdir or tempfile.mkdtemp(prefix="lexalign-pdf-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    ok = True
    sizes = [int(x) for x in args.pages.split(",")]
    lines = statute_lines(shared, max(sizes) * LINES_PER_PAGE)
    times, peaks, cpus = {}, {}, {}
    for n in sizes:
        path = work / f"generated-{n}.pdf"
        write_pdf(path, lines[:n * LINES_PER_PAGE], per_page=LINES_PER_PAGE)
        r = measure(path)
        times[n], peaks[n], cpus[n] = r["total"], r["peak_mb"], r["cpu"]
        print(f"  {n:5d} generated pages ({r['chars'] / 1e6:.1f} M chars): read {r['read']:.1f} s, with segment "
              f"{r['total']:.1f} s ({r['cpu']:.1f} CPU s), peak {r['peak_mb']:.0f} MB [load {os.getloadavg()[0]:.2f}]", flush=True)
    if 4000 in times:
        r_ok = min(times[4000], cpus[4000]) <= 60 and peaks[4000] <= 1024
        print(f"  4000 pages: {times[4000]:.1f} s, {cpus[4000]:.1f} CPU s, {peaks[4000]:.0f} MB "
              f"(done when <= 60 s and <= 1024 MB): {'ok' if r_ok else 'MISSED'}")
        ok &= r_ok
    if len(sizes) > 1:
        ratio = times[sizes[-1]] / times[sizes[0]]
        cpu_ratio = cpus[sizes[-1]] / cpus[sizes[0]]
        lin = min(ratio, cpu_ratio) <= 9 * (sizes[-1] / sizes[0]) / 8
        print(f"  {sizes[-1] / sizes[0]:.0f}x the pages took {ratio:.1f}x the time, {cpu_ratio:.1f}x the CPU time "
              f"(done when <= {9 * (sizes[-1] / sizes[0]) / 8:.1f}x): {'ok' if lin else 'MISSED'}")
        ok &= lin
    bb = shared / "pdf" / "bb-trafficking-in-persons-prevention-bill-2016.pdf"
    if bb.exists():
        r = measure(bb)
        good = min(r["total"], r["cpu"]) < 2
        print(f"  Barbados bill ({r['pages']} pages): read {r['read']:.2f} s, with segment {r['total']:.2f} s ({r['cpu']:.2f} CPU s), "
              f"peak {r['peak_mb']:.0f} MB (done when < 2 s): {'ok' if good else 'MISSED'}")
        ok &= good
    path, how = gazette(shared, work)
    r = measure(path)
    good = min(r["total"], r["cpu"]) < 10
    print(f"  gazette ({r['pages']} pages, {r['chars'] / 1e3:.0f} K chars; {how}): read {r['read']:.2f} s, "
          f"with segment {r['total']:.2f} s ({r['cpu']:.2f} CPU s), peak {r['peak_mb']:.0f} MB (done when < 10 s): {'ok' if good else 'MISSED'}")
    ok &= good
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
