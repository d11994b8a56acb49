"""The alignment engine: one finding per catalogue element, each resting on quoted provisions.

How a verdict is reached, for one national corpus (one or more documents):

1. **Units.**  Every provision's own text is a unit of evidence (a definition entry, a paragraph
   (a), a subsection).  Measured on the shared gold, provision-level units gave better
   evidence agreement than whole sections (too coarse to quote) or sentences (which cut a
   "by means of" chapeau from its list).
2. **Anchoring.**  A unit is *anchored* when its section speaks of trafficking (or exploitation,
   slavery, servitude), when it defines a term that an anchored provision uses, or when an anchored
   provision refers to its section ("as defined in section 2").  Elements of the offence (acts,
   means, purposes, child, consent, Art. 5) count only in anchored units: "force" in "comes into
   force" or "transfer" of prisoners never evidence trafficking.
3. **Components.**  Each element's rule names the components its *full* test needs (threat AND
   force; prostitution AND other sexual exploitation).  All found: covered.  Some found: partial,
   with the missing component named.  A match only in a narrowing context (an aggravating
   circumstance, the long title, children only) is partial with that reason.  These are the
   partial descriptions of the catalogue, not a band of similarity.
4. **Calibration.**  A logistic model fitted on the gold annotations (cross-validated by
   document) turns the rule outcome, the semantic similarity of the best units to the element and
   the catalogue cue counts into a probability that the element is present.  It gives every
   verdict its confidence and can veto a weak lexical match; it never creates coverage without a
   quotation.
5. **Flags.**  Red flags (child limb requiring means, women-and-children-only scope, sexual
   purposes only, fine in lieu of prison, ...) are structural tests over the findings and the
   anchored text.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .lexical import (Hit, aggravation_pattern, anchor_pattern, compile_pattern, cue_matches,
                      find_hits, normalise, sentence_bounds)
from .models import Document, Element, Evidence, Finding, Provision
from .reference import load_catalogue, load_rules
from .segment import flatten, segment

SECTION_KINDS = {"section", "article", "regulation", "rule"}
OFFENCE_GROUPS = {"definition", "act", "means", "purpose", "consent_child", "criminalisation"}
EXCEPTION_RE = re.compile(r"\b(except|provided that|shall not apply|save that|unless|notwithstanding|sauf|"
                          r"à l'exception|ne s'applique pas|excepto|salvo|no se aplicará)\b", re.IGNORECASE)
REFERENCE_RE = re.compile(r"\b(?:sections?|articles?|art\.|s\.|artículos?)\s+(\d+[\w\-.]*(?:\s?(?:bis|ter))?|premier|primero|first)",
                          re.IGNORECASE)
_FIRST = {"premier", "primero", "first"}


def _ref_num(m: re.Match) -> str:
    """The provision number a reference names ("article premier" is article 1)."""
    num = m.group(1).lower().rstrip(".")
    return "1" if num in _FIRST else num


_PENALTY_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                  "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "fourteen": 14, "twenty": 20,
                  "thirty": 30, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "dix": 10,
                  "quinze": 15, "vingt": 20, "trente": 30, "cuatro": 4, "cinco": 5, "seis": 6, "ocho": 8,
                  "diez": 10, "doce": 12, "trece": 13, "veinte": 20, "treinta": 30, "dos": 2, "tres": 3,
                  "siete": 7, "nueve": 9, "once": 11, "catorce": 14, "quince": 15, "dieciocho": 18,
                  "veinticinco": 25, "huit": 8, "neuf": 9, "six": 6, "douze": 12}


# ----------------------------------------------------------------------------- units

@dataclass
class Unit:
    """One provision's own text as a piece of evidence."""

    doc: Document
    provision: Provision
    text: str
    section: Provision
    anchored: bool = False
    root_kind: str = ""
    chapeau: str = ""  # own texts of the ancestors, for context tests (aggravation, exceptions)
    index: int = 0

    @property
    def start(self) -> int:
        return self.provision.start


def _section_of(p: Provision) -> Provision:
    node = p
    while node is not None:
        if node.kind in SECTION_KINDS:
            return node
        node = node.parent
    top = p
    while top.parent is not None:
        top = top.parent
    return top


