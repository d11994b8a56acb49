"""Make corpora/sample/sample-bill.docx from sample-bill.txt, numbered the way a drafter's Word file is.

Section numbers ("4.") and lettered paragraphs ("(a)") are real Word list numbering (a two-level
list in numbering.xml: level 1 "%1." decimal, level 2 "(%2)" lowerLetter restarting after each
section), so the paragraph text itself carries no number: this is what a reader of .docx has to
put back.  Subsection numbers ("(1)") stay typed, as drafters often leave them.  "PART" lines are
Heading 1, the part's title Heading 2, a section's side heading Heading 3, the bill's name Title.

The file is byte-for-byte reproducible (fixed dates in the package and in its ZIP entries):

    python scripts/make_sample_docx.py [IN.txt] [OUT.docx]
"""
from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from lexalign.report_docx import FIXED, reproducible_package

ROOT = Path(__file__).resolve().parents[1]
LIST_ID = 90  # a numId/abstractNumId the default template does not use

_SECTION = re.compile(r"^(\d+)\.\s+(.*)$")
_LETTER = re.compile(r"^\(([a-z])\)\s+(.*)$")
_PART = re.compile(r"^PART\s+[IVXLC]+$")


def _abstract_num() -> str:
    levels = []
    for ilvl, (fmt, text, indent) in enumerate([("decimal", "%1.", 0), ("lowerLetter", "(%2)", 720)]):
        levels.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{indent + 567}" w:hanging="567"/></w:pPr></w:lvl>')
    return (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{LIST_ID}"><w:multiLevelType w:val="multilevel"/>'
            + "".join(levels) + "</w:abstractNum>")


def _add_list(document) -> None:
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    abstract = parse_xml(_abstract_num())
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{LIST_ID}">'
                               f'<w:abstractNumId w:val="{LIST_ID}"/></w:num>'))


def _numbered(paragraph, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{LIST_ID}"/></w:numPr>'))


def build(lines: list[str]):
    """The Word document for the lines of a typed bill (blank lines become paragraph spacing)."""
    document = docx.Document()
    _add_list(document)
    props = document.core_properties
    props.title, props.author, props.created, props.modified = "", "lexalign sample", FIXED, FIXED
    props.last_modified_by, props.revision = "lexalign sample", 1
    section_no = 0
    letter_no = 0
    seen_part = False
    body = [ln.strip() for ln in lines]
    for i, line in enumerate(body):
        if not line:
            continue
        nxt = next((b for b in body[i + 1:] if b), "")
        sec, let = _SECTION.match(line), _LETTER.match(line)
        if not seen_part and i < 4 and line.isupper():
            document.add_paragraph(line, style="Title")
        elif _PART.match(line):
            seen_part = True
            document.add_paragraph(line, style="Heading 1")
        elif i and _PART.match(body[i - 1]):
            document.add_paragraph(line, style="Heading 2")
        elif sec and int(sec.group(1)) == section_no + 1:
            section_no, letter_no = section_no + 1, 0
            _numbered(document.add_paragraph(sec.group(2)), 0)
        elif let and ord(let.group(1)) - ord("a") == letter_no and section_no:
            letter_no += 1
            _numbered(document.add_paragraph(let.group(2)), 1)
        elif _SECTION.match(nxt) and not line.endswith((".", ";", ":", "—", ",")):
            document.add_paragraph(line, style="Heading 3")
        else:
            document.add_paragraph(line)
    return document


def main(argv: list[str]) -> int:
    src = Path(argv[0]) if argv else ROOT / "corpora" / "sample" / "sample-bill.txt"
    dst = Path(argv[1]) if len(argv) > 1 else src.with_suffix(".docx")
    document = build(src.read_text(encoding="utf-8").splitlines())
    buf = io.BytesIO()
    document.save(buf)
    dst.write_bytes(reproducible_package(buf.getvalue()))
    print(f"wrote {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
