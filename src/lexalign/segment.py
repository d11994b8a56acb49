"""Split a statute's text into provisions a lawyer would recognise.

The parser works on lines, in ordered stages (after laws-africa's hierarchy pipelines):

1. ``find_toc``: an "Arrangement of clauses" / "Sommaire" block is marked, so that its numbered
   lines are not mistaken for the sections themselves.
2. ``classify``: each line is tested against the numbering grammar: groups (Part, Chapter,
   Title, French "Section" groupings), sections/articles ("12.", "Section 12", "Art. 2.-",
   "Article premier", "Artículo 1°", "279.01", "§ 3"), and sub-levels ("(1)", "(a)", "(i)", "a)",
   "1°", "I. -", "a.", "i.").  A marker can be followed by another on the same line
   ("2. (1) Any person ...").
3. ``build``: a stack assembles the tree.  Sub-levels get their depth from the order in which
   their *numbering styles* first appear inside a section, not from fixed rules, because drafting
   conventions differ; "(i)" is read as a letter only when it follows "(h)".  Plain "N." lines
   are sections or subsections according to which numbering sequence they continue.
4. Headings: a short unpunctuated line before a provision, after a bare section number, or (in
   texts converted from side-noted prints) a short line just after a section's first line.
5. Definitions: in an interpretation provision, each '"term" means ...' becomes its own entry.
6. Spans: every provision's own text runs from its start to its first child; nothing is ever
   dropped, and text that fits no numbering stays in an unnumbered block.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .language import provision_language
from .models import Document, Provision

# ----------------------------------------------------------------------------- grammar

_GROUP_WORDS = {
    "part": "part", "p art": "part", "partie": "part", "parte": "part",
    "chapter": "chp", "chapitre": "chp", "capitulo": "chp", "capítulo": "chp",
    "title": "title", "titre": "title", "titulo": "title", "título": "title",
    "book": "book", "livre": "book", "libro": "book",
    "division": "division", "schedule": "schedule", "annex": "schedule", "annexe": "schedule",
    "sous-section": "subsection_group", "paragraphe": "paragraph_group",
    "sección": "section_group", "seccion": "section_group",
}
_GROUP_RANK = {"book": 0, "part": 1, "title": 2, "chp": 3, "division": 3, "section_group": 4,
               "subsection_group": 5, "paragraph_group": 6, "schedule": 1}
_SECTION_RANK = 10

GROUP_RE = re.compile(
    r"^(?P<kw>P\s?ART|PARTIE|PARTE|CHAPTER|CHAPITRE|CAP[IÍ]TULO|TITLE|TITRE|T[IÍ]TULO|BOOK|LIVRE|LIBRO|"
    r"DIVISION|SOUS-SECTION|SECCI[OÓ]N|SECTION|PARAGRAPHE)"
    r"\s+(?P<num>[IVXLCDM]+\b|\d+(?:er|re|e)?\b|[A-Z]\b|PREMIER\b|PREMI[EÈ]RE\b|PRELIMINAR\b|PR[EÉ]LIMINAIRE\b|UNIQUE\b)"
    r"(?:\s+(?P<suffix>bis|ter|quater)\b)?"
    r"\s*(?P<sep>[.:\-–—]*)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
SCHEDULE_RE = re.compile(r"^(?:(?P<ord>FIRST|SECOND|THIRD|FOURTH|FIFTH)\s+)?(?P<kw>SCHEDULE|ANNEXE?)\b(?P<rest>.*)$")
ARTICLE_RE = re.compile(
    r"^\[?(?P<kw>Article|ARTICLE|Art\.|ART\.|Art[ií]culo|ART[IÍ]CULO|Artigo)\s*"
    r"(?P<num>premier|PREMIER|1er|unique|UNIQUE|\d+(?:[-.]\d+)*(?:\s?(?:bis|ter|quater|quinquies|sexies|[A-Z])\b)?)"
    r"\s*(?:[°º]|o\b)?\s*(?P<sep>[.:\-–—]*)\s*(?P<rest>.*)$"
)
KW_SECTION_RE = re.compile(
    r"^(?P<kw>Section|SECTION|Sec\.|SEC\.|Clause|CLAUSE|Regulation|REGULATION|Rule|RULE|§)\s*"
    r"(?P<num>\d+[A-Z]{0,2})\b\s*(?P<sep>[.:\-–—]*)\s*(?P<rest>.*)$"
)
NUM_SECTION_RE = re.compile(r"^(?P<num>\d{1,4}[A-Z]{0,2})\.(?:\s+(?P<rest>.*)|\s*$)")
DECIMAL_SECTION_RE = re.compile(r"^(?P<num>\d{1,4}(?:\.\d{1,4})+)\s+(?P<rest>[A-Z(].*)$")

# sub-level markers: (style, regex); order matters where patterns overlap
_SUB_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("paren_num", re.compile(r"^\(\s?(\d{1,3}[A-Z]?)\s?\)\s*")),
    ("paren_alpha", re.compile(r"^\(\s?([a-z]{1,2})\s?\)\s*")),
    ("paren_ualpha", re.compile(r"^\(([A-Z]{1,2})\)\s*")),
    ("num_degree", re.compile(r"^(\d{1,3})\s?[°º]\s*[.\-–—]?\s*")),
    ("roman_dash", re.compile(r"^([IVX]{1,5})\.?\s*[-–—]\s*")),
    ("num_paren", re.compile(r"^(\d{1,3})\)\s+")),
    ("alpha_paren", re.compile(r"^([a-z])\)\s+")),
    ("alpha_dot", re.compile(r"^([a-z])\.\s+")),
    ("num_dot", re.compile(r"^(\d{1,3})\.(?:\s+|$)")),
]
_ROMAN_RE = re.compile(r"^(?=[ivxlc]+$)m{0,3}(c[md]|d?c{0,3})(x[cl]|l?x{0,3})(i[xv]|v?i{0,3})$")

_DEF_VERBS = (r"means|mean|includes|include|has the (?:same )?meaning|have the (?:same )?meaning|refers to|shall mean|"
              r"désigne|désignent|s['’]entend(?:ent)?|signifie|est|se entiende|se entenderá|significa|es")
DEF_QUOTED_RE = re.compile(
    r"^[“\"«‘']\s*(?P<term>[^“”\"«»]{1,80}?)\s*[”\"»’']\s*,?\s*(?:\([^)]{0,40}\)\s*)?"
    rf"(?:{_DEF_VERBS})\b", re.IGNORECASE)
DEF_BARE_RE = re.compile(rf"^(?P<term>[a-z][\w\s\-’']{{0,60}}?)\s+(?:means|includes|has the meaning|refers to)\b")
DEF_COLON_RE = re.compile(r"^(?:(?:Le|La|Les|L['’]|El|Los|Las)\s*)?(?P<term>[^:;,.]{2,60}?)\s*:\s+\S")

INTERPRETATION_RE = re.compile(
    r"(unless the context otherwise requires|in this (?:Act|Part|section|Law|Bill|Code)[^.]{0,40}(?:means|—|-|:)|"
    r"\binterpretation\b|\bdefinitions?\b|au sens de la présente|aux fins de la présente|on entend par|"
    r"les définitions ci-après|para (?:los )?efectos de (?:la presente|esta) ley|se entiende por)",
    re.IGNORECASE,
)
TOC_HEAD_RE = re.compile(r"^\s*(ARRANGEMENT OF (?:CLAUSES|SECTIONS|REGULATIONS)|TABLE OF CONTENTS|CONTENTS|"
                         r"SOMMAIRE|TABLE DES MATI[EÈ]RES|[IÍ]NDICE)\s*$", re.IGNORECASE)
ENACTING_RE = re.compile(r"(\bENACTED\b|\bBE IT ENACTED\b|^A BILL\b|It is hereby enacted|\bDECRETA\b|"
                         r"a délibéré et adopté|^An Act (?:to|for)\b|^AN ACT\b)")

_CITE_PREFIX = {"sec": "s.", "art": "art.", "reg": "reg.", "rule": "r.", "para_sec": "§"}


def roman_to_int(s: str) -> int | None:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    s = s.lower()
    if not s or any(ch not in values for ch in s):
        return None
    total = 0
    for i, ch in enumerate(s):
        v = values[ch]
        if i + 1 < len(s) and values[s[i + 1]] > v:
            total -= v
        else:
            total += v
    return total


def _is_roman(token: str) -> bool:
    return bool(token) and bool(_ROMAN_RE.match(token.lower()))


# ----------------------------------------------------------------------------- lines

@dataclass
class Line:
    start: int  # offset of first non-space char
    end: int    # offset after last non-space char
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


def split_lines(text: str) -> list[Line]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def _is_heading_like(text: str, allow_period: bool = False) -> bool:
    """A short title line: capitalised, few words, no sentence punctuation at its end."""
    if not text or len(text) > 160 or len(text.split()) > 16:
        return False
    if not (text[0].isupper() or text[0] in "«“\"'"):
        return False
    if _match_any_marker(text):
        return False
    last = text[-1]
    if last in ";,:—–-" or (last == "." and not allow_period):
        return False
    if re.search(r"\b(shall|may|is|are|est|sont|será)\b", text) and not allow_period:
        return False
    return True


def _is_side_note(text: str) -> bool:
    """A marginal note printed beside a section ("Interpretation.", "High Court to try offences.")."""
    return (_is_heading_like(text, allow_period=True) and text.endswith(".") and len(text.split()) <= 14
            and not re.search(r"\b(shall|may|is|are|was|were|has|have|est|sont)\b", text))


def _match_any_marker(text: str) -> bool:
    if ARTICLE_RE.match(text) or KW_SECTION_RE.match(text) or NUM_SECTION_RE.match(text):
        return True
    return any(p.match(text) for _, p in _SUB_PATTERNS[:6])


# ----------------------------------------------------------------------------- tree building

@dataclass
class _Node:
    kind: str
    num: str
    style: str
    rank: int
    start: int
    heading: str = ""
    term: str | None = None
    children: list["_Node"] = field(default_factory=list)
    parent: "_Node | None" = None
    prefix: str = ""  # for sections/articles: 's.' or 'art.'
    sub_styles: list[str] = field(default_factory=list)  # numbering styles opened inside a section
    last_sub: dict = field(default_factory=dict)          # style -> last label
    content_lines: int = 0
    is_interpretation: bool = False
    alinea_count: int = 1


class _Builder:
    def __init__(self, doc: Document, margin_notes_after: bool, keyword_articles: bool) -> None:
        self.doc = doc
        self.root = _Node("root", "", "", -1, 0)
        self.stack: list[_Node] = [self.root]
        self.margin_notes_after = margin_notes_after
        self.keyword_articles = keyword_articles
        self.last_section_num: tuple | None = None
        self.pending_heading: Line | None = None
        self.expect_heading_for: _Node | None = None
        self.prev_line: Line | None = None
        self.civil = doc.language in ("fr", "es")
        self.block_count = 0

    # -- stack helpers
    @property
    def top(self) -> _Node:
        return self.stack[-1]

    def section(self) -> _Node | None:
        for node in reversed(self.stack):
            if node.rank == _SECTION_RANK:
                return node
        return None

    def push(self, node: _Node, start: int) -> None:
        if self.pending_heading is not None and node.rank <= 12:
            node.start = self.pending_heading.start
            node.heading = node.heading or self.pending_heading.text
        self.pending_heading = None
        while self.top.rank >= node.rank and self.top is not self.root:
            self.stack.pop()
        node.parent = self.top
        self.top.children.append(node)
        self.stack.append(node)

    def flush_pending(self) -> None:
        self.pending_heading = None

    # -- section numbering sequence
    def _seq_key(self, num: str) -> tuple:
        m = re.match(r"(\d+)((?:\.\d+)*)([A-Z]*)", num)
        if not m:
            return (0,)
        # decimal parts compare as digit strings: 279.011 falls between 279.01 and 279.02
        parts: list = [int(m.group(1))] + [x for x in m.group(2).split(".") if x]
        return tuple(parts) + (m.group(3),)

    def plausible_next_section(self, num: str) -> bool:
        if self.last_section_num is None:
            return True
        key = self._seq_key(num)
        last = self.last_section_num
        if key[0] == last[0]:
            return key > last  # 13A after 13, 279.011 after 279.01
        return last[0] < key[0] <= last[0] + 3

    # -- main entry
    def feed(self, line: Line, next_line: Line | None) -> None:
        text = line.text
        # a heading awaited after a bare section/group line
        if self.expect_heading_for is not None:
            owner = self.expect_heading_for
            self.expect_heading_for = None
            allow = owner.rank < _SECTION_RANK
            if _is_heading_like(text, allow_period=False) or (allow and text.isupper() and len(text) < 120
                                                               and not _match_any_marker(text)):
                owner.heading = text
                self.prev_line = line
                return
        if self._try_group(line, next_line):
            return
        if self._try_section(line, next_line):
            return
        if self._try_margin_note(line, next_line):
            return
        if self._try_sub(line, line.text, line.start):
            return
        # short heading line announcing the next provision
        if next_line is not None and (_is_heading_like(text) or _is_side_note(text)) \
                and self._starts_provision(next_line.text):
            self.pending_heading = line
            self.prev_line = line
            return
        self._plain(line)

    def _starts_provision(self, text: str) -> bool:
        if ARTICLE_RE.match(text) or KW_SECTION_RE.match(text) or DECIMAL_SECTION_RE.match(text):
            return True
        m = NUM_SECTION_RE.match(text)
        if m and not self.keyword_articles and self.plausible_next_section(m.group("num")):
            return True
        return bool(_SUB_PATTERNS[0][1].match(text))

    def _try_group(self, line: Line, next_line: Line | None) -> bool:
        text = line.text
        m = GROUP_RE.match(text)
        kind = None
        if m:
            kw = m.group("kw").lower().replace("  ", " ")
            kw = re.sub(r"^p\s?art$", "part", kw)
            rest = m.group("rest")
            if kw == "section":
                # "Section 1 : De la traite" groups articles in French codes; in common-law
                # texts "Section 12" is the section itself.
                if not (self.civil or self.keyword_articles):
                    return False
                # ...but in a bilingual statute an English "Section 1. This law ..." beside
                # "Article 1er" is a section with its text, not a French grouping heading
                if provision_language(rest, "fr", min_words=4) == "en":
                    return False
                kind = "section_group"
            else:
                kind = _GROUP_WORDS.get(kw)
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
            if not ms or (ms.group("rest") and ms.group("rest")[:1].islower()):
                return False
            kind = "schedule"
            num = (ms.group("ord") or "").lower()
            heading = ms.group("rest").strip(" .:-–—")
        node = _Node(kind, num, "group", _GROUP_RANK[kind], line.start, heading=heading)
        self.push(node, line.start)
        if kind == "schedule":
            self.last_section_num = None
        if not heading:
            self.expect_heading_for = node
        self.prev_line = line
        return True

    def _try_section(self, line: Line, next_line: Line | None) -> bool:
        text = line.text
        kind = prefix = num = rest = None
        m = ARTICLE_RE.match(text)
        if m and (not m.group("rest") or m.group("sep") or not m.group("rest")[:1].islower()):
            kind, prefix, num, rest = "art", "art.", m.group("num"), m.group("rest")
            if num.lower() in ("premier", "1er"):
                num = "1"
        if kind is None:
            m = KW_SECTION_RE.match(text)
            if m and (not m.group("rest") or m.group("sep") or not m.group("rest")[:1].islower()):
                kw = m.group("kw").lower()
                kind = {"regulation": "reg", "rule": "rule", "§": "sec"}.get(kw, "sec")
                prefix = {"reg": "reg.", "rule": "r."}.get(kind, "s.")
                if kw == "§":
                    prefix = "§"
                num, rest = m.group("num"), m.group("rest")
        if kind is None and not self.keyword_articles:
            m = DECIMAL_SECTION_RE.match(text)
            if m and self.plausible_next_section(m.group("num")) and "." in m.group("num"):
                kind, prefix, num, rest = "sec", "s.", m.group("num"), m.group("rest")
            else:
                m = NUM_SECTION_RE.match(text)
                if m:
                    n = m.group("num")
                    if self._numeric_is_section(n, line, next_line):
                        kind, prefix, num, rest = "sec", "s.", n, m.group("rest") or ""
        if kind is None:
            return False
        if kind == "sec" and prefix == "s." and not self.keyword_articles and not self.plausible_next_section(num):
            return False
        if kind in ("sec", "reg", "rule"):
            self.last_section_num = self._seq_key(num)
        node = _Node(kind, num, "section", _SECTION_RANK, line.start, prefix=prefix)
        self.push(node, line.start)
        rest = (rest or "").strip()
        if rest and kind == "art" and self.doc.language == "es":
            hm = re.match(r"^([A-ZÁÉÍÓÚÑ][^.;:]{1,60})\.\s+(?=\S)", rest)
            if hm:
                node.heading = hm.group(1)
        if rest and DECIMAL_SECTION_RE.match(text) and _is_heading_like(rest):
            node.heading = rest
            rest = ""
        if rest and kind == "art" and _is_heading_like(rest) and next_line is not None and not self.civil:
            node.heading = rest
            rest = ""
        if not rest:
            self.expect_heading_for = node
        else:
            node.content_lines = 1
            offset = line.start + (len(text) - len(rest))
            self._try_sub(line, rest, offset, inline=True)
            if INTERPRETATION_RE.search(rest):
                node.is_interpretation = True
        self.prev_line = line
        return True

    def _numeric_is_section(self, n: str, line: Line, next_line: Line | None) -> bool:
        """Decide whether a plain 'N.' line opens a section or a numbered subsection."""
        if not self.plausible_next_section(n):
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
        if bare and next_line is not None and re.match(r"^1\.\s", next_line.text):
            return True
        return False

    def _try_margin_note(self, line: Line, next_line: Line | None) -> bool:
        if not self.margin_notes_after:
            return False
        sec = self.section()
        if sec is None or sec.heading or sec.content_lines > 2:
            return False
        text = line.text
        if _match_any_marker(text) or len(text.split()) > 25 or not text[:1].isupper() or not text.endswith("."):
            return False
        sec.heading = text.rstrip(".")
        self.prev_line = line
        return True

    def _classify_sub(self, text: str, sec: _Node | None) -> tuple[str, str, re.Match] | None:
        active = self._active_styles()
        for style, pattern in _SUB_PATTERNS:
            m = pattern.match(text)
            if not m:
                continue
            label = m.group(1)
            if style == "num_dot":
                if sec is None:
                    return None
                if not self.keyword_articles and "num_dot" not in sec.sub_styles:
                    # "N." inside a section opens numbered subsections only right at its start
                    if sec.content_lines > 0 or label != "1":
                        return None
            if style in ("paren_alpha", "alpha_paren", "alpha_dot") and len(label) == 1 and _is_roman(label):
                roman_style = {"paren_alpha": "paren_roman", "alpha_paren": "roman_paren",
                               "alpha_dot": "roman_dot"}[style]
                last_alpha = self._last_label(style)
                prev_letter = chr(ord(label) - 1)
                if last_alpha == prev_letter:
                    return style, label, m
                last_roman = self._last_label(roman_style)
                if roman_style in active or label == "i" or last_roman:
                    return roman_style, label, m
                return style, label, m
            if style in ("paren_alpha", "alpha_dot") and len(label) > 1 and _is_roman(label):
                return {"paren_alpha": "paren_roman", "alpha_dot": "roman_dot"}[style], label, m
            if style == "alpha_dot" and len(label) == 1 and sec is None and not self.civil:
                # "a. " outside any section is more often prose ("a. m.") than numbering
                pass
            return style, label, m
        m = re.match(r"^([ivxlc]{2,6})\.\s+", text)
        if m and _is_roman(m.group(1)):
            return "roman_dot", m.group(1), m
        m = DEF_QUOTED_RE.match(text)
        if m:
            return "definition", m.group("term"), m
        if sec is not None and (sec.is_interpretation or self._in_interpretation()):
            m = DEF_BARE_RE.match(text)
            if m and len(m.group("term").split()) <= 6:
                return "definition", m.group("term"), m
        return None

    def _in_interpretation(self) -> bool:
        return any(n.is_interpretation or INTERPRETATION_RE.search(n.heading or "") for n in self.stack)

    def _active_styles(self) -> list[str]:
        return [n.style for n in self.stack if n.rank > _SECTION_RANK]

    def _last_label(self, style: str) -> str | None:
        sec = self.section()
        holder = sec if sec is not None else self.root
        return holder.last_sub.get(style)

    def _try_sub(self, line: Line, text: str, offset: int, inline: bool = False) -> bool:
        sec = self.section()
        found = self._classify_sub(text, sec)
        if found is None:
            if inline:
                return False
            return False
        style, label, m = found
        holder = sec if sec is not None else self.root
        if style not in holder.sub_styles:
            holder.sub_styles.append(style)
        holder.last_sub[style] = label
        if style == "definition":
            depth_rank = 12
        else:
            # existing style: pop back to its level; new style: one below the current top
            existing = [n for n in self.stack if n.style == style]
            if existing:
                depth_rank = existing[-1].rank
            else:
                top_rank = self.top.rank
                if self.top.kind == "alinea":
                    top_rank = self.top.rank
                depth_rank = max(top_rank, _SECTION_RANK) + 1
                # rank 12 is kept for definition entries, which sit between (1) and (a)
                if depth_rank == 12 or (depth_rank < 12 and any(n.style == "definition" for n in self.stack)):
                    depth_rank = 13
        kind = {
            "paren_num": "subsec", "num_dot": "subsec", "num_paren": "para", "roman_dash": "subdiv",
            "paren_alpha": "para", "alpha_paren": "para", "alpha_dot": "para", "paren_ualpha": "item",
            "paren_roman": "subpara", "roman_paren": "subpara", "roman_dot": "subpara",
            "num_degree": "point", "definition": "def",
        }[style]
        if kind == "subsec" and depth_rank > 11:
            kind = "para" if style == "num_dot" else "subsec"
        node = _Node(kind, label, style, depth_rank, offset)
        if style == "definition":
            node.term = label.strip()
        if sec is not None:
            sec.content_lines += 1
        # a pending heading (Canada: "Consent" before "(2)") belongs to this subdivision
        self.push(node, offset)
        if style != "definition" and INTERPRETATION_RE.search(text[:200]):
            node.is_interpretation = True
        rest = text[m.end():] if style != "definition" else ""
        if rest and style != "definition":
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
        # civil-law alinéa: an unnumbered paragraph after a finished sentence inside an article
        if (self.civil and sec is not None and sec.kind == "art" and self.prev_line is not None
                and self.prev_line.start >= sec.start and re.search(r"[.»”)]\s*$", self.prev_line.text)
                and line.text[:1].isupper()):
            container = sec
            for node in reversed(self.stack):
                if node.kind in ("subdiv", "subsec") and node.rank > _SECTION_RANK:
                    container = node
                    break
                if node is sec:
                    break
            while self.top is not container:
                self.stack.pop()
            container.alinea_count += 1
            node = _Node("alinea", str(container.alinea_count), "alinea", container.rank + 1, line.start)
            node.parent = container
            container.children.append(node)
            self.stack.append(node)
        elif self.top is self.root and self.root.children:
            # text between provisions at top level: an unnumbered block
            self.block_count += 1
            node = _Node("block", "", "block", _SECTION_RANK, line.start)
            node.parent = self.root
            self.root.children.append(node)
            self.stack.append(node)
        self.prev_line = line


def _detect_margin_notes_after(lines: list[Line]) -> bool:
    """True when side notes were converted to a short line just after each section's first line.

    Such texts (Sri Lankan acts converted from print) put "Short title." after "1. This Act ...".
    The pattern must recur at least three times before it is trusted.
    """
    hits = 0
    for i, line in enumerate(lines[:-2]):
        if NUM_SECTION_RE.match(line.text):
            for j in (i + 1, i + 2):
                cand = lines[j].text
                if (cand.endswith(".") and len(cand.split()) <= 16 and cand[:1].isupper()
                        and not _match_any_marker(cand) and j + 1 < len(lines)
                        and (_match_any_marker(lines[j + 1].text) or re.match(r"^[a-z]\.\s|^[ivx]+\.\s", lines[j + 1].text))):
                    hits += 1
                    break
    return hits >= 3


def find_toc(lines: list[Line]) -> tuple[int, int] | None:
    """Index range [first, last) of an arrangement-of-sections block, or None."""
    for i, line in enumerate(lines):
        if TOC_HEAD_RE.match(line.text):
            for j in range(i + 1, len(lines)):
                if ENACTING_RE.search(lines[j].text):
                    return i, j
            return None
    return None


# ----------------------------------------------------------------------------- public API

def segment(doc: Document) -> list[Provision]:
    """The provision tree of a document (top-level provisions, each with its children).

    Each provision carries the language of its own text (bilingual statutes interleave them).
    """
    tree = _segment_structure(doc)
    for p in flatten(tree):
        p.language = provision_language(p.text, doc.language)
    return tree


def _segment_structure(doc: Document) -> list[Provision]:
    if doc.native_structure:
        return _from_native(doc)
    lines = split_lines(doc.text)
    keyword_articles = sum(1 for ln in lines[:4000] if ARTICLE_RE.match(ln.text)
                           and not ARTICLE_RE.match(ln.text).group("rest")[:1].islower()) >= 1
    builder = _Builder(doc, _detect_margin_notes_after(lines), keyword_articles)
    toc = find_toc(lines)
    i = 0
    while i < len(lines):
        if toc and i == toc[0]:
            node = _Node("toc", "", "toc", _SECTION_RANK, lines[i].start, heading=lines[i].text.title())
            builder.push(node, lines[i].start)
            builder.stack.pop()
            builder.stack.append(builder.root)  # keep the toc closed; later lines attach to root
            builder.stack = [builder.root]
            i = toc[1]
            builder.prev_line = lines[i - 1]
            continue
        builder.feed(lines[i], lines[i + 1] if i + 1 < len(lines) else None)
        i += 1
    return _finish(doc, builder.root)


def _finish(doc: Document, root: _Node) -> list[Provision]:
    """Turn the node tree into Provisions with spans, own texts, ids and citations."""
    text = doc.text
    order: list[tuple[_Node, int]] = []

    def flatten(node: _Node, depth: int) -> None:
        for child in node.children:
            order.append((child, depth))
            flatten(child, depth + 1)

    flatten(root, 0)
    if not order or text[:order[0][0].start].strip():
        pre = _Node("preface", "", "block", _SECTION_RANK, 0)
        pre.parent = root
        root.children.insert(0, pre)
        order.insert(0, (pre, 0))
    else:
        order[0][0].start = 0 if not text[:order[0][0].start].strip() else order[0][0].start
    # starts must not decrease (a pending heading can move a start back before a sibling's)
    for k in range(1, len(order)):
        if order[k][0].start < order[k - 1][0].start:
            order[k][0].start = order[k - 1][0].start
    built: dict[int, Provision] = {}
    used_ids: dict[str, int] = {}
    result: list[Provision] = []
    for k, (node, depth) in enumerate(order):
        own_end = order[k + 1][0].start if k + 1 < len(order) else len(text)
        end = len(text)
        for j in range(k + 1, len(order)):
            if order[j][1] <= depth:
                end = order[j][0].start
                break
        own = text[node.start:own_end]
        start = node.start + (len(own) - len(own.lstrip()))
        end = _rstrip_end(text, start, end)
        parent = built.get(id(node.parent)) if node.parent is not None else None
        eid = _eid(node, parent, used_ids)
        citation = _citation(node, parent)
        prov = Provision(eid=eid, kind=_kind_name(node), num=node.num, citation=citation,
                         heading=node.heading, text=own.strip(), start=start, end=max(start, end),
                         page=doc.page_at(start), term=node.term, parent=parent)
        built[id(node)] = prov
        if parent is None:
            result.append(prov)
        else:
            parent.children.append(prov)
    return result


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


_KIND_NAMES = {"sec": "section", "art": "article", "reg": "regulation", "rule": "rule", "chp": "chapter",
               "subsec": "subsection", "para": "paragraph", "subpara": "subparagraph", "def": "definition",
               "point": "point", "subdiv": "subdivision", "alinea": "alinea", "item": "item"}


def _kind_name(node: _Node) -> str:
    return _KIND_NAMES.get(node.kind, node.kind)


def _eid_num(num: str) -> str:
    num = num.strip().lower()
    return re.sub(r"[^a-z0-9à-ÿñ]+", "-", num).strip("-") or "x"


_EID_PREFIX = {"sec": "sec", "art": "art", "reg": "reg", "rule": "rule", "part": "part", "chp": "chp",
               "title": "title", "book": "book", "division": "dvs", "section_group": "sec-group",
               "subsection_group": "subsec-group", "paragraph_group": "para-group", "schedule": "sch",
               "subsec": "subsec", "para": "para", "subpara": "subpara", "item": "item", "point": "point",
               "subdiv": "subdiv", "alinea": "al", "def": "def", "toc": "toc", "preface": "preface",
               "block": "block"}


def _eid(node: _Node, parent: Provision | None, used: dict[str, int]) -> str:
    prefix = _EID_PREFIX.get(node.kind, node.kind)
    num = node.num
    if node.kind in _GROUP_RANK and node.kind != "schedule" and _is_roman(num) and not re.fullmatch(r"[a-z]", num.lower()) or (
            node.kind in ("part", "chp", "title", "book") and num.isupper() and roman_to_int(num)):
        num = str(roman_to_int(num))
    if node.kind in ("toc", "preface", "block"):
        local = prefix
    elif node.kind == "def":
        local = f"def_{_eid_num(node.term or num)}"
    else:
        local = f"{prefix}_{_eid_num(num)}" if num else prefix
    eid = f"{parent.eid}__{local}" if parent is not None else local
    if eid in used:
        used[eid] += 1
        eid = f"{eid}_{used[eid]}"
    else:
        used[eid] = 1
    return eid


def _citation(node: _Node, parent: Provision | None) -> str:
    base = parent.citation if parent is not None and parent.kind not in _GROUP_KIND_NAMES else ""
    k = node.kind
    if k in ("sec", "art", "reg", "rule"):
        return f"{node.prefix} {node.num}".strip()
    if k in _GROUP_RANK:
        label = {"part": "Part", "chp": "Chapter", "title": "Title", "book": "Book", "division": "Division",
                 "section_group": "Section", "subsection_group": "Sub-section", "paragraph_group": "Paragraph",
                 "schedule": "Schedule"}[k]
        return f"{label} {node.num}".strip()
    if k in ("toc", "preface", "block"):
        return {"toc": "arrangement", "preface": "preamble", "block": "unnumbered text"}[k]
    if k == "def":
        return f'{base} ("{node.term}")'.strip()
    if k == "alinea":
        return f"{base} al. {node.num}".strip()
    if k == "point":
        return f"{base} {node.num}°".strip()
    if k == "subdiv":
        return f"{base} {node.num}".strip()
    return f"{base}({node.num})" if base else f"({node.num})"


_GROUP_KIND_NAMES = {"part", "chapter", "title", "book", "division", "section_group", "subsection_group",
                     "paragraph_group", "schedule", "toc", "preface", "block"}


def _from_native(doc: Document) -> list[Provision]:
    """Provisions straight from an Akoma Ntoso file's own units and eIds."""
    units = sorted(doc.native_structure or [], key=lambda u: (u["start"], -u["end"]))
    result: list[Provision] = []
    stack: list[Provision] = []
    kind_map = {"section": "sec", "article": "art", "subsection": "subsec", "paragraph": "para",
                "subparagraph": "subpara", "chapter": "chp", "part": "part"}
    for u in units:
        num = u["num"].strip().rstrip(".").strip("()")
        kind = kind_map.get(u["kind"], u["kind"])
        while stack and not (stack[-1].start <= u["start"] and u["end"] <= stack[-1].end and stack[-1].eid != u["eid"]):
            stack.pop()
        parent = stack[-1] if stack else None
        node = _Node(kind, num, "native", 0, u["start"], heading=u["heading"])
        node.prefix = "art." if kind == "art" else "s."
        citation = _citation(node, parent) if kind not in ("sec", "art") else f"{node.prefix} {num}"
        prov = Provision(eid=u["eid"], kind=_KIND_NAMES.get(kind, kind), num=num, citation=citation,
                         heading=u["heading"], text="", start=u["start"], end=_rstrip_end(doc.text, u["start"], u["end"]),
                         page=None, parent=parent)
        if parent is None:
            result.append(prov)
        else:
            parent.children.append(prov)
        stack.append(prov)
    # own texts: from start to the first child's start
    flat = [p for top in result for p in top.walk()]
    for k, p in enumerate(flat):
        nxt = flat[k + 1].start if k + 1 < len(flat) else len(doc.text)
        own_end = min(nxt, p.children[0].start) if p.children else min(nxt, max(p.end, nxt))
        p.text = doc.text[p.start:own_end].strip()
    if flat and doc.text[:flat[0].start].strip():
        pre = Provision("preface", "preface", "", "preamble", "", doc.text[:flat[0].start].strip(), 0, flat[0].start)
        result.insert(0, pre)
    return result


def flatten(provisions: list[Provision]) -> list[Provision]:
    """All provisions of a tree in document order."""
    return [p for top in provisions for p in top.walk()]


def provisions_to_text(provisions: list[Provision]) -> str:
    """An indented outline, for ``lexalign segment --format text``."""
    out = []
    for p in flatten(provisions):
        depth = len(p.ancestors())
        head = f" — {p.heading}" if p.heading else ""
        snippet = " ".join(p.text.split())[:90]
        page = f" [p.{p.page}]" if p.page else ""
        out.append(f"{'  ' * depth}{p.citation}{head}{page}: {snippet}")
    return "\n".join(out)
