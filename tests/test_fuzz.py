"""Fuzzing ingest and segment: whatever the bytes, the answer is a Document with provisions or one
of lexalign's own errors (a clean one-line message), never an internal error.

Inputs are real files (the sample bill, a generated PDF, HTML and Akoma Ntoso built from it) cut,
spliced, flipped and salted with the tokens the segmenter reads (numbering, headings, tags).
Bounded: a few hundred examples in all, well under a minute; ``-m fuzz`` runs only these.
"""
from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from conftest import SAMPLE  # noqa: E402
from test_robustness import PAGES, make_pdf  # noqa: E402

from lexalign.errors import LexalignError  # noqa: E402
from lexalign.ingest import ingest_bytes  # noqa: E402
from lexalign.segment import flatten, segment  # noqa: E402

pytestmark = pytest.mark.fuzz

BILL = (SAMPLE / "sample-bill.txt").read_bytes()
HEAD = BILL[:3000]
HTML = b"<html><head><title>Bill</title></head><body>" + b"".join(
    b"<p>" + line + b"</p>" for line in HEAD.splitlines()) + b"</body></html>"
AKN = (b'<?xml version="1.0" encoding="utf-8"?><akomaNtoso><act><body><section eId="sec_1"><num>1.</num><heading>Offence</heading><content><p>'
       + HEAD[:800].replace(b"&", b"and").replace(b"<", b"").replace(b">", b"") +
       b'</p></content></section><section eId="sec_2"><num>2.</num><content><p>Penalty.</p></content>'
       b'</section></body></act></akomaNtoso>')
PDF = make_pdf(PAGES)

TOKENS = [b"Section 1.", b"\n2.", b"(a)", b"(1)", b"(iv)", b"PART I", b"CHAPTER 2", b"Article 3", b"Art. 4.-",
          "Artículo 5".encode(), b"SCHEDULE", b"\n\n", b"\r", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\x0c", b"3.\xe2\x80\x94(1)",
          b"<section eId='x'>", b"</section>", b"<p>", b"<num>", b"<heading>", b"&amp;", b"&#0;", b"<![CDATA[",
          b"<meta charset='idna'>", b'<?xml version="1.0" encoding="idna"?>', b"%PDF-1.4", b"endobj", b"stream\n", b"obj <<", b"\xe2\x80\x8b", b"\xc3", b"-\n",
          b"Table of Contents", b"....... 12", b"\t\t", b"   ", b"\xd7\x90", b"\xe0\xb8\x81"]

SEEDS = [(BILL, ".txt"), (HEAD, ".txt"), (HTML, ".html"), (AKN, ".xml"), (PDF, ".pdf"), (b"", ".txt")]


@st.composite
def mutated(draw):
    data, suffix = draw(st.sampled_from(SEEDS))
    data = bytearray(data)
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["flip", "insert", "token", "cut", "splice", "truncate"]))
        at = draw(st.integers(0, max(0, len(data))))
        if kind == "flip" and data:
            i = min(at, len(data) - 1)
            data[i] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=40))
        elif kind == "token":
            data[at:at] = draw(st.sampled_from(TOKENS)) * draw(st.sampled_from([1, 2, 5, 30, 1200]))
        elif kind == "cut":
            del data[at:at + draw(st.integers(1, 400))]
        elif kind == "splice" and data:
            a = draw(st.integers(0, len(data) - 1))
            data[at:at] = data[a:a + draw(st.integers(1, 600))]
        elif kind == "truncate":
            del data[at:]
    suffix = draw(st.sampled_from([suffix, suffix, ".txt", ".html", ".xml", ".pdf", ""]))
    return bytes(data[:40_000]), suffix


def ingest_and_segment(data: bytes, suffix: str) -> None:
    try:
        doc = ingest_bytes(data, source=f"fuzz{suffix}", suffix=suffix)
    except LexalignError as exc:
        assert exc.message and "\n" not in exc.message
        return
    provisions = flatten(segment(doc))
    n = len(doc.text)
    for p in provisions:
        assert 0 <= p.start <= p.end <= n, (p.eid, p.start, p.end, n)


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                database=None)


@FUZZ
@given(mutated())
def test_mutated_statutes_never_cause_an_internal_error(case):
    ingest_and_segment(*case)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=3000), st.sampled_from([".txt", ".html", ".xml", ""]))
def test_arbitrary_text_never_causes_an_internal_error(text, suffix):
    ingest_and_segment(text.encode("utf-8", errors="surrogatepass"), suffix)
