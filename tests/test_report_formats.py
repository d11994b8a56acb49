"""Reports a drafter can take away: a Word file that Word opens, HTML that needs nothing else, and
every format rendered again from a stored report's JSON."""
from __future__ import annotations

import dataclasses
import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from conftest import SAMPLE
from lexalign.align import check
from lexalign.cli import main
from lexalign.ingest import ingest
from lexalign.models import Evidence, Finding
from lexalign.reference import load_catalogue
from lexalign.report import Report

docx = pytest.importorskip("docx")


@pytest.fixture(scope="module")
def report() -> Report:
    return check([ingest(SAMPLE / "sample-bill.txt")], use_embeddings=False)


def assert_valid_ooxml(data: bytes) -> None:
    """What Word needs before it opens a file: a sound ZIP, well-formed parts, declared types, rels that resolve."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        assert z.namelist()[0] == "[Content_Types].xml"
        types = ElementTree.fromstring(z.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType") for o in types if o.tag.endswith("Override")}
        assert overrides["/word/document.xml"].endswith("wordprocessingml.document.main+xml")
        for name in names:
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(z.read(name))  # raises on malformed XML
        for rels in [n for n in names if n.endswith(".rels")]:
            folder = posixpath.dirname(posixpath.dirname(rels))  # word/_rels/document.xml.rels -> word
            for rel in ElementTree.fromstring(z.read(rels)):
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
                assert path in names, (rels, path)


def test_docx_report_opens_and_holds_the_findings_tables(report):
    data = report.to_docx()
    assert_valid_ooxml(data)
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "lexalign report" in text and report._title() in text
    summary = document.tables[0]
    counts = {row.cells[0].text: row.cells[1].text for row in summary.rows[1:]}
    c = report.summary()["counts"]
    assert counts == {"covered": str(c["covered"]), "partial": str(c["partial"]), "missing": str(c["missing"]),
                      "red flags": str(c["raised"])}
    headers = {tuple(cell.text for cell in t.rows[0].cells) for t in document.tables}
    assert ("Element", "Verdict", "Citation", "Quoted words", "What to add") in headers
    rows = [row for t in document.tables if t.rows[0].cells[0].text == "Element" for row in t.rows[1:]]
    flags = {e.id for e in load_catalogue() if e.is_flag}
    non_flags = [f for f in report.findings if f.element not in flags]
    assert len(rows) == len(non_flags)
    by_id = {row.cells[0].paragraphs[0].text: row for row in rows}
    for f in non_flags:
        row = by_id[f.element]
        assert row.cells[1].paragraphs[0].text in ("covered", "partial", "missing")
        for ev in f.evidence:
            assert ev.citation in row.cells[2].text and ev.quote in row.cells[3].text
    missing_with_note = [f for f in non_flags if f.status == "missing"
                         and next(e for e in load_catalogue() if e.id == f.element).drafting_note]
    assert missing_with_note and all(by_id[f.element].cells[4].text.strip() for f in missing_with_note)


def test_docx_report_lists_raised_red_flags_and_the_offence_table(report):
    document = docx.Document(io.BytesIO(report.to_docx()))
    raised = [f.element for f in report.findings if f.status == "raised"]
    flag_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Red flag"]
    if raised:
        assert [r.cells[0].paragraphs[0].text for r in flag_tables[0].rows[1:]] == raised
    offence = [t for t in document.tables if t.rows[0].cells[0].text == "Offence"]
    assert len(offence) == 1 and len(offence[0].rows) == 1 + len(report.offences)


def test_docx_report_is_reproducible_and_in_the_report_language(report):
    assert report.to_docx() == report.to_docx()
    fr = docx.Document(io.BytesIO(report.to_docx("fr")))
    assert fr.paragraphs[0].text == "Rapport lexalign"
    assert any(t.rows[0].cells[0].text == "Élément" for t in fr.tables)


def test_control_characters_in_a_quote_do_not_break_the_word_file(report):
    odd = Finding("art3.act.recruitment", "covered", 0.9,
                  [Evidence("s. 1", "sec_1", "recruits\x0b a\x01 child\ufffe", 0, 10, None, "x.txt")], "Covered.")
    broken = Report(documents=report.documents, findings=[odd], provisions=1, model="m")
    document = docx.Document(io.BytesIO(broken.to_docx()))
    assert any("recruits a child" in c.text for t in document.tables for r in t.rows for c in r.cells)


def test_cli_writes_a_word_report_and_refuses_docx_on_stdout(tmp_path):
    out = tmp_path / "report.docx"
    res = CliRunner().invoke(main, ["check", str(SAMPLE / "sample-bill.docx"), "--format", "docx", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert_valid_ooxml(out.read_bytes())
    res = CliRunner().invoke(main, ["check", str(SAMPLE / "sample-bill.txt"), "--format", "docx"])
    assert res.exit_code == 2 and "--out" in res.stderr


def test_html_report_is_self_contained(report):
    page = report.to_html()
    assert "<style>" in page
    assert not re.search(r"<link\b|<script\b|<img\b|<iframe\b|@import|url\(", page, re.I)
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page, re.I)


def test_a_stored_report_renders_every_format_as_the_original(report):
    # JSON keeps confidences to 4 places: compare with the original rounded the same way
    rounded = dataclasses.replace(report, findings=[dataclasses.replace(f, confidence=round(f.confidence, 4))
                                                    for f in report.findings])
    again = Report.from_dict(report.to_dict())
    assert again.to_dict() == report.to_dict()
    report = rounded
    assert again.to_markdown() == report.to_markdown()
    assert again.to_html() == report.to_html()
    assert again.to_csv() == report.to_csv()
    assert again.to_docx() == report.to_docx()
