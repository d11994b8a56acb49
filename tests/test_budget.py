"""Linear cost and bounded work (issue 22): long texts, the per-document time budget, one segmentation.

No test here measures time: the speed targets live in benchmarks/.  These tests pin the behaviour
that makes the cost bounded: run-in markers of a very long line are cut (work that used to grow with
the square of the line), a budget stops the work with a one-line error, a batch goes on after a
file that overran, and ``check`` segments each file once.
"""
from __future__ import annotations

import csv
import importlib
import re
import shutil
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLE
from lexalign import budget
from lexalign.errors import TimeBudgetExceeded
from lexalign.models import Document

_ACTS = ("recruits", "transports", "transfers", "harbours", "receives")


def _label(k: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[k]


def one_line_statute(subsections: int) -> str:
    """A flattened statute on one line: "(n) A person who— (a) recruits ...; (b) ...;" run together."""
    parts = ["1. In this Act, unless the context otherwise requires, the following provisions apply:"]
    for n in range(1, subsections + 1):
        parts.append(f"({n}) A person who, in case {n}—")
        for k in range(26):
            act = _ACTS[(n + k) % len(_ACTS)]
            parts.append(f"({_label(k)}) {act}, transports or harbours a person number {n * 26 + k} "
                         f"by means of threat for the purpose of exploitation;")
    return " ".join(parts)


def test_a_long_one_line_statute_has_every_run_in_marker_cut():
    # 0.6 MB on one line: each marker used to search the whole text before it (about a minute at this size)
    from lexalign.segment import flatten, segment
    text = one_line_statute(250)
    assert "\n" not in text and len(text) > 600_000
    provisions = flatten(segment(Document("flat.txt", text)))
    subsections = [p for p in provisions if p.kind == "subsection"]
    paragraphs = [p for p in provisions if p.kind == "paragraph"]
    assert len(subsections) == 250
    assert len(paragraphs) == 250 * 26
    assert paragraphs[-1].citation == "s. 1(250)(z)"


_TAIL_PATTERNS = [re.compile(r"(?:[:—–]|\s-|[.;]|[;,]\s*(?:or|and|et|ou|y|o)|\b(?:or|and))\s*$"),
                  re.compile(r"(?:[:—–]|\s-)\s*$"), re.compile(r"(?:[;:—–.]|\s-|\bor|\band)\s*$")]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab ;:.,—-ordn\t", max_size=400), st.integers(min_value=0, max_value=400))
def test_reading_only_the_tail_of_a_line_decides_as_the_whole_line_did(text, pos):
    from lexalign.layout import _ends_with
    pos = min(pos, len(text))
    for pattern in _TAIL_PATTERNS:
        assert _ends_with(pattern, text, pos) == bool(pattern.search(text[:pos])), (pattern.pattern, text[:pos])


def test_a_budget_stops_work_at_the_next_check_and_says_which_document(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(budget, "_clock", lambda: clock[0])
    budget.check_deadline()  # no budget: never raises
    with budget.time_budget(5, "bill.txt"):
        budget.check_deadline()
        clock[0] += 6
        with pytest.raises(TimeBudgetExceeded) as err:
            budget.check_deadline()
    assert err.value.exit_code == 3
    assert err.value.message.startswith("bill.txt: not analysed within the time budget of 5 s (--timeout)")
    budget.check_deadline()  # the budget ended with its block


def test_an_inner_budget_never_extends_the_outer_one(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(budget, "_clock", lambda: clock[0])
    with budget.time_budget(2, "outer"):
        with budget.time_budget(100, "inner"):
            clock[0] = 3
            with pytest.raises(TimeBudgetExceeded, match="^outer"):
                budget.check_deadline()
    assert budget.run_with_budget(lambda: 42, 1, "x") == 42
    with budget.time_budget(0):  # 0: no limit
        clock[0] = 1e9
        budget.check_deadline()


def test_timeout_on_check_exits_3_with_one_line_and_no_traceback(tmp_path):
    path = tmp_path / "flat.txt"
    path.write_text(one_line_statute(840), encoding="utf-8")  # ~2 MB: far more than a second of work
    res = subprocess.run([sys.executable, "-m", "lexalign", "check", str(path), "--timeout", "1"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 3, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr
    assert lines[0].startswith(f"lexalign: error: {path}: not analysed within the time budget of 1 s")
    assert res.stdout == ""


def test_batch_records_a_file_that_overran_its_budget_and_goes_on(tmp_path, monkeypatch):
    seg = importlib.import_module("lexalign.segment")
    from lexalign.batch import run_batch
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLE / "sample-bill.txt", src / "a-slow.txt")  # first: the files after it must still be analysed
    shutil.copy(SAMPLE / "sample-bill.txt", src / "b-sample-bill.txt")
    clock = [0.0]
    monkeypatch.setattr(budget, "_clock", lambda: clock[0])
    real = seg._segment_structure

    def slow(doc):
        if doc.source.endswith("a-slow.txt"):
            clock[0] += 10_000  # this document's work outlasts any budget
        return real(doc)
    monkeypatch.setattr(seg, "_segment_structure", slow)
    out = tmp_path / "out"
    failed = run_batch(str(src), str(out), quiet=True, timeout=600)
    assert failed == 1
    errors = list(csv.DictReader(open(out / "errors.csv", encoding="utf-8")))
    assert [e["document"] for e in errors] == ["a-slow.txt"]
    assert "not analysed within the time budget of 600 s" in errors[0]["error"]
    rows = list(csv.DictReader(open(out / "matrix.csv", encoding="utf-8")))
    assert [r["document"] for r in rows] == ["b-sample-bill.txt"]


def test_check_segments_each_file_once(tmp_path, monkeypatch):
    from click.testing import CliRunner

    seg = importlib.import_module("lexalign.segment")
    from lexalign.cli import main
    calls = []
    real = seg._segment_structure
    monkeypatch.setattr(seg, "_segment_structure", lambda doc: calls.append(doc.source) or real(doc))
    second = tmp_path / "second.txt"
    second.write_text((SAMPLE / "sample-bill.txt").read_text(encoding="utf-8").replace("Sample", "Other"), encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(SAMPLE / "sample-bill.txt"), str(second), "--out", str(tmp_path / "r.json")])
    assert res.exit_code == 0, res.output
    assert sorted(calls) == sorted([str(SAMPLE / "sample-bill.txt"), str(second)])


def test_a_document_is_segmented_again_when_its_text_changes():
    from lexalign.segment import flatten, segment
    doc = Document("x.txt", "1. This Act may be cited as the Act.\n2. A person who recruits commits an offence.")
    first = segment(doc)
    assert segment(doc) is first
    doc.text = doc.text + "\n3. Repeal."
    assert [p.citation for p in flatten(segment(doc))][-1] == "s. 3"
