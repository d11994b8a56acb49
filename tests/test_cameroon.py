"""Cameroon's national corpus: Penal Code s. 342-1 read with Law No. 2011/024, in English and French.

The legal reading pinned here comes from the two texts (and the gold in ../shared/gold): the Code
punishes "trafficking in persons or slavery" (French "trafic ou traite") without defining either; Law
2011/024 defines "trafic" (movement for gain, art. 2(b)) and "traite" (act + means + exploitation,
art. 2(c)) and punishes both in one article.  Rules-only analyses, cached per corpus.
"""
from __future__ import annotations

import csv
from functools import lru_cache

import pytest

from conftest import CORPORA, GOLD

LAW = "cm-law-2011-024-full-fr.txt"
CODE_EN = "cm-penal-code-2016-s342-1-en.txt"
CODE_FR = "cm-penal-code-2016-s342-1-fr.txt"
FULL_CODE = "cm-penal-code-2016-full-en-ocr.txt"


@lru_cache(maxsize=None)
def corpus(*names: str):
    from lexalign.analysis import analyse
    from lexalign.decision import decide
    from lexalign.ingest import ingest
    for n in names:
        if not (CORPORA / n).exists():
            pytest.skip(f"{n} not available")
    ctx = analyse([ingest(str(CORPORA / n)) for n in names], use_embeddings=False)
    return ctx, {f.element: f for f in decide(ctx, calib={})}


def gold(stem: str) -> dict[str, dict[str, str]]:
    path = GOLD / f"{stem}.tsv"
    if not path.exists():
        pytest.skip(f"{path} not available")
    with open(path, encoding="utf-8") as fh:
        return {r["element"]: r for r in csv.DictReader(fh, delimiter="\t")}


def test_each_limb_of_342_1_takes_its_definition_from_the_law_matched_by_penalty_not_by_translation():
    ctx, _ = corpus(LAW, CODE_EN)
    limbs = {f.kind: f for f in ctx.frames if f.citation == "s. 342-1"}
    assert set(limbs) == {"trafficking", "smuggling"}
    # the English "slavery" answers to "traite" (art. 2(c)); "trafficking in persons" to "trafic" (art. 2(b))
    assert limbs["trafficking"].definition == "art. 2(c)" and "'slavery'" in limbs["trafficking"].note
    assert limbs["smuggling"].definition == "art. 2(b)" and "'trafficking in persons'" in limbs["smuggling"].note
    assert "same penalty" in limbs["trafficking"].note
    assert (limbs["trafficking"].penalty.min_years, limbs["trafficking"].penalty.max_years) == (10, 20)


def test_the_french_code_reads_trafic_ou_traite_with_the_laws_definitions():
    ctx, _ = corpus(LAW, CODE_FR)
    limbs = {f.kind: f.definition for f in ctx.frames if f.citation == "art. 342-1"}
    assert limbs == {"trafficking": "art. 2(c)", "smuggling": "art. 2(b)"}


def test_transport_is_reached_only_through_trafic():
    _, f = corpus(LAW, CODE_EN)
    assert f["art3.act.transportation"].status == "partial"
    assert "movement-for-gain" in f["art3.act.transportation"].rationale


def test_means_are_required_for_children_and_the_flag_is_raised():
    _, f = corpus(LAW, CODE_EN)
    assert f["flag.child_means_required"].status == "raised"
    assert f["art3c.child_no_means"].status != "covered"


def test_no_age_definition_of_a_child_a_minor_of_15_only_aggravates():
    ctx, f = corpus(LAW, CODE_EN)
    assert f["art3d.child_under_18"].status == "missing"
    assert all(fr.child_age is None for fr in ctx.frames)


def test_consent_vitiated_only_by_violence_is_partial():
    _, f = corpus(LAW, CODE_EN)
    assert f["art3b.consent_irrelevant"].status == "partial"
    assert "vitiated" in f["art3b.consent_irrelevant"].rationale


