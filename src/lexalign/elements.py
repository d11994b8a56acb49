"""Element rules: one outcome (covered / partial / missing, with quoted hits) per catalogue element.

Each element's rule (``corpora/element_rules.yaml``) names the components its *full* test needs
(threat AND force; prostitution AND other sexual exploitation).  All found: covered.  Some found:
partial, with the missing component named.  A match only in a narrowing context (an aggravating
circumstance, the long title, children only) is partial with that reason.  These are the partial
descriptions of the catalogue, not a band of similarity.  Rules that look across elements (internal
trafficking, offences narrower than the Protocol) read the offence's structure from
:mod:`lexalign.frames`, never the red flags.
"""
from __future__ import annotations

import re
from typing import Any

from .budget import check_deadline
from .lexical import Hit, compile_pattern, find_hits, normalise
from .models import Element
from .reference import load_catalogue, load_rules
from .frames import (_is_exploitation_definition, _means_free_offence, _means_only_in_exploitation, _offence_incomplete, _special_component,
                     sexual_purposes_only, victim_scope_restriction)
from .units import CorpusContext, RuleOutcome, Unit, _eligible, _in_aggravation, _in_heading_line

OFFENCE_GROUPS = {"definition", "act", "means", "purpose", "consent_child", "criminalisation"}


def evaluate_rule(element: Element, rule: dict[str, Any], ctx: CorpusContext) -> RuleOutcome:
    scope = rule.get("scope", "statute")
    # rules of participation in a code's general part reach the trafficking offence the corpus creates
    general = bool(rule.get("general_part")) and bool(ctx.frames)
    units = [u for u in ctx.units if _eligible(u, scope, ctx.statute) or (general and u.general_part)]
    if rule.get("require_any"):
        req = compile_pattern(rule["require_any"])
        units = [u for u in units if req.search(normalise(u.text)) or req.search(normalise(u.chapeau))
                 or req.search(normalise(u.section.text)) or (u.root_kind == "preface")]
    ffs = list(rule.get("false_friends", []) or [])
    components = rule.get("components", []) or []
    hits: list[tuple[Unit, Hit]] = []
    found, missing = [], []
    for comp in components:
        pattern = comp["pattern"]
        if pattern == "__five_forms__":
            forms = ["art3.purpose.sexual_exploitation", "art3.purpose.forced_labour",
                     "art3.purpose.slavery_practices", "art3.purpose.servitude", "art3.purpose.removal_of_organs"]
            ok = all(ctx.outcomes.get(f) and ctx.outcomes[f].level >= 1 for f in forms)
            (found if ok else missing).append(comp["name"])
            continue
        if pattern.startswith("__"):
            comp_hits = _special_component(pattern, units)
        else:
            comp_hits = [(u, h) for u in units for h in find_hits(u.text, pattern, comp["name"], ffs)]
            if scope == "offence":
                # a title ("Kidnapping, Trafficking in Persons, Hostage Taking and Abduction") names
                # subjects; it does not make them elements of the offence
                comp_hits = [(u, h) for u, h in comp_hits if not _in_heading_line(u.text, h.start)]
        if comp_hits:
            found.append(comp["name"])
            hits.extend(comp_hits)
        else:
            missing.append(comp["name"])
    if not components:
        return RuleOutcome(0, [], [], [])
    level = 2 if not missing else (1 if found else 0)
    if level < 2 and rule.get("sufficient"):
        # wording that meets the full test on its own ("all forms of sexual exploitation")
        suff = [(u, h) for u in units for h in find_hits(u.text, rule["sufficient"], "full wording", ffs)]
        if suff:
            level, hits = 2, hits + suff
            found, missing = found + [c["name"] for c in components if c["name"] in missing], []
    reason = ""
    narrowed = False
    if level >= 1 and hits:
        reason, narrowed = _narrowing(rule, hits)
        if narrowed and level == 2:
            level = 1
        hit_secs = {id(h[0].section) for h in hits}
        hit_units = [u for u in units if id(u.section) in hit_secs]
        own_units = list({h[0].index: h[0] for h in hits}.values())
        for pp in partial_forms(rule):
            if pp.get("only_when_missing") or level != 2:
                continue
            if pp.get("all_hits"):
                # the narrower form must qualify every provision the element was found in (a heading that
                # names the subject, "Compensation", states no rule to qualify)
                body_secs = {id(u.section) for u, h in hits if not _in_heading_line(u.text, h.start)} or hit_secs
                applies = all(_partial_hits(pp, [u for u in hit_units if id(u.section) == sec], ffs)
                              for sec in body_secs)
            elif pp.get("same_unit"):
                # the narrower form must stand in every provision that matched ("organises, instigates,
                # directs" in (b) is not narrowed by "conspires" in (c), nor by a conspiracy clause elsewhere)
                applies = all(_partial_hits(pp, [u], ffs) for u in own_units)
            else:
                applies = bool(_partial_hits(pp, hit_units, ffs))
            if applies:
                level, reason, narrowed = 1, pp["reason"], True
                break
    if level == 0:
        ref = (rule.get("narrowing") or {}).get("reference")
        if ref:
            ph = [(u, h) for u in units for h in find_hits(u.text, ref, "reference", [])]
            if ph:
                return RuleOutcome(1, ph, [], [c["name"] for c in components],
                                   rule["narrowing"]["reason"], True)
        # a narrower form of the element (the catalogue's 'partial' descriptions) anywhere in scope
        for pp in partial_forms(rule):
            if pp["pattern"].startswith("__"):
                continue
            ph = _partial_hits(pp, units, ffs)
            if ph:
                return RuleOutcome(1, ph, [], [c["name"] for c in components], pp["reason"], True)
    return RuleOutcome(level, hits, found, missing, reason, narrowed)


