"""How the offence reads: the trafficking offence(s) of a corpus as a lawyer reads them.

An :class:`OffenceFrame` is one provision that creates an offence of trafficking (or one the statute
treats as trafficking: "traffic in women and children", procuring for immoral purposes, a separate
child-trafficking offence), read into its parts: the conduct (acts), the means and for whom they are
required, the purpose (resolved through the definition in scope), the victims, the child's age limit
from the definition that applies, consent, cross-border and organised-group conditions, the penalty
and its aggravations.  Every field carries the quoted words it rests on.

Definition scope follows drafting convention: "In this section" beats "In this Part" beats "In this
Act"; a term defined for one section does not carry over to another.  When the offence uses a term
that no document defines for it but another document of the same national corpus defines, the frame
takes that definition and says so (Cameroon's Penal Code s. 342-1 read with Law No. 2011/024).

Further down, the offence-structure helpers that the element rules and flags share (means-free
offences, means only in the definition of exploitation, offences resting on absent sections, the
penalty words, victim and purpose limits).  Elements and flags both read this module; neither reads
the other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import frame_words as W
from .budget import check_deadline
from .lexical import compile_wording, Hit, compile_pattern, normalise
from .models import Document, Evidence, Provision
from .units import SECTION_KINDS, CorpusContext, RuleOutcome, Unit, _definition_group, _ref_num, unit_evidence


@dataclass
class Penalty:
    """The penalty for the basic offence (years; None where the text gives none)."""

    min_years: float | None = None
    max_years: float | None = None
    life: bool = False
    fine_alternative: bool = False  # a fine may be imposed INSTEAD of prison

    def to_dict(self) -> dict[str, Any]:
        return {"min_years": self.min_years, "max_years": self.max_years, "life": self.life,
                "fine_alternative": self.fine_alternative}


@dataclass
class OffenceFrame:
    """One offence-creating provision, read into the parts of Article 3 and Article 5."""

    citation: str
    kind: str                                   # trafficking | child_trafficking | smuggling | old_style
    source: str = ""
    acts: list[str] = field(default_factory=list)
    #: acts the offence reaches only towards a person already being trafficked ("receives another person
    #: that he or she knows is being trafficked"): accessories to trafficking defined by other conduct
    ancillary_acts: list[str] = field(default_factory=list)
    means: list[str] = field(default_factory=list)
    means_required_adults: bool | None = None
    means_required_children: bool | None = None
    purposes: list[str] = field(default_factory=list)
    purpose_open_list: bool = False
    victims: str = "any_person"                 # any_person | women | children | women_and_children
    child_age: int | None = None
    consent: str = "silent"                     # irrelevant | defence | silent
    transnational_required: bool = False
    organised_group_required: bool = False
    penalty: Penalty = field(default_factory=Penalty)
    aggravations: list[str] = field(default_factory=list)
    definition: str | None = None
    note: str = ""
    #: set for the corpus: no trafficking offence of the corpus dispenses with the means for children,
    #: so this offence's means reach child victims too (Article 3(c) unmet)
    children_need_means: bool = False
    #: a child offence that stands beside a general offence protecting any person: not a narrowing
    beside_general_offence: bool = False
    #: field name (or "act:recruitment", "means:fraud", "purpose:slavery") -> the words it rests on
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    #: the same words as (unit, hit) pairs, for element outcomes that quote the frame
    hits: dict[str, list[tuple[Unit, Hit]]] = field(default_factory=dict, repr=False)
    definition_spans: list[tuple[str, int, int]] = field(default_factory=list, repr=False)
    #: where the definition of the offence's purpose ("exploitation", "unlawful purpose") lies
    purpose_definition_spans: list[tuple[str, int, int]] = field(default_factory=list, repr=False)
    section: Provision | None = field(default=None, repr=False)
    units: list[Unit] = field(default_factory=list, repr=False)

    def cite(self, key: str) -> list[Evidence]:
        return self.evidence.get(key, [])

    @property
    def narrowings(self) -> list[str]:
        """How this offence is narrower than Article 3, in words a drafter reads."""
        if self.kind == "smuggling":
            return ["not trafficking: moving a person for gain, close to migrant smuggling"]
        out = []
        if self.victims != "any_person" and not self.beside_general_offence:
            out.append({"women": "protects only women", "children": "protects only children",
                        "women_and_children": "protects only women and children"}[self.victims])
        if self.purposes and set(self.purposes) <= {"sexual_exploitation"}:
            out.append("reaches only sexual exploitation (prostitution)")
        if self.ancillary_acts and set(self.acts) <= {"transportation"}:
            out.append("is defined by moving the person; " + ", ".join(self.ancillary_acts) +
                       " only of a person already being trafficked")
        if self.child_age is not None and self.child_age < 18:
            out.append(f"treats as a child only a person under {self.child_age}, not under 18")
        if self.transnational_required:
            out.append("requires movement across a border")
        if self.organised_group_required:
            out.append("requires an organised criminal group")
        if self.consent == "defence":
            out.append("makes lack of consent an element (consent is a defence)")
        if self.means_required_children is True:
            out.append("requires means even for child victims")
        elif self.children_need_means:
            out.append("requires means for child victims too (no offence of the corpus dispenses with them)")
        if self.penalty.fine_alternative:
            out.append("allows a fine instead of imprisonment")
        return out

    def to_dict(self) -> dict[str, Any]:
        def ev(key: str) -> list[dict[str, Any]]:
            return [{"citation": e.citation, "quote": e.quote} for e in self.cite(key)[:2]]

        def item(value: Any, key: str) -> dict[str, Any]:
            return {"value": value, "evidence": ev(key)}

        return {
            "citation": self.citation, "source": self.source, "kind": self.kind,
            # an accessory's acts are acts the offence names too, marked as reached only towards trafficking
            "acts": [{"value": a, "evidence": ev("act:" + a)} for a in self.acts] +
                    [{"value": a, "evidence": ev("ancillary:" + a), "accessory": True} for a in self.ancillary_acts],
            "means": [{"value": m, "evidence": ev("means:" + m)} for m in self.means],
            "means_required_adults": item(self.means_required_adults, "means_required_adults"),
            "means_required_children": item(self.means_required_children, "means_required_children"),
            "purposes": [{"value": p, "evidence": ev("purpose:" + p)} for p in self.purposes],
            "purpose_open_list": item(self.purpose_open_list, "purpose_open_list"),
            "victims": item(self.victims, "victims"),
            "child_age": item(self.child_age, "child_age"),
            "consent": item(self.consent, "consent"),
            "transnational_required": item(self.transnational_required, "transnational_required"),
            "organised_group_required": item(self.organised_group_required, "organised_group_required"),
            "penalty": item(self.penalty.to_dict(), "penalty"),
            "aggravations": [{"citation": e.citation, "quote": e.quote} for e in self.cite("aggravations")[:4]],
            "definition": item(self.definition, "definition"),
            "narrowings": self.narrowings,
            "note": self.note,
        }


# ----------------------------------------------------------------------------- offence structure shared by elements and flags

_PENALTY_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                  "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "fourteen": 14, "twenty": 20,
                  "thirty": 30, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "dix": 10,
                  "quinze": 15, "vingt": 20, "trente": 30, "cuatro": 4, "cinco": 5, "seis": 6, "ocho": 8,
                  "diez": 10, "doce": 12, "trece": 13, "veinte": 20, "treinta": 30, "dos": 2, "tres": 3,
                  "siete": 7, "nueve": 9, "once": 11, "catorce": 14, "quince": 15, "dieciocho": 18,
                  "veinticinco": 25, "huit": 8, "neuf": 9, "six": 6, "douze": 12}


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
_EXPLOITATION_DEFINITION = compile_wording(r"(exploits? (?:another|a) person (?:if|when|where)|\bexploitation\W{0,3} (?:means|includes)|"
                                      r"on entend par exploitation|l.exploitation(?: [^.;]{0,60})? (?:s.entend|est le fait)|"
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


# ----------------------------------------------------------------------------- reading the offence

@dataclass
class _Piece:
    """A stretch of text that can be quoted: a unit's own text or a span of a section."""

    doc: Document
    citation: str
    eid: str
    start: int
    text: str
    unit: Unit | None = None
    offset: int = 0          # where the piece starts inside its unit's text
    _masked: str | None = field(default=None, repr=False, compare=False)
    _found: dict[str, list[re.Match]] = field(default_factory=dict, repr=False, compare=False)
    _aggravation: bool | None = field(default=None, repr=False, compare=False)

    def masked(self) -> str:
        """The normalised text with non-conduct phrases blanked, computed once: a frame reads its
        pieces with some thirty patterns, and re-normalising each piece for each pattern was most
        of the cost of a long statute."""
        if self._masked is None:
            self._masked = _mask_not_conduct(normalise(self.text))
        return self._masked

    def evidence(self, s: int | None = None, e: int | None = None) -> Evidence:
        if self.unit is not None and (self.offset == 0 or s is not None):
            return unit_evidence(self.unit, Hit(self.offset + s, self.offset + e, "frame") if s is not None else None)
        from .lexical import sentence_bounds
        if s is None:
            a, b = 0, min(len(self.text), 300)
        else:
            a, b = sentence_bounds(self.text, s, e)
        start, end = self.start + a, self.start + b
        return Evidence(citation=self.citation, eid=self.eid, quote=" ".join(self.doc.text[start:end].split()),
                        start=start, end=end, page=self.doc.page_at(start), source=self.doc.source)


