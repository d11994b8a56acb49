"""Reading files: encodings, formats, and clear refusals of bad input."""
from __future__ import annotations

import io

import pytest

from conftest import shared_file
from lexalign.errors import InputError, UsageError
from lexalign.ingest import ingest, ingest_bytes

TEXT = "Section 1. Any person who recruits a child for exploitation commits an offence — “élève”."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_text_encodings_are_detected_not_guessed_wrong(tmp_path, encoding):
    data = TEXT.encode(encoding)
    if encoding == "utf-16-le":
        data = TEXT.encode("utf-16-le")  # no BOM
    path = tmp_path / "law.txt"
    path.write_bytes(data)
    assert ingest(path).text.strip() == TEXT


def test_latin1_text_keeps_accents(tmp_path):
    path = tmp_path / "loi.txt"
    path.write_bytes("Article premier.- La traite des êtres humains est punie.".encode("latin-1"))
    doc = ingest(path)
    assert "êtres" in doc.text and doc.language == "fr"


def test_mixed_line_endings_and_control_characters_are_cleaned():
    doc = ingest_bytes(b"1. First\r\n2. Second\r3. Third\x00\x07 end\n", source="x.txt")
    assert doc.text.splitlines() == ["1. First", "2. Second", "3. Third end"]


@pytest.mark.parametrize("data,suffix,fragment", [
    (b"", ".txt", "empty"),
    (b"   \n\t  \n", ".txt", "empty"),
    (bytes(range(256)) * 40, ".txt", "not a text file"),
    (bytes(range(256)) * 40, ".pdf", "not a PDF"),
    (bytes(range(256)) * 40, ".html", "not a text file"),
    (b"<akomaNtoso><act><body><section eId='sec_1'>", ".xml", "not well-formed"),
])
def test_bad_input_gives_one_clear_error(data, suffix, fragment):
    with pytest.raises(InputError) as err:
        ingest_bytes(data, source=f"bad{suffix}", suffix=suffix)
    assert fragment in str(err.value) and "\n" not in str(err.value)


def test_missing_path_and_directory_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        ingest(tmp_path / "nope.txt")
    with pytest.raises(UsageError, match="is a directory"):
        ingest(tmp_path)


def test_size_limit_refuses_with_override_hint(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"1. Text.\n" * 2000)
    with pytest.raises(InputError, match="--max-size"):
        ingest(path, max_bytes=1000)
    assert ingest(path, max_bytes=None).text.startswith("1. Text.")


def test_html_body_text_and_title():
    html = b"<html><head><title>Act 1</title><script>alert(1)</script></head><body><h1>Act</h1><p>1. Any person who traffics.</p></body></html>"
    doc = ingest_bytes(html, source="a.html", suffix=".html")
    assert doc.title == "Act 1"
    assert "alert" not in doc.text and "1. Any person who traffics." in doc.text.splitlines()


def test_akoma_ntoso_sections_keep_their_eids():
    from lexalign.segment import flatten, segment
    xml = b"""<?xml version="1.0"?><akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><act><body>
    <section eId="sec_1"><num>1.</num><heading>Offence</heading>
    <subsection eId="sec_1__subsec_1"><num>(1)</num><content><p>A person who harbours another person for exploitation commits an offence.</p></content></subsection>
    </section></body></act></akomaNtoso>"""
    doc = ingest_bytes(xml, source="a.xml", suffix=".xml")
    provs = flatten(segment(doc))
    eids = [p.eid for p in provs]
    assert "sec_1" in eids and "sec_1__subsec_1" in eids
    sec = next(p for p in provs if p.eid == "sec_1")
    assert sec.heading == "Offence" and sec.citation == "s. 1"
    sub = next(p for p in provs if p.eid == "sec_1__subsec_1")
    assert "harbours another person" in doc.text[sub.start:sub.end]


def _pdf_bytes(text: str | None, password: str | None = None) -> bytes:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=300, height=300)
    if password:
        writer.encrypt(password)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_image_only_pdf_says_it_needs_ocr():
    with pytest.raises(InputError, match="no text layer.*OCR"):
        ingest_bytes(_pdf_bytes(None), source="scan.pdf", suffix=".pdf")


def test_password_protected_pdf_is_refused_clearly():
    with pytest.raises(InputError, match="password"):
        ingest_bytes(_pdf_bytes(None, password="secret"), source="locked.pdf", suffix=".pdf")


def test_truncated_pdf_fails_clearly_or_reads_what_it_can():
    data = shared_file("pdf/lk-saarc-trafficking-convention-act-30-2005.pdf").read_bytes()
    try:
        doc = ingest_bytes(data[: len(data) // 2], source="cut.pdf", suffix=".pdf")
    except InputError as err:
        assert "damaged" in str(err) or "truncated" in str(err) or "no text" in str(err)
    else:
        assert doc.text.strip()


def test_real_pdf_drops_running_headers_and_keeps_side_notes_as_headings():
    doc = ingest(shared_file("pdf/lk-saarc-trafficking-convention-act-30-2005.pdf"))
    assert len(doc.page_starts) == 10
    # the running head "Convention on Preventing and Combating 1" is gone from page bodies
    assert "Combating 1\n" not in doc.text and "\n2 Convention on Preventing" not in doc.text
    # the side note stands on its own line before the section it labels
    assert "Short title and date of operation.\n1. This Act may be cited" in doc.text
    import pdfplumber
    with pdfplumber.open(shared_file("pdf/lk-saarc-trafficking-convention-act-30-2005.pdf")) as pdf:
        expected = next(i + 1 for i, page in enumerate(pdf.pages) if "14. In this Act" in (page.extract_text() or ""))
    assert doc.page_at(doc.text.index("14. In this Act")) == expected


def test_language_detection():
    assert ingest(shared_file("cm-law-2011-024-fr.txt")).language == "fr"
    assert ingest(shared_file("co-ley-985-2005-es.txt")).language == "es"
    assert ingest(shared_file("my-atip-bill-2007.txt")).language == "en"


def test_fifty_megabyte_file_is_refused_by_default_with_the_override_named(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.seek(50 * 1024 * 1024 - 1)
        fh.write(b"\n")
    with pytest.raises(InputError, match=r"52\.4 MB is larger than the 20 MB limit; pass --max-size"):
        ingest(path)


def _one_page_pdf(commands: list[str]) -> bytes:
    """A one-page PDF in Helvetica whose content stream is ``commands`` (text operators)."""
    stream = ("BT /F1 11 Tf\n" + "\n".join(commands) + "\nET").encode("latin-1")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
            f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for k, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode() + b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_fake_bold_text_drawn_twice_is_read_once():
    lines = ["1. This Act may be cited as the Trafficking Act.", "2. A person who recruits a child commits an offence."]
    commands = [f"1 0 0 1 {60 + dx} {780 - 16 * k} Tm ({line}) Tj" for k, line in enumerate(lines) for dx in (0, 0.4)]
    doc = ingest_bytes(_one_page_pdf(commands), source="bold.pdf", suffix=".pdf")
    assert doc.text == "\n".join(lines) + "\n"
