"""The workbench end to end in a real headless browser (the system's Chromium, driven by Playwright).

A drafter uploads the sample bill, waits for the check, opens the report, clicks a finding to see
its words in the statute, posts a review; the server is restarted and the review is still there.
The server runs as its own process (``lexalign serve``) in its rules-only mode so that the test
does not wait for the embedding model.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if not CHROMIUM:
    pytest.skip("no chromium on PATH (apt-get install chromium): browser tests skipped", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed: browser tests skipped")
expect = sync_api.expect


def _until(condition, timeout: float = 5.0) -> None:
    """Wait for a condition checked from Python (the pages' CSP forbids evaluating strings)."""
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            raise AssertionError("condition not met within the timeout")
        time.sleep(0.05)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``lexalign serve`` in a child process, started and stopped like a user would."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Server":
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
               "HF_HUB_OFFLINE": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "lexalign", "serve", "--port", str(self.port),
                                      "--db", str(self.db), "--rules-only"], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"lexalign serve exited: {self.proc.stderr.read().decode()[-500:]}")
            try:
                with urllib.request.urlopen(self.url + "/api/health", timeout=1) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("lexalign serve did not answer within 60 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def test_upload_report_click_review_restart(browser, tmp_path):
    server = Server(tmp_path / "reviews.sqlite").start()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(server.url + "/")
        page.set_input_files("#file", str(SAMPLE / "sample-bill.txt"))
        page.click("form.upload button[type=submit]")
        # while the check runs, the server keeps answering
        slowest, deadline = 0.0, time.time() + 120
        while "/reports/" not in page.url and time.time() < deadline:
            t = time.perf_counter()
            with urllib.request.urlopen(server.url + "/api/health", timeout=5) as r:
                assert r.status == 200
            slowest = max(slowest, time.perf_counter() - t)
            page.wait_for_timeout(100)
        assert slowest < 1.0, slowest
        page.wait_for_url("**/reports/*", timeout=120_000)
        expect(page.locator("#f-count")).to_contain_text("findings shown")
        # interactive soon after the check finished: the page loads and its script runs within a second
        timing = page.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0];"
                               " return {dcl: n.domContentLoadedEventEnd - n.startTime, load: n.loadEventEnd - n.startTime}; })()")
        assert timing["dcl"] < 1000 and timing["load"] < 1000, timing
        report_url = page.url

        # clicking a finding shows (and scrolls to) the words it rests on
        card = page.locator("#finding-art3\\.act\\.recruitment")
        card.locator(".f-head").click()
        marks = page.locator('mark.ev.focus[data-el~="art3.act.recruitment"]')
        assert marks.count() >= 1
        _until(lambda: page.locator("#text-pane").evaluate("pane => pane.scrollTop") > 0)
        assert page.locator(".prov.focus").count() >= 1

        # filters: red flags only leaves only flag findings
        page.check("#f-flags")
        shown = page.locator(".finding:not([hidden])")
        assert shown.count() >= 1 and all(f == "1" for f in shown.evaluate_all("els => els.map(e => e.dataset.flag)"))
        page.uncheck("#f-flags")

        # a review, kept with the reviewer's name
        card.locator("summary").click()
        form = card.locator("form.review")
        form.locator("select[name=status]").select_option("partial")
        form.locator("input[name=reviewer]").fill("Reviewer Ngozi")
        form.locator("textarea[name=note]").fill("Recruitment only of adults <b>here</b>")
        form.locator("button[type=submit]").click()
        expect(form.locator(".review-msg")).to_contain_text("Saved", timeout=10_000)
        assert "Reviewer Ngozi" in card.locator(".history").inner_text()

        # a bad file: the CLI's one-line message, no progress bar left spinning
        fake = tmp_path / "fake.pdf"
        fake.write_bytes(b"hello, not a pdf")
        page.goto(server.url + "/")
        page.set_input_files("#file", str(fake))
        page.click("form.upload button[type=submit]")
        expect(page.locator("#job-error")).to_contain_text("fake.pdf: named .pdf but is not a PDF file")
        expect(page.locator("#running")).to_be_hidden()
    finally:
        server.stop()

    server.start()  # same database, new process
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(report_url)
        card = page.locator("#finding-art3\\.act\\.recruitment")
        assert "1 so far" in card.locator("summary").inner_text()
        card.locator("summary").click()
        history = card.locator(".history").inner_text()
        assert "Reviewer Ngozi" in history and "Recruitment only of adults <b>here</b>" in history
        assert "reviewed" in card.locator(".f-head").inner_text()
    finally:
        server.stop()