@dataclass
class Definition:
    """A defined term and where its definition applies ("In this section" / "this Part" / "this Act")."""

    kind: str                 # trafficking | trafic | exploitation | child
    term: str
    doc: Document
    section: Provision
    citation: str
    scope: str                # section | part | act
    pieces: list[_Piece]

    @property
    def text(self) -> str:
        return normalise(" ".join(p.text for p in self.pieces))


_DEF_KINDS = [("child", compile_wording(r"^(?:child|children|minor|enfant|mineur|menor|niñ[oa]|girl|young person)s?\b")),
              ("trafic", compile_wording(r"^(?:trafic|tráfico|smuggling)")),
              ("trafficking", compile_wording(r"^(?!trafficked (?:persons?|child|children|victims?)\b)(?:traffick\w*|traffics?\b|trafficking in persons|traite|trata|trafficked)")),
              # a defined purpose term the offence uses ("unlawful purpose" means prostitution, forced labour...)
              ("exploitation", compile_wording(r"^(?:exploit\w*|explotación|(?:unlawful|illegal|illicit|exploitative) purposes?\b)")),
              ("purpose_term", compile_wording(r"^(?:prostitut\w*|brothel|immoral|sexual exploitation|forced labour|servitude|slavery|"
                                          r"proxénétisme|lenocinio)"))]
_INLINE_DEF = compile_wording(
    r"(?:^|[\s(;:.—–-])(?:l'|d')?[\"“«‘']?\s*(?P<term>child(?:ren)?|minor|enfant|mineur|menor|niño|trafficking in persons|trafficking|"
    r"traite des (?:personnes|êtres humains)|trafic (?:des|de) personnes|trata de personas|tráfico de personas|exploitation|explotación)"
    r"(?: des personnes| de (?:las )?personas| of (?:another|others|other persons|a person))?\s*[\"”»’']?\s*(?:means|includes|shall mean|has the meaning|:|désigne|s.entend|signifie|se entiende|se entenderá|significa)")
_SCOPE_SECTION = compile_wording(r"(in this (?:section|article)|for the purposes? of this (?:section|article)|au sens du présent article|"
                            r"pour l.application du présent article|(?:a los efectos|para los fines) de(?:l presente| este) artículo)")
_SCOPE_PART = compile_wording(r"(in this (?:part|chapter|title|division|subdivision|sub-part)|for the purposes? of this (?:part|chapter|division)|"
                         r"(?:du|au sens du) présent (?:chapitre|titre)|de la présente section|(?:de|en) este (?:capítulo|título))")
_SCOPE_ACT = compile_wording(r"(in this (?:act|law|bill|code|proclamation|ordinance|decree)|for the purposes? of this (?:act|law|bill)|"
                        r"unless the context|présente loi|présent code|(?:la presente|esta) ley|este código|on entend par|se entiende por)")
_DEF_HEADING = compile_wording(r"(interpretation|definition|définition|definici|meaning of|terminolog)")
_GROUP_KINDS = {"part", "chapter", "title", "division", "book", "section_group", "subsection_group", "paragraph_group"}
_NOT_CONDUCT = compile_wording(
    r"(victims? of (?:the )?(?:trafficking|traffic|traite|trata)\w*(?: in persons)?|trafficked (?:persons?|victims?|children)|anti-?trafficking|"
    r"proceeds of (?:trafficking|crime)|victimes? de (?:la )?traite|víctimas? de (?:la )?trata|"
    r"traffic\w* in (?:drugs|narcotic\w*|arms|firearms|weapons|migrants)|trafic (?:de|des|d.) (?:stupéfiants|drogues|armes|migrants)|"
    r"offen[cs]es? (?:of|under|relating to|related to) (?:trafficking|traffic)\w*(?: in persons)?|trafficking offen[cs]es?|"
    r"(?:combat|prevent|suppress)\w* (?:of )?(?:trafficking|traffic)\w*(?: in persons)?|"
    r"(?:an? |any )?acts? of (?:trafficking|traite|trata)\w*(?: in persons| des personnes| de personas)?)")
_ANCILLARY = compile_wording(r"(\battempt\w*|\baid(?:s|ed|ing)?\b|\babet\w*|\bconspir\w*|\bincit\w*|\bcounsel\w*|\bfinanc\w*|\buses? the (?:labour|services)|"
                        r"\bdestroy\w*|\bpublish\w*|\bobstruct\w*|\bbenefit\w*|\btentative|\bcomplic\w*|\bcómplice|\bencubri\w*)")
_SKIP_HEADING = compile_wording(r"(interpretation|definition|définition|definici|jurisdiction|compétence|confiscat|forfeit|compensation|"
                           r"victim|protection|witness|immunit|extradit|assistance|disclos|publication|evidence|procedure)")
_CONDUCT_VERB = compile_wording(r"(\btraffics?\b|\btrafficks?\b|engages? (?:even occasionally )?in (?:the practice of )?traffick|commits? (?:the (?:offence|crime) of )?traffick|"
                           r"\bpractice of traffick|traffick\w* (?:in|of) (?:persons|a person|another|women|children|human)|"
                           r"se livre (?:même occasionnellement )?(?:au|à la) (?:trafic|traite)|(?:le|du) trafic ou (?:la|de la) traite|"
                           r"\btraite (?:des|d.) (?:personnes|êtres|femmes|enfants|blanches)|\bla traite\b|"
                           r"\btrata de (?:personas|seres|mujeres|menores|blancas)|\bla trata\b|promoviere,? facilitare|for (?:the )?purposes? of trafficking)")
_CHILD_FREE = compile_wording(
    r"(even (?:if|where|though) (?:(?:it|this|they|the conduct) )?(?:does |do )?(?:not involve|none of|no) .{0,60}means|"
    r"(?:whether or not|regardless of whether|irrespective of whether) .{0,80}means|regardless of the means|"
    r"whether or not (?:by|through|with) (?:fraud|force|violence|threats?|deception|coercion)|"
    r"même (?:si|s.il) (?:aucun|n.est fait recours à aucun) .{0,40}moyens|quel que soit le moyen|"
    r"aun cuando no se recurr\w* a (?:ninguno de )?los medios|sin que medie|aun(?:que| cuando) no (?:concurr|medi|se emple|hubiere)\w*|no (?:será|es) necesari\w* .{0,60}medios|"
    r"need not (?:be )?(?:proved|shown|established) .{0,80}means|shall not be required to prove .{0,80}means|"
    r"it shall not be necessary .{0,80}means)")
_ANCILLARY_HEADING = compile_wording(
    r"(benefit|document|premises|\buse of\b|\busing\b|services of|debt bondage|pledg|aggravat|attempt|abet|conspir|profit|financ|"
    r"facilitat|promot|obstruct|official|legal person|body corporate|corporat|circonstances|tentative|complic|agravant|"
    r"living on|earnings|soliciting|keeping a brothel|support|providing|facilities|conveyance|carrier|omission|information|"
    r"recruiting persons|harbouring persons|related|relating|connected|non-discrimination|duty to|\breport|\bfail\w* to)")
_REFERS_TO_OFFENCE = compile_wording(
    r"(infraction (?:prévue|définie|visée) (?:à|par) l.article|infractions? prévues? aux articles|"
    r"(?:an|the) offen[cs]e (?:under|referred to in|in|of trafficking under|described in) (?:section|subsection|this part)|"
    r"delitos? (?:previstos?|tipificados?) en (?:el|los) artículos?|(?:commits|convicted of) an offen[cs]e under section)")
_INSERTED_ARTICLE = compile_wording(r"(?:quedará así|shall read as follows|is replaced by|est ainsi rédigé|est remplacé par|se sustituye por)\W{0,6}"
                               r"\W*(?:artículo|article|section|art\.)\s+(\d+[\w\-]*(?:\s?(?:bis|ter))?)", re.IGNORECASE)
