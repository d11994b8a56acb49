"""Victims and consent: whom the offence protects, the child's age, and whether consent matters.

The victims are read from the offence's own words (persons, women, children, with the offender's
words blanked); consent is a defence where the offence makes its absence an element, and irrelevant
where any anchored provision of the document says so (found once per document).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from .. import frame_words as W
from ..lexical import compile_wording, compile_pattern, normalise
from ..models import Document, Evidence, Provision
from ..units import CorpusContext
from .pieces import _Piece, _find, _is_aggravation, _mask_not_conduct, _pieces_of
_CHILD_FREE = compile_wording(
    r"(even (?:if|where|though) (?:(?:it|this|they|the conduct) )?(?:does |do )?(?:not involve|none of|no) .{0,60}means|"
    r"(?:whether or not|regardless of whether|irrespective of whether) .{0,80}means|regardless of the means|"
    r"whether or not (?:by|through|with) (?:fraud|force|violence|threats?|deception|coercion)|"
    r"même (?:si|s.il) (?:aucun|n.est fait recours à aucun) .{0,40}moyens|quel que soit le moyen|"
    r"aun cuando no se recurr\w* a (?:ninguno de )?los medios|sin que medie|aun(?:que| cuando) no (?:concurr|medi|se emple|hubiere)\w*|no (?:será|es) necesari\w* .{0,60}medios|"
    r"need not (?:be )?(?:proved|shown|established) .{0,80}means|shall not be required to prove .{0,80}means|"
    r"it shall not be necessary .{0,80}means)")
_MEANS_BY_REFERENCE = compile_wording(
    r"((?<!whether or not )(?<!whether or not any of )(?:by|through|using|with) (?:any|one) of the means|"
    r"lorsqu.elle est commise dans l.une des circonstances|par l.un des moyens|"
    r"(?<!no )(?:cuando|si) se recurr\w* a (?:alguno|cualquiera) de los medios|empleando (?:alguno|cualquiera) de los medios)")
_MEANS_FREE_LIMB = compile_wording(r"(\bvoluntarily,? (?:for|with)|(?:whether|either) voluntarily or (?:involuntarily|otherwise)|"
                              r"(?:whether|either) involuntarily or voluntarily)")


def _age(text: str) -> int | None:
    m = W.AGE_LIMIT.search(text)
    if not m:
        return None
    tok = m.group(1)
    return int(tok) if tok.isdigit() else W.AGE_WORDS.get(tok)


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
