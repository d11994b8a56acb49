"""The learned reader: its stages as data, its readings located, and the findings it revises.

The reading of the sample bill used here (tests/readings/sample-bill.tsv) is a small test fixture
of the project's own fictional bill, not training data; the trained reader's accuracy is measured
by `make train` and `lexalign evaluate --first-contact`, never by these tests.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lexalign.reader.model import (Boosted, Linear, ReaderModel, decide_status, element_row, fit_boosted, fit_linear,
                                   load)
from lexalign.reader.readings import load_readings, locate

ROOT = Path(__file__).resolve().parents[1]
BILL = ROOT / "corpora" / "sample" / "sample-bill.txt"
READING = ROOT / "tests" / "readings" / "sample-bill.tsv"


def test_a_linear_stage_read_back_from_json_gives_the_same_probabilities():
    rng = np.random.RandomState(1)
    X = rng.randn(200, 6).astype(np.float32)
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    m = fit_linear(X, y, C=1.0)
    back = Linear.from_json(json.loads(json.dumps(m.to_json())))
    assert np.allclose(m.proba(X), back.proba(X), atol=1e-5)
    assert ((back.proba(X) > 0.5) == y).mean() > 0.9


def test_a_constant_feature_never_divides_by_zero():
    X = np.column_stack([np.random.RandomState(2).randn(100), np.full(100, 3.0)]).astype(np.float32)
    m = Linear.from_json(fit_linear(X, (X[:, 0] > 0).astype(int), C=1.0).to_json())
    with np.errstate(all="raise"):
        p = m.proba(np.asarray([[0.5, 7.0]], dtype=np.float32))
    assert np.isfinite(p).all()


def test_boosted_trees_from_json_agree_with_scikit_learn():
    from sklearn.ensemble import GradientBoostingClassifier
    rng = np.random.RandomState(0)
    X = rng.randn(300, 5)
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5)
    m = Boosted.from_json(json.loads(json.dumps(fit_boosted(X, y).to_json())))
    ref = GradientBoostingClassifier(n_estimators=150, learning_rate=0.05, max_depth=3, subsample=0.8,
                                     random_state=0).fit(X, y)
    assert np.abs(m.proba(X) - ref.predict_proba(X)).max() < 1e-6


def test_covered_is_said_only_above_t_cov():
    assert decide_status(np.asarray([0.55, 0.3, 0.15]), 0.6) == "partial"
    assert decide_status(np.asarray([0.65, 0.3, 0.05]), 0.6) == "covered"
    assert decide_status(np.asarray([0.2, 0.3, 0.5]), 0.6) == "missing"


def test_element_row_reads_the_best_provisions_whatever_their_order():
    a = element_row(np.asarray([0.1, 0.9, 0.3]), np.asarray([0.05, 0.8, 0.1]), 2, False, "covered", [0.5, 0.3, 0.2], 0.7)
    b = element_row(np.asarray([0.9, 0.3, 0.1]), np.asarray([0.8, 0.1, 0.05]), 2, False, "covered", [0.5, 0.3, 0.2], 0.7)
    assert a == b and a[0] == pytest.approx(0.9) and a[2] == pytest.approx(0.8)


def test_a_reading_is_found_again_in_the_cleaned_text_and_given_to_its_provision():
    from lexalign.analysis import analyse
    from lexalign.ingest import ingest_bytes
    raw = BILL.read_text(encoding="utf-8")
    # the same bill with tabs and no-break spaces, which the engine's text normalises
    messy = raw.replace("Trafficking in persons\n4. (1)", "Trafficking in persons\n4.\t(1)").replace("abduction, fraud", "abduction,\u00a0fraud")
    ctx = analyse([ingest_bytes(messy.encode("utf-8"), source="bill.txt")], use_embeddings=False)
    # the tab and the no-break space keep every offset where it was in the file the reading was made on
    where, lost = locate(load_readings(READING), messy, ctx)
    assert lost == 0
    cites = {ctx.units[u].provision.citation for (e, u) in where if e == "art3.means.abduction"}
    assert any(c.startswith("s. 4(1)") for c in cites), cites
    assert where[next(k for k in where if k[0] == "art3d.child_under_18")][0] == 1  # a partial reading


def test_rules_only_is_untouched_by_the_reader():
    from lexalign.analysis import analyse
    from lexalign.decision import decide
    from lexalign.ingest import ingest
    ctx = analyse([ingest(BILL)], use_embeddings=False)
    a = {f.element: f.status for f in decide(ctx, None, learned=False)}
    b = {f.element: f.status for f in decide(ctx, None)}   # no embeddings: the reader has nothing to read
    assert a == b


def test_a_missing_or_stale_model_file_is_refused(tmp_path):
    assert load(tmp_path / "absent.json") is None
    bad = tmp_path / "reader.json"
    bad.write_text(json.dumps({"format": "lexalign-reader/0"}), encoding="utf-8")
    assert load(bad) is None


@pytest.mark.slow
def test_a_reader_trained_on_the_sample_bill_quotes_every_present_finding(tmp_path):
    """Train end to end on the two drafts of the sample bill (one with the reading), then check: the
    model loads from JSON and every covered or partial finding it gives quotes a provision."""
    from lexalign.analysis import analyse
    from lexalign.decision import decide
    from lexalign.ingest import ingest
    from lexalign.reader.train import fit, training_doc
    from lexalign.reader.model import save
    from lexalign.reference import load_catalogue
    elements = [e.id for e in load_catalogue() if not e.is_flag]
    gold = {e: "missing" for e in elements}
    for e in ("art3.act.recruitment", "art3.act.transportation", "art3.act.transfer", "art3.act.harbouring",
              "art3.act.receipt", "art3.means.abduction", "art3.means.fraud", "art3.means.deception"):
        gold[e] = "covered"
    gold["art3d.child_under_18"] = "partial"
    one = training_doc("bill", [ingest(BILL)], gold, READING, [BILL])
    assert one is not None and one.labels is not None and one.lost == 0
    # four copies under four names: enough documents for the out-of-fold stages to run
    docs = [type(one)(f"bill-{i}", one.ctx, one.gold, one.engine, one.cand, one.labels, one.narrowing) for i in range(4)]
    model = fit(docs, folds=2)
    path = tmp_path / "reader.json"
    save(model, path)
    back = load(path, dim=docs[0].ctx.unit_vecs.shape[1])
    assert isinstance(back, ReaderModel)
    ctx = analyse([ingest(BILL)])
    findings = decide(ctx, None, learned=back)
    present = [f for f in findings if f.status in ("covered", "partial")]
    assert present and all(f.evidence and all(ev.quote for ev in f.evidence) for f in present)