_MEANS_BY_REFERENCE = compile_wording(
    r"((?<!whether or not )(?<!whether or not any of )(?:by|through|using|with) (?:any|one) of the means|"
    r"lorsqu.elle est commise dans l.une des circonstances|par l.un des moyens|"
    r"(?<!no )(?:cuando|si) se recurr\w* a (?:alguno|cualquiera) de los medios|empleando (?:alguno|cualquiera) de los medios)")
_OF_A_TRAFFICKED_PERSON = compile_wording(
    r"^[^.;]{0,120}?\b(?:is being|has been|is likely to be|was|were|had been) trafficked|^[^.;]{0,60}?\b(?:a |the )?"
    r"(?:trafficked (?:person|child|victim)|victims? of trafficking)|"
    # the verb's object is the crime or a document, not a person: "procures ... the commission of the crime of trafficking"
    r"^[^.;]{0,200}?\bthe commission of (?:the |an? )?(?:crime|offen[cs]e)s? of traffick|"
    # "to send to, take to ... or to receive at any place any person for the purposes of trafficking": an intermediary's acts
    r"^[^.;]{0,160}?\bfor (?:the )?purposes? of traffick|^[^.;]{0,60}?\b(?:identity|travel) documents?")
_MEANS_FREE_LIMB = compile_wording(r"(\bvoluntarily,? (?:for|with)|(?:whether|either) voluntarily or (?:involuntarily|otherwise)|"
                              r"(?:whether|either) involuntarily or voluntarily)")
_NUM = compile_wording(r"(\d{1,3}(?:[.,]\d+)?|[a-záéíóúñ\-]+)")


def _record(f: OffenceFrame, key: str, found: list[tuple[_Piece, re.Match]]) -> None:
    """Quote the words a frame field rests on (and keep them as unit hits where they lie in a unit)."""
    f.evidence[key] = [p.evidence(m.start(), m.end()) for p, m in found]
    f.hits[key] = [(p.unit, Hit(p.offset + m.start(), p.offset + m.end(), key)) for p, m in found if p.unit is not None]


def _pieces_of(units: list[Unit]) -> list[_Piece]:
    return [_Piece(u.doc, u.provision.citation, u.provision.eid, u.provision.start, u.text, u) for u in units if u.text]


def _find(pattern: str | re.Pattern, pieces: list[_Piece]) -> list[tuple[_Piece, re.Match]]:
    pat = compile_pattern(pattern.pattern if isinstance(pattern, re.Pattern) else pattern)  # spaces match line breaks
    out = []
    for p in pieces:
        # a definition's pieces are read by every offence that uses it: each pattern runs over a piece once
        found = p._found.get(pat.pattern)
        if found is None:
            found = p._found[pat.pattern] = [m for m in pat.finditer(p.masked()) if m.end() > m.start()]
        out.extend((p, m) for m in found)
    return out


def _mask_not_conduct(norm: str) -> str:
    """Blank out phrases that name trafficking without being the conduct (same length, offsets kept)."""
    return _NOT_CONDUCT.sub(lambda m: " " * len(m.group(0)), norm)


_NOT_AGGRAVATED = compile_wording(r"(?:not|no|without) (?:\w+ ){0,6}(?:in )?(?:any of )?(?:the )?aggravat\w* circumstances?")


def _is_aggravation(p: _Piece) -> bool:
    """Does the piece only raise a penalty? (Asked of a piece once, however many of its matches ask.)"""
    if p._aggravation is None:
        p._aggravation = _read_aggravation(p)
    return p._aggravation


def _read_aggravation(p: _Piece) -> bool:
    # "that is not committed in any of the aggravating circumstances" is the basic offence
    own, negated = _NOT_AGGRAVATED.subn(" ", normalise(p.text))
    if negated:
        return bool(W.AGGRAVATION.search(own))
    context = own + " " + normalise(p.unit.chapeau if p.unit else "")
    if p.unit is not None and W.AGGRAVATION.search(normalise(p.unit.section.heading or "")):
        return True
    return bool(W.AGGRAVATION.search(context))


_SENTENCE_END = compile_wording(r"(?<=[a-záéíóúñ)\]»”\"])\.\s")


def _in_aggravating_clause(p: _Piece, m: re.Match) -> bool:
    """Does the match sit in a clause that raises the penalty ("la pena será de ... cuando: 1. Mediare engaño")?

    Flattened texts put the basic offence and its aggravations in one provision, so the provision as a
    whole is not an aggravation; the sentence around the match is.
    """
    norm = normalise(p.text)
    before = norm[max(0, m.start() - 400):m.start()]
    ends = list(_SENTENCE_END.finditer(before))
    clause = before[ends[-1].end():] if ends else before
    return bool(W.AGGRAVATION.search(clause))


def _group_of(p: Provision) -> Provision | None:
    return next((a for a in p.ancestors() if a.kind in _GROUP_KINDS), None)


def _scope_of(section: Provision, doc: Document, offset: int) -> str:
    """Where a definition applies, from the words that introduce it (nearest introduction wins)."""
    end = max(section.start, offset)
    head = normalise(doc.text[max(section.start, end - 30000):end])
    best, where = "", -1
    for scope, pat in (("section", _SCOPE_SECTION), ("part", _SCOPE_PART), ("act", _SCOPE_ACT)):
        for m in pat.finditer(head):
            if m.start() > where:
                best, where = scope, m.start()
    if best:
        return best
    if _DEF_HEADING.search(normalise(section.heading or "")):
        return "act"
    return "section"


class _Seen:
    """Where terms were already found, by document: "is there one within 40 characters?" in constant time
    (a set of pairs scanned whole for every match made a glossary cost the square of its entries)."""

    def __init__(self) -> None:
        self._by_source: dict[str, set[int]] = {}

    def add(self, item: tuple[str, int]) -> None:
        self._by_source.setdefault(item[0], set()).add(item[1])

    def near(self, source: str, start: int) -> bool:
        starts = self._by_source.get(source)
        return bool(starts) and any(start + d in starts for d in range(-39, 40))


class _UnitsByStart:
    """The units of each document sorted by offset, and of each section: a definition finds its own units
    by bisection instead of a scan of every unit of the corpus."""

    def __init__(self, units: list[Unit]) -> None:
        self._order = {id(u): k for k, u in enumerate(units)}
        self._by_doc: dict[int, tuple[list[int], list[Unit]]] = {}
        self._by_section: dict[int, list[Unit]] = {}
        for u in units:
            self._by_section.setdefault(id(u.section), []).append(u)
        grouped: dict[int, list[Unit]] = {}
        for u in units:
            grouped.setdefault(id(u.doc), []).append(u)
        for key, us in grouped.items():
            us = sorted(us, key=lambda v: (v.provision.start, self._order[id(v)]))
            self._by_doc[key] = ([v.provision.start for v in us], us)

    def between(self, doc: Document, start: int, end: int) -> list[Unit]:
        """Units of ``doc`` whose provision starts in [start, end), in corpus order."""
        import bisect
        keys, us = self._by_doc.get(id(doc), ([], []))
        found = us[bisect.bisect_left(keys, start):bisect.bisect_left(keys, end)]
        return sorted(found, key=lambda v: self._order[id(v)])

    def of_section(self, sec: Provision) -> list[Unit]:
        return self._by_section.get(id(sec), [])


def _new_terms(u: Unit, matches: list[re.Match], seen: _Seen):
    """(index, match, term, kind, start) for each match in a unit that defines a term not already found there."""
    for i, m in enumerate(matches):
        start = u.provision.start + m.start("term")
        if seen.near(u.doc.source, start):
            continue
        term = normalise(m.group("term"))
        yield i, m, term, next((k for k, pat in _DEF_KINDS if pat.search(term)), None), start


_QUALIFIED_TERM = compile_wording(r"\b(?!the\b|la\b|le\b|les\b|el\b|los\b|las\b|par\b|por\b|of\b|de\b|and\b|or\b|et\b|y\b)"
                                  r"[a-záéíóúñ]{3,}\s+$")


def _list_that_follows(units: list[Unit], k: int) -> list[_Piece]:
    """The lettered items after a definition that ends with a colon ("6º trafficking in persons: a) ... b) ...")."""
    u = units[k]
    if not normalise(u.text).rstrip().endswith(":"):
        return []
    out = []
    for j in range(k + 1, len(units)):
        v = units[j]
        if v.section is not u.section or not re.match(r"\s*\(?(?:[a-z]{1,3}|\d{1,2})[).]", v.text):
            break
        out += _pieces_of([v])
    return out


