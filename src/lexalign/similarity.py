"""How close each provision is to each element, computed only where a verdict can read it.

The calibration reads a unit's similarity to an element when the unit is eligible for that
element (not a table of contents; anchored, or any unit of a trafficking statute) or when a rule
matched in it.  Every other unit (the rest of a penal code, a table of contents) is never read,
so it is never embedded: its row stays zero.  The rows that are computed come from the
content-addressed store of :func:`lexalign.embed.encode_cached`, so a re-run or a second draft
embeds only the provisions whose text changed.
"""
from __future__ import annotations

import numpy as np

#: characters of a unit's text that are embedded (the model reads about 256 tokens)
EMBED_CHARS = 1000


def units_to_embed(ctx) -> list[int]:
    """Indexes of the units whose similarity a verdict can read, in unit order."""
    from .units import _eligible
    hit = {u.index for out in ctx.outcomes.values() for u, _ in out.hits}
    # eligibility for a statute-wide element includes eligibility for an offence element
    return [u.index for u in ctx.units if u.index in hit or _eligible(u, "statute", ctx.statute)]


def unit_similarities(ctx, model: str | None = None, every_unit: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Cosine similarity of the units that matter to every element (units x elements), and the
    unit vectors themselves (units x dimension); rows of units left out are zero.

    ``every_unit`` embeds every unit (for a stage such as semantic retrieval that reads them all);
    the store still computes each distinct text once.
    """
    from .embed import cached_encode, encode_cached
    from .reference import catalogue_hash, load_catalogue
    elements = list(load_catalogue())
    ref = cached_encode(["elements", catalogue_hash()], [f"{e.definition} {e.full}" for e in elements], model)
    rows = [u.index for u in ctx.units] if every_unit else units_to_embed(ctx)
    vecs = np.zeros((len(ctx.units), ref.shape[1]), dtype=np.float32)
    if rows:
        vecs[rows], _ = encode_cached([ctx.units[i].text[:EMBED_CHARS] for i in rows], model)
    return vecs @ ref.T, vecs
