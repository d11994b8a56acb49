"""Offence frames: how the engine reads the offence, on small statutes written for the purpose."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from lexalign.analysis import analyse
from lexalign.decision import decide
from lexalign.frames import read_penalty
from lexalign.ingest import ingest, ingest_bytes

ROOT = Path(__file__).resolve().parents[1]
OLD_STYLE = ROOT / "tests" / "statutes" / "traffic-in-women-and-children.txt"


def frames_of(text: str, name: str = "act.txt"):
    return analyse([ingest_bytes(text.encode("utf-8"), source=name)], use_embeddings=False).frames


def verdicts_of(ctx) -> dict[str, str]:
    return {f.element: f.status for f in decide(ctx, calib={})}


OFFENCE = """Trafficking in persons
4. (1) A person who recruits, transports or harbours another person, by means of threat or deception, for the purpose of exploitation, commits an offence.
(2) A person who commits an offence under subsection (1) is liable on conviction to imprisonment for a term of not less than five years and not more than fifteen years.
"""


def act(definitions: str, offence: str = OFFENCE, extra: str = "") -> str:
    return ("THE PREVENTION OF TRAFFICKING IN PERSONS ACT\n\n1. Short title\nThis Act may be cited as the Prevention of "
            "Trafficking in Persons Act.\n\n" + definitions + "\n" + offence + extra)


DEFS_ACT = """Interpretation
2. In this Act, unless the context otherwise requires—
"child" means a person under the age of eighteen years;
"exploitation" includes the prostitution of others, forced labour and the removal of organs;
"""


def test_offence_is_read_into_acts_means_purposes_and_penalty():
    (f,) = frames_of(act(DEFS_ACT))
    assert f.citation == "s. 4" and f.kind == "trafficking"
    assert f.acts == ["recruitment", "transportation", "harbouring"]
    assert f.means == ["threat", "deception"] and f.means_required_adults is True
    assert set(f.purposes) == {"sexual_exploitation", "forced_labour", "organ_removal"} and f.purpose_open_list
    assert (f.penalty.min_years, f.penalty.max_years, f.penalty.fine_alternative) == (5, 15, False)
    assert f.definition.startswith("s. 2")
    assert f.cite("act:recruitment")[0].citation.startswith("s. 4")


def test_child_age_comes_from_the_definition_that_applies():
    assert frames_of(act(DEFS_ACT))[0].child_age == 18


def test_a_child_defined_for_another_section_does_not_carry_over():
    defs = DEFS_ACT.replace('"child" means a person under the age of eighteen years;\n', "")
    other = ("\nChild labour\n9. (1) No person shall employ a child in hazardous work.\n(2) In this section, \"child\" means "
             "a person under the age of fifteen years.\n")
    assert frames_of(act(defs, extra=other))[0].child_age is None


def test_in_this_section_beats_in_this_act():
    offence = OFFENCE + "(3) In this section, \"child\" means a person under the age of sixteen years.\n"
    assert frames_of(act(DEFS_ACT, offence=offence))[0].child_age == 16


def test_in_this_part_applies_only_inside_the_part():
    part = ("PART II\nOFFENCES\n\nInterpretation of Part\n3. In this Part, \"child\" means a person under the age of "
            "seventeen years.\n\n")
    defs = DEFS_ACT.replace('"child" means a person under the age of eighteen years;\n', "")
    assert frames_of(act(defs, offence=part + OFFENCE))[0].child_age == 17


def test_consent_made_an_element_reads_as_a_defence():
    offence = OFFENCE.replace("another person, by means", "another person without his or her consent, by means")
    assert frames_of(act(DEFS_ACT, offence=offence))[0].consent == "defence"


def test_consent_declared_irrelevant_anywhere_in_the_act():
    extra = "\nConsent\n5. The consent of a victim of trafficking to the intended exploitation is irrelevant.\n"
    assert frames_of(act(DEFS_ACT, extra=extra))[0].consent == "irrelevant"


def test_a_separate_child_offence_without_means_is_its_own_frame():
    extra = ("\nTrafficking in children\n5. (1) A person who recruits, transports or harbours a child for the purpose of "
             "exploitation commits an offence, whether or not any of the means referred to in section 4(1) is used.\n"
             "(2) A person who commits an offence under subsection (1) is liable on conviction to imprisonment for life.\n")
    frames = frames_of(act(DEFS_ACT, extra=extra))
    child = [f for f in frames if f.kind == "child_trafficking"]
    assert len(child) == 1 and child[0].victims == "children" and child[0].means_required_children is False
    assert child[0].penalty.life


def test_ancillary_and_aggravation_sections_are_not_offences_of_trafficking():
    extra = ("\nAggravated trafficking\n6. A person who commits an offence under section 4 against a child is liable to "
             "imprisonment for life.\n\nUsing the services of a victim\n7. A person who knowingly uses the services of a "
             "victim of trafficking commits an offence and is liable to imprisonment for five years.\n")
    assert [f.citation for f in frames_of(act(DEFS_ACT, extra=extra))] == ["s. 4"]


def test_penalty_reading():
    assert read_penalty("imprisonment for a term not exceeding two years, or to a fine, or to both").fine_alternative
    assert not read_penalty("imprisonment for fifteen years and a fine of one million").fine_alternative
    p = read_penalty("est puni d'un emprisonnement de dix (10) à vingt (20) ans")
    assert (p.min_years, p.max_years) == (10, 20)
    assert read_penalty("se impondrá prisión de cinco a ocho años").max_years == 8
    assert read_penalty("imprisonment for life").life


def test_the_1930s_ordinance_is_read_as_narrowing_the_protocol():
    """Old-style: offence elements partial with the narrowing named, and its red flags raised."""
    ctx = analyse([ingest(str(OLD_STYLE))], use_embeddings=False)
    (f,) = ctx.frames
    assert f.kind == "old_style" and f.victims == "women_and_children" and f.purposes == ["sexual_exploitation"]
    assert f.transnational_required and f.consent == "defence" and f.penalty.fine_alternative
    assert f.means_required_children is True and f.child_age == 16
    v = verdicts_of(ctx)
    for element in ("art3.act.recruitment", "art3.purpose.sexual_exploitation", "art5.1.criminalisation",
                    "art3a.three_element_definition"):
        assert v[element] == "partial", element
    findings = {x.element: x for x in decide(ctx, calib={})}
    assert "women and children" in findings["art3.act.recruitment"].rationale
    for flag in ("flag.victim_scope_restricted", "flag.sexual_purpose_only", "flag.transnational_required",
                 "flag.child_means_required", "flag.consent_defence", "flag.fine_in_lieu"):
        assert v[flag] == "raised", flag


def test_the_1933_act_gets_its_old_style_reading(corpora):
    path = corpora / "bd-suppression-immoral-traffic-act-1933.txt"
    ctx = analyse([ingest(str(path))], use_embeddings=False)
    assert [f.citation for f in ctx.frames] == ["s. 9", "s. 10", "s. 11"]
    v = verdicts_of(ctx)
    for element in ("art3.act.recruitment", "art3.act.transportation", "art3.act.harbouring", "art5.1.criminalisation",
                    "art3.purpose.sexual_exploitation"):
        assert v[element] == "partial", element
    for flag in ("flag.victim_scope_restricted", "flag.sexual_purpose_only", "flag.consent_defence", "flag.fine_in_lieu"):
        assert v[flag] == "raised", flag


def test_offences_appear_in_the_json_and_the_markdown_report(tmp_path):
    from lexalign.align import check
    report = check([ingest(str(OLD_STYLE))], use_embeddings=False)
    data = json.loads(report.to_json())
    (o,) = data["document"]["offences"]
    assert o["citation"] == "s. 3" and o["victims"]["value"] == "women_and_children"
    assert o["consent"]["evidence"][0]["citation"].startswith("s. 3") and "consent" in o["consent"]["evidence"][0]["quote"]
    md = report.to_markdown()
    assert "## How the offence reads" in md and "| s. 3 (old style)" in md
    assert "How the offence reads" in report.to_html()


def test_an_offence_whose_means_bind_children_says_so_when_no_other_offence_spares_them():
    only_means = frames_of(act(DEFS_ACT))
    assert any("requires means for child victims too" in n for f in only_means for n in f.narrowings)
    child_limb = OFFENCE.replace("commits an offence.\n", "commits an offence.\n(1A) A person who recruits, transports "
                                 "or harbours a child for the purpose of exploitation commits an offence, whether or "
                                 "not any of the means referred to in subsection (1) is used.\n", 1)
    spared = frames_of(act(DEFS_ACT, offence=child_limb))
    assert not any("requires means for child victims too" in n for f in spared for n in f.narrowings)


def test_a_child_offence_beside_a_general_offence_is_not_reported_as_narrowing():
    extra = ("\nTrafficking in children\n5. (1) A person who recruits, transports or harbours a child for the purpose of "
             "exploitation commits an offence, whether or not any of the means referred to in section 4(1) is used.\n"
             "(2) A person who commits an offence under subsection (1) is liable on conviction to imprisonment for life.\n")
    child = [f for f in frames_of(act(DEFS_ACT, extra=extra)) if f.kind == "child_trafficking"]
    assert child and "protects only children" not in child[0].narrowings
    alone = frames_of(act(DEFS_ACT, offence=extra.replace("section 4(1)", "this Act")))
    assert any("protects only children" in f.narrowings for f in alone)