def find_definitions(ctx: CorpusContext) -> list[Definition]:
    """Definitions of trafficking, exploitation and child, with the scope each applies in."""
    out: list[Definition] = []
    seen = _Seen()
    starts = _UnitsByStart(ctx.units)
    for u in ctx.units:
        p = u.provision
        if p.kind != "definition" or not p.term or u.root_kind == "toc":
            continue
        term = normalise(p.term).strip(" \"“”'")
        kind = next((k for k, pat in _DEF_KINDS if pat.search(term)), None)
        if kind is None:
            continue
        pieces = _pieces_of(starts.between(u.doc, p.start, p.end))
        out.append(Definition(kind, term, u.doc, u.section, p.citation, _scope_of(u.section, u.doc, p.start), pieces))
        seen.add((u.doc.source, p.start))
    # definitions run together in one paragraph ("Au sens de la présente loi, on entend par : ... b) trafic ...")
    units_list = ctx.units
    for k, u in enumerate(units_list):
        if u.root_kind == "toc" or u.provision.kind == "definition":
            continue
        norm = normalise(u.text)
        matches = list(_INLINE_DEF.finditer(norm))
        for i, m, term, kind, start in _new_terms(u, matches, seen):
            if _QUALIFIED_TERM.search(norm[max(0, m.start("term") - 30):m.start("term")]):
                continue  # "7º transnational trafficking in persons:" defines another term
            end = matches[i + 1].start() if i + 1 < len(matches) else min(len(norm), m.end() + 1200)
            label = re.search(r"\(?([a-z]|\d{1,2})\)\s*(?:(?:le|la|les|l'|el|los|the)\s*)?$",
                              norm[max(0, m.start("term") - 12):m.start("term")])
            own = f"({label.group(1)})" if label else ""
            cit = u.provision.citation + ("" if u.provision.citation.endswith(own) else own)
            piece = _Piece(u.doc, cit, u.provision.eid, u.provision.start + m.start("term"),
                           u.text[m.start("term"):end], u, m.start("term"))
            pieces = [piece] + (_list_that_follows(units_list, k) if i + 1 == len(matches) else [])
            if sum(len(p.text.split()) for p in pieces) < len(term.split()) + 3:
                continue  # "... del delito de trata de personas:" names the term, defines nothing
            out.append(Definition(kind, term, u.doc, u.section, cit, _scope_of(u.section, u.doc, start), pieces))
            seen.add((u.doc.source, start))
    # the verb before the term: "Se entiende por trata de personas el ofrecimiento ...", "On entend par exploitation ..."
    for i, u in enumerate(units_list):
        if u.root_kind == "toc" or u.provision.kind == "definition":
            continue
        norm = normalise(u.text)
        found = list(_REVERSED_DEF.finditer(norm))
        for j, m, term, kind, start in _new_terms(u, found, seen):
            if kind is None:
                continue
            end = found[j + 1].start() if j + 1 < len(found) else len(norm)
            pieces = [_Piece(u.doc, u.provision.citation, u.provision.eid, start, u.text[m.start("term"):end], u,
                             m.start("term"))]
            if j + 1 == len(found):
                pieces += _list_that_follows(units_list, i)
            before = norm[:m.start()]
            scope = "section" if _SCOPE_SECTION.search(before) else "part" if _SCOPE_PART.search(before) else "act"
            out.append(Definition(kind, term, u.doc, u.section, u.provision.citation, scope, pieces))
            seen.add((u.doc.source, start))
    # labelled entries of a definitions article: "A) Trata de personas. La captación, el reclutamiento ..."
    for u in ctx.units:
        if u.root_kind == "toc" or u.provision.kind == "definition":
            continue
        entries = list(_LABELLED_DEF.finditer(u.text))
        if not entries or not _is_definitions_section(u):
            continue
        for i, m, term, kind, start in _new_terms(u, entries, seen):
            if kind is None:
                continue
            end = entries[i + 1].start() if i + 1 < len(entries) else len(u.text)
            cit = f"{u.section.citation} lit. {m.group('label')})"
            piece = _Piece(u.doc, cit, u.provision.eid, start, u.text[m.start("term"):end], u, m.start("term"))
            out.append(Definition(kind, term, u.doc, u.section, cit, _scope_of(u.section, u.doc, start), [piece]))
            seen.add((u.doc.source, start))
    for u in ctx.units:
        sec = u.section
        if u.provision is not sec or u.root_kind == "toc":
            continue
        if re.match(r"\W*(exploitation|explotación|meaning of exploitation)\W*$", normalise(sec.heading or "")) or \
                re.search(r"(a person exploits another person (?:if|when|where))", normalise(u.text)):
            pieces = _pieces_of(starts.of_section(sec))
            out.append(Definition("exploitation", "exploitation", u.doc, sec, sec.citation, "act", pieces))
    return out


_REVERSED_DEF = compile_wording(
    r"(?:se entiende|se entenderá|se entenderán|on entend|il faut entendre|is meant|shall be understood)\s+(?:por|par|by)\s+"
    r"(?P<term>trata de personas|trata|explotación|exploitation|traite des (?:personnes|êtres humains)|traite|"
    r"trafficking in persons|trafficking|child|niñ[oa]s?|menor(?:es)?|enfant|mineur)\b")
_LABELLED_DEF = compile_wording(r"(?m)^[ \t]*\(?(?P<label>[A-Za-z]{1,2}|\d{1,2})[).]\s+(?P<term>[^.:\n]{3,60}?)\s*[.:]\s+\S")


def _is_definitions_section(u: Unit) -> bool:
    """Is the unit an entry of a section that defines terms (by its heading or its opening words)?"""
    if _DEF_HEADING.search(normalise(u.section.heading or "")):
        return True
    opening = normalise(u.doc.text[u.section.start:min(u.section.end, u.section.start + 400)])
    return bool(re.search(r"(se entender[áa] por|on entend par|se entiende por|the following (?:terms|expressions|words)|"
                          r"unless the context otherwise requires)", opening))


def _applicable(defs: list[Definition], kind: str, doc: Document, section: Provision) -> Definition | None:
    """The definition of ``kind`` that governs an offence in ``section``: section > part > act."""
    group = _group_of(section)
    ranked = []
    for d in defs:
        if d.kind != kind or d.doc is not doc:
            continue
        if d.section is section:
            ranked.append((0, d))
        elif d.scope == "part" and group is not None and _group_of(d.section) is group:
            ranked.append((1, d))
        elif d.scope == "act":
            ranked.append((2, d))
    return min(ranked, key=lambda r: r[0])[1] if ranked else None


def _age(text: str) -> int | None:
    m = W.AGE_LIMIT.search(text)
    if not m:
        return None
    tok = m.group(1)
    return int(tok) if tok.isdigit() else W.AGE_WORDS.get(tok)


def _years(tok: str) -> float | None:
    tok = tok.replace(",", ".")
    try:
        return float(tok)
    except ValueError:
        return W.AGE_WORDS.get(tok) or _PENALTY_WORDS.get(tok)


_Y = r"(\d{1,3}|[a-záéíóúñ\-]+)\s*(?:\([\w\s\-]+\)\s*)?"
_PEN_MINMAX = compile_wording(rf"(?:not less than|minimum (?:term )?of|at least|between|from|de|entre)\s+{_Y}(?:years?\s*)?"
                         rf"(?:and (?:not (?:more|exceeding) than\s+)?|to\s+|à\s+|a\s+|y\s+){_Y}(?:years?|ans|años)")
_PEN_MIN = compile_wording(rf"(?:not less than|minimum (?:punishment|penalty) of imprisonment for a term of|minimum (?:term )?of|at least|no (?:less|fewer) than)\s+{_Y}(?:years?|ans|años)")
_PEN_MAX = compile_wording(rf"(?:not (?:more|exceeding) than|not exceeding|up to|may extend to|maximum (?:term )?of|exceeding|to)\s+{_Y}(?:years?|ans|años)")
_PEN_PLAIN = compile_wording(rf"{_Y}(?:years?|ans|años)")
_MONTHS = compile_wording(rf"{_Y}(?:months?|mois|meses)")


_AGE_PHRASE = compile_wording(r"(?:mayor(?:es)?|menor(?:es)?) de (?:\d{1,2}|[a-záéíóúñ]+) años(?: de edad)?|(?:\d{1,2}|[a-záéíóúñ]+) años de edad|"
                              r"(?:under|below|over|above) the age of \d{1,2} years|(?:person|child|girl|boy)s? (?:under|below) \d{1,2} years|"
                              r"\d{1,2} years of age|(?:âgée?s?|moins|plus) de \d{1,2} ans")


