"""Red flags: structural tests over the element outcomes, the offence's structure and the anchored text.

A flag is raised when the law departs from the Protocol in a way a drafter must be told about
(child limb requiring means, women-and-children-only scope, sexual purposes only, fine in lieu of
prison, ...).  Flags read :mod:`lexalign.frames` and the element outcomes; elements never read flags.
"""
from __future__ import annotations

import re

from .lexical import aggravation_pattern, compile_pattern, normalise
from .models import Element
from .frames import (MEANS_ELEMENTS, _means_based_definition, _special_component, frame_units, frames_with,
                     sexual_purposes_only, victim_scope_restriction)
from .units import CorpusContext, Unit

_IMMIGRATION_BREACH = compile_pattern(r"(?:not permitted|prohibited|in breach|in contravention)[^.;]{0,30}\b(?:by|of|under)\b[^.;]{0,60}\bimmigration laws?|"
                                      r"illegal (?:entry|immigration)|entrada ilegal|séjour irrégulier|entrée irrégulière")
_CHILD_AGE = compile_pattern(r"(?:under|below) (?:the age of )?(?:eighteen|sixteen|18|16) years|\bminors?\b|\bchild(?:ren)?\b|\bgirls?\b")


def evaluate_flag(element: Element, ctx: CorpusContext) -> tuple[bool, list[Unit], str]:
    """Structural red-flag tests; returns (raised, evidence units, rationale)."""
    lvl = {k: v.level for k, v in ctx.outcomes.items()}
    anchored = [u for u in ctx.units if u.anchored]
    offence_exists = lvl.get("art5.1.criminalisation", 0) >= 1 or lvl.get("art3a.three_element_definition", 0) >= 1

    def units_matching(pattern: str, pool=None) -> list[Unit]:
        pat = compile_pattern(pattern)
        return [u for u in (pool if pool is not None else anchored) if pat.search(normalise(u.text))]

    fid = element.id
    if fid == "flag.victim_scope_restricted":
        restricted = victim_scope_restriction(ctx)
        if restricted:
            return True, restricted[:3], "The trafficking offence protects only women and/or children."
        return False, [], ""
    if fid == "flag.sexual_purpose_only":
        ev = sexual_purposes_only(ctx)
        if ev is not None:
            return True, ev[:3], "The only exploitative purposes found are sexual (prostitution or sexual exploitation)."
        return False, [], ""
    if fid == "flag.child_means_required":
        ev = _means_based_definition(ctx)
        # means folded into 'exploitation' count only where an offence is actually created
        folded = ctx.means_in_exploitation and lvl.get("art5.1.criminalisation", 0) >= 1
        offences = frames_with(ctx, lambda f: True)
        child_limb = frames_with(ctx, lambda f: f.means_required_children is False or f.means_required_adults is False)
        means_for_all = frames_with(ctx, lambda f: f.means_required_adults is True or f.means_required_children is True)
        if offences and means_for_all and not child_limb:
            return True, frame_units(means_for_all, "means_required_children")[:2], (
                "Every trafficking offence requires a means, and none dispenses with it for child victims.")
        # "detains any female under the age of eighteen years against her will": lack of consent is asked of a child
        unwilling = frames_with(ctx, lambda f: f.consent == "defence" and any(
            _CHILD_AGE.search(normalise(u.text)) for u, _ in f.hits.get("consent", [])))
        if unwilling:
            return True, frame_units(unwilling, "consent")[:2], (
                "An offence against children requires that the child did not consent, a means by another name.")
        if offence_exists and (ev or folded) and lvl.get("art3c.child_no_means", 0) < 2:
            if not ev:
                ev = [h[0] for m in MEANS_ELEMENTS for h in (ctx.outcomes[m].hits if m in ctx.outcomes else [])][:2]
            return True, ev[:2], ("The trafficking definition requires a means and no child limb dispenses with it "
                                  "for all child victims.")
        return False, [], ""
    if fid == "flag.movement_required":
        offences = frames_with(ctx, lambda f: f.kind != "old_style")
        moved = [f for f in offences if f.ancillary_acts and set(f.acts) == {"transportation"}]
        if offences and moved and all(set(f.acts) <= {"transportation"} for f in offences):
            return True, (frame_units(moved, "act:transportation") + frame_units(moved, "ancillary:" + moved[0].ancillary_acts[0]))[:2], (
                "Trafficking is defined by moving the person; recruiting, harbouring or receiving are offences only "
                "towards a person already being trafficked.")
        movement = units_matching(r"(déplacement d'une personne|favoriser ou d'assurer le déplacement|"
                                  r"arranges? or facilitates? the travel|movement of (?:a )?person|moves? a person)")
        acts = [lvl.get(x, 0) for x in ("art3.act.harbouring", "art3.act.receipt", "art3.act.recruitment",
                                        "art3.act.transfer")]
        if movement and not any(acts):
            return True, movement[:2], "Trafficking is defined by movement of the person, with no harbouring or receipt."
        return False, [], ""
    if fid == "flag.transnational_required":
        cross = units_matching(r"(into or out of|across (?:national|international) (?:borders|frontiers)|"
                               r"hors du territoire national|vers l'étranger|as part of an organi[sz]ed criminal group)")
        cross = [u for u in cross if not compile_pattern(aggravation_pattern()).search(normalise(u.chapeau + u.text))]
        offences = frames_with(ctx, lambda f: True)
        if offences and all(f.transnational_required or f.organised_group_required for f in offences):
            bound = [f for f in offences if f.transnational_required]
            return True, (frame_units(bound, "transnational_required") or frame_units(offences, "organised_group_required"))[:2], (
                "Every trafficking offence requires movement across a border or an organised criminal group.")
        if offence_exists and cross and lvl.get("untoc.34_2.no_transnational_or_group_requirement", 0) == 0:
            return True, cross[:2], "The offence applies only to cross-border trafficking or requires an organised group."
        return False, [], ""
    if fid == "flag.smuggling_conflation":
        defs = units_matching(r"(traffick\w*\"? means|trafficking (?:is|shall mean)).{0,300}(illegal entry|material benefit|"
                              r"financial or other)")
        defs = [u for u in defs if not re.search(r"exploit", normalise(u.text))]
        # one provision punishing the movement-for-gain offence and trafficking alike ("le trafic ou la traite")
        trafficking_cites = {f.citation for f in frames_with(ctx, lambda f: True)}
        limbs = [f for f in ctx.frames if f.kind == "smuggling" and f.citation in trafficking_cites]
        if limbs and not defs:
            units = frame_units(limbs, "penalty") + frame_units(limbs, "act:" + (limbs[0].acts or ["transportation"])[0])
            cites = ", ".join(dict.fromkeys(f.citation for f in limbs))
            return True, units[:3], (f"{cites} punishes the movement of a person for gain (smuggling-like 'trafic', defined in "
                                     f"{limbs[0].definition}) and trafficking alike, in one provision with one penalty.")
        if defs:
            return True, defs[:2], "Trafficking is defined as procuring entry or movement for material benefit (smuggling)."
        # a purpose the offence defines as breaking immigration law ("illegal labour" means labour not permitted by
        # the immigration laws): moving a willing person to work without a permit becomes trafficking
        texts = {d.source: d.text for d in ctx.docs}
        defined = {normalise(u.provision.term or ""): normalise(u.text) for u in ctx.units
                   if u.provision.kind == "definition" and u.provision.term}

        def breaches(text: str) -> bool:
            # the purpose's definition, and the definitions of the terms it uses ("illegal labour" means ...)
            return bool(_IMMIGRATION_BREACH.search(text)) or any(
                _IMMIGRATION_BREACH.search(body) for term, body in defined.items() if len(term) > 3 and term in text)

        migration = [f for f in frames_with(ctx, lambda f: f.kind in ("trafficking", "child_trafficking"))
                     if any(breaches(normalise(texts.get(src, "")[a:b])) for src, a, b in f.purpose_definition_spans)]
        if migration:
            return True, frame_units(migration, "purpose:other")[:2] or frame_units(migration, "act:transportation")[:2], (
                "The trafficking offence's purpose includes breaking immigration law, so moving a willing migrant to "
                "work without a permit is trafficking (the smuggling offence's ground).")
        return False, [], ""
    if fid == "flag.fine_in_lieu":
        # the penalty of the trafficking offence itself, where the frames read one: a fine in lieu of
        # prison for failing to report, or for an ancillary offence, is not this flag
        read = frames_with(ctx, lambda f: f.kind != "smuggling" and (f.penalty.max_years is not None or f.penalty.life))
        if read:
            lenient = [f for f in read if f.penalty.fine_alternative]
            if lenient:
                return True, frame_units(lenient, "penalty")[:2], (
                    "A fine may be imposed instead of imprisonment for the trafficking offence ("
                    + ", ".join(dict.fromkeys(f.citation for f in lenient)) + ").")
            return False, [], ""
        crim = ctx.outcomes.get("art5.1.criminalisation")
        pool = sorted({h[0].index: h[0] for h in (crim.hits if crim else [])}.values(), key=lambda u: u.index)
        fines = [u for u, _ in _special_component("__fine_alternative__", pool)]
        fines = fines or frame_units(frames_with(ctx, lambda f: f.penalty.fine_alternative), "penalty")
        if fines:
            return True, fines[:2], "A fine may be imposed instead of imprisonment for the trafficking offence."
        return False, [], ""
    if fid == "flag.consent_defence":
        # "with or without the consent" makes consent irrelevant; it is the opposite of this flag
        ev = units_matching(r"((?<!with or )without (?:his|her|their|the) consent|(?<!with or )without the consent of|"
                            r"contre son gré|(?<!avec ou )sans son consentement|(?<!con o )sin su consentimiento|"
                            r"consent .{0,40}(?:is|shall be) a defen[cs]e)")
        ev = ev or frame_units(frames_with(ctx, lambda f: f.consent == "defence"), "consent")
        if ev:
            return True, ev[:2], "Lack of consent is an element of the offence, so consent can defeat the charge."
        return False, [], ""
    if fid == "flag.victim_criminalised":
        ev = units_matching(r"((?:person|woman|any one) who (?:\w+ ){0,3}(?:solicits|loiters|begs)|"
                            r"\bracolage\b|se livre à la mendicité|\b(?:solicits?|soliciting|importun\w+|attracts? or endeavours? to attract attention)\b[^.;]{0,60}"
                            r"\bfor (?:the )?purposes? of prostitution|(?:words|gestures)[^.;]{0,100}\bfor (?:the )?purposes? of prostitution|(?:whoever|any person who|quiconque|celui qui|el que) (?:\w+ ){0,2}(?:engages? in|se livre (?:habituellement )?à) (?:the )?prostitution|(?:whoever|quiconque)[^.;]{0,40}engages? (?:habitually )?(?:for gain,? )?in sexual intercourse|(?:in view of|for the purposes? of|en vue de la) prostitution[^.;]{0,60}(?:gestures|words|gestes|paroles)|(?:illegal immigrant|séjour irrégulier)\W+(?:\w+\W+){0,6}(?:punish|puni))",
                            pool=ctx.units)
        if ev and lvl.get("gap.survival.non_punishment", 0) == 0:
            return True, ev[:2], "Conduct typical of victims is punished with no non-punishment safeguard."
        return False, [], ""
    return False, [], ""
