"""The reader's two stages, fitted with scikit-learn and applied with numpy from plain JSON.

Stage 1 (provision): two logistic models over the candidate matrix, P(the provision states the
element) and P(fully | states), and a multinomial one over the narrowing readers name for a partial
provision ("only as an aggravation", "children only" ...).
Stage 2 (element): gradient-boosted trees (multinomial) that read what stage 1 says of the element's best
provisions beside the rules' own outcome and how often readers found the element at all
(its prior over the training statutes), and gives P(covered), P(partial), P(missing).

"covered" is said only at ``t_cov`` or over (chosen out of fold): a wrong "covered" is worse than an
honest "partial".  No pickle: the JSON holds arrays and names, checked against the code's features.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = "lexalign-reader/1"
STATUSES = ["covered", "partial", "missing"]
ELEMENT_FEATURES = ["p_state_1", "p_state_2", "p_full_1", "p_full_2", "p_state_any", "n_state",
                    "rule_covered", "rule_partial", "rule_narrowed", "engine_covered", "engine_partial",
                    "prior_covered", "prior_partial", "prior_missing", "ret_best", "rules_written_from_it"]


# ----------------------------------------------------------------------------- linear models as data

@dataclass
class Linear:
    """A standardised linear model: ``softmax/sigmoid(((x - mean) / scale) @ coef.T + intercept)``."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray        # classes x features (one row for a binary model)
    intercept: np.ndarray
    classes: list[str]

    def scores(self, X: np.ndarray) -> np.ndarray:
        return ((X - self.mean) / self.scale) @ self.coef.T + self.intercept

    def proba(self, X: np.ndarray) -> np.ndarray:
        """Binary: P(class 1) as a vector; multinomial: rows x classes."""
        z = self.scores(X)
        if z.shape[1] == 1:
            return 1.0 / (1.0 + np.exp(-np.clip(z[:, 0], -30, 30)))
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def to_json(self) -> dict[str, Any]:
        r = lambda a: np.round(np.asarray(a, dtype=float), 6).tolist()
        return {"mean": r(self.mean), "scale": r(self.scale), "coef": r(self.coef), "intercept": r(self.intercept),
                "classes": self.classes}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Linear":
        f = lambda k: np.asarray(d[k], dtype=np.float32)
        scale = f("scale")
        scale[scale == 0] = 1.0
        return cls(f("mean"), scale, np.atleast_2d(f("coef")), np.atleast_1d(f("intercept")), list(d["classes"]))


def fit_linear(X: np.ndarray, y: np.ndarray, C: float, class_weight: str | None = None) -> Linear:
    from sklearn.linear_model import LogisticRegression
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-6] = 1.0   # a constant column: leave it as it is (and never divide by a rounded zero)
    clf = LogisticRegression(C=C, max_iter=500, class_weight=class_weight)
    clf.fit((X - mean) / scale, y)
    return Linear(mean.astype(np.float32), scale.astype(np.float32), clf.coef_.astype(np.float32),
                  clf.intercept_.astype(np.float32), [str(c) for c in clf.classes_])


