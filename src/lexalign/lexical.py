"""Lexical evidence: wording patterns and catalogue cues, anchored to trafficking context.

Two layers.  The catalogue's own cue phrases are matched on lemmas with spaCy (a blank pipeline
per language with lemmas from ``spacy-lookups-data``), so "harbours" finds the cue "harbour".
lexalign's element rules (``corpora/element_rules.yaml``) add regular expressions for the
components an element needs, in English, French and Spanish, with false friends that veto a
match in the same sentence.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .budget import check_deadline
from .reference import load_catalogue, load_rules


def normalise(text: str) -> str:
    """Lower-case with typographic apostrophes and quotes folded, same length as the input."""
    return text.lower().replace("’", "'").replace("‘", "'").replace("`", "'")


def flexible_spaces(pattern: str) -> str:
    """Let a space in a wording pattern match any run of whitespace, line breaks included.

    Statutes are hard-wrapped ("trabajos o servicios\\n forzados"), and :func:`normalise` keeps every
    character where it was so that quotes keep their offsets; a pattern written with plain spaces
    would miss every phrase a line break cuts.  A space followed by a quantifier stays one character.
    """
    out, i, in_class, groups = [], 0, False, []
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":  # "[]...]": a literal ] first in the class
                out.append("[]")
                i += 2
                continue
        elif c == "(":
            groups.append(pattern[i + 1:i + 4] in ("?<!", "?<="))
        elif c == ")":
            if groups:
                groups.pop()
        elif c == " " and not any(groups):  # a look-behind must keep its fixed width
            out.append(r"\s" if pattern[i + 1:i + 2] in ("?", "*", "+", "{") else r"\s+")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def compile_wording(pattern: str, flags: int = 0) -> re.Pattern:
    """A module's wording pattern, compiled so that its spaces match line breaks too (see :func:`flexible_spaces`)."""
    return re.compile(flexible_spaces(pattern), flags | re.DOTALL)


@functools.lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> re.Pattern:
    return re.compile(flexible_spaces(pattern), re.IGNORECASE | re.DOTALL)


_ESCAPE = re.compile(r"\\[A-Za-z]")


@functools.lru_cache(maxsize=4096)
def compile_for_normalised(pattern: str) -> re.Pattern:
    """``pattern`` for searching :func:`normalise`d (lower-case) text.

    Case-insensitive matching costs Python's ``re`` about three times the work per character
    (measured on the element rules), and on lower-case text it changes nothing unless the pattern
    itself has upper-case letters ("NGOs"): only those keep the flag.
    """
    bare = _ESCAPE.sub("", pattern)
    upper = any(c != c.lower() for c in bare)
    flexible = flexible_spaces(pattern)
    return re.compile(flexible, re.IGNORECASE | re.DOTALL) if upper else re.compile(flexible, re.DOTALL)


@dataclass(frozen=True)
class Hit:
    """A pattern found in one unit's text (offsets relative to the unit)."""

    start: int
    end: int
    component: str


def sentence_bounds(text: str, start: int, end: int, limit: int = 360) -> tuple[int, int]:
    """The sentence (or clause between semicolons) around a match, at most ``limit`` chars."""
    left = max(text.rfind(". ", 0, start), text.rfind(";", 0, start), text.rfind("\n", 0, start))
    left = 0 if left < 0 else left + 1
    cands = [i for i in (text.find(". ", end), text.find(";", end), text.find("\n", end)) if i != -1]
    right = min(cands) + 1 if cands else len(text)
    if right - left > limit:
        left = max(left, start - limit // 2)
        right = min(right, max(end, left + limit))
    while left < start and text[left].isspace():
        left += 1
    return left, right


def find_hits(text: str, pattern: str, component: str, false_friends: list[str]) -> list[Hit]:
    """Matches of ``pattern`` whose sentence contains none of the false friends."""
    check_deadline()  # called once per unit and pattern: the element rules' inner loop
    norm = normalise(text)
    out = []
    for m in compile_for_normalised(pattern).finditer(norm):
        if m.end() == m.start():
            continue
        s, e = sentence_bounds(norm, m.start(), m.end())
        window = norm[s:e]
        vetoed = False
        for ff in false_friends:
            fm = compile_for_normalised(ff).search(window)
            # a false friend vetoes only when it overlaps or sits next to the match
            if fm and (s + fm.start() <= m.end() + 40 and s + fm.end() >= m.start() - 40):
                vetoed = True
                break
        if not vetoed:
            out.append(Hit(m.start(), m.end(), component))
    return out


def anchor_pattern() -> str:
    return load_rules()["anchor"]


def aggravation_pattern() -> str:
    return load_rules()["aggravation"]


# ----------------------------------------------------------------------------- spaCy cue matching

_LANG_CODES = {"en": "en", "fr": "fr", "es": "es"}


@functools.lru_cache(maxsize=3)
def nlp_for(language: str):
    """A blank spaCy pipeline with a lookup lemmatizer (falls back to no lemmas if unavailable)."""
    import spacy

    code = _LANG_CODES.get(language, "en")
    nlp = spacy.blank(code)
    try:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    except Exception:  # lookups data missing: lower-case matching still works
        if "lemmatizer" in nlp.pipe_names:
            nlp.remove_pipe("lemmatizer")
    return nlp


def _lemma_key(tokens) -> tuple[str, ...]:
    return tuple((t.lemma_ or t.text).lower() for t in tokens if not t.is_punct)


@functools.lru_cache(maxsize=3)
def cue_index(language: str) -> dict[tuple[str, ...], list[str]]:
    """Lemma sequence of each catalogue cue -> the element ids it signals."""
    nlp = nlp_for(language)
    index: dict[tuple[str, ...], list[str]] = {}
    for el in load_catalogue():
        cues = list(el.cues.get(language, [])) or list(el.cues.get("en", []))
        for cue in cues:
            cue = re.sub(r"\(.*?\)|\.\.\.", " ", str(cue)).strip()
            if len(cue) < 3:
                continue
            key = _lemma_key(nlp(cue))
            if key:
                index.setdefault(key, []).append(el.id)
    return index


def cue_matches(text: str, language: str) -> dict[str, int]:
    """How many catalogue cues of each element occur (by lemma) in ``text``."""
    nlp = nlp_for(language)
    index = cue_index(language)
    lemmas = [(t.lemma_ or t.text).lower() for t in nlp(text[:20000]) if not t.is_punct]
    by_len: dict[int, set] = {}
    for key in index:
        by_len.setdefault(len(key), set()).add(key)
    counts: dict[str, int] = {}
    for n, keys in by_len.items():
        for i in range(len(lemmas) - n + 1):
            gram = tuple(lemmas[i:i + n])
            if gram in keys:
                for eid in index[gram]:
                    counts[eid] = counts.get(eid, 0) + 1
    return counts
