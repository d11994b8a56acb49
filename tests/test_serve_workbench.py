"""The workbench as a drafter and a reviewer use it: the way around a statute, why an element is
missing, reviews as the verdict of record (carried to the next draft, edited, withdrawn, by named
reviewers), the redline comparison, the JSON and CSV twins of every page, checks resumed after a
restart.  Rules-only mode (quick) unless a test says otherwise.
"""
from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLE

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from lexalign.cli import main  # noqa: E402
from lexalign.diff import word_edits  # noqa: E402
from lexalign.errors import UsageError  # noqa: E402
from lexalign.ingest import guess_title  # noqa: E402
from lexalign.reviews import export_gold, read_reviewers  # noqa: E402
from lexalign.store import Store  # noqa: E402
from lexalign.web import create_app  # noqa: E402

BILL = SAMPLE / "sample-bill.txt"
V1 = SAMPLE / "sample-bill-v1.txt"
OVERRIDDEN = "art3.purpose.removal_of_organs"  # missing in the sample bill


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("workbench") / "reviews.sqlite"


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db, rules_only=True)) as c:
        yield c


def check(client, name: str, data: bytes) -> dict:
    res = client.post("/api/check", files=[("file", (name, data, "text/plain"))])
    assert res.status_code == 200, res.text
    return res.json()


@pytest.fixture(scope="module")
def bill(client) -> dict:
    return check(client, "sample-bill.txt", BILL.read_bytes())


def review(report: dict, element: str, status: str, reviewer: str, **extra) -> dict:
    return {"document": report["document"]["sha256"], "element": element, "status": status, "reviewer": reviewer,
            "note": extra.pop("note", ""), **extra}


def card(page: str, element: str) -> str:
    return page.split(f'id="finding-{element}"', 1)[1].split("</article>", 1)[0]


def wait_job(client, job_id: str) -> dict:
    for _ in range(600):
        job = client.get(f"/api/jobs/{job_id}").json()
        if job.get("state") in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish")


# ---------------------------------------------------------------------------- the way around a statute

def test_report_page_has_contents_goto_find_and_skip_links(client, bill):
    page = client.get(f"/reports/{bill['id']}").text
    toc = page.split('class="toc-list"', 1)[1].split("</nav>", 1)[0]
    # parts and sections with their headings, each a link to its place in the text
    assert 'href="#d0-part_2__sec_4"' in toc and "Trafficking in persons" in toc and "Part II" in toc
    # sub-provisions are places a reader can go to ("s. 4(1)")
    assert 'id="d0-part_2__sec_4__subsec_1" data-citation="s. 4(1)"' in page
    assert 'id="goto-input"' in page and 'id="find-input"' in page
    assert page.index('href="#findings-list"') < page.index('id="goto-input"')  # the skip link comes first
    assert '<mark class="ev covered" data-el="' in page and 'tabindex="0"' in page.split("<mark", 2)[1]


# ---------------------------------------------------------------------------- why missing

def test_partial_findings_list_the_provisions_considered_with_what_each_lacked(client, bill):
    partial = [f for f in bill["findings"] if f["status"] == "partial" and not f["element"].startswith("flag.")]
    with_candidates = [f for f in partial if f.get("candidates")]
    assert with_candidates, "a partial verdict rests on rule hits: they are the provisions considered"
    c = with_candidates[0]["candidates"][0]
    assert set(c) >= {"provision", "citation", "score", "lacked"} and c["lacked"]
    # covered elements and flags carry no candidates (the JSON only gains a field where it means something)
    assert not any(f.get("candidates") for f in bill["findings"] if f["status"] in ("covered", "raised", "not_raised"))
    page = client.get(f"/reports/{bill['id']}").text
    box = card(page, with_candidates[0]["element"]).split('class="why-missing"', 1)[1]
    assert "provision(s) considered" in box and f'data-target="d0-{c["provision"]}"' in box and "lacks:" in box


