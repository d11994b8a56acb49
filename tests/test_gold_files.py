"""The project's own gold annotations follow the annotation guide's format exactly."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lexalign.reference import load_catalogue

GOLD = Path(__file__).resolve().parent / "gold"


@pytest.mark.parametrize("path", sorted(GOLD.glob("*.tsv")), ids=lambda p: p.stem)
def test_own_gold_has_one_valid_row_per_catalogue_element(path):
    catalogue = {e.id: e for e in load_catalogue()}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    assert rows[0] == ["element", "status", "evidence", "note"]
    body = rows[1:]
    assert [r[0] for r in body] == list(catalogue), "one row per element, in catalogue order"
    for element, status, evidence, note in body:
        allowed = {"raised", "not_raised"} if catalogue[element].is_flag else {"covered", "partial", "missing"}
        assert status in allowed, element
        assert (evidence == "-") == (status in ("missing", "not_raised")), element
        assert note and len(note.split()) <= 30, element
