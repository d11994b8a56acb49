"""Layout evidence: what the text itself says about how it was drafted and exported.

Nothing here is chosen per country.  Each function looks at the lines and reports one fact the
tree builder then relies on:

- ``split_lines``: lines with offsets; a Markdown heading ("### 118 Offence") is kept as evidence.
- ``find_toc``: an "ARRANGEMENT OF SECTIONS" / "CONTENTS" / "SOMMAIRE" / "ÍNDICE" block, ended where
  the body starts numbering again ("1. Short title ... 30. Repeal" then "Short title / 1. This Act").
- ``page_furniture``: running heads and page numbers a PDF export leaves between lines
  ("Page 5 of 297", "- 12 -", "Trafficking in Persons Act 2016" at every page top).
- ``margin_notes_after``: side notes converted to a short line just after each section's first line.
- ``split_run_in``: flattened extractions, where a section's "(1) ... (2) ... (a) ... (b)" are run
  together on one line, are cut where a marker continues a numbering sequence after punctuation:

      "(1) Any person who— (a) recruits ...; (b) transports ...; (2) A person ..."
      -> "(1) Any person who—" / "(a) recruits ...;" / "(b) transports ...;" / "(2) A person ..."
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .budget import check_deadline, every
from .numbering import (DEF_QUOTED_RE, ENACTING_RE, FIRST_LABELS, SUB_PATTERNS, TOC_HEAD_RE, is_roman,
                        section_token, sequence_key, successor)


@dataclass
class Line:
    start: int  # offset of first non-space char
    end: int    # offset after last non-space char
    text: str
    markdown_heading: bool = False

    @property
    def words(self) -> int:
        return len(self.text.split())


_MD_HEADING_RE = re.compile(r"^(#{1,6})\s+")


def split_lines(text: str) -> list[Line]:
    """Non-empty lines with their offsets; a Markdown heading's '#' marks are set aside."""
    out = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            md = _MD_HEADING_RE.match(stripped)
            if md and len(stripped) > md.end():
                out.append(Line(pos + lead + md.end(), pos + lead + len(stripped), stripped[md.end():], True))
            else:
                out.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return out


# ----------------------------------------------------------------------------- page furniture

_PAGE_NUMBER_RE = re.compile(r"^(?:[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4}|(?:page|p\.|página)\s*\d+(?:\s*(?:of|/|de|sur)\s*\d+)?|"
                             r"\d{1,4}\s*/\s*\d{1,4}|\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?:\s*[AP]M)?)$", re.I)


def _furniture_key(text: str) -> str:
    return re.sub(r"[\d\W_]+", "", text.lower())


def page_furniture(lines: list[Line]) -> set[int]:
    """Indices of lines that are page numbers or running heads, not statute text.

    A bare page number is furniture when page numbers recur; a line next to a page number is a
    running head when the same words (digits aside) recur beside page numbers and hardly anywhere
    else.  Text is never removed: the builder only steps over these lines.
    """
    numbers = [i for i, ln in enumerate(lines) if _PAGE_NUMBER_RE.match(ln.text)]
    if len(numbers) < 2:
        return set()
    out = set(numbers)
    counts: dict[str, int] = {}
    near: dict[int, str] = {}
    for i in numbers:
        for j in (i - 1, i + 1):
            if 0 <= j < len(lines) and j not in out and lines[j].words <= 14:
                key = _furniture_key(lines[j].text)
                if key and not section_token(lines[j].text):
                    near[j] = key
    for j, key in near.items():
        counts[key] = counts.get(key, 0) + 1
    # words that also stand far from page numbers (a heading repeated in the body) are not a running head
    total: dict[str, int] = {}
    for ln in lines:
        key = _furniture_key(ln.text)
        if key in counts:
            total[key] = total.get(key, 0) + 1
    running = {k for k, c in counts.items() if c >= 2 and c >= 0.6 * total.get(k, c)}
    out.update(j for j, key in near.items() if key in running)
    return out


# ----------------------------------------------------------------------------- table of contents

@dataclass
class TableOfContents:
    first: int                    # index of the heading line ("ARRANGEMENT OF SECTIONS")
    end: int                      # index of the first body line
    entries: list[str] = field(default_factory=list)  # section numbers listed, in order


