"""Findings revised by the learned reader: the verdict it reads, quoting the provisions it rests on.

The rules' finding comes in (status, quoted hits, rationale); the reader's verdict goes out.  Where
both agree, the rules' quotations and reasoning stand.  Where the reader differs, the finding says so
in words a reviewer can check: which provisions it read, how sure it is, and (for a partial verdict)
the narrowing it sees.  A present verdict always quotes a provision: the rules' hits when there are
any, else the provisions the reader found most likely to state the element.
"""
from __future__ import annotations

import numpy as np

from ..evidence import EXCEPTION_RE
from ..models import Finding
from ..reference import load_catalogue
from ..units import unit_evidence
from .features import candidates
from .model import ReaderModel, decide_status, element_row, supported

NARROWING_WORDS = {
    "aggravation_only": "named only where the penalty rises", "children_only": "for children only",
    "adults_only": "for adults only", "separate_offence": "only in an offence other than trafficking",
    "sentencing_factor": "only as a sentencing consideration", "conditional": "only under a condition",
    "discretionary": "discretionary ('may')", "closed_list": "a closed list",
    "long_title_only": "only in the long title or objects", "foreign_victims_only": "for foreign victims only",
    "on_conviction_only": "only on conviction", "other": "narrower than the Protocol",
}


def revise(findings: list[Finding], ctx, model: ReaderModel | None,
           exclude: frozenset[str] = frozenset()) -> list[Finding]:
    """The findings with the reader's verdict on every non-flag element (unchanged without a model or
    embeddings)."""
    if model is None:
        return findings
    cand = candidates(ctx, exclude)
    if cand is None or cand.X.shape[1] != len(model.features):
        return findings
    ps, pf = model.provision.predict(cand.X)
    by_element = cand.rows_by_element()
    catalogue = {e.id: e for e in load_catalogue()}
    out = []
    for f in findings:
        el = catalogue.get(f.element)
        rows = by_element.get(f.element)
        if el is None or el.is_flag or rows is None or f.element not in model.priors:
            out.append(f)
            continue
        rule = ctx.outcomes.get(el.id)
        p, status = read_element(model, element_x(cand, ps, pf, rows, rule, f.status, model.priors[f.element]),
                                 ps[rows], pf[rows], rule, f.status)
        order = rows[np.argsort(-ps[rows])]
        out.append(_finding(f, el, status, p, order, ps, cand, model, ctx, rule))
    return out


def element_x(cand, ps: np.ndarray, pf: np.ndarray, rows: np.ndarray, rule, engine_status: str,
              prior: list[float], rules_tuned: bool = False) -> list[float]:
    """The element stage's features of one element from its candidate rows (see :func:`element_row`)."""
    ret = cand.X[rows, cand.names.index("ret_exemplar")]
    return element_row(ps[rows], pf[rows], rule.level if rule else 0, bool(rule and rule.narrowed), engine_status,
                       prior, float(ret.max()), rules_tuned)


def read_element(model: ReaderModel, x: list[float], ps_rows: np.ndarray, pf_rows: np.ndarray, rule,
                 engine_status: str) -> tuple[np.ndarray, str]:
    """[P(covered), P(partial), P(missing)] and the verdict, held to what the provisions support."""
    p = model.element.proba(np.asarray([x], dtype=np.float32))[0]
    status = supported(decide_status(p, model.t_cov), engine_status, float(ps_rows.max()), float(pf_rows.max()),
                       bool(rule and rule.level == 1))
    return p, status


def _finding(f: Finding, el, status: str, p: np.ndarray, order: np.ndarray, ps: np.ndarray, cand, model, ctx,
             rule) -> Finding:
    """``p``: the reader's [P(covered), P(partial), P(missing)] for the element."""
    conf = float(p[["covered", "partial", "missing"].index(status)])
    top = [int(r) for r in order[:2]]
    narrowing = ""
    if status == "partial":
        if rule and rule.level == 1 and rule.reason:
            narrowing = rule.reason
        elif top:
            narrowing = NARROWING_WORDS.get(model.provision.narrowing_of(cand.X[top[0]]), "")
    if status == f.status:
        return Finding(f.element, status, conf, f.evidence, f.rationale, exceptions=f.exceptions,
                       **_extra(f, narrowing))
    if status == "missing":
        why = (f"Missing: the learned reader finds no provision that states this element (best candidate "
               f"{_cite(ctx, cand, top)} at p={ps[top[0]]:.2f})" if top else "Missing: no provision states this element")
        if rule and rule.level:
            why += f"; the wording rules matched {', '.join(rule.found) or 'a narrow form'}, which it judges insufficient"
        return Finding(f.element, "missing", conf, [], why + ". Check the provisions the rules quoted.",
                       **_extra(f, ""))
    evidence = list(f.evidence)
    if not evidence:
        evidence = [unit_evidence(ctx.units[int(cand.units[r])], None) for r in top if ps[r] >= 0.2] or \
                   [unit_evidence(ctx.units[int(cand.units[top[0]])], None)]
    if status == "partial" and f.status == "covered":
        why = (f"Partial: the rules found {'; '.join(rule.found) if rule and rule.found else 'the element'}, but the "
               f"learned reader does not read the quoted provision(s) as meeting the full test "
               f"(p(covered)={p[0]:.2f})" + (f": {narrowing}" if narrowing else "") + ".")
    elif status == "partial":
        why = (f"Partial (read by the learned reader, not by the wording rules): {_cite(ctx, cand, top)} appears to "
               f"state this element (p={ps[top[0]]:.2f})" + (f", {narrowing}" if narrowing else "") +
               "; confirm against the quoted words.")
    else:
        why = (f"Covered (read by the learned reader): {_cite(ctx, cand, top)} states this element "
               f"(p={ps[top[0]]:.2f})" + (f"; the rules had it as {f.status}" if f.status != "missing" else "") + ".")
    exceptions = [e for e in evidence if EXCEPTION_RE.search(e.quote)]
    return Finding(f.element, status, conf, evidence, why, exceptions=exceptions, **_extra(f, narrowing))


def _extra(f: Finding, narrowing: str) -> dict:
    return {"narrowing": narrowing, "candidates": f.candidates}


def _cite(ctx, cand, top: list[int]) -> str:
    if not top:
        return "no provision"
    u = ctx.units[int(cand.units[top[0]])]
    return u.provision.citation or u.provision.eid