def partial_forms(rule: dict[str, Any]) -> list[dict[str, Any]]:
    """The rule's narrower forms: one mapping or a list of them (pattern, reason, options).

    Options: ``context: aggravation`` (the form counts only where it raises a penalty),
    ``all_hits`` (it narrows a full match only when it qualifies every provision that matched),
    ``same_unit`` (it narrows a full match only when it stands in every provision that matched) and
    ``only_when_missing`` (the form never downgrades a full match; e.g. the word "minor" does not
    make a statute that defines a child as under eighteen partial).
    """
    pp = rule.get("partial_pattern")
    if not pp:
        return []
    return list(pp) if isinstance(pp, list) else [pp]


def _partial_hits(pp: dict[str, Any], units: list[Unit], ffs: list[str]) -> list[tuple[Unit, Hit]]:
    pat = pp["pattern"]
    if pat.startswith("__"):
        return _special_component(pat, units)
    out = [(u, h) for u in units for h in find_hits(u.text, pat, "narrow form", ffs)]
    if pp.get("context") == "aggravation":
        out = [(u, h) for u, h in out if _in_aggravation(u)]
    elif pp.get("context") == "not_aggravation":  # a minor named only to raise a penalty defines no child
        out = [(u, h) for u, h in out if not _in_aggravation(u)]
    return out


def _narrowing(rule: dict[str, Any], hits: list[tuple[Unit, Hit]]) -> tuple[str, bool]:
    nar = rule.get("narrowing") or {}
    if not nar:
        return "", False
    hit_units = {h[0].index: h[0] for h in hits}.values()
    if "kinds" in nar:
        if all(u.root_kind in nar["kinds"] or u.provision.kind in nar["kinds"] for u in hit_units):
            return nar["reason"], True
    if nar.get("context") == "aggravation":
        if all(_in_aggravation(u) for u in hit_units):
            return nar["reason"], True
    if "pattern" in nar:
        pat = compile_pattern(nar["pattern"])
        if all(pat.search(normalise(u.text + " " + u.chapeau)) for u in hit_units):
            return nar["reason"], True
    return "", False


