"""Screenshots of the workbench's pages at 1400 and 400 px (a desk and a phone), into docs/.

    python scripts/workbench_screenshots.py [--out docs]

Starts ``lexalign serve --rules-only`` on a throw-away database, checks the sample bill, posts a
review that overrides the engine, uploads a second draft (which carries the review) and compares
the two drafts, then captures each page as the viewport shows it (PNG, reduced to 256 colours to
keep the files small).  Needs Playwright and the system's Chromium (``apt-get install chromium``).
"""
from __future__ import annotations

import argparse
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"
WIDTHS = {1400: 900, 400: 800}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def save(page, path: Path) -> None:
    """The viewport as a small PNG (256 colours)."""
    from PIL import Image
    img = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    img.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    tmp = Path(tempfile.mkdtemp(prefix="lexalign-shots-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "HF_HUB_OFFLINE": "1"}
    server = subprocess.Popen([sys.executable, "-m", "lexalign", "serve", "--port", str(port), "--db",
                               str(tmp / "db.sqlite"), "--rules-only"], env=env, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/api/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(url + "/")
            bill = page.request.post(url + "/api/check", multipart={"file": {
                "name": "sample-bill.txt", "mimeType": "text/plain", "buffer": (SAMPLE / "sample-bill.txt").read_bytes()}}).json()
            el = "art3.purpose.removal_of_organs"
            page.request.post(url + "/api/reviews", data={
                "document": bill["document"]["sha256"], "element": el, "status": "covered", "reviewer": "Reviewer Ngozi",
                "evidence": "s. 3", "note": "organs are named in the definition of exploitation"})
            draft = page.request.post(url + "/api/check", multipart={"file": {
                "name": "sample-bill-draft-2.txt", "mimeType": "text/plain",
                "buffer": (SAMPLE / "sample-bill.txt").read_bytes() + b"\n"}}).json()
            page.goto(url + "/compare")
            page.set_input_files("#old", str(SAMPLE / "sample-bill-v1.txt"))
            page.set_input_files("#new", str(SAMPLE / "sample-bill.txt"))
            page.click("form.upload button[type=submit]")
            page.wait_for_url("**/diffs/*", timeout=120_000)
            diff_url = page.url
            esc = el.replace(".", "\\.")
            shots = {
                "index": (url + "/", None),
                "report": (f"{url}/reports/{draft['id']}", None),
                "report-contents": (f"{url}/reports/{bill['id']}", lambda pg: pg.click("#toc summary")),
                "report-find": (f"{url}/reports/{bill['id']}", lambda pg: (pg.fill("#find-input", "victim"),
                                                                          pg.press("#find-input", "Enter"))),
                "report-why-missing": (f"{url}/reports/{bill['id']}#finding-art3c.child_no_means", lambda pg: (
                    pg.locator("#finding-art3c\\.child_no_means .why-missing summary").click(),
                    pg.locator("#finding-art3c\\.child_no_means button.cand").first.click())),
                "report-review": (f"{url}/reports/{bill['id']}#finding-{el}", lambda pg: (
                    pg.locator(f"#finding-{esc} .review-box summary").click())),
                "report-finding-clicked": (f"{url}/reports/{bill['id']}", lambda pg: (
                    pg.locator("#finding-art3\\.act\\.harbouring .f-head").scroll_into_view_if_needed(),
                    pg.locator("#finding-art3\\.act\\.harbouring .f-head").click())),
                "compare-redline": (diff_url, lambda pg: pg.locator("#new-part_2__sec_4").evaluate(
                    "n => { const p = n.closest('.pane'); p.scrollTop = n.offsetTop - p.offsetTop - 40; }")),
                "reports": (url + "/reports", None),
                "elements": (url + "/elements", None),
            }
            for width, height in WIDTHS.items():
                pg = browser.new_page(viewport={"width": width, "height": height})
                for name, (address, act) in shots.items():
                    pg.goto("about:blank")  # a new load even where only the #fragment differs
                    pg.goto(address)
                    pg.wait_for_timeout(250)
                    if act:
                        act(pg)
                        pg.wait_for_timeout(600)
                    save(pg, out / f"workbench-{name}-{width}.png")
                pg.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
