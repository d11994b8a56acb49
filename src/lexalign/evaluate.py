"""Measuring lexalign against gold annotations, and fitting its calibration.

Gold files are TSVs (``element, status, evidence, note``), one per document; the file stem names
the document in the corpus folder.  Everything fitted (the logistic calibration and the decision
threshold) is evaluated leave-one-document-out with ``--cv``: the figures to quote.

A lexical baseline (an element is covered when any of its catalogue cues occurs) is scored the
same way, so the engine's figures always stand beside what a simple method gets.
"""
from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .align import FEATURES, CorpusContext, analyse, decide, feature_vector, present_probability
from .errors import UsageError
from .ingest import ingest
from .lexical import cue_matches
from .models import Finding
from .reference import load_catalogue

PRESENT = {"covered", "partial"}
STATUSES = ["covered", "partial", "missing"]


def load_gold(path: Path) -> dict[str, dict[str, str]]:
    """element -> {status, evidence, note} from one gold TSV."""
    out = {}
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row.get("element"):
                out[row["element"].strip()] = {"status": row["status"].strip(),
                                               "evidence": (row.get("evidence") or "-").strip(),
                                               "note": row.get("note") or ""}
    return out


def find_document(stem: str, corpus_dirs: list[Path]) -> Path | None:
    for d in corpus_dirs:
        for ext in (".txt", ".pdf", ".html", ".xml", ".docx"):
            cand = d / f"{stem}{ext}"
            if cand.exists():
                return cand
    return None


def national_corpora_path() -> Path:
    """The project's table of gold files that judge several instruments read together."""
    from .reference import corpora_dir
    return corpora_dir() / "national-corpora.tsv"


def load_national_corpora(path: Path | None = None) -> dict[str, list[str]]:
    """gold stem -> corpus file names, for gold that judges a national corpus (e.g. Cameroon's Law
    2011/024 read with its Penal Code): such gold has no single document of the same stem."""
    path = path or national_corpora_path()
    if not path.exists():
        return {}
    out = {}
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row.get("gold") and row.get("files"):
                out[row["gold"].strip()] = row["files"].split()
    return out


def find_documents(stem: str, corpus_dirs: list[Path], national: dict[str, list[str]]) -> list[Path] | None:
    """The document(s) a gold file judges: its namesake, or the files of a national corpus."""
    single = find_document(stem, corpus_dirs)
    if single is not None:
        return [single]
    names = national.get(stem)
    if not names:
        return None
    found = []
    for name in names:
        hit = next((d / name for d in corpus_dirs if (d / name).exists()), None)
        if hit is None:
            return None
        found.append(hit)
    return found


@dataclass
class DocResult:
    stem: str
    gold: dict[str, dict[str, str]]
    ctx: CorpusContext
    features: dict[str, list[float]]
    baseline: dict[str, str]


def analyse_gold(gold_dir: str, corpus_dirs: list[str], model: str | None = None,
                 progress=None) -> list[DocResult]:
    gdir = Path(gold_dir)
    if not gdir.is_dir():
        raise UsageError(f"{gold_dir}: gold folder not found")
    files = sorted(gdir.glob("*.tsv"))
    if not files:
        raise UsageError(f"{gold_dir}: no gold .tsv files")
    cdirs = [Path(c) for c in corpus_dirs]
    elements = [e for e in load_catalogue()]
    national = load_national_corpora()
    results = []
    for f in files:
        paths = find_documents(f.stem, cdirs, national)
        if paths is None:
            if progress:
                progress(f"skipping {f.name}: no document {f.stem}.* in the corpus folders")
            continue
        if progress:
            progress(f"analysing {' + '.join(p.name for p in paths)}")
        docs = [ingest(p) for p in paths]
        ctx = analyse(docs, model=model)
        feats = {e.id: feature_vector(e, ctx) for e in elements if not e.is_flag}
        results.append(DocResult(f.stem, load_gold(f), ctx, feats, baseline_statuses_corpus(docs)))
    if not results:
        raise UsageError("no gold file matched a document in the corpus folders")
    return results


def baseline_statuses_corpus(docs) -> dict[str, str]:
    """The cue baseline over a national corpus: an element found in any of its documents."""
    rank = {"missing": 0, "not_raised": 0, "covered": 1, "raised": 1}
    merged: dict[str, str] = {}
    for doc in docs:
        for eid, status in baseline_statuses(doc).items():
            if eid not in merged or rank[status] > rank[merged[eid]]:
                merged[eid] = status
    return merged


