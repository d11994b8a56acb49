"""Semantic retrieval: for every element, the provisions whose wording is nearest to its exemplars.

Why: the wording rules find what they were written for; a statute that says "Duties of online
service providers" or lists "fraud or deception" in a layout nobody foresaw is missed.  Each element
carries exemplar wordings (``data/exemplars.json``: the catalogue's definition, the Protocol and
related treaties, model provisions in the team's own words, and provisions the development gold cites
as evidence).  Every provision of the statute is embedded once (``CorpusContext.unit_vecs``); a
provision's score for an element is its best cosine to that element's exemplars, raised a little when
its section heading resembles the element.  The top candidates, with their quotes, go to the learned
decision (``learned.py``).

Exemplars taken from a gold document carry ``source: gold:<stem>``; evaluation passes those stems in
``exclude`` so that a document is never retrieved with its own annotations.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .models import Element

HEADING_WEIGHT = 0.25   # a heading is short and generic; it supports, it does not decide
DATA = Path(__file__).resolve().parent / "data" / "exemplars.json"
#: embeddings of the exemplars quoted from the development gold: the statutes' words stay in ../shared
#: (national texts are not copied into the project); only their vectors, for the model named in the JSON
VECTORS = DATA.with_name("exemplar-vectors.npy")


@dataclass(frozen=True)
class Exemplar:
    """One wording of an element, with where it came from."""

    element: str
    kind: str      # catalogue | treaty | model | gold-covered | gold-partial
    source: str    # catalogue, PP2000, UNTOC, CETS197, OPSC, model, gold:<document stem>
    text: str | None       # None for gold exemplars: only their vector is shipped
    vector: int | None = None  # row in exemplar-vectors.npy


@dataclass
class Candidate:
    """A provision retrieved for an element."""

    unit_index: int
    score: float          # exemplar similarity + HEADING_WEIGHT x heading similarity
    exemplar_sim: float
    heading_sim: float


@dataclass
class Retrieval:
    """Similarities of every unit of a corpus to every exemplar and every element heading-wise."""

    exemplar_sims: np.ndarray      # units x exemplars
    heading_sims: np.ndarray       # units x elements (catalogue order)


def document_group(stem: str) -> str:
    """Documents that share text form one group: an excerpt and its full text, and a national corpus
    with the files it is read from (``corpora/national-corpora.tsv``). Leave-one-document-out leaves
    the whole group out, so no version of a text is ever retrieved by its own annotations."""
    return _groups().get(_base(stem), _base(stem))


def _base(stem: str) -> str:
    return re.sub(r"-full(?=-|$)", "", stem)


@functools.lru_cache(maxsize=1)
def _groups() -> dict[str, str]:
    """stem -> group, joining the national corpora with their files (union of overlapping sets)."""
    from .reference import corpora_dir
    links: list[set[str]] = []
    try:
        lines = (corpora_dir() / "national-corpora.tsv").read_text(encoding="utf-8").splitlines()[1:]
    except OSError:
        lines = []
    for line in lines:
        cells = line.split("\t")
        if len(cells) >= 2 and cells[0].strip():
            links.append({_base(cells[0].strip())} | {_base(Path(f).stem) for f in cells[1].split()})
    merged: list[set[str]] = []
    for s in links:
        for m in [m for m in merged if m & s]:
            s |= m
            merged.remove(m)
        merged.append(s)
    out = {}
    for m in merged:
        key = min(m)
        for stem in m:
            out[stem] = key
    return out


@functools.lru_cache(maxsize=2)
def _exemplar_data(path: str | None = None) -> dict:
    return json.loads(Path(path or DATA).read_text(encoding="utf-8"))


def load_exemplars(path: str | None = None) -> tuple[Exemplar, ...]:
    return tuple(Exemplar(x["element"], x["kind"], x["source"], x.get("text"), x.get("vector"))
                 for x in _exemplar_data(path)["exemplars"])


@functools.lru_cache(maxsize=2)
def _exemplar_columns() -> dict[str, np.ndarray]:
    """element id -> column indices of its exemplars."""
    cols: dict[str, list[int]] = {}
    for i, x in enumerate(load_exemplars()):
        cols.setdefault(x.element, []).append(i)
    return {k: np.asarray(v) for k, v in cols.items()}


def exemplar_vectors(model: str | None = None) -> np.ndarray:
    """Embeddings of all exemplars: the worded ones computed once per model and data file (disk cache),
    the gold ones read from the shipped vectors.

    The shipped vectors belong to the default MiniLM (its float model and int8 export agree to a cosine
    of about 0.99, so both use them); another ``--model`` embeds into another space, where the gold
    exemplars are left out (zero rows never rank first).
    """
    from .embed import cached_encode, model_id
    exemplars = load_exemplars()
    worded = [i for i, x in enumerate(exemplars) if x.text is not None]
    digest = hashlib.sha256(DATA.read_bytes()).hexdigest()[:16]
    vecs = cached_encode(["exemplars", digest], [exemplars[i].text for i in worded], model)
    out = np.zeros((len(exemplars), vecs.shape[1]), dtype=np.float32)
    out[worded] = vecs
    shipped = [i for i, x in enumerate(exemplars) if x.vector is not None]
    same_model = model_id(model).split("+")[0] == _exemplar_data()["vector_model"].split("+")[0]
    if shipped and same_model:
        stored = np.load(VECTORS)
        if stored.shape[1] == out.shape[1]:
            out[shipped] = stored[[exemplars[i].vector for i in shipped]]
    return out


def attach_retrieval(ctx, model: str | None = None) -> None:
    """Fill ``ctx.retrieval`` from the unit vectors the context already holds.

    Headings are embedded once each (a statute repeats few of them); nothing else is re-embedded.
    """
    from .embed import cached_encode, encode
    from .reference import catalogue_hash, load_catalogue
    if ctx.unit_vecs is None:
        ctx.retrieval = None
        return
    elements = list(load_catalogue())
    ref = cached_encode(["elements", catalogue_hash()], [f"{e.definition} {e.full}" for e in elements], model)
    headings = [(u.section.heading or u.provision.heading or "").strip() for u in ctx.units]
    distinct = sorted({h for h in headings if h})
    hvecs = encode(distinct, model) if distinct else np.zeros((0, ref.shape[1]), dtype=np.float32)
    pos = {h: i for i, h in enumerate(distinct)}
    hs = np.zeros((len(ctx.units), len(elements)), dtype=np.float32)
    if distinct:
        hsim = hvecs @ ref.T
        for i, h in enumerate(headings):
            if h:
                hs[i] = hsim[pos[h]]
    ctx.retrieval = Retrieval(exemplar_sims=ctx.unit_vecs @ exemplar_vectors(model).T, heading_sims=hs)


def excluded_mask(exclude: frozenset[str]) -> np.ndarray:
    """Boolean mask over exemplars: True where the exemplar comes from an excluded document group."""
    groups = {document_group(s) for s in exclude}
    return np.asarray([x.source.startswith("gold:") and document_group(x.source[5:]) in groups
                       for x in load_exemplars()], dtype=bool)


def unit_scores(ctx, element: Element, element_col: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(exemplar similarity, heading similarity) of every unit for one element."""
    n = len(ctx.units)
    r = getattr(ctx, "retrieval", None)
    if r is None or n == 0:
        return np.zeros(n), np.zeros(n)
    cols = _exemplar_columns().get(element.id)
    if cols is None or not len(cols):
        ex = np.zeros(n)
    else:
        if mask is not None:
            cols = cols[~mask[cols]]
        ex = r.exemplar_sims[:, cols].max(axis=1) if len(cols) else np.zeros(n)
    return ex, r.heading_sims[:, element_col]


