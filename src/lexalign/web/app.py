"""The workbench's web application: pages for people, a JSON API for programs, one SQLite file.

Routes (each page has a JSON twin):

=====================================  ==========================================================
``GET  /``                             upload a statute (files or pasted text); recent reports
``POST /jobs``                         start a check from the upload form -> the progress page
``GET  /jobs/{id}``, ``/api/jobs/{id}``  progress of a check or comparison
``POST /api/check``                    multipart ``file`` (repeatable) -> the report JSON
``GET  /reports/{id}``, ``/api/reports/{id}``  report page (statute beside findings) / JSON
``GET  /reports/{id}/download?format=``  the report as a file: html, md, json, csv or docx
``GET  /compare``, ``POST /compare``   compare two drafts -> ``/diffs/{id}`` (``/api/diffs/{id}``)
``GET  /corpus``, ``/api/corpus``      the ``--corpus`` folder: country x group overview
``POST /api/reviews``                  JSON review -> 201; ``GET /api/reviews[?document=sha256]``
``GET  /api/health``                   ``{"status": "ok"}``
=====================================  ==========================================================
"""
from __future__ import annotations

import asyncio
import json
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..errors import LexalignError
from ..reference import load_catalogue
from ..reviews import by_element, validate_review
from ..store import Store
from .checker import Checker, Upload, safe_name
from .security import (BodyLimit, Refused, SecurityHeaders, check_post, csrf_token, set_csrf_cookie, CSRF_FIELD)
from .views import corpus_rows, diff_context, report_context

HERE = Path(__file__).resolve().parent
MAX_FILES = 20
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(["html"], default=True), trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = lambda x: f"{100 * float(x):.0f}%"
    from ..downloads import FORMATS
    env.globals["download_formats"] = [(fmt, label) for fmt, (_, _, label) in FORMATS.items()]
    return env


