"""Drafting layouts from the world's statute books, each read into the same kind of tree.

Samples are written for the tests (no national text is copied): each one shows one convention
the segmenter must read from evidence in the text, not from the country it comes from.
"""
from __future__ import annotations


from lexalign.ingest import ingest_bytes
from lexalign.layout import find_toc, page_furniture, split_lines, split_run_in
from lexalign.numbering import section_token, sequence_key
from lexalign.segment import flatten, segment


def _tree(text: str, name: str = "x.txt"):
    doc = ingest_bytes(text.encode("utf-8"), source=name, suffix="." + name.rsplit(".", 1)[-1])
    return doc, flatten(segment(doc))


def _cites(provs) -> list[str]:
    return [p.citation for p in provs]


def _sections(provs) -> list[str]:
    return [p.num for p in provs if p.kind in ("section", "article")]


# ----------------------------------------------------------------------------- numbering tokens

def test_numbering_tokens_read_each_convention_on_its_own():
    cases = {
        "3.—(1) Any person who recruits": ("3", "number"),
        "SECTION 342-1: Trafficking and Slavery of Persons": ("342-1", "section_word"),
        "SECTION 21 1: Counterfeit Note and Coin": ("211", "section_word"),
        "Artículo 129-A .- Trata de personas": ("129-A", "article"),
        "ARTÍCULO 3°. La trata": ("3", "article"),
        "Article premier – Objet": ("1", "article"),
        "Art. 225-4-1. - I. -": ("225-4-1", "article"),
        "§ 1591. Sex trafficking of children": ("1591", "paragraph_sign"),
        "[§707-780] Definitions. As used in this part:": ("707-780", "paragraph_sign"),
        "9A.40.100 - Trafficking.": ("9A.40.100", "decimal"),
        "Artículo 145 bis: El que": ("145 bis", "article"),
    }
    for line, (num, conv) in cases.items():
        tok = section_token(line)
        assert tok is not None and (tok.num, tok.convention.name) == (num, conv), line
    assert section_token("Section 12 of the principal enactment is hereby repealed") is None
    assert section_token("Article 3 A person who") is None or section_token("Article 3 A person who").num == "3"


def test_section_numbers_order_with_suffixes_and_hyphens():
    assert sequence_key("12") < sequence_key("12A") < sequence_key("13")
    assert sequence_key("279.01") < sequence_key("279.011") < sequence_key("279.02")
    assert sequence_key("342") < sequence_key("342-1") < sequence_key("343")
    assert sequence_key("145") < sequence_key("145 bis") < sequence_key("145 ter")


# ----------------------------------------------------------------------------- layouts

def test_em_dash_sections_with_marginal_headings_above():
    text = ("Short title\n1. This Act may be cited as the Trafficking Act.\n"
            "Trafficking in persons\n3.—(1) Any person who recruits another person commits an offence.\n"
            "(2) A person convicted is liable to imprisonment.\n(a) for a first offence, ten years;\n"
            "(b) for a second offence, twenty years.\n"
            "Powers of police\n13. A police officer may arrest without warrant.\n")
    _, provs = _tree(text)
    assert _sections(provs) == ["1", "3", "13"]
    s3 = next(p for p in provs if p.citation == "s. 3")
    assert s3.heading == "Trafficking in persons"
    assert "s. 3(2)(b)" in _cites(provs)
    assert next(p for p in provs if p.citation == "s. 13").heading == "Powers of police"


def test_inline_heading_before_em_dash():
    _, provs = _tree("3. Trafficking in persons.—(1) Any person who recruits commits an offence.\n(2) A person ...\n")
    s3 = next(p for p in provs if p.citation == "s. 3")
    assert s3.heading == "Trafficking in persons" and "s. 3(1)" in _cites(provs) and "s. 3(2)" in _cites(provs)


def test_arrangement_of_sections_is_one_node_and_the_body_gives_the_sections():
    text = ("TRAFFICKING ACT\nARRANGEMENT OF SECTIONS\n1. Short title\n2. Interpretation\n"
            "3. Trafficking in persons\n4. Penalties\n"
            "Short title\n1. This Act may be cited as the Trafficking Act.\n"
            "Interpretation\n2. In this Act, \"child\" means a person under eighteen years.\n"
            "Trafficking in persons\n3. (1) A person who recruits another person for exploitation commits an offence.\n"
            "Penalties\n4. A person convicted is liable to imprisonment for life.\n")
    doc, provs = _tree(text)
    assert [p.kind for p in provs].count("toc") == 1
    assert _sections(provs) == ["1", "2", "3", "4"]
    s3 = next(p for p in provs if p.citation == "s. 3")
    assert s3.heading == "Trafficking in persons" and "recruits" in s3.full_text(doc.text)
    assert not any("table of contents" in w for w in doc.warnings)


