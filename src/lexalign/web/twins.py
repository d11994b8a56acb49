"""Every page has a JSON twin at the same address plus ``.json``, and every table a CSV twin.

A drafter reads ``/reports``; a script reads ``/reports.json`` or ``/reports.csv`` and gets the same
rows, so what the two see can never disagree.  Lists of this module: the reports on this machine,
the comparisons saved, the element catalogue, the reviews; and the twins of single pages (a report,
a comparison, the corpus overview, a job).  Each list is built once here, as rows of plain values,
and then laid out as a page, JSON or CSV.
"""
from __future__ import annotations

import csv
import io
from typing import Any, Callable

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from ..reference import GROUP_TITLES, load_catalogue


def csv_response(columns: list[str], rows: list[dict[str, Any]], name: str) -> Response:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow(["; ".join(map(str, v)) if isinstance(v, (list, tuple)) else ("" if v is None else v)
                    for v in (r.get(c) for c in columns)])
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'inline; filename="{name}.csv"'})


def element_rows() -> list[dict[str, Any]]:
    return [{"id": e.id, "group": e.group, "group_title": GROUP_TITLES.get(e.group, e.group),
             "instrument": e.instrument, "article": e.article, "obligation": e.obligation,
             "kind": "red flag" if e.is_flag else "element", "definition": e.definition,
             "drafting_note": e.drafting_note} for e in load_catalogue()]


#: the lists: (path, title, columns, which column links where)
LISTS = {
    "reports": ("Reports on this machine", ["name", "title", "created", "id", "sha256"], "name"),
    "diffs": ("Comparisons saved", ["old", "new", "changes", "provisions_changed", "created", "id"], "old"),
    "elements": ("The element catalogue", ["id", "group_title", "article", "obligation", "kind", "definition"], "id"),
    "reviews": ("Reviews", ["created", "reviewer", "element", "status", "engine_status", "withdrawn", "supersedes",
                            "evidence", "note", "document", "id"], "element"),
}


def add_twins(app, store, page: Callable[..., Any], corpus_json: Callable[[], dict[str, Any]] | None,
              report_json: Callable[[str], dict[str, Any] | None]) -> None:
    """Register the list pages and the ``.json`` / ``.csv`` twins on ``app``."""

    def rows_of(kind: str) -> list[dict[str, Any]]:
        if kind == "reports":
            return [{**r, "url": f"/reports/{r['id']}"} for r in store.recent_reports(10_000)]
        if kind == "diffs":
            return [{**d, "url": f"/diffs/{d['id']}"} for d in store.diffs(10_000)]
        if kind == "elements":
            return [{**e, "url": f"/elements#{e['id']}"} for e in element_rows()]
        if kind == "reviews":
            out = []
            for r in reversed(store.reviews()):
                rep = store.latest_report(r.document)
                url = f"/reports/{rep['id']}#finding-{r.element}" if rep and rep.get("id") else ""
                out.append({**r.to_dict(), "url": url})
            return out
        raise HTTPException(404)

    def register(kind: str) -> None:
        title, columns, link = LISTS[kind]

        async def as_page(request: Request):
            rows = rows_of(kind)
            return page(request, "list.html", title=title, kind=kind, columns=columns, rows=rows, link=link)

        async def as_json():
            return JSONResponse(rows_of(kind))

        async def as_csv():
            return csv_response(columns + ["url"], rows_of(kind), kind)

        app.add_api_route(f"/{kind}.json", as_json, methods=["GET"])
        app.add_api_route(f"/{kind}.csv", as_csv, methods=["GET"])
        app.add_api_route(f"/{kind}", as_page, methods=["GET"])

    for kind in LISTS:
        register(kind)

    @app.get("/reports/{report_id}.json")
    async def report_twin(report_id: str):
        found = report_json(report_id)
        if found is None:
            raise HTTPException(404, f"no report {report_id}")
        return JSONResponse(found)

    @app.get("/reports/{report_id}.csv")
    async def report_csv(report_id: str):
        found = report_json(report_id)
        if found is None:
            raise HTTPException(404, f"no report {report_id}")
        eff = found.get("effective", {}).get("elements", {})
        rows = [{"element": f["element"], "engine": f["status"], "effective": eff.get(f["element"], {}).get("effective", f["status"]),
                 "confidence": f.get("confidence"), "evidence": [e["citation"] for e in f.get("evidence", [])],
                 "considered": [c["citation"] for c in f.get("candidates", [])],
                 "reviewers": eff.get(f["element"], {}).get("reviewers", [])} for f in found["findings"]]
        return csv_response(["element", "engine", "effective", "confidence", "evidence", "considered", "reviewers"],
                            rows, f"report-{report_id}")

    @app.get("/diffs/{diff_id}.json")
    async def diff_twin(diff_id: str):
        found = store.diff(diff_id)
        if found is None:
            raise HTTPException(404, f"no comparison {diff_id}")
        return JSONResponse(found[0])

    @app.get("/corpus.json")
    async def corpus_twin():
        if corpus_json is None:
            raise HTTPException(404, "the server was started without --corpus")
        return JSONResponse(corpus_json())

    @app.get("/corpus.csv")
    async def corpus_csv():
        if corpus_json is None:
            raise HTTPException(404, "the server was started without --corpus")
        data = corpus_json()
        ids = [e.id for e in load_catalogue()]
        rows = [{"file": d["file"], "jurisdiction": d.get("jurisdiction", ""), "state": d.get("state", ""),
                 **d.get("statuses", {})} for d in data["documents"]]
        return csv_response(["file", "jurisdiction", "state"] + ids, rows, "corpus")

    @app.get("/jobs/{job_id}.json")
    async def job_twin(job_id: str):
        job = app.state.checker.jobs.get(job_id)
        if job is None:
            raise HTTPException(404, f"no job {job_id} (jobs are forgotten when the server restarts; reports are kept)")
        return JSONResponse(job.to_dict(app.state.checker.queue_position(job)))
