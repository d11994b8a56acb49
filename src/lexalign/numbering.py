"""Numbering tokens: what a line's leading number says, with no view of the rest of the document.

Each drafting convention is one entry of a table, so a new one is a line here, not a new branch
in the tree builder.  The tokeniser answers "what does this line start with?"; whether the token
really opens a section (or is a cross-reference, a table-of-contents entry, a provision quoted by
an amending act) is decided later, by the layout evidence and the tree (see ``tree.py``).

    >>> tok = section_token("3.—(1) Any person who recruits ...")
    >>> tok.num, tok.rest
    ('3', '(1) Any person who recruits ...')
    >>> section_token("SECTION 342-1: Trafficking and Slavery of Persons").num
    '342-1'
    >>> section_token("Artículo 129-A .- Trata de personas").num
    '129-A'
    >>> section_token("[§707-780] Definitions. As used in this part:").prefix
    '§'
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# ----------------------------------------------------------------------------- groups

GROUP_WORDS = {
    "part": "part", "p art": "part", "partie": "part", "parte": "part",
    "chapter": "chp", "chapitre": "chp", "capitulo": "chp", "capítulo": "chp",
    "title": "title", "titre": "title", "titulo": "title", "título": "title",
    "book": "book", "livre": "book", "libro": "book",
    "division": "division", "schedule": "schedule", "annex": "schedule", "annexe": "schedule",
    "sous-section": "subsection_group", "paragraphe": "paragraph_group",
    "sección": "section_group", "seccion": "section_group",
}
GROUP_RANK = {"book": 0, "part": 1, "title": 2, "chp": 3, "division": 3, "section_group": 4,
              "subsection_group": 5, "paragraph_group": 6, "schedule": 1}
SECTION_RANK = 10
#: an inserted or substituted provision quoted by an amending clause sits just below that clause
INSERTED_RANK = 10.5

GROUP_RE = re.compile(
    r"^(?P<kw>P\s?ART|PARTIE|PARTE|CHAPTER|CHAPITRE|CAP[IÍ]TULO|TITLE|TITRE|T[IÍ]TULO|BOOK|LIVRE|LIBRO|"
    r"DIVISION|SOUS-SECTION|SECCI[OÓ]N|SECTION|PARAGRAPHE)"
    r"\s+(?P<num>[IVXLCDM]+\b|\d+(?:er|re|e)?\b|[A-Z]\b|PREMIER\b|PREMI[EÈ]RE\b|PRELIMINAR\b|PR[EÉ]LIMINAIRE\b|UNIQUE\b)"
    r"(?:\s+(?P<suffix>bis|ter|qu[aá]ter)\b)?"
    r"\s*(?P<sep>[.:\-–—]*)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
SCHEDULE_RE = re.compile(r"^(?:(?P<ord>FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH)\s+)?(?P<kw>SCHEDULE|ANNEXE?)\b"
                         r"(?:\s+(?P<num>\d{1,2}|[IVX]{1,4})\b)?(?P<rest>.*)$", re.IGNORECASE)

# ----------------------------------------------------------------------------- sections

#: "12", "12A", "342-1", "26 -1" (OCR), "279.01", "9A.40.100", "707-780", "145 bis", "224-1 A", "129-A"
_SUFFIX = r"(?:\s?-?\s?(?:bis|ter|qu[aá]ter|quinquies|sexies|septies|octies|nonies|decies)\b|\s?-?[A-Z](?=\s*(?:$|[.:\-–—°º)\]]|\s[A-Z(«“\"])))"
# OCR may split a number ("SECTION 21 1: Counterfeit"): a lone digit group before the colon joins it
_NUM = rf"\d{{1,5}}(?: \d{{1,3}}(?=\s*:))?[A-Z]{{0,2}}(?:\s?[-.•]\s?\d{{1,4}}[A-Z]?)*{_SUFFIX}?"
_SEP = r"\s*(?:[°º]|o\b)?\s*(?P<sep>[.:\-–—]*)\s*"


@dataclass(frozen=True)
class SectionConvention:
    """One way of numbering sections or articles.

    ``keyword``: the number is introduced by a word ("Section", "Article", "§") and can be trusted
    on its own; a bare "12." must also continue the numbering sequence before it is believed.
    """

    name: str
    pattern: re.Pattern
    kind: str        # sec | art | reg | rule
    prefix: str      # citation prefix: s., art., reg., r., §
    keyword: bool
    sample: str


def _conv(name: str, regex: str, kind: str, prefix: str, keyword: bool, sample: str) -> SectionConvention:
    return SectionConvention(name, re.compile(regex), kind, prefix, keyword, sample)


#: every convention the segmenter knows, most specific first
SECTION_CONVENTIONS: list[SectionConvention] = [
    _conv("article", rf"^\[?(?P<kw>Article|ARTICLE|Art\.|ART\.|Art[ií]culo|ART[IÍ]CULO|Artigo|ARTIGO)\s*"
          rf"(?P<num>premier|PREMIER|1er|unique|UNIQUE|{_NUM}){_SEP}(?P<rest>.*)$",
          "art", "art.", True, "Article 3 – Offence / Art. 3.- / Artículo 129-A .- / ARTÍCULO 3°. / Article premier"),
    _conv("section_word", rf"^(?P<kw>Section|SECTION|Sec\.|SEC\.|Clause|CLAUSE)\s*(?P<num>{_NUM}){_SEP}(?P<rest>.*)$",
          "sec", "s.", True, "Section 3. / SECTION 3 — Heading / SECTION 342-1: Heading"),
    _conv("regulation", rf"^(?P<kw>Regulation|REGULATION)\s*(?P<num>{_NUM}){_SEP}(?P<rest>.*)$",
          "reg", "reg.", True, "Regulation 4."),
    _conv("rule", rf"^(?P<kw>Rule|RULE)\s*(?P<num>{_NUM}){_SEP}(?P<rest>.*)$", "rule", "r.", True, "Rule 4."),
    _conv("paragraph_sign", rf"^\[?(?P<kw>§§?)\s*(?P<num>{_NUM})\]?{_SEP}(?P<rest>.*)$",
          "sec", "§", True, "§ 1591. Heading / [§707-780] Definitions."),
    # state and code numbering: "9A.40.100 - Trafficking.", "279.01 (1) Every person"
    _conv("decimal", r"^(?P<num>\d{1,4}[A-Z]?(?:\.\d{1,4}[A-Z]?)+)\s*(?P<sep>[-–—:]?)\s+(?P<rest>[A-Z(«“\"].*)$",
          "sec", "s.", False, "9A.40.100 - Trafficking. / 279.01 (1) Every person"),
    # a gazette text whose keyword was lost in conversion: "18: Offence of trafficking in persons"; believed
    # only where it continues the numbering (see TreeBuilder._try_section)
    _conv("number_colon", r"^(?P<num>\d{1,3}):\s+(?P<sep>)(?P<rest>[A-Z].*)$", "art", "art.", False,
          "18: Offence of trafficking in persons"),
    # "12.", "12. Heading", "3.—(1)", "3.(1)", "3. Heading.—(1)"
    _conv("number", r"^(?P<num>\d{1,4}[A-Z]{0,2})\.(?:\s*(?P<sep>[—–]+|-(?=\s*\())\s*|\s+|(?=\()|\s*$)(?P<rest>.*)$",
          "sec", "s.", False, "3.—(1) Any person / 13. A police officer / 3. Heading.—(1)"),
]

#: a Markdown heading carries its own evidence: "### 118 Offence — trafficking in persons"
MARKDOWN_SECTION = _conv("markdown", r"^(?P<num>\d{1,4}[A-Z]{0,2})\.?(?P<sep>\s*[—–:-]?)\s+(?P<rest>\S.*)$",
                         "sec", "s.", False, "### 118 Offence — trafficking in persons")


@dataclass(frozen=True)
class SectionToken:
    """A section/article number found at the start of a line."""

    convention: SectionConvention
    num: str
    sep: str
    rest: str
    rest_offset: int  # where ``rest`` starts in the line
    word: str = ""    # the keyword as written ("SECTION", "Art."), empty for bare numbers

    @property
    def kind(self) -> str:
        return self.convention.kind

    @property
    def prefix(self) -> str:
        return self.convention.prefix

    @property
    def keyword(self) -> bool:
        return self.convention.keyword

    @property
    def form(self) -> str:
        """The convention and the case of its keyword: "SECTION 3:" and "Section 3" differ."""
        return f"{self.convention.name}:{'upper' if self.word.isupper() else 'other'}"


def normalise_num(num: str) -> str:
    """'26 -1' -> '26-1', 'PREMIER' -> '1', '129 -A' -> '129-A'; spaces before 'bis' are kept."""
    num = num.strip()
    if num.lower() in ("premier", "1er", "unique"):
        return "1" if num.lower() != "unique" else "unique"
    num = re.sub(r"\s*[-•]\s*", "-", num)
    num = re.sub(r"(?<=\d) (?=\d)", "", num)
    num = re.sub(r"\s*\.\s*(?=\d)", ".", num)
    num = re.sub(r"(\d)(bis|ter|qu[aá]ter|quinquies|sexies|septies|octies|nonies|decies)\b", r"\1 \2", num)
    return num


@functools.lru_cache(maxsize=8192)
def section_token(text: str, markdown: bool = False) -> SectionToken | None:
    """The section/article number that ``text`` starts with, if any (no sequence check here).

    Cached: every stage asks about the same lines (the result is read, never changed)."""
    convs = [MARKDOWN_SECTION] if markdown else []
    for conv in convs + SECTION_CONVENTIONS:
        m = conv.pattern.match(text)
        if not m:
            continue
        rest = m.group("rest") or ""
        sep = (m.group("sep") or "").strip()
        # prose that merely starts with the word ("Section 12 of the Act is amended")
        if conv.keyword and rest[:1].islower() and not sep:
            continue
        if conv.keyword and re.match(r"^(of|to|and|or|in|under|de|del|du|des|la|le)\b", rest) and not sep:
            continue
        word = m.group("kw") if "kw" in conv.pattern.groupindex else ""
        return SectionToken(conv, normalise_num(m.group("num")), sep, rest, m.start("rest") if rest else len(text),
                            word or "")
    return None


def sequence_key(num: str) -> tuple:
    """Order of section numbers: 12 < 12A < 13; 279.01 < 279.011 < 279.02; 342 < 342-1 < 343;
    145 bis < 145 ter; 9A.40.100 < 9A.40.110."""
    m = re.match(r"\d+", num)
    if not m:
        return (0,)
    key: list = [int(m.group())]
    for sep, digits, letters in re.findall(r"([.\-\s]*)(?:(\d+)|([A-Za-z]+))", num[m.end():]):
        if digits:
            # decimal parts compare as digit strings (279.011 falls between 279.01 and 279.02);
            # hyphenated ones as numbers (342-2 before 342-10)
            key.append(digits if "." in sep else digits.zfill(6))
        elif letters:
            key.append(letters.lower())
    return tuple(key)


# ----------------------------------------------------------------------------- sub-levels

#: sub-level markers: (style, regex); order matters where patterns overlap
#: number words a statute writes before the figure ("TRES (3) años", "three (3) years", "trois (3) ans")
NUMBER_WORDS = {w: i + 1 for i, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen "
    "nineteen twenty".split())}
NUMBER_WORDS.update({w: i + 1 for i, w in enumerate(
    "uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis diecisiete dieciocho "
    "diecinueve veinte".split())})
NUMBER_WORDS.update({w: i + 1 for i, w in enumerate(
    "un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept dix-huit dix-neuf "
    "vingt".split())})
NUMBER_WORDS.update({"una": 1, "une": 1, "veinticinco": 25, "treinta": 30, "twenty-five": 25, "thirty": 30, "trente": 30})

SUB_PATTERNS: list[tuple[str, re.Pattern]] = [
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
ROMAN_DOT_RE = re.compile(r"^([ivxlc]{2,6})\.\s+")
SUB_KIND = {
    "paren_num": "subsec", "num_dot": "subsec", "num_paren": "para", "roman_dash": "subdiv",
    "paren_alpha": "para", "alpha_paren": "para", "alpha_dot": "para", "paren_ualpha": "item",
    "paren_roman": "subpara", "roman_paren": "subpara", "roman_dot": "subpara",
    "num_degree": "point", "definition": "def",
}
ROMAN_OF = {"paren_alpha": "paren_roman", "alpha_paren": "roman_paren", "alpha_dot": "roman_dot"}
_ROMAN_RE = re.compile(r"^(?=[ivxlc]+$)m{0,3}(c[md]|d?c{0,3})(x[cl]|l?x{0,3})(i[xv]|v?i{0,3})$")


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


def is_roman(token: str) -> bool:
    return bool(token) and bool(_ROMAN_RE.match(token.lower()))


def int_to_roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                       (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += sym
            n -= value
    return out


def successor(label: str, style: str) -> str | None:
    """The label that follows ``label`` in its numbering style: (1)->(2), (a)->(b), (iv)->(v)."""
    if style in ("paren_num", "num_paren", "num_dot", "num_degree"):
        m = re.match(r"\d+", label)
        return str(int(m.group()) + 1) if m else None
    if style in ("paren_roman", "roman_paren", "roman_dot"):
        v = roman_to_int(label)
        return int_to_roman(v + 1) if v else None
    if style == "paren_ualpha":
        return chr(ord(label[-1]) + 1) if len(label) == 1 and label < "Z" else None
    if len(label) == 1 and label.isalpha() and label.lower() < "z":
        return chr(ord(label) + 1)
    if len(label) == 2 and label[0] == label[1]:  # (aa) -> (bb)
        return chr(ord(label[0]) + 1) * 2
    return None


FIRST_LABELS = {"paren_num": "1", "paren_alpha": "a", "paren_roman": "i", "paren_ualpha": "A"}


# ----------------------------------------------------------------------------- words and phrases

DEF_VERBS = (r"means|mean|includes|include|has the (?:same )?meaning|have the (?:same )?meaning|refers to|shall mean|"
             r"désigne|désignent|s['’]entend(?:ent)?|signifie|est|se entiende|se entenderá|significa|es")
DEF_QUOTED_RE = re.compile(
    r"^[“\"«‘']\s*(?P<term>[^“”\"«»]{1,80}?)\s*[”\"»’']\s*,?\s*"
    # '"trafficking in persons" or "traffics in persons" means': one definition of two forms of the term
    r"(?:(?:or|and|,)\s*[“\"«‘'][^“”\"«»]{1,80}?[”\"»’']\s*,?\s*)*(?:\([^)]{0,40}\)\s*)?"
    rf"(?:{DEF_VERBS})\b", re.IGNORECASE)
DEF_BARE_RE = re.compile(r"^(?P<term>[a-z][\w\s\-’']{0,60}?)\s+(?:means|includes|has the meaning|refers to)\b")

INTERPRETATION_RE = re.compile(
    r"(unless the context otherwise requires|in this (?:Act|Part|section|Law|Bill|Code)[^.]{0,40}(?:means|—|-|:)|"
    r"\binterpretation\b|\bdefinitions?\b|au sens de la présente|aux fins de la présente|on entend par|"
    r"les définitions ci-après|para (?:los )?efectos de (?:la presente|esta) ley|se entiende por)",
    re.IGNORECASE,
)
TOC_HEAD_RE = re.compile(r"^\s*(ARRANGEMENT OF (?:CLAUSES|SECTIONS|REGULATIONS|PROVISIONS)|TABLE OF (?:CONTENTS|PROVISIONS)|"
                         r"CONTENTS|SOMMAIRE|TABLE DES MATI[EÈ]RES|[IÍ]NDICE|ÍNDICE GENERAL)\s*:?\s*$", re.IGNORECASE)
ENACTING_RE = re.compile(r"(\bENACTED\b|\bBE IT ENACTED\b|^A BILL\b|It is hereby enacted|\bDECRETA\b|"
                         r"a délibéré et adopté|^An Act (?:to|for)\b|^AN ACT\b)")
#: words without which no line amends another law (a cheap test before AMENDING_RE)
AMENDING_HINTS = ("amend", "insert", "substitut", "repeal", "addition", "added", "sustit", "incorp", "modif",
                  "agr", "siguiente", "remplac", "complét", "rédigé", "inséré", "insérés")
#: a clause that amends another law and quotes the provision it inserts or substitutes
AMENDING_RE = re.compile(
    r"(hereby (?:repealed|amended|inserted)|following (?:new )?(?:sections?|articles?|subsections?|paragraphs?|"
    r"definitions?|part)\b[^.]{0,80}\b(?:inserted|substituted|added)|substitut(?:ed|ing) (?:therefor|for)|"
    r"is amended by|are amended by|by (?:the )?(?:insertion|substitution|addition) of|"
    r"sustit[uú]yese|incorp[oó]rase|modif[ií]case|agr[eé]gase|se (?:sustituye|modifica|incorpora|agrega)|"
    r"por el siguiente|est (?:remplacé|modifié|complété)|sont insérés|ainsi rédigé|est inséré)",
    re.IGNORECASE,
)
