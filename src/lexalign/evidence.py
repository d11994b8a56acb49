"""Evidence for a finding: which provisions to quote, and the sentence that says why.

Shared by every stage that decides a verdict (the rules' calibration in :mod:`lexalign.decision`, the
learned decision, the learned reader), so that none of them has to import another to quote.
"""
from __future__ import annotations

import re

from .lexical import Hit
from .models import Element, Evidence
from .units import CorpusContext, RuleOutcome, Unit, _in_heading_line
from .units import unit_evidence as _evidence

EXCEPTION_RE = re.compile(r"\b(except|provided that|shall not apply|save that|unless|notwithstanding|sauf|"
                          r"à l'exception|ne s'applique pas|excepto|salvo|no se aplicará)\b", re.IGNORECASE)


def rationale(el: Element, out: RuleOutcome) -> str:
    if out.level == 2:
        base = "Covered: " + "; ".join(out.found) + " found in the quoted provision(s)."
    elif out.level == 1:
        if out.reason:
            base = f"Partial: {out.reason}."
        else:
            base = f"Partial: found {', '.join(out.found)}; not found: {', '.join(out.missing)}."
    else:
        base = "Missing: no provision states " + (", ".join(out.missing) if out.missing else "this element") + "."
    return base


def _in_heading(u: Unit, pos: int) -> bool:
    """Is ``pos`` in the provision's heading (printed as the first line of its text) or a title-like line?"""
    head = (u.provision.heading or "").strip()
    if head and u.text.lstrip().startswith(head) and pos < u.text.find(head) + len(head):
        return True
    return _in_heading_line(u.text, pos)


def pick_evidence(el: Element, out: RuleOutcome, ctx: CorpusContext, limit: int = 3) -> list[Evidence]:
    j = ctx.element_index.get(el.id)
    by_unit: dict[int, tuple[Unit, Hit]] = {}
    for u, h in out.hits:
        kept = by_unit.get(u.index)
        # a heading names a subject but states no rule: quote the body's words when they match too
        if kept is None or (_in_heading(u, kept[1].start) and not _in_heading(u, h.start)):
            by_unit[u.index] = (u, h)
    # one hit per component first, then by similarity to the element
    chosen: list[tuple[Unit, Hit]] = []
    seen_comp = set()
    ranked = sorted(by_unit.values(), key=lambda uh: -(float(ctx.sims[uh[0].index, j])
                                                       if ctx.sims is not None and j is not None else 0.0)
                    - (0.2 if uh[0].anchored else 0.0))
    for u, h in ranked:
        if h.component not in seen_comp:
            chosen.append((u, h))
            seen_comp.add(h.component)
    for uh in ranked:
        if len(chosen) >= limit:
            break
        if uh not in chosen:
            chosen.append(uh)
    chosen = sorted(chosen[:limit], key=lambda uh: (uh[0].doc.source, uh[0].start))
    return [_evidence(u, h) for u, h in chosen]
