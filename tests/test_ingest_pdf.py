"""Both PDF readers: PDFium (the default) and pdfplumber (where PDFium cannot open a file) give the text."""
from __future__ import annotations

import pytest

from conftest import shared_file


def test_the_pdfplumber_fallback_reads_a_statute_like_pdfium():
    from lexalign.ingest_pdf import _read_pdf_pdfplumber, read_pdf
    data = shared_file("pdf/lk-saarc-trafficking-convention-act-30-2005.pdf").read_bytes()
    a, b = read_pdf(data, "lk.pdf"), _read_pdf_pdfplumber(data, "lk.pdf")
    assert "trafficking" in b.text.lower() and not b.warnings
    words = lambda t: set(t.lower().split())
    assert len(words(a.text) & words(b.text)) > 0.9 * len(words(b.text))


def test_a_file_that_is_not_a_pdf_is_a_clear_error_on_the_fallback_path():
    from lexalign.errors import InputError
    from lexalign.ingest_pdf import _read_pdf_pdfplumber
    with pytest.raises(InputError):
        _read_pdf_pdfplumber(b"%PDF-1.4\n garbage", "bad.pdf")
