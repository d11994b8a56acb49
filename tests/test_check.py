"""Alignment verdicts on real texts: sanity checks, false friends, and sensitivity to single edits."""
from __future__ import annotations

import json
import re

import pytest

from conftest import check_text, shared_file
from lexalign.reference import load_catalogue

PRESENT = {"covered", "partial"}


def _read(name: str) -> str:
    return shared_file(name).read_text(encoding="utf-8")


def test_protocol_text_covers_every_article_3_and_5_element():
    findings = check_text(_read("palermo-protocol-en.txt"), "palermo-protocol-en.txt")
    art3_5 = [e.id for e in load_catalogue() if e.group in ("definition", "act", "means", "purpose", "consent_child",
                                                          "criminalisation")]
    not_covered = {e: findings[e].status for e in art3_5 if findings[e].status != "covered"}
    assert not not_covered
    assert all(findings[e].evidence for e in art3_5)


def test_smuggling_protocol_covers_no_means_or_purpose():
    findings = check_text(_read("un-smuggling-protocol-2000-en.txt"), "un-smuggling-protocol-2000-en.txt")
    wrong = {e.id: findings[e.id].status for e in load_catalogue()
             if e.group in ("means", "purpose") and findings[e.id].status == "covered"}
    assert not wrong


def test_smuggling_protocol_is_not_read_as_a_trafficking_offence():
    # its Art 6 mentions "exploitation" of smuggled migrants: that is not a trafficking offence
    findings = check_text(_read("un-smuggling-protocol-2000-en.txt"), "un-smuggling-protocol-2000-en.txt")
    assert findings["art5.1.criminalisation"].status != "covered"
    assert findings["art5.2b.accomplice"].status != "covered"
    assert [e.id for e in load_catalogue() if e.is_flag and findings[e.id].status == "raised"] == []


def test_every_finding_that_is_present_quotes_its_evidence():
    text = _read("my-atip-bill-2007.txt")
    findings = check_text(text, "my-atip-bill-2007.txt")
    assert len(findings) == 84
    for f in findings.values():
        if f.status in PRESENT:
            assert f.evidence, f.element
            for ev in f.evidence:
                assert " ".join(text[ev.start:ev.end].split()) == ev.quote


# ------------------------------------------------------------------ sensitivity edits

def _changed(before: dict, after: dict) -> dict:
    rank = {"missing": 0, "partial": 1, "covered": 2, "not_raised": 0, "raised": 1}
    return {k: (before[k].status, after[k].status) for k in before if rank[before[k].status] != rank[after[k].status]}


@pytest.fixture(scope="module")
def malaysia():
    text = _read("my-atip-bill-2007.txt")
    return text, check_text(text, "my-atip-bill-2007.txt")


def test_deleting_harbours_lowers_only_harbouring(malaysia):
    text, before = malaysia
    edited = re.sub(r"\bharbou?r(s|ed|ing)?\b,?\s*", "", text, flags=re.IGNORECASE)
    after = check_text(edited, "my-edit-harbour.txt")
    changes = _changed(before, after)
    assert before["art3.act.harbouring"].status in PRESENT
    assert after["art3.act.harbouring"].status == "missing"
    assert len(changes) <= 3, changes


def test_child_age_sixteen_makes_child_definition_partial(malaysia):
    text, before = malaysia
    edited = text.replace("under the age of eighteen years", "under the age of sixteen years")
    after = check_text(edited, "my-edit-age.txt")
    assert before["art3d.child_under_18"].status == "covered"
    assert after["art3d.child_under_18"].status == "partial"
    assert len(_changed(before, after)) <= 3


def test_child_limb_requiring_means_raises_the_flag(malaysia):
    text, before = malaysia
    # s.14 no longer dispenses with the means: trafficking a child "by means of" the listed means
    edited = re.sub(r"14\. Any person, who traffics in persons being a child, for the purpose of exploitation",
                    "14. Any person, who traffics in persons being a child, by means of threat, force or coercion, "
                    "for the purpose of exploitation", text)
    assert edited != text
    edited = edited.replace("Offence of trafficking in children", "Offence of trafficking in children by means of force")
    after = check_text(edited, "my-edit-childmeans.txt")
    assert before["flag.child_means_required"].status == "not_raised"
    assert after["art3c.child_no_means"].status != "covered" or after["flag.child_means_required"].status == "raised"
    assert len(_changed(before, after)) <= 3