def _apply_corpus_rules(ctx: CorpusContext) -> None:
    """Rules that look across elements: internal trafficking, scope restrictions."""
    o = ctx.outcomes
    internal = o.get("untoc.34_2.no_transnational_or_group_requirement")
    crim = o.get("art5.1.criminalisation")
    definition = o.get("art3a.three_element_definition")
    if internal is not None and internal.level == 0 and crim is not None and crim.level >= 1:
        # an offence with no cross-border or organised-group element covers internal trafficking
        cross = re.compile(r"(into or out of|across (?:national|international) (?:borders|frontiers)|hors du territoire"
                           r"|vers l'étranger|as part of an organi[sz]ed criminal group)")
        offence_units = {h[0].index: h[0] for h in crim.hits + (definition.hits if definition else [])}
        offences = [f for f in ctx.frames if f.kind != "smuggling"]
        bound = bool(offences) and all(f.transnational_required or f.organised_group_required for f in offences)
        if offence_units and not bound and not any(cross.search(normalise(u.text)) for u in offence_units.values()):
            hits = [(u, Hit(0, min(len(u.text), 80), "offence without cross-border element"))
                    for u in list(offence_units.values())[:2]]
            o["untoc.34_2.no_transnational_or_group_requirement"] = RuleOutcome(
                2, hits, ["no cross-border or organised-group element"], [],
                "the offence has no cross-border or organised-group element", False)
    _means_only_in_exploitation(ctx)
    _means_free_offence(ctx)
    _offence_incomplete(ctx)
    _consent_and_child_limb_from_frames(ctx)
    _penalty_from_frames(ctx)
    _purposes_without_definition(ctx)
    _profit_outside_the_offence(ctx)
    _fraud_and_deception(ctx)
    child_age = o.get("art3d.child_under_18")
    limb = o.get("art3c.child_no_means")
    if child_age and limb and limb.level == 2 and child_age.level == 1 and "below eighteen" in child_age.reason:
        limb.level, limb.narrowed = 1, True
        limb.reason = "the child limb dispenses with means only for children as the text defines them (below eighteen)"
    # offences limited to women/children or to prostitution make offence elements partial
    restricted = []
    if victim_scope_restriction(ctx):
        restricted.append("The trafficking offence protects only women and/or children.")
    if sexual_purposes_only(ctx) is not None:
        restricted.append("The only exploitative purposes found are sexual (prostitution or sexual exploitation).")
    if restricted:
        for el in load_catalogue():
            out = o.get(el.id)
            # the age of a child, the mental element and participation are not narrowed by whom the offence protects
            if (out and el.group in OFFENCE_GROUPS and out.level == 2 and el.id not in ("art3d.child_under_18", "art5.1.intent")
                    and not el.id.startswith("art5.2")):
                out.level = 1
                out.narrowed = True
                out.reason = "the offence is narrower than the Protocol: " + " ".join(restricted)


def run_rules(ctx: CorpusContext) -> None:
    """Every element rule over the corpus, then the rules that look across elements."""
    elements = list(load_catalogue())
    ctx.element_index = {e.id: i for i, e in enumerate(elements)}
    rules = load_rules()["elements"]
    # order matters: open_list needs the five purposes, flags need everything
    ordered = sorted((e for e in elements if not e.is_flag), key=lambda e: e.id == "art3.purpose.open_list")
    for el in ordered:
        check_deadline()
        ctx.outcomes[el.id] = evaluate_rule(el, rules.get(el.id, {}), ctx)
    _elements_from_frames(ctx)
    _elements_read_in_the_offence(ctx)
    _elements_outside_the_offence(ctx)
    _apply_corpus_rules(ctx)


