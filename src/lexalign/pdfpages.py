"""The pages a PDF says it has, against the pages that can be read.

pdfminer walks the page tree (``/Pages``, ``/Kids``) and leaves out a kid that is not a readable
page dictionary, without raising: a page whose object was overwritten vanishes from the text, and
the provisions on it with it.  ``ingest.read_pdf`` walks the tree again with this module to name
such pages in the document's warnings.
"""
from __future__ import annotations


def page_tree(document) -> list[bool]:
    """Walk the PDF's page tree (/Pages, /Kids) as pdfminer does: one entry per page it names,
    False where the page object cannot be read.  Empty when there is no page tree to walk.

    pdfminer skips a kid that is not a readable page dictionary without raising, so a page whose
    object was overwritten simply vanishes from the text; this walk is how it is noticed.
    """
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import LIT
    pages_lit, page_lit = LIT("Pages"), LIT("Page")
    try:
        root = document.catalog.get("Pages")
    except Exception:
        return []
    if root is None:
        return []
    out: list[bool] = []
    stack, seen = [root], set()
    while stack and len(out) < 100_000:
        ref = stack.pop()
        key = getattr(ref, "objid", None)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        try:
            node = resolve1(ref)
        except Exception:
            node = None
        if not isinstance(node, dict):
            out.append(False)
            continue
        kind = node.get("Type") or node.get("type")
        if kind is pages_lit and "Kids" in node:
            try:
                kids = resolve1(node["Kids"])
            except Exception:
                kids = None
            if isinstance(kids, list):
                stack.extend(reversed(kids))
            else:
                out.append(False)
        elif kind is page_lit:
            out.append(True)
        else:
            out.append(False)
    return out