def test_deleting_vulnerability_lowers_only_that_means(malaysia):
    text, before = malaysia
    edited = re.sub(r"\(g\) abuse of power[^\n]*|\(g\)[^\n]*vulnerability[^\n]*\n", "\n", text)
    edited = re.sub(r"[^\n]*vulnerab[^\n]*\n", "\n", edited)
    after = check_text(edited, "my-edit-vuln.txt")
    assert before["art3.means.abuse_of_vulnerability"].status in PRESENT
    assert after["art3.means.abuse_of_vulnerability"].status == "missing"
    assert len(_changed(before, after)) <= 3, _changed(before, after)


def test_french_and_english_provisions_give_the_same_verdicts():
    en = ("Article 1\nThe recruitment, transport, transfer, harbouring or receipt of persons for the purpose of "
          "exploitation, by threat, use of force or other forms of coercion, abduction, fraud or deception, "
          "is trafficking in persons and is punished by ten years' imprisonment.\n")
    fr = ("Article 1\nLe recrutement, le transport, le transfert, l'hébergement ou l'accueil de personnes aux fins "
          "d'exploitation, par menace, recours à la force ou à d'autres formes de contrainte, enlèvement, fraude ou "
          "tromperie, constitue la traite des personnes et est puni de dix ans d'emprisonnement.\n")
    es = ("Artículo 1\nLa captación, el transporte, el traslado, la acogida o la recepción de personas con fines de "
          "explotación, empleando amenaza, violencia, fuerza u otras formas de coacción, secuestro, fraude o engaño, "
          "constituye trata de personas y será castigado con la pena de diez años de prisión.\n")
    ids = [e.id for e in load_catalogue() if e.group in ("act", "means")]
    f_en, f_fr, f_es = check_text(en, "en.txt"), check_text(fr, "fr.txt"), check_text(es, "es.txt")
    assert {i: f_en[i].status for i in ids} == {i: f_fr[i].status for i in ids}
    assert {i: f_en[i].status for i in ids} == {i: f_es[i].status for i in ids}


def test_a_recipe_covers_nothing():
    recipe = ("Chocolate cake\n1. Preheat the oven and force the butter through a sieve.\n2. Transfer the mixture to "
              "a tin, harbour it from draughts and receive guests while it bakes.\n3. Serve with cream.\n")
    findings = check_text(recipe, "recipe.txt")
    assert not [f for f in findings.values() if f.status == "covered"]


# ------------------------------------------------------------------ reports

def _report(text: str, name: str):
    from lexalign.align import check
    from lexalign.ingest import ingest_bytes
    return check([ingest_bytes(text.encode(), source=name)])


SAMPLE = ("Trafficking in persons\n1. A person who recruits or harbours another person by threat for the purpose of "
          "exploitation <script>alert('x')</script> commits an offence and is liable to imprisonment for ten years.\n")


def test_json_has_the_documented_shape_and_is_deterministic():
    a = _report(SAMPLE, "<b>bill</b>.txt").to_json()
    b = _report(SAMPLE, "<b>bill</b>.txt").to_json()
    assert a == b
    data = json.loads(a)
    assert set(data["document"]) >= {"source", "title", "language", "provisions"}
    assert len(data["findings"]) == 84
    f = data["findings"][0]
    assert set(f) >= {"element", "status", "confidence", "evidence", "rationale"}
    ev = next(x for x in data["findings"] if x["element"] == "art3.act.harbouring")["evidence"][0]
    assert set(ev) >= {"citation", "eid", "quote", "start", "end", "page"}


def test_html_report_escapes_statute_text_and_loads_nothing_external():
    page = _report(SAMPLE, "<b>bill</b>.txt").to_html()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<b>bill</b>" not in page
    assert not re.search(r"(src|href)=[\"']?https?:", page)


def test_markdown_and_csv_reports():
    r = _report(SAMPLE, "bill.txt")
    md = r.to_markdown()
    assert "What to add" in md and "Protocol (<cite>Art 3(a)</cite>" in md
    csv_text = r.to_csv()
    assert csv_text.count("\n") == 85
