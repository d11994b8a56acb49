"""The workbench's HTTP contract, as programs other than its own pages use it.

Most tests run the app in its rules-only mode (no embedding model: quick); the contract test that
compares with ``lexalign check --format json`` and the export round trip use the full engine.
"""
from __future__ import annotations

import csv
import hashlib
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLE

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
from fastapi.testclient import TestClient  # noqa: E402

from lexalign.cli import main  # noqa: E402
from lexalign.web import create_app  # noqa: E402

BILL = SAMPLE / "sample-bill.txt"


def upload(path: Path, name: str | None = None):
    return ("file", (name or path.name, path.read_bytes(), "text/plain"))


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("serve") / "reviews.sqlite"


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db, rules_only=True)) as c:
        yield c


@pytest.fixture(scope="module")
def bill_report(client):
    res = client.post("/api/check", files=[upload(BILL)])
    assert res.status_code == 200, res.text
    return res.json()


def cli_error(tmp_path, monkeypatch, name: str, data: bytes) -> str:
    """The one-line message ``lexalign check NAME`` prints for this file, without the prefix."""
    (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, ["check", name])
    assert res.exit_code in (2, 3)
    line = res.stderr.strip()
    assert line.startswith("lexalign: error: ")
    return line[len("lexalign: error: "):]


def test_health_answers_ok(client):
    res = client.get("/api/health")
    assert res.status_code == 200 and res.json() == {"status": "ok"}


def test_check_returns_the_report_with_its_id_and_the_texts_sha256(client, bill_report):
    assert bill_report["document"]["sha256"] == hashlib.sha256(BILL.read_bytes()).hexdigest()
    assert bill_report["document"]["source"] == "sample-bill.txt"
    assert len(bill_report["findings"]) == 84 and bill_report["id"]
    again = client.get(f"/api/reports/{bill_report['id']}")
    assert again.status_code == 200 and again.json() == bill_report
    page = client.get(f"/reports/{bill_report['id']}")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert 'id="finding-art3.act.recruitment"' in page.text


def test_unknown_report_is_404_json_on_the_api_and_a_page_for_people(client):
    res = client.get("/api/reports/0000000000000000")
    assert res.status_code == 404 and "error" in res.json()
    page = client.get("/reports/0000000000000000")
    assert page.status_code == 404 and "no report" in page.text


@pytest.mark.parametrize("name,data", [
    ("empty.txt", b""),
    ("fake.pdf", b"hello, not a pdf"),
    ("bad.xml", b"<akomaNtoso><act>"),
    ("noise.txt", bytes(range(256)) * 20),
])
def test_bad_input_gives_the_clis_message(client, tmp_path, monkeypatch, name, data):
    expected = cli_error(tmp_path, monkeypatch, name, data)
    res = client.post("/api/check", files=[("file", (name, data, "application/octet-stream"))])
    assert 400 <= res.status_code < 500
    assert res.json() == {"error": expected}


def test_a_request_without_files_is_refused_with_a_reason(client):
    res = client.post("/api/check", data={"text": "nothing"}, files=[("other", ("x.txt", b"x", "text/plain"))])
    assert res.status_code == 400 and "field 'file'" in res.json()["error"]
    res = client.post("/api/check", content=b"{}", headers={"Content-Type": "application/json"})
    assert res.status_code == 415 and "multipart" in res.json()["error"]


def test_too_large_is_413(tmp_path):
    with TestClient(create_app(tmp_path / "db.sqlite", rules_only=True, max_mb=0.001)) as c:
        res = c.post("/api/check", files=[upload(BILL)])  # 6 kB against a 1 kB limit
        assert res.status_code == 413
        assert res.json()["error"].startswith("sample-bill.txt: ") and "limit" in res.json()["error"]
        huge = b"x" * 200_000  # above the whole-request limit: refused before it is read
        res = c.post("/api/check", files=[("file", ("huge.txt", huge, "text/plain"))])
        assert res.status_code == 413 and "limit" in res.json()["error"]


def review(report, element="art3.act.harbouring", status="covered", reviewer="Amina", note="s. 4(1) lists it"):
    return {"document": report["document"]["sha256"], "element": element, "status": status,
            "note": note, "reviewer": reviewer}


