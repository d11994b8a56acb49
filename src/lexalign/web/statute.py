"""The statute as the pages show it: provisions as blocks, the words a verdict rests on marked.

Every character of the text is escaped here, once; the templates receive the result as markup.
Marks are cut at provision boundaries and wherever two pieces of evidence overlap, so one
stretch of text can support several findings (``data-el`` lists them all).
"""
from __future__ import annotations

import html
from typing import Any, Iterable

from markupsafe import Markup

#: when one stretch of text supports findings of different statuses, the mark shows the gravest
MARK_PRIORITY = {"raised": 3, "covered": 2, "partial": 1}


def evidence_marks(findings: Iterable[dict[str, Any]], source: str) -> list[tuple[int, int, str, str]]:
    """(start, end, element, status) for every quoted piece of evidence in ``source``."""
    marks = []
    for f in findings:
        if f["status"] not in MARK_PRIORITY:
            continue  # a missing element or an unraised flag rests on no words of the text
        for ev in f.get("evidence", []):
            if ev.get("source", source) == source and ev["end"] > ev["start"]:
                marks.append((ev["start"], ev["end"], f["element"], f["status"]))
    return marks


def statute_html(text: str, spans: list[dict[str, Any]], marks: list[tuple[int, int, str, str]],
                 prefix: str = "d0", span_class: dict[str, str] | None = None,
                 anchors: list[dict[str, Any]] | None = None, edits: list[tuple[int, int, str]] | None = None,
                 span_label: dict[str, str] | None = None) -> Markup:
    """The text as escaped HTML: ``<div class=prov>`` per provision span, ``<mark>`` per evidence.

    ``span_class`` adds a class to some provisions by citation (the comparison page marks changed,
    new and renumbered ones) and ``span_label`` a visible label ("s. 7 → s. 8"); ``anchors`` are
    empty targets for sub-provisions (``s. 4(2)``) that a reader can go to; ``edits`` are
    ``(start, end, "ins"|"del")`` word changes of a redline.  Highlighted words can take the
    keyboard's focus (``tabindex``), since a click on them is how a reader finds their finding.
    """
    span_class = span_class or {}
    span_label = span_label or {}
    anchors = sorted(anchors or [], key=lambda a: a["start"])
    edits = sorted(edits or [])
    n = len(text)
    cuts = {0, n}
    for s in spans:
        cuts.update((max(0, min(n, s["start"])), max(0, min(n, s["end"]))))
    for a, b, _, _ in marks:
        cuts.update((max(0, min(n, a)), max(0, min(n, b))))
    for a, b, _ in edits:
        cuts.update((max(0, min(n, a)), max(0, min(n, b))))
    for a in anchors:
        cuts.add(max(0, min(n, a["start"])))
    points = sorted(cuts)
    ai = 0
    blocks = sorted(spans, key=lambda s: s["start"])
    out: list[str] = []
    open_block: dict[str, Any] | None = None
    bi = 0
    for a, b in zip(points, points[1:]):
        if open_block is not None and a >= open_block["end"]:
            out.append("</div>")
            open_block = None
        if open_block is None:
            while bi < len(blocks) and blocks[bi]["end"] <= a:
                bi += 1
            if bi < len(blocks) and blocks[bi]["start"] <= a < blocks[bi]["end"]:
                open_block = blocks[bi]
                bi += 1
                cls = " ".join(filter(None, ["prov", span_class.get(open_block["citation"], "")]))
                label = span_label.get(open_block["citation"], open_block["citation"])
                out.append(f'<div class="{cls}" id="{html.escape(prefix)}-{html.escape(open_block["eid"])}" '
                           f'data-citation="{html.escape(open_block["citation"])}">'
                           f'<span class="cite">{html.escape(label)}</span>')
        while ai < len(anchors) and anchors[ai]["start"] <= a:
            if anchors[ai]["start"] == a:
                out.append(f'<span class="anchor" id="{html.escape(prefix)}-{html.escape(anchors[ai]["eid"])}" '
                           f'data-citation="{html.escape(anchors[ai]["citation"])}"></span>')
            ai += 1
        piece = html.escape(text[a:b])
        edit = next((kind for s, e, kind in edits if s <= a and b <= e), None)
        if edit in ("ins", "del"):
            piece = f"<{edit}>{piece}</{edit}>"
        covering = [(el, st) for s, e, el, st in marks if s <= a and b <= e]
        if covering:
            status = max((st for _, st in covering), key=lambda st: MARK_PRIORITY[st])
            els = " ".join(dict.fromkeys(el for el, _ in covering))
            out.append(f'<mark class="ev {status}" data-el="{html.escape(els)}" tabindex="0" '
                       f'title="{html.escape(", ".join(dict.fromkeys(el for el, _ in covering)))}">{piece}</mark>')
        else:
            out.append(piece)
    if open_block is not None:
        out.append("</div>")
    return Markup("".join(out))
