"""Reading data: which provisions state which element, as independent readers marked them.

A reading file (``corpora/readings/<stem>.tsv``) holds, per row, an element, its extent in that
provision (full / partial / raised), the narrowing a partial reading names, and the character offsets
of the decisive words in the statute file as stored in ``../shared/corpora`` (no statute text is kept
in the project).  The offsets are into the raw file; the engine's text is the file cleaned
(:func:`lexalign.ingest.clean_text`), so each span is found again by its words, nearest to its offset,
and given to the provision whose own text holds it.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

EXTENT = {"full": 2, "raised": 2, "partial": 1}


@dataclass(frozen=True)
class Reading:
    element: str
    extent: str          # full | partial | raised
    narrowing: str
    start: int
    end: int
    citation: str


def readings_dir() -> Path:
    from ..reference import corpora_dir
    return corpora_dir() / "readings"


def load_readings(path: Path) -> list[Reading]:
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out.append(Reading(row["element"], row["extent"], row.get("narrowing") or "none", int(row["start"]),
                               int(row["end"]), row.get("citation", "")))
    return out


def _norm(s: str) -> str:
    return unicodedata.normalize("NFC", s).replace("\t", " ").replace("\u00a0", " ").replace("\u00ad", "")


def locate(readings: list[Reading], raw: str, ctx, doc_index: int = 0) -> tuple[dict[tuple[str, int], tuple[int, str]], int]:
    """{(element, unit index): (extent level, narrowing)} for the units of ``ctx.docs[doc_index]``, and
    how many spans could not be found again."""
    doc = ctx.docs[doc_index]
    text = doc.text
    units = [u for u in ctx.units if u.doc is doc]
    starts = np.asarray([u.provision.start for u in units])
    ends = np.asarray([u.provision.start + len(u.provision.text) for u in units])
    out: dict[tuple[str, int], tuple[int, str]] = {}
    lost = 0
    for r in readings:
        q = _norm(raw[r.start:r.end]).strip()
        if not q or not len(units):
            lost += 1
            continue
        found = [m.start() for m in re.finditer(re.escape(q), text)] or \
                [m.start() for m in re.finditer(r"\s+".join(re.escape(w) for w in q.split()), text)]
        if not found:
            lost += 1
            continue
        pos = min(found, key=lambda p: abs(p - r.start))
        inside = np.flatnonzero((starts <= pos) & (pos < ends))
        k = int(inside[-1]) if len(inside) else int(max(0, np.searchsorted(starts, pos, side="right") - 1))
        key = (r.element, units[k].index)
        level = EXTENT.get(r.extent, 0)
        if level > out.get(key, (0, ""))[0]:
            out[key] = (level, r.narrowing)
    return out, lost
