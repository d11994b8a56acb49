"""Statute-like PDFs for the benchmarks, written directly (no PDF library needed).

``write_pdf`` lays out lines of text on A4 pages with a standard font (Helvetica, WinAnsi), a
running head and a page number, as a printed bill has; ``statute_lines`` makes numbered sections
from sentences of the shared corpus (development statutes only), every page different.
``chromium_pdf`` prints an HTML page with Chromium's headless print-to-PDF, when Chromium is there.
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import zlib
from pathlib import Path

HELD_OUT = ("ls-atip-act-2011", "zw-tip-act-2014", "uy-ley-19643-trata-es", "ar-codigo-penal-145bis-145ter-140-127-es",
            "au-criminal-code", "dj-loi-133", "gt-codigo-penal", "qa-law-15", "tr-criminal-code")


def corpus_sentences(shared: Path) -> list[str]:
    sources = sorted(p for p in shared.glob("*.txt")
                     if not p.name.startswith(("palermo", "un-")) and not p.stem.startswith(HELD_OUT)
                     and p.stat().st_size < 2_000_000)
    flat = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in sources)
    return [s for s in re.split(r"(?<=[.;:])\s+", flat) if 20 < len(s) < 400]


def _wrap(text: str, width: int) -> list[str]:
    out, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        out.append(line)
    return out


def statute_lines(shared: Path, n_lines: int, width: int = 95) -> list[str]:
    """About ``n_lines`` wrapped lines of numbered sections with lettered paragraphs."""
    sentences = corpus_sentences(shared)
    lines, k, sec = [], 0, 1
    while len(lines) < n_lines:
        lines.append(f"Section heading number {sec}")
        lines += _wrap(f"{sec}. (1) {sentences[k % len(sentences)]}", width)
        k += 1
        for label in "abc":
            lines += _wrap(f"({label}) {sentences[k % len(sentences)]}", width)
            k += 1
        sec += 1
    return lines[:n_lines]


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def write_pdf(path: Path, lines: list[str], per_page: int = 50, font_size: float = 10.0,
              head: str = "Trafficking in Persons Act") -> int:
    """Write ``lines`` as A4 pages of ``per_page`` lines; returns the number of pages."""
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    objects: list[bytes] = []
    n = len(pages)
    # 1 catalog, 2 pages, 3 font, then (page, content) pairs
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    leading = font_size * 1.35
    for i, page in enumerate(pages):
        ops = [b"BT", f"/F1 9 Tf 1 0 0 1 200 810 Tm".encode(), b"(" + _escape(head) + b") Tj",
               f"/F1 {font_size:g} Tf {leading:g} TL 1 0 0 1 60 780 Tm".encode()]
        for line in page:
            ops.append(b"(" + _escape(line) + b") '")
        ops.append(f"/F1 9 Tf 1 0 0 1 290 30 Tm ({i + 1}) Tj".encode())
        ops.append(b"ET")
        stream = zlib.compress(b"\n".join(ops))
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {5 + 2 * i} 0 R >>".encode())
        objects.append(f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    Path(path).write_bytes(bytes(out))
    return n


def chromium_pdf(html_text: str, path: Path, workdir: Path) -> bool:
    """Print ``html_text`` to ``path`` with headless Chromium; False when Chromium is not installed or fails."""
    exe = next((shutil.which(x) for x in ("chromium", "chromium-browser", "google-chrome") if shutil.which(x)), None)
    if exe is None:
        return False
    page = workdir / "gazette.html"
    page.write_text(html_text, encoding="utf-8")
    try:
        subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--print-to-pdf={path}", page.as_uri()], capture_output=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return path.exists() and path.stat().st_size > 0


def gazette_html(text: str, title: str = "OFFICIAL GAZETTE") -> str:
    """A dense gazette page: small type, narrow margins, one paragraph per line of the statute."""
    paras = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title><style>"
            "@page { size: A4; margin: 12mm 12mm; } body { font: 7.5pt/1.2 'DejaVu Serif', serif; } "
            "p { margin: 0 0 1.5pt 0; } h1 { font-size: 9pt; text-align: center; }"
            f"</style></head><body><h1>{title}</h1>\n{paras}</body></html>")
