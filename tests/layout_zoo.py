"""A layout zoo: the same provision tree printed in the drafting conventions of many statute books.

``render(tree, convention, toc=..., furniture=...)`` prints a tree of sections (with subsections,
paragraphs, sub-paragraphs and definitions) as, for instance::

    Trafficking in persons                      3. Trafficking in persons.—(1) Any person ...
    3.—(1) Any person who recruits ...          (2) The means ...
    (2) The means referred to are—

    SECTION 3 — Trafficking in persons          Artículo 3.- Trafficking in persons
    (1) Any person who recruits ...             (1) Any person who recruits ...

optionally after a table of contents, and with running heads and page numbers between lines as a
PDF export leaves them.  ``tree_of(provisions)`` turns a segmented statute into such a tree, so
the zoo can also be fed from real statutes; ``BUILTIN`` is a small tree that needs no corpus.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lexalign.numbering import SUB_PATTERNS, section_token


@dataclass
class ZooNode:
    kind: str          # section | subsection | paragraph | subparagraph | definition
    num: str           # "3", "1", "a", "i"; for a definition its term
    text: str          # own text without its number
    heading: str = ""
    children: list["ZooNode"] = field(default_factory=list)

    def walk(self, depth: int = 0):
        yield self, depth
        for c in self.children:
            yield from c.walk(depth + 1)


def _n(kind, num, text, *children, heading=""):
    return ZooNode(kind, num, text, heading, list(children))


BUILTIN: list[ZooNode] = [
    _n("section", "1", "This Act may be cited as the Trafficking in Persons Act.", heading="Short title"),
    _n("section", "2", "In this Act—",
       _n("definition", "child", "“child” means a person under the age of eighteen years;"),
       _n("definition", "exploitation", "“exploitation” includes—",
          _n("paragraph", "a", "slavery or practices similar to slavery;"),
          _n("paragraph", "b", "forced labour or services; and"),
          _n("paragraph", "c", "the removal of organs;")),
       _n("definition", "victim", "“victim” means a person against whom an offence is committed."),
       heading="Interpretation"),
    _n("section", "3", "",
       _n("subsection", "1", "Any person who recruits, transports or harbours another person for the purpose of "
          "exploitation commits an offence."),
       _n("subsection", "2", "The means referred to in subsection (1) are—",
          _n("paragraph", "a", "threat or use of force;"),
          _n("paragraph", "b", "deception; or"),
          _n("paragraph", "c", "abuse of a position of vulnerability.")),
       _n("subsection", "3", "A person convicted under this section is liable to imprisonment for twenty years."),
       heading="Offence of trafficking in persons"),
    _n("section", "4", "The consent of a victim to the intended exploitation is not a defence.",
       heading="Consent of victim irrelevant"),
    _n("section", "5", "",
       _n("subsection", "1", "Where the victim is a child the offender is liable to imprisonment for life."),
       _n("subsection", "2", "A court may in addition order—",
          _n("paragraph", "a", "the forfeiture of property used in the offence; and"),
          _n("paragraph", "b", "the payment of compensation to the victim for—",
             _n("subparagraph", "i", "medical costs;"),
             _n("subparagraph", "ii", "lost income."))),
       heading="Penalties where the victim is a child"),
    _n("section", "6", "A court has jurisdiction over an offence committed outside the country by a citizen.",
       heading="Jurisdiction"),
]


# ----------------------------------------------------------------------------- conventions

def _body_lines(node: ZooNode) -> list[str]:
    out = []
    for child in node.children:
        if child.kind == "definition":
            out.append(child.text)
        else:
            out.append(f"({child.num}) {child.text}".rstrip())
        out.extend(_body_lines(child))
    return out


def _own_then_body(sec: ZooNode) -> list[str]:
    return ([sec.text] if sec.text else []) + _body_lines(sec)


def _joined_first(sec: ZooNode) -> tuple[str, list[str]]:
    """The first line that follows the number on the same line, and the rest."""
    lines = _own_then_body(sec)
    return (lines[0], lines[1:]) if lines else ("", [])


def _heading_above_em_dash(sec: ZooNode) -> list[str]:
    first, rest = _joined_first(sec)
    sep = ".—" if first.startswith("(") else ". "
    return [sec.heading, f"{sec.num}{sep}{first}"] + rest


def _inline_heading_em_dash(sec: ZooNode) -> list[str]:
    first, rest = _joined_first(sec)
    return [f"{sec.num}. {sec.heading}.—{first}"] + rest


def _keyword(template: str, first_word: str | None = None):
    def render(sec: ZooNode) -> list[str]:
        num = first_word if (first_word and sec.num == "1") else sec.num
        return [template.format(n=num, h=sec.heading)] + _own_then_body(sec)
    return render


#: name -> (renderer, table-of-contents title, table entry template)
CONVENTIONS = {
    "heading above, 3.—(1)": (_heading_above_em_dash, "ARRANGEMENT OF SECTIONS", "{n}. {h}"),
    "3. Heading.—(1)": (_inline_heading_em_dash, "ARRANGEMENT OF SECTIONS", "{n}. {h}"),
    "Section 3.": (_keyword("Section {n}. {h}"), "TABLE OF PROVISIONS", "Section {n}. {h}"),
    "SECTION 3 —": (_keyword("SECTION {n} — {h}"), "CONTENTS", "SECTION {n} — {h}"),
    "§ 3.": (_keyword("§ {n}. {h}"), "CONTENTS", "§ {n}. {h}"),
    "Article 3 –": (_keyword("Article {n} – {h}"), "TABLE DES MATIÈRES", "Article {n} – {h}"),
    "Art. 3.-": (_keyword("Art. {n}.- {h}"), "SOMMAIRE", "Art. {n}.- {h}"),
    "Article premier": (_keyword("Article {n} – {h}", "premier"), "SOMMAIRE", "Article {n} – {h}"),
    "Artículo 3.-": (_keyword("Artículo {n}.- {h}"), "ÍNDICE", "Artículo {n}.- {h}"),
    "ARTÍCULO 3°.": (_keyword("ARTÍCULO {n}°. {h}"), "ÍNDICE", "ARTÍCULO {n}°. {h}"),
    "### 3 Heading (Markdown)": (_keyword("### {n} {h}"), "CONTENTS", "{n}. {h}"),
}

RUNNING_HEAD = "Trafficking in Persons Act 2016"


def render(tree: list[ZooNode], convention: str, toc: bool = False, furniture: bool = False,
           title: str = "TRAFFICKING IN PERSONS ACT") -> str:
    """The statute text of ``tree`` printed in ``convention``."""
    renderer, toc_title, entry = CONVENTIONS[convention]
    lines = [title]
    if toc:
        lines.append(toc_title)
        lines.extend(entry.format(n=s.num, h=s.heading) for s in tree)
    for sec in tree:
        lines.extend(renderer(sec))
    if furniture:
        lines = _with_page_furniture(lines)
    return "\n".join(lines) + "\n"


def _with_page_furniture(lines: list[str], every: int = 7) -> list[str]:
    """Running heads and page numbers every few lines, as a PDF export leaves them."""
    out: list[str] = []
    page = 1
    for i, line in enumerate(lines):
        if i and i % every == 0:
            out.extend([RUNNING_HEAD, f"- {page} -"] if page % 2 else [f"Page {page}", RUNNING_HEAD])
            page += 1
        out.append(line)
    out.extend([RUNNING_HEAD, f"- {page} -"])  # the last page's footer
    return out


def furniture_lines() -> set[str]:
    return {RUNNING_HEAD}


# ----------------------------------------------------------------------------- from real statutes

_TREE_KINDS = {"subsection", "paragraph", "subparagraph", "definition"}


def tree_of(provisions, doc_text: str, limit: int = 12) -> list[ZooNode]:
    """Sections of a segmented statute as zoo trees: sections with a heading, children of the kinds
    every convention prints alike, one line per provision."""
    out: list[ZooNode] = []
    for p in provisions:
        if p.kind != "section" or not p.heading or not re.fullmatch(r"\d{1,3}", p.num):
            continue
        if any(d.kind not in _TREE_KINDS for c in p.children for d in c.walk()):
            continue
        node = _section_node(p)
        if node is None:
            continue
        out.append(node)
        if len(out) >= limit:
            break
    return _renumber(out)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _section_node(p) -> ZooNode | None:
    lines = [ln.strip() for ln in p.text.split("\n") if ln.strip()]
    lines = [ln for ln in lines if _flat(ln) != _flat(p.heading)]
    own = ""
    if lines:
        tok = section_token(lines[0])
        if tok is None:
            return None
        own = _flat(" ".join([tok.rest] + lines[1:]))
        if own.startswith(p.heading):
            own = own[len(p.heading):].lstrip(" .—–-")
    heading = _flat(p.heading)
    # a marginal heading must read as one: a long note with a verb ("Minister may treat ...,
    # in respect of ...") printed above a section cannot be told apart from the text before it
    if not _clean(heading) or len(heading.split()) > 12 or re.search(r"\b(may|shall|must)\b", heading) \
            or (own and not _clean(own)):
        return None
    children = [_child_node(c) for c in p.children]
    if any(c is None for c in children):
        return None
    return ZooNode("section", p.num, own, heading, children)


def _child_node(p) -> ZooNode | None:
    text = _flat(p.text)
    if p.kind != "definition":
        for _, pattern in SUB_PATTERNS[:3]:
            m = pattern.match(text)
            if m:
                text = text[m.end():]
                break
        else:
            return None
    if not text or not _clean(text):
        return None
    children = [_child_node(c) for c in p.children]
    if any(c is None for c in children):
        return None
    return ZooNode(p.kind, p.term if p.kind == "definition" else p.num, text, "", children)


def _clean(text: str) -> bool:
    """Text that carries no numbering of its own at a line start, once moved to another layout."""
    return not re.search(r"(?:^|[.;:—–]\s)(?:\(\w{1,4}\)|\d+\.|§|Section \d|Article \d)", text) and len(text) < 1500


def _renumber(tree: list[ZooNode]) -> list[ZooNode]:
    """Consecutive numbers from 1, so that 'Article premier' and sequence checks apply."""
    for i, sec in enumerate(tree, 1):
        sec.num = str(i)
    return tree
