"""The workbench under hostile or unlucky requests: DNS rebinding, oversized uploads, retried
writes, control characters, deep JSON, HEAD, links out of the corpus folder.  Rules-only (quick)."""
from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SAMPLE

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
from fastapi.testclient import TestClient  # noqa: E402

from lexalign.web import create_app  # noqa: E402

BILL = SAMPLE / "sample-bill.txt"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with TestClient(create_app(tmp_path_factory.mktemp("robust") / "db.sqlite", rules_only=True)) as c:
        yield c


@pytest.fixture(scope="module")
def sha(client) -> str:
    res = client.post("/api/check", files=[("file", ("bill.txt", BILL.read_bytes(), "text/plain"))])
    assert res.status_code == 200, res.text
    return res.json()["document"]["sha256"]


def review(sha: str, **change) -> dict:
    return {"document": sha, "element": "art3.act.harbouring", "status": "covered", "note": "s. 4(1)",
            "reviewer": "Amina", **change}


# ----------------------------------------------------------------------------- 6. DNS rebinding

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_host_and_origin_are_checked_whatever_the_listening_address(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "lexalign", "serve", "--host", "0.0.0.0", "--port", str(port),
                             "--db", str(tmp_path / "db.sqlite"), "--rules-only", "--allowed-host", "lexalign.lan"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.time() < deadline, "the server did not start"
            time.sleep(0.3)
        evil = {"Host": f"evil.example:{port}"}
        res = httpx.get(base + "/api/health", headers=evil)
        assert res.status_code == 400 and "--allowed-host" in res.json()["error"]
        # the rebinding page would get its own cookie and token, then post a review as if it were ours
        page = httpx.get(base + "/", headers=evil)
        token = page.cookies.get("lexalign_csrf", "")
        forged = httpx.post(base + "/api/reviews", headers={**evil, "Origin": f"http://evil.example:{port}",
                                                            "X-CSRF-Token": token,
                                                            "Content-Type": "application/json"},
                            cookies={"lexalign_csrf": token}, content=json.dumps(review("0" * 64)))
        assert forged.status_code == 400
        assert httpx.get(base + "/api/health", headers={"Host": f"lexalign.lan:{port}"}).status_code == 200
        assert httpx.get(base + "/api/health", headers={"Host": f"localhost:{port}"}).status_code == 200
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_cross_site_origin_is_refused_even_with_an_allowed_host(tmp_path):
    app = create_app(tmp_path / "db.sqlite", rules_only=True, allowed_hosts=["127.0.0.1", "localhost", "lexalign.lan"])
    with TestClient(app, base_url="http://lexalign.lan:8000") as c:
        res = c.post("/api/reviews", json=review("0" * 64), headers={"Origin": "http://evil.example"})
        assert res.status_code == 403


def test_allowed_host_names_never_mean_any_host():
    from lexalign.web.security import allowed_host_names, host_allowed
    names = allowed_host_names("0.0.0.0", ["LexAlign.LAN.", "*.corp.example"])
    assert "0.0.0.0" not in names and "lexalign.lan" in names
    assert host_allowed("[::1]:8000", names) and host_allowed("a.corp.example:80", names)
    assert not host_allowed("corp.example", names) and not host_allowed("evil.example", names)
    assert allowed_host_names("192.168.1.20")[-1] == "192.168.1.20"


# ----------------------------------------------------------------------------- 7. sizes while streaming

def test_a_file_over_the_limit_is_refused_before_the_rest_of_the_request_is_read(tmp_path):
    app = create_app(tmp_path / "db.sqlite", rules_only=True, max_mb=1)
    boundary = "lexalignboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode() + b"x" * 8_000_000 + f"\r\n--{boundary}--\r\n".encode()
    chunk = 64_000
    sent = {"bytes": 0}
    answer: dict = {}

    async def receive():
        start = sent["bytes"]
        sent["bytes"] = min(len(body), start + chunk)
        return {"type": "http.request", "body": body[start:sent["bytes"]], "more_body": sent["bytes"] < len(body)}

    async def send(msg):
        if msg["type"] == "http.response.start":
            answer["status"] = msg["status"]
        elif msg["type"] == "http.response.body":
            answer["body"] = answer.get("body", b"") + msg.get("body", b"")

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/api/check", "raw_path": b"/api/check", "query_string": b"", "root_path": "",
             "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 5000),
             "headers": [(b"host", b"127.0.0.1:8000"), (b"content-type", f"multipart/form-data; boundary={boundary}".encode()),
                         (b"content-length", str(len(body)).encode())]}
    asyncio.run(app(scope, receive, send))
    assert answer["status"] == 413 and b"big.txt" in answer["body"] and b"limit" in answer["body"]
    assert sent["bytes"] < 2_000_000, f"{sent['bytes']} bytes read of a file refused at 1 MB"


def test_pasted_text_over_the_limit_is_413(tmp_path):
    with TestClient(create_app(tmp_path / "db.sqlite", rules_only=True, max_mb=0.01)) as c:
        c.get("/")
        token = c.cookies.get("lexalign_csrf")
        res = c.post("/jobs", files={"text": (None, "x" * 20_000), "csrf_token": (None, token)},
                     follow_redirects=False)
        assert res.status_code == 413


# ----------------------------------------------------------------------------- 7. same bytes, new name

