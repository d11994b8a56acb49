"""Why an element is missing or partial: the provisions the engine looked at and what each lacked.

A "missing" verdict that shows nothing cannot be checked: a reviewer has to take the engine's word
that no provision states the element.  The engine has already looked at candidates by then (the
provisions where the element's rule matched some of its components, and, with embeddings, the
provisions whose wording comes closest to the element), so this module only reads them back out of
the analysed corpus.  It never changes a verdict: it runs after :func:`lexalign.decision.decide`.
"""
from __future__ import annotations

from typing import Any

from .models import Element, Finding
from .reference import load_catalogue, load_rules
from .units import CorpusContext, RuleOutcome, Unit, _eligible

#: how many provisions a finding lists as considered
MAX_CANDIDATES = 3


def considered(ctx: CorpusContext, element: Element, finding: Finding,
               k: int = MAX_CANDIDATES) -> list[dict[str, Any]]:
    """Up to ``k`` provisions considered for a missing or partial element, best first:
    ``{"provision", "citation", "source", "score", "found", "lacked"}``.

    ``score`` is the cosine similarity of the provision to the element (``None`` without
    embeddings); ``found`` and ``lacked`` name the components of the element's rule that the
    provision's own text does and does not state.
    """
    if element.is_flag or finding.status not in ("missing", "partial"):
        return []
    out = ctx.outcomes.get(element.id) or RuleOutcome(0, [], [], [])
    components = list(dict.fromkeys(out.found + out.missing))
    have: dict[int, set[str]] = {}
    for u, h in out.hits:
        have.setdefault(u.index, set()).add(h.component)
    j = ctx.element_index.get(element.id)
    sims = ctx.sims[:, j] if ctx.sims is not None and j is not None and ctx.sims.shape[0] else None
    score = (lambda u: float(sims[u.index])) if sims is not None else (lambda u: None)
    # a partial verdict's quoted provisions come first: what they lack is why the verdict is partial
    picked: list[Unit] = []
    # the provisions where the rule matched part of the element, then the nearest in wording
    by_index = {u.index: u for u in ctx.units}
    for idx in sorted(have, key=lambda i: -(score(by_index[i]) or 0.0)):
        picked.append(by_index[idx])
    if sims is not None and len(picked) < k:
        scope = load_rules()["elements"].get(element.id, {}).get("scope", "statute")
        seen = {u.index for u in picked}
        eligible = [u for u in ctx.units if u.index not in seen and _eligible(u, scope, ctx.statute)]
        picked += sorted(eligible, key=lambda u: -float(sims[u.index]))[:k - len(picked)]
    rows = []
    for u in picked[:k]:
        found = [c for c in components if c in have.get(u.index, set())]
        lacked = [c for c in components if c not in found] or [out.reason or "a match the calibrated model accepts"]
        s = score(u)
        rows.append({"provision": u.provision.eid, "citation": u.provision.citation, "source": u.doc.source,
                     "score": None if s is None else round(s, 4), "found": found, "lacked": lacked})
    return rows


def attach_candidates(ctx: CorpusContext, findings: list[Finding]) -> None:
    """Set ``candidates`` on every missing or partial element finding."""
    catalogue = {e.id: e for e in load_catalogue()}
    for f in findings:
        e = catalogue.get(f.element)
        if e is not None:
            f.candidates = considered(ctx, e, f)