def build_units(docs: list[Document], trees: list[list[Provision]]) -> list[Unit]:
    anchor = compile_pattern(anchor_pattern())
    units: list[Unit] = []
    for doc, tree in zip(docs, trees):
        flat = flatten(tree)
        sections = [p for p in flat if p.kind in SECTION_KINDS]
        sec_text = {id(s): normalise(doc.text[s.start:s.end]) for s in sections}
        anchored_secs = {id(s) for s in sections if _anchors(anchor, sec_text[id(s)])}
        # follow references out of anchored sections ("as defined in section 2")
        by_num: dict[str, list[Provision]] = {}
        for s in sections:
            by_num.setdefault(s.num.lower(), []).append(s)
        for s in list(sections):
            if id(s) in anchored_secs:
                for m in REFERENCE_RE.finditer(sec_text[id(s)]):
                    for target in by_num.get(_ref_num(m), []):
                        anchored_secs.add(id(target))
        # ...and into sections that refer to an anchored one ("an offence under section 4") or, in a
        # trafficking statute, to offences under the statute itself
        statute = is_trafficking_statute(doc)
        anchored_nums = {s.num.lower() for s in sections if id(s) in anchored_secs}
        own_offence = re.compile(r"(offences? under this (?:act|law|part|bill)|infractions? (?:prévues?|visées?) (?:par|à) la présente"
                                 r"|delitos? previstos? en (?:la presente|esta) ley)")
        # a general provision of a code's section or chapter ("la tentative des délits prévus à la présente
        # section", "offences under this Part") belongs to that grouping's offences
        own_group = re.compile(r"(présente? (?:section|chapitre|titre|paragraphe)|présent (?:chapitre|titre|paragraphe)|"
                               r"this (?:part|division|chapter|subdivision)|(?:presente|este) (?:capítulo|título|sección))")
        anchored_groups = {id(g) for s in sections if id(s) in anchored_secs for g in s.ancestors()
                           if g.kind not in SECTION_KINDS}
        for s in sections:
            if id(s) in anchored_secs:
                continue
            refs = {_ref_num(m) for m in REFERENCE_RE.finditer(sec_text[id(s)])}
            group = next((g for g in s.ancestors() if g.kind not in SECTION_KINDS), None)
            if refs & anchored_nums or (statute and own_offence.search(sec_text[id(s)])) or (
                    group is not None and id(group) in anchored_groups and own_group.search(sec_text[id(s)])):
                anchored_secs.add(id(s))
        anchored_text = " ".join(sec_text[id(s)] for s in sections if id(s) in anchored_secs)
        for p in flat:
            if not p.text or p.kind in ("toc",) or p.kind in {"part", "chapter", "title", "book"} and not p.children:
                continue
            sec = _section_of(p)
            root = p
            while root.parent is not None:
                root = root.parent
            if p.kind == "definition" or any(a.kind == "definition" for a in p.ancestors()):
                d = p if p.kind == "definition" else next(a for a in p.ancestors() if a.kind == "definition")
                own = normalise(doc.text[d.start:d.end])
                term = normalise(d.term or "")
                used = bool(term) and len(term) > 2 and re.search(r"\b" + re.escape(term) + r"\b",
                                                                  anchored_text.replace(own, " "))
                is_anchored = bool(anchor.search(own)) or bool(used)
            elif p.kind in ("preface", "block") or sec is root and sec.kind not in SECTION_KINDS:
                is_anchored = bool(anchor.search(normalise(p.text)))
            else:
                is_anchored = id(sec) in anchored_secs
            chapeau = " ".join(a.text for a in p.ancestors() if a.kind not in
                               {"part", "chapter", "title", "book", "section_group", "schedule"})
            units.append(Unit(doc=doc, provision=p, text=p.text, section=sec, anchored=is_anchored,
                              root_kind=root.kind, chapeau=chapeau, index=len(units)))
    return units


_MIGRANTS = re.compile(r"(smuggling of migrants|smuggled migrants?|such migrants|trafic illicite de migrants|"
                       r"tráfico (?:ilícito )?de migrantes)")
_BARE_EXPLOITATION = re.compile(r"(exploitation|explotación)")


def _anchors(anchor: re.Pattern, text: str) -> bool:
    """Does a section speak of trafficking? (The word "exploitation" in a migrant-smuggling
    provision, "inhuman treatment, including for exploitation, of such migrants", does not.)"""
    hits = [m.group(0) for m in anchor.finditer(text)]
    if not hits:
        return False
    if all(_BARE_EXPLOITATION.fullmatch(h) for h in hits) and _MIGRANTS.search(text):
        return False
    return True