_FRAME_ELEMENTS = {
    "act:recruitment": "art3.act.recruitment", "act:transportation": "art3.act.transportation",
    "act:transfer": "art3.act.transfer", "act:harbouring": "art3.act.harbouring", "act:receipt": "art3.act.receipt",
    "means:threat": "art3.means.threat_or_use_of_force", "means:force": "art3.means.threat_or_use_of_force",
    "means:coercion": "art3.means.coercion", "means:abduction": "art3.means.abduction", "means:fraud": "art3.means.fraud",
    "means:deception": "art3.means.deception", "means:abuse_of_power": "art3.means.abuse_of_power",
    "means:abuse_of_vulnerability": "art3.means.abuse_of_vulnerability", "means:payments": "art3.means.payments_to_controller",
    "purpose:sexual_exploitation": "art3.purpose.sexual_exploitation", "purpose:forced_labour": "art3.purpose.forced_labour",
    "purpose:slavery": "art3.purpose.slavery_practices", "purpose:servitude": "art3.purpose.servitude",
    "purpose:organ_removal": "art3.purpose.removal_of_organs",
}


def _elements_from_frames(ctx: CorpusContext) -> None:
    """Offence elements the rules could not see, read from narrow offence frames (never more than partial).

    An old-style act ("induces a female to go from any place ... for the purposes of prostitution")
    names no trafficking, so the element rules find nothing; its offence frames show what it does
    cover, and how it narrows the Protocol.  Such elements are partial, with the narrowing named.
    """
    narrow = [f for f in ctx.frames if f.kind == "old_style" or f.victims in ("women", "women_and_children")]
    if not narrow:
        return
    o = ctx.outcomes

    def raise_to_partial(eid: str, hits: list, found: str, why: str) -> None:
        out = o.get(eid)
        if out is not None and out.level >= 1 or not hits:
            return
        o[eid] = RuleOutcome(1, hits, [found], [], why, True)

    for f in narrow:
        why = f"only an offence narrower than the Protocol ({f.citation}: " + (", ".join(f.narrowings) or "old-style offence") + ")"
        for key, eid in _FRAME_ELEMENTS.items():
            raise_to_partial(eid, f.hits.get(key, []), key.split(":", 1)[1].replace("_", " "), why)
        offence_hits = [h for k in ("act:" + a for a in f.acts) for h in f.hits.get(k, [])][:2]
        raise_to_partial("art5.1.criminalisation", offence_hits, "offence", why)
        if f.acts and f.purposes:
            raise_to_partial("art3a.three_element_definition", offence_hits, "act and purpose", why)
        if f.means_required_children is False:
            raise_to_partial("art3c.child_no_means", f.hits.get("means_required_children", []) or offence_hits,
                             "child limb without means", why)
        elif not f.means and f.acts and f.victims != "any_person" and f.consent != "defence":
            # "procures any female ... for prostitution": no means asked, of girls too, but only of some children
            raise_to_partial("art3c.child_no_means", offence_hits, "no means required", why)
        if f.consent == "defence" and f.hits.get("consent"):
            # "detains her against her will": lack of consent stands in for coercion, narrowly
            raise_to_partial("art3.means.coercion", f.hits["consent"], "against the victim's will", why)
        units = list({u.index: u for u in f.units}.values())
        for eid, pattern, level in (("art5.1.intent", r"(with intent|with a view to|\bknowingly\b|knowing or having reason|"
                                                                r"intention|sciemment|a sabiendas)", 2),
                                    ("art5.2a.attempt", r"\battempts? to\b|\btente\b|\bintent(?:e|are)\b", 1)):
            found = [(u, Hit(m.start(), m.end(), eid)) for u in units for m in [compile_pattern(pattern).search(normalise(u.text))] if m]
            out = o.get(eid)
            if found and (out is None or out.level == 0):
                o[eid] = RuleOutcome(level, found[:2], [eid.rsplit(".", 1)[1]], [], "" if level == 2 else
                                     f"only within {f.citation}, an offence narrower than the Protocol", level < 2)
        if f.child_age:
            raise_to_partial("art3d.child_under_18", offence_hits, f"child under {f.child_age}", why)
        pen = f.penalty
        if pen.max_years is not None and not pen.life and (pen.max_years < 4 or pen.fine_alternative):
            raise_to_partial("untoc.11.proportionate_penalties", offence_hits, f"up to {pen.max_years:g} years",
                             f"{f.citation} carries at most {pen.max_years:g} years" +
                             (", and a fine may replace imprisonment" if pen.fine_alternative else ""))


