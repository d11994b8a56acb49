"""The offence-structure helpers that the element rules and the flags share.

Means-free offences, means only in the definition of exploitation, offences resting on sections the
text does not contain, the penalty components of the element rules, victim and purpose limits.
Elements and flags both read this module; neither reads the other.
"""
from __future__ import annotations

import re
from .. import frame_words as W
from ..lexical import compile_wording, Hit, compile_pattern, normalise
from ..units import SECTION_KINDS, CorpusContext, RuleOutcome, Unit, _definition_group, _ref_num
from .penalties import _PENALTY_WORDS
from .record import OffenceFrame
from .definitions import _EXPLOITATION_DEFINITION


def _special_component(name: str, units: list[Unit]) -> list[tuple[Unit, Hit]]:
    if name == "__penalty_4y__":
        out = []
        for u in units:
            norm = normalise(u.text)
            for m in re.finditer(r"(imprison\w*|emprisonnement|réclusion|prisión|détention criminelle)", norm):
                window = norm[max(0, m.start() - 120): m.end() + 160]
                if re.search(r"(for life|life imprisonment|à perpétuité|perpetua)", window):
                    out.append((u, Hit(m.start(), m.end(), "penalty")))
                    break
                years = []
                for y in re.finditer(r"(\d{1,2}|[a-zéáí]+)\s*(?:\((\d+)\)\s*)?(?:years?|ans|años)", window):
                    tok = y.group(2) or y.group(1)  # "veintitrés (23) años": the figure decides
                    val = int(tok) if tok.isdigit() else _PENALTY_WORDS.get(tok)
                    if val:
                        years.append(val)
                if years and max(years) >= 4:
                    out.append((u, Hit(m.start(), m.end(), "penalty")))
                    break
        return out
    if name == "__fine_alternative__":
        out = []
        for u in units:
            norm = normalise(u.text)
            m = W.FINE_ALTERNATIVE.search(norm)  # the same wording the offence frames read
            if m:
                out.append((u, Hit(m.start(), m.end(), "fine alternative")))
        return out
    return []


MEANS_ELEMENTS = ("art3.means.threat_or_use_of_force", "art3.means.coercion", "art3.means.abduction",
                  "art3.means.fraud", "art3.means.deception", "art3.means.abuse_of_power",
                  "art3.means.abuse_of_vulnerability", "art3.means.payments_to_controller")
# words by which an offence refers to a list of means the text (or an excerpt of it) does not show
_MEANS_REFERENCE = compile_wording(r"(the means (?:referred|listed|set out|mentioned|specified)|any of the means|"
                              r"moyens (?:énumérés|visés|prévus|mentionnés)|aucun des moyens|"
                              r"medios (?:enumerados|previstos|señalados|mencionados)|ninguno de los medios)")


def _means_free_offence(ctx: CorpusContext) -> None:
    """An offence of act + exploitative purpose that asks for no means at all covers every means.

    Some laws (Colombia's art. 188A, the US-style 'any person who recruits... for exploitation')
    drop the means element altogether: the offence is then broader than the Protocol, and
    trafficking by threat, deception or any other means is punishable. This holds only where the
    text neither lists means nor refers to a list of means it does not show (an excerpt).
    """
    o = ctx.outcomes
    definition = o.get("art3a.three_element_definition")
    crim = o.get("art5.1.criminalisation")
    if not definition or not crim or crim.level == 0:
        return
    if not ({"act", "exploitative purpose"} <= set(definition.found)) or "means" in definition.found:
        return
    if any(o.get(m) and o[m].level >= 1 for m in MEANS_ELEMENTS):
        return
    anchored = [u for u in ctx.units if u.anchored]
    if any(_MEANS_REFERENCE.search(normalise(u.text)) for u in anchored):
        return
    offence_hits = [h for h in definition.hits if h[1].component in ("act", "exploitative purpose")]
    crim_units = {h[0].index for h in crim.hits}
    offence_hits = [h for h in offence_hits if h[0].index in crim_units] or offence_hits
    why = "the offence requires no means at all (act and exploitative purpose suffice), so it reaches this means"
    for m in MEANS_ELEMENTS:
        o[m] = RuleOutcome(2, offence_hits[:2], ["offence without a means element"], [], why, False)
    o["art3a.three_element_definition"] = RuleOutcome(
        2, definition.hits, definition.found + ["no means required (broader than the Protocol)"], [],
        "act and exploitative purpose, with no means required: broader than the Protocol", False)
    child = o.get("art3c.child_no_means")
    if child is None or child.level < 2:
        o["art3c.child_no_means"] = RuleOutcome(2, offence_hits[:2], ["no means required for any victim"], [],
                                                "no means are required for any victim, children included", False)


