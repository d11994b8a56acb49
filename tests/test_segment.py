"""Provision extraction on real statutes, and the no-text-lost property."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import shared_file
from lexalign.ingest import ingest, ingest_bytes
from lexalign.segment import flatten, segment


def _nonspace(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_malaysian_bill_yields_clauses_1_to_67_with_split_interpretation():
    doc = ingest(shared_file("my-atip-bill-2007.txt"))
    provs = flatten(segment(doc))
    sections = [p for p in provs if p.kind == "section"]
    assert [p.num for p in sections] == [str(n) for n in range(1, 68)]
    s2 = next(p for p in sections if p.num == "2")
    terms = [c.term for c in s2.children if c.kind == "definition"]
    assert {"exploitation", "child", "coercion", "trafficked person"} <= set(terms)
    assert s2.heading == "Interpretation"
    child = next(c for c in s2.children if c.term == "child")
    assert doc.text[child.start:child.end] == '"child" means a person who is under the age of eighteen years;'
    assert child.eid.endswith("sec_2__def_child") and child.citation == 's. 2 ("child")'
    # the arrangement of clauses is one block, not 67 false sections
    assert sum(1 for p in provs if p.kind == "toc") == 1


def test_subsections_and_paragraphs_nest_with_citations():
    doc = ingest(shared_file("my-atip-bill-2007.txt"))
    provs = {p.citation: p for p in flatten(segment(doc))}
    para = provs["s. 13(g)"] if "s. 13(g)" in provs else None
    assert para is not None and "vulnerability" in para.text
    assert para.eid.endswith("sec_13__para_g")
    assert provs["s. 1(2)"].parent.citation == "s. 1"


def test_sri_lankan_pdf_and_text_give_the_same_section_numbers():
    pdf = [p.num for p in flatten(segment(ingest(shared_file("pdf/lk-saarc-trafficking-convention-act-30-2005.pdf"))))
           if p.kind == "section"]
    txt = [p.num for p in flatten(segment(ingest(shared_file("lk-saarc-trafficking-act-2005.txt"))))
           if p.kind == "section"]
    assert pdf == txt == [str(n) for n in range(1, 15)]


def test_sri_lankan_pdf_side_notes_become_headings_and_pages_are_kept():
    doc = ingest(shared_file("pdf/lk-saarc-trafficking-convention-act-30-2005.pdf"))
    secs = {p.num: p for p in flatten(segment(doc)) if p.kind == "section"}
    assert secs["14"].heading.startswith("Interpretation")
    assert secs["3"].heading.startswith("High Court to try offences")
    assert secs["1"].page == 2 and secs["14"].page > secs["4"].page > secs["1"].page


def test_sri_lankan_text_numbering_resolves_subsections_against_sections():
    provs = flatten(segment(ingest(shared_file("lk-saarc-trafficking-act-2005.txt"))))
    cites = [p.citation for p in provs]
    assert "s. 2(3)(a)" in cites and "s. 2(4)" in cites and "s. 3(1)" in cites and "s. 4(a)(iv)" in cites


def test_canadian_decimal_sections_and_subsection_headings():
    provs = flatten(segment(ingest(shared_file("ca-criminal-code-279-en.txt"))))
    secs = [p.num for p in provs if p.kind == "section"]
    assert secs == ["279.01", "279.011", "279.02", "279.03", "279.04"]
    consent = next(p for p in provs if p.citation == "s. 279.01(2)")
    assert consent.heading == "Consent"


def test_french_code_articles_groupings_and_points():
    provs = flatten(segment(ingest(shared_file("fr-code-penal-traite.txt"))))
    arts = [p.num for p in provs if p.kind == "article"]
    assert "225-4-1" in arts and "224-1 A" in arts
    groups = [p for p in provs if p.kind == "section_group"]
    assert groups and all(g.kind != "article" for g in groups)
    cites = [p.citation for p in provs]
    assert "art. 225-4-1 I 3°" in cites


def test_civil_law_article_forms():
    text = ("Article premier.- Objet.\nArt. 2.- Définitions.\nARTICULO 3o. La trata.\nArtículo 4°. Penas.\n"
            "Art. 225-4-1\n1° Soit avec menace ;\na) Premier cas.\n")
    provs = flatten(segment(ingest_bytes(text.encode(), source="x.txt")))
    nums = [p.num for p in provs if p.kind == "article"]
    assert nums == ["1", "2", "3", "4", "225-4-1"]


def test_unstructured_text_becomes_an_unnumbered_block():
    doc = ingest_bytes(b"Mix the flour and the butter. Bake for twenty minutes.", source="recipe.txt")
    provs = flatten(segment(doc))
    assert len(provs) == 1 and provs[0].kind == "preface" and "flour" in provs[0].text


def test_every_shared_file_segments_without_losing_text(corpora):
    for path in sorted(corpora.rglob("*")):
        if path.suffix not in (".txt", ".pdf"):
            continue
        doc = ingest(path)
        provs = flatten(segment(doc))
        assert provs, path
        assert _nonspace("".join(p.text for p in provs)) == _nonspace(doc.text), path
        for p in provs:
            assert 0 <= p.start <= p.end <= len(doc.text)


_line = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60),
    st.builds(lambda n, t: f"{n}. {t}", st.integers(1, 40), st.text(max_size=40)),
    st.builds(lambda n, t: f"({n}) {t}", st.integers(1, 9), st.text(max_size=40)),
    st.builds(lambda c, t: f"({c}) {t}", st.sampled_from("abchijvx"), st.text(max_size=40)),
    st.builds(lambda n, t: f"Article {n}.- {t}", st.integers(1, 30), st.text(max_size=40)),
    st.builds(lambda n: f"PART {n}", st.sampled_from(["I", "II", "IV", "1"])),
    st.builds(lambda t: f'"{t}" means something;', st.text(alphabet="abcdefgh ", min_size=1, max_size=12)),
    st.sampled_from(["", "ARRANGEMENT OF SECTIONS", "ENACTED by Parliament", "1°", "I. - x", "a) y", "ii. z"]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_line, min_size=1, max_size=40))
def test_segmentation_never_crashes_and_never_loses_text(lines):
    text = "\n".join(lines)
    from lexalign.errors import LexalignError
    try:
        doc = ingest_bytes(text.encode("utf-8"), source="fuzz.txt")
    except LexalignError as err:  # refusing (empty, binary-looking) is allowed; crashing is not
        assert "\n" not in str(err)
        return
    provs = flatten(segment(doc))
    assert _nonspace("".join(p.text for p in provs)) == _nonspace(doc.text)
    for p in provs:
        assert doc.text[p.start:p.end].strip() == doc.text[p.start:p.end] or p.start == p.end


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_ingest_of_random_bytes_either_reads_or_refuses_cleanly(data):
    from lexalign.errors import LexalignError
    try:
        doc = ingest_bytes(data, source="r.txt", suffix=".txt")
    except LexalignError as err:
        assert "\n" not in str(err)
    else:
        segment(doc)


def test_a_figure_that_glosses_the_number_word_before_it_is_not_a_subsection():
    from lexalign.ingest import ingest_bytes
    from lexalign.segment import flatten, segment
    text = ("Artículo 145 bis: El que captare personas con fines de explotación, será reprimido con prisión de TRES\n"
            "(3) a SEIS (6) años.\nLa pena será de CUATRO (4) a DIEZ (10) años cuando el autor fuere funcionario.\n")
    provs = flatten(segment(ingest_bytes(text.encode(), source="codigo.txt")))
    assert not any(p.citation.endswith("(3)") for p in provs)