def _elements_read_in_the_offence(ctx: CorpusContext) -> None:
    """An act, means or purpose the trafficking offence's frame reads, where no rule found it, is covered.

    The frame reads the offence with the definition in scope ("as defined in section 2", "for an
    unlawful purpose", a definition article that lists "la extracción forzosa o ilegítima de órganos"),
    which a rule reading one provision at a time can miss.  The frame's own words are the quotation;
    offences narrower than the Protocol are narrowed afterwards like any other coverage.
    """
    offences = [f for f in ctx.frames if f.kind in ("trafficking", "child_trafficking")]
    o = ctx.outcomes
    for key, eid in _FRAME_ELEMENTS.items():
        out = o.get(eid)
        if out is not None and (out.level > 0 or out.narrowed):
            continue
        hits = [h for f in offences for h in f.hits.get(key, [])][:2]
        name = key.split(":", 1)[1].replace("_", " ")
        if hits:
            o[eid] = RuleOutcome(2, hits, [name], [], f"read in the trafficking offence ({hits[0][0].provision.citation})", False)
    # the offence itself: acts for exploitation with a penalty ("el que ofreciere, captare ... con fines de explotación,
    # será reprimido con prisión"), though it never names trafficking
    crim = o.get("art5.1.criminalisation")
    punished = [f for f in offences if f.acts and (f.penalty.max_years is not None or f.penalty.life)
                and not f.note.startswith("read from the definition") and f.hits.get("penalty") and not f.narrowings]
    if crim is not None and crim.level < 2 and not crim.narrowed and punished:
        f = punished[0]
        hits = [h for a in f.acts for h in f.hits.get("act:" + a, [])][:1] + f.hits["penalty"][:1]
        o["art5.1.criminalisation"] = RuleOutcome(2, hits, ["offence of trafficking", "penal sanction"], [], "", False)
    moving = [f for f in offences if f.ancillary_acts and set(f.acts) == {"transportation"}]
    if crim is not None and o["art5.1.criminalisation"].level == 2 and moving and len(moving) == len(offences):
        out = o["art5.1.criminalisation"]
        o["art5.1.criminalisation"] = RuleOutcome(1, out.hits, out.found, ["recruitment, harbouring or receipt as trafficking"],
                                                  f"the offence ({moving[0].citation}) is defined by moving the person", True)
    # "con fines de explotación", exploitation left undefined in the text: forms of exploitation named only in other
    # offences (servitude punished in art. 140) are not shown to be purposes of trafficking
    undefined = [f for f in offences if not f.purposes and f.acts and f.purpose_open_list and not f.evidence.get("purpose_open_list")]
    if offences and len(undefined) == len(offences):
        read = {u.index for f in offences for u in f.units}
        for key, eid in _FRAME_ELEMENTS.items():
            out = o.get(eid)
            if key.startswith("purpose:") and out is not None and out.level == 2 and not any(u.index in read for u, _ in out.hits):
                o[eid] = RuleOutcome(1, out.hits, out.found, out.missing, "named only outside the trafficking offence, whose "
                                     "'exploitation' the text does not define", True)
    # acts reached only as an accessory's ("receives ... for the purposes of trafficking", "... a person being trafficked")
    main_acts = {a for f in offences for a in f.acts}
    for f in offences:
        for act in f.ancillary_acts:
            eid = _FRAME_ELEMENTS["act:" + act]
            out = o.get(eid)
            if act in main_acts or out is None or out.level == 1 or out.narrowed:
                continue
            anc = f.hits.get("ancillary:" + act, [])
            anc_units = {u.index for u, _ in anc}
            if out.level == 0 or all(u.index in anc_units for u, _ in out.hits):
                o[eid] = RuleOutcome(1, anc[:2] or out.hits, [act], [], f"reached only as an accessory to trafficking "
                                     f"({f.citation}: acts towards a person being trafficked or for the purposes of trafficking)", True)