_GAP_MARK = compile_wording(r"(\[\s*(?:\.\.\.|…)\s*\]|début manquant|beginning missing|texto incompleto)")
_MEANING_OF = compile_wording(r"(?:within the meaning of|as defined in|au sens de|tel que défini à|en el sentido del?)\s+"
                         r"(?:sections?|articles?|art\.|s\.|artículos?)\s+(\d+[\w\-.]*|premier|primero|first)")


#: characters of a section's end read again with a unit's chapeau and text (longer than any phrase sought)
_JOIN_WINDOW = 400


def _offence_incomplete(ctx: CorpusContext) -> None:
    """An offence whose terms lie outside the text (an excerpt's gap, a section not included) is partial.

    "A person shall not traffic another person within the meaning of section 1" criminalises
    whatever section 1 says; if section 1 is not in the text, the reader cannot confirm the offence
    covers all Art 3 conduct (the annotation guide: judge only what the file contains).
    """
    crim = ctx.outcomes.get("art5.1.criminalisation")
    if not crim or crim.level != 2:
        return
    nums = {p.num.lower() for u in ctx.units for p in [u.section] if p.kind in SECTION_KINDS}
    offence_units = {h[0].index: h[0] for h in crim.hits if h[1].component == "offence of trafficking"}
    by_section: dict[int, tuple[str, re.Match | None, re.Match | None]] = {}
    for u in offence_units.values():
        # the section's words are read once per section, not once per unit of it (a flattened statute is
        # one section of thousands of units); the unit's own words are read with the section's last ones,
        # so that a phrase running from the section into the chapeau is still found
        if id(u.section) not in by_section:
            sec_norm = normalise(u.doc.text[u.section.start:u.section.end])
            by_section[id(u.section)] = (sec_norm, _GAP_MARK.search(sec_norm),
                                         next((m for m in _MEANING_OF.finditer(sec_norm) if _ref_num(m) not in nums), None))
        sec_norm, gap, ref = by_section[id(u.section)]
        if not (gap or ref):
            own = sec_norm[-_JOIN_WINDOW:] + " " + normalise(u.chapeau + " " + u.text)
            gap = _GAP_MARK.search(own)
            ref = next((m for m in _MEANING_OF.finditer(own) if _ref_num(m) not in nums), None)
        if gap or ref:
            crim.level, crim.narrowed = 1, True
            crim.reason = ("the offence's terms are not all in the text (" +
                           ("the text marks a gap" if gap else f"it relies on {ref.group(0).split()[-2]} "
                            f"{ref.group(1)}, which the text does not contain") + ")")
            return


def _is_exploitation_definition(u: Unit) -> bool:
    if u.provision.kind == "definition" and re.match(r"(exploit|explot)", normalise(u.provision.term or "")):
        return True
    heading = normalise(u.section.heading or "")
    return bool(re.match(r"(exploitation|explotación)\W*$", heading)) or bool(
        _EXPLOITATION_DEFINITION.search(normalise(u.chapeau + " " + u.text)))


def _means_only_in_exploitation(ctx: CorpusContext) -> None:
    """A means found only inside the definition of exploitation is partial, not a means of the offence.

    Canada's s.279.04 (exploitation = causing fear for safety, with force, deception or abuse of
    trust as factors) and definitions such as 'fraudulent use ... for removal of organs' qualify
    the purpose; they do not make the means an alternative way of committing the offence.
    """
    narrowed = False
    for m in MEANS_ELEMENTS:
        out = ctx.outcomes.get(m)
        if not out or out.level != 2 or not out.hits:
            continue
        if all(_is_exploitation_definition(u) for u, _ in out.hits):
            out.level, out.narrowed = 1, True
            out.reason = "this means appears only inside the definition of exploitation, not as a means of the offence"
            narrowed = True
    if not narrowed or any(ctx.outcomes.get(m) and ctx.outcomes[m].level == 2 for m in MEANS_ELEMENTS):
        return
    ctx.means_in_exploitation = True
    # the means live inside 'exploitation': the three-element structure and the child limb are only partial
    why = ("the means are built into the definition of exploitation rather than listed as means of the offence, "
           "so the structure departs from the Protocol")
    for eid in ("art3a.three_element_definition", "art3c.child_no_means"):
        out = ctx.outcomes.get(eid)
        if out and out.level == 2:
            out.level, out.narrowed, out.reason = 1, True, why