def baseline_statuses(doc) -> dict[str, str]:
    """Cue-matching baseline: covered when any catalogue cue of the element occurs."""
    counts = cue_matches(doc.text, doc.language if doc.language in ("en", "fr", "es") else "en")
    out = {}
    for e in load_catalogue():
        if e.is_flag:
            out[e.id] = "raised" if counts.get(e.id) else "not_raised"
        else:
            out[e.id] = "covered" if counts.get(e.id) else "missing"
    return out


# ----------------------------------------------------------------------------- fitting

def _training_rows(results: list[DocResult], exclude: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    X, y, levels, docs = [], [], [], []
    for r in results:
        if r.stem == exclude:
            continue
        for eid, x in r.features.items():
            g = r.gold.get(eid)
            if not g:
                continue
            X.append(x)
            y.append(1 if g["status"] in PRESENT else 0)
            levels.append(x[0] * 2 + x[1])
            docs.append(r.stem)
    return np.asarray(X, dtype=float), np.asarray(y), np.asarray(levels), docs


def _fit_logistic(Xa: np.ndarray, ya: np.ndarray) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression
    mean = Xa.mean(axis=0)
    scale = Xa.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=1.0, max_iter=1000)
    clf.fit((Xa - mean) / scale, ya)
    return {"features": FEATURES, "coef": clf.coef_[0].tolist(), "intercept": float(clf.intercept_[0]),
            "mean": mean.tolist(), "scale": scale.tolist()}


def _choose_threshold(probs: np.ndarray, lev: np.ndarray, ya: np.ndarray) -> float:
    """Lowest threshold with the best F1 among those keeping wrong 'covered' at or under 3%.

    A threshold of 0.0 means the model never vetoes what the rules found.
    """
    best_t, best_f1 = 0.0, -1.0
    n_missing = max(1, int((ya == 0).sum()))
    for t in [0.0] + [float(v) for v in np.arange(0.05, 0.95, 0.025)]:
        pred = (lev >= 1) & (probs >= t)
        tp = int((pred & (ya == 1)).sum())
        fp = int((pred & (ya == 0)).sum())
        fn = int((~pred & (ya == 1)).sum())
        f1 = 2 * tp / max(1, 2 * tp + fp + fn)
        wrong_cov = int(((lev == 2) & (probs >= t) & (ya == 0)).sum()) / n_missing
        if wrong_cov <= 0.03 and f1 > best_f1 + 1e-9:
            best_t, best_f1 = t, f1
    return best_t


def fit_calibration(results: list[DocResult], exclude: str | None = None) -> dict[str, Any]:
    """Logistic calibration of P(present) and the decision threshold, from gold.

    The logistic model gives every verdict its confidence. Whether it may also veto a rule match
    (the threshold) is itself chosen by leave-one-document-out inside the training documents:
    a threshold picked on the same rows the model was fitted on looks better than it is, and in
    practice vetoed correct findings on unseen statutes.
    """
    Xa, ya, lev, docs = _training_rows(results, exclude)
    calib = _fit_logistic(Xa, ya)
    # out-of-fold probabilities for choosing the threshold
    oof = np.zeros(len(ya))
    doc_arr = np.asarray(docs)
    for d in sorted(set(docs)):
        held = doc_arr == d
        if held.all() or len(set(ya[~held])) < 2:
            oof[held] = 1.0
            continue
        inner = _fit_logistic(Xa[~held], ya[~held])
        oof[held] = [present_probability(list(x), inner) for x in Xa[held]]
    best_t = _choose_threshold(oof, lev, ya)
    calib["threshold"] = round(best_t, 4)
    # flag precision, used as the confidence of flag verdicts
    flag_counts = Counter()
    for r in results:
        if r.stem == exclude:
            continue
        for f in decide(r.ctx, [e for e in load_catalogue() if e.is_flag], calib, learned=False):
            g = r.gold.get(f.element, {}).get("status")
            flag_counts[(f.status, g == f.status)] += 1
    calib["flag_precision"] = {
        s: round((flag_counts[(s, True)] + 1) / (flag_counts[(s, True)] + flag_counts[(s, False)] + 2), 3)
        for s in ("raised", "not_raised")}
    calib["training_documents"] = sorted(r.stem for r in results if r.stem != exclude)
    return calib