def find_toc(lines: list[Line]) -> TableOfContents | None:
    """The table of contents, ended where the body begins.

    The body begins at an enacting formula, or where section numbering starts again from the
    first entry's number (the body repeats "1." after the table listed 1 to N); a heading printed
    above that first body section (and any group heading, "PART I") goes with the body.
    """
    for i, line in enumerate(lines):
        if not TOC_HEAD_RE.match(line.text):
            continue
        entries: list[str] = []
        entry_idx: list[int] = []
        last_key: tuple | None = None
        for j in range(i + 1, len(lines)):
            text = lines[j].text
            if ENACTING_RE.search(text) and entries:
                return TableOfContents(i, j, entries)
            tok = section_token(text, lines[j].markdown_heading) or _bare_number(text)
            if tok is None:
                continue
            num = tok if isinstance(tok, str) else tok.num
            key = sequence_key(num)
            if entries and last_key is not None and key <= sequence_key(entries[0]) and len(entries) >= 2:
                return TableOfContents(i, _walk_back(lines, j, entry_idx[-1]), entries)
            entries.append(num)
            entry_idx.append(j)
            last_key = key
        if len(entries) >= 2:  # a table printed at the end of the text runs to the end
            return TableOfContents(i, len(lines), entries)
        return None
    return None


def _bare_number(text: str) -> str | None:
    m = re.fullmatch(r"(\d{1,4}[A-Z]{0,2})\.?", text)
    return m.group(1) if m else None


def _walk_back(lines: list[Line], j: int, last_entry: int) -> int:
    """Move the body's start back over the headings printed above its first section."""
    k = j
    while k - 1 > last_entry and lines[k - 1].words <= 16 and not re.search(r"[.;,]$", lines[k - 1].text) \
            and not _bare_number(lines[k - 1].text) and j - k < 3:
        k -= 1
    return k


# ----------------------------------------------------------------------------- side notes after

def margin_notes_after(lines: list[Line], match_any_marker) -> bool:
    """True when side notes were converted to a short line just after each section's first line.

    Such texts (Sri Lankan acts converted from print) put "Short title." after "1. This Act ...".
    The pattern must recur at least three times before it is trusted.
    """
    hits = 0
    for i, line in enumerate(lines[:-2]):
        tok = section_token(line.text)
        if tok is None or tok.convention.name != "number":
            continue
        for j in (i + 1, i + 2):
            cand = lines[j].text
            if (cand.endswith(".") and len(cand.split()) <= 16 and cand[:1].isupper()
                    and not match_any_marker(cand) and j + 1 < len(lines)
                    and (match_any_marker(lines[j + 1].text) or re.match(r"^[a-z]\.\s|^[ivx]+\.\s", lines[j + 1].text))):
                hits += 1
                break
    return hits >= 3


# ----------------------------------------------------------------------------- run-in markers

_INLINE_RE = re.compile(r"\((\d{1,3}[A-Z]?|[a-z]{1,4}|[A-Z]{1,2})\)\s+(?=\S)")
_INTRO_END_RE = re.compile(r"(?:[:—–]|\s-|[.;]|[;,]\s*(?:or|and|et|ou|y|o)|\b(?:or|and))\s*$")
_LIST_OPEN_RE = re.compile(r"(?:[:—–]|\s-)\s*$")
_DEF_INLINE_RE = re.compile(r"[“\"«]\s*[^“”\"«»]{1,80}?\s*[”\"»]\s*,?\s*(?:means|includes|has the (?:same )?meaning|"
                            r"désigne|s['’]entend|significa|se entiende)\b", re.IGNORECASE)


def _style_of(label: str, open_last: dict[str, str]) -> str:
    """The numbering style of a bracketed label, read in the context of the lists already open."""
    if label[0].isdigit():
        return "paren_num"
    if label.isupper():
        return "paren_ualpha"
    if is_roman(label):
        alpha_last = open_last.get("paren_alpha")
        if len(label) == 1 and alpha_last and successor(alpha_last, "paren_alpha") == label:
            return "paren_alpha"
        if "paren_roman" in open_last or label == "i" or len(label) > 1:
            return "paren_roman"
    return "paren_alpha"


def _accept(last: dict[str, str], style: str, label: str) -> None:
    """Record ``label`` as the latest of its style; lists opened after that style are closed."""
    keys = list(last)
    if style in keys:
        for deeper in keys[keys.index(style) + 1:]:
            del last[deeper]
    last[style] = label


def split_run_in(lines: list[Line]) -> list[Line]:
    """Cut lines where a run-in sub-level marker continues a numbering sequence.

    A marker is believed only after punctuation that ends a clause (";", ".", ":", "—", "; or")
    and only when it is the next label of a sequence already open in the section ("(2)" after
    "(1)", "(b)" after "(a)") or the first label of a new list opened by ":" or a dash.  Cross-
    references ("subsection (1)(a)") follow words, not punctuation, and are left alone.  Quoted
    definitions run together after "In this Act—" are cut before each '"term" means'.
    """
    out: list[Line] = []
    last: dict[str, str] = {}
    tick = every(512)
    for line in _split_inline_keywords(lines):
        tick()
        tok = section_token(line.text, line.markdown_heading)
        if tok is not None:
            last = {}
        if len(line.text) < 60:
            lead = _leading_label(line.text, last)
            if lead:
                _accept(last, *lead)
            out.append(line)
            continue
        out.extend(_split_one(line, last, tok))
    return out


