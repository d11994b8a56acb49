"""Units of evidence and anchoring: which provisions speak of trafficking at all.

Every provision's own text is a unit of evidence (a definition entry, a paragraph (a), a
subsection).  Measured on the shared gold, provision-level units gave better evidence agreement
than whole sections (too coarse to quote) or sentences (which cut a "by means of" chapeau from its
list).  A unit is *anchored* when its section speaks of trafficking (or exploitation, slavery,
servitude), when it defines a term that an anchored provision uses, or when an anchored provision
refers to its section ("as defined in section 2").  Elements of the offence count only in anchored
units: "force" in "comes into force" or "transfer" of prisoners never evidence trafficking.

This module is the bottom of the engine: it imports nothing from frames, elements, flags or
decision.  It also holds the two records every later stage shares: :class:`RuleOutcome` (one
element's rule result) and :class:`CorpusContext` (one national corpus under analysis).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .budget import check_deadline, every
from .chunking import split_long_units
from .lexical import Hit, aggravation_pattern, anchor_pattern, compile_pattern, normalise, sentence_bounds
from .models import Document, Evidence, Provision
from .segment import flatten

SECTION_KINDS = {"section", "article", "regulation", "rule"}
REFERENCE_RE = re.compile(r"\b(?:sections?|articles?|art\.|s\.|artículos?)\s+(\d+[\w\-.]*(?:\s?(?:bis|ter))?|premier|primero|first)",
                          re.IGNORECASE)
_FIRST = {"premier", "primero", "first"}


def _ref_num(m: re.Match) -> str:
    """The provision number a reference names ("article premier" is article 1)."""
    num = m.group(1).lower().rstrip(".")
    return "1" if num in _FIRST else num


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
    in_statute: bool = True   # its document is about trafficking (a penal code read with a trafficking law is not)
    general_part: bool = False  # a general rule of participation (attempt, accessories) that reaches every offence

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
    units: list[Unit] = []
    for doc, tree in zip(docs, trees):
        # a general law read with a trafficking law (a whole penal code) speaks of trafficking only where it names
        # it: "exploits a literary work" or "exploitation of a quarry" there is not exploitation of a person
        general_law = len(docs) > 1 and not _trafficking_law(doc)
        anchor = _NAMED_ANCHOR if general_law else compile_pattern(anchor_pattern())
        flat = flatten(tree)
        sections = [p for p in flat if p.kind in SECTION_KINDS]
        sec_text = {id(s): normalise(doc.text[s.start:s.end]) for s in sections}
        anchored_secs = {id(s) for s in sections if _anchors(anchor, sec_text[id(s)])}
        # follow references out of anchored sections ("as defined in section 2")
        by_num: dict[str, list[Provision]] = {}
        for s in sections:
            by_num.setdefault(s.num.lower(), []).append(s)
        for s in list(sections):
            if id(s) in anchored_secs and not general_law:  # a code's cross-references fan out through all of it
                for m in REFERENCE_RE.finditer(sec_text[id(s)]):
                    for target in by_num.get(_ref_num(m), []):
                        anchored_secs.add(id(target))
        # ...and into sections that refer to an anchored one ("an offence under section 4") or, in a
        # trafficking statute, to offences under the statute itself
        statute = is_trafficking_statute(doc)
        # in a national corpus, statute-wide elements are read in the trafficking law itself, not in a penal
        # code that mentions trafficking in a few sections
        in_statute = statute and (len(docs) == 1 or _trafficking_law(doc))
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
            if id(s) in anchored_secs or general_law:
                continue
            refs = {_ref_num(m) for m in REFERENCE_RE.finditer(sec_text[id(s)])}
            group = next((g for g in s.ancestors() if g.kind not in SECTION_KINDS), None)
            if refs & anchored_nums or (statute and own_offence.search(sec_text[id(s)])) or (
                    group is not None and id(group) in anchored_groups and own_group.search(sec_text[id(s)])):
                anchored_secs.add(id(s))
        anchored_text = " ".join(sec_text[id(s)] for s in sections if id(s) in anchored_secs)
        tick = every(64)
        for p in flat:
            tick()
            if not p.text or p.kind in ("toc", "endnote") or p.kind in {"part", "chapter", "title", "book"} and not p.children:
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
            general = (not is_anchored and p.kind in SECTION_KINDS | {"subsection", "alinea", "paragraph"}
                       and bool(_GENERAL_PART.search(sec_text.get(id(sec), normalise(p.text))))
                       and bool(_ANY_OFFENCE.search(sec_text.get(id(sec), normalise(p.text)))))
            units.append(Unit(doc=doc, provision=p, text=p.text, section=sec, anchored=is_anchored,
                              root_kind=root.kind, chapeau=chapeau, index=len(units), in_statute=in_statute,
                              general_part=general))
    return split_long_units(units)  # bounded work per unit (see lexalign.chunking)


# a code's general part: rules of attempt and participation that apply to every offence the code or another
# law creates ("attempt of any felony or misdemeanour", "toute personne qui ... complice d'un crime ou d'un délit")
_GENERAL_PART = re.compile(r"(\battempt\w*|\btentative|\btentativa|\baccessor\w*|\baccomplice|\bcomplic\w*|\bcómplice|"
                           r"co-?offender|co-?auteur|coautor|\bconspir\w*|\binstigat\w*|\babet\w*)")
_ANY_OFFENCE = re.compile(r"(any (?:felony|misdemeanou?r|offen[cs]e|crime)|every (?:felony|offen[cs]e)|felony or (?:a )?misdemeanou?r|"
                          r"toute infraction|tout crime|crime ou (?:d.un |le |un )?délit|cualquier delito|todo delito)")
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


def _trafficking_law(doc: Document) -> bool:
    """A law about trafficking (by its title, or trafficking named throughout), not a code with a trafficking section."""
    norm = normalise(doc.text)
    strong = len(_STRONG.findall(norm))
    return bool(re.search(r"traffick|traite|trata|trafic", normalise(doc.title))) or strong * 10000 >= 5 * max(len(norm), 1)


_NAMED_ANCHOR = re.compile(r"(traffick\w*|\btrafic\w*\s+(?:des|de)\s+personnes|\btraite\s+(?:des|de|d)|\btrata\s+de|\bslavery\b|"
                           r"\besclavage\b|\besclavitud\b|\bservitude\b|\bservidumbre\b)")
_STRONG = re.compile(r"(traffick\w* (?:in|of) (?:persons|women|children|human)|human trafficking|traite des (?:personnes|êtres humains)|"
                     r"trata de (?:personas|seres humanos)|trafficked person|victims? of trafficking|modern slavery|"
                     r"réduction en esclavage|trafic et la traite)")


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
    frames: list[Any] = field(default_factory=list)  # OffenceFrame per trafficking offence (lexalign.frames)
    unit_vecs: np.ndarray | None = None      # units x dim, unit-normalised embeddings (zero rows: not embedded)
    retrieval: Any = None                    # retrieve.Retrieval: units x exemplars, units x element headings
    frame_index: dict[str, Any] = field(default_factory=dict)  # per-document indexes lexalign.frames builds once


_REPEAL = re.compile(r"^\W*(?:\[?article \w+\]?\W*)?(?:sont abrogées|est abrogée|(?:are|is) hereby repealed|the following .{0,40} (?:are|is) repealed|"
                     r"quedan? derogad|se derogan?)", re.IGNORECASE)


def _eligible(unit: Unit, scope: str, statute: bool) -> bool:
    if unit.root_kind == "toc" or _REPEAL.search(unit.text[:200]):
        return False  # a repeal clause names other laws; it states nothing of its own
    if scope == "offence":
        return unit.anchored
    # statute-wide elements are read in the trafficking statute, not in every law of a national corpus
    return (statute and unit.in_statute) or unit.anchored


_HEADING_LINE = re.compile(r"^[^\S\n]*([A-ZÀ-Ý][\w’'\-]*(?:[ ,]+(?:(?:and|of|in|the|or|to|for|de|la|des|du|et|y|el)\b|"
                           r"[A-ZÀ-Ý][\w’'\-]*))*)[^\S\n]*$", re.MULTILINE)


def _in_heading_line(text: str, pos: int) -> bool:
    """Is ``pos`` inside a title-like line (every word capitalised but small joining words)?"""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start: line_end if line_end >= 0 else len(text)]
    words = line.split()
    return 1 < len(words) <= 14 and bool(_HEADING_LINE.match(line)) and not line.rstrip().endswith((".", ";", ":"))


def _in_aggravation(u: Unit) -> bool:
    """Does the unit (with its chapeau and section heading) only raise a penalty?"""
    context = normalise(u.chapeau + " " + u.text + " " + (u.section.heading or ""))
    return bool(compile_pattern(aggravation_pattern()).search(context))


def _definition_group(u: Unit) -> int:
    """The provision a definition lives in: its definition entry, else its section."""
    if u.provision.kind == "definition":
        return id(u.provision)
    for a in u.provision.ancestors():
        if a.kind == "definition":
            return id(a)
    return id(u.section)


def unit_evidence(u: Unit, h: Hit | None) -> Evidence:
    """The sentence of a unit around a hit (or its opening words), as quotable evidence."""
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