#: years of each degree of "presidio/reclusión menor|mayor" (Chilean Código Penal art. 56), lower bound rounded
#: to whole years as a drafter states them ("5 años y un día" is 5)
_DEGREES = {"menor": {"mínimo": (61 / 365, 540 / 365), "medio": (541 / 365, 3), "máximo": (3, 5)},
            "mayor": {"mínimo": (5, 10), "medio": (10, 15), "máximo": (15, 20)}}
_PEN_DEGREES = compile_wording(r"(?:presidio|reclusión|relegación) (?P<level>menor|mayor) en (?:su|sus) grados? "
                               r"(?P<from>mínimo|medio|máximo)(?: a (?P<to>mínimo|medio|máximo))?")


def read_penalty(text: str) -> Penalty:
    """Minimum, maximum, life and fine-in-lieu from a penalty clause (months become twelfths)."""
    norm = normalise(text)
    # "trece (13)", "10 (ten)": the figure decides
    norm = re.sub(r"\b[a-záéíóúñ\-]+\s*\((\d{1,3})\)", r"\1", norm)
    norm = re.sub(r"\b(\d{1,3})\s*\([a-záéíóúñ\-\s]+\)", r"\1", norm)
    # an age is not a term of imprisonment ("personas mayores de 18 años de edad", "a child under 16 years")
    norm = _AGE_PHRASE.sub(" ", norm)
    pen = Penalty(life=bool(W.LIFE.search(norm)), fine_alternative=bool(W.FINE_ALTERNATIVE.search(norm)))
    g = _PEN_DEGREES.search(norm)
    if g:  # "reclusión mayor en sus grados mínimo a medio": the Chilean code's scale of degrees (art. 56)
        scale = _DEGREES[g.group("level")]
        low, high = scale[g.group("from")], scale[g.group("to") or g.group("from")]
        pen.min_years, pen.max_years = low[0], high[1]
        return pen
    m = _PEN_MINMAX.search(norm)
    if m and _years(m.group(1)) and _years(m.group(2)):
        pen.min_years, pen.max_years = _years(m.group(1)), _years(m.group(2))
        return pen
    m = _PEN_MIN.search(norm)
    if m:
        pen.min_years = _years(m.group(1))
    m = _PEN_MAX.search(norm)
    if m and _years(m.group(1)):
        pen.max_years = _years(m.group(1))
    elif pen.min_years is None:
        vals = [v for v in (_years(x.group(1)) for x in _PEN_PLAIN.finditer(norm)) if v]
        if vals:
            pen.max_years = max(vals)
        else:
            months = [v for v in (_years(x.group(1)) for x in _MONTHS.finditer(norm)) if v]
            if months:
                pen.max_years = round(max(months) / 12, 2)
    return pen


def _sections(ctx: CorpusContext) -> list[tuple[Document, Provision, list[Unit]]]:
    by: dict[int, tuple[Document, Provision, list[Unit]]] = {}
    for u in ctx.units:
        if u.root_kind == "toc" or u.root_kind == "preface":
            continue
        by.setdefault(id(u.section), (u.doc, u.section, []))[2].append(u)
    return list(by.values())


def _victims(pieces: list[_Piece], heading: str = "") -> tuple[str, list[Evidence]]:
    general, women, children = [], [], []
    for p in pieces:
        norm = W.OFFENDER_PHRASE.sub(lambda m: " " * len(m.group(0)), _mask_not_conduct(normalise(p.text)))
        if heading and norm.lstrip().startswith(heading):  # the section's title names the subject, not the victims
            at = norm.find(heading)
            norm = norm[:at] + " " * len(heading) + norm[at + len(heading):]
        norm = re.sub(r"(?:a |any |another |the )?(?:persons?|personas?|personnes?) (?=under|below|who (?:is|has) not (?:attained|reached)|"
                      r"menores? de|(?:âgées? de )?moins de)",
                      lambda m: "child" + " " * (len(m.group(0)) - 5), norm)
        for pat, bucket in ((W.PERSON_WORDS, general), (W.WOMEN_WORDS, women), (W.CHILD_WORDS, children)):
            m = compile_pattern(pat).search(norm)
            if m:
                bucket.append(p.evidence(m.start(), m.end()))
    if general:
        return "any_person", general[:1]
    only_girls = women and all(re.search(r"\bgirls?\b|\bfilles?\b|\bniñas?\b", e.quote.lower()) for e in women)
    if women and children and not only_girls:
        return "women_and_children", women[:1] + children[:1]
    if women and not only_girls:
        return "women", women[:1]
    if children:
        return "children", children[:1]
    return "any_person", []


def extract_frames(ctx: CorpusContext) -> list[OffenceFrame]:
    """Every provision that creates an offence of trafficking, read into its parts."""
    defs = find_definitions(ctx)
    frames: list[OffenceFrame] = []
    aggravated: list[tuple] = []
    sections = _sections(ctx)
    for doc, sec, units in sections:
        check_deadline()
        pieces = _pieces_of(units)
        full = _mask_not_conduct(normalise(" ".join(p.text for p in pieces)))
        if not W.OFFENCE_CREATING.search(full):
            continue
        heading = normalise(sec.heading or "")
        if _SKIP_HEADING.search(heading) and not re.match(r"\W*(?:[\w']+ ){0,2}(?:traffick|traffic|traite|trata|trafic)", heading):
            continue
        if sum(1 for u in units if u.provision.kind == "definition") > len(units) / 2:
            continue
        body = full.replace(heading, " ", 1) if heading else full  # a group heading may name both offences
        if _MIGRANT_SMUGGLING.search(body[:400]) and not re.search(
                r"trata de personas|trafficking in persons|traite des (?:personnes|êtres)", body):
            continue  # "Tráfico de migrantes. El que con ánimo de lucro facilite ... la entrada ilegal": smuggling
        conduct = [p for p in pieces if not _is_aggravation(p)]
        if _NAMED_AGGRAVATED.search(full):
            aggravated.append((doc, sec, units, pieces, full))
            continue
        if not conduct:
            continue  # the whole provision raises the penalty of an offence set out elsewhere
        ctext = _mask_not_conduct(normalise(" ".join(p.text for p in conduct)))
        named = _CONDUCT_VERB.search(ctext) or re.search(r"\b(?:trafficking|traffic in|traite|trata)\b", heading)
        acts_here = [a for a, pat in W.ACTS.items() if compile_pattern(pat).search(ctext)]
        old = bool(W.OLD_STYLE_CONDUCT.search(ctext) and W.IMMORAL_PURPOSE.search(ctext))
        exploit = bool(re.search(r"(for the purpose of exploit|purpose of exploitation|intent to exploit|fins? d.exploitation|"
                                 r"fines de explotación|finalidad de explot|en vue de (?:son|leur) exploitation)", ctext))
        listed = len(acts_here) >= 3 and any(compile_pattern(W.PURPOSES[k]).search(ctext) for k in W.PURPOSES if k != "other")
        if not (named or old or (len(acts_here) >= 2 and exploit) or listed):
            continue
        if not acts_here and _ANCILLARY.search(ctext) and not re.search(r"\btraffics?\b|\btrafficks?\b|practice of", ctext):
            continue
        opening = _mask_not_conduct(normalise(" ".join(p.text for p in conduct[:2])))[:400]  # a heading line may come first
        if _ANCILLARY_HEADING.search(heading) or _REFERS_TO_OFFENCE.search(opening):
            continue  # an ancillary offence, or a penalty/aggravation of an offence set out elsewhere
        historical = W.HISTORICAL_NAME.search(ctext + " " + heading) and not re.search(
            r"traffick\w* in persons|traite des (?:personnes|êtres)|trata de (?:personas|seres)", ctext)
        old_style = (old and not named and not exploit) or bool(historical)
        limbs = _limbs(ctext, doc, sec, defs)
        # a section that is a child offence as a whole ("Trafficking in children") has no separate child part
        child_part = [] if re.search(W.CHILD_WORDS, heading) else _separate_child_offence(sec, conduct)
        if child_part and not limbs:
            main = [p for p in conduct if p not in child_part]
            frames.append(_read_frame(doc, sec, units, main, [p for p in pieces if p not in child_part], defs, ctx, old_style))
            own = Definition("trafficking", "offence", doc, sec, sec.citation, "section", main)
            frames.append(_read_frame(doc, sec, units, child_part, child_part, defs, ctx, False, tdef=own,
                                      kind="child_trafficking"))
            frames[-1].definition = frames[-2].definition
            continue
        if limbs:
            for kind, d in limbs:
                frames.append(_read_frame(doc, sec, units, conduct, pieces, defs, ctx, False, tdef=d, kind=kind))
        else:
            frames.append(_read_frame(doc, sec, units, conduct, pieces, defs, ctx, old_style))
    if not any(f.kind in ("trafficking", "child_trafficking", "old_style") for f in frames):
        frames += _frames_from_definitions(defs, ctx)
    frames += _aggravated_offences(aggravated, frames)
    _attach_penalty_sections(frames, sections)
    return _mark_children_needing_means(_parallel_limbs(frames, ctx))