@pytest.mark.slow
def test_with_embeddings_a_missing_element_shows_the_nearest_provisions():
    from lexalign.align import check as run_check
    from lexalign.ingest import ingest
    report = run_check([ingest(BILL)]).to_dict()
    missing = next(f for f in report["findings"] if f["element"] == OVERRIDDEN)
    assert missing["status"] == "missing" and len(missing["candidates"]) == 3
    scores = [c["score"] for c in missing["candidates"]]
    assert scores == sorted(scores, reverse=True) and all(0 < s < 1 for s in scores)
    assert all(c["lacked"] == ["removal of organs"] for c in missing["candidates"])


# ---------------------------------------------------------------------------- reviews of record

def test_an_override_changes_the_summary_and_the_mandatory_line(client, bill):
    res = client.post("/api/reviews", json=review(bill, OVERRIDDEN, "covered", "Amina", evidence="s. 3",
                                                  note="organs are in the exploitation definition"))
    assert res.status_code == 201
    body = res.json()
    assert body["override"] and body["effective"] == "covered" and body["evidence"] == "s. 3"
    engine = bill["summary"]["counts"]
    assert body["summary"]["counts"]["covered"] == engine["covered"] + 1
    assert OVERRIDDEN not in body["summary"]["mandatory_missing"] and OVERRIDDEN in bill["summary"]["mandatory_missing"]
    page = client.get(f"/reports/{bill['id']}").text
    assert "reviewed: covered · engine: missing" in card(page, OVERRIDDEN)
    mandatory = page.split('id="mandatory-list"', 1)[1].split("</p>", 1)[0]
    assert OVERRIDDEN not in mandatory
    twin = client.get(f"/reports/{bill['id']}.json").json()
    assert twin["effective"]["elements"][OVERRIDDEN] == {**twin["effective"]["elements"][OVERRIDDEN],
                                                         "engine": "missing", "effective": "covered", "override": True}
    assert twin["findings"] == bill["findings"]  # the engine's report is unchanged: the twin only gains fields


def test_reviews_carry_to_a_draft_that_differs_by_a_newline(client, bill):
    client.post("/api/reviews", json=review(bill, "art3.act.recruitment", "covered", "Amina"))
    again = check(client, "sample-bill-draft-2.txt", BILL.read_bytes() + b"\n")
    assert again["document"]["sha256"] != bill["document"]["sha256"]
    twin = client.get(f"/reports/{again['id']}.json").json()
    eff = twin["effective"]
    assert eff["elements"][OVERRIDDEN]["effective"] == "covered" and eff["elements"]["art3.act.recruitment"]["reviewed"]
    assert eff["summary"]["reviewed"] >= 2 and eff["carried_reviews"]
    page = client.get(f"/reports/{again['id']}").text
    assert "carried from an earlier draft" in page and "reviewed: covered · engine: missing" in card(page, OVERRIDDEN)


def test_a_review_does_not_carry_when_a_provision_it_rests_on_changed(client, bill):
    client.post("/api/reviews", json=review(bill, OVERRIDDEN, "covered", "Amina", evidence="s. 3"))
    client.post("/api/reviews", json=review(bill, "art3.act.recruitment", "covered", "Amina"))
    original = BILL.read_text(encoding="utf-8")
    text = original.replace('"exploitation" includes the', '"exploitation" includes, at least, the')
    assert text != original
    changed = check(client, "sample-bill-s3-changed.txt", text.encode())
    eff = client.get(f"/reports/{changed['id']}.json").json()["effective"]["elements"]
    assert eff[OVERRIDDEN]["engine"] == "missing"  # the engine reads the element as before
    # the override cites s. 3, whose wording changed: the engine's verdict stands until someone reviews again
    assert eff[OVERRIDDEN]["effective"] == "missing" and not eff[OVERRIDDEN]["reviewed"]
    # a review resting on an unchanged provision (s. 4) still carries
    assert eff["art3.act.recruitment"]["reviewed"]


