r"""Split a statute's text into provisions a lawyer would recognise.

Three small stages, each in its own module (after laws-africa's indigo pipelines):

1. layout evidence (``layout.py``): lines, a table of contents matched against the body, page
   furniture, side notes, and run-in markers of flattened extractions cut into lines;
2. numbering tokens (``numbering.py``): one table entry per drafting convention ("3.—(1)",
   "Section 3.", "SECTION 342-1:", "§ 1591.", "[§707-780]", "9A.40.100 -", "Article premier",
   "Artículo 129-A .-", "ARTÍCULO 3°.", "(1)", "(a)", "(i)", "1°", '"child" means');
3. tree assembly (``tree.py``): a stack that reads the tokens in order.

Then spans: every provision's own text runs from its start to its first child, so nothing is ever
dropped, and text that fits no numbering stays in an unnumbered block.  The parser never refuses
input.  When the result looks wrong (fewer sections than the table of contents lists, numbers
going backwards, most text outside any section) a warning naming the problem is added to
``Document.warnings``.

    >>> doc = Document("x.txt", "Short title\n1. This Act may be cited as the Act.\n"
    ...                "Offence\n2.—(1) Any person who recruits ...\n(2) A person ...")
    >>> [p.citation for p in flatten(segment(doc))]
    ['s. 1', 's. 2', 's. 2(1)', 's. 2(2)']
"""
from __future__ import annotations

import re

from .budget import check_deadline, every
from .language import provision_language
from .layout import Line, find_toc, margin_notes_after, page_furniture, split_lines, split_run_in
from .models import Document, Provision
from .numbering import GROUP_RANK, SECTION_RANK, is_roman, roman_to_int, section_token, sequence_key
from .tree import LayoutEvidence, Node, TreeBuilder, match_any_marker

__all__ = ["segment", "flatten", "provisions_to_text", "structure_warnings", "Line", "split_lines"]

_Node = Node  # the name older code used


# ----------------------------------------------------------------------------- public API

def segment(doc: Document) -> list[Provision]:
    """The provision tree of a document (top-level provisions, each with its children).

    Each provision carries the language of its own text (bilingual statutes interleave them).
    Warnings about structure that looks lost are added to ``doc.warnings`` (once).

    A document is segmented once: the tree is kept on the document (beside, not among, its
    fields) and given back while its text and language are the ones it was built from, so that
    ``check``, which reads the structure warnings before the analysis, and the workbench, which
    shows the provisions after it, do not pay for a second segmentation.  The stages only read
    the tree.
    """
    memo = doc.__dict__.get("_segmented")
    if memo is not None and memo[0] is doc.text and memo[1] == doc.language and memo[2] is doc.native_structure:
        return memo[3]
    tree = _segment(doc)
    doc.__dict__["_segmented"] = (doc.text, doc.language, doc.native_structure, tree)
    return tree


def _segment(doc: Document) -> list[Provision]:
    tree, toc_entries = _segment_structure(doc)
    check_deadline()
    for p in flatten(tree):
        p.language = provision_language(p.text, doc.language)
    for w in structure_warnings(doc, tree, toc_entries):
        if w not in doc.warnings:
            doc.warnings.append(w)
    return tree


def gather_evidence(doc: Document, lines: list[Line]) -> LayoutEvidence:
    """Facts about the drafting convention, read from the whole text before building.

    Articles are the text's own numbering when "Article N" lines are not a handful of
    cross-references ("Article 3 (d) of Protocol.") beside many plain "N." sections.
    """
    articles = numbered = 0
    for ln in lines[:4000]:
        tok = section_token(ln.text)
        if tok is None:
            continue
        if tok.kind == "art" and not tok.rest.startswith("("):
            articles += 1
        elif tok.convention.name == "number":
            numbered += 1
    return LayoutEvidence(keyword_articles=articles >= 1 and articles >= 0.3 * numbered, civil=doc.language in ("fr", "es"),
                    margin_notes_after=margin_notes_after(lines, match_any_marker))


def _segment_structure(doc: Document) -> tuple[list[Provision], list[str]]:
    if doc.native_structure:
        return _from_native(doc), []
    lines = split_lines(doc.text)
    toc = find_toc(lines)
    furniture = page_furniture(lines)
    body = [ln for i, ln in enumerate(lines) if i not in furniture and not (toc and toc.first <= i < toc.end)]
    body = split_run_in(body)
    builder = TreeBuilder(doc.language, gather_evidence(doc, body))
    toc_start = lines[toc.first].start if toc else None
    toc_done = False
    end_matter = _end_matter_start(body)
    tick = every(256)
    for k, line in enumerate(body):
        tick()
        if toc_start is not None and not toc_done and line.start > toc_start:
            _add_toc(builder, lines[toc.first])
            toc_done = True
        if k == end_matter:
            _add_closed(builder, line, "endnote")
            break
        builder.feed(line, body[k + 1] if k + 1 < len(body) else None, body[k + 2] if k + 2 < len(body) else None)
    if toc_start is not None and not toc_done:
        _add_toc(builder, lines[toc.first])
    return _finish(doc, builder.root), (toc.entries if toc else [])


def _add_toc(builder: TreeBuilder, head: Line) -> None:
    """The table of contents: one closed node; the body's sections are the sections."""
    _add_closed(builder, head, "toc")


def _add_closed(builder: TreeBuilder, head: Line, kind: str) -> None:
    """A closed node at the root whose words are not provisions (a table of contents, an explanatory memorandum)."""
    builder.close_to_root()
    node = Node(kind, "", kind, SECTION_RANK, head.start, heading=head.text.strip().title())
    node.parent = builder.root
    builder.root.children.append(node)