def _elements_outside_the_offence(ctx: CorpusContext) -> None:
    """An act, means or purpose the trafficking offence(s) do not contain is missing, wherever else the word occurs.

    "Recruitment of children for armed conflict" in another section, or "hébergement contraire à la
    dignité" among the forms of exploitation, does not make recruitment or harbouring acts of
    trafficking.  This applies only where the offences were read in full (every offence frame lists its
    acts, and its purposes or means, and none rests on a text the corpus lacks), so a frame that could
    not be read never removes an element.  The child limb follows the same test: where every offence
    requires a means and none dispenses with it for children, there is no child limb without means.
    """
    offences = [f for f in ctx.frames if f.kind not in ("smuggling", "old_style")]
    if not offences or not all(f.acts for f in offences):
        return
    o = ctx.outcomes
    cites = ", ".join(dict.fromkeys(f.citation for f in offences))
    read_units = {u.index for f in offences for hs in f.hits.values() for u, _ in hs}
    for prefix, field_name, needs in (("act:", "acts", True), ("purpose:", "purposes", all(f.purposes for f in offences)),
                                      ("means:", "means", all(f.means for f in offences if f.means_required_adults))):
        if not needs:
            continue
        have = {getattr(f, field_name)[i] for f in offences for i in range(len(getattr(f, field_name)))}
        elements = {}
        for key, eid in _FRAME_ELEMENTS.items():
            if key.startswith(prefix):
                elements.setdefault(eid, set()).add(key.split(":", 1)[1])
        for eid, names in elements.items():
            out = o.get(eid)
            if out is None or out.level == 0 or names & have or out.narrowed:
                continue  # a considered narrower reading (e.g. only as an aggravation) stands
            if prefix == "means:" and not any(f.means for f in offences):
                continue
            inside = [(u, h) for u, h in out.hits if u.index in read_units
                      and not (prefix == "act:" and _is_exploitation_definition(u))]
            if inside:
                # the words stand in the offence or its definition but the frame did not read them as this element
                o[eid] = RuleOutcome(1, inside, out.found, out.missing, "found in the offence's provisions, but not "
                                     f"clearly as an element of the trafficking offence ({cites})", True)
            else:
                o[eid] = RuleOutcome(0, [], [], out.found + out.missing,
                                     f"not an element of the trafficking offence ({cites}); the words found lie elsewhere", False)
    _smuggling_limb(ctx, offences)
    child = o.get("art3c.child_no_means")
    free = [f for f in offences if f.means_required_children is False or f.means_required_adults is False]
    bound = [f for f in offences if f.means_required_adults is True or f.means_required_children is True]
    if child is not None and child.level > 0 and bound and not free:
        o["art3c.child_no_means"] = RuleOutcome(0, [], [], ["child limb without means"],
                                                f"every trafficking offence ({cites}) requires a means, children included", False)