def test_edit_and_withdraw_keep_the_history(client, bill):
    el = "art3.means.fraud"
    first = client.post("/api/reviews", json=review(bill, el, "partial", "Dara")).json()
    edit = client.post("/api/reviews", json=review(bill, el, "covered", "Dara", supersedes=first["id"],
                                                   note="on reflection")).json()
    assert edit["supersedes"] == first["id"] and edit["effective"] == "covered"
    other = client.post("/api/reviews", json=review(bill, el, "missing", "Eli", supersedes=first["id"]))
    assert other.status_code == 403 and "Dara" in other.json()["error"]
    gone = client.post(f"/api/reviews/{edit['id']}/withdraw", json={"reviewer": "Dara"})
    assert gone.status_code == 201 and gone.json()["withdrawn"] == 1
    rows = [r for r in client.get("/api/reviews", params={"document": bill["document"]["sha256"]}).json()
            if r["element"] == el and r["reviewer"] == "Dara"]
    assert len(rows) == 3  # nothing is deleted
    page = client.get(f"/reports/{bill['id']}").text
    history = card(page, el).split('class="history"', 1)[1]
    assert "withdrew their review" in history and "on reflection" in history and "replaced" in history


def test_filters_for_unreviewed_and_overrides_are_on_the_page(client, bill):
    page = client.get(f"/reports/{bill['id']}").text
    assert 'id="f-unreviewed"' in page and 'id="f-override"' in page and 'id="f-disagree"' in page
    assert 'data-override="1"' in card(page, OVERRIDDEN) or f'id="finding-{OVERRIDDEN}" data-el' in page
    assert f'id="finding-{OVERRIDDEN}"' in page.split('data-override="1"', 1)[0].rsplit("<article", 1)[1]
    assert 'id="reviewed-count" data-total="84"' in page


def test_export_writes_the_verdict_of_record_for_every_reviewed_draft(client, bill, db, tmp_path):
    written = export_gold(Store(db, create=False), str(tmp_path))
    names = {p.stem for p in written}
    assert "sample-bill" in names and "sample-bill-draft-2" in names
    rows = list(csv.DictReader(open(tmp_path / "sample-bill-draft-2.tsv", encoding="utf-8"), delimiter="\t"))
    row = next(r for r in rows if r["element"] == OVERRIDDEN)
    assert row["status"] == "covered" and "carried from sample-bill.txt" in row["note"]


def test_named_reviewers_are_the_only_names_a_review_may_carry(tmp_path):
    listing = tmp_path / "reviewers.txt"
    listing.write_text("# the review team\nAmina Diallo\tad\nBruno Costa\n", encoding="utf-8")
    assert read_reviewers(str(listing)) == [("Amina Diallo", "ad"), ("Bruno Costa", "Bruno Costa")]
    with TestClient(create_app(tmp_path / "db.sqlite", rules_only=True, reviewers=read_reviewers(str(listing)))) as c:
        rep = check(c, "sample-bill.txt", BILL.read_bytes())
        res = c.post("/api/reviews", json=review(rep, "art3.act.receipt", "covered", "Someone Else"))
        assert res.status_code == 400 and "not on this server's list" in res.json()["error"]
        ok = c.post("/api/reviews", json=review(rep, "art3.act.receipt", "covered", "Amina Diallo"))
        assert ok.status_code == 201 and ok.json()["reviewer_id"] == "ad"
        page = c.get(f"/reports/{rep['id']}").text
        assert '<select name="reviewer"' in page and "<option>Bruno Costa</option>" in page


def test_a_bad_reviewers_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="not found"):
        read_reviewers(str(tmp_path / "nobody.txt"))
    (tmp_path / "empty.txt").write_text("\n# nobody\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no reviewer"):
        read_reviewers(str(tmp_path / "empty.txt"))
    res = CliRunner().invoke(main, ["serve", "--reviewers", str(tmp_path / "nobody.txt"), "--port", "0",
                                    "--db", str(tmp_path / "db")])
    assert res.exit_code == 2 and "reviewers file not found" in res.stderr


def test_an_older_database_gains_the_new_review_columns(tmp_path):
    import sqlite3
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE reviews (id INTEGER PRIMARY KEY AUTOINCREMENT, document TEXT NOT NULL, element TEXT NOT NULL,"
                   " status TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', reviewer TEXT NOT NULL, evidence TEXT NOT NULL"
                   " DEFAULT '', engine_status TEXT NOT NULL DEFAULT '', created TEXT NOT NULL)")
        db.execute("INSERT INTO reviews(document, element, status, reviewer, created) VALUES ('d', 'e', 'covered', 'A', 'x')")
    store = Store(path)
    (r,) = store.reviews()
    assert r.withdrawn == 0 and r.supersedes is None and r.reviewer_id == ""