def create_app(db: str | Path, corpus: str | None = None, model: str | None = None, rules_only: bool = False,
               max_mb: float = 20.0, allowed_hosts: list[str] | None = None) -> Any:
    """The ASGI application.  ``rules_only`` skips the embedding model (quick, for tests and slow
    machines; reports then differ from ``lexalign check``'s); ``allowed_hosts`` guards against DNS
    rebinding when the server listens on the loopback address only."""
    store = Store(db)
    max_bytes = int(max_mb * 1e6)
    checker = Checker(store, model=model, rules_only=rules_only, max_bytes=max_bytes)
    env = _templates()
    corpus_entries: list[dict[str, Any]] = []

    @asynccontextmanager
    async def lifespan(app):
        checker.warm_up()
        _warm_pages(env)
        if corpus:
            _queue_corpus(corpus, checker, corpus_entries)
        yield
        checker.shutdown()

    app = FastAPI(title="lexalign workbench", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  lifespan=lifespan)
    app.state.store, app.state.checker = store, checker
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def page(request: Request, template: str, status: int = 200, **ctx) -> HTMLResponse:
        token = csrf_token(request)
        html = env.get_template(template).render(csrf=token, csrf_field=CSRF_FIELD, has_corpus=bool(corpus),
                                                 rules_only=rules_only, path=request.url.path, **ctx)
        resp = HTMLResponse(html, status_code=status)
        if request.cookies.get("lexalign_csrf") != token:
            set_csrf_cookie(resp, token)
        return resp

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and message == "Not Found":
            message = f"{request.url.path}: no such page"
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=exc.status_code)
        return page(request, "error.html", status=exc.status_code, message=message)

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused):
        if wants_json(request):
            return JSONResponse({"error": exc.message}, status_code=exc.status)
        return page(request, "error.html", status=exc.status, message=exc.message)

    # ------------------------------------------------------------------ uploads
    async def read_form(request: Request, multipart_only: bool = False):
        ctype = request.headers.get("content-type", "")
        if not (ctype.startswith("multipart/form-data") or
                (not multipart_only and ctype.startswith("application/x-www-form-urlencoded"))):
            raise Refused(415, "send the statute as multipart/form-data with the file(s) in the field 'file'")
        try:
            return await request.form(max_files=MAX_FILES, max_fields=50, max_part_size=max_bytes + 1)
        except HTTPException:
            raise
        except Exception as exc:  # malformed multipart, too many parts
            raise Refused(400, f"the upload could not be read: {' '.join(str(exc).split())[:200]}") from None

    async def uploads_from(form, field: str) -> list[Upload]:
        out = []
        for item in form.getlist(field):
            if isinstance(item, UploadFile):
                if not item.filename:
                    continue  # the browser's empty file input
                data = await item.read()
                out.append(Upload(safe_name(item.filename), data))
        return out

    def pasted(form, field: str, name_field: str) -> list[Upload]:
        text = form.get(field)
        if isinstance(text, str) and text.strip():
            name = safe_name(form.get(name_field) if isinstance(form.get(name_field), str) else "", "pasted-text")
            if not Path(name).suffix:
                name += ".txt"
            return [Upload(name, text.encode("utf-8"))]
        return []

    # ------------------------------------------------------------------ API
    @app.get("/api/health")
    async def health():
        return {"status": "ok"}

    @app.post("/api/check")
    async def api_check(request: Request):
        check_post(request)
        form = await read_form(request, multipart_only=True)
        uploads = await uploads_from(form, "file")
        if not uploads:
            raise Refused(400, "no file uploaded: send one or more files in the multipart field 'file'")
        job = checker.submit_check(uploads)
        await asyncio.wrap_future(job.future)
        if job.state != "done":
            return JSONResponse({"error": job.error}, status_code=job.http_status)
        return JSONResponse(store.report(job.result))

    @app.get("/api/jobs/{job_id}")
    async def api_job(job_id: str):
        job = checker.jobs.get(job_id)
        if job is None:
            raise HTTPException(404, f"no job {job_id} (jobs are forgotten when the server restarts; reports are kept)")
        return job.to_dict(checker.queue_position(job))

    @app.get("/api/reports/{report_id}")
    async def api_report(report_id: str):
        report = store.report(report_id)
        if report is None:
            raise HTTPException(404, f"no report {report_id}")
        return report

    @app.get("/api/diffs/{diff_id}")
    async def api_diff(diff_id: str):
        found = store.diff(diff_id)
        if found is None:
            raise HTTPException(404, f"no comparison {diff_id}")
        return found[0]

    @app.post("/api/reviews", status_code=201)
    async def api_post_review(request: Request):
        check_post(request)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise Refused(415, "send the review as JSON (Content-Type: application/json)")
        try:
            data = json.loads(await request.body())
        except ValueError:
            raise Refused(400, "the review is not valid JSON") from None
        try:
            fields = validate_review(data)
        except LexalignError as exc:
            raise Refused(422, exc.message) from None
        report = store.latest_report(fields["document"])
        if report is None:
            raise Refused(404, f"no statute with sha256 {fields['document']} has been checked on this server")
        engine = next((f["status"] for f in report["findings"] if f["element"] == fields["element"]), "")
        review = store.add_review(engine_status=engine, **fields)
        er = by_element(store.reviews(fields["document"])).get(fields["element"])
        out = review.to_dict()
        out["disagreement"] = bool(er and er.disagreement)
        return JSONResponse(out, status_code=201)

    @app.get("/api/reviews")
    async def api_reviews(document: str | None = None):
        return [r.to_dict() for r in store.reviews(document)]

    @app.get("/api/corpus")
    async def api_corpus():
        if not corpus:
            raise HTTPException(404, "the server was started without --corpus")
        return {"folder": corpus, "documents": [_corpus_entry(e, checker) for e in corpus_entries]}

    # ------------------------------------------------------------------ pages
    @app.get("/", response_class=HTMLResponse)
    async def index(request: Request):
        return page(request, "index.html", recent=store.recent_reports(15), max_mb=max_mb)

    @app.post("/jobs")
    async def start_job(request: Request):
        form = await read_form(request)
        check_post(request, form.get(CSRF_FIELD), page_only=True)
        uploads = await uploads_from(form, "file") or pasted(form, "text", "name")
        if not uploads:
            return page(request, "index.html", status=400, recent=store.recent_reports(15), max_mb=max_mb,
                        error="Choose a file or paste the text of a statute first.")
        job = checker.submit_check(uploads)
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.get("/jobs/{job_id}", response_class=HTMLResponse)
    async def job_page(request: Request, job_id: str):
        job = checker.jobs.get(job_id)
        if job is None:
            raise HTTPException(404, f"no job {job_id}: jobs are forgotten when the server restarts (reports are kept)")
        return page(request, "job.html", job=job.to_dict(checker.queue_position(job)))

    @app.get("/reports/{report_id}", response_class=HTMLResponse)
    async def report_page(request: Request, report_id: str):
        report, view = store.report(report_id), store.view(report_id)
        if report is None or view is None:
            raise HTTPException(404, f"no report {report_id}")
        sha = report["document"].get("sha256", "")
        return page(request, "report.html", **report_context(report, view, store.reviews(sha)))

    @app.get("/reports/{report_id}/download")
    async def report_download(report_id: str, format: str = "html", lang: str = "en"):
        from ..downloads import FORMATS, render_download
        from ..wording import REPORT_LANGUAGES
        report = store.report(report_id)
        if report is None:
            raise HTTPException(404, f"no report {report_id}")
        if format not in FORMATS:
            raise HTTPException(400, f"unknown format {format!r}: choose one of {', '.join(FORMATS)}")
        document = store.document(report["document"].get("sha256", ""))
        name = document["name"] if document else ""
        found = await asyncio.to_thread(render_download, report, format, name,
                                        lang if lang in REPORT_LANGUAGES else "en")
        return Response(found.data, media_type=found.media_type,
                        headers={"Content-Disposition": found.content_disposition()})

    @app.get("/compare", response_class=HTMLResponse)
    async def compare_form(request: Request):
        return page(request, "compare.html", max_mb=max_mb)

    @app.post("/compare")
    async def start_compare(request: Request):
        form = await read_form(request)
        check_post(request, form.get(CSRF_FIELD), page_only=True)
        old = (await uploads_from(form, "old")) or pasted(form, "old_text", "old_name")
        new = (await uploads_from(form, "new")) or pasted(form, "new_text", "new_name")
        if len(old) != 1 or len(new) != 1:
            return page(request, "compare.html", status=400, max_mb=max_mb,
                        error="Give one earlier draft and one later draft (a file or pasted text for each).")
        job = checker.submit_diff(old[0], new[0])
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.get("/diffs/{diff_id}", response_class=HTMLResponse)
    async def diff_page(request: Request, diff_id: str):
        found = store.diff(diff_id)
        if found is None:
            raise HTTPException(404, f"no comparison {diff_id}")
        return page(request, "diff.html", **diff_context(*found))

    @app.get("/overview.css")
    async def overview_css():
        from ..overview import OVERVIEW_CSS
        return Response(OVERVIEW_CSS, media_type="text/css")

    @app.get("/overview.js")
    async def overview_js():
        from ..overview import SORT_JS
        return Response(SORT_JS, media_type="text/javascript")

    @app.get("/corpus", response_class=HTMLResponse)
    async def corpus_page(request: Request):
        if not corpus:
            raise HTTPException(404, "the server was started without --corpus: there is no folder to overview")
        from ..overview import LEGEND, overview_tables
        entries = [_corpus_entry(e, checker) for e in corpus_entries]
        reports = {e["report"]: store.report(e["report"]) for e in entries if e.get("report")}
        rows = corpus_rows(entries, reports)
        table = overview_tables(rows, load_catalogue(), link=lambda row, eid: f"/reports/{row.key}#finding-{eid}")
        return page(request, "corpus.html", folder=corpus, entries=entries, table=table, legend=LEGEND,
                    done=sum(1 for e in entries if e["state"] in ("done", "failed")))

    app_with_limits = BodyLimit(app, limit=max_bytes * MAX_FILES + 1_000_000)
    app_with_limits = SecurityHeaders(app_with_limits)
    if allowed_hosts:
        app_with_limits = TrustedHostMiddleware(app_with_limits, allowed_hosts=allowed_hosts)
    app_with_limits.fastapi = app  # type: ignore[attr-defined]
    return app_with_limits


