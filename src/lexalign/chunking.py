"""Long units split at sentence or clause boundaries, so that no stage's cost depends on a unit's length.

A statute that arrives as one long line (a flattened extraction: thousands of lettered paragraphs
run together) is read as a single provision.  Every element rule then scans that one text, and
each match looks for its sentence and its line in it: work per match that grows with the text, so
the total grows with its square (measured before this module: 12 s at 63 KB, 71 s at 252 KB, no
result in 10 minutes at 2.5 MB).  A unit longer than :data:`MAX_UNIT_CHARS` is therefore cut into
pieces of at most that size, at the last sentence end (". ", ";", ":" or a line break) in the
second half of the window, else at a clause boundary (a comma, or before a lettered paragraph
"(b)"), else at a space.  Each piece keeps its provision's citation and context and quotes the
document at the right offsets.  The limit sits well above real provisions (the longest unit of the
development corpus is a 5,400-character section, and splitting it changed which quotations were
picked), so ordinary statutes are untouched and only run-together text is cut.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .models import Provision

#: longest unit read as one piece of evidence (characters)
MAX_UNIT_CHARS = 8000

_SENTENCE_END = re.compile(r"[.;:!?](?=\s)|\n")
_CLAUSE_END = re.compile(r",(?=\s)|\s(?=\((?:[a-z]{1,3}|[ivxlc]{1,6}|\d{1,3})\)\s)")
_SPACE = re.compile(r"\s")


def _last(pattern: re.Pattern, text: str, lo: int, hi: int) -> int | None:
    """End of the last match of ``pattern`` in ``text[lo:hi]`` (one scan of that window only)."""
    end = None
    for m in pattern.finditer(text, lo, hi):
        end = m.end()
    return end


def split_points(text: str, limit: int = MAX_UNIT_CHARS) -> list[tuple[int, int]]:
    """Spans (start, end) of ``text``, each at most ``limit`` long, stripped of surrounding spaces.

    Every window is scanned once and the next one starts where this one was cut, at least
    ``limit // 2`` further on, so the work is proportional to the text.
    """
    spans: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while start < n:
        while start < n and text[start].isspace():
            start += 1
        if start >= n:
            break
        if n - start <= limit:
            cut = n
        else:
            lo, hi = start + limit // 2, start + limit
            cut = (_last(_SENTENCE_END, text, lo, hi) or _last(_CLAUSE_END, text, lo, hi)
                   or _last(_SPACE, text, lo, hi) or hi)
        end = cut
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
        start = cut
    return spans


def _piece(p: Provision, start: int, end: int) -> Provision:
    """A provision standing for ``p.text[start:end]``: same citation and place in the tree."""
    return replace(p, text=p.text[start:end], start=p.start + start, end=p.start + end, children=[],
                   parent=p.parent)


def split_long_units(units: list, limit: int = MAX_UNIT_CHARS) -> list:
    """The units with every one longer than ``limit`` replaced by its pieces, renumbered in order."""
    if all(len(u.text) <= limit for u in units):
        return units
    out = []
    for u in units:
        if len(u.text) <= limit:
            out.append(replace(u, index=len(out)))
            continue
        for s, e in split_points(u.text, limit):
            piece = _piece(u.provision, s, e)
            # a provision that is its own section: each piece is its own section too, so that
            # tests reading "the unit's section" stay bounded by the piece
            section = piece if u.section is u.provision else u.section
            out.append(replace(u, provision=piece, section=section, text=u.text[s:e], index=len(out)))
    return out