# ---------------------------------------------------------------------------- the redline

def test_word_edits_mark_the_changed_word_not_the_provision():
    old = "4. A person who recruits, transports or receives another person commits an offence."
    new = "4. A person who recruits, transports, harbours or receives another person commits an offence."
    dels, ins = word_edits(old, new)
    assert [old[a:b] for a, b, _ in dels] == ["transports"]
    assert [new[a:b] for a, b, _ in ins] == ["transports, harbours"]
    assert word_edits(old, old) == ([], [])


def test_compare_is_a_redline_listed_with_its_twins(client):
    client.get("/compare")
    token = client.cookies.get("lexalign_csrf")
    files = [("old", ("v1.txt", V1.read_bytes(), "text/plain")), ("new", ("v2.txt", BILL.read_bytes(), "text/plain"))]
    res = client.post("/compare", data={"csrf_token": token}, files=files, follow_redirects=False)
    job = wait_job(client, res.headers["location"].rsplit("/", 1)[1])
    assert job["state"] == "done", job
    page = client.get(job["url"]).text
    new_pane = page.split('id="pane-new"', 1)[1]
    assert "<ins>" in new_pane and "<del>" in page.split('id="pane-new"', 1)[0]
    assert "s. 7 → s. 8" in page and "data-pairs=" in page and 'id="sync"' in page
    listed = client.get("/diffs.json").json()
    assert any(d["id"] == job["result"] and d["old"] == "v1.txt" for d in listed)
    assert job["result"] in client.get("/diffs").text
    d = client.get(f"/diffs/{job['result']}.json").json()
    assert d == client.get(f"/api/diffs/{job['result']}").json()
    # each draft has its own report, so that reviews can be made on it and carried to the other
    old = client.get(f"/api/reports/{d['old_report']}").json()
    # s. 6 (attempt, aiding and abetting) reads the same in both drafts; s. 4 gained 'harbours'
    client.post("/api/reviews", json=review(old, "art5.2a.attempt", "covered", "Amina"))
    client.post("/api/reviews", json=review(old, "art3.act.recruitment", "covered", "Amina"))
    carry = client.get(job["url"]).text.split('id="carry-line"', 1)[1].split("</p>", 1)[0]
    assert "1 review(s) of the earlier draft hold" in carry and "art3.act.recruitment" in carry


# ---------------------------------------------------------------------------- twins

def test_every_list_has_a_page_a_json_and_a_csv_twin(client, bill):
    for kind in ("reports", "diffs", "reviews", "elements"):
        assert client.get(f"/{kind}").status_code == 200
        rows = client.get(f"/{kind}.json").json()
        res = client.get(f"/{kind}.csv")
        assert res.headers["content-type"].startswith("text/csv")
        table = list(csv.DictReader(io.StringIO(res.text)))
        assert len(table) == len(rows), kind
    elements = client.get("/elements.json").json()
    assert len(elements) == 84 and {"id", "article", "obligation", "definition"} <= set(elements[0])
    assert any(r["id"] == bill["id"] for r in client.get("/reports.json").json())
    report_csv = list(csv.DictReader(io.StringIO(client.get(f"/reports/{bill['id']}.csv").text)))
    assert len(report_csv) == len(bill["findings"]) and {"engine", "effective"} <= set(report_csv[0])


def test_corpus_overview_twin_has_the_verdicts_of_record(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "sample-bill.txt").write_bytes(BILL.read_bytes())
    with TestClient(create_app(tmp_path / "db.sqlite", corpus=str(folder), rules_only=True)) as c:
        for _ in range(600):
            docs = c.get("/corpus.json").json()["documents"]
            if all(d["state"] in ("done", "failed") for d in docs):
                break
            time.sleep(0.1)
        rep = c.get(f"/api/reports/{docs[0]['report']}").json()
        c.post("/api/reviews", json=review(rep, OVERRIDDEN, "covered", "Amina"))
        doc = c.get("/corpus.json").json()["documents"][0]
        assert doc["statuses"][OVERRIDDEN] == "covered" and doc["engine_statuses"][OVERRIDDEN] == "missing"
        row = next(csv.DictReader(io.StringIO(c.get("/corpus.csv").text)))
        assert row[OVERRIDDEN] == "covered" and row["file"] == "sample-bill.txt"