_MIGRANT_SMUGGLING = compile_wording(r"(tráfico (?:ilícito )?de migrantes|smuggling of migrants|migrant smuggling|"
                                     r"trafic illicite de migrants|entrada ilegal al país|illegal entry)")
_NAMED_AGGRAVATED = compile_wording(
    r"(commits? the (?:offen[cs]e|crime) of (?:aggravated|qualified) traffick|(?:aggravated|qualified) traffick\w*(?: in persons)? "
    r"(?:is|shall be) (?:committed|punish)|comete (?:el )?delito de trata agravada|traite aggravée (?:est|sera))")


def _aggravated_offences(found: list[tuple], frames: list[OffenceFrame]) -> list[OffenceFrame]:
    """A named aggravated offence ("commits the offence of aggravated trafficking where— (a) the victim is a child")
    takes the elements of the basic offence of its law and has its own penalty."""
    out = []
    for doc, sec, units, pieces, full in found:
        base = next((f for f in frames if f.source == doc.source and f.kind == "trafficking"), None)
        if base is None:
            continue
        f = OffenceFrame(**{k: getattr(base, k) for k in base.__dataclass_fields__})
        f.citation, f.section, f.units = sec.citation, sec, units
        f.evidence, f.hits = dict(base.evidence), dict(base.hits)
        f.penalty = read_penalty(full)
        f.evidence["penalty"] = [pieces[0].evidence()] if pieces else []
        f.hits["penalty"] = _penalty_hits([p for p in pieces if W.IMPRISONMENT.search(normalise(p.text))][:1])
        f.aggravations = [" ".join(p.text.split())[:160] for p in pieces[1:]] or [" ".join(full.split())[:160]]
        f.note = f"an aggravated form of the offence in {base.citation}, whose elements it takes"
        out.append(f)
    return out


def _frames_from_definitions(defs: list[Definition], ctx: CorpusContext) -> list[OffenceFrame]:
    """Read the definition of trafficking as the offence when no provision creating it is in the text.

    A law may define trafficking in its interpretation article and punish it elsewhere (a code article
    it inserts, an article missing from the copy at hand).  The definition still says which acts, means
    and purposes count, whether consent matters and whether children need means; the frame says it was
    read from the definition, and it carries no penalty.
    """
    out = []
    for d in defs:
        if d.kind != "trafficking" or d.scope == "section":
            continue
        dtext = normalise(d.text)
        acts = [a for a, pat in W.ACTS.items() if compile_pattern(pat).search(dtext)]
        if len(acts) < 2 or not re.search(r"(exploit|explot|purpose|fins?\b|fines\b)", dtext):
            continue
        units = [p.unit for p in d.pieces if p.unit is not None]
        f = _read_frame(d.doc, d.section, units, d.pieces, d.pieces, defs, ctx, False, tdef=d)
        f.citation = d.citation
        f.note = "; ".join(x for x in ("read from the definition: no provision of the text makes it an offence", f.note) if x)
        out.append(f)
    return out


def _mark_children_needing_means(frames: list[OffenceFrame]) -> list[OffenceFrame]:
    """Mark means-based offences whose means also bind child victims, read across the whole corpus
    (and child offences that stand beside a general one, which narrow nothing).

    A frame alone says "children: n/a" when its offence has no child limb; whether that narrows
    Article 3(c) depends on the other offences: a separate child offence without means (Malaysia's
    s. 14 beside s. 13) cures it, nothing else does. Without this the offence table would show
    "none found" beside an offence that requires force or fraud against a child.
    """
    trafficking = [f for f in frames if f.kind in ("trafficking", "child_trafficking", "old_style")]
    spared = any(f.means_required_children is False or (f.kind == "child_trafficking" and not f.means_required_adults
                                                         and f.means_required_children is not True)
                 or (f.means_required_adults is False and f.victims in ("any_person", "children", "women_and_children"))
                 for f in trafficking)
    if not spared:
        for f in trafficking:
            if f.means_required_adults and f.means_required_children is None and f.victims != "women":
                f.children_need_means = True
    if any(f.victims == "any_person" and f.kind != "old_style" for f in trafficking):
        for f in trafficking:
            f.beside_general_offence = f.kind == "child_trafficking" and f.victims == "children"
    return frames


def _separate_child_offence(sec: Provision, conduct: list[_Piece]) -> list[_Piece]:
    """A paragraph of the offence that makes trafficking in children an offence of its own, with its own penalty.

    ("II. - La traite des êtres humains à l'égard d'un mineur est constituée même si ... Elle est punie de
    dix ans"): a separate child offence, read as its own frame; a child limb without its own penalty stays
    part of the one offence.
    """
    groups: dict[int, list[_Piece]] = {}
    for p in conduct:
        if p.unit is None or p.unit.provision is sec:
            continue
        top = p.unit.provision
        while top.parent is not None and top.parent is not sec:
            top = top.parent
        if top.parent is sec:
            groups.setdefault(id(top), []).append(p)
    ordered = list(groups.values())
    for group in ordered[1:]:
        head = _mask_not_conduct(normalise(group[0].text))
        if re.search(W.CHILD_WORDS, head) and any(W.IMPRISONMENT.search(normalise(p.text)) for p in group):
            return group
    return []


_TWO_LIMBS = compile_wording(r"(?:\btrafic\b.{0,40}\btraite\b|\btraite\b.{0,40}\btrafic\b|\btráfico\b.{0,40}\btrata\b|\btrata\b.{0,40}\btráfico\b)")


def _limbs(ctext: str, doc: Document, sec: Provision, defs: list[Definition]) -> list[tuple[str, Definition]]:
    """One offence that punishes two defined conducts alike ("le trafic ou la traite des personnes").

    Each limb is read with its own definition: the movement-for-gain limb (trafic, close to migrant
    smuggling) and the exploitation limb (traite).  Returns [] when the offence has one conduct.
    """
    if not _TWO_LIMBS.search(ctext):
        return []
    traite = _applicable(defs, "trafficking", doc, sec)
    trafic = _applicable(defs, "trafic", doc, sec)
    if traite is None and trafic is None:
        # the same words defined by another law of the corpus (a code punishing what a special law defines)
        traite = next((d for d in defs if d.kind == "trafficking" and d.doc is not doc and d.scope == "act"), None)
        trafic = next((d for d in defs if d.kind == "trafic" and d.doc is not doc and d.scope == "act"), None)
    if traite is None or trafic is None:
        return []
    return [("trafficking", traite), ("smuggling", trafic)]


_DISJUNCTION = compile_wording(r"(traffick\w*(?: in persons)?|slavery|smuggling)\s+(?:or|and/or)\s+(traffick\w*(?: in persons)?|slavery|smuggling)")


def _parallel_limbs(frames: list[OffenceFrame], ctx: CorpusContext) -> list[OffenceFrame]:
    """An offence that punishes two undefined terms ("trafficking in persons or slavery") read through a parallel text.

    Bilingual jurisdictions enact the same offence in two instruments or languages.  When another
    document of the corpus punishes two *defined* conducts in one provision with the very same
    penalty, the two provisions are the same offence: the terms are matched limb by limb in the order
    the provisions state them (not by translating words, which maps "traite" to "trafficking" and gets
    Cameroon's English Code backwards), and each limb takes its definition from the parallel text.
    """
    out: list[OffenceFrame] = []
    for f in frames:
        ctext = _mask_not_conduct(normalise(" ".join(u.text for u in f.units)))
        m = _DISJUNCTION.search(ctext)
        if f.definition is not None or m is None or f.penalty.max_years is None:
            out.append(f)
            continue
        smuggling = next((h.citation for h in frames if h.source != f.source and h.kind == "smuggling"), None)
        parallel = [g for g in frames if g.source != f.source and g.citation == smuggling]
        parallel = [g for g in parallel if (g.penalty.min_years, g.penalty.max_years) == (f.penalty.min_years, f.penalty.max_years)]
        if len(parallel) != 2:
            out.append(f)
            continue
        # the parallel provision's limbs in the order its text states them
        ptext = normalise(" ".join(u.text for u in parallel[0].units))
        order = sorted(parallel, key=lambda g: min([i for i in (ptext.find("trafic"), ptext.find("tráfico")) if i >= 0] or [0])
                       if g.kind == "smuggling" else min([i for i in (ptext.find("traite"), ptext.find("trata")) if i >= 0] or [0]))
        for term, g in zip((m.group(1), m.group(2)), order):
            limb = OffenceFrame(**{k: getattr(g, k) for k in g.__dataclass_fields__})
            limb.citation, limb.source, limb.section, limb.units = f.citation, f.source, f.section, f.units
            limb.penalty, limb.aggravations = f.penalty, f.aggravations
            limb.evidence = dict(g.evidence, penalty=f.evidence.get("penalty", []))
            limb.hits = dict(g.hits)
            limb.note = (f"'{term}' in {f.citation} answers to the limb of {g.citation} ({g.source.rsplit('/', 1)[-1]}) "
                         f"defined in {g.definition}: both provisions punish two conducts with the same penalty "
                         f"({f.penalty.min_years:g}-{f.penalty.max_years:g} years), matched in the order they state them")
            out.append(limb)
    return out


