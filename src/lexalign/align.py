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
REFERENCE_RE = re.compile(r"\b(?:sections?|articles?|art\.|s\.|artículos?)\s+(\d+[\w\-.]*(?:\s?(?:bis|ter))?)",
                          re.IGNORECASE)
_PENALTY_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                  "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "fourteen": 14, "twenty": 20,
                  "thirty": 30, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "dix": 10,
                  "quinze": 15, "vingt": 20, "trente": 30, "cuatro": 4, "cinco": 5, "seis": 6, "ocho": 8,
                  "diez": 10, "doce": 12, "trece": 13, "veinte": 20, "treinta": 30}


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
        anchored_secs = {id(s) for s in sections if anchor.search(sec_text[id(s)])}
        # follow references out of anchored sections ("as defined in section 2")
        by_num: dict[str, list[Provision]] = {}
        for s in sections:
            by_num.setdefault(s.num.lower(), []).append(s)
        for s in list(sections):
            if id(s) in anchored_secs:
                for m in REFERENCE_RE.finditer(sec_text[id(s)]):
                    for target in by_num.get(m.group(1).lower().rstrip("."), []):
                        anchored_secs.add(id(target))
        # ...and into sections that refer to an anchored one ("an offence under section 4") or, in a
        # trafficking statute, to offences under the statute itself
        statute = is_trafficking_statute(doc)
        anchored_nums = {s.num.lower() for s in sections if id(s) in anchored_secs}
        own_offence = re.compile(r"(offences? under this (?:act|law|part|bill)|infractions? (?:prévues?|visées?) (?:par|à) la présente"
                                 r"|delitos? previstos? en (?:la presente|esta) ley)")
        for s in sections:
            if id(s) in anchored_secs:
                continue
            refs = {m.group(1).lower().rstrip(".") for m in REFERENCE_RE.finditer(sec_text[id(s)])}
            if refs & anchored_nums or (statute and own_offence.search(sec_text[id(s)])):
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
                for y in re.finditer(r"(\d{1,2}|[a-zé]+)\s*(?:\(\d+\)\s*)?(?:years?|ans|años)", window):
                    tok = y.group(1)
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
        if comp_hits:
            found.append(comp["name"])
            hits.extend(comp_hits)
        else:
            missing.append(comp["name"])
    if not components:
        return RuleOutcome(0, [], [], [])
    level = 2 if not missing else (1 if found else 0)
    reason = ""
    narrowed = False
    if level >= 1 and hits:
        reason, narrowed = _narrowing(rule, hits)
        if narrowed and level == 2:
            level = 1
        pp = rule.get("partial_pattern")
        if pp:
            hit_units = {h[0].index for h in hits}
            pat = pp["pattern"]
            if pat.startswith("__"):
                special = _special_component(pat, [u for u in units if u.index in hit_units])
                partial_hit = bool(special)
            else:
                partial_hit = any(compile_pattern(pat).search(normalise(u.text)) for u in units
                                  if u.index in hit_units)
            if partial_hit and level == 2 and element.id not in ("art3d.child_under_18",):
                level, reason, narrowed = 1, pp["reason"], True
    if level == 0:
        for key in ("partial_pattern",):
            pp = rule.get(key)
            if pp and not pp["pattern"].startswith("__"):
                ph = [(u, h) for u in units for h in find_hits(u.text, pp["pattern"], "narrow form", ffs)]
                if ph:
                    return RuleOutcome(1, ph, [], [c["name"] for c in components], pp["reason"], True)
        ref = (rule.get("narrowing") or {}).get("reference")
        if ref:
            ph = [(u, h) for u in units for h in find_hits(u.text, ref, "reference", [])]
            if ph:
                return RuleOutcome(1, ph, [], [c["name"] for c in components],
                                   rule["narrowing"]["reason"], True)
    return RuleOutcome(level, hits, found, missing, reason, narrowed)


def _narrowing(rule: dict[str, Any], hits: list[tuple[Unit, Hit]]) -> tuple[str, bool]:
    nar = rule.get("narrowing") or {}
    if not nar:
        return "", False
    hit_units = {h[0].index: h[0] for h in hits}.values()
    if "kinds" in nar:
        if all(u.root_kind in nar["kinds"] or u.provision.kind in nar["kinds"] for u in hit_units):
            return nar["reason"], True
    if nar.get("context") == "aggravation":
        agg = compile_pattern(aggravation_pattern())
        if all(agg.search(normalise(u.chapeau + " " + u.text + " " + (u.section.heading or ""))) for u in hit_units):
            return nar["reason"], True
    if "pattern" in nar:
        pat = compile_pattern(nar["pattern"])
        if all(pat.search(normalise(u.text + " " + u.chapeau)) for u in hit_units):
            return nar["reason"], True
    return "", False


# ----------------------------------------------------------------------------- flags

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
        means_def = ctx.outcomes.get("art3a.three_element_definition")
        has_means = bool(means_def and "means" in means_def.found)
        if offence_exists and has_means and lvl.get("art3c.child_no_means", 0) < 2:
            ev = [h[0] for h in means_def.hits if h[1].component == "means"][:2]
            return True, ev, ("The trafficking definition requires a means and no child limb dispenses with it "
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
        ev = units_matching(r"(without (?:his|her|their|the) consent|without the consent of|contre son gré|"
                            r"sans son consentement|sin su consentimiento|consent .{0,40}(?:is|shall be) a defen[cs]e)")
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
        text = "\n".join(u.text for u in units if u.doc is d and (u.anchored or ctx.statute))
        for eid, n in cue_matches(text, d.language if d.language in ("en", "fr", "es") else "en").items():
            ctx.cue_counts[eid] = ctx.cue_counts.get(eid, 0) + n
    if use_embeddings and units:
        from .embed import cached_encode, encode
        from .reference import catalogue_hash
        ref_texts = [f"{e.definition} {e.full}" for e in elements]
        ref = cached_encode(["elements", catalogue_hash()], ref_texts, model)
        vecs = encode([u.text[:1000] for u in units], model)
        ctx.sims = vecs @ ref.T
    return ctx


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
            if out and el.group in OFFENCE_GROUPS and out.level == 2 and el.id != "art3d.child_under_18":
                out.level = 1
                out.narrowed = True
                out.reason = "the offence is narrower than the Protocol: " + " ".join(restricted)


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
