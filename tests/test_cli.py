"""The command line: one-line errors with documented exit codes, and the main commands end to end."""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GOLD, SAMPLE, shared_file

LEXALIGN = [sys.executable, "-m", "lexalign"]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def run(*args, cwd=None):
    return subprocess.run([*LEXALIGN, *args], capture_output=True, text=True, cwd=cwd, timeout=900)


@pytest.mark.parametrize("make,code,fragment", [
    (lambda d: d / "missing.txt", 2, "no such file"),
    (lambda d: d, 2, "is a directory"),
    (lambda d: _write(d / "empty.txt", b""), 3, "empty"),
    (lambda d: _write(d / "fake.pdf", b"hello, not a pdf"), 3, "not a PDF"),
    (lambda d: _write(d / "bad.xml", b"<akomaNtoso><act>"), 3, "not well-formed"),
    (lambda d: _write(d / "noise.txt", bytes(range(256)) * 20), 3, "not a text file"),
])
def test_bad_input_is_one_line_on_stderr_with_exit_code(tmp_path, make, code, fragment):
    path = make(tmp_path)
    res = run("segment", str(path))
    assert res.returncode == code
    assert fragment in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert "Traceback" not in res.stderr and res.stdout == ""


def test_unwritable_out_is_reported(tmp_path):
    res = run("segment", str(SAMPLE / "sample-bill.txt"), "--out", str(tmp_path / "no" / "such" / "dir" / "x.json"))
    assert res.returncode == 5 and "cannot write" in res.stderr


def test_segment_json_lists_provisions_with_offsets():
    res = run("segment", str(SAMPLE / "sample-bill.txt"))
    assert res.returncode == 0
    data = json.loads(res.stdout)
    flat = []
    stack = list(data)
    while stack:
        p = stack.pop()
        flat.append(p)
        stack.extend(p["children"])
    assert {"eid", "citation", "heading", "text", "start", "end", "page", "children"} <= set(data[0])
    assert any(p["citation"] == "s. 4(1)(a)" for p in flat)


def test_elements_lists_the_catalogue():
    res = run("elements", "--format", "json")
    assert res.returncode == 0 and len(json.loads(res.stdout)) == 84


def test_check_writes_html_and_is_byte_identical_across_runs(tmp_path):
    out1, out2 = tmp_path / "a.json", tmp_path / "b.json"
    assert run("check", str(SAMPLE / "sample-bill.txt"), "--out", str(out1)).returncode == 0
    assert run("check", str(SAMPLE / "sample-bill.txt"), "--out", str(out2)).returncode == 0
    assert out1.read_bytes() == out2.read_bytes()
    res = run("check", str(SAMPLE / "sample-bill.txt"), "--format", "html", "--elements", "act,means")
    assert res.returncode == 0 and res.stdout.startswith("<!DOCTYPE html>")


def test_missing_model_path_names_the_model_and_the_fix():
    res = run("check", str(SAMPLE / "sample-bill.txt"), "--model", "/nonexistent/model")
    assert res.returncode == 4 and "/nonexistent/model" in res.stderr and "--model" in res.stderr


def test_several_files_are_one_national_corpus(tmp_path):
    a = tmp_path / "act.txt"
    b = tmp_path / "code.txt"
    a.write_text("Trafficking Act\n1. In this Act \"child\" means a person under the age of eighteen years.\n")
    b.write_text("Penal Code\n342. Whoever recruits or harbours a person for the purpose of exploitation in trafficking "
                 "in persons commits an offence punishable by imprisonment for ten years.\n")
    res = run("check", str(a), str(b))
    data = json.loads(res.stdout)
    by = {f["element"]: f for f in data["findings"]}
    assert by["art3d.child_under_18"]["evidence"][0]["source"].endswith("act.txt")
    assert by["art3.act.harbouring"]["evidence"][0]["source"].endswith("code.txt")


def test_diff_reports_gained_elements_between_versions():
    res = run("diff", str(SAMPLE / "sample-bill-v1.txt"), str(SAMPLE / "sample-bill.txt"), "--format", "json")
    data = json.loads(res.stdout)
    gained = {c["element"] for c in data["changes"] if c["change"] == "gained"}
    assert "art3.act.harbouring" in gained
    assert any(p["old"] == "s. 14" and p["new"] == "s. 15" for p in data["provisions"])
    # s. 7 is new; its heading "Organising or directing" alone is never evidence of coverage
    organising = next(c for c in data["changes"] if c["element"] == "art5.2c.organising_directing")
    assert organising["change"] in ("gained", "heading only")
    for c in data["changes"]:
        if c["change"] == "gained":
            assert not any(e["quote"].strip().lower() == "organising or directing" for e in c["new_evidence"])


def test_diff_markdown_reads_as_prose_not_python():
    res = run("diff", str(SAMPLE / "sample-bill-v1.txt"), str(SAMPLE / "sample-bill.txt"))
    assert res.returncode == 0
    assert "{'covered'" not in res.stdout
    assert len(re.findall(r"covered \d+ · partial \d+ · missing \d+ · red flags raised \d+", res.stdout)) == 2
    gained = res.stdout.split("## Gained", 1)[1].split("\n## ", 1)[0]
    assert "“Organising or directing”" not in gained


def test_batch_keeps_good_results_when_a_file_is_corrupt_and_resumes(tmp_path, corpora):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("gh-human-trafficking-act-2005.txt", "ke-ctip-2010.txt", "cm-law-2011-024-fr.txt"):
        shutil.copy(corpora / name, src / name)
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 truncated garbage")
    out = tmp_path / "out"
    res = run("batch", str(src), "--out", str(out), "--no-progress")
    assert res.returncode == 1
    rows = list(csv.DictReader(open(out / "matrix.csv")))
    assert len(rows) == 3 and {r["document"] for r in rows} >= {"ke-ctip-2010.txt"}
    errors = list(csv.DictReader(open(out / "errors.csv")))
    assert [e["document"] for e in errors] == ["broken.pdf"]
    for name in ("matrix.json", "findings.csv", "heatmap.png", "index.html"):
        assert (out / name).exists(), name
    assert len(list((out / "reports").glob("*.html"))) == 3
    # a re-run analyses nothing new: cached results, same matrix
    before = (out / "matrix.csv").read_text()
    res2 = run("batch", str(src), "--out", str(out))
    # only the broken file is tried again; the three good ones come from the cache
    assert "(1 to analyse" in res2.stderr and (out / "matrix.csv").read_text() == before


@pytest.mark.skipif(not GOLD.is_dir(), reason="shared gold not available")
def test_evaluate_cv_runs_and_figures_are_proportions(tmp_path):
    # three small development statutes: leave-one-document-out refits both models per fold, and the
    # held-out statutes are never scored by tests
    gold = tmp_path / "gold"
    gold.mkdir()
    for stem in ("ca-criminal-code-279-en", "es-codigo-penal-177bis", "ke-ctip-2010"):
        (gold / f"{stem}.tsv").write_text((GOLD / f"{stem}.tsv").read_text(encoding="utf-8"), encoding="utf-8")
    res = run("evaluate", "--cv", "--gold", str(gold), "--corpus", str(GOLD.parent / "corpora"),
              "--format", "json", "--curves", str(tmp_path / "pr.png"))
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    for side in ("engine", "baseline"):
        for key in ("present_f1", "macro_f1", "wrong_covered_rate", "flag_accuracy"):
            assert 0.0 <= data[side][key] <= 1.0
    assert (tmp_path / "pr.png").exists() and json.loads((tmp_path / "pr.png.json").read_text())["all"]
