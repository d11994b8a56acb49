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


def verdicts_for(text: str, name: str = "act.txt") -> dict[str, str]:
    """The verdicts of a small statute read from its text (rules only)."""
    return verdicts_of(analyse([ingest_bytes(text.encode("utf-8"), source=name)], use_embeddings=False))


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
    # "with intent that she may be taken": the mental element is a lawyer's, whoever the offence protects
    assert v["art5.1.intent"] == "covered"
    # "without her consent" stands in for coercion, narrowly
    assert v["art3.means.coercion"] == "partial"
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
    assert "## How the offence reads" in md and "| s. 3 (old-style offence)" in md
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


# --- reading the offence whole (session 4): lists, limbs, defined terms, definitions standing alone

def test_consent_denied_in_a_list_of_no_defences_is_irrelevant_consent():
    offence = OFFENCE + ("(3) It shall not be a defence to a charge under this section for an offender to prove that—\n"
                         "(a) the victim consented to any act constituting the offence; or\n"
                         "(b) the victim had previously engaged in prostitution.\n")
    (f,) = frames_of(act(DEFS_ACT, offence))
    assert f.consent == "irrelevant"
    assert any("consented" in e.quote for e in f.evidence["consent"])


def test_a_voluntary_limb_needs_no_means_and_so_is_a_child_limb_without_means():
    offence = ("Trafficking in persons\n4. (1) Any person who transports another person—\n"
               "(a) involuntarily, by force, threats or deception; or\n(b) voluntarily, for an unlawful purpose,\n"
               "commits an offence and is liable to imprisonment for fifteen years.\n")
    defs = DEFS_ACT + '"unlawful purpose" means prostitution, forced labour or the removal of organs;\n'
    text = act(defs, offence)
    (f,) = frames_of(text)
    assert f.means_required_adults is False
    assert set(f.purposes) >= {"sexual_exploitation", "forced_labour", "organ_removal"}  # from "unlawful purpose"
    assert verdicts_for(text)["art3c.child_no_means"] == "covered"


def test_the_form_of_the_term_the_offence_uses_takes_its_definition():
    defs = ('Interpretation\n2. In this Act—\n"trafficked person" means a person who is the victim of trafficking;\n'
            '"trafficking in persons" or "traffics in persons" means the recruiting, transporting, harbouring or receiving '
            'of a person for the purpose of exploitation;\n"exploitation" means forced labour or slavery;\n')
    offence = "Offence\n4. Any person who traffics in persons commits an offence and is liable to imprisonment for twenty years.\n"
    (f,) = frames_of(act(defs, offence))
    assert f.acts == ["recruitment", "transportation", "harbouring", "receipt"]
    assert "traffics in persons" in f.definition


def test_a_definition_without_an_offence_is_read_as_the_offence_and_says_so():
    text = ("Ley de trata\n\nArtículo 1\nLa presente ley tiene por objeto prevenir la trata de personas.\n\n"
            "Artículo 2\n(Definiciones).- A los efectos de esta ley se entenderá por:\n\n"
            "A) Trata de personas. La captación, el transporte,\n el traslado, la acogida o la recepción de personas,\n"
            " aunque mediare el consentimiento de las mismas, con fines de\n explotación.\n\n"
            "B) Explotación. Los trabajos o servicios forzosos, la esclavitud o la extracción\n de órganos.\n")
    (f,) = frames_of(text, "ley.txt")
    assert f.citation == "art. 2 lit. A)" and "read from the definition" in f.note
    assert f.consent == "irrelevant" and f.means_required_adults is False
    assert {"forced_labour", "slavery", "organ_removal"} <= set(f.purposes)  # across line breaks


def test_means_named_only_where_the_penalty_rises_are_not_means_of_the_offence():
    text = ("Código\n\nArtículo 145 ter: El que captare, trasladare, acogiere o recibiere personas menores de\n"
            "dieciocho años de edad, con fines de explotación, será reprimido con prisión de cuatro a diez años.\n"
            "En cualquiera de los supuestos anteriores, la pena\nserá de diez a quince años de prisión, cuando:\n"
            "1. Mediare engaño, fraude, violencia o amenaza;\n2. El autor fuere funcionario público.\n")
    (f,) = frames_of(text, "codigo.txt")
    assert f.kind == "child_trafficking" and f.victims == "children"
    assert f.means == [] and f.means_required_children is False