def test_trafic_and_traite_punished_by_one_article_is_flagged_with_quotes():
    _, f = corpus(LAW, CODE_EN)
    flag = f["flag.smuggling_conflation"]
    assert flag.status == "raised" and flag.evidence
    assert any("trafic" in e.quote for e in flag.evidence)


def test_attempt_and_accessories_come_from_the_codes_general_part():
    _, f = corpus(LAW, CODE_EN)
    assert f["art5.2a.attempt"].status == "covered"
    assert any(e.citation.startswith("s. 94") for e in f["art5.2a.attempt"].evidence)
    assert f["art5.2b.accomplice"].status == "covered"


def test_national_corpus_matches_the_gold_on_95_percent_and_every_red_flag():
    for files, stem in (((LAW, CODE_EN), "cm-national-corpus"), ((LAW, CODE_FR), "cm-national-corpus-fr")):
        _, f = corpus(*files)
        g = gold(stem)
        agree = sum(f[k].status == row["status"].strip() for k, row in g.items())
        assert agree / len(g) >= 0.95, f"{stem}: {agree}/{len(g)}"
        flags = {k: row["status"].strip() for k, row in g.items() if k.startswith("flag.")}
        assert {k: f[k].status for k in flags} == flags, stem


def test_english_and_french_code_excerpts_give_the_same_verdicts():
    _, en = corpus(LAW, CODE_EN)
    _, fr = corpus(LAW, CODE_FR)
    same = sum(en[k].status == fr[k].status for k in en)
    assert same / len(en) >= 0.95, [k for k in en if en[k].status != fr[k].status]


# Each verdict on the whole OCR Code read with the Law that differs from the national-corpus gold (which
# was made on the Code's excerpts), with the provision and the reason a reviewer would accept it.
# Reviewed by reading the provisions the engine quotes; re-review when this list changes.
ACCEPTED_DIFFERENCES: dict[str, str] = {
    "art3c.child_no_means": (
        "missing where the gold says partial: no trafficking offence dispenses with means for children (Law art. 2(c) "
        "needs a means at any age, s. 342-1 takes that definition); the gold's partial rests on child offences elsewhere "
        "in the Code (ss. 294, 344, 352) that are not trafficking. The stricter reading; the red flag is raised either way."),
    "art5.2c.organising_directing": (
        "partial where the gold says covered: the engine quotes conspiracy (s. 95) and the organised-gang aggravation "
        "(art. 5) and does not read s. 97(1)(a)'s instigation ('orders or in any manner causes the commission') in the "
        "OCR text as organising or directing. An under-claim, stated as partial with its reason."),
    "untoc.12.confiscation": (
        "partial where the gold says missing: ss. 293 and 342-1(3) let the court impose 'the forfeitures described in "
        "section 30' (forfeiture of rights), not confiscation of proceeds; the verdict names the missing proceeds "
        "component, so the reviewer sees what is lacking."),
}


def test_the_whole_code_does_not_over_claim():
    ctx, f = corpus(LAW, FULL_CODE)
    g = gold("cm-national-corpus")
    covered = [k for k, x in f.items() if x.status == "covered" and g.get(k, {}).get("status", "").strip() != "covered"]
    assert covered == [], covered  # no element claimed 'covered' beyond what the gold finds
    differ = {k: f"{f[k].status} (gold {g[k]['status'].strip()}) " + "; ".join(e.citation for e in f[k].evidence)
              for k in g if f[k].status != g[k]["status"].strip()}
    unexplained = sorted(set(differ) - set(ACCEPTED_DIFFERENCES))
    assert not unexplained, "\n".join(f"{k}: {differ[k]}" for k in unexplained)


def test_the_offence_table_says_the_trafic_limb_is_not_trafficking_and_means_bind_children():
    ctx, _ = corpus(LAW, CODE_EN)
    smuggling = [f for f in ctx.frames if f.kind == "smuggling"]
    trafficking = [f for f in ctx.frames if f.kind == "trafficking"]
    assert smuggling and all(f.narrowings and f.narrowings[0].startswith("not trafficking") for f in smuggling)
    assert trafficking and all(any("child victims too" in n for n in f.narrowings) for f in trafficking)