def is_trafficking_statute(doc: Document) -> bool:
    """Whether a document is about trafficking at all (title or repeated anchor terms)."""
    norm = normalise(doc.text)
    strong = re.findall(r"(traffick\w* (?:in|of) (?:persons|women|children|human)|human trafficking|"
                        r"traite des (?:personnes|êtres humains)|trata de (?:personas|seres humanos)|"
                        r"trafficked person|victims? of trafficking|modern slavery|réduction en esclavage|"
                        r"trafic et la traite)", norm)
    return len(strong) >= 2 or bool(re.search(r"traffick|traite|trata", normalise(doc.title)))


# ----------------------------------------------------------------------------- rule outcome

@dataclass
class RuleOutcome:
    level: int                      # 0 missing, 1 partial, 2 covered
    hits: list[tuple[Unit, Hit]]
    found: list[str]
    missing: list[str]
    reason: str = ""
    narrowed: bool = False


@dataclass
class CorpusContext:
    docs: list[Document]
    units: list[Unit]
    statute: bool
    outcomes: dict[str, RuleOutcome] = field(default_factory=dict)
    sims: np.ndarray | None = None           # units x elements
    element_index: dict[str, int] = field(default_factory=dict)
    cue_counts: dict[str, int] = field(default_factory=dict)
    means_in_exploitation: bool = False      # means found only inside the definition of exploitation
    unit_vecs: np.ndarray | None = None      # units x dim, unit-normalised embeddings
    retrieval: Any = None                    # retrieve.Retrieval: units x exemplars, units x element headings


def _eligible(unit: Unit, scope: str, statute: bool) -> bool:
    if unit.root_kind == "toc":
        return False
    if scope == "offence":
        return unit.anchored
    return statute or unit.anchored


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
            m = re.search(r"(imprisonment[^.;]{0,160}\bor (?:with |to )?(?:a )?fine|or with both|or both|"
                          r"ou de l'une de ces deux peines|ou d'une amende|o multa)", norm)
            if m:
                out.append((u, Hit(m.start(), m.end(), "fine alternative")))
        return out
    return []


def evaluate_rule(element: Element, rule: dict[str, Any], ctx: CorpusContext) -> RuleOutcome:
    scope = rule.get("scope", "statute")
    units = [u for u in ctx.units if _eligible(u, scope, ctx.statute)]
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
        for pp in partial_forms(rule):
            if pp.get("only_when_missing") or level != 2:
                continue
            if pp.get("all_hits"):
                # the narrower form must qualify every provision the element was found in
                applies = all(_partial_hits(pp, [u for u in hit_units if id(u.section) == sec], ffs)
                              for sec in hit_secs)
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


_HEADING_LINE = re.compile(r"^[^\S\n]*([A-ZÀ-Ý][\w’'\-]*(?:[ ,]+(?:(?:and|of|in|the|or|to|for|de|la|des|du|et|y|el)\b|"
                           r"[A-ZÀ-Ý][\w’'\-]*))*)[^\S\n]*$", re.MULTILINE)


def _in_heading_line(text: str, pos: int) -> bool:
    """Is ``pos`` inside a title-like line (every word capitalised but small joining words)?"""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start: line_end if line_end >= 0 else len(text)]
    words = line.split()
    return 1 < len(words) <= 14 and bool(_HEADING_LINE.match(line)) and not line.rstrip().endswith((".", ";", ":"))


def partial_forms(rule: dict[str, Any]) -> list[dict[str, Any]]:
    """The rule's narrower forms: one mapping or a list of them (pattern, reason, options).

    Options: ``context: aggravation`` (the form counts only where it raises a penalty),
    ``all_hits`` (it narrows a full match only when it qualifies every provision that matched) and
    ``only_when_missing`` (the form never downgrades a full match; e.g. the word "minor" does not
    make a statute that defines a child as under eighteen partial).
    """
    pp = rule.get("partial_pattern")
    if not pp:
        return []
    return list(pp) if isinstance(pp, list) else [pp]


def _in_aggravation(u: Unit) -> bool:
    """Does the unit (with its chapeau and section heading) only raise a penalty?"""
    context = normalise(u.chapeau + " " + u.text + " " + (u.section.heading or ""))
    return bool(compile_pattern(aggravation_pattern()).search(context))