def _consent_and_child_limb_from_frames(ctx: CorpusContext) -> None:
    """Article 3(b) and 3(c) as the offence frames read them, where the element rules saw nothing.

    A rule reads one provision at a time; the frame reads the offence whole: a list introduced by
    "It shall not be a defence ... that—" whose item (a) is "a victim consented", or an offence that asks
    no means of any victim ("aunque mediare el consentimiento", "voluntarily, for an unlawful purpose"),
    which is a child limb without means for every child.  Only trafficking offences count (a
    movement-for-gain limb or an old-style procuring offence says nothing of Article 3), and a frame
    whose means live inside the definition of exploitation is left to the narrower reading.
    """
    o = ctx.outcomes
    offences = [f for f in ctx.frames if f.kind in ("trafficking", "child_trafficking")]
    if not offences:
        return
    consent = o.get("art3b.consent_irrelevant")
    said = [f for f in offences if f.consent == "irrelevant" and f.hits.get("consent")]
    if consent is not None and consent.level == 0 and said and not any(f.consent == "defence" for f in offences):
        hits = said[0].hits["consent"][:1]
        only_children = all(re.search(r"\b(child|children|enfant|mineur|menor|niñ)", normalise(u.text)) and not
                            re.search(r"\b(victim|person|victime|víctima)", normalise(u.text)) for u, _ in hits)
        o["art3b.consent_irrelevant"] = RuleOutcome(
            1 if only_children else 2, hits, ["consent irrelevant"], [],
            ("consent is made irrelevant only for children" if only_children else
             f"the offence ({said[0].citation}) denies the victim's consent any effect"), only_children)
    child = o.get("art3c.child_no_means")
    if child is None or child.level == 2 or child.narrowed or getattr(ctx, "means_in_exploitation", False):
        return
    free = [f for f in offences if (f.means_required_adults is False and f.victims == "any_person")
            or f.means_required_children is False]
    child_offence = [f for f in offences if f.victims == "children" and f.means_required_children is False]
    if len(free) != len(offences) and not (child_offence and not any(f.means_required_children for f in offences)):
        return  # some offence still asks a means of a child victim
    free = child_offence or free
    hits = [h for f in free for h in (f.hits.get("means_required_children") or f.hits.get("means_required_adults") or
                                      [h for a in f.acts for h in f.hits.get("act:" + a, [])][:1])][:2]
    if hits:
        o["art3c.child_no_means"] = RuleOutcome(2, hits, ["no means required for children"], [],
                                                "no trafficking offence asks for a means where the victim is a child", False)


def _purposes_without_definition(ctx: CorpusContext) -> None:
    """An offence that names its purposes but defines no exploitation meets the catalogue's partial
    test for the open list ("no definition of exploitation at all"), with the purposes it names quoted."""
    out = ctx.outcomes.get("art3.purpose.open_list")
    if out is None or out.level > 0:
        return
    named = [f for f in ctx.frames if f.kind != "smuggling" and f.purposes]
    if not named:
        return
    f = named[0]
    hits = [h for p in f.purposes for h in f.hits.get("purpose:" + p, [])][:2]
    if hits:
        ctx.outcomes["art3.purpose.open_list"] = RuleOutcome(
            1, hits, ["purposes named"], ["definition of exploitation"],
            f"no definition of exploitation: {f.citation} names only " + ", ".join(p.replace("_", " ") for p in f.purposes), True)


def _profit_outside_the_offence(ctx: CorpusContext) -> None:
    """A profit requirement narrows the mental element only where the trafficking offence states it.

    "Organised criminal group means ... to obtain, directly or indirectly, a financial or other
    material benefit" defines a group; it adds nothing to what the prosecution must prove.
    """
    o = ctx.outcomes
    intent = o.get("art5.1.intent")
    offences = [f for f in ctx.frames if f.kind in ("trafficking", "child_trafficking", "old_style")
                and not f.note.startswith("read from the definition")]
    crim = o.get("art5.1.criminalisation")
    if intent is None or intent.level == 0 or not offences or not crim or not crim.level:
        return
    profit_rule = partial_forms(load_rules()["elements"]["art5.1.intent"])[0]
    pattern = compile_pattern(profit_rule["pattern"])
    texts = {d.source: d.text for d in ctx.docs}
    offence_text = [u.text for f in offences for u in f.units] + [texts.get(src, "")[a:b] for f in offences
                                                                   for src, a, b in f.definition_spans]
    stated = any(pattern.search(normalise(t)) for t in offence_text)
    if intent.level == 1 and "profit" in intent.reason and not stated:
        o["art5.1.intent"] = RuleOutcome(2, intent.hits, intent.found, [], "", False)
    elif intent.level == 2 and stated:
        # "trafficking means the moving ... for monetary or other considerations": the definition the offence uses
        o["art5.1.intent"] = RuleOutcome(1, intent.hits, intent.found, [], profit_rule["reason"], True)


