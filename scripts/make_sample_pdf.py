"""Make corpora/sample/sample-bill.pdf from sample-bill.txt, printed by Chromium as a drafter prints.

The bill is laid out as a printed bill: title and PART lines centred, side headings in bold,
body justified on A4 so that long provisions wrap over several lines, and a running footer
("Prevention of Trafficking in Persons Bill, 2026 — page N of M") on every page.  A reader of the
PDF must then undo what printing does (wrapped lines, page furniture) to read what the .txt says.

Needs Chromium (apt-get install chromium) and playwright (pip install playwright):

    python scripts/make_sample_pdf.py [IN.txt] [OUT.pdf]
"""
from __future__ import annotations

import html
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_SECTION = re.compile(r"^\d+\.\s")
_PART = re.compile(r"^PART\s+[IVXLC]+$")

CSS = """
@page { size: A4; margin: 25mm 22mm 25mm 22mm; }
body { font-family: 'Liberation Serif', 'Times New Roman', serif; font-size: 11.5pt; line-height: 1.35; }
p { margin: 0 0 5pt 0; text-align: justify; }
p.title { text-align: center; font-weight: bold; font-size: 13pt; margin-bottom: 9pt; }
p.part { text-align: center; font-weight: bold; margin-top: 12pt; margin-bottom: 0; }
p.part-title { text-align: center; font-weight: bold; margin-bottom: 9pt; }
p.side { font-weight: bold; margin-top: 8pt; margin-bottom: 2pt; }
p.para { margin-left: 10mm; }
"""


def page_html(lines: list[str]) -> str:
    body = [ln.strip() for ln in lines]
    out = []
    seen_part = False
    for i, line in enumerate(body):
        if not line:
            continue
        nxt = next((b for b in body[i + 1:] if b), "")
        cls = ""
        if not seen_part and i < 8 and (line.isupper() or line.startswith("(")):
            cls = "title"
        elif _PART.match(line):
            seen_part, cls = True, "part"
        elif i and _PART.match(body[i - 1]):
            cls = "part-title"
        elif _SECTION.match(nxt) and not line.endswith((".", ";", ":", "—", ",")):
            cls = "side"
        elif re.match(r"^\([a-z]\)\s", line):
            cls = "para"
        out.append(f'<p class="{cls}">{html.escape(line)}</p>' if cls else f"<p>{html.escape(line)}</p>")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>sample bill</title><style>{CSS}</style>"
            "</head><body>" + "\n".join(out) + "</body></html>")


FOOTER = ("<div style=\"font-size:8pt;width:100%;text-align:center;font-family:serif\">"
          "Prevention of Trafficking in Persons Bill, 2026 &#8212; page <span class='pageNumber'></span> of "
          "<span class='totalPages'></span></div>")


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright
    src = Path(argv[0]) if argv else ROOT / "corpora" / "sample" / "sample-bill.txt"
    dst = Path(argv[1]) if len(argv) > 1 else src.with_suffix(".pdf")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.set_content(page_html(src.read_text(encoding="utf-8").splitlines()))
        page.pdf(path=str(dst), format="A4", display_header_footer=True, header_template="<span></span>",
                 footer_template=FOOTER, margin={"top": "25mm", "bottom": "25mm", "left": "22mm", "right": "22mm"})
        browser.close()
    print(f"wrote {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
