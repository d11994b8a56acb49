"""Word files: list numbers put back where the text lacks them, and clear refusals of what is not Word."""
from __future__ import annotations

import io
import zipfile

import pytest
from click.testing import CliRunner

from conftest import SAMPLE
from lexalign.cli import main
from lexalign.errors import InputError
from lexalign.ingest import ingest, ingest_bytes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                 '2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')


def p(text: str = "", num: tuple[int, int] | None = None, style: str | None = None, extra: str = "") -> str:
    ppr = ""
    if style or num:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "")
        if num:
            ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
        ppr += "</w:pPr>"
    run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f"<w:p>{ppr}{run}{extra}</w:p>"


def level(ilvl: int, fmt: str, text: str, start: int = 1, restart: int | None = None) -> str:
    r = f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else ""
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{r}'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


def numbering(abstracts: dict[int, list[str]], nums: dict[int, tuple[int, str]]) -> str:
    body = "".join(f'<w:abstractNum w:abstractNumId="{a}">{"".join(lvls)}</w:abstractNum>'
                   for a, lvls in abstracts.items())
    body += "".join(f'<w:num w:numId="{n}"><w:abstractNumId w:val="{a}"/>{over}</w:num>'
                    for n, (a, over) in nums.items())
    return f'<w:numbering xmlns:w="{W}">{body}</w:numbering>'


def make_docx(paragraphs: list[str], numbering_xml: str | None = None, styles_xml: str | None = None,
              compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                        f'<w:document xmlns:w="{W}"><w:body>{"".join(paragraphs)}</w:body></w:document>')
        if numbering_xml:
            z.writestr("word/numbering.xml", numbering_xml)
        if styles_xml:
            z.writestr("word/styles.xml", styles_xml)
    return buf.getvalue()


def lines(data: bytes, name: str = "bill.docx") -> list[str]:
    doc = ingest_bytes(data, source=name, suffix="." + name.rsplit(".", 1)[-1])
    assert doc.format == "docx"
    return [ln for ln in doc.text.splitlines() if ln]


SECTIONS = {1: [level(0, "decimal", "%1."), level(1, "decimal", "(%2)"), level(2, "lowerLetter", "(%3)"),
                level(3, "lowerRoman", "(%4)")]}


def test_list_numbers_come_back_as_the_provision_numbers_word_prints():
    body = [p("Short title", style=None), p("This Act may be cited as the Act.", (1, 0)),
            p("A person who recruits another person by—", (1, 0)), p("Any person who—", (1, 1)),
            p("uses force;", (1, 2)), p("uses fraud:", (1, 2)), p("by deceit; or", (1, 3)), p("by trickery,", (1, 3)),
            p("commits an offence.", None), p("A person who attempts commits an offence.", (1, 1))]
    got = lines(make_docx(body, numbering(SECTIONS, {1: (1, "")})))
    assert got == ["Short title", "1. This Act may be cited as the Act.", "2. A person who recruits another person by—",
                   "(1) Any person who—", "(a) uses force;", "(b) uses fraud:", "(i) by deceit; or", "(ii) by trickery,",
                   "commits an offence.", "(2) A person who attempts commits an offence."]


def test_deeper_levels_restart_when_a_higher_level_moves_on_unless_told_not_to():
    abstracts = {1: [level(0, "upperLetter", "%1."), level(1, "lowerLetter", "(%2)"),
                     level(2, "decimal", "%1.%3", restart=0)]}
    body = [p("one", (1, 0)), p("x", (1, 1)), p("y", (1, 1)), p("deep", (1, 2)), p("two", (1, 0)), p("x again", (1, 1)),
            p("deep again", (1, 2))]
    got = lines(make_docx(body, numbering(abstracts, {1: (1, "")})))
    assert got == ["A. one", "(a) x", "(b) y", "A.1 deep", "B. two", "(a) x again", "B.2 deep again"]