def test_reviews_are_created_listed_and_filtered_by_document(client, bill_report):
    res = client.post("/api/reviews", json=review(bill_report))
    assert res.status_code == 201
    body = res.json()
    assert body["reviewer"] == "Amina" and body["created"] and body["engine_status"]
    listed = client.get("/api/reviews", params={"document": bill_report["document"]["sha256"]}).json()
    assert any(r["id"] == body["id"] for r in listed)
    assert client.get("/api/reviews", params={"document": "0" * 64}).json() == []


@pytest.mark.parametrize("change,status,fragment", [
    ({"element": "art9.no_such"}, 422, "unknown element"),
    ({"status": "raised"}, 422, "not one of"),
    ({"reviewer": " "}, 422, "reviewer"),
    ({"document": "abc"}, 422, "sha256"),
    ({"document": "f" * 64}, 404, "has been checked"),
])
def test_bad_reviews_are_refused_with_a_reason(client, bill_report, change, status, fragment):
    res = client.post("/api/reviews", json={**review(bill_report), **change})
    assert res.status_code == status and fragment in res.json()["error"]


def test_reviews_must_be_json_and_come_from_our_pages_or_a_program(client, bill_report):
    body = json.dumps(review(bill_report))
    res = client.post("/api/reviews", content=body, headers={"Content-Type": "text/plain"})
    assert res.status_code == 415
    res = client.post("/api/reviews", content=body, headers={"Content-Type": "application/json",
                                                              "Origin": "http://evil.example"})
    assert res.status_code == 403
    # a page of this server must send its CSRF token
    own = "http://testserver"
    res = client.post("/api/reviews", content=body, headers={"Content-Type": "application/json", "Origin": own})
    assert res.status_code == 403 and "token" in res.json()["error"]
    client.get("/")  # sets the token cookie
    token = client.cookies.get("lexalign_csrf")
    res = client.post("/api/reviews", content=body, headers={"Content-Type": "application/json", "Origin": own,
                                                              "X-CSRF-Token": token})
    assert res.status_code == 201


def test_cross_site_uploads_are_refused(client):
    res = client.post("/api/check", files=[upload(BILL)], headers={"Origin": "http://evil.example"})
    assert res.status_code == 403


def test_upload_form_needs_its_token(client):
    res = client.post("/jobs", files=[upload(BILL)], follow_redirects=False)
    assert res.status_code == 403


def test_disagreement_between_reviewers_is_shown(client, bill_report):
    el = "art3.means.fraud"
    assert client.post("/api/reviews", json=review(bill_report, el, "covered", "Amina")).json()["disagreement"] is False
    assert client.post("/api/reviews", json=review(bill_report, el, "partial", "Bruno")).json()["disagreement"] is True
    page = client.get(f"/reports/{bill_report['id']}").text
    card = page.split(f'id="finding-{el}"', 1)[1].split("</article>", 1)[0]
    assert "reviewers disagree" in card and "Bruno" in card


def test_reviews_and_reports_survive_a_restart(db, client, bill_report):
    client.post("/api/reviews", json=review(bill_report, "art3.act.receipt", "partial", "Chidi", "only 'receives'"))
    with TestClient(create_app(db, rules_only=True)) as fresh:
        listed = fresh.get("/api/reviews", params={"document": bill_report["document"]["sha256"]}).json()
        assert any(r["reviewer"] == "Chidi" and r["element"] == "art3.act.receipt" for r in listed)
        assert fresh.get(f"/api/reports/{bill_report['id']}").json() == bill_report
        assert "only &#39;receives&#39;" in fresh.get(f"/reports/{bill_report['id']}").text


def test_statute_text_is_always_escaped(client):
    text = ("ANTI-TRAFFICKING ACT\n1. A person who recruits another person for the purpose of exploitation "
            "commits an offence. <script>alert('x')</script> <img src=x onerror=alert(1)>\n")
    res = client.post("/api/check", files=[("file", ("<b>bold</b>.txt", text.encode(), "text/plain"))])
    assert res.status_code == 200
    page = client.get(f"/reports/{res.json()['id']}").text
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert" in page


def test_several_files_are_one_national_corpus(client):
    act = b"TRAFFICKING ACT\n1. A person who recruits another person for the purpose of exploitation commits an offence.\n"
    code = b"PENAL CODE\n10. Whoever harbours a person by means of deception commits an offence.\n"
    res = client.post("/api/check", files=[("file", ("act.txt", act, "text/plain")), ("file", ("code.txt", code, "text/plain"))])
    assert res.status_code == 200
    report = res.json()
    assert [d["source"] for d in report["document"]["sources"]] == ["act.txt", "code.txt"]
    page = client.get(f"/reports/{report['id']}").text
    assert "act.txt" in page and "code.txt" in page and "PENAL CODE" in page


