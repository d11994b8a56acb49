"""Training the learned reader (``make train``, ``lexalign train``), and its learning curve.

The training statutes are the shared gold documents (element verdicts by independent readers) with,
where there is one, their provision-level reading (``corpora/readings``).  Statutes set aside for the
final first-contact figure (``models/held-out.txt``) are never analysed here.  Reviews exported from
the workbench add their documents' verdicts as gold (``--reviews DB``).

Stage 2 learns from what stage 1 says of statutes it was not fitted on (out-of-fold, by document
group), so that it weighs the provision model as it will be on unseen law; its ``t_cov`` is chosen on
out-of-fold verdicts too.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from ..models import Document
from .features import Candidates, candidates, reader_elements
from .model import STATUSES, ProvisionModel, ReaderModel, decide_status, fit_boosted, fit_linear, priors_from
from .apply import element_x, read_element
from .readings import load_readings, locate

C_PROVISION = 0.05
C_ELEMENT = 0.3
NEGATIVE_SHARE = 0.25      # of the negatives outside each element's top ten and the rules' hits
MAX_WRONG_COVERED = 0.02


@dataclass
class TrainingDoc:
    stem: str
    ctx: object
    gold: dict[str, str]                 # element -> covered / partial / missing (non-flag elements)
    engine: dict[str, str]               # the rules' and calibration's verdicts (the reader's input)
    cand: Candidates
    labels: np.ndarray | None            # per candidate row: 0 none, 1 partly, 2 fully (None: no reading)
    narrowing: list[str] | None
    lost: int = 0
    rules_tuned: bool = False            # the wording rules were written while reading this statute


def rules_written_from(path: Path | None = None) -> set[str]:
    """The statutes the wording rules were written while reading (``models/rules-written-from.txt``)."""
    return held_out_stems(path or _models() / "rules-written-from.txt")


def _models() -> Path:
    from ..modelfile import models_dir
    return models_dir()


def held_out_stems(path: Path | None = None) -> set[str]:
    from ..modelfile import models_dir
    p = path or models_dir() / "held-out.txt"
    if not p.exists():
        return set()
    return {ln.split("#")[0].strip() for ln in p.read_text(encoding="utf-8").splitlines() if ln.split("#")[0].strip()}


def training_doc(stem: str, docs: list[Document], gold: dict[str, str], readings_path: Path | None,
                 raw_paths: list[Path]) -> TrainingDoc | None:
    from ..analysis import analyse
    from ..decision import decide
    ctx = analyse(docs)
    exclude = frozenset({stem})
    cand = candidates(ctx, exclude)
    if cand is None:
        return None
    engine = {f.element: f.status for f in decide(ctx, None, learned=False, exclude=exclude)}
    labels = narrowing = None
    lost = 0
    if readings_path is not None and readings_path.exists() and len(docs) == 1:
        where, lost = locate(load_readings(readings_path), raw_paths[0].read_text(encoding="utf-8"), ctx)
        labels = np.zeros(len(cand.units), dtype=np.int8)
        narrowing = ["none"] * len(cand.units)
        row_of = {(str(e), int(u)): i for i, (e, u) in enumerate(zip(cand.elements, cand.units))}
        for key, (level, nar) in where.items():
            i = row_of.get(key)
            if i is not None:
                labels[i] = level
                narrowing[i] = nar
    return TrainingDoc(stem, ctx, gold, engine, cand, labels, narrowing, lost)


def analyse_training(gold_dirs: list[str], corpus_dirs: list[str], readings: Path, skip: set[str],
                     progress: Callable[[str], None] | None = None) -> list[TrainingDoc]:
    from ..evaluate import find_documents, load_gold, load_national_corpora
    from ..ingest import ingest
    elements = {e.id for e in reader_elements()}
    tuned = rules_written_from()
    national = load_national_corpora()
    cdirs = [Path(c) for c in corpus_dirs]
    out = []
    for gdir in gold_dirs:
        for f in sorted(Path(gdir).glob("*.tsv")):
            if f.stem in skip:
                continue
            paths = find_documents(f.stem, cdirs, national)
            if paths is None:
                continue
            t = time.time()
            gold = {e: g["status"] for e, g in load_gold(f).items() if e in elements}
            doc = training_doc(f.stem, [ingest(p) for p in paths], gold, readings / f"{f.stem}.tsv", paths)
            if doc is not None:
                doc.rules_tuned = f.stem in tuned
                out.append(doc)
                if progress:
                    progress(f"{f.stem}: {len(doc.ctx.units)} provisions, "
                             f"{'reading' if doc.labels is not None else 'no reading'}, {time.time() - t:.1f} s")
    return out


# ----------------------------------------------------------------------------- fitting

def _sample(doc: TrainingDoc, rng: np.random.RandomState) -> np.ndarray:
    """Rows kept for stage 1: every labelled row, every rule hit and top-ten candidate, a share of the rest."""
    X, names = doc.cand.X, doc.cand.names
    hit = X[:, names.index("rule_hit")] > 0
    top10 = X[:, names.index("ret_rank_inv")] >= 1.0 / 10.5
    keep = (doc.labels > 0) | hit | top10 | (rng.random_sample(len(X)) < NEGATIVE_SHARE)
    return np.flatnonzero(keep)


def fit_provision(docs: list[TrainingDoc], seed: int = 0) -> ProvisionModel:
    rng = np.random.RandomState(seed)
    Xs, ys, ns = [], [], []
    for d in docs:
        if d.labels is None:
            continue
        rows = _sample(d, rng)
        Xs.append(d.cand.X[rows])
        ys.append(d.labels[rows])
        ns.extend(d.narrowing[i] for i in rows)
    X = np.vstack(Xs)
    y = np.concatenate(ys)
    states = fit_linear(X, (y > 0).astype(int), C_PROVISION)
    pos = y > 0
    full = fit_linear(X[pos], (y[pos] == 2).astype(int), C_PROVISION)
    part = np.flatnonzero(y == 1)
    labs = [ns[i] for i in part]
    narrowing = None
    if len(set(labs)) >= 2:
        narrowing = fit_linear(X[part], np.asarray(labs), C_PROVISION)
    return ProvisionModel(states, full, narrowing)


def _groups(docs: list[TrainingDoc], k: int, seed: int) -> dict[str, int]:
    from ..retrieve import document_group
    gs = sorted({document_group(d.stem) for d in docs})
    random.Random(seed).shuffle(gs)
    fold = {g: i % k for i, g in enumerate(gs)}
    return {d.stem: fold[document_group(d.stem)] for d in docs}


def _element_rows(doc: TrainingDoc, pm: ProvisionModel, priors: dict[str, list[float]]) -> tuple[list[list[float]], list[str]]:
    ps, pf = pm.predict(doc.cand.X)
    by_element = doc.cand.rows_by_element()
    X, eids = [], []
    for e in reader_elements():
        rows = by_element.get(e.id)
        if rows is None or e.id not in doc.gold:
            continue
        X.append(element_x(doc.cand, ps, pf, rows, doc.ctx.outcomes.get(e.id), doc.engine.get(e.id, "missing"),
                           priors[e.id], doc.rules_tuned))
        eids.append(e.id)
    return X, eids


def _priors_without(docs: list[TrainingDoc], stem: str) -> dict[str, list[float]]:
    from ..retrieve import document_group
    g = document_group(stem)
    return priors_from({d.stem: d.gold for d in docs if document_group(d.stem) != g}, [e.id for e in reader_elements()])


def stage2_data(docs: list[TrainingDoc], folds: int = 4, seed: int = 0):
    """Element rows whose stage-1 inputs come from provision models not fitted on their document."""
    fold = _groups(docs, folds, seed)
    X, y, who = [], [], []
    for k in range(folds):
        train = [d for d in docs if fold[d.stem] != k and d.labels is not None]
        held = [d for d in docs if fold[d.stem] == k]
        if not held or not train:
            continue
        pm = fit_provision(train, seed)
        for d in held:
            rows, eids = _element_rows(d, pm, _priors_without(docs, d.stem))
            X += rows
            y += [STATUSES.index(d.gold[e]) for e in eids]
            who += [(d.stem, e) for e in eids]
    return np.asarray(X, dtype=np.float32), np.asarray(y), who


def choose_t_cov(P: np.ndarray, y: np.ndarray) -> float:
    from ..evaluate import macro_f1
    best = (-1.0, 0.5)
    fallback = (9.9, 0.95)
    for t in np.arange(0.34, 0.951, 0.02):
        pred = np.asarray([STATUSES.index(decide_status(p, float(t))) for p in P])
        pres_p, pres_g = pred <= 1, y <= 1
        tp, fp, fn = int((pres_p & pres_g).sum()), int((pres_p & ~pres_g).sum()), int((~pres_p & pres_g).sum())
        pa = 2 * tp / max(1, 2 * tp + fp + fn)
        mf = macro_f1([(STATUSES[a], STATUSES[b]) for a, b in zip(y, pred)], STATUSES)
        wrong = int(((pred == 0) & (y == 2)).sum()) / max(1, int((y == 2).sum()))
        if wrong <= MAX_WRONG_COVERED and pa + mf > best[0]:
            best = (pa + mf, round(float(t), 2))
        fallback = min(fallback, (wrong, round(float(t), 2)))
    return best[1] if best[0] >= 0 else fallback[1]


def fit(docs: list[TrainingDoc], seed: int = 0, folds: int = 4) -> ReaderModel:
    """Both stages on ``docs``; stage 2 and ``t_cov`` from out-of-fold rows."""
    from .features import feature_names
    X2, y2, who = stage2_data(docs, folds, seed)
    element = fit_boosted(X2, y2, seed)
    fold = _groups(docs, folds, seed + 1)
    wf = np.asarray([fold[s] for s, _ in who])
    P = np.zeros((len(y2), 3))
    for k in sorted(set(wf.tolist())):
        tr, te = wf != k, wf == k
        if len(set(y2[tr].tolist())) == 3:
            P[te] = fit_boosted(X2[tr], y2[tr], seed).proba(X2[te])
    t_cov = choose_t_cov(P, y2)
    pm = fit_provision(docs, seed)
    dim = docs[0].cand.X.shape[1] - len(feature_names(0))
    return ReaderModel(pm, element, priors_from({d.stem: d.gold for d in docs}, [e.id for e in reader_elements()]),
                       t_cov, feature_names(dim),
                       {"training_documents": sorted(d.stem for d in docs),
                        "read_documents": sorted(d.stem for d in docs if d.labels is not None),
                        "provision_rows": int(sum(len(d.cand.units) for d in docs if d.labels is not None)),
                        "element_rows": int(len(y2))})


def predict_statuses(model: ReaderModel, doc: TrainingDoc) -> dict[str, str]:
    """The reader's verdicts on an analysed training document (for the learning curve)."""
    ps, pf = model.provision.predict(doc.cand.X)
    out = {}
    for eid, rows in doc.cand.rows_by_element().items():
        rule, engine = doc.ctx.outcomes.get(eid), doc.engine.get(eid, "missing")
        x = element_x(doc.cand, ps, pf, rows, rule, engine, model.priors[eid])
        out[eid] = read_element(model, x, ps[rows], pf[rows], rule, engine)[1]
    return out