def test_a_list_instance_with_a_start_override_restarts_its_count():
    abstracts = {1: [level(0, "lowerLetter", "(%1)")]}
    nums = {1: (1, ""), 2: (1, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'),
            3: (1, "")}
    body = [p("first", (1, 0)), p("second", (1, 0)), p("again", (2, 0)), p("and on", (2, 0)), p("shared", (3, 0))]
    got = lines(make_docx(body, numbering(abstracts, nums)))
    assert got == ["(a) first", "(b) second", "(a) again", "(b) and on", "(c) shared"]


def test_a_number_typed_as_well_as_listed_is_printed_once_and_bullets_print_none():
    abstracts = {1: [level(0, "lowerLetter", "(%1)")], 2: [level(0, "bullet", "\uf0b7")]}
    body = [p("(a) typed and listed", (1, 0)), p("listed only", (1, 0)), p("a bullet", (2, 0)),
            p("not listed", (1, 0), extra="") .replace('<w:numId w:val="1"/>', '<w:numId w:val="0"/>')]
    got = lines(make_docx(body, numbering(abstracts, {1: (1, ""), 2: (2, "")})))
    assert got == ["(a) typed and listed", "(b) listed only", "a bullet", "not listed"]


def test_numbering_and_headings_come_from_the_paragraph_style():
    styles = (f'<w:styles xmlns:w="{W}">'
              '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Section"><w:name w:val="Section"/>'
              '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
              '<w:style w:type="paragraph" w:styleId="Sub"><w:name w:val="Sub"/><w:basedOn w:val="Section"/></w:style>'
              '</w:styles>')
    abstracts = {1: [level(0, "decimal", "%1.").replace("</w:lvl>", '<w:pStyle w:val="Section"/></w:lvl>'),
                     level(1, "decimal", "(%2)").replace("</w:lvl>", '<w:pStyle w:val="Sub"/></w:lvl>')]}
    body = [p("PART I", style="Heading1"), p("Interpretation", style="Heading1"), p("In this Act—", style="Section"),
            p("words mean words.", style="Sub"), p("Body text."), p("OFFENCES", style="Heading1"),
            p("Offence.", style="Section")]
    doc = ingest_bytes(make_docx(body, numbering(abstracts, {1: (1, "")}), styles), source="b.docx", suffix=".docx")
    assert doc.text.split("\n") == ["PART I", "Interpretation", "1. In this Act—", "(1) words mean words.",
                                    "Body text.", "", "OFFENCES", "2. Offence."]


def test_a_heading_numbered_without_a_full_stop_reads_as_a_section():
    from lexalign.segment import flatten, segment
    styles = (f'<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>'
              '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style></w:styles>')
    body = [p("Part 2 Offences"), p("Trafficking in persons", style="Heading2"),
            p("(1) A person who recruits another person by force for exploitation commits an offence."),
            p("(2) The penalty is imprisonment for 20 years."), p("Trafficking in children", style="Heading2"),
            p("A person who recruits a child for exploitation commits an offence.")]
    data = make_docx(body, numbering({1: [level(0, "decimal", "%1", start=3)]}, {1: (1, "")}), styles)
    doc = ingest_bytes(data, source="act.docx", suffix=".docx")
    got = [(x.citation, x.heading) for x in flatten(segment(doc)) if x.kind in ("section", "subsection")]
    assert got == [("s. 3", "Trafficking in persons"), ("s. 3(1)", ""), ("s. 3(2)", ""),
                   ("s. 4", "Trafficking in children")]


def test_tables_deletions_hidden_text_and_breaks():
    cell = lambda t: f"<w:tc>{p(t)}</w:tc>"  # noqa: E731
    table = f"<w:tbl><w:tr>{cell('Offence')}{cell('Penalty')}</w:tr><w:tr>{cell('Trafficking')}{cell('20 years')}</w:tr></w:tbl>"
    tracked = ('<w:p><w:r><w:t>A person who </w:t></w:r><w:del><w:r><w:delText>sells</w:delText></w:r></w:del>'
               '<w:ins><w:r><w:t>recruits</w:t></w:r></w:ins><w:r><w:rPr><w:vanish/></w:rPr><w:t> HIDDEN</w:t></w:r>'
               '<w:r><w:tab/><w:t>a child</w:t><w:br/><w:t>commits an offence.</w:t></w:r></w:p>')
    got = lines(make_docx([table, tracked]))
    assert got == ["Offence", "Penalty", "Trafficking", "20 years", "A person who recruits a child", "commits an offence."]
    doc = ingest_bytes(make_docx([tracked]), source="b.docx", suffix=".docx")
    assert doc.warnings == ["the Word file has tracked changes (1 insertions, 1 deletions): "
                            "it was read as if they were all accepted"]


def test_footnotes_left_out_are_said_and_a_plain_file_warns_of_nothing():
    note = p("A person who recruits a child commits an offence.", extra='<w:r><w:footnoteReference w:id="1"/></w:r>')
    doc = ingest_bytes(make_docx([note]), source="b.docx", suffix=".docx")
    assert len(doc.warnings) == 1 and "1 footnote(s)/endnote(s) were not read" in doc.warnings[0]
    assert ingest(SAMPLE / "sample-bill.docx").warnings == []


def test_a_stored_uncompressed_docx_is_read_as_word_whatever_its_name():
    data = make_docx([p("1. A person who recruits a child commits an offence.")], compression=zipfile.ZIP_STORED)
    assert b"<w:t" in data  # the XML is visible in the raw bytes: the old reader took it for text
    for name in ("bill.docx", "bill.txt", "bill"):
        doc = ingest_bytes(data, source=name, suffix="." + name.split(".")[-1] if "." in name else "")
        assert doc.format == "docx" and "<w:" not in doc.text and "recruits a child" in doc.text


def test_sample_bill_docx_reads_as_its_txt():
    docx_text = ingest(SAMPLE / "sample-bill.docx").text
    txt = ingest(SAMPLE / "sample-bill.txt").text
    assert [ln for ln in docx_text.splitlines() if ln] == [ln for ln in txt.splitlines() if ln]
    with zipfile.ZipFile(SAMPLE / "sample-bill.docx") as z:
        xml = z.read("word/document.xml").decode()
    assert "(a) " not in xml and "<w:numPr>" in xml  # the letters are Word's list numbering, not typed


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500


@pytest.mark.parametrize("data,name,fragment", [
    (b"1. A plain text bill that someone renamed.\n", "bill.docx", "not a Word file"),
    (_zip({"readme.txt": b"hello", "data.csv": b"a,b"}), "bill.docx", "not a Word document"),
    (_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), "bill.odt", "OpenDocument"),
    (make_docx([p("text")])[:200], "bill.docx", "damaged or truncated"),
    (OLE, "bill.doc", "old binary Word"),
    (OLE + "EncryptedPackage".encode("utf-16-le"), "bill.docx", "password-protected"),
    (b"{\\rtf1\\ansi Section 1. Text}", "bill.rtf", "Rich Text"),
    (_zip({"word/document.xml": b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]><w:document/>"}), "bill.docx", "DOCTYPE"),
    (_zip({"word/document.xml": b"<w:document xmlns:w='" + W.encode() + b"'><w:body><w:p>"}), "bill.docx",
     "not well-formed"),
])
def test_what_is_not_a_readable_word_file_gets_one_clear_line(data, name, fragment):
    with pytest.raises(InputError) as err:
        ingest_bytes(data, source=name, suffix="." + name.rsplit(".", 1)[-1])
    assert fragment in str(err.value) and "\n" not in str(err.value)


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    bomb = _zip({"word/document.xml": b"<w:document>" + b" " * 50_000_000 + b"</w:document>"})
    assert len(bomb) < 200_000
    with pytest.raises(InputError, match="zip bomb"):
        ingest_bytes(bomb, source="bomb.docx", suffix=".docx")


def test_cli_exits_3_with_one_line_for_a_renamed_doc(tmp_path, monkeypatch):
    (tmp_path / "bill.docx").write_bytes(OLE)
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, ["check", "bill.docx"])
    assert res.exit_code == 3
    assert res.stderr.strip().count("\n") == 0 and "save it as .docx" in res.stderr