def test_offence_frames_are_shown_when_the_report_has_them(client, bill_report):
    store = client.app.fastapi.state.store
    report = json.loads(json.dumps(bill_report))
    report["id"] = "frames0000000001"
    cite = [{"citation": "s. 4(1)", "quote": "recruits"}]
    report["document"]["offences"] = [{
        "citation": "s. 4", "kind": "trafficking", "source": "sample-bill.txt",
        "acts": [{"value": "recruitment", "evidence": cite}, {"value": "harbouring", "evidence": cite}],
        "means": [{"value": "fraud", "evidence": cite}], "transnational_required": {"value": False, "evidence": []},
        "penalty": {"value": {"min_years": 5, "max_years": 15, "life": False}, "evidence": cite},
        "aggravations": [{"citation": "s. 9", "quote": "..."}], "future_field": None}]
    store.save_report(report["id"], report["document"]["sha256"], "sample-bill.txt", "", report,
                      store.view(bill_report["id"]))
    page = client.get("/reports/frames0000000001").text
    glance = page.split('class="glance"', 1)[1].split("</div>", 1)[0]
    assert "s. 4 (trafficking)" in glance and "recruitment, harbouring" in glance and "fraud" in glance
    assert "border crossing required:</span> no" in glance and "5-15 years" in glance
    assert "s. 9" in glance and "evidence" not in glance


def test_health_answers_within_a_second_while_a_check_runs(client):
    client.get("/")
    token = client.cookies.get("lexalign_csrf")
    # a text of its own so that the report is not already stored
    text = BILL.read_text(encoding="utf-8") + "\n\n" + BILL.read_text(encoding="utf-8").replace("2026", "2031")
    res = client.post("/jobs", data={"csrf_token": token, "text": text, "name": "long-bill"}, follow_redirects=False)
    assert res.status_code == 303
    job_id = res.headers["location"].rsplit("/", 1)[1]
    slowest, running_seen = 0.0, False
    for _ in range(400):
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            break
        running_seen = running_seen or job["state"] == "running"
        t = time.perf_counter()
        assert client.get("/api/health").status_code == 200
        slowest = max(slowest, time.perf_counter() - t)
        time.sleep(0.05)
    assert job["state"] == "done", job
    assert running_seen and slowest < 1.0
    assert client.get(job["url"]).status_code == 200


def test_compare_two_drafts_flags_a_heading_only_gain(client):
    client.get("/compare")
    token = client.cookies.get("lexalign_csrf")
    files = [("old", ("v1.txt", (SAMPLE / "sample-bill-v1.txt").read_bytes(), "text/plain")),
             ("new", ("v2.txt", BILL.read_bytes(), "text/plain"))]
    res = client.post("/compare", data={"csrf_token": token}, files=files, follow_redirects=False)
    assert res.status_code == 303
    job_id = res.headers["location"].rsplit("/", 1)[1]
    for _ in range(600):
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["state"] == "done", job
    d = client.get(f"/api/diffs/{job['result']}").json()
    assert any(p["old"] == "s. 14" and p["new"] == "s. 15" for p in d["provisions"])
    for c in d["changes"]:
        if c["change"] == "gained":
            assert not any(e["quote"].strip().lower() == "organising or directing" for e in c["new_evidence"])
    page = client.get(job["url"]).text
    assert 'class="prov added"' in page and "v1.txt" in page
    # the later draft adds harbouring to the offence: the page says how the offence's reading changed
    assert "How the offence reads: changes" in page and "acts: added harbouring" in page


def test_corpus_overview_leads_with_groups_and_links_to_findings(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "sample-bill.txt").write_bytes(BILL.read_bytes())
    with TestClient(create_app(tmp_path / "db.sqlite", corpus=str(folder), rules_only=True)) as c:
        for _ in range(600):
            docs = c.get("/api/corpus").json()["documents"]
            if all(d["state"] in ("done", "failed") for d in docs):
                break
            time.sleep(0.1)
        assert docs[0]["state"] == "done" and docs[0]["report"]
        page = c.get("/corpus").text
        assert "Means" in page and f'/reports/{docs[0]["report"]}#finding-art3.means.fraud' in page