def test_table_of_contents_checks_the_body_and_warns_when_sections_are_lost():
    text = ("CONTENTS\n1. Short title\n2. Offence\n3. Penalty\n4. Repeal\n"
            "Short title\n1. This Act may be cited as the Act.\nOffence\n2. A person who recruits commits an offence.\n")
    doc, provs = _tree(text)
    assert _sections(provs) == ["1", "2"]
    assert any("table of contents lists 4 sections" in w and "3, 4" in w for w in doc.warnings)


def test_toc_end_found_by_restart_of_numbering_in_other_languages():
    lines = split_lines("SOMMAIRE\nArticle 1 – Objet\nArticle 2 – Définitions\nTITRE I\nArticle 1 – Objet\n"
                        "La présente loi a pour objet de lutter contre la traite.\n")
    toc = find_toc(lines)
    assert toc is not None and toc.entries == ["1", "2"] and lines[toc.end].text == "TITRE I"


def test_amending_act_keeps_the_inserted_section_under_its_clause():
    text = ("1. This Act may be cited as the Penal Code (Amendment) Act.\n"
            "2. Section 12 of the principal enactment is hereby repealed and the following section substituted therefor:\n"
            "12. (1) Whoever recruits a person for exploitation commits an offence.\n"
            "(2) Whoever harbours such a person commits an offence.\n"
            "3. The following new sections are hereby inserted immediately after section 12 of the principal enactment:\n"
            "12A. (1) Whoever—\n(a) recruits a child; or\n(b) transports a child,\nfor exploitation commits an offence.\n"
            "12B. Consent of the victim is no defence.\n"
            "4. This Act comes into force on publication.\n")
    _, provs = _tree(text)
    cites = _cites(provs)
    assert "s. 12A(1)(b)" in cites and "s. 12(2)" in cites and "s. 12B" in cites
    s12a = next(p for p in provs if p.citation == "s. 12A")
    assert s12a.parent.citation == "s. 3" and s12a.kind == "section"
    assert next(p for p in provs if p.citation == "s. 12").parent.citation == "s. 2"
    assert [p.citation for p in provs if p.parent is None and p.kind == "section"] == ["s. 1", "s. 2", "s. 3", "s. 4"]


def test_spanish_amending_article_keeps_the_code_article_it_substitutes():
    text = ("ARTICULO 10.- Sustitúyese el artículo 145 bis del Código Penal, por el siguiente:\n"
            "Artículo 145 bis: Será reprimido con prisión de cuatro a ocho años el que ofreciere o captare personas.\n"
            "1. Cuando mediare engaño.\n"
            "ARTICULO 11.- Comuníquese al Poder Ejecutivo.\n")
    _, provs = _tree(text)
    art = next(p for p in provs if p.citation == "art. 145 bis")
    assert art.parent.citation == "art. 10"
    assert [p.num for p in provs if p.kind == "article" and p.parent is None] == ["10", "11"]


def test_us_code_section_with_run_in_paragraphs():
    text = ("§ 1591. Sex trafficking of children or by force, fraud, or coercion\n"
            "(a) Whoever knowingly— (1) in or affecting interstate or foreign commerce, recruits, entices, harbors, "
            "transports, provides, obtains, or maintains by any means a person; or (2) benefits, financially or by "
            "receiving anything of value, from participation in a venture which has engaged in an act described in "
            "violation of paragraph (1), shall be punished as provided in subsection (b).\n"
            "(b) The punishment for an offense under subsection (a) is a fine or imprisonment.\n")
    _, provs = _tree(text)
    cites = _cites(provs)
    assert "§ 1591(a)(1)" in cites and "§ 1591(a)(2)" in cites and "§ 1591(b)" in cites
    assert next(p for p in provs if p.citation == "§ 1591").heading.startswith("Sex trafficking of children")


def test_markdown_export_headings_and_bold_definitions():
    text = ("# Crimes Act\n\n### 117 Interpretation\n\nIn this Part—\n\n**\"child\"** means a person under 18 years;\n\n"
            "**\"exploitation\"** includes slavery.\n\n### 118 Offence — trafficking in persons\n\n"
            "(1) A person who recruits another person commits an offence.\n")
    _, provs = _tree(text, "crimes.md")
    assert _sections(provs) == ["117", "118"]
    assert next(p for p in provs if p.citation == "s. 118").heading == "Offence — trafficking in persons"
    assert 's. 117 ("child")' in _cites(provs) and "s. 118(1)" in _cites(provs)