# ---------------------------------------------------------------------------- uploads and the queue

def test_several_files_can_be_checked_each_on_its_own(client):
    client.get("/")
    token = client.cookies.get("lexalign_csrf")
    a = b"TRAFFICKING ACT\n1. A person who recruits another person for the purpose of exploitation commits an offence.\n"
    b = b"PENAL CODE\n10. Whoever harbours a person by means of deception commits an offence.\n"
    files = [("file", ("act-alone.txt", a, "text/plain")), ("file", ("code-alone.txt", b, "text/plain"))]
    res = client.post("/jobs", data={"csrf_token": token, "mode": "separate"}, files=files, follow_redirects=False)
    assert res.status_code == 303 and "?more=" in res.headers["location"]
    first, more = res.headers["location"].split("/jobs/", 1)[1].split("?more=")
    jobs = [wait_job(client, j) for j in [first, *more.split(",")]]
    assert [j["files"] for j in jobs] == [["act-alone.txt"], ["code-alone.txt"]]
    assert all(j["state"] == "done" for j in jobs) and jobs[0]["result"] != jobs[1]["result"]
    assert "code-alone.txt" in client.get(res.headers["location"]).text


def test_a_check_queued_when_the_server_stopped_runs_when_it_starts(tmp_path):
    store = Store(tmp_path / "db.sqlite")
    store.enqueue("pending00001", "check", [("left-over.txt", BILL.read_bytes())])
    with TestClient(create_app(tmp_path / "db.sqlite", rules_only=True)) as c:
        job = wait_job(c, "pending00001")
        assert job["state"] == "done" and c.get(job["url"]).status_code == 200
    assert store.queued() == []


# ---------------------------------------------------------------------------- titles

@pytest.mark.parametrize("text,title", [
    ("REPUBLIC OF ATLANTIS\nPEACE - WORK - FATHERLAND\nANTI-TRAFFICKING BILL, 2030\n1. This Act may be cited as the "
     "Anti-Trafficking Act, 2030.\n", "Anti-Trafficking Act, 2030"),
    ("PARLIAMENT OF THE DEMOCRATIC REPUBLIC OF ATLANTIS\nOFFICIAL GAZETTE\nMonday, 3 March 2030\n"
     "PREVENTION OF TRAFFICKING IN PERSONS AND\nPROTECTION OF VICTIMS ACT\n1. A person who traffics commits an offence.\n",
     "PREVENTION OF TRAFFICKING IN PERSONS AND PROTECTION OF VICTIMS ACT"),
    ("LEY 12 DE 2030\npor la cual se adoptan medidas contra la trata de personas\nEl Congreso DECRETA:\n",
     "LEY 12 DE 2030 por la cual se adoptan medidas contra la trata de personas"),
])
def test_the_title_is_the_statutes_name_not_the_state_above_it(text, title):
    assert guess_title(text) == title


def test_an_amending_act_cites_the_section_it_inserts(client):
    text = (b"PENAL CODE (AMENDMENT) ACT, 2030\n1. This Act may be cited as the Penal Code (Amendment) Act, 2030.\n"
            b"2. The Penal Code is amended by inserting, immediately after section 360B, the following new section -\n"
            b'"360C. Trafficking in persons\n(1) A person who recruits, transports, transfers, harbours or receives a '
            b"person by means of force for the purpose of exploitation commits an offence.\n(2) A person convicted "
            b'under subsection (1) is liable to imprisonment for fifteen years."\n3. This Act comes into force on publication.\n')
    rep = check(client, "penal-code-amendment.txt", text)
    page = client.get(f"/reports/{rep['id']}").text
    # go-to "360C(1)" finds the inserted subsection: its citation is the Code's, not the amending section's
    assert 'data-citation="s. 360C(1)"' in page and 'data-citation="s. 2(1)"' not in page
    assert rep["document"]["title"] == "Penal Code (Amendment) Act, 2030"
