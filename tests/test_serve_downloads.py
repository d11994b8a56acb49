"""The report page's downloads: each format arrives as a file that opens, named after the statute."""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest

from conftest import SAMPLE

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
docx = pytest.importorskip("docx")
from fastapi.testclient import TestClient  # noqa: E402

from lexalign.web import create_app  # noqa: E402

WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with TestClient(create_app(tmp_path_factory.mktemp("downloads") / "r.sqlite", rules_only=True)) as c:
        yield c


@pytest.fixture(scope="module")
def report(client):
    bill = SAMPLE / "sample-bill.docx"
    res = client.post("/api/check", files=[("file", ("Meridia bill ünïcode.docx", bill.read_bytes(), WORD))])
    assert res.status_code == 200, res.text
    return res.json()


def download(client, report, fmt):
    res = client.get(f"/reports/{report['id']}/download", params={"format": fmt})
    assert res.status_code == 200, res.text
    disposition = res.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Meridia%20bill%20%C3%BCn%C3%AFcode.lexalign." in disposition
    assert re.search(r'filename="[A-Za-z0-9._-]+\.lexalign\.' + fmt + '"', disposition)
    return res


def test_the_report_page_links_every_download(client, report):
    page = client.get(f"/reports/{report['id']}").text
    for fmt in ("html", "md", "json", "csv", "docx"):
        assert f'href="/reports/{report["id"]}/download?format={fmt}&amp;lang=en"' in page
    # a French page offers the report in French
    fr = client.get(f"/reports/{report['id']}?lang=fr").text
    assert f'href="/reports/{report["id"]}/download?format=md&amp;lang=fr"' in fr


def test_word_download_opens_in_python_docx(client, report):
    res = download(client, report, "docx")
    assert res.headers["content-type"] == WORD
    with zipfile.ZipFile(io.BytesIO(res.content)) as z:
        assert z.testzip() is None
    document = docx.Document(io.BytesIO(res.content))
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert "art3.act.recruitment" in "\n".join(cells)


def test_json_download_is_the_stored_report(client, report):
    res = download(client, report, "json")
    assert res.headers["content-type"].startswith("application/json")
    assert json.loads(res.content) == report


def test_csv_download_has_one_row_per_element(client, report):
    res = download(client, report, "csv")
    assert res.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(res.content.decode("utf-8"))))
    assert [r["element"] for r in rows] == [f["element"] for f in report["findings"]]
    assert {r["status"] for r in rows} <= {"covered", "partial", "missing", "raised", "not_raised"}


def test_html_and_markdown_downloads_are_the_report(client, report):
    html = download(client, report, "html")
    assert html.headers["content-type"].startswith("text/html")
    assert "<style>" in html.text and not re.search(r"<link\b|<script\b|src=", html.text)
    assert "art3.act.recruitment" in html.text
    md = download(client, report, "md")
    assert md.headers["content-type"].startswith("text/markdown")
    assert md.text.startswith("# lexalign report") and "`art3.act.recruitment`" in md.text


def test_report_language_of_a_download(client, report):
    res = client.get(f"/reports/{report['id']}/download", params={"format": "md", "lang": "fr"})
    assert res.text.startswith("# Rapport lexalign")


def test_unknown_format_and_unknown_report_are_refused(client, report):
    assert client.get(f"/reports/{report['id']}/download", params={"format": "exe"}).status_code == 400
    assert client.get("/reports/0000000000000000/download", params={"format": "docx"}).status_code == 404