def learned_rows(results: list[DocResult], held_out: str | None = None):
    """Training rows for the learned decision, leaving out ``held_out``'s document group.

    Each document's features are computed without the exemplars taken from its own gold (and
    without the held-out document's), exactly as an unseen statute would be read.
    """
    from .learned import Row, element_features
    from .retrieve import document_group
    catalogue = {e.id: e for e in load_catalogue()}
    elements = [e for e in catalogue.values() if not e.is_flag]
    skip = document_group(held_out) if held_out else None
    rows = []
    for r in results:
        if skip and document_group(r.stem) == skip:
            continue
        exclude = frozenset({r.stem} | ({held_out} if held_out else set()))
        feats = element_features(r.ctx, elements, exclude)
        for eid, ev in feats.items():
            g = r.gold.get(eid)
            if g:
                rows.append(Row(r.stem, eid, catalogue[eid].group, ev.x, g["status"]))
    return rows


def fit_learned(results: list[DocResult], exclude: str | None = None) -> dict[str, Any] | None:
    """The learned decision fitted on the gold documents (all but ``exclude``'s group)."""
    from .learned import fit
    if not any(getattr(r.ctx, "retrieval", None) is not None for r in results):
        return None
    rows = learned_rows(results, exclude)
    if len({r.gold != "missing" for r in rows}) < 2:
        return None
    return fit(rows)


# ----------------------------------------------------------------------------- metrics

def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def macro_f1(pairs: list[tuple[str, str]], labels: list[str]) -> float:
    scores = []
    for lab in labels:
        tp = sum(1 for g, p in pairs if g == lab and p == lab)
        fp = sum(1 for g, p in pairs if g != lab and p == lab)
        fn = sum(1 for g, p in pairs if g == lab and p != lab)
        if tp + fp + fn == 0:
            continue
        scores.append(_f1(tp, fp, fn)[2])
    return float(np.mean(scores)) if scores else 0.0


def kappa(pairs: list[tuple[str, str]]) -> float:
    if not pairs:
        return 0.0
    n = len(pairs)
    po = sum(1 for g, p in pairs if g == p) / n
    gc = Counter(g for g, _ in pairs)
    pc = Counter(p for _, p in pairs)
    pe = sum(gc[k] * pc[k] for k in set(gc) | set(pc)) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def _section_key(citation: str) -> str:
    m = re.search(r"(?:s\.|art\.|cl\.|reg\.|§)\s*(\d+(?:[.\-]\d+)*(?:\s?(?:bis|ter|[A-C]))?)", citation)
    return m.group(1).strip().lower() if m else citation.strip().lower()


def evidence_agrees(finding: Finding, gold_evidence: str) -> bool | None:
    """Does any cited provision match a gold citation at section/article level?"""
    if gold_evidence in ("-", "") or not finding.evidence:
        return None
    gold_keys = {_section_key(part) for part in gold_evidence.split(";")}
    ours = {_section_key(e.citation) for e in finding.evidence}
    if any(k in ("long title", "title", "preamble") for k in gold_keys) and any(
            e.citation in ("preamble", "unnumbered text") for e in finding.evidence):
        return True
    return bool(gold_keys & ours)