def test_the_same_text_under_a_new_name_gets_a_report_under_that_name(client, sha):
    res = client.post("/api/check", files=[("file", ("bill-renamed.txt", BILL.read_bytes(), "text/plain"))])
    assert res.status_code == 200
    again = res.json()
    assert again["document"]["source"] == "bill-renamed.txt" and again["document"]["sha256"] == sha
    page = client.get("/").text
    assert "bill-renamed.txt" in page and ">bill.txt<" in page


# ----------------------------------------------------------------------------- 7. retried review writes

def test_a_retried_review_with_its_client_key_is_stored_once(client, sha):
    body = review(sha, reviewer="Retrying Reviewer", client_key="k-0123456789abcdef")
    first = client.post("/api/reviews", json=body)
    second = client.post("/api/reviews", json=body)
    assert first.status_code == 201 and second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    mine = [r for r in client.get("/api/reviews", params={"document": sha}).json() if r["reviewer"] == "Retrying Reviewer"]
    assert len(mine) == 1
    header = client.post("/api/reviews", json=review(sha, reviewer="Header Reviewer"),
                         headers={"Idempotency-Key": "h-0123456789abcdef"})
    replay = client.post("/api/reviews", json=review(sha, reviewer="Header Reviewer"),
                         headers={"Idempotency-Key": "h-0123456789abcdef"})
    assert header.json()["id"] == replay.json()["id"]
    clash = client.post("/api/reviews", json={**body, "status": "missing"})
    assert clash.status_code == 409 and "client_key" in clash.json()["error"]


def test_the_pages_script_sends_a_client_key():
    script = (Path(__file__).resolve().parents[1] / "src" / "lexalign" / "web" / "static" / "app.js").read_text()
    assert "client_key" in script


def test_an_old_database_gains_the_new_columns(tmp_path):
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as con:
        con.executescript("""
        CREATE TABLE documents (sha256 TEXT PRIMARY KEY, name TEXT NOT NULL, title TEXT NOT NULL DEFAULT '', created TEXT NOT NULL);
        CREATE TABLE reports (id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, created TEXT NOT NULL, report TEXT NOT NULL, view TEXT NOT NULL);
        CREATE TABLE reviews (id INTEGER PRIMARY KEY AUTOINCREMENT, document TEXT NOT NULL, element TEXT NOT NULL,
          status TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', reviewer TEXT NOT NULL, evidence TEXT NOT NULL DEFAULT '',
          engine_status TEXT NOT NULL DEFAULT '', created TEXT NOT NULL);
        INSERT INTO reviews(document, element, status, reviewer, created) VALUES ('d', 'e', 'covered', 'A', '2026');
        """)
    from lexalign.store import Store
    store = Store(db)
    assert store.reviews()[0].reviewer == "A"
    r, new = store.add_review("d", "e", "partial", "", "B", client_key="abcdefgh12")
    assert new and store.add_review("d", "e", "partial", "", "B", client_key="abcdefgh12") == (r, False)


# ----------------------------------------------------------------------------- 7. what a review may hold

@pytest.mark.parametrize("field,value", [("reviewer", "Ami\x00na"), ("reviewer", "Amina\u202e"),
                                         ("note", "red \x1b[31m"), ("element", "art3.act.harbouring\x00")])
def test_control_characters_in_a_review_are_refused_with_a_reason(client, sha, field, value):
    res = client.post("/api/reviews", json=review(sha, **{field: value}))
    assert res.status_code == 400 and "control character" in res.json()["error"] and field in res.json()["error"]


def test_a_note_may_hold_line_breaks(client, sha):
    res = client.post("/api/reviews", json=review(sha, note="first line\nsecond line", reviewer="Multi Line"))
    assert res.status_code == 201


@pytest.mark.parametrize("depth", [5_000, 200_000])
def test_deeply_nested_json_is_refused_not_an_internal_error(client, sha, depth):
    res = client.post("/api/reviews", content=b"[" * depth + b"]" * depth, headers={"Content-Type": "application/json"})
    assert res.status_code in (400, 413) and "error" in res.json()


# ----------------------------------------------------------------------------- 7. HEAD

def test_head_answers_like_get(client):
    for path in ("/", "/api/health"):
        res = client.head(path)
        assert res.status_code == 200 and res.content == b"", path
        assert res.headers["content-type"] == client.get(path).headers["content-type"]


# ----------------------------------------------------------------------------- 5. links out of --corpus

def test_corpus_links_out_of_the_folder_are_not_checked(tmp_path):
    src, outside = tmp_path / "corpus", tmp_path / "outside"
    src.mkdir()
    outside.mkdir()
    (outside / "passwd.txt").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (src / "act.txt").write_bytes(BILL.read_bytes())
    (src / "passwd.txt").symlink_to(outside / "passwd.txt")
    with TestClient(create_app(tmp_path / "db.sqlite", corpus=str(src), rules_only=True)) as c:
        docs = c.get("/api/corpus").json()["documents"]
        assert [d["file"] for d in docs] == ["act.txt"]


# ----------------------------------------------------------------------------- 7. a full disk

def test_a_full_disk_is_a_clear_503_not_an_internal_error(tmp_path, monkeypatch):
    app = create_app(tmp_path / "db.sqlite", rules_only=True)
    store = app.fastapi.state.store

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "save_report", full)
    monkeypatch.setattr(store, "_write", full)
    with TestClient(app) as c:
        res = c.post("/api/check", files=[("file", ("bill.txt", BILL.read_bytes(), "text/plain"))])
        assert res.status_code == 503 and "disk is full" in res.json()["error"]
        assert "internal error" not in res.json()["error"]