def candidates(ctx, element: Element, element_col: int, eligible: list[int], k: int = 3,
               mask: np.ndarray | None = None) -> list[Candidate]:
    """The ``k`` eligible units nearest to the element, best first."""
    if not eligible:
        return []
    ex, hd = unit_scores(ctx, element, element_col, mask)
    idx = np.asarray(eligible)
    score = ex[idx] + HEADING_WEIGHT * np.clip(hd[idx], 0, None)
    order = np.argsort(-score)[:k]
    return [Candidate(int(idx[o]), float(score[o]), float(ex[idx[o]]), float(hd[idx[o]])) for o in order]


def best_by_element(ctx, mask=None) -> tuple[list[str], np.ndarray]:
    """(element ids, units x elements matrix of each unit's best exemplar similarity)."""
    r = getattr(ctx, "retrieval", None)
    cols = _exemplar_columns()
    ids = sorted(cols)
    if r is None or not len(ctx.units):
        return ids, np.zeros((0, len(ids)))
    S = r.exemplar_sims
    out = np.zeros((S.shape[0], len(ids)), dtype=np.float32)
    for j, eid in enumerate(ids):
        c = cols[eid]
        if mask is not None:
            c = c[~mask[c]]
        if len(c):
            out[:, j] = S[:, c].max(axis=1)
    return ids, out