def _partial_hits(pp: dict[str, Any], units: list[Unit], ffs: list[str]) -> list[tuple[Unit, Hit]]:
    pat = pp["pattern"]
    if pat.startswith("__"):
        return _special_component(pat, units)
    out = [(u, h) for u in units for h in find_hits(u.text, pat, "narrow form", ffs)]
    if pp.get("context") == "aggravation":
        out = [(u, h) for u, h in out if _in_aggravation(u)]
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


# ----------------------------------------------------------------------------- flags

def _definition_group(u: Unit) -> int:
    """The provision a definition lives in: its definition entry, else its section."""
    if u.provision.kind == "definition":
        return id(u.provision)
    for a in u.provision.ancestors():
        if a.kind == "definition":
            return id(a)
    return id(u.section)


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


def _anchored_norm(ctx: CorpusContext, offence_only: bool = True) -> str:
    return " ".join(normalise(u.text) for u in ctx.units if u.anchored)


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
        restricted = units_matching(r"(traffick\w* (?:in|of) women and children|women and(?:/or)? children for|"
                                    r"any woman or child|women and girls|femmes? (?:et|ou) (?:des )?enfants?)")
        general = units_matching(r"(traffick\w* in persons|trafficking of persons|(?:recruits?|transports?|harbou?rs?|"
                                 r"receives?) (?:a |any |another )?person|traite des (?:personnes|êtres humains)|"
                                 r"trata de (?:personas|seres humanos)|any person\b(?! who))")
        if restricted and not any(re.search(r"traffick\w* in persons|traite des|trata de", normalise(u.text)) for u in general):
            return True, restricted[:3], "The trafficking offence protects only women and/or children."
        return False, [], ""
    if fid == "flag.sexual_purpose_only":
        sexual = lvl.get("art3.purpose.sexual_exploitation", 0) >= 1
        others = [lvl.get(x, 0) for x in ("art3.purpose.forced_labour", "art3.purpose.slavery_practices",
                                          "art3.purpose.servitude", "art3.purpose.removal_of_organs")]
        if offence_exists and sexual and not any(others):
            ev = units_matching(r"(prostitution|sexual|immoral)")
            return True, ev[:3], "The only exploitative purposes found are sexual (prostitution or sexual exploitation)."
        return False, [], ""
    if fid == "flag.child_means_required":
        ev = _means_based_definition(ctx)
        # means folded into 'exploitation' count only where an offence is actually created
        folded = ctx.means_in_exploitation and lvl.get("art5.1.criminalisation", 0) >= 1
        if offence_exists and (ev or folded) and lvl.get("art3c.child_no_means", 0) < 2:
            if not ev:
                ev = [h[0] for m in MEANS_ELEMENTS for h in (ctx.outcomes[m].hits if m in ctx.outcomes else [])][:2]
            return True, ev[:2], ("The trafficking definition requires a means and no child limb dispenses with it "
                                  "for all child victims.")
        return False, [], ""
    if fid == "flag.movement_required":
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
        if offence_exists and cross and lvl.get("untoc.34_2.no_transnational_or_group_requirement", 0) == 0:
            return True, cross[:2], "The offence applies only to cross-border trafficking or requires an organised group."
        return False, [], ""
    if fid == "flag.smuggling_conflation":
        defs = units_matching(r"(traffick\w*\"? means|trafficking (?:is|shall mean)).{0,300}(illegal entry|material benefit|"
                              r"financial or other)")
        defs = [u for u in defs if not re.search(r"exploit", normalise(u.text))]
        if defs:
            return True, defs[:2], "Trafficking is defined as procuring entry or movement for material benefit (smuggling)."
        return False, [], ""
    if fid == "flag.fine_in_lieu":
        crim = ctx.outcomes.get("art5.1.criminalisation")
        pool = sorted({h[0].index: h[0] for h in (crim.hits if crim else [])}.values(), key=lambda u: u.index)
        fines = [u for u, _ in _special_component("__fine_alternative__", pool)]
        if fines:
            return True, fines[:2], "A fine may be imposed instead of imprisonment for the trafficking offence."
        return False, [], ""
    if fid == "flag.consent_defence":
        # "with or without the consent" makes consent irrelevant; it is the opposite of this flag
        ev = units_matching(r"((?<!with or )without (?:his|her|their|the) consent|(?<!with or )without the consent of|"
                            r"contre son gré|(?<!avec ou )sans son consentement|(?<!con o )sin su consentimiento|"
                            r"consent .{0,40}(?:is|shall be) a defen[cs]e)")
        if ev:
            return True, ev[:2], "Lack of consent is an element of the offence, so consent can defeat the charge."
        return False, [], ""
    if fid == "flag.victim_criminalised":
        ev = units_matching(r"((?:person|woman|any one) who (?:\w+ ){0,3}(?:solicits|loiters|begs)|"
                            r"\bracolage\b|se livre à la mendicité|(?:illegal immigrant|séjour irrégulier)\W+(?:\w+\W+){0,6}(?:punish|puni))",
                            pool=ctx.units)
        if ev and lvl.get("gap.survival.non_punishment", 0) == 0:
            return True, ev[:2], "Conduct typical of victims is punished with no non-punishment safeguard."
        return False, [], ""
    return False, [], ""


