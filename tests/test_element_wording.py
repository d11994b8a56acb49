"""The element rules read the usual drafting of protection, prevention and gap duties in English,
French and Spanish, and not the generic sentences that share their words.

The sentences are our own model wording (no statute is quoted).  Only the wording patterns of
``corpora/element_rules.yaml`` are exercised (with their false friends), so the tests are fast and
need no embedding model; how a match becomes a verdict is tested elsewhere.
"""
from __future__ import annotations

import pytest

from lexalign.lexical import find_hits
from lexalign.reference import load_rules


def components_found(element: str, sentence: str) -> list[str]:
    rule = load_rules()["elements"][element]
    ffs = rule.get("false_friends", []) or []
    return [c["name"] for c in rule["components"]
            if not c["pattern"].startswith("__") and find_hits(sentence, c["pattern"], c["name"], ffs)]


def meets_full_test(element: str, sentence: str) -> bool:
    return len(components_found(element, sentence)) == len(load_rules()["elements"][element]["components"])


FULL = [
    ("gap.survival.non_punishment", "No será punible la víctima de trata por los delitos que haya cometido como resultado directo de la trata."),
    ("gap.survival.non_punishment", "Les victimes de la traite ne sont pas poursuivies pour les infractions qu'elles ont commises sous la contrainte."),
    ("gap.survival.non_punishment", "A victim of trafficking shall not be penalised for any crime committed as a direct result of the trafficking."),
    ("art7.residence_status", "Les victimes étrangères peuvent obtenir un titre de séjour."),
    ("art7.residence_status", "Se otorgará a la víctima extranjera un permiso de residencia temporal por razones humanitarias."),
    ("art8.repatriation", "Se garantizará la repatriación segura y voluntaria de la víctima."),
    ("art9.1.policies_nap", "Le Gouvernement adopte un plan national d'action de lutte contre la traite des personnes."),
    ("art9.2.awareness_research", "Se realizarán campañas de sensibilización y difusión y se promoverán estudios e investigaciones sobre la trata."),
    ("gap.capacity.training", "Se impartirá capacitación a los funcionarios policiales, fiscales y jueces sobre trata de personas."),
    ("gap.monitoring.national_body", "Créase la Comisión Interinstitucional para la Lucha contra la Trata de Personas, que tendrá las siguientes funciones:"),
    ("gap.protection.shelter", "Les victimes ont droit à un hébergement approprié et sûr."),
    ("gap.protection.psychosocial_medical", "La víctima recibirá atención médica y psicológica gratuita."),
    ("gap.protection.confidentiality", "Las actuaciones serán reservadas y no podrá difundirse la identidad de la víctima."),
    ("gap.protection.cooperation_not_conditional", "La asistencia no estará condicionada a la colaboración de la víctima en el proceso penal."),
    ("gap.child.special_protection", "En caso de duda sobre la edad se presumirá que la víctima es menor de edad; se atenderá al interés superior del niño."),
    ("gap.nonstate.duty_to_report", "Toute personne qui a connaissance d'un fait de traite est tenue d'en informer les autorités."),
]

GENERIC = [
    ("gap.survival.non_punishment", "A person shall not be liable to a fine for an offence under this section unless the victim is a child."),
    ("art7.residence_status", "Any person who knowingly permits a woman to remain in premises used as a brothel commits an offence."),
    ("art7.residence_status", "Le juge peut autoriser le prévenu à séjourner sur le territoire d'une autre commune."),
    ("art9.1.policies_nap", "The social worker shall prepare a care plan for the child."),
    ("gap.monitoring.national_body", "Il est créé un fonds d'aide aux victimes, chargé de financer l'assistance."),
    ("gap.protection.shelter", "Any person who harbours or shelters a fugitive commits an offence."),
    ("gap.protection.psychosocial_medical", "The offence caused serious psychological harm to the victim."),
    ("gap.capacity.training", "Se brindará capacitación laboral a las víctimas."),
    ("gap.protection.confidentiality", "The Minister shall protect the identity documents of citizens."),
]


@pytest.mark.parametrize("element,sentence", FULL, ids=[f"{e}: {s[:40]}" for e, s in FULL])
def test_usual_drafting_meets_the_full_test(element, sentence):
    assert meets_full_test(element, sentence), components_found(element, sentence)


@pytest.mark.parametrize("element,sentence", GENERIC, ids=[f"{e}: {s[:40]}" for e, s in GENERIC])
def test_generic_sentence_sharing_the_words_does_not(element, sentence):
    assert not meets_full_test(element, sentence), components_found(element, sentence)


def test_repatriation_safety_must_concern_the_return():
    """'safety' in an unrelated sentence is no safe repatriation."""
    assert components_found("art8.repatriation", "The court shall ensure the safety of the public.") == []


def test_vulnerability_circumstances_must_qualify_vulnerability():
    """A stray 'social' does not define vulnerability by social circumstances."""
    assert components_found("gap.survival.vulnerability_definition", "The social worker shall visit the victim.") == []