def _warm_pages(env: Environment) -> None:
    """Compile the templates and read the catalogue now, not on a user's first report."""
    from ..reference import protocol_wording
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    for e in load_catalogue():
        protocol_wording(e)


def _queue_corpus(folder: str, checker: Checker, entries: list[dict[str, Any]]) -> None:
    """Queue a check of every statute in the folder (reports already stored are not redone)."""
    from ..batch import _jurisdiction, discover, read_manifest
    src = Path(folder)
    manifest = read_manifest(src)
    for f in discover(src):
        rel = f.relative_to(src).as_posix()
        entry = {"file": rel, "jurisdiction": _jurisdiction(rel, rel, manifest)}
        try:
            data = f.read_bytes()
        except OSError as exc:
            entry.update(state="failed", error=f"{rel}: cannot be read ({exc.strerror or exc})")
            entries.append(entry)
            continue
        entry["job"] = checker.submit_check([Upload(f.name, data)])
        entries.append(entry)


def _corpus_entry(e: dict[str, Any], checker: Checker) -> dict[str, Any]:
    job = e.get("job")
    out = {k: v for k, v in e.items() if k != "job"}
    if job is not None:
        out.update(state=job.state, stage=job.stage)
        if job.result:
            out["report"] = job.result
        if job.error:
            out["error"] = job.error
    return out