def _fraud_and_deception(ctx: CorpusContext) -> None:
    """Fraud and deception reach the same conduct: a law naming only one of them reaches the other in
    substance, which is a partial coverage (quoted from the one it names), not a missing element."""
    o = ctx.outcomes
    pairs = (("art3.means.fraud", "art3.means.deception"), ("art3.means.deception", "art3.means.fraud"))
    for absent, named in pairs:
        a, n = o.get(absent), o.get(named)
        if a is not None and n is not None and a.level == 0 and n.level == 2 and n.hits:
            word = named.rsplit(".", 1)[1]
            o[absent] = RuleOutcome(1, n.hits[:2], [word], [absent.rsplit(".", 1)[1]],
                                    f"only {word} is named; {absent.rsplit('.', 1)[1]} is reached in substance", True)


def _penalty_from_frames(ctx: CorpusContext) -> None:
    """UNTOC Art 11 read from the trafficking offences' own penalties, where the frames read them.

    The rule alone looks at every penalty clause near the offence, so a fine in lieu of prison for
    failing to report, or for obstructing an officer, made the trafficking penalty look lenient.
    """
    o = ctx.outcomes
    out = o.get("untoc.11.proportionate_penalties")
    read = [f for f in ctx.frames if f.kind in ("trafficking", "child_trafficking")
            and (f.penalty.max_years is not None or f.penalty.life) and f.hits.get("penalty")]
    if out is None or not read:
        return
    weak = [f for f in read if f.penalty.fine_alternative or (not f.penalty.life and f.penalty.max_years < 4)]
    if out.level == 0 and not weak:
        # a penalty the frame reads where the rule saw none ("reclusión mayor en sus grados mínimo a medio")
        hits = [h for f in read for h in f.hits["penalty"]][:2]
        o["untoc.11.proportionate_penalties"] = RuleOutcome(2, hits, ["custodial penalty of at least four years"], [], "", False)
        return
    if out.level == 0:
        return
    hits = [h for f in (weak or read) for h in f.hits["penalty"]][:2]
    if weak:
        f = weak[0]
        why = (f"{f.citation}: a fine may replace imprisonment" if f.penalty.fine_alternative
               else f"{f.citation} carries at most {f.penalty.max_years:g} years")
        o["untoc.11.proportionate_penalties"] = RuleOutcome(1, hits, out.found, out.missing, why, True)
    elif out.level == 1 and out.narrowed:
        o["untoc.11.proportionate_penalties"] = RuleOutcome(2, hits, out.found, [], "", False)


def _smuggling_limb(ctx: CorpusContext, offences: list) -> None:
    """One article punishing trafficking and a movement-for-gain offence (trafic) alike.

    An act only the movement limb contains (transport in Cameroon's "trafic": favouring the movement
    of a person for gain) is reached, but not as trafficking: partial, with the reason.  A profit
    requirement that belongs to the movement limb alone does not narrow the mental element of the
    trafficking limb.
    """
    o = ctx.outcomes
    trafficking_cites = {f.citation for f in offences}
    limbs = [f for f in ctx.frames if f.kind == "smuggling" and f.citation in trafficking_cites]
    if not limbs:
        return
    have = {a for f in offences for a in f.acts}
    for f in limbs:
        for a in f.acts:
            eid = _FRAME_ELEMENTS.get("act:" + a)
            out = o.get(eid)
            if a in have or out is None or out.level >= 1 or not f.hits.get("act:" + a):
                continue
            o[eid] = RuleOutcome(1, f.hits["act:" + a], [a], [], f"reached only through the movement-for-gain offence "
                                 f"punished by the same provision ({f.citation}, defined in {f.definition}), not as an act "
                                 f"of trafficking", True)
    intent = o.get("art5.1.intent")
    if intent is not None and intent.level == 1 and "profit" in intent.reason and intent.hits:
        spans = [sp for f in limbs for sp in f.definition_spans]
        pattern = compile_pattern(partial_forms(load_rules()["elements"]["art5.1.intent"])[0]["pattern"])
        profit = [(u.doc.source, u.provision.start + m.start()) for u in ctx.units if u.anchored
                  for m in pattern.finditer(normalise(u.text))]
        if profit and all(any(src == s and a <= at < b for s, a, b in spans) for src, at in profit):
            o["art5.1.intent"] = RuleOutcome(2, intent.hits, intent.found, [], "", False)
