"""Definitions and their scope: trafficking, exploitation, child and the purpose terms an offence uses.

Scope follows drafting convention: "In this section" beats "In this Part" beats "In this Act"; a
term defined for one section does not carry over to another.  Definitions are found as definition
entries, run together in one paragraph, introduced by the verb ("Se entiende por trata ..."), or as
labelled entries of a definitions article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from ..lexical import compile_wording, normalise
from ..models import Document, Provision
from ..units import CorpusContext, Unit
from .pieces import _Piece, _pieces_of
_EXPLOITATION_DEFINITION = compile_wording(r"(exploits? (?:another|a) person (?:if|when|where)|\bexploitation\W{0,3} (?:means|includes)|"
                                      r"on entend par exploitation|l.exploitation(?: [^.;]{0,60})? (?:s.entend|est le fait)|"
                                      r"se entenderá por explotación|explotación (?:significa|comprende|incluye))")


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