_END_MATTER = re.compile(r"\s*(?:explanatory (?:memorandum|notes?|statement)|(?:memorandum|statement) of objects and reasons|"
                         r"objects and reasons|exposición de motivos|exposé des motifs|notes? explicatives?)\W*$", re.IGNORECASE)
_NUMBERED_LINE = re.compile(r"\s*(?:section|article|artículo|art\.|§)?\s*\d+[A-Za-z]?(?:\.|\s*[(—–-])", re.IGNORECASE)


def _end_matter_start(body: list[Line]) -> int | None:
    """Where an explanatory memorandum after the enacted text begins (its "Clause 3: ..." restates, it enacts nothing).

    Only after the body has begun (numbered provisions before it, past the first third of the text):
    a memorandum or "exposición de motivos" placed before the articles is a preamble, kept as such.
    """
    numbered = 0
    for k, line in enumerate(body):
        if _END_MATTER.match(line.text) and numbered >= 3 and k > len(body) * 0.3:
            return k
        if _NUMBERED_LINE.match(line.text):
            numbered += 1
    return None


# ----------------------------------------------------------------------------- warnings

def structure_warnings(doc: Document, tree: list[Provision], toc_entries: list[str]) -> list[str]:
    """Name what looks lost: sections missing against the table of contents, numbers going
    backwards, or most of the text outside any numbered section."""
    provs = flatten(tree)
    own = [p for p in provs if p.kind in ("section", "article", "regulation", "rule")
           and not any(a.kind in ("section", "article", "regulation", "rule") for a in p.ancestors())
           and not any(a.kind == "schedule" for a in p.ancestors())]
    out: list[str] = []
    if toc_entries:
        found = {p.num for p in provs if p.kind in ("section", "article", "regulation", "rule")}
        missing = [n for n in dict.fromkeys(toc_entries) if n not in found]
        if missing:
            shown = ", ".join(missing[:8]) + (" ..." if len(missing) > 8 else "")
            out.append(f"structure: the table of contents lists {len(set(toc_entries))} sections but the body "
                       f"yields {len(set(toc_entries)) - len(missing)} of them (not found: {shown})")
    backwards = []
    for a, b in zip(own, own[1:]):
        if a.kind == b.kind and sequence_key(b.num) <= sequence_key(a.num) and a.parent is b.parent:
            backwards.append(f"{b.citation} follows {a.citation}")
    if backwards:
        out.append("structure: section numbers go backwards or repeat (" + "; ".join(backwards[:5])
                   + (" ..." if len(backwards) > 5 else "") + ")")
    total = len("".join(doc.text.split()))
    numbered = ("section", "article", "regulation", "rule")
    loose = sum(len("".join(p.text.split())) for p in provs
                if p.kind not in numbered and not any(a.kind in numbered for a in p.ancestors()))
    if total > 2000 and loose > 0.5 * total:
        out.append(f"structure: {round(100 * loose / total)}% of the text falls outside any numbered section "
                   f"or article; citations into it will be imprecise")
    return out


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
        pre = _Node("preface", "", "block", SECTION_RANK, 0)
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
    tick = every(256)
    for k, (node, depth) in enumerate(order):
        tick()
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
               "subsec": "subsection", "para": "paragraph", "sch_para": "paragraph", "subpara": "subparagraph", "def": "definition",
               "point": "point", "subdiv": "subdivision", "alinea": "alinea", "item": "item"}


def _kind_name(node: _Node) -> str:
    return _KIND_NAMES.get(node.kind, node.kind)


def _eid_num(num: str) -> str:
    num = num.strip().lower()
    return re.sub(r"[^a-z0-9à-ÿñ]+", "-", num).strip("-") or "x"


_EID_PREFIX = {"sec": "sec", "art": "art", "reg": "reg", "rule": "rule", "part": "part", "chp": "chp",
               "title": "title", "book": "book", "division": "dvs", "section_group": "sec-group",
               "subsection_group": "subsec-group", "paragraph_group": "para-group", "schedule": "sch",
               "subsec": "subsec", "para": "para", "sch_para": "para", "subpara": "subpara", "item": "item", "point": "point",
               "subdiv": "subdiv", "alinea": "al", "def": "def", "toc": "toc", "preface": "preface",
               "block": "block", "endnote": "endnote"}


def _eid(node: _Node, parent: Provision | None, used: dict[str, int]) -> str:
    prefix = _EID_PREFIX.get(node.kind, node.kind)
    num = node.num
    if node.kind in GROUP_RANK and node.kind != "schedule" and is_roman(num) and not re.fullmatch(r"[a-z]", num.lower()) or (
            node.kind in ("part", "chp", "title", "book") and num.isupper() and roman_to_int(num)):
        num = str(roman_to_int(num))
    if node.kind in ("toc", "preface", "block", "endnote"):
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
    if k == "sch_para":
        return f"{parent.citation}, para. {node.num}" if parent is not None else f"para. {node.num}"
    if k in ("sec", "art", "reg", "rule"):
        return f"{node.prefix} {node.num}".strip()
    if k in GROUP_RANK:
        label = {"part": "Part", "chp": "Chapter", "title": "Title", "book": "Book", "division": "Division",
                 "section_group": "Section", "subsection_group": "Sub-section", "paragraph_group": "Paragraph",
                 "schedule": "Schedule"}[k]
        return f"{label} {node.num}".strip()
    if k in ("toc", "preface", "block", "endnote"):
        return {"toc": "arrangement", "preface": "preamble", "block": "unnumbered text", "endnote": "explanatory memorandum"}[k]
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
                     "paragraph_group", "schedule", "toc", "preface", "block", "endnote"}


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
