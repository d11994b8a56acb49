"""French and Spanish statutes: per-provision language, report wording, verdicts across languages."""
from __future__ import annotations

import pytest

import json

from click.testing import CliRunner

from conftest import check_text
from lexalign.cli import main
from lexalign.ingest import ingest_bytes
from lexalign.segment import flatten, segment

BILINGUAL = (
    "LAW No. 2026/001 RELATING TO THE FIGHT AGAINST TRAFFICKING IN PERSONS\n"
    "LOI N° 2026/001 RELATIVE À LA LUTTE CONTRE LA TRAITE DES PERSONNES\n"
    "Section 1. This law relates to the fight against trafficking in persons and shall apply to any person "
    "who recruits, transports or harbours another person for the purpose of exploitation.\n"
    "Article 1er. La présente loi est relative à la lutte contre la traite des personnes et s'applique à toute "
    "personne qui recrute, transporte ou héberge une autre personne aux fins d'exploitation.\n"
    "Section 2. Whoever commits the offence of trafficking in persons by threat, force or deception shall be "
    "punished with imprisonment from ten to twenty years.\n"
    "Article 2. Est puni d'un emprisonnement de dix à vingt ans quiconque commet l'infraction de traite des "
    "personnes par menace, recours à la force ou tromperie.\n"
)


def test_bilingual_statute_gets_a_language_per_provision():
    doc = ingest_bytes(BILINGUAL.encode("utf-8"), source="bilingual.txt")
    langs = [(p.citation, p.language) for p in flatten(segment(doc)) if p.kind in ("section", "article")]
    assert ("s. 1", "en") in langs and ("art. 1", "fr") in langs
    assert ("s. 2", "en") in langs and ("art. 2", "fr") in langs


def test_report_notes_a_bilingual_text_and_lists_its_languages(tmp_path):
    src = tmp_path / "bilingual.txt"
    src.write_text(BILINGUAL * 2, encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(src)])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert set(report["document"]["languages"]) == {"en", "fr"}
    assert any("bilingual" in n for n in report["notes"])


def test_report_language_fr_translates_the_report_but_keeps_ids_and_quotes(tmp_path):
    src = tmp_path / "loi.txt"
    src.write_text(BILINGUAL, encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(src), "--format", "md", "--report-language", "fr"])
    assert res.exit_code == 0, res.output
    md = res.stdout
    assert md.startswith("# Rapport lexalign")
    assert "## Synthèse" in md and "Art. 3 a) — Actes" in md
    assert "art3.act.recruitment" in md            # element ids unchanged (beside the plain name)
    assert "Acte : recrutement" in md              # the element's plain name, in French
    assert "recrute" in md or "recruits" in md     # quotations stay in the statute's words
    html = CliRunner().invoke(main, ["check", str(src), "--format", "html", "--report-language", "fr"]).stdout
    assert '<html lang="fr">' in html and "Synthèse" in html
    assert "## Summary" in CliRunner().invoke(main, ["check", str(src), "--format", "md"]).stdout


@pytest.mark.xfail(strict=True, reason="known error of the learned reader (2026-12-08): it drops the rules' partial "
                   "'open list of purposes' to missing in the English text and keeps it in the Spanish one; the rules "
                   "alone give the same verdicts in both languages")
def test_spanish_provision_and_english_equivalent_give_the_same_verdicts():
    en = ("Article 1. Whoever recruits, transports, transfers, harbours or receives a person, by violence, "
          "intimidation or deception, or by abusing a situation of superiority or of vulnerability, for the "
          "purpose of forced labour or services, slavery or practices similar to slavery, servitude, sexual "
          "exploitation or the removal of organs shall be punished with five to eight years' imprisonment.\n")
    es = ("Artículo 1. El que capte, transporte, traslade, acoja o reciba a una persona, empleando violencia, "
          "intimidación o engaño, o abusando de una situación de superioridad o de vulnerabilidad, con la "
          "finalidad de imponerle trabajos o servicios forzados, la esclavitud o prácticas análogas a la "
          "esclavitud, la servidumbre, la explotación sexual o la extracción de sus órganos, será castigado con "
          "la pena de cinco a ocho años de prisión.\n")
    f_en, f_es = check_text(en, "en-177.txt"), check_text(es, "es-177.txt")
    groups = ("art3.act.", "art3.means.", "art3.purpose.")
    ids = [i for i in f_en if i.startswith(groups)]
    assert {i: f_en[i].status for i in ids} == {i: f_es[i].status for i in ids}