def test_an_explanatory_memorandum_after_the_bill_enacts_nothing():
    memo = ("\n\nEXPLANATORY MEMORANDUM\n\nClause 4: Trafficking in persons\nThis clause makes it an offence to recruit a "
            "person by means of threats for exploitation, and the penalty is a fine or imprisonment.\n")
    text = act(DEFS_ACT, OFFENCE, "\n5. Commencement\nThis Act comes into force on notification.\n" + memo)
    ctx = analyse([ingest_bytes(text.encode(), source="bill.txt")], use_embeddings=False)
    assert [f.citation for f in ctx.frames] == ["s. 4"]
    assert not any("This clause" in u.text for u in ctx.units)  # no verdict can quote the memorandum
    from lexalign.segment import segment
    tree = segment(ingest_bytes(text.encode(), source="bill.txt"))
    assert tree[-1].kind == "endnote" and tree[-1].citation == "explanatory memorandum"


def test_organising_wording_is_not_narrowed_by_a_conspiracy_clause_beside_it():
    offence = OFFENCE + ("5. Any person who—\n(a) organises, instigates, commands or directs another person to commit an "
                         "offence under section 4; or\n(b) conspires with another to commit an offence under section 4,\n"
                         "commits an offence and is liable to imprisonment for fifteen years.\n")
    assert verdicts_for(act(DEFS_ACT, offence))["art5.2c.organising_directing"] == "covered"


def test_a_fine_in_lieu_for_an_ancillary_offence_is_not_the_trafficking_penalty():
    offence = OFFENCE + ("6. A person who fails to report an offence under section 4 commits an offence and is liable to "
                         "a fine of 2,000 dollars or to imprisonment for two years or both.\n")
    assert verdicts_for(act(DEFS_ACT, offence))["flag.fine_in_lieu"] == "not_raised"
    lenient = OFFENCE.replace("imprisonment for a term of", "a fine of 10,000 dollars or to imprisonment for a term of")
    assert verdicts_for(act(DEFS_ACT, lenient))["flag.fine_in_lieu"] == "raised"


def test_a_profit_motive_in_the_definition_of_organised_group_does_not_narrow_intent():
    defs = DEFS_ACT + ('"organised criminal group" means a structured group of three or more persons acting in concert to '
                       'commit serious offences in order to obtain, directly or indirectly, a financial or other material benefit;\n')
    assert verdicts_for(act(defs))["art5.1.intent"] == "covered"
    profit = OFFENCE.replace("for the purpose of exploitation", "for the purpose of exploitation and for a financial or other material benefit")
    assert verdicts_for(act(DEFS_ACT, profit))["art5.1.intent"] == "partial"


def test_acts_towards_a_person_already_trafficked_are_not_acts_of_trafficking():
    offence = ("Crime of trafficking in persons\n4. (1) Any person who—\n(a) trafficks any individual by transporting him "
               "or her by force, fraud or deception; or\n(b) recruits, harbours or receives another person that he or she "
               "knows is being trafficked;\nshall be guilty of the crime of trafficking in persons and liable to imprisonment "
               "for twenty years.\n")
    text = act(DEFS_ACT, offence)
    (f,) = frames_of(text)
    assert f.acts == ["transportation"] and set(f.ancillary_acts) == {"recruitment", "harbouring", "receipt"}
    assert any("moving the person" in n for n in f.narrowings)
    verdicts = verdicts_of(analyse([ingest_bytes(text.encode(), source="act.txt")], use_embeddings=False))
    assert verdicts["flag.movement_required"] == "raised"
    assert verdicts["art3.act.recruitment"] == "partial" and verdicts["art3.act.transportation"] == "covered"


def test_diff_names_what_one_edit_took_out_of_the_offence():
    from lexalign.diff import diff_documents, render_diff
    old = act(DEFS_ACT)
    new = old.replace("by means of threat or deception", "by means of threat").replace(
        "recruits, transports or harbours", "recruits or transports")
    d = diff_documents(ingest_bytes(old.encode(), source="v1.txt"), ingest_bytes(new.encode(), source="v2.txt"),
                       use_embeddings=False)
    (change,) = d["offence_changes"]
    removed = {f["field"]: f["removed"] for f in change["fields"] if "removed" in f}
    assert removed == {"acts": ["harbouring"], "means": ["deception"]}
    assert "acts: removed harbouring" in render_diff(d, "md")


def test_an_intermediary_reached_only_for_the_purposes_of_trafficking_is_an_accessory():
    offence = ("Prohibition of trafficking\n4. (1) A person shall not traffic another person or act as an intermediary "
               "for the trafficking of a person.\n(2) A person who contravenes subsection (1) commits an offence and is "
               "liable to imprisonment for ten years.\n(3) To act as an intermediary means to send to, take to or to "
               "receive at any place any person for the purposes of trafficking.\n")
    text = act(DEFS_ACT, offence)
    ctx = analyse([ingest_bytes(text.encode(), source="act.txt")], use_embeddings=False)
    f = next(x for x in ctx.frames if x.citation == "s. 4")
    assert "receipt" in f.ancillary_acts and "receipt" not in f.acts
    assert {"value": "receipt", "accessory": True}.items() <= next(
        a for a in f.to_dict()["acts"] if a["value"] == "receipt").items()
    assert verdicts_of(ctx)["art3.act.receipt"] == "partial"