def test_only_loopback_host_names_are_answered_when_serving_locally(tmp_path):
    app = create_app(tmp_path / "db.sqlite", rules_only=True, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/health").status_code == 200
        # a DNS-rebinding page would arrive with its own host name
        assert c.get("/api/health", headers={"Host": "evil.example:8000"}).status_code == 400


def test_overlapping_evidence_marks_name_every_finding_and_stay_escaped():
    from lexalign.web.statute import statute_html
    text = "1. A person <who> recruits or harbours another.\n2. Next."
    spans = [{"eid": "sec_1", "citation": "s. 1", "start": 0, "end": 48}, {"eid": "sec_2", "citation": "s. 2", "start": 48, "end": len(text)}]
    marks = [(3, 30, "art3.act.recruitment", "covered"), (18, 40, "flag.x", "raised")]
    html = str(statute_html(text, spans, marks))
    assert 'data-el="art3.act.recruitment flag.x"' in html and 'class="ev raised"' in html
    assert "&lt;who&gt;" in html and "<who>" not in html
    assert html.count('<div class="prov"') == 2 and 'id="d0-sec_2"' in html


def test_serve_refuses_a_missing_corpus_folder(tmp_path):
    res = CliRunner().invoke(main, ["serve", "--corpus", str(tmp_path / "nope"), "--db", str(tmp_path / "db")])
    assert res.exit_code == 2 and "corpus folder not found" in res.stderr


def test_serve_says_plainly_when_the_port_is_taken(tmp_path):
    import socket
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = CliRunner().invoke(main, ["serve", "--port", str(port), "--db", str(tmp_path / "db")])
    assert res.exit_code == 2 and f"cannot listen on 127.0.0.1:{port}" in res.stderr


# ---------------------------------------------------------------------------- the full engine

@pytest.fixture(scope="module")
def full_client(tmp_path_factory):
    db = tmp_path_factory.mktemp("serve-full") / "reviews.sqlite"
    with TestClient(create_app(db)) as c:
        yield c, db


@pytest.mark.slow
def test_check_json_is_exactly_the_clis(full_client, monkeypatch):
    client, _ = full_client
    res = client.post("/api/check", files=[upload(BILL)])
    assert res.status_code == 200
    api = res.json()
    monkeypatch.chdir(SAMPLE)
    cli = CliRunner().invoke(main, ["check", "sample-bill.txt", "--format", "json"])
    assert cli.exit_code == 0
    expected = json.loads(cli.stdout)
    assert api.pop("id") and api["document"].pop("sha256")
    assert api == expected


@pytest.mark.slow
def test_reviews_export_round_trips_through_evaluate(full_client, tmp_path):
    client, db = full_client
    report = client.post("/api/check", files=[upload(BILL)]).json()
    verdicts = {"art3.act.harbouring": "covered", "art3.means.fraud": "partial", "art5.2c.organising_directing": "missing"}
    for el, status in verdicts.items():
        assert client.post("/api/reviews", json=review(report, el, status, "Dana", "checked")).status_code == 201
    # two reviewers who disagree: kept out of the gold file
    client.post("/api/reviews", json=review(report, "art3.act.receipt", "covered", "Dana"))
    client.post("/api/reviews", json=review(report, "art3.act.receipt", "partial", "Eli"))
    out = tmp_path / "gold"
    res = CliRunner().invoke(main, ["reviews", "export", "--db", str(db), "--out", str(out)])
    assert res.exit_code == 0, res.output
    gold = out / "sample-bill.tsv"
    with open(gold, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert list(rows[0]) == ["element", "status", "evidence", "note"]
    assert {r["element"]: r["status"] for r in rows} == verdicts
    assert "disagree" in res.stderr and "art3.act.receipt" in res.stderr
    res = CliRunner().invoke(main, ["evaluate", "--gold", str(out), "--corpus", str(SAMPLE), "--format", "json"])
    assert res.exit_code == 0, res.output
    figures = json.loads(res.stdout)
    assert figures["documents"] == ["sample-bill"]
    full = tmp_path / "full"
    res = CliRunner().invoke(main, ["reviews", "export", "--db", str(db), "--out", str(full), "--all-elements"])
    with open(full / "sample-bill.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) == 83  # 84 elements less the disputed one
    assert sum(1 for r in rows if r["note"] == "unreviewed: engine verdict") == 83 - len(verdicts)


def test_reviews_export_names_a_missing_database(tmp_path):
    res = CliRunner().invoke(main, ["reviews", "export", "--db", str(tmp_path / "none.sqlite"), "--out", str(tmp_path)])
    assert res.exit_code == 2 and "no such review database" in res.stderr