def score(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Figures for a list of judgement rows {element, group, gold, pred, prob, evidence_ok}."""
    ordinary = [r for r in rows if r["group"] != "flag"]
    flags = [r for r in rows if r["group"] == "flag"]
    pa_tp = sum(1 for r in ordinary if r["gold"] in PRESENT and r["pred"] in PRESENT)
    pa_fp = sum(1 for r in ordinary if r["gold"] not in PRESENT and r["pred"] in PRESENT)
    pa_fn = sum(1 for r in ordinary if r["gold"] in PRESENT and r["pred"] not in PRESENT)
    p, rcl, f = _f1(pa_tp, pa_fp, pa_fn)
    gold_missing = [r for r in ordinary if r["gold"] == "missing"]
    wrong_cov = sum(1 for r in gold_missing if r["pred"] == "covered")
    ev = [r["evidence_ok"] for r in ordinary if r.get("evidence_ok") is not None]
    out = {
        "judgements": len(ordinary),
        "present_precision": round(p, 4), "present_recall": round(rcl, 4), "present_f1": round(f, 4),
        "macro_f1": round(macro_f1([(r["gold"], r["pred"]) for r in ordinary], STATUSES), 4),
        "kappa": round(kappa([(r["gold"], r["pred"]) for r in ordinary]), 4),
        "wrong_covered_rate": round(wrong_cov / len(gold_missing), 4) if gold_missing else 0.0,
        "flag_accuracy": round(sum(1 for r in flags if r["gold"] == r["pred"]) / len(flags), 4) if flags else None,
        "evidence_agreement": round(sum(ev) / len(ev), 4) if ev else None,
    }
    probs = [(r["prob"], r["gold"] in PRESENT) for r in ordinary if r.get("prob") is not None]
    out["precision_at_80_recall"] = precision_at_recall(probs, 0.8)
    return out


def precision_at_recall(probs: list[tuple[float, bool]], target: float) -> float | None:
    curve = pr_curve(probs)
    ok = [p for p, r, _ in curve if r >= target]
    return round(max(ok), 4) if ok else None


def pr_curve(probs: list[tuple[float, bool]]) -> list[tuple[float, float, float]]:
    """(precision, recall, threshold) points over the confidence that an element is present."""
    positives = sum(1 for _, y in probs if y)
    if not positives:
        return []
    pts = []
    ranked = sorted(probs, key=lambda t: -t[0])
    tp = fp = 0
    for prob, y in ranked:
        if y:
            tp += 1
        else:
            fp += 1
        pts.append((tp / (tp + fp), tp / positives, prob))
    return pts


def run_evaluation(results: list[DocResult], cv: bool, calib_path: Path | None = None,
                   learned: bool = True) -> dict[str, Any]:
    """Score the engine on gold. With ``cv`` everything fitted is refitted without each document
    (nested: thresholds are chosen inside the training documents); otherwise the shipped models.
    ``learned=False`` scores the rules and calibration alone (the engine before retrieval)."""
    from .align import load_calibration
    catalogue = {e.id: e for e in load_catalogue()}
    engine_rows, base_rows = [], []
    per_doc = {}
    shipped = load_calibration(calib_path) if not cv else None
    for r in results:
        calib = fit_calibration(results, exclude=r.stem) if cv else shipped
        # the shipped learned stage is the learned reader (decide loads it); leave-one-document-out refits
        # the older learned decision per fold (refitting the reader per fold is `make train`'s curve)
        if not learned:
            lmodel = False
        elif cv:
            lmodel = fit_learned(results, exclude=r.stem) or False
        else:
            lmodel = None
        findings = decide(r.ctx, None, calib, learned=lmodel, exclude=frozenset({r.stem}))
        doc_rows = []
        for f in findings:
            g = r.gold.get(f.element)
            if not g:
                continue
            e = catalogue[f.element]
            prob = None
            if not e.is_flag:
                prob = f.confidence if lmodel is not False else present_probability(r.features[f.element], calib)
                if lmodel is not False and f.status == "missing":
                    prob = 1.0 - f.confidence
            row = {"document": r.stem, "element": f.element, "group": e.group, "gold": g["status"],
                   "pred": f.status, "prob": prob, "evidence_ok": evidence_agrees(f, g["evidence"])
                   if f.status in PRESENT and g["status"] in PRESENT else None}
            engine_rows.append(row)
            doc_rows.append(row)
            base_rows.append({"document": r.stem, "element": f.element, "group": e.group, "gold": g["status"],
                              "pred": r.baseline.get(f.element, "missing"), "prob": None, "evidence_ok": None})
        per_doc[r.stem] = score(doc_rows)
    groups = sorted({row["group"] for row in engine_rows}, key=lambda g: list(
        dict.fromkeys(e.group for e in catalogue.values())).index(g))
    by_group = {}
    for g in groups:
        by_group[g] = {"engine": score([x for x in engine_rows if x["group"] == g]),
                       "baseline": score([x for x in base_rows if x["group"] == g])}
    by_element = {}
    for eid in catalogue:
        rows = [x for x in engine_rows if x["element"] == eid]
        if rows:
            by_element[eid] = {"agreement": round(sum(1 for x in rows if x["gold"] == x["pred"]) / len(rows), 3),
                               "pairs": [(x["document"], x["gold"], x["pred"]) for x in rows]}
    mode = "leave-one-document-out" if cv else "shipped models"
    return {"mode": mode + ("" if learned else ", rules and calibration only"),
            "documents": [r.stem for r in results],
            "engine": score(engine_rows), "baseline": score(base_rows),
            "by_group": by_group, "by_document": per_doc, "by_element": by_element,
            "rows": engine_rows}


def format_text(result: dict[str, Any]) -> str:
    e, b = result["engine"], result["baseline"]
    lines = [f"lexalign evaluation ({result['mode']}) on {len(result['documents'])} documents", "",
             f"{'':28s}{'engine':>10s}{'baseline':>10s}"]
    for key in ("present_f1", "present_precision", "present_recall", "macro_f1", "kappa",
                "wrong_covered_rate", "flag_accuracy", "evidence_agreement", "precision_at_80_recall"):
        ev, bv = e.get(key), b.get(key)
        fmt = lambda v: f"{v:10.3f}" if isinstance(v, (int, float)) else f"{'-':>10s}"
        lines.append(f"{key:28s}{fmt(ev)}{fmt(bv)}")
    lines += ["", f"{'group':22s}{'n':>5s}{'PA-F1':>8s}{'base':>8s}{'macroF1':>9s}{'base':>8s}{'kappa':>8s}{'wrongCov':>9s}{'P@80R':>8s}"]
    for g, v in result["by_group"].items():
        en, ba = v["engine"], v["baseline"]
        if g == "flag":
            lines.append(f"{g:22s}{en['judgements']:5d}  flag accuracy {en['flag_accuracy']:.3f} (baseline {ba['flag_accuracy']:.3f})")
            continue
        p80 = en["precision_at_80_recall"]
        lines.append(f"{g:22s}{en['judgements']:5d}{en['present_f1']:8.3f}{ba['present_f1']:8.3f}{en['macro_f1']:9.3f}"
                     f"{ba['macro_f1']:8.3f}{en['kappa']:8.3f}{en['wrong_covered_rate']:9.3f}"
                     f"{(p80 if p80 is not None else float('nan')):8.3f}")
    lines += ["", f"{'document':36s}{'PA-F1':>8s}{'macroF1':>9s}{'wrongCov':>9s}"]
    for d, v in result["by_document"].items():
        lines.append(f"{d:36s}{v['present_f1']:8.3f}{v['macro_f1']:9.3f}{v['wrong_covered_rate']:9.3f}")
    return "\n".join(lines) + "\n"


_TABLE_KEYS = ["judgements", "present_precision", "present_recall", "present_f1", "macro_f1", "wrong_covered_rate",
               "flag_accuracy", "evidence_agreement"]


def _md_row(name: str, v: dict[str, Any]) -> str:
    cells = [str(v["judgements"])] + [f"{v[k]:.3f}" if isinstance(v.get(k), (int, float)) else "" for k in _TABLE_KEYS[1:]]
    return f"| {name} | " + " | ".join(cells) + " |"


def format_first_contact(result: dict[str, Any], title: str = "First contact") -> str:
    """The per-document Markdown table of models/FIRST-CONTACT.md: overall, baseline, each document."""
    head = "| document | " + " | ".join(k.replace("_", " ") for k in _TABLE_KEYS) + " |"
    sep = "|" + "---|" * (len(_TABLE_KEYS) + 1)
    n = len(result["documents"])
    lines = [f"### {title} ({result['mode']}; {n} documents, {result['engine']['judgements']} judgements)", "",
             head, sep, _md_row("**engine**", result["engine"]), _md_row("keyword baseline", result["baseline"]), "",
             head, sep]
    lines += [_md_row(d, v) for d, v in sorted(result["by_document"].items())]
    lines += ["", "| group | judgements | present f1 | macro f1 | wrong covered rate |", "|---|---|---|---|---|"]
    for g, v in result["by_group"].items():
        e = v["engine"]
        if g != "flag":
            lines.append(f"| {g} | {e['judgements']} | {e['present_f1']:.3f} | {e['macro_f1']:.3f} | {e['wrong_covered_rate']:.3f} |")
    return "\n".join(lines) + "\n"


def write_pr_curves(result: dict[str, Any], path: str) -> dict[str, list]:
    """A PNG with one precision-recall curve per element group, and the numbers behind it."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curves = {}
    rows = [r for r in result["rows"] if r["prob"] is not None]
    groups = sorted({r["group"] for r in rows})
    fig, ax = plt.subplots(figsize=(8, 6))
    for g in groups:
        pts = pr_curve([(r["prob"], r["gold"] in PRESENT) for r in rows if r["group"] == g])
        if not pts:
            continue
        curves[g] = [(round(p, 4), round(r, 4), round(t, 4)) for p, r, t in pts]
        ax.plot([r for _, r, _ in pts], [p for p, _, _ in pts], label=g, linewidth=1.2)
    allpts = pr_curve([(r["prob"], r["gold"] in PRESENT) for r in rows])
    if allpts:
        curves["all"] = [(round(p, 4), round(r, 4), round(t, 4)) for p, r, t in allpts]
        ax.plot([r for _, r, _ in allpts], [p for p, _, _ in allpts], "k-", linewidth=2.5, label="all")
    ax.axvline(0.8, color="grey", linestyle=":")
    ax.set_xlabel("recall (element present)")
    ax.set_ylabel("precision")
    ax.set_ylim(0, 1.02)
    ax.set_title(f"lexalign precision-recall by group ({result['mode']})")
    ax.legend(fontsize=7, ncol=2, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return curves


def fit_and_write_models(results: list[DocResult], calibration_file: Path) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """What ``lexalign calibrate`` writes: calibration.json, learned.json, lodo.json and MODEL_CARD.md.

    Both models are fitted on all the given gold documents; the figures in the model card are
    leave-one-document-out with everything refitted per fold (development figures).
    """
    calib = fit_calibration(results)
    learned = fit_learned(results)
    cv = run_evaluation(results, cv=True)
    rules_cv = run_evaluation(results, cv=True, learned=False)
    folder = calibration_file.parent
    calibration_file.write_text(json.dumps(calib, indent=1) + "\n", encoding="utf-8")
    if learned:
        (folder / "learned.json").write_text(json.dumps(learned, indent=1) + "\n", encoding="utf-8")
    strip = lambda r: {k: v for k, v in r.items() if k != "rows"}
    (folder / "lodo.json").write_text(json.dumps({"learned": strip(cv), "rules_only": strip(rules_cv)}, indent=1,
                                                 default=str) + "\n", encoding="utf-8")
    fc_path = folder / "first-contact.json"
    first_contact = json.loads(fc_path.read_text(encoding="utf-8")) if fc_path.exists() else None
    (folder / "MODEL_CARD.md").write_text(model_card(calib, cv, learned, rules_cv, first_contact), encoding="utf-8")
    return calib, learned


def _figures(e: dict[str, Any]) -> str:
    return (f"present/absent F1 {e['present_f1']:.3f} (precision {e['present_precision']:.3f}, recall "
            f"{e['present_recall']:.3f}), macro-F1 {e['macro_f1']:.3f}, wrong-covered rate {e['wrong_covered_rate']:.3f}, "
            f"flag accuracy {e['flag_accuracy']:.3f}")


def model_card(calib: dict[str, Any], result: dict[str, Any] | None, learned: dict[str, Any] | None = None,
               rules_result: dict[str, Any] | None = None, first_contact: dict[str, Any] | None = None) -> str:
    """models/MODEL_CARD.md: what the models are, what they were fitted on, and their figures."""
    lines = ["# lexalign model card", "",
             "lexalign's verdicts rest on wording rules that quote the statute; two small fitted models sit on top "
             "(this card, written by `lexalign calibrate`), and the learned reader makes the shipped verdict from "
             "them (`models/READER_CARD.md`, written by hand after `make train`: its figures on statutes set aside "
             "come first there).", ""]
    if first_contact:
        e = first_contact["engine"]
        lines += ["## Headline: first-contact figures", "",
                  f"On {len(first_contact['documents'])} statutes the project had never seen "
                  f"({', '.join(first_contact['documents'])}), scored at first contact, before anything was changed "
                  f"because of them (`models/FIRST-CONTACT.md`): {_figures(e)}. "
                  f"Keyword baseline on the same statutes: {_figures(first_contact['baseline'])}.", ""]
    else:
        lines += ["## Headline: first-contact figures", "",
                  "See `models/FIRST-CONTACT.md`: figures on newly added statutes scored before any change prompted by "
                  "them (`lexalign evaluate --first-contact DIR`). Those are the figures to quote for unseen law.", ""]
    lines += ["## Calibration (`calibration.json`)", "",
              "A logistic regression (scikit-learn, C=1) that turns the outcome of an element's wording rules and the "
              "semantic similarity of its best units into the probability that the element is present. Plain JSON "
              "(coefficients, feature means and scales, threshold); no pickle.", "",
              f"**Features** ({len(calib['features'])}): " + ", ".join(f"`{f}`" for f in calib["features"]) + ".", "",
              f"**Decision threshold:** {calib['threshold']} (lowest threshold maximising present/absent F1 with wrong "
              "'covered' at most 3%, on out-of-fold probabilities inside the training documents). Used alone when no "
              "learned decision is shipped.", ""]
    if learned:
        lines += ["## Learned decision (`learned.json`)", "",
                  "Semantic retrieval (`retrieve.py`) scores every provision against each element's exemplar wordings "
                  "(`src/lexalign/data/exemplars.json`: catalogue definition and full test, the Protocol's words, the "
                  "nearest passages of UNTOC, CETS 197 and the OPSC, model provisions written by the team in English, "
                  "French and Spanish, and the provisions the development gold cites as evidence; built by "
                  "`scripts/build_exemplars.py`). A logistic regression per element group (pooled model for groups with "
                  f"fewer than 60 rows or 8 of the rarer class; C=0.5; groups with their own model: "
                  f"{', '.join(sorted(learned['groups'])) or 'none'}) reads the rule outcome with the retrieval "
                  "features and decides:", "",
                  f"- a rule match under p={learned['t_veto']} is vetoed (missing; 0.0 means never);",
                  f"- a rule's 'covered' under p={learned['t_cov']} becomes 'partial' (a wrong 'covered' is worse than an "
                  "honest 'partial');",
                  f"- an element the rules missed is reported as 'partial', quoting the retrieved provision, at "
                  f"p>={learned['t_add']} (1.01 means never: thresholds for such findings must have been right at least "
                  "80% of the time out of fold, else the model adds nothing).", "",
                  f"**Features** ({len(learned['features'])}): " + ", ".join(f"`{f}`" for f in learned["features"]) + ".", "",
                  "Thresholds are chosen on leave-one-document-out probabilities inside the training documents (nested "
                  "inside the leave-one-document-out evaluation below). Each training document's retrieval features are "
                  "computed without the exemplars quoted from its own gold (and, in evaluation, without those of the "
                  "document being scored). Plain JSON; no pickle.", ""]
    docs = (learned or calib)["training_documents"]
    lines += ["## Training data", "",
              f"{len(docs)} development gold documents: {', '.join(docs)}. English, French and Spanish; several are "
              "excerpts. The first-contact statutes above were neither read nor fitted on (see models/FIRST-CONTACT.md).", ""]
    if result:
        lines += ["## Development figures (leave-one-document-out, rules frozen)", "",
                  "Optimistic for unseen law: the rules were written while reading these documents.", "",
                  f"- engine with the learned decision: {_figures(result['engine'])};"]
        if rules_result:
            lines.append(f"- rules and calibration only: {_figures(rules_result['engine'])};")
        lines += [f"- keyword baseline: {_figures(result['baseline'])}.", "",
                  "| group | judgements | PA-F1 | " + ("rules-only PA-F1 | " if rules_result else "") + "macro-F1 | wrong covered |",
                  "|---|---|---|" + ("---|" if rules_result else "") + "---|---|"]
        for g, v in result["by_group"].items():
            if g == "flag":
                continue
            e = v["engine"]
            ro = f" {rules_result['by_group'][g]['engine']['present_f1']:.3f} |" if rules_result and g in rules_result["by_group"] else ""
            lines.append(f"| {g} | {e['judgements']} | {e['present_f1']:.3f} |{ro} {e['macro_f1']:.3f} | {e['wrong_covered_rate']:.3f} |")
        lines.append("")
    lines += ["## Limits", "",
              "Retrieval uses a small general-purpose sentence model (MiniLM); its similarity separates present from "
              "absent elements only weakly where the rules found nothing, so the learned decision mostly guards "
              "against wrong 'covered' verdicts. Figures on development data are not a guarantee on unseen statutes.", ""]
    return "\n".join(lines)