def _means_based_definition(ctx: CorpusContext) -> list[Unit]:
    """Units of a provision that defines trafficking as act + means + exploitative purpose.

    All three must stand in the same provision (definition entry or section): means words scattered
    elsewhere ("fraudulent practices during recruitment" in a labour convention, "entry into force")
    do not make a means-based trafficking definition.
    """
    definition = ctx.outcomes.get("art3a.three_element_definition")
    if not definition:
        return []
    acts = {_definition_group(u) for u, h in definition.hits if h.component == "act"}
    purposes = {_definition_group(u) for u, h in definition.hits if h.component == "exploitative purpose"}
    out = []
    for m in MEANS_ELEMENTS:
        o = ctx.outcomes.get(m)
        if not o or o.level == 0 or "offence without a means element" in o.found:
            continue
        out.extend(u for u, _ in o.hits if _definition_group(u) in acts & purposes)
    return list({u.index: u for u in out}.values())


_OFFENCE_OUTCOMES = ("art5.1.criminalisation", "art3a.three_element_definition")


def _anchored_matching(ctx: CorpusContext, pattern: str) -> list[Unit]:
    pat = compile_pattern(pattern)
    return [u for u in ctx.units if u.anchored and pat.search(normalise(u.text))]


def victim_scope_restriction(ctx: CorpusContext) -> list[Unit]:
    """Units showing the offence protects only women and/or children (empty when it protects any person).

    "Traffic in women and children" limits the victims; a statute that also speaks of trafficking in
    persons generally is not so limited.
    """
    restricted = _anchored_matching(ctx, r"(traffick\w* (?:in|of) women and children|women and(?:/or)? children for|"
                                         r"any woman or child|women and girls|femmes? (?:et|ou) (?:des )?enfants?)")
    general = _anchored_matching(ctx, r"(traffick\w* in persons|trafficking of persons|(?:recruits?|transports?|harbou?rs?|"
                                      r"receives?) (?:a |any |another )?person|traite des (?:personnes|êtres humains)|"
                                      r"trata de (?:personas|seres humanos)|any person\b(?! who))")
    if restricted and not any(re.search(r"traffick\w* in persons|traite des|trata de", normalise(u.text)) for u in general):
        return restricted
    offences = [f for f in ctx.frames if f.kind != "smuggling"]
    if offences and all(f.victims != "any_person" for f in offences) and any(f.victims != "children" for f in offences):
        return [u for f in offences for u, _ in f.hits.get("act:" + f.acts[0], [])[:1]] if offences[0].acts else []
    return []


def frames_with(ctx: CorpusContext, test) -> list[OffenceFrame]:
    """The trafficking offence frames (smuggling aside) that pass ``test``."""
    return [f for f in ctx.frames if f.kind != "smuggling" and test(f)]


def frame_units(frames: list[OffenceFrame], key: str) -> list[Unit]:
    """The units quoted for one field of some frames (the offence's first unit where none is quoted)."""
    out = [u for f in frames for u, _ in f.hits.get(key, [])]
    out += [f.units[0] for f in frames if not f.hits.get(key) and f.units]
    return list({u.index: u for u in out}.values())


def sexual_purposes_only(ctx: CorpusContext) -> list[Unit] | None:
    """Units showing the only exploitative purposes are sexual; None when other purposes are found.

    (An empty list means: sexual purposes only, but no anchored unit names them in so many words.)
    """
    lvl = {k: v.level for k, v in ctx.outcomes.items()}
    offence_exists = any(lvl.get(x, 0) >= 1 for x in _OFFENCE_OUTCOMES)
    sexual = lvl.get("art3.purpose.sexual_exploitation", 0) >= 1
    others = [lvl.get(x, 0) for x in ("art3.purpose.forced_labour", "art3.purpose.slavery_practices",
                                      "art3.purpose.servitude", "art3.purpose.removal_of_organs")]
    if offence_exists and sexual and not any(others):
        return _anchored_matching(ctx, r"(prostitution|sexual|immoral)")
    return None
