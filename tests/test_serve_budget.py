"""A check in the workbench is bounded: it stops at its time budget, and the user can cancel it.

The analysis is replaced by a stand-in that works forever, checking the budget as the real stages do
(between provisions, rules, embedded batches), so that the tests do not wait for a real long statute.
"""
from __future__ import annotations

import time

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from lexalign.budget import check_deadline  # noqa: E402
from lexalign.web import create_app  # noqa: E402

BILL = b"PREVENTION OF TRAFFICKING BILL\n1. A person who recruits another person for exploitation commits an offence.\n"


def _endless(*args, **kwargs):
    while True:
        check_deadline()
        time.sleep(0.01)


def _wait(c, job_id: str, timeout: float = 20.0) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = c.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError("the job did not end")


def _endless_app(tmp_path, monkeypatch, timeout):
    """An app whose analysis never ends by itself (it checks the budget as the real stages do)."""
    app = create_app(tmp_path / "db.sqlite", rules_only=True, timeout=timeout)
    checker = app.fastapi.state.checker
    monkeypatch.setattr(checker, "_analyse", _endless)
    return app, checker


def _submit(checker):
    from lexalign.web.checker import Upload
    return checker.submit_check([Upload("bill.txt", BILL)], persist=False)


def test_a_check_that_overruns_its_budget_fails_with_a_clear_message(tmp_path, monkeypatch):
    app, checker = _endless_app(tmp_path, monkeypatch, timeout=0.5)
    with TestClient(app) as c:
        out = _wait(c, _submit(checker).id)
        assert out["state"] == "failed" and "time budget" in out["error"] and "internal error" not in out["error"]


def test_a_running_check_can_be_cancelled(tmp_path, monkeypatch):
    app, checker = _endless_app(tmp_path, monkeypatch, timeout=None)
    with TestClient(app) as c:
        job = _submit(checker)
        deadline = time.time() + 10
        while job.state != "running" and time.time() < deadline:
            time.sleep(0.02)
        res = c.post(f"/api/jobs/{job.id}/cancel")
        assert res.status_code == 202
        out = _wait(c, job.id)
        assert out["state"] == "failed" and out["error"].endswith("cancelled")
        assert c.post("/api/jobs/nope/cancel").status_code == 404