# ---------------------------------------------------------------------------- a drafter's and a reviewer's path

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("workbench") / "reviews.sqlite").start()
    yield server
    server.stop()


def _post_check(page, server: Server, name: str, data: bytes) -> dict:
    res = page.request.post(server.url + "/api/check",
                            multipart={"file": {"name": name, "mimeType": "text/plain", "buffer": data}})
    assert res.ok, res.text()
    return res.json()


def _in_view(page, selector: str, pane: str | None = None) -> bool:
    """Is the element on screen (and inside its scrolling pane, below the pane's sticky tools)?"""
    box = page.locator(selector).first.bounding_box()
    if box is None:
        return False
    top, bottom = 0, page.viewport_size["height"]
    if pane:
        p = page.locator(pane).bounding_box()
        tools = page.locator(pane + " .statute-tools")
        top = max(top, p["y"] + (tools.bounding_box()["height"] if tools.count() else 0))
        bottom = min(bottom, p["y"] + p["height"])
    return box["y"] >= top - 2 and box["y"] < bottom


def test_navigate_find_explain_review_and_carry(browser, served):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(served.url + "/")
    bill = _post_check(page, served, "sample-bill.txt", (SAMPLE / "sample-bill.txt").read_bytes())
    page.goto(f"{served.url}/reports/{bill['id']}")

    # keyboard only: the skip link is the first stop, and two more Tabs reach the first finding
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the findings"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('f-head')")
    page.keyboard.press("Enter")
    assert page.locator("mark.ev.focus").count() >= 1
    # a highlighted word takes the focus and opens its finding
    page.locator("mark.ev").first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.classList.contains('f-head')")

    # the table of contents takes the reader to s. 9, below the sticky tools
    page.click("#toc summary")
    page.click('.toc-list a[data-target="d0-part_2__sec_9"]')
    _until(lambda: _in_view(page, "#d0-part_2__sec_9", "#text-pane"))
    assert "focus" in page.locator("#d0-part_2__sec_9").get_attribute("class")
    # go to a sub-provision by its citation
    page.fill("#goto-input", "4(2)")
    page.press("#goto-input", "Enter")
    _until(lambda: _in_view(page, '[data-citation="s. 4(2)"]', "#text-pane"))
    # find words: hits counted, Enter goes from one to the next
    page.fill("#find-input", "victim")
    page.press("#find-input", "Enter")
    expect(page.locator("#find-count")).to_contain_text("1 of")
    page.press("#find-input", "Enter")
    expect(page.locator("#find-count")).to_contain_text("2 of")

    # why partial: the provisions considered, and a click shows one in the statute
    partial = page.locator('.finding[data-status="partial"]:has(.why-missing button.cand)').first
    partial.locator(".why-missing summary").click()
    partial.locator("button.cand").first.click()
    expect(page.locator("#focus-line")).to_contain_text("was considered for")

    # a review that overrides the engine: the summary follows without a reload
    el = "art3.purpose.removal_of_organs"
    card = page.locator(f"#finding-{el.replace('.', chr(92) + '.')}")
    card.locator(".review-box summary").click()
    form = card.locator("form.review")
    form.locator("select[name=status]").select_option("covered")
    form.locator("input[name=reviewer]").fill("Reviewer Ngozi")
    form.locator("input[name=evidence]").fill("s. 3")
    form.locator("button[type=submit]").click()
    expect(page.locator("#reviewed-count")).to_have_text("1 of 84 reviewed")
    expect(card.locator(".f-head")).to_contain_text("engine: missing")
    assert el not in page.locator("#mandatory-list").inner_text()
    page.check("#f-override")
    assert page.locator(".finding:not([hidden])").count() == 1
    page.uncheck("#f-override")

    # the next draft, one newline longer, from the upload form: the review is carried
    draft = served.db.parent / "sample-bill-draft-2.txt"
    draft.write_bytes((SAMPLE / "sample-bill.txt").read_bytes() + b"\n")
    page.goto(served.url + "/")
    page.set_input_files("#file", str(draft))
    page.click("form.upload button[type=submit]")
    page.wait_for_url("**/reports/*", timeout=60_000)
    expect(page.locator("#reviewed-count")).to_have_text("1 of 84 reviewed")
    expect(page.locator(f"#finding-{el.replace('.', chr(92) + '.')} .f-head")).to_contain_text("engine: missing")


