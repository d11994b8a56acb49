"""The learned decision: per element group, is the element present, given rules and retrieval?

Why a learned layer on top of the rules: the rules are precise but blind to wording they were not
written for, and the covered/partial line is where most of their errors sit.  A logistic model per
element group (scikit-learn, stored as plain JSON in ``models/learned.json``; no pickle) reads the
rule outcome together with how close the statute's best provisions come to the element's exemplar
wordings (``retrieve.py``), whether they sit under a matching heading, in an anchored (trafficking)
provision, in a definition, and where in the text.  It then

- vetoes a rule match it finds too weak (probability under ``t_veto``: missing);
- turns a rule's "covered" into "partial" when it is not confident (under ``t_cov``): a wrong
  "covered" is worse than an honest "partial";
- finds an element the rules missed when retrieval is convincing (at or over ``t_add``), always as
  ``partial`` (never covered without the rules) and always quoting the retrieved provision.

The three thresholds are chosen by cross-validation by document inside the training documents
(nested inside any leave-one-document-out evaluation), never on the rows they are judged on.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .models import Element, Finding
from .retrieve import best_by_element as _best_by_element, candidates, excluded_mask, unit_scores

LEARNED_FEATURES = ["covered_rule", "partial_rule", "narrowed", "log_hits", "ret_top", "ret_hit",
                    "head_top", "top_anchored", "top_definition", "top_position", "log_cues", "offence_scope",
                    "statute", "ret_specific", "ret_element_z"]
# No feature compares an element with the statute's other elements (a median over them, the best unit
# anywhere): such features are collinear with ret_top and swung verdicts on short texts.
# ret_element_z is derived at fitting time: the best similarity measured against what this element
# usually scores in the training statutes (some elements' exemplars sit close to any trafficking text)
MIN_GROUP_ROWS = 60       # smaller groups use the pooled model
MIN_GROUP_MINORITY = 8
MAX_WRONG_COVERED = 0.02  # the target, kept on out-of-fold predictions when choosing thresholds
ADD_PRECISION = 0.8       # findings the rules missed must be right this often (out of fold)
ADD_MIN = 5
GRID = [round(v, 3) for v in np.arange(0.05, 0.951, 0.05)]


@dataclass
class ElementEvidence:
    """Features of one element in one corpus, with the candidates they were read from."""

    x: list[float]
    top: list  # retrieve.Candidate, best first


def element_features(ctx, elements: list[Element], exclude: frozenset[str] = frozenset()) -> dict[str, ElementEvidence]:
    """Learned-decision features of every (non-flag) element, leaving out exemplars from ``exclude``."""
    from .units import _eligible
    from .reference import load_catalogue, load_rules
    cols = {e.id: i for i, e in enumerate(load_catalogue())}
    rules = load_rules()["elements"]
    mask = excluded_mask(exclude) if exclude else None
    n = max(1, len(ctx.units))
    best_by_element = _best_by_element(ctx, mask)
    raw: dict[str, tuple] = {}
    for el in elements:
        if el.is_flag:
            continue
        scope = rules.get(el.id, {}).get("scope", "statute")
        elig = [u.index for u in ctx.units if _eligible(u, scope, ctx.statute)]
        top = candidates(ctx, el, cols[el.id], elig, k=3, mask=mask)
        out = ctx.outcomes.get(el.id)
        hit_units = sorted({h[0].index for h in out.hits}) if out else []
        ret_hit = 0.0
        if hit_units and getattr(ctx, "retrieval", None) is not None:
            ex, _ = unit_scores(ctx, el, cols[el.id], mask)
            ret_hit = float(ex[hit_units].max())
        raw[el.id] = (out, top, len(hit_units), ret_hit, scope)
    col_of = {eid: j for j, eid in enumerate(best_by_element[0])}
    feats = {}
    for eid, (out, top, n_hits, ret_hit, scope) in raw.items():
        level = out.level if out else 0
        best = top[0] if top else None
        u = ctx.units[best.unit_index] if best else None
        x = [float(level == 2), float(level == 1), float(bool(out and out.narrowed)), math.log1p(n_hits),
             best.score if best else 0.0, ret_hit,
             best.heading_sim if best else 0.0,
             # in scope as the rules read it: anchored, or any provision of a trafficking statute for
             # elements the whole statute can meet (a definition of 'child' need not name trafficking)
             float(bool(u and (u.anchored or (scope != "offence" and ctx.statute)))),
             float(bool(u and (u.provision.kind == "definition" or any(a.kind == "definition" for a in u.provision.ancestors())))),
             (best.unit_index / n) if best else 0.0, math.log1p(ctx.cue_counts.get(eid, 0)),
             float(scope == "offence"), float(ctx.statute)]
        # specificity: how much more the best provision resembles this element than any other one
        M = best_by_element[1]
        spec = 0.0
        if best is not None and M.size:
            row = M[best.unit_index]
            j = col_of[eid]
            others = np.delete(row, j)
            spec = float(row[j] - (others.max() if others.size else 0.0))
        x += [spec, 0.0]
        feats[eid] = ElementEvidence(x, top)
    return feats


# ----------------------------------------------------------------------------- fitting

@dataclass
class Row:
    document: str
    element: str
    group: str
    x: list[float]
    gold: str          # covered | partial | missing


def _fit_lr(X: np.ndarray, y: np.ndarray, C: float = 0.5) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=C, max_iter=2000)
    clf.fit((X - mean) / scale, y)
    return {"coef": [round(float(c), 6) for c in clf.coef_[0]], "intercept": round(float(clf.intercept_[0]), 6),
            "mean": [round(float(m), 6) for m in mean], "scale": [round(float(s), 6) for s in scale]}


_TOP = LEARNED_FEATURES.index("ret_top")
_Z = LEARNED_FEATURES.index("ret_element_z")


def _element_stats(rows: list[Row]) -> dict[str, list[float]]:
    by: dict[str, list[float]] = {}
    for r in rows:
        by.setdefault(r.element, []).append(r.x[_TOP])
    return {e: [round(float(np.mean(v)), 5), round(float(max(np.std(v), 0.02)), 5)] for e, v in by.items()}


def _with_z(x: list[float], element: str, stats: dict[str, list[float]]) -> list[float]:
    mu, sd = stats.get(element, [x[_TOP], 1.0])
    out = list(x)
    out[_Z] = (x[_TOP] - mu) / sd
    return out


def _fit_models(rows: list[Row]) -> dict[str, Any]:
    stats = _element_stats(rows)
    rows = [Row(r.document, r.element, r.group, _with_z(r.x, r.element, stats), r.gold) for r in rows]
    X = np.asarray([r.x for r in rows], dtype=float)
    y = np.asarray([r.gold != "missing" for r in rows], dtype=int)
    groups = np.asarray([r.group for r in rows])
    out = {"pooled": _fit_lr(X, y), "groups": {}, "element_stats": stats}
    for g in sorted(set(groups)):
        sel = groups == g
        pos = int(y[sel].sum())
        if sel.sum() >= MIN_GROUP_ROWS and min(pos, int(sel.sum()) - pos) >= MIN_GROUP_MINORITY:
            out["groups"][str(g)] = _fit_lr(X[sel], y[sel])
    return out


def probability(models: dict[str, Any], group: str, x: list[float], element: str = "") -> float:
    x = _with_z(x, element, models.get("element_stats", {}))
    m = models["groups"].get(group) or models["pooled"]
    z = m["intercept"] + sum(w * (v - mu) / s for w, v, mu, s in zip(m["coef"], x, m["mean"], m["scale"]))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def apply_thresholds(level: np.ndarray, prob: np.ndarray, t_veto: float, t_cov: float, t_add: float) -> np.ndarray:
    """Predicted status (2 covered, 1 partial, 0 missing) from rule level and probability."""
    pred = level.copy()
    pred[(level >= 1) & (prob < t_veto)] = 0
    pred[(level == 2) & (prob >= t_veto) & (prob < t_cov)] = 1
    pred[(level == 0) & (prob >= t_add)] = 1
    return pred


def _objective(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """(present/absent F1 + macro-F1, wrong-covered rate)."""
    pp, gp = pred >= 1, gold >= 1
    tp, fp, fn = int((pp & gp).sum()), int((pp & ~gp).sum()), int((~pp & gp).sum())
    pa = 2 * tp / max(1, 2 * tp + fp + fn)
    f1s = []
    for c in (0, 1, 2):
        t = int(((pred == c) & (gold == c)).sum())
        d = int((pred == c).sum()) + int((gold == c).sum())
        if d:
            f1s.append(2 * t / d)
    wrong = int(((pred == 2) & (gold == 0)).sum()) / max(1, int((gold == 0).sum()))
    return pa + float(np.mean(f1s)), wrong


def choose_thresholds(level: np.ndarray, prob: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    """Thresholds from out-of-fold rows.

    ``t_veto`` and ``t_cov`` maximise present/absent F1 + macro-F1 with wrong-'covered' at most 2%.
    ``t_add`` is the lowest threshold at which findings the rules missed were right (present in the
    gold) at least ``ADD_PRECISION`` of the time, over at least ``ADD_MIN`` of them; otherwise the model
    adds nothing.  A finding nobody's rules support must earn its place on its own precision.
    """
    best = (-1.0, {"t_veto": 0.0, "t_cov": 0.0})
    for tv in [0.0] + GRID:
        for tc in [t for t in [0.0] + GRID if t >= tv]:
            obj, wrong = _objective(apply_thresholds(level, prob, tv, tc, 1.01), gold)
            if wrong <= MAX_WRONG_COVERED and obj > best[0] + 1e-9:
                best = (obj, {"t_veto": float(tv), "t_cov": float(tc)})
    t_add = 1.01
    missed = level == 0
    for ta in GRID:
        sel = missed & (prob >= ta)
        if sel.sum() >= ADD_MIN and (gold[sel] >= 1).mean() >= ADD_PRECISION:
            t_add = float(ta)
            break
    return {**best[1], "t_add": t_add}


_LEVEL = {"covered": 2, "partial": 1, "missing": 0}


def fit(rows: list[Row]) -> dict[str, Any]:
    """Models on all rows; thresholds from leave-one-document-group-out probabilities inside them."""
    from .retrieve import document_group
    models = _fit_models(rows)
    docs = np.asarray([document_group(r.document) for r in rows])
    prob = np.zeros(len(rows))
    for d in sorted(set(docs)):
        held = docs == d
        train = [r for r, h in zip(rows, held) if not h]
        inner = _fit_models(train)
        prob[held] = [probability(inner, r.group, r.x, r.element) for r, h in zip(rows, held) if h]
    level = np.asarray([2 if r.x[0] else (1 if r.x[1] else 0) for r in rows])
    gold = np.asarray([_LEVEL.get(r.gold, 0) for r in rows])
    out = {"features": LEARNED_FEATURES, **models, **choose_thresholds(level, prob, gold),
           "training_documents": sorted({r.document for r in rows}), "rows": len(rows)}
    return out


# ----------------------------------------------------------------------------- use

def learned_path() -> Path:
    from .modelfile import calibration_path
    return calibration_path().parent / "learned.json"


def load_learned(path: Path | None = None) -> dict[str, Any] | None:
    from .modelfile import read_model_file
    return read_model_file(path or learned_path(), LEARNED_FEATURES)


def revise(findings: list[Finding], ctx, model: dict[str, Any] | None,
           exclude: frozenset[str] = frozenset()) -> list[Finding]:
    """Findings with the learned decision applied (unchanged without a model or retrieval)."""
    from .evidence import EXCEPTION_RE, pick_evidence as _pick_evidence, rationale as _rationale
    from .units import unit_evidence as _evidence
    from .reference import load_catalogue
    if not model or getattr(ctx, "retrieval", None) is None:
        return findings
    catalogue = {e.id: e for e in load_catalogue()}
    feats = element_features(ctx, [catalogue[f.element] for f in findings if f.element in catalogue], exclude)
    out = []
    for f in findings:
        el = catalogue.get(f.element)
        if el is None or el.is_flag or f.element not in feats:
            out.append(f)
            continue
        ev = feats[f.element]
        p = probability(model, el.group, ev.x, el.id)
        rule = ctx.outcomes.get(el.id)
        level = rule.level if rule else 0
        status = {2: "covered", 1: "partial", 0: "missing"}[
            int(apply_thresholds(np.asarray([level]), np.asarray([p]), model["t_veto"], model["t_cov"], model["t_add"])[0])]
        if level >= 1:
            rationale = _rationale(el, rule)
            if status == "missing":
                rationale = (f"Wording matched ({', '.join(rule.found) or 'a narrow form'}) but the learned decision judges it "
                             f"insufficient (p={p:.2f}); check the quoted provision.")
            elif status == "partial" and level == 2:
                rationale = (f"Partial: {'; '.join(rule.found)} found, but the learned decision is not confident the "
                             f"provision meets the full test (p={p:.2f}); check the quoted provision.")
            evidence = _pick_evidence(el, rule, ctx) if status != "missing" else []
        elif status == "partial" and ev.top:
            evidence = [_evidence(ctx.units[c.unit_index], None) for c in ev.top[:2]]
            best = ev.top[0]
            rationale = (f"Partial (found by semantic retrieval): the quoted provision resembles this element's wordings "
                         f"(similarity {best.exemplar_sim:.2f}) though the wording rules did not match; "
                         f"confirm that it meets the full test (p={p:.2f}).")
        else:
            status, evidence, rationale = "missing", [], f.rationale  # the rules found nothing either
        conf = p if status != "missing" else 1.0 - p
        exceptions = [e for e in evidence if EXCEPTION_RE.search(e.quote)] if status != "missing" else []
        out.append(Finding(f.element, status, conf, evidence, rationale, exceptions=exceptions))
    return out
