"""Structure gold: each expected section/article comes out once, with its body text inside it.

``tests/structure/<stem>.tsv`` (written by an independent reader, see the gold format notes):
``number<TAB>phrase``.  For every row, segmentation of ``../shared/corpora/<stem>.txt`` (or
``pdf/<stem>.pdf`` for ``pdf__<stem>``) must yield exactly one provision of kind section/article
with that number whose text, with its descendants, contains the phrase.  A table-of-contents
entry does not count: the toc is one node, not sections.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from conftest import CORPORA
from lexalign.ingest import ingest
from lexalign.segment import flatten, segment

STRUCTURE = Path(__file__).resolve().parent / "structure"
GOLD_FILES = sorted(STRUCTURE.glob("*.tsv"))


def _source(stem: str) -> Path:
    if stem.startswith("pdf__"):
        return CORPORA / "pdf" / f"{stem[5:]}.pdf"
    return CORPORA / f"{stem}.txt"


def _rows(path: Path) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = list(reader)
    return [(r[0].strip(), r[1].strip()) for r in rows[1:] if len(r) >= 2 and r[0].strip()]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def expected_sections_found(path: Path) -> tuple[int, list[str]]:
    """How many gold rows are met, and a line per row that is not."""
    source = _source(path.stem)
    doc = ingest(source)
    provs = [p for p in flatten(segment(doc)) if p.kind in ("section", "article")]
    text = doc.text
    ok, problems = 0, []
    for num, phrase in _rows(path):
        hits = [p for p in provs if p.num == num]
        if len(hits) != 1:
            problems.append(f"{num}: {len(hits)} provisions with that number")
            continue
        if _norm(phrase) not in _norm(hits[0].full_text(text)):
            problems.append(f"{num}: phrase not in its text: {phrase!r}")
            continue
        ok += 1
    return ok, problems


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def test_every_expected_section_comes_out_once_with_its_body(path):
    if not _source(path.stem).exists():
        pytest.skip(f"statute not in the shared corpus: {_source(path.stem)}")
    ok, problems = expected_sections_found(path)
    assert not problems, f"{path.stem}: {ok} of {ok + len(problems)} expected sections\n" + "\n".join(problems)


def test_gold_files_are_well_formed():
    for path in GOLD_FILES:
        with open(path, encoding="utf-8") as fh:
            assert fh.readline().rstrip("\n").split("\t")[:2] == ["number", "phrase"], path
        assert _rows(path), path