def _read_frame(doc: Document, sec: Provision, units: list[Unit], conduct: list[_Piece], pieces: list[_Piece],
                defs: list[Definition], ctx: CorpusContext, old_style: bool, tdef: Definition | None = None,
                kind: str | None = None) -> OffenceFrame:
    check_deadline()
    citation = sec.citation
    ctext = _mask_not_conduct(normalise(" ".join(p.text for p in conduct)))
    inserted = _INSERTED_ARTICLE.search(ctext)
    if inserted:  # an amending act's article that inserts the offence into a code: cite the inserted article
        citation = f"{'art.' if citation.startswith('art') else 's.'} {inserted.group(1)}"
    f = OffenceFrame(citation=citation, kind=kind or ("old_style" if old_style else "trafficking"), source=doc.source,
                     section=sec, units=units)
    sources = list(conduct)
    notes = []
    # the definition of trafficking the offence uses (section > part > act > another document of the corpus)
    if tdef is None and re.search(r"traffick|\btraffics?\b|traite|trata|trafic", ctext):
        # the form of the term the offence uses wins ("traffics in persons" over another defined form)
        named = [d for d in defs if d.kind == "trafficking" and d.term in ctext]
        tdef = _applicable(named, "trafficking", doc, sec) or _applicable(defs, "trafficking", doc, sec)
    if tdef is not None:
        f.definition_spans = [(p.doc.source, p.start, p.start + len(p.text)) for p in tdef.pieces]
        if tdef.doc is not doc:
            notes.append(f"uses a term it does not define; the definition is taken from {tdef.citation} of "
                         f"{tdef.doc.source.rsplit('/', 1)[-1]}")
        f.definition = tdef.citation
        f.evidence["definition"] = [tdef.pieces[0].evidence()]
        sources += tdef.pieces
    stext = _mask_not_conduct(normalise(" ".join(p.text for p in sources)))
    edef = None
    used = [d for d in defs if d.kind == "exploitation" and not re.match(r"exploit|explot", d.term) and d.term in stext]
    if used:  # the offence's purpose is a term defined apart ("for an unlawful purpose")
        edef = _applicable(used, "exploitation", doc, sec)
    if edef is None and re.search(r"exploit|explot", stext):
        edef = _applicable([d for d in defs if d not in used], "exploitation", doc, sec) or next(
            (d for d in defs if d.kind == "exploitation" and d.doc is not doc and d.scope == "act"), None)
    purpose_sources = sources + (edef.pieces if edef else [])
    if edef is not None:
        f.purpose_definition_spans = [(p.doc.source, p.start, p.start + len(p.text)) for p in edef.pieces]
    if edef is not None and f.definition is None:
        f.definition = edef.citation
        f.evidence["definition"] = [edef.pieces[0].evidence()]
    # acts, means, purposes: only where they are elements of the offence, not aggravations
    # the conduct, not the definition of exploitation ("conditions d'hébergement contraires à sa dignité")
    act_sources = [p for p in sources if not _EXPLOITATION_DEFINITION.search(normalise(p.text))] or sources
    for name, pat in W.ACTS.items():
        hits = [(p, m) for p, m in _find(pat, act_sources) if not _is_aggravation(p)]
        main = [(p, m) for p, m in hits if not _OF_A_TRAFFICKED_PERSON.search(normalise(p.text)[m.end():m.end() + 160])]
        if main:
            f.acts.append(name)
            _record(f, "act:" + name, main[:2])
        elif hits:
            f.ancillary_acts.append(name)
            _record(f, "ancillary:" + name, hits[:2])
    means_hits_all = []
    for name, pat in W.MEANS.items():
        hits = [(p, m) for p, m in _find(pat, sources) if not _is_aggravation(p) and not _in_aggravating_clause(p, m)]
        if hits:
            f.means.append(name)
            _record(f, "means:" + name, hits[:2])
            means_hits_all += hits
    for name, pat in W.PURPOSES.items():
        # "trafficking in persons or slavery": a term naming the conduct is not its purpose
        hits = [(p, m) for p, m in _find(pat, purpose_sources) if not _is_aggravation(p) and not any(
            d.start() <= m.start() < d.end() for d in _DISJUNCTION.finditer(_mask_not_conduct(normalise(p.text))))]
        if hits:
            f.purposes.append(name)
            _record(f, "purpose:" + name, hits[:2])
    if edef is not None:
        open_m = W.OPEN_LIST.search(edef.text)
        f.purpose_open_list = bool(open_m)
        f.evidence["purpose_open_list"] = [edef.pieces[0].evidence()]
    elif re.search(r"exploit|explot", stext) and not f.purposes:
        f.purpose_open_list = True  # "for the purpose of exploitation", left undefined
    else:
        f.purpose_open_list = bool(re.search(r"(any (?:other )?form of exploitation|toute (?:autre )?forme d.exploitation|"
                                             r"cualquier (?:otra )?forma de explotación|\bor other (?:forms? of )?(?:exploitation|exploitative|similar|like)\b)", stext))
    # victims and the child's age from the definition in scope
    f.victims, f.evidence["victims"] = _victims(conduct + (tdef.pieces if tdef else []), normalise(sec.heading or "").strip())
    cdef = _applicable(defs, "child", doc, sec)
    if cdef is not None and _age(cdef.text):
        f.child_age = _age(cdef.text)
        f.evidence["child_age"] = [cdef.pieces[0].evidence()]
    else:
        for p, m in _find(W.AGE_LIMIT, sources):
            if not _is_aggravation(p):
                f.child_age = _age(normalise(p.text)[m.start():m.end()])
                f.evidence["child_age"] = [p.evidence(m.start(), m.end())]
                break
    # means required, per victim class
    child_free = [(p, m) for p, m in _find(_CHILD_FREE, sources)]
    child_pieces = [p for p in sources if re.search(W.CHILD_WORDS, normalise(p.text)) and not _is_aggravation(p)
                    and any(compile_pattern(pat).search(normalise(p.text)) for pat in W.ACTS.values())]
    # a limb that needs no means: "transporting him or her ... (ii) voluntarily, for an unlawful purpose"
    free_limb = [(p, m) for p, m in _find(_MEANS_FREE_LIMB, conduct) if not _is_aggravation(p)]
    if f.means and free_limb:
        f.means_required_adults = False
        _record(f, "means_required_adults", free_limb[:1])
    elif f.means:
        f.means_required_adults = not any(re.search(r"(whether or not|regardless of|with or without) .{0,30}means", normalise(p.text))
                                          and not re.search(W.CHILD_WORDS, normalise(p.text)) for p in sources)
        f.evidence["means_required_adults"] = [p.evidence(m.start(), m.end()) for p, m in means_hits_all[:1]]
    elif f.acts and (f.purposes or f.purpose_open_list or f.kind == "smuggling"):
        f.means_required_adults = False
        f.evidence["means_required_adults"] = [conduct[0].evidence()]
    if f.victims == "children":
        f.means_required_adults = None
    if child_free:
        f.means_required_children = False
        _record(f, "means_required_children", child_free[:1])
    elif f.victims == "children" or child_pieces:
        limb = [p for p in child_pieces if not any(compile_pattern(pat).search(_mask_not_conduct(normalise(p.text)))
                                                    for pat in W.MEANS.values())]
        if f.means and not limb:
            f.means_required_children = True
            f.evidence["means_required_children"] = [child_pieces[0].evidence()] if child_pieces else []
        elif limb and (not f.means or f.victims == "children"):
            f.means_required_children = False
            f.evidence["means_required_children"] = [limb[0].evidence()]
        elif limb:
            f.means_required_children = False
            f.evidence["means_required_children"] = [limb[0].evidence()]
    elif not f.means and f.acts:
        f.means_required_children = None
    # consent: a defence where lack of consent is an element; irrelevant where the law says so
    defence = [(p, m) for p, m in _find(W.CONSENT_DEFENCE, conduct) if not _is_aggravation(p)]
    # consent made irrelevant here or in any other anchored provision of the document (the first such words)
    elsewhere = _consent_elsewhere(ctx, doc)
    irrelevant = (_find(W.CONSENT_IRRELEVANT, sources) or _first_outside(elsewhere.irrelevant, sec)
                  or _consent_listed_as_no_defence(sources) or _first_outside(elsewhere.listed, sec))
    if defence:
        f.consent = "defence"
        _record(f, "consent", defence[:1])
    elif irrelevant:
        f.consent = "irrelevant"
        _record(f, "consent", irrelevant[:1])
    cross = [(p, m) for p, m in _find(W.CROSS_BORDER, conduct) if not _is_aggravation(p)]
    if cross and not W.WITHIN_TOO.search(stext):
        f.transnational_required = True
        _record(f, "transnational_required", cross[:1])
    group = [(p, m) for p, m in _find(W.ORGANISED_GROUP, conduct) if not _is_aggravation(p)]
    if group:
        f.organised_group_required = True
        _record(f, "organised_group_required", group[:1])
    # penalty of the basic offence; aggravations
    pen_pieces = ([p for p in conduct if W.IMPRISONMENT.search(normalise(p.text))] or
                  [p for p in conduct if re.search(r"(years|ans|años)\b", normalise(p.text))])
    if pen_pieces:
        f.penalty = read_penalty(pen_pieces[0].text)
        f.evidence["penalty"] = [pen_pieces[0].evidence()]
        f.hits["penalty"] = _penalty_hits(pen_pieces[:1])
        # a fine instead of prison in any limb of the basic penalty ("(b) ... a fine or imprisonment ... or both")
        lenient = next((p for p in pen_pieces[1:] if read_penalty(p.text).fine_alternative), None)
        if lenient is not None and not f.penalty.fine_alternative:
            f.penalty.fine_alternative = True
            f.evidence["penalty"].append(lenient.evidence())
            f.hits["penalty"] += _penalty_hits([lenient])
    agg = [p for p in pieces if _is_aggravation(p)]
    f.aggravations = [" ".join(p.text.split())[:160] for p in agg]
    f.evidence["aggravations"] = [p.evidence() for p in agg[:4]]
    means_only_agg = [name for name, pat in W.MEANS.items() if name not in f.means and
                      any(compile_pattern(pat).search(normalise(p.text)) for p in agg)]
    if means_only_agg:
        notes.append("means only in aggravation: " + ", ".join(means_only_agg))
    if (kind == "child_trafficking" or re.search(W.CHILD_WORDS, normalise(sec.heading or ""))) and f.victims == "any_person" \
            and not re.search(W.WOMEN_WORDS, normalise(sec.heading or "")):
        f.victims = "children"
        f.evidence["victims"] = [conduct[0].evidence()]
    by_reference = [(p, m) for p, m in _find(_MEANS_BY_REFERENCE, conduct) if not _is_aggravation(p)]
    if f.victims == "children" and by_reference:
        # "receives a child, by any of the means referred to in section 4(1)": means required for children
        f.means_required_children = True
        _record(f, "means_required_children", by_reference[:1])
    elif f.victims == "children":
        # a child offence takes its conduct from the definition, not the adult means
        own = {name for name, pat in W.MEANS.items() if _find(pat, conduct)}
        for name in [m for m in f.means if m not in own]:
            f.means.remove(name)
            f.evidence.pop("means:" + name, None)
        f.means_required_adults = None
        if not f.means:
            f.means_required_children = False
    if f.victims == "children" and f.kind == "trafficking":
        f.kind = "child_trafficking"
    if f.definition is None:
        meaning = re.search(r"(?:within the meaning of|as defined in|au sens de l.article|tel que défini à l.article|en el sentido del artículo)"
                            r"\s+(?:sections?|articles?|s\.)?\s*(\d+[\w\-.]*)", ctext)
        if meaning:
            prefix = "art." if citation.startswith("art") else ("§" if citation.startswith("§") else "s.")
            f.definition = f"{prefix} {meaning.group(1).rstrip('.')}"
        elif f.acts and (f.means or (f.purposes and f.kind != "old_style")):
            f.definition = citation  # the offence states its own elements
        else:
            terms = _applicable(defs, "purpose_term", doc, sec)
            if terms is not None and f.purposes:
                f.definition = terms.citation.split(" (")[0]
    f.note = "; ".join(notes)
    return f