_INLINE_KEYWORD_RE = re.compile(r"(?=(?:SECTION|ARTICLE|ART[IÍ]CULO)\s+\d{1,4}(?:\s?[-•]\s?\d{1,3})?\s*[:.–—-]{1,3}\s*[A-Z])")


def _split_inline_keywords(lines: list[Line]) -> list[Line]:
    """OCR joins a heading or a certification stamp to the next section:
    "D - PERVERSION OF JUSTICE SECTION 164: Perjury", "COPIE CERTIFIEE CONSECTION 196: Defacement".

    An upper-case section keyword with its number and separator starts a line when what precedes it
    is glued to it or does not end in a lower-case word (a sentence citing "SECTION 12: ..." does).
    """
    out: list[Line] = []
    for line in lines:
        m = _INLINE_KEYWORD_RE.search(line.text, 1)
        before = line.text[:m.start()] if m else ""
        if m is None or not before.strip() or (before[-1].isspace() and before.rstrip()[-1].islower()):
            out.append(line)
            continue
        cut = m.start()
        head = before.rstrip()
        out.append(Line(line.start, line.start + len(head), head, line.markdown_heading))
        out.append(Line(line.start + cut, line.end, line.text[cut:], False))
    return out


def _leading_label(text: str, last: dict[str, str]) -> tuple[str, str] | None:
    m = SUB_PATTERNS[0][1].match(text) or SUB_PATTERNS[1][1].match(text) or SUB_PATTERNS[2][1].match(text)
    if not m:
        return None
    label = m.group(1)
    return _style_of(label, last), label


_NON_SPACE_RE = re.compile(r"\S")
#: ``DEF_QUOTED_RE`` without its "^", so that it can be tried at an offset without copying the rest of the line
_DEF_QUOTED_AT = re.compile(DEF_QUOTED_RE.pattern.removeprefix("^"), DEF_QUOTED_RE.flags)
_DEF_CUT_BEFORE_RE = re.compile(r"(?:[;:—–.]|\s-|\bor|\band)\s*$")


def _ends_with(pattern: re.Pattern, text: str, pos: int) -> bool:
    """Whether ``pattern`` (anchored by "$") matches at the end of ``text[:pos]``, reading only its tail.

    Searching the whole prefix once per marker made a one-line statute cost the square of its
    length (issue 22).  The patterns here match a few punctuation marks or words followed by
    spaces, so a window of the tail decides: a match in the window is a match; none in a window
    holding more than a handful of visible characters means none at all (a longer match would be
    almost all spaces).  Otherwise the window grows.  ``search(text, lo, pos)`` sees the
    characters before ``lo`` for "\\b", exactly as the search over the whole prefix did.
    """
    window = 64
    while True:
        lo = max(0, pos - window)
        if pattern.search(text, lo, pos):
            return True
        if lo == 0 or len("".join(text[lo:pos].split())) > 8:
            return False
        window *= 4


def _split_one(line: Line, last: dict[str, str], tok) -> list[Line]:
    text = line.text
    cuts: list[int] = []
    lead = _leading_label(text, last)
    if lead:
        _accept(last, *lead)
    head_end = tok.rest_offset if tok is not None else 0
    tick = every(512)
    for m in _INLINE_RE.finditer(text):
        tick()
        pos = m.start()
        if pos <= head_end or pos < 2:
            continue
        label = m.group(1)
        style = _style_of(label, last)
        expected = successor(last[style], style) if style in last else None
        first = FIRST_LABELS.get(style) == label
        after_heading = (tok is not None and not cuts and first and style == "paren_num" and "paren_num" not in last
                         and _NON_SPACE_RE.search(text, head_end, pos) and text[m.end():m.end() + 1].isupper())
        if not ((label == expected and _ends_with(_INTRO_END_RE, text, pos))
                or (first and (_ends_with(_LIST_OPEN_RE, text, pos) or after_heading))):
            continue
        _accept(last, style, label)
        cuts.append(pos)
    for m in _DEF_INLINE_RE.finditer(text):
        pos = m.start()
        if pos > head_end and _ends_with(_DEF_CUT_BEFORE_RE, text, pos) and _DEF_QUOTED_AT.match(text, pos):
            cuts.append(pos)
    if not cuts:
        return [line]
    cuts = sorted(set(cuts))
    pieces: list[Line] = []
    bounds = [0] + cuts + [len(text)]
    for a, b in zip(bounds, bounds[1:]):
        piece = text[a:b]
        stripped = piece.strip()
        if not stripped:
            continue
        lead_sp = len(piece) - len(piece.lstrip())
        pieces.append(Line(line.start + a + lead_sp, line.start + a + lead_sp + len(stripped), stripped,
                           line.markdown_heading and a == 0))
    return pieces
