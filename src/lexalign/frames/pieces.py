"""The pieces of text an offence is read from, and the tests every piece is put to.

A piece is a unit's own text or a span of it (one definition of several run together); it can be
quoted.  Every field of a frame is found by running a pattern over pieces (:func:`_find`), after the
phrases that name trafficking without being the conduct are blanked ("victims of trafficking");
a piece that only raises a penalty (an aggravation) is set aside.  Each piece is normalised, masked
and searched with each pattern once, however many offences read it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from .. import frame_words as W
from ..lexical import compile_wording, Hit, compile_pattern, normalise
from ..models import Document, Evidence
from ..units import Unit, unit_evidence
from .record import OffenceFrame


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
        from ..lexical import sentence_bounds
        if s is None:
            a, b = 0, min(len(self.text), 300)
        else:
            a, b = sentence_bounds(self.text, s, e)
        start, end = self.start + a, self.start + b
        return Evidence(citation=self.citation, eid=self.eid, quote=" ".join(self.doc.text[start:end].split()),
                        start=start, end=end, page=self.doc.page_at(start), source=self.doc.source)
_NOT_CONDUCT = compile_wording(
    r"(victims? of (?:the )?(?:trafficking|traffic|traite|trata)\w*(?: in persons)?|trafficked (?:persons?|victims?|children)|anti-?trafficking|"
    r"proceeds of (?:trafficking|crime)|victimes? de (?:la )?traite|víctimas? de (?:la )?trata|"
    r"traffic\w* in (?:drugs|narcotic\w*|arms|firearms|weapons|migrants)|trafic (?:de|des|d.) (?:stupéfiants|drogues|armes|migrants)|"
    r"offen[cs]es? (?:of|under|relating to|related to) (?:trafficking|traffic)\w*(?: in persons)?|trafficking offen[cs]es?|"
    r"(?:combat|prevent|suppress)\w* (?:of )?(?:trafficking|traffic)\w*(?: in persons)?|"
    r"(?:an? |any )?acts? of (?:trafficking|traite|trata)\w*(?: in persons| des personnes| de personas)?)")


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


def _penalty_hits(pieces: list[_Piece]) -> list[tuple[Unit, Hit]]:
    out = []
    for p in pieces:
        norm = normalise(p.text)
        m = W.IMPRISONMENT.search(norm) or W.FINE_ALTERNATIVE.search(norm)
        if p.unit is not None and m:
            out.append((p.unit, Hit(p.offset + m.start(), p.offset + m.end(), "penalty")))
    return out
