"""Candidate evidence for the learned reader: one row per (provision, element) of an analysed corpus.

Every row says how the provision's wording relates to the element (best cosine to the element's
exemplars, how much closer than to any other element, its rank among the statute's provisions, its
heading's similarity, the element definition's direction in the embedding space), what the rules
found there (a hit, the element's rule level, a narrowing), and where it sits (anchored to
trafficking, kind of provision, position).  Nothing here decides: :mod:`.model` weighs it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..models import Element
from ..reference import catalogue_hash, load_catalogue
from ..retrieve import best_by_element, excluded_mask

KINDS = ["definition", "section", "subsection", "paragraph", "article", "chapter", "part", "schedule",
         "preamble", "title"]
BASE_FEATURES = ["ret_exemplar", "ret_specific", "ret_gap_to_best", "ret_heading", "sim_definition", "ret_rank_inv",
                 "ret_top3", "rule_hit", "rule_hit_level", "rule_covered", "rule_partial", "rule_narrowed",
                 "anchored", "in_statute", "general_part", "statute", "position", "log_length"] + \
                [f"kind_{k}" for k in KINDS]
#: the embedding interaction (unit vector x element vector) is scaled so that its coefficients are
#: regularised like the others
INTERACTION_SCALE = 10.0


def reader_elements() -> list[Element]:
    return [e for e in load_catalogue() if not e.is_flag]


def feature_names(dim: int) -> list[str]:
    return BASE_FEATURES + [f"element_{e.id}" for e in reader_elements()] + [f"emb_{i}" for i in range(dim)]


@functools.lru_cache(maxsize=4)
def _element_vectors(model: str | None) -> np.ndarray:
    from ..embed import cached_encode
    cat = list(load_catalogue())
    return cached_encode(["elements", catalogue_hash()], [f"{e.definition} {e.full}" for e in cat], model)


@dataclass
class Candidates:
    """The candidate matrix: ``X[r]`` describes provision ``units[r]`` for element ``elements[r]``."""

    X: np.ndarray            # rows x features (float32)
    units: np.ndarray        # rows: unit index in the corpus
    elements: np.ndarray     # rows: element id
    names: list[str]

    def rows_by_element(self) -> dict[str, np.ndarray]:
        """element id -> the rows of its candidates."""
        return {str(e): np.flatnonzero(self.elements == e) for e in np.unique(self.elements)}


def candidates(ctx, exclude: frozenset[str] = frozenset(), model: str | None = None) -> Candidates | None:
    """Every (unit, element) pair of an analysed corpus, or None without embeddings."""
    r = getattr(ctx, "retrieval", None)
    V = getattr(ctx, "unit_vecs", None)
    n = len(ctx.units)
    if r is None or V is None or n == 0:
        return None
    cat = list(load_catalogue())
    col_cat = {e.id: i for i, e in enumerate(cat)}
    els = reader_elements()
    ids, M = best_by_element(ctx, excluded_mask(exclude) if exclude else None)
    col = {e: j for j, e in enumerate(ids)}
    ref = _element_vectors(model)
    hs = r.heading_sims
    units = ctx.units
    static = np.zeros((n, 6), dtype=np.float32)
    for i, u in enumerate(units):
        static[i] = [float(u.anchored), float(u.in_statute), float(u.general_part), float(ctx.statute),
                     i / max(1, n), np.log1p(len(u.text))]
    kinds = np.asarray([[float(u.provision.kind == k) for k in KINDS] for u in units], dtype=np.float32)
    # best similarity of each unit to any element other than e: the second-best column where e is the best
    if M.size:
        order = np.sort(M, axis=1)
        top1, top2 = order[:, -1], order[:, -2] if M.shape[1] > 1 else np.zeros(n)
    blocks, rows_u, rows_e = [], [], []
    for k, e in enumerate(els):
        j = col.get(e.id)
        ex = M[:, j] if j is not None and M.size else np.zeros(n, dtype=np.float32)
        other = np.where(ex >= top1, top2, top1) if M.size else np.zeros(n)
        rank = np.argsort(np.argsort(-ex, kind="stable"), kind="stable")
        out = ctx.outcomes.get(e.id)
        level = out.level if out else 0
        hit = np.zeros(n, dtype=np.float32)
        for u, _h in (out.hits if out else []):
            hit[u.index] = 1.0
        h = hs[:, col_cat[e.id]]
        sim_def = V @ ref[col_cat[e.id]]
        base = np.column_stack([ex, ex - other, ex - (ex.max() if n else 0), h, sim_def, 1.0 / (1.0 + rank),
                                (rank < 3).astype(np.float32), hit, hit * level,
                                np.full(n, float(level == 2)), np.full(n, float(level == 1)),
                                np.full(n, float(bool(out and out.narrowed))), static, kinds])
        onehot = np.zeros((n, len(els)), dtype=np.float32)
        onehot[:, k] = 1.0
        blocks.append(np.hstack([base.astype(np.float32), onehot, (V * ref[col_cat[e.id]] * INTERACTION_SCALE).astype(np.float32)]))
        rows_u.append(np.arange(n))
        rows_e.append(np.full(n, e.id, dtype=object))
    return Candidates(np.vstack(blocks), np.concatenate(rows_u), np.concatenate(rows_e), feature_names(V.shape[1]))
