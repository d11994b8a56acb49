"""Decision and calibration: from rule outcomes to findings with a confidence and quoted evidence.

A logistic model fitted on the gold annotations (cross-validated by document) turns the rule
outcome, the semantic similarity of the best units to the element and the catalogue cue counts into
a probability that the element is present.  It gives every verdict its confidence and can veto a
weak lexical match; it never creates coverage without a quotation.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from .budget import check_deadline
from .models import Element, Finding
from .reference import load_catalogue, load_rules
from .flags import evaluate_flag
from .evidence import EXCEPTION_RE, pick_evidence as _pick_evidence, rationale as _rationale
from .modelfile import calibration_path, read_model_file
from .units import CorpusContext, RuleOutcome, _eligible
from .units import unit_evidence as _evidence



# ----------------------------------------------------------------------------- features and calibration

FEATURES = ["covered_rule", "partial_rule", "log_hits", "best_hit_sim", "best_any_sim", "log_cues",
            "offence_scope", "narrowed"]


def feature_vector(element: Element, ctx: CorpusContext) -> list[float]:
    out = ctx.outcomes.get(element.id)
    rule = load_rules()["elements"].get(element.id, {})
    j = ctx.element_index.get(element.id)
    best_hit = best_any = 0.0
    if ctx.sims is not None and j is not None and ctx.sims.shape[0]:
        col = ctx.sims[:, j]
        scope = rule.get("scope", "statute")
        elig = [u.index for u in ctx.units if _eligible(u, scope, ctx.statute)]
        if elig:
            best_any = float(col[elig].max())
        if out and out.hits:
            best_hit = float(max(col[h[0].index] for h in out.hits))
    level = out.level if out else 0
    n_hits = len({h[0].index for h in out.hits}) if out else 0
    return [float(level == 2), float(level == 1), math.log1p(n_hits), best_hit, best_any,
            math.log1p(ctx.cue_counts.get(element.id, 0)), float(rule.get("scope") == "offence"),
            float(bool(out and out.narrowed))]


def load_calibration(path: Path | None = None) -> dict[str, Any] | None:
    return read_model_file(path or calibration_path(), FEATURES)


def present_probability(x: list[float], calib: dict[str, Any] | None) -> float:
    """P(element present) from the fitted logistic model, or a rule-only fallback."""
    if not calib:
        # without a fitted model, trust the rules (documented in the model card)
        return 0.85 if x[0] else (0.6 if x[1] else 0.1)
    z = calib["intercept"] + sum(w * (v - m) / s for w, v, m, s in
                                 zip(calib["coef"], x, calib["mean"], calib["scale"]))
    return 1.0 / (1.0 + math.exp(-z))


def decide(ctx: CorpusContext, elements: list[Element] | None = None,
           calib: dict[str, Any] | None = None, learned: dict[str, Any] | bool | None = None,
           exclude: frozenset[str] = frozenset()) -> list[Finding]:
    """Findings for the chosen elements from an analysed corpus.

    ``learned``: the learned stage over the rules when the corpus was analysed with embeddings: None
    loads the shipped learned reader (:mod:`lexalign.reader`), a ReaderModel uses that one, a dict is
    the older learned decision (:mod:`lexalign.learned`), False leaves learning out (rules only). ``exclude``: gold
    documents whose exemplars retrieval must not use (evaluation only).
    """
    calib = calib if calib is not None else load_calibration()
    threshold = calib.get("threshold", 0.5) if calib else 0.5
    elements = elements or list(load_catalogue())
    findings = []
    for el in elements:
        check_deadline()
        if el.is_flag:
            raised, units, why = evaluate_flag(el, ctx)
            rate = (calib or {}).get("flag_precision", {}).get("raised" if raised else "not_raised", 0.8)
            ev = [_evidence(u, None) for u in units[:3]]
            findings.append(Finding(el.id, "raised" if raised else "not_raised", rate, ev,
                                    why or "No wording conflicting with the Protocol on this point was found."))
            continue
        out = ctx.outcomes.get(el.id) or RuleOutcome(0, [], [], [])
        x = feature_vector(el, ctx)
        p = present_probability(x, calib)
        status = {2: "covered", 1: "partial", 0: "missing"}[out.level]
        rationale = _rationale(el, out)
        if status != "missing" and p < threshold:
            status = "missing"
            rationale = (f"Wording matched ({', '.join(out.found) or 'a narrow form'}) but the calibrated model "
                         f"judges it insufficient (p={p:.2f} < {threshold:.2f}); check the quoted provision.")
        conf = p if status != "missing" else 1.0 - p
        evidence = _pick_evidence(el, out, ctx) if status != "missing" or out.hits else []
        exceptions = [e for e in evidence if EXCEPTION_RE.search(e.quote)]
        if status == "missing":
            evidence = []
        findings.append(Finding(el.id, status, conf, evidence, rationale, exceptions=exceptions if status != "missing" else []))
    if learned is False:
        return findings
    if isinstance(learned, dict):
        # the learned decision of `lexalign calibrate` (leave-one-document-out refits it per fold)
        from .learned import revise
        return revise(findings, ctx, learned, exclude)
    from .reader.apply import revise as read
    from .reader.model import load as load_reader
    vecs = getattr(ctx, "unit_vecs", None)
    model = learned if learned is not None else (load_reader(dim=vecs.shape[1]) if vecs is not None else None)
    return read(findings, ctx, model, exclude)


def attach_similarities(ctx: CorpusContext, model: str | None = None) -> None:
    """Cosine similarity of the units a verdict can read to every element (see :mod:`lexalign.similarity`),
    and semantic retrieval over the same unit vectors (:mod:`lexalign.retrieve`): every provision a
    verdict can read is embedded once."""
    from .retrieve import attach_retrieval
    from .similarity import unit_similarities
    ctx.sims, ctx.unit_vecs = unit_similarities(ctx, model)
    attach_retrieval(ctx, model)