_NO_DEFENCE_CHAPEAU = compile_wording(r"((?:not|no) (?:be )?a defen[cs]e|shall be no defen[cs]e|(?:is|are|shall be) (?:ir)?relevant|"
                                 r"ne (?:peut|peuvent) (?:être invoqué|exonérer)|no (?:será|constituirá|eximirá)[^.]{0,40}"
                                 r"(?:defensa|eximente|causal|responsabilidad))")
_CONSENTED = compile_wording(r"\b(?:consent\w*|consenti\w*|consentement|consintió|consentimiento)\b")


@dataclass
class _ConsentElsewhere:
    """Where the anchored provisions of one document make consent irrelevant, found once per document.

    Every offence of a document reads the same provisions for this; reading them again for each
    offence made a code of many offences cost offences x provisions.
    """

    irrelevant: list[tuple[_Piece, re.Match]]
    listed: list[tuple[_Piece, re.Match]]


def _consent_elsewhere(ctx: CorpusContext, doc: Document) -> _ConsentElsewhere:
    cache = ctx.frame_index.setdefault("consent", {})
    if id(doc) not in cache:
        pieces = _pieces_of([u for u in ctx.units if u.anchored and u.doc is doc])
        cache[id(doc)] = _ConsentElsewhere(_find(W.CONSENT_IRRELEVANT, pieces), _consent_listed_as_no_defence(pieces))
    return cache[id(doc)]


def _first_outside(found: list[tuple[_Piece, re.Match]], sec: Provision) -> list[tuple[_Piece, re.Match]]:
    """The first hit that lies outside section ``sec`` (as a list of at most one)."""
    return next(([(p, m)] for p, m in found if p.unit.section is not sec), [])


def _consent_listed_as_no_defence(pieces: list[_Piece]) -> list[tuple[_Piece, re.Match]]:
    """Consent named in one item of a list introduced as "It shall not be a defence ... that— (a) a victim consented".

    The chapeau and the item are separate units, so neither alone states the rule.
    """
    out = []
    for p in pieces:
        if p.unit is None or not p.unit.chapeau:
            continue
        chapeau = normalise(p.unit.chapeau)[:400]  # the nearest ancestor's words come first
        if not _NO_DEFENCE_CHAPEAU.search(chapeau) or _is_aggravation(p):
            continue
        m = _CONSENTED.search(normalise(p.text))
        if m:
            out.append((p, m))
    return out


def _penalty_hits(pieces: list[_Piece]) -> list[tuple[Unit, Hit]]:
    out = []
    for p in pieces:
        norm = normalise(p.text)
        m = W.IMPRISONMENT.search(norm) or W.FINE_ALTERNATIVE.search(norm)
        if p.unit is not None and m:
            out.append((p.unit, Hit(p.offset + m.start(), p.offset + m.end(), "penalty")))
    return out


def _attach_penalty_sections(frames: list[OffenceFrame], sections: list[tuple[Document, Provision, list[Unit]]]) -> None:
    """A penalty set out in another section ("a person convicted under section 3 is liable to ...").

    The sections are indexed once by the numbers they cite, so that each offence looks only at the
    sections that cite it (not every section for every offence).
    """
    todo = [f for f in frames if not (f.penalty.max_years is not None or f.penalty.life or f.section is None)]
    if not todo:
        return
    texts: dict[int, str] = {}
    citing: dict[str, list[int]] = {}
    for k, (doc, sec, units) in enumerate(sections):
        text = normalise(" ".join(u.text for u in units))
        texts[k] = text
        for num in {_ref_num(m) for m in _REFERENCE.finditer(text)}:
            citing.setdefault(num, []).append(k)
    for f in todo:
        for k in citing.get(f.section.num.lower(), []):
            doc, sec, units = sections[k]
            if sec is f.section or doc.source != f.source:
                continue
            if W.IMPRISONMENT.search(texts[k]):
                f.penalty = read_penalty(texts[k])
                f.evidence["penalty"] = [_pieces_of(units)[0].evidence()]
                break


_REFERENCE = compile_wording(r"\b(?:sections?|articles?|art\.|s\.|artículos?)\s+(\d+[\w\-.]*(?:\s?(?:bis|ter))?|premier|primero|first)",
                        re.IGNORECASE)