def test_state_code_and_code_article_numbers_with_hyphens_and_dots():
    _, provs = _tree("9A.40.100 - Trafficking.\n(1) A person is guilty of trafficking in the first degree when ...\n"
                     "9A.40.110 - Penalty.\n(1) Trafficking is a class A felony.\n")
    assert _sections(provs) == ["9A.40.100", "9A.40.110"] and "s. 9A.40.100(1)" in _cites(provs)
    _, provs = _tree("Artículo 129-A\u00a0.- Trata de personas\nEl que mediante violencia capta a otra persona.\n"
                     "Artículo 129-B .- Formas agravadas\nLa pena será no menor de doce años.\n")
    assert _sections(provs) == ["129-A", "129-B"]


def test_ocr_section_keyword_with_hyphenated_number_is_its_own_section():
    text = ("SECTION 342: Debt Bondage of Persons\n(1) Whoever places another in debt bondage shall be punished.\n"
            "(4) The provisions of this section shall apply.\n"
            "SECTION 342-1: Trafficking and Slavery of Persons\n(1) Whoever engages in trafficking shall be punished.\n"
            "4/12/24, 2:21 AM\nPage 5 of 297\n"
            "D - OTHER OFFENCES SECTION 343: Immoral Earnings\nWhoever lives on the earnings shall be punished.\n"
            "Section 342 (2).\n")
    _, provs = _tree(text)
    assert _sections(provs) == ["342", "342-1", "343"]
    assert "s. 342-1(1)" in _cites(provs) and "s. 342(4)" in _cites(provs)


def test_flattened_sections_are_cut_where_numbering_continues():
    text = ("2. Offence of trafficking in persons\n"
            "(1) Any person who— (a) recruits, transports or harbours a person by means of threat, for the purpose "
            "of exploitation; or (b) recruits a child for the purpose of exploitation, commits an offence. "
            "(2) A person convicted under subsection (1)(a) is liable to imprisonment for fifteen years.\n"
            "3. Interpretation In this Act— “ child ” means a person below eighteen years; “ exploitation ” "
            "includes— (i) slavery; (ii) forced labour.\n")
    _, provs = _tree(text)
    cites = _cites(provs)
    for c in ("s. 2(1)", "s. 2(1)(a)", "s. 2(1)(b)", "s. 2(2)", 's. 3 ("child")', 's. 3 ("exploitation")'):
        assert c in cites, (c, cites)
    assert not any(c.endswith("(1)(a)(a)") for c in cites)  # the cross-reference "(1)(a)" stays text


def test_run_in_splitting_ignores_cross_references():
    lines = split_lines("(1) A person referred to in section 4 (1) or in paragraph (a) of subsection (2) commits an offence.")
    assert len(split_run_in(lines)) == 1


def test_page_furniture_is_stepped_over_not_taken_for_structure():
    body = []
    for n in range(1, 6):
        body += [f"{n}. This section number {n} says something about trafficking.", "Trafficking Act 2016", str(n + 10)]
    lines = split_lines("\n".join(body))
    furniture = page_furniture(lines)
    assert {lines[i].text for i in furniture} == {"Trafficking Act 2016"} | {str(n + 10) for n in range(1, 6)}
    _, provs = _tree("\n".join(body))
    assert _sections(provs) == ["1", "2", "3", "4", "5"]


def test_numbers_going_backwards_are_reported():
    text = "\n".join(f"SECTION {n}: Heading {n}\nText about the offence of trafficking in persons." for n in (1, 3, 2))
    doc, _ = _tree(text)
    assert any("backwards" in w for w in doc.warnings)


def test_text_outside_any_section_is_reported():
    doc, _ = _tree("Whereas trafficking is a crime. " * 200)
    assert any("outside any numbered section" in w for w in doc.warnings)


def test_docstring_samples_of_the_segmenter_hold():
    import doctest
    import importlib

    for name in ("lexalign.numbering", "lexalign.segment"):
        module = importlib.import_module(name)  # lexalign.segment is also the function's name
        result = doctest.testmod(module)
        assert result.attempted and not result.failed, name


_LOST = ("CONTENTS\n1. Short title\n2. Offence\n3. Penalty\n4. Repeal\n"
         "Short title\n1. This Act may be cited as the Trafficking in Persons Act.\n"
         "Offence\n2. A person who recruits another person for exploitation commits an offence of trafficking.\n")


def test_structure_warnings_reach_segment_stderr(tmp_path):
    from click.testing import CliRunner

    from lexalign.cli import main
    src = tmp_path / "lost.txt"
    src.write_text(_LOST, encoding="utf-8")
    res = CliRunner().invoke(main, ["segment", str(src), "--format", "text"])
    assert res.exit_code == 0
    assert "warning: structure: the table of contents lists 4 sections" in res.stderr


def test_structure_warnings_reach_the_json_report():
    from lexalign.align import check
    doc = ingest_bytes(_LOST.encode("utf-8"), source="lost.txt")
    data = check([doc], use_embeddings=False).to_dict()
    assert any("table of contents lists 4 sections" in w for w in data["document"]["warnings"])