# ----------------------------------------------------------------------------- features and calibration

FEATURES = ["covered_rule", "partial_rule", "log_hits", "best_hit_sim", "best_any_sim", "log_cues",
            "offence_scope", "narrowed"]


def feature_vector(element: Element, ctx: CorpusContext) -> list[float]:
    out = ctx.outcomes.get(element.id)
    rule = load_rules()["elements"].get(element.id, {})
    j = ctx.element_index.get(element.id)
    best_hit = best_any = 0.0
    if ctx.sims is not None and j is not None and ctx.sims.shape[0]:
        col = ctx.sims[:, j]
        scope = rule.get("scope", "statute")
        elig = [u.index for u in ctx.units if _eligible(u, scope, ctx.statute)]
        if elig:
            best_any = float(col[elig].max())
        if out and out.hits:
            best_hit = float(max(col[h[0].index] for h in out.hits))
    level = out.level if out else 0
    n_hits = len({h[0].index for h in out.hits}) if out else 0
    return [float(level == 2), float(level == 1), math.log1p(n_hits), best_hit, best_any,
            math.log1p(ctx.cue_counts.get(element.id, 0)), float(rule.get("scope") == "offence"),
            float(bool(out and out.narrowed))]


def calibration_path() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        cand = parent / "models" / "calibration.json"
        if cand.parent.exists() and (parent / "pyproject.toml").exists():
            return cand
    return here.parent / "calibration.json"


def load_calibration(path: Path | None = None) -> dict[str, Any] | None:
    p = path or calibration_path()
    if not p.exists():
        return None
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("features") != FEATURES:
        return None  # fitted for another feature set: refuse rather than mis-apply
    return data


def present_probability(x: list[float], calib: dict[str, Any] | None) -> float:
    """P(element present) from the fitted logistic model, or a rule-only fallback."""
    if not calib:
        # without a fitted model, trust the rules (documented in the model card)
        return 0.85 if x[0] else (0.6 if x[1] else 0.1)
    z = calib["intercept"] + sum(w * (v - m) / s for w, v, m, s in
                                 zip(calib["coef"], x, calib["mean"], calib["scale"]))
    return 1.0 / (1.0 + math.exp(-z))


# ----------------------------------------------------------------------------- main entry

def analyse(docs: list[Document], model: str | None = None, use_embeddings: bool = True) -> CorpusContext:
    """Segment, anchor, embed and run every element rule over one national corpus."""
    trees = [segment(d) for d in docs]
    units = build_units(docs, trees)
    ctx = CorpusContext(docs=docs, units=units, statute=any(is_trafficking_statute(d) for d in docs))
    elements = list(load_catalogue())
    ctx.element_index = {e.id: i for i, e in enumerate(elements)}
    rules = load_rules()["elements"]
    # order matters: open_list needs the five purposes, flags need everything
    ordered = sorted((e for e in elements if not e.is_flag), key=lambda e: e.id == "art3.purpose.open_list")
    for el in ordered:
        ctx.outcomes[el.id] = evaluate_rule(el, rules.get(el.id, {}), ctx)
    _apply_corpus_rules(ctx)
    # catalogue cue counts on anchored text (lemmas, per document language)
    for d in docs:
        # per provision language: a bilingual statute is lemmatised with each language's tables
        by_lang: dict[str, list[str]] = {}
        for u in units:
            if u.doc is d and (u.anchored or ctx.statute):
                by_lang.setdefault(u.provision.language or d.language, []).append(u.text)
        for lang, texts in sorted(by_lang.items()):
            for eid, n in cue_matches("\n".join(texts), lang if lang in ("en", "fr", "es") else "en").items():
                ctx.cue_counts[eid] = ctx.cue_counts.get(eid, 0) + n
    if use_embeddings and units:
        attach_similarities(ctx, model)
    return ctx


