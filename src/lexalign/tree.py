"""Tree assembly: numbering tokens, read line by line with the layout evidence, become a tree.

A stack holds the open provisions.  Each line either opens a group (Part, Chapter), a section
or article, a sub-level ("(1)", "(a)", "1°", '"child" means'), announces the next provision
(a heading above it), or continues the open provision.  Sub-levels get their depth from the order
in which their numbering styles first appear inside a section, because drafting conventions
differ; "(i)" is read as a letter only when it follows "(h)".

    Trafficking in persons            -> heading of s. 3
    3.—(1) Any person who recruits    -> s. 3, s. 3(1)
    (a) by threat;                    -> s. 3(1)(a)

An amending clause ("Section 12 of the principal enactment is hereby repealed and the following
section substituted: 12. (1) Whoever ...") keeps the quoted section as its child: the citation
names the inserted provision ("s. 12(1)"), and the clause stays in the tree as its parent.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .layout import Line
from .numbering import (AMENDING_HINTS, AMENDING_RE, DEF_BARE_RE, DEF_QUOTED_RE, GROUP_RANK, GROUP_RE, GROUP_WORDS,
                        INSERTED_RANK, INTERPRETATION_RE, ROMAN_DOT_RE, ROMAN_OF, SCHEDULE_RE, SECTION_RANK,
                        NUMBER_WORDS, SUB_KIND, SUB_PATTERNS, SectionToken, is_roman, section_token, sequence_key)
from .language import provision_language

SECTION_KINDS = ("sec", "art", "reg", "rule", "sch_para")


def is_heading_like(text: str, allow_period: bool = False) -> bool:
    """A short title line: capitalised, few words, no sentence punctuation at its end."""
    if not text or len(text) > 160 or len(text.split()) > 16:
        return False
    if not (text[0].isupper() or text[0] in "«“\"'"):
        return False
    if match_any_marker(text):
        return False
    last = text[-1]
    if last in ";,:—–-" or (last == "." and not allow_period):
        return False
    if re.search(r"\b(shall|may|is|are|est|sont|será)\b", text) and not allow_period:
        return False
    return True


#: a line that stops on an article, preposition or conjunction goes on on the next line
#: (English only: in the Spanish codes the line above an article is an amendment note, not a heading)
_WRAPPED_END_RE = re.compile(r"\s(?:a|an|the|of|to|and|or|by|for|in|on|with|under|that|who|which|from|at|as|any|"
                             r"such|than|into|upon|whose)$", re.I)


def is_side_note(text: str) -> bool:
    """A marginal note printed beside a section ("Interpretation.", "High Court to try offences.")."""
    return (is_heading_like(text, allow_period=True) and text.endswith(".") and len(text.split()) <= 14
            and not re.search(r"\b(shall|may|is|are|was|were|has|have|est|sont)\b", text))


@functools.lru_cache(maxsize=4096)
def _interpretation_heading(heading: str) -> bool:
    return bool(heading) and bool(INTERPRETATION_RE.search(heading))


def match_any_marker(text: str) -> bool:
    if section_token(text) is not None:
        return True
    return any(p.match(text) for _, p in SUB_PATTERNS[:6])


@dataclass
class LayoutEvidence:
    """Layout facts the builder trusts (see ``layout.py``)."""

    keyword_articles: bool = False
    civil: bool = False
    margin_notes_after: bool = False


@dataclass
class Node:
    kind: str
    num: str
    style: str
    rank: float
    start: int
    heading: str = ""
    term: str | None = None
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = None
    prefix: str = ""  # for sections/articles: 's.', 'art.', '§'
    sub_styles: list[str] = field(default_factory=list)  # numbering styles opened inside a section
    last_sub: dict = field(default_factory=dict)          # style -> last label
    content_lines: int = 0
    is_interpretation: bool = False
    is_amending: bool = False
    alinea_count: int = 1
    seq_key: tuple | None = None


class TreeBuilder:
    def __init__(self, doc_language: str, evidence: LayoutEvidence) -> None:
        self.language = doc_language
        self.ev = evidence
        self.root = Node("root", "", "", -1, 0)
        self.stack: list[Node] = [self.root]
        self.last_section_num: tuple | None = None
        self.last_inserted_num: tuple | None = None
        self.last_own_num: tuple | None = None  # the act's own last section or article
        self.body_convention = ""  # the convention of the body's first section
        self.last_by_form: dict[str, tuple] = {}
        self.own_count = 0
        self.pending_heading: Line | None = None
        self.expect_heading_for: Node | None = None
        self.prev_line: Line | None = None
        self.civil = evidence.civil
        self.amend_refs: set[int] = set()  # section numbers named by the open amending clause

    # -- stack helpers
    @property
    def top(self) -> Node:
        return self.stack[-1]

    def section(self) -> Node | None:
        for node in reversed(self.stack):
            if node.kind in SECTION_KINDS:
                return node
        return None

    def outer_section(self) -> Node | None:
        for node in self.stack:
            if node.kind in SECTION_KINDS:
                return node
        return None

    def push(self, node: Node) -> None:
        if self.pending_heading is not None and node.rank <= 12:
            node.start = self.pending_heading.start
            node.heading = node.heading or self.pending_heading.text
        self.pending_heading = None
        while self.top.rank >= node.rank and self.top is not self.root:
            self.stack.pop()
        node.parent = self.top
        self.top.children.append(node)
        self.stack.append(node)

    def close_to_root(self) -> None:
        self.stack = [self.root]
        self.pending_heading = None
        self.expect_heading_for = None

    # -- section numbering sequence
    def plausible_next_section(self, num: str, last: tuple | None = None, announced: bool = False) -> bool:
        """Does ``num`` continue the numbering?  Up to two numbers may be skipped; more when a
        heading printed above announces the section (an excerpt that leaves sections out)."""
        last = self.last_section_num if last is None else last
        if last is None:
            return True
        key = sequence_key(num)
        if key[0] == last[0]:
            return key > last  # 13A after 13, 279.011 after 279.01, 342-1 after 342
        return last[0] < key[0] <= last[0] + (50 if announced else 3)

    # -- main entry
    def feed(self, line: Line, next_line: Line | None, after: Line | None = None) -> None:
        """Read one line; ``next_line`` and ``after`` are the two that follow it (lookahead only)."""
        text = line.text
        if self.expect_heading_for is not None:
            owner = self.expect_heading_for
            self.expect_heading_for = None
            allow = owner.rank < SECTION_RANK
            if is_heading_like(text, allow_period=False) or (allow and text.isupper() and len(text) < 120
                                                              and not match_any_marker(text)):
                owner.heading = text
                self.prev_line = line
                return
        if self._try_group(line):
            return
        if self._try_section(line, next_line):
            return
        if self._try_margin_note(line):
            return
        if self._try_sub(line, line.text, line.start):
            return
        # short heading line announcing the next provision
        if next_line is not None and (is_heading_like(text) or is_side_note(text) or line.markdown_heading
                                      or self._heading_above_section(text, next_line)) \
                and self._starts_provision(next_line) and not self._carries_own_heading(next_line, after, text):
            self.pending_heading = line
            self.prev_line = line
            return
        self._plain(line)

    def _carries_own_heading(self, line: Line, after: Line | None = None, above: str = "") -> bool:
        """ "Section 1. Short title" has its heading inline: the line above it is not its heading.

        ``above`` is the candidate heading line; in capitals it is rather the Act's or a Part's
        title, and the tests for a wrapped first line below do not make it the section's heading.
        """
        tok = section_token(line.text, line.markdown_heading)
        if tok is None or not tok.rest:
            return False
        rest = tok.rest.strip()
        words = len(rest.split())
        if above.isupper():
            words = 0
        if (after is not None and words >= 6 and after.text[:1].islower() and not line.markdown_heading
                and self.language == "en"):
            # "10. A person who knowingly uses ... of trafficking" / "commits an offence": wrapped.
            # English only: in the Spanish codes the line above such an article is the amendment
            # note of the article before ("... Ley N° 26.842 B.O. 27/12/2012)"), not its heading
            return False
        if words >= 9 and _WRAPPED_END_RE.search(rest):
            # "10. A person who knowingly uses ... commits an": a sentence a printed page wrapped
            # after its first line (a PDF), not a heading; no heading ends on "an", "of" or "the"
            # ("12. Establishment of" / "Fund" is a short heading wrapped: it keeps its own)
            return False
        return bool(is_heading_like(rest) or re.match(r"^[A-Z][^.;:—–]{1,120}?\.\s*[—–]", rest))

    def _heading_above_section(self, text: str, next_line: Line) -> bool:
        """A marginal heading with a verb ("Consent is not a defence") right above a section number."""
        tok = section_token(next_line.text, next_line.markdown_heading)
        return (tok is not None and text[:1].isupper() and len(text.split()) <= 12 and not re.search(r"[.;,:]$", text)
                and not match_any_marker(text) and not re.search(r"\bshall\b", text))

    def _starts_provision(self, line: Line) -> bool:
        tok = section_token(line.text, line.markdown_heading)
        if tok is not None:
            if tok.keyword or tok.convention.name in ("decimal", "markdown"):
                return True
            if not self.ev.keyword_articles and (self.plausible_next_section(tok.num, announced=True)
                                                 or self._inserted_fits(tok)):
                return True
        return bool(SUB_PATTERNS[0][1].match(line.text))

    # -- groups
    def _try_group(self, line: Line) -> bool:
        text = line.text
        m = GROUP_RE.match(text)
        if m:
            kw = re.sub(r"^p\s?art$", "part", m.group("kw").lower())
            rest = m.group("rest")
            if kw == "section":
                # "Section 1 : De la traite" groups articles in French codes; in common-law
                # texts "Section 12" is the section itself.
                if not (self.civil or self.ev.keyword_articles):
                    return False
                # ...but "SECTION 1: Content" with English text is a section with its text
                if provision_language(rest, "fr", min_words=4) == "en" or self.language == "en":
                    return False
                kind = "section_group"
            else:
                kind = GROUP_WORDS.get(kw)
            if kind is None:
                return False
            # a group heading is short or all caps; prose that starts with "Part" is not one
            if rest and rest[:1].islower() and not m.group("sep"):
                return False
            num = m.group("num")
            if m.group("suffix"):
                num += " " + m.group("suffix")
            heading = rest.strip(" .:-–—")
        else:
            ms = SCHEDULE_RE.match(text)
            if not ms or (ms.group("rest") and ms.group("rest").strip()[:1].islower()) or len(text.split()) > 14:
                return False
            if not (ms.group("kw").isupper() or ms.group("ord") or ms.group("num")):
                return False  # "Schedule" opening a sentence of prose
            kind = "schedule"
            num = (ms.group("ord") or ms.group("num") or "").lower()
            heading = ms.group("rest").strip(" .:-–—")
        node = Node(kind, num, "group", GROUP_RANK[kind], line.start, heading=heading)
        self.push(node)
        if kind == "schedule":
            self.last_section_num = self.last_own_num = None
        if not heading:
            self.expect_heading_for = node
        self.prev_line = line
        return True

    # -- sections
    def _inside_amendment(self) -> bool:
        outer = self.outer_section()
        return outer is not None and outer.is_amending

    def _inserted_fits(self, tok: SectionToken, quoted: bool = False) -> bool:
        """A section number quoted by the open amending clause (not the act's own next section).

        Believed when it continues the provisions already inserted, when the clause names it
        ("after section 12" -> "12A."), or when it is quoted or keyworded and cannot be the act's
        own next section.  A bare "1." inside an inserted article is its numbered paragraph.
        """
        if not self._inside_amendment():
            return False
        key = sequence_key(tok.num)
        if self.last_inserted_num is not None and key[0] == self.last_inserted_num[0] and key > self.last_inserted_num:
            return True
        if self.last_own_num is not None and key == (self.last_own_num[0] + 1, ""):
            return False  # the amending act's own next section
        if key[0] in self.amend_refs and (self.last_inserted_num is None or key > self.last_inserted_num):
            return True
        if self.last_inserted_num is not None and self.plausible_next_section(tok.num, self.last_inserted_num):
            return True
        # a quoted item inserted into a schedule ("17. Trafficking Act") is no section of either law
        return (quoted or tok.keyword) and bool(self.amend_refs) and not self.plausible_next_section(tok.num, self.last_own_num)

    def _try_section(self, line: Line, next_line: Line | None) -> bool:
        text = line.text
        quoted = text[:1] in "“\"‘'«"
        body = text[1:].lstrip() if quoted else text
        tok = section_token(body, line.markdown_heading)
        if tok is None:
            return False
        inserted = self._inserted_fits(tok, quoted)
        if quoted and not inserted:
            return False
        own = not inserted and (tok.keyword or self.plausible_next_section(tok.num))
        if tok.convention.name == "number" and not inserted:
            if self.ev.keyword_articles or not self._numeric_is_section(tok.num, line, next_line):
                return False
        elif tok.convention.name in ("decimal", "markdown", "number_colon") and not inserted:
            if self.ev.keyword_articles and tok.convention.name == "decimal":
                return False
            if not own:
                return False
        elif tok.kind == "sec" and tok.prefix == "s." and not inserted and not self.ev.keyword_articles \
                and not self.plausible_next_section(tok.num) and tok.convention.name != "section_word":
            return False
        if not inserted and self.body_convention and tok.form != self.body_convention \
                and not self.plausible_next_section(tok.num, self.last_own_num) and not self._parallel_version(tok):
            return False  # "Clause 1: Short title" of an explanatory memorandum after the body
        rank = INSERTED_RANK if inserted else SECTION_RANK
        kind = tok.kind
        if tok.convention.name == "number" and any(n.kind == "schedule" for n in self.stack):
            kind = "sch_para"  # a schedule's numbered paragraphs are not sections of the act
        node = Node(kind, tok.num, "section", rank, line.start, prefix=tok.prefix, seq_key=sequence_key(tok.num))
        if inserted:
            self.last_inserted_num = node.seq_key
        else:
            self.last_inserted_num = None
            self.last_own_num = node.seq_key
            self.body_convention = self.body_convention or tok.form
            self.last_by_form[tok.form] = node.seq_key
            self.own_count += 1
            if tok.kind in ("sec", "reg", "rule"):
                self.last_section_num = node.seq_key
        self.push(node)
        rest = tok.rest.strip()
        rest_offset = line.start + (len(text) - len(body)) + tok.rest_offset
        rest, rest_offset = self._take_heading(node, tok, rest, rest_offset, next_line)
        if not rest:
            self.expect_heading_for = node
        else:
            node.content_lines = 1
            self._try_sub(line, rest, rest_offset, inline=True)
            if INTERPRETATION_RE.search(rest):
                node.is_interpretation = True
            if not inserted:
                self._note_amending(node, rest)
        self.prev_line = line
        return True

    def _parallel_version(self, tok: SectionToken) -> bool:
        """A second numbering that keeps pace with the body's: the other language of a bilingual
        statute ("Section 1." / "Article 1er." / "Section 2." / "Article 2.")."""
        last_of_form = self.last_by_form.get(tok.form)
        key = sequence_key(tok.num)
        if self.last_own_num is None:
            return False
        if last_of_form is None:  # it must start beside the body's first section, not later on
            return len(self.last_by_form) == 1 and key == self.last_own_num and self.own_count == 1
        return abs(key[0] - self.last_own_num[0]) <= 1  # keeps pace with the body, even where it restarts

    def _note_amending(self, sec: Node, text: str) -> None:
        """Mark a section that amends another law, and remember the numbers its clause names."""
        low = text.lower()
        if not any(h in low for h in AMENDING_HINTS) or not AMENDING_RE.search(text):
            return
        if not sec.is_amending:
            self.amend_refs = set()
        sec.is_amending = True
        for m in re.finditer(r"(?:sections?|articles?|art[ií]culos?|art\.|§)\s*(\d+)", text, re.IGNORECASE):
            self.amend_refs.add(int(m.group(1)))

    def _take_heading(self, node: Node, tok: SectionToken, rest: str, offset: int,
                      next_line: Line | None) -> tuple[str, int]:
        """Split an inline heading off the section's first line; return what remains and where."""
        if not rest:
            return rest, offset
        # "3. Heading.—(1) Any person", "SECTION 3 — Heading.— text"
        m = re.match(r"^([A-Z][^.;:—–]{1,120}?)(?:\.\s*[—–]\s*|\s*[—–]\s*(?=[(A-Z«“\"]))", rest)
        if m and not node.heading and not match_any_marker(rest) and is_heading_like(m.group(1), allow_period=True):
            node.heading = m.group(1).strip()
            return rest[m.end():], offset + m.end()
        if tok.kind == "art" and self.language == "es":
            hm = re.match(r"^([A-ZÁÉÍÓÚÑ][^.;:]{1,60})\.\s+(?=\S)", rest)
            if hm:
                node.heading = hm.group(1)
        if tok.convention.name == "paragraph_sign" and not (is_heading_like(rest, allow_period=True)
                                                            and (next_line is None or not next_line.text[:1].islower())):
            hm = re.match(r"^([A-Z][^.;:]{1,100}[^.;:\sA-Z][^.;:\s]{2})\.(?:\s+(?=[A-Z(])|$)", rest)
            if hm and not re.search(r"\b(shall|may|is|are)\b", hm.group(1)):
                node.heading = hm.group(1)
                return rest[hm.end():], offset + hm.end()
        next_continues = next_line is not None and next_line.text[:1].islower()
        if node.heading or re.search(r"\b(who|which|that|the|of|and|or|to|a|an|in|by|for|any|if|where)$", rest, re.I):
            return rest, offset
        if (is_heading_like(rest) or tok.convention.name == "paragraph_sign" and is_heading_like(rest, allow_period=True)) \
                and not next_continues and (
                tok.convention.name in ("decimal", "markdown", "section_word", "paragraph_sign")
                or (tok.kind == "art" and next_line is not None and not self.civil)
                or (tok.convention.name == "number" and len(rest.split()) <= 12 and next_line is not None
                    and (match_any_marker(next_line.text) or next_line.text[:1].isupper()))):
            node.heading = rest
            return "", offset + len(rest)
        return rest, offset

    def _numeric_is_section(self, n: str, line: Line, next_line: Line | None) -> bool:
        """Decide whether a plain 'N.' line opens a section or a numbered subsection."""
        if not self.plausible_next_section(n, announced=self.pending_heading is not None):
            return False
        sec = self.section()
        if sec is None or "num_dot" not in sec.sub_styles:
            return True
        last_sub = sec.last_sub.get("num_dot")
        next_sub = str(int(last_sub) + 1) if last_sub and last_sub.isdigit() else None
        next_sec = str(self.last_section_num[0] + 1) if self.last_section_num else None
        if n == next_sub and n != next_sec:
            return False
        if n == next_sec and n != next_sub:
            return True
        # both sequences continue: a bare number followed by "1." opens a section
        bare = line.text.rstrip(".").strip() == n
        return bool(bare and next_line is not None and re.match(r"^1\.\s", next_line.text))

    def _try_margin_note(self, line: Line) -> bool:
        if not self.ev.margin_notes_after:
            return False
        sec = self.section()
        if sec is None or sec.heading or sec.content_lines > 2:
            return False
        text = line.text
        if match_any_marker(text) or len(text.split()) > 25 or not text[:1].isupper() or not text.endswith("."):
            return False
        sec.heading = text.rstrip(".")
        self.prev_line = line
        return True

    # -- sub-levels
    def _classify_sub(self, text: str, sec: Node | None) -> tuple[str, str, re.Match] | None:
        active = [n.style for n in self.stack if n.rank > SECTION_RANK and n.kind not in SECTION_KINDS]
        for style, pattern in SUB_PATTERNS:
            m = pattern.match(text)
            if not m:
                continue
            label = m.group(1)
            if style == "paren_num" and self._glosses_previous_word(label):
                return None  # "prisión de TRES\n(3) a SEIS (6) años": the figure glosses the word before it
            if style == "num_dot":
                if sec is None:
                    return None
                if not self.ev.keyword_articles and "num_dot" not in sec.sub_styles:
                    # "N." inside a section opens numbered subsections only right at its start
                    if sec.content_lines > 0 or label != "1":
                        return None
            if style in ROMAN_OF and len(label) == 1 and is_roman(label):
                roman_style = ROMAN_OF[style]
                if self._last_label(style) == chr(ord(label) - 1):
                    return style, label, m
                if roman_style in active or label == "i" or self._last_label(roman_style):
                    return roman_style, label, m
                return style, label, m
            if style in ("paren_alpha", "alpha_dot") and len(label) > 1 and is_roman(label):
                return ROMAN_OF[style], label, m
            return style, label, m
        m = ROMAN_DOT_RE.match(text)
        if m and is_roman(m.group(1)):
            return "roman_dot", m.group(1), m
        m = DEF_QUOTED_RE.match(text)
        if m:
            return "definition", m.group("term"), m
        if sec is not None and (sec.is_interpretation or self._in_interpretation()):
            m = DEF_BARE_RE.match(text)
            if m and len(m.group("term").split()) <= 6:
                return "definition", m.group("term"), m
        return None

    def _glosses_previous_word(self, label: str) -> bool:
        """Is "(3)" the figure for the number word that ends the previous line ("TRES", "three", "trois")?"""
        if self.prev_line is None or not label.isdigit():
            return False
        words = re.findall(r"[A-Za-zÀ-ÿ\-]+", self.prev_line.text[-40:])
        return bool(words) and NUMBER_WORDS.get(words[-1].lower()) == int(label)

    def _in_interpretation(self) -> bool:
        return any(n.is_interpretation or _interpretation_heading(n.heading) for n in self.stack)

    def _last_label(self, style: str) -> str | None:
        sec = self.section()
        holder = sec if sec is not None else self.root
        return holder.last_sub.get(style)

    def _try_sub(self, line: Line, text: str, offset: int, inline: bool = False) -> bool:
        sec = self.section()
        found = self._classify_sub(text, sec)
        if found is None:
            return False
        style, label, m = found
        holder = sec if sec is not None else self.root
        if style not in holder.sub_styles:
            holder.sub_styles.append(style)
        holder.last_sub[style] = label
        base = sec.rank if sec is not None else SECTION_RANK
        if style == "definition":
            depth_rank = base + 2
        else:
            # existing style: pop back to its level; new style: one below the current top
            existing = [n for n in self.stack if n.style == style and (sec is None or n.rank > sec.rank)]
            if existing:
                depth_rank = existing[-1].rank
            else:
                depth_rank = max(self.top.rank, base) + 1
                # base+2 is kept for definition entries, which sit between (1) and (a)
                if depth_rank == base + 2 or (depth_rank < base + 2 and any(n.style == "definition" for n in self.stack)):
                    depth_rank = base + 3
        kind = SUB_KIND[style]
        if kind == "subsec" and depth_rank > base + 1:
            kind = "para" if style == "num_dot" else "subsec"
        node = Node(kind, label, style, depth_rank, offset)
        if style == "definition":
            node.term = label.strip()
        if sec is not None:
            sec.content_lines += 1
        # a pending heading (Canada: "Consent" before "(2)") belongs to this subdivision
        self.push(node)
        if style != "definition" and INTERPRETATION_RE.search(text[:200]):
            node.is_interpretation = True
        outer = self.outer_section()
        if outer is not None and sec is outer:
            self._note_amending(outer, text)
        rest = text[m.end():] if style != "definition" else ""
        if rest:
            self._try_sub(line, rest, offset + m.end(), inline=True)
        self.prev_line = line
        return True

    def _plain(self, line: Line) -> None:
        self.pending_heading = None
        sec = self.section()
        if sec is not None:
            sec.content_lines += 1
            if INTERPRETATION_RE.search(line.text[:200]) and sec.content_lines <= 2:
                sec.is_interpretation = True
            if self.outer_section() is sec:
                self._note_amending(sec, line.text)
        # civil-law alinéa: an unnumbered paragraph after a finished sentence inside an article
        if (self.civil and sec is not None and sec.kind == "art" and self.prev_line is not None
                and self.prev_line.start >= sec.start and re.search(r"[.»”)]\s*$", self.prev_line.text)
                and line.text[:1].isupper()):
            container = sec
            for node in reversed(self.stack):
                if node.kind in ("subdiv", "subsec") and node.rank > sec.rank:
                    container = node
                    break
                if node is sec:
                    break
            while self.top is not container:
                self.stack.pop()
            container.alinea_count += 1
            node = Node("alinea", str(container.alinea_count), "alinea", container.rank + 1, line.start)
            node.parent = container
            container.children.append(node)
            self.stack.append(node)
        elif self.top is self.root and self.root.children:
            # text between provisions at top level: an unnumbered block; before the first
            # section ("An Act to provide for ..." after the table of contents) it is the preamble
            kind = "block" if self.last_own_num is not None else "preface"
            node = Node(kind, "", "block", SECTION_RANK, line.start)
            node.parent = self.root
            self.root.children.append(node)
            self.stack.append(node)
        self.prev_line = line