def test_compare_as_a_redline_with_panes_that_scroll_together(browser, served):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(served.url + "/compare")
    page.set_input_files("#old", str(SAMPLE / "sample-bill-v1.txt"))
    page.set_input_files("#new", str(SAMPLE / "sample-bill.txt"))
    page.click("form.upload button[type=submit]")
    page.wait_for_url("**/diffs/*", timeout=60_000)
    assert page.locator("#pane-new ins").count() >= 1 and page.locator("#pane-old del").count() >= 1
    expect(page.locator(".renumbered-list")).to_contain_text("s. 7 → s. 8")
    page.locator("#pane-new").evaluate("p => { p.scrollTop = 1200; }")
    _until(lambda: page.locator("#pane-old").evaluate("p => p.scrollTop") > 600)
    page.goto(served.url + "/diffs")
    assert page.locator("#list-diffs tbody tr").count() >= 1


def test_on_a_phone_a_click_on_a_finding_shows_its_provision(browser, served):
    page = browser.new_page(viewport={"width": 400, "height": 800})
    page.goto(served.url + "/")
    bill = _post_check(page, served, "sample-bill.txt", (SAMPLE / "sample-bill.txt").read_bytes())
    page.goto(f"{served.url}/reports/{bill['id']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400  # nothing wider than the screen
    head = page.locator("#finding-art3\\.act\\.harbouring .f-head")
    head.scroll_into_view_if_needed()
    head.click()
    _until(lambda: _in_view(page, "mark.ev.focus", "#text-pane"))
    # the finding clicked stays in view below the statute
    assert _in_view(page, "#finding-art3\\.act\\.harbouring")


def test_a_word_bill_uploaded_downloaded_and_read_in_french_and_spanish(browser, served, tmp_path):
    """A drafter uploads the bill as .docx from the page, switches the page to French and then
    Spanish, and downloads the report as Word and as Markdown in that language."""
    import docx  # python-docx
    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page.goto(served.url + "/")
    page.set_input_files("#file", str(SAMPLE / "sample-bill.docx"))
    page.click("form.upload button[type=submit]")
    page.wait_for_url("**/reports/*", timeout=120_000)
    assert page.locator(".finding").count() >= 80
    page.click('nav.lang a[hreflang="fr"]')
    _until(lambda: page.evaluate("document.documentElement.lang") == "fr")
    assert "Télécharger le rapport" in page.locator(".downloads").inner_text()
    with page.expect_download() as dl:
        page.click('.downloads a[data-format="docx"]')
    path = tmp_path / "report.docx"
    dl.value.save_as(path)
    assert any("trafficking" in p.text.lower() or "traite" in p.text.lower() for p in docx.Document(path).paragraphs)
    page.click('nav.lang a[hreflang="es"]')
    _until(lambda: page.evaluate("document.documentElement.lang") == "es")
    with page.expect_download() as dl:
        page.click('.downloads a[data-format="md"]')
    md = tmp_path / "report.md"
    dl.value.save_as(md)
    text = md.read_text(encoding="utf-8")
    assert "lang=es" in dl.value.url and text.strip()