def attach_similarities(ctx: CorpusContext, model: str | None = None) -> None:
    """Cosine similarity of every unit to every element (the reference embeddings are cached on disk)."""
    from .embed import cached_encode, encode
    from .reference import catalogue_hash
    elements = list(load_catalogue())
    ref_texts = [f"{e.definition} {e.full}" for e in elements]
    ref = cached_encode(["elements", catalogue_hash()], ref_texts, model)
    vecs = encode([u.text[:1000] for u in ctx.units], model)
    ctx.sims = vecs @ ref.T
    ctx.unit_vecs = vecs  # kept for semantic retrieval (retrieve.py): every provision is embedded once


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
        if offence_units and not any(cross.search(normalise(u.text)) for u in offence_units.values()):
            hits = [(u, Hit(0, min(len(u.text), 80), "offence without cross-border element"))
                    for u in list(offence_units.values())[:2]]
            o["untoc.34_2.no_transnational_or_group_requirement"] = RuleOutcome(
                2, hits, ["no cross-border or organised-group element"], [],
                "the offence has no cross-border or organised-group element", False)
    _means_only_in_exploitation(ctx)
    _means_free_offence(ctx)
    _offence_incomplete(ctx)
    child_age = o.get("art3d.child_under_18")
    limb = o.get("art3c.child_no_means")
    if child_age and limb and limb.level == 2 and child_age.level == 1 and "below eighteen" in child_age.reason:
        limb.level, limb.narrowed = 1, True
        limb.reason = "the child limb dispenses with means only for children as the text defines them (below eighteen)"
    # offences limited to women/children or to prostitution make offence elements partial
    fake = {e.id: e for e in load_catalogue()}
    restricted = []
    for fid in ("flag.victim_scope_restricted", "flag.sexual_purpose_only"):
        raised, _, why = evaluate_flag(fake[fid], ctx)
        if raised:
            restricted.append(why)
    if restricted:
        for el in load_catalogue():
            out = o.get(el.id)
            if (out and el.group in OFFENCE_GROUPS and out.level == 2 and el.id != "art3d.child_under_18"
                    and not el.id.startswith("art5.2")):
                out.level = 1
                out.narrowed = True
                out.reason = "the offence is narrower than the Protocol: " + " ".join(restricted)


MEANS_ELEMENTS = ("art3.means.threat_or_use_of_force", "art3.means.coercion", "art3.means.abduction",
                  "art3.means.fraud", "art3.means.deception", "art3.means.abuse_of_power",
                  "art3.means.abuse_of_vulnerability", "art3.means.payments_to_controller")
# words by which an offence refers to a list of means the text (or an excerpt of it) does not show
_MEANS_REFERENCE = re.compile(r"(the means (?:referred|listed|set out|mentioned|specified)|any of the means|"
                              r"moyens (?:énumérés|visés|prévus|mentionnés)|aucun des moyens|"
                              r"medios (?:enumerados|previstos|señalados|mencionados)|ninguno de los medios)")
_EXPLOITATION_DEFINITION = re.compile(r"(exploits? (?:another|a) person (?:if|when|where)|\bexploitation\W{0,3} (?:means|includes)|"
                                      r"on entend par exploitation|l.exploitation (?:s.entend|est le fait)|"
                                      r"se entenderá por explotación|explotación (?:significa|comprende|incluye))")


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


_GAP_MARK = re.compile(r"(\[\s*(?:\.\.\.|…)\s*\]|début manquant|beginning missing|texto incompleto)")
_MEANING_OF = re.compile(r"(?:within the meaning of|as defined in|au sens de|tel que défini à|en el sentido del?)\s+"
                         r"(?:sections?|articles?|art\.|s\.|artículos?)\s+(\d+[\w\-.]*|premier|primero|first)")


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
    for u in offence_units.values():
        own = normalise(u.doc.text[u.section.start:u.section.end] + " " + u.chapeau + " " + u.text)
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