def scores(pairs: list[tuple[str, str, str, str]]) -> dict[str, float]:
    """PA-F1, macro-F1 and wrong-covered over (document, element, gold, predicted) rows."""
    from ..evaluate import score
    from ..reference import load_catalogue
    group = {e.id: e.group for e in load_catalogue()}
    s = score([{"document": d, "element": e, "group": group[e], "gold": g, "pred": p, "prob": None, "evidence_ok": None}
               for d, e, g, p in pairs])
    return {k: s[k] for k in ("judgements", "present_f1", "macro_f1", "wrong_covered_rate")}


def learning_curve(docs: list[TrainingDoc], test: list[str], sizes: list[int], repeats: int = 3,
                   progress: Callable[[str], None] | None = None, leave_one_out: bool = True) -> list[dict]:
    """First-contact figures on ``test`` (statutes the rules were never written from) for readers
    trained on ``n`` of the other statutes (never a test statute), beside the rules alone on the same
    statutes; then each test statute read by a reader trained on every other statute, test statutes
    included (what the shipped reader is to a new statute)."""
    from ..retrieve import document_group
    tests = [d for d in docs if d.stem in test]
    tgroups = {document_group(d.stem) for d in tests}
    pool = [d for d in docs if document_group(d.stem) not in tgroups]
    rules = scores([(d.stem, e, g, d.engine.get(e, "missing")) for d in tests for e, g in d.gold.items()])
    out = [{"n": 0, "system": "rules alone", **rules}]
    for n in sizes:
        n = min(n, len(pool))
        for r in range(repeats if n < len(pool) else 1):
            train = random.Random(1000 * n + r).sample(pool, n)
            if not any(d.labels is not None for d in train):
                continue
            model = fit(train, seed=r, folds=min(4, max(2, n // 3)))
            rows = []
            for d in tests:
                pred = predict_statuses(model, d)
                rows += [(d.stem, e, g, pred.get(e, "missing")) for e, g in d.gold.items()]
            res = {"n": n, "repeat": r, "system": "learned reader", **scores(rows)}
            out.append(res)
            if progress:
                progress(f"curve n={n} repeat={r}: PA-F1 {res['present_f1']:.3f} macro-F1 {res['macro_f1']:.3f} "
                         f"wrong-covered {res['wrong_covered_rate']:.3f}")
    if leave_one_out:
        # the shipped reader's situation: every other statute in training, the other test statutes included
        rows = []
        for d in tests:
            g = document_group(d.stem)
            model = fit([x for x in docs if document_group(x.stem) != g])
            pred = predict_statuses(model, d)
            rows += [(d.stem, e, gd, pred.get(e, "missing")) for e, gd in d.gold.items()]
        res = {"n": len(docs) - 1, "system": "learned reader, all other statutes (leave one out)", **scores(rows)}
        out.append(res)
        if progress:
            progress(f"curve leave-one-out ({len(docs) - 1} statutes): PA-F1 {res['present_f1']:.3f} "
                     f"macro-F1 {res['macro_f1']:.3f} wrong-covered {res['wrong_covered_rate']:.3f}")
    return out


def reviewed_documents(db: str, progress: Callable[[str], None] | None = None) -> list[TrainingDoc]:
    """Training documents from the workbench's reviews: each reviewed statute's text (as the workbench
    stored it) with the verdicts reviewers agreed on as its gold (elements in dispute are left out)."""
    from ..errors import UsageError
    from ..ingest import ingest_bytes
    from ..reviews import gold_rows
    from ..store import Store
    if not Path(db).exists():
        raise UsageError(f"{db}: no such review database")
    store = Store(db, create=False)
    elements = {e.id for e in reader_elements()}
    out = []
    for sha in store.reviewed_documents():
        rows, _disputed = gold_rows(store, sha)
        gold = {r[0]: r[1] for r in rows if r[0] in elements}
        report = store.latest_report(sha)
        view = store.view(report["id"]) if report and report.get("id") else None
        texts = [d["text"] for d in (view or {}).get("documents", []) if d.get("text")]
        if not gold or not texts:
            continue
        docs = [ingest_bytes(t.encode("utf-8"), source=f"review-{sha[:12]}-{i}.txt") for i, t in enumerate(texts)]
        doc = training_doc(f"review-{sha[:12]}", docs, gold, None, [])
        if doc is not None:
            out.append(doc)
            if progress:
                progress(f"reviewed statute {sha[:12]}: {len(gold)} reviewed element(s)")
    return out
