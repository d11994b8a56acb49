"""The same bill as .txt, as a Word file and as a printed PDF gives the same verdicts.

A drafter sends whatever file they have; a verdict that changed with the file format would be a
verdict about the export, not about the law.  The .docx numbers its sections and lettered
paragraphs with Word's list numbering (scripts/make_sample_docx.py); the PDF is the bill printed by
Chromium with wrapped lines and a running footer (scripts/make_sample_pdf.py).
"""
from __future__ import annotations

import pytest

from conftest import SAMPLE
from lexalign.align import check
from lexalign.ingest import ingest


@pytest.fixture(scope="module")
def verdicts():
    out = {}
    for suffix in ("txt", "docx", "pdf"):
        report = check([ingest(SAMPLE / f"sample-bill.{suffix}")])
        out[suffix] = {f.element: (f.status, [e.citation for e in f.evidence]) for f in report.findings}
    return out


@pytest.mark.parametrize("suffix", ["docx", "pdf"])
def test_sample_bill_gives_the_same_element_statuses_as_its_txt(verdicts, suffix):
    txt, other = verdicts["txt"], verdicts[suffix]
    assert len(other) == len(txt) == 84
    assert {e: (txt[e][0], other[e][0]) for e in txt if txt[e][0] != other[e][0]} == {}


@pytest.mark.parametrize("suffix", ["docx", "pdf"])
def test_sample_bill_cites_the_same_provisions_as_its_txt(verdicts, suffix):
    txt, other = verdicts["txt"], verdicts[suffix]
    assert {e: (txt[e][1], other[e][1]) for e in txt if txt[e][1] != other[e][1]} == {}


def test_printed_pdf_keeps_the_side_heading_above_a_wrapped_first_line():
    # "Using the services of a victim" / "10. A person who knowingly uses ... commits an" / "offence ..."
    from lexalign.segment import flatten, segment
    doc = ingest(SAMPLE / "sample-bill.pdf")
    sections = {p.citation: p.heading for p in flatten(segment(doc)) if p.kind == "section"}
    assert sections["s. 10"] == "Using the services of a victim"
    assert sections["s. 9"] == "Aggravating circumstances"


PRINTED = """PART II
OFFENCES
Aggravating circumstances
9. The court shall treat as an aggravating circumstance the fact that the offence was committed by a
public official.
Using the services of a victim
10. {first}
{rest}
Non-liability of victims
11. A victim is not criminally liable for any offence relating to unlawful entry.
"""


@pytest.mark.parametrize("first,rest", [
    ("A person who knowingly uses the labour or services of a victim of trafficking commits an",
     "offence and is liable on conviction to imprisonment for five years."),  # stops on "an"
    ("A person who knowingly uses the labour or services of a victim of trafficking",
     "commits an offence and is liable on conviction to imprisonment for five years."),  # goes on in lower case
])
def test_a_wrapped_first_line_is_not_an_inline_heading(first, rest):
    from lexalign.ingest import ingest_bytes
    from lexalign.segment import flatten, segment
    doc = ingest_bytes(PRINTED.format(first=first, rest=rest).encode(), source="printed.txt")
    sections = {p.citation: p.heading for p in flatten(segment(doc)) if p.kind == "section"}
    assert sections == {"s. 9": "Aggravating circumstances", "s. 10": "Using the services of a victim",
                        "s. 11": "Non-liability of victims"}


def test_an_inline_heading_still_keeps_the_line_above_out():
    from lexalign.ingest import ingest_bytes
    from lexalign.segment import flatten, segment
    text = ("PART I\nPRELIMINARY\n1. Short title\n(1) This Act may be cited as the Act.\n"
            "2. Interpretation\n(1) In this Act, child means a person under eighteen.\n")
    sections = {p.citation: p.heading for p in flatten(segment(ingest_bytes(text.encode(), source="x.txt")))
                if p.kind == "section"}
    assert sections == {"s. 1": "Short title", "s. 2": "Interpretation"}