def decide(ctx: CorpusContext, elements: list[Element] | None = None,
           calib: dict[str, Any] | None = None) -> list[Finding]:
    """Findings for the chosen elements from an analysed corpus."""
    calib = calib if calib is not None else load_calibration()
    threshold = calib.get("threshold", 0.5) if calib else 0.5
    elements = elements or list(load_catalogue())
    findings = []
    for el in elements:
        if el.is_flag:
            raised, units, why = evaluate_flag(el, ctx)
            rate = (calib or {}).get("flag_precision", {}).get("raised" if raised else "not_raised", 0.8)
            ev = [_evidence(u, None) for u in units[:3]]
            findings.append(Finding(el.id, "raised" if raised else "not_raised", rate, ev,
                                    why or "No wording conflicting with the Protocol on this point was found."))
            continue
        out = ctx.outcomes.get(el.id) or RuleOutcome(0, [], [], [])
        x = feature_vector(el, ctx)
        p = present_probability(x, calib)
        status = {2: "covered", 1: "partial", 0: "missing"}[out.level]
        rationale = _rationale(el, out)
        if status != "missing" and p < threshold:
            status = "missing"
            rationale = (f"Wording matched ({', '.join(out.found) or 'a narrow form'}) but the calibrated model "
                         f"judges it insufficient (p={p:.2f} < {threshold:.2f}); check the quoted provision.")
        conf = p if status != "missing" else 1.0 - p
        evidence = _pick_evidence(el, out, ctx) if status != "missing" or out.hits else []
        exceptions = [e for e in evidence if EXCEPTION_RE.search(e.quote)]
        if status == "missing":
            evidence = []
        findings.append(Finding(el.id, status, conf, evidence, rationale, exceptions=exceptions if status != "missing" else []))
    return findings


def _rationale(el: Element, out: RuleOutcome) -> str:
    if out.level == 2:
        base = "Covered: " + "; ".join(out.found) + " found in the quoted provision(s)."
    elif out.level == 1:
        if out.reason:
            base = f"Partial: {out.reason}."
        else:
            base = f"Partial: found {', '.join(out.found)}; not found: {', '.join(out.missing)}."
    else:
        base = "Missing: no provision states " + (", ".join(out.missing) if out.missing else "this element") + "."
    return base


def _pick_evidence(el: Element, out: RuleOutcome, ctx: CorpusContext, limit: int = 3) -> list[Evidence]:
    j = ctx.element_index.get(el.id)
    by_unit: dict[int, tuple[Unit, Hit]] = {}
    for u, h in out.hits:
        by_unit.setdefault(u.index, (u, h))
    # one hit per component first, then by similarity to the element
    chosen: list[tuple[Unit, Hit]] = []
    seen_comp = set()
    ranked = sorted(by_unit.values(), key=lambda uh: -(float(ctx.sims[uh[0].index, j])
                                                       if ctx.sims is not None and j is not None else 0.0)
                    - (0.2 if uh[0].anchored else 0.0))
    for u, h in ranked:
        if h.component not in seen_comp:
            chosen.append((u, h))
            seen_comp.add(h.component)
    for uh in ranked:
        if len(chosen) >= limit:
            break
        if uh not in chosen:
            chosen.append(uh)
    chosen = sorted(chosen[:limit], key=lambda uh: (uh[0].doc.source, uh[0].start))
    return [_evidence(u, h) for u, h in chosen]


def _evidence(u: Unit, h: Hit | None) -> Evidence:
    text = u.text
    if h is not None:
        s, e = sentence_bounds(text, h.start, h.end)
    else:
        s, e = 0, min(len(text), 300)
        if e < len(text):
            cut = text.rfind(" ", 0, e)
            e = cut if cut > 100 else e
    # own text starts at provision.start and is the stripped slice, so offsets map directly
    start = u.provision.start + s
    end = u.provision.start + e
    quote = u.doc.text[start:end]
    return Evidence(citation=u.provision.citation, eid=u.provision.eid, quote=" ".join(quote.split()),
                    start=start, end=end, page=u.doc.page_at(start), source=u.doc.source)


def check(docs: list[Document], model: str | None = None, elements: list[Element] | None = None,
          use_embeddings: bool = True) -> "Report":
    from .report import Report
    ctx = analyse(docs, model=model, use_embeddings=use_embeddings)
    findings = decide(ctx, elements)
    return Report.build(docs, ctx, findings, model=model)