def test_forms_of_exploitation_named_only_in_other_offences_are_partial_when_exploitation_is_undefined():
    text = ("Código Penal\n\nARTICULO 140. - Serán reprimidos con prisión de cuatro a quince años el que redujere a una "
            "persona a esclavitud o servidumbre, o la obligare a realizar trabajos o servicios forzados.\n\n"
            "ARTICULO 145 bis. - Será reprimido con prisión de cuatro a ocho años, el que ofreciere, captare, trasladare, "
            "recibiere o acogiere personas con fines de explotación, aunque mediare el consentimiento de la víctima.\n")
    ctx = analyse([ingest_bytes(text.encode(), source="codigo.txt")], use_embeddings=False)
    v = verdicts_of(ctx)
    assert v["art3.purpose.servitude"] == "partial" and v["art3.purpose.forced_labour"] == "partial"
    assert v["art3b.consent_irrelevant"] == "covered"


def test_a_purpose_that_is_a_breach_of_immigration_law_conflates_trafficking_with_smuggling():
    defs = DEFS_ACT + ('"illegal work" means work that is not permitted by the labour or immigration laws of the country;\n'
                       '"unlawful purpose" means prostitution, forced labour or illegal work;\n')
    offence = ("Trafficking in persons\n4. Any person who transports another person for an unlawful purpose commits an "
               "offence and is liable to imprisonment for ten years.\n")
    assert verdicts_for(act(defs, offence))["flag.smuggling_conflation"] == "raised"
    clean = defs.replace(" or illegal work", "")
    assert verdicts_for(act(clean, offence))["flag.smuggling_conflation"] == "not_raised"


def test_a_child_defined_below_eighteen_is_named_as_a_narrowing():
    (f,) = frames_of(act(DEFS_ACT.replace("under the age of eighteen years", "under the age of sixteen years")))
    assert f.child_age == 16 and any("under 16, not under 18" in n for n in f.narrowings)
    (g,) = frames_of(act(DEFS_ACT))
    assert not any("not under 18" in n for n in g.narrowings)


def test_a_chilean_code_article_reads_its_suffix_its_degrees_and_its_child_limb():
    text = ("Código Penal\n\nArtículo 411 bis\n\nTráfico de migrantes. El que con ánimo de lucro facilite la entrada ilegal "
            "al país de una persona que no sea nacional, será castigado con reclusión menor en su grado medio a máximo.\n\n"
            "Artículo 411 quáter\n\nEl que mediante violencia, intimidación, coacción o engaño capte, traslade, acoja o "
            "reciba personas para que sean objeto de alguna forma de explotación sexual, trabajos o servicios forzados, "
            "será castigado con la pena de reclusión mayor en sus grados mínimo a medio.\n\nSi la víctima fuere menor de "
            "edad, aun cuando no concurriere violencia, intimidación, coacción o engaño, se impondrán las mismas penas.\n")
    frames = frames_of(text, "codigo.txt")
    assert [f.citation for f in frames] == ["art. 411 quáter"]  # the smuggling article is not trafficking
    (f,) = frames
    assert (f.penalty.min_years, f.penalty.max_years) == (5, 15)
    assert f.means_required_adults is True and f.means_required_children is False


def test_a_gazette_text_that_lost_its_article_keywords_still_yields_its_offence():
    text = ("LAW ON TRAFFICKING IN PERSONS\n\n1: Purpose of this Law The purpose of this Law is to punish trafficking in persons.\n"
            "2: Definition of terms In this Law, the following terms have the meanings ascribed to them below:\n"
            "1º exploitation of another:\na) forced or coerced labour, slavery or practices similar to slavery;\n"
            "b) removal of organs;\n"
            "2º trafficking in persons:\na) any act committed by a person who, for the purpose of exploitation, recruits, "
            "transports, transfers, harbours or receives another person by means of threat, force or deception;\n"
            "3º transnational trafficking in persons: an offence of trafficking in persons committed in more than one State;\n"
            "3: Offence of trafficking in persons A person convicted of trafficking in persons is liable to imprisonment "
            "for a term of not less than ten years and not more than fifteen years.\n")
    (f,) = frames_of(text, "law.txt")
    assert f.citation == "art. 3" and f.definition.startswith("art. 2")  # the definition in art. 2, item 2º
    assert f.acts == ["recruitment", "transportation", "transfer", "harbouring", "receipt"]
    assert {"forced_labour", "slavery", "organ_removal"} <= set(f.purposes)