@dataclass
class Boosted:
    """Gradient-boosted trees (multinomial log-loss) as arrays: ``raw = init + rate * sum(trees)``.

    Why trees for the element stage: the rules' outcome means different things beside different
    provision probabilities (a rule's "covered" with no provision the reader believes is usually a
    false friend); a linear model cannot say "trust the rule only when the reader agrees".
    """

    init: np.ndarray                 # classes
    rate: float
    trees: list[list[dict[str, np.ndarray]]]   # stages x classes: {left, right, feature, threshold, value}
    classes: list[str]

    def proba(self, X: np.ndarray) -> np.ndarray:
        raw = np.tile(self.init.astype(np.float64), (len(X), 1))
        for stage in self.trees:
            for k, t in enumerate(stage):
                raw[:, k] += self.rate * _tree_value(t, X)
        raw -= raw.max(axis=1, keepdims=True)
        e = np.exp(raw)
        return e / e.sum(axis=1, keepdims=True)

    def to_json(self) -> dict[str, Any]:
        return {"kind": "boosted", "init": np.round(self.init, 8).tolist(), "rate": self.rate, "classes": self.classes,
                "trees": [[{k: (np.round(v, 8).tolist() if v.dtype.kind == "f" else v.tolist()) for k, v in t.items()}
                           for t in stage] for stage in self.trees]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Boosted":
        ints = ("left", "right", "feature")
        trees = [[{k: np.asarray(v, dtype=np.int64 if k in ints else np.float64) for k, v in t.items()} for t in stage]
                 for stage in d["trees"]]
        return cls(np.asarray(d["init"], dtype=np.float64), float(d["rate"]), trees, list(d["classes"]))


def _tree_value(t: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    node = np.zeros(len(X), dtype=np.int64)
    while True:
        inner = t["left"][node] >= 0
        if not inner.any():
            return t["value"][node]
        f = t["feature"][node[inner]]
        go_left = X[np.flatnonzero(inner), f] <= t["threshold"][node[inner]]
        node[inner] = np.where(go_left, t["left"][node[inner]], t["right"][node[inner]])


def fit_boosted(X: np.ndarray, y: np.ndarray, seed: int = 0) -> Boosted:
    from sklearn.ensemble import GradientBoostingClassifier
    clf = GradientBoostingClassifier(n_estimators=150, learning_rate=0.05, max_depth=3, subsample=0.8,
                                     random_state=seed).fit(X, y)
    trees = []
    for stage in clf.estimators_:
        trees.append([{"left": e.tree_.children_left.astype(np.int64), "right": e.tree_.children_right.astype(np.int64),
                       "feature": np.maximum(e.tree_.feature, 0).astype(np.int64),
                       "threshold": e.tree_.threshold.astype(np.float64),
                       "value": e.tree_.value[:, 0, 0].astype(np.float64)} for e in stage])
    model = Boosted(np.zeros(len(clf.classes_)), float(clf.learning_rate), trees, [str(c) for c in clf.classes_])
    # the initial raw score (the class priors' log-odds) is what the trees leave unexplained
    raw = clf.decision_function(X[:1])
    raw = raw if raw.ndim == 2 else np.column_stack([-raw, raw])
    tree_sum = np.zeros(len(clf.classes_))
    for stage in trees:
        for k, t in enumerate(stage):
            tree_sum[k] += model.rate * _tree_value(t, X[:1])[0]
    model.init = raw[0] - tree_sum
    return model


# ----------------------------------------------------------------------------- the reader

@dataclass
class ProvisionModel:
    states: Linear
    full: Linear
    narrowing: Linear | None

    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(P(states), P(states fully)) per candidate row."""
        ps = self.states.proba(X)
        return ps, ps * self.full.proba(X)

    def narrowing_of(self, x: np.ndarray) -> str:
        if self.narrowing is None:
            return ""
        p = self.narrowing.proba(x[None, :])
        return self.narrowing.classes[int(np.argmax(p[0]))] if p.ndim == 2 else ""


@dataclass
class ReaderModel:
    provision: ProvisionModel
    element: "Linear | Boosted"
    priors: dict[str, list[float]]     # element -> [covered, partial, missing] among training statutes
    t_cov: float
    features: list[str]
    meta: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "features": self.features, "element_features": ELEMENT_FEATURES,
                "provision": {"states": self.provision.states.to_json(), "full": self.provision.full.to_json(),
                              "narrowing": self.provision.narrowing.to_json() if self.provision.narrowing else None},
                "element": self.element.to_json(), "priors": self.priors, "t_cov": self.t_cov, **self.meta}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "ReaderModel":
        p = d["provision"]
        meta = {k: v for k, v in d.items() if k not in ("format", "features", "element_features", "provision",
                                                       "element", "priors", "t_cov")}
        return cls(ProvisionModel(Linear.from_json(p["states"]), Linear.from_json(p["full"]),
                                  Linear.from_json(p["narrowing"]) if p.get("narrowing") else None),
                   (Boosted.from_json(d["element"]) if d["element"].get("kind") == "boosted" else Linear.from_json(d["element"])),
                   d["priors"], float(d["t_cov"]), list(d["features"]), meta)


def element_row(ps: np.ndarray, pf: np.ndarray, rule_level: int, narrowed: bool, engine_status: str,
                prior: list[float], ret_best: float, rules_written_from_it: bool = False) -> list[float]:
    """Stage-2 features of one element from its candidates' stage-1 probabilities (any order).

    ``rules_written_from_it``: the wording rules were written while reading this statute (training
    only; always False for a statute being checked).  The rules look better on those statutes than
    they are on unseen law; marking them lets the element stage learn, from the training statutes the
    rules were never written from, how far to trust a rule's verdict on a new statute."""
    s = np.sort(ps)[::-1]
    f = np.sort(pf)[::-1]
    pad = lambda a, i: float(a[i]) if len(a) > i else 0.0
    any_ = 1.0 - float(np.prod(1.0 - s[:5])) if len(s) else 0.0
    return [pad(s, 0), pad(s, 1), pad(f, 0), pad(f, 1), any_, float((s > 0.5).sum()),
            float(rule_level == 2), float(rule_level == 1), float(narrowed),
            float(engine_status == "covered"), float(engine_status == "partial"), *prior, ret_best,
            float(rules_written_from_it)]


def decide_status(p: np.ndarray, t_cov: float) -> str:
    """covered / partial / missing from [P(covered), P(partial), P(missing)]: covered only at t_cov."""
    k = int(np.argmax(p))
    if k == 0 and p[0] < t_cov:
        k = 1
    return STATUSES[k]


#: the reader says "present" where the rules found nothing only when it believes one provision states
#: the element at least this much, and "covered" where the rules did not only when it believes one
#: provision states it fully this much: a verdict must rest on a provision, not on how often the
#: element is met in other statutes
SUPPORT = 0.5


def supported(status: str, engine_status: str, p_state_best: float, p_full_best: float,
              rule_narrowing: bool = False) -> str:
    """``status`` held back to what the provisions support (see :data:`SUPPORT`).

    ``rule_narrowing``: the rules found the element only partly, and can say how (a component not
    found, a closed list, only as an aggravation, only for children); the reader, which cannot see
    why, does not overturn that into "covered": a wrong "covered" is worse than an honest "partial"."""
    if status == "covered" and engine_status != "covered" and (p_full_best < SUPPORT or rule_narrowing):
        status = "partial"
    if status == "partial" and engine_status == "missing" and p_state_best < SUPPORT:
        status = "missing"
    return status


def priors_from(gold_by_doc: dict[str, dict[str, str]], elements: list[str], alpha: float = 0.5) -> dict[str, list[float]]:
    out = {}
    for e in elements:
        c = np.full(3, alpha)
        for g in gold_by_doc.values():
            if e in g:
                c[STATUSES.index(g[e])] += 1
        out[e] = [round(float(v), 4) for v in c / c.sum()]
    return out


# ----------------------------------------------------------------------------- files

def reader_path() -> Path:
    from ..modelfile import models_dir
    return models_dir() / "reader.json"


def save(model: ReaderModel, path: Path) -> None:
    path.write_text(json.dumps(model.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")


_LOADED: dict[str, ReaderModel | None] = {}


def load(path: Path | None = None, dim: int | None = None) -> ReaderModel | None:
    """The shipped reader, read once (lazily, at the first check that has embeddings), or None when
    absent, unreadable, of another format or fitted for other features."""
    p = path or reader_path()
    key = str(p)
    if key not in _LOADED:
        model = None
        try:
            d = json.loads(p.read_text(encoding="utf-8"))
            if d.get("format") == FORMAT and d.get("element_features") == ELEMENT_FEATURES:
                model = ReaderModel.from_json(d)
        except (OSError, ValueError, KeyError, TypeError):
            model = None
        _LOADED[key] = model
    m = _LOADED[key]
    if m is not None and dim is not None:
        from .features import feature_names
        if m.features != feature_names(dim):
            return None
    return m
