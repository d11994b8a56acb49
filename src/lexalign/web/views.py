"""What each page shows, built from the stored JSON: the templates only lay it out.

Every page is a view of data the JSON API also returns (``/reports/{id}`` of
``/api/reports/{id}``, ``/diffs/{id}`` of ``/api/diffs/{id}``), so what a drafter reads and what a
script reads can never disagree.
"""
from __future__ import annotations

import bisect
from pathlib import Path
from typing import Any

from ..overview import FLAG_GROUP, Row, groups_of, short_group
from ..reference import GROUP_TITLES, load_catalogue, protocol_wording
from ..reviews import ELEMENT_STATUSES, FLAG_STATUSES, by_element
from ..store import Review
from .statute import evidence_marks, statute_html

STATUS_LABEL = {"covered": "covered", "partial": "partial", "missing": "missing", "raised": "red flag raised",
                "not_raised": "not raised"}
#: the groups that make up the offence, shown together "at a glance"
OFFENCE_GROUPS = ("act", "means", "purpose", "consent_child")


def _block_of(spans: list[dict[str, Any]], offset: int) -> str | None:
    starts = [s["start"] for s in spans]
    k = bisect.bisect_right(starts, offset) - 1
    if k >= 0 and spans[k]["start"] <= offset < spans[k]["end"]:
        return spans[k]["eid"]
    return None


def report_context(report: dict[str, Any], view: dict[str, Any], reviews: list[Review],
                   carried_from: dict[int, str] | None = None) -> dict[str, Any]:
    from ..carry import effective, effective_summary
    carried_from = carried_from or {}
    docs = view.get("documents", [])
    source_index = {d["source"]: k for k, d in enumerate(docs)}
    reviewed = by_element(reviews)
    verdicts = effective(report.get("findings", []), reviews)
    heading_only = set(view.get("heading_only", []))
    history: dict[str, list[dict[str, Any]]] = {}
    replaced = {r.supersedes for r in reviews if r.supersedes}
    for r in sorted(reviews, key=lambda r: (r.created, r.id), reverse=True):
        history.setdefault(r.element, []).append({**r.to_dict(), "carried": bool(carried_from.get(r.id)),
                                                  "superseded": r.id in replaced})
    findings = {f["element"]: f for f in report.get("findings", [])}
    groups = []
    for g, els in groups_of(e for e in load_catalogue() if e.id in findings):
        items = []
        for e in els:
            f = findings[e.id]
            evidence = []
            for ev in f.get("evidence", []):
                k = source_index.get(ev.get("source", ""), 0)
                spans = docs[k]["spans"] if docs else []
                block = _block_of(spans, ev["start"])
                evidence.append({**ev, "doc": k, "target": f"d{k}-{block}" if block else "",
                                 "file": Path(ev.get("source", "")).name})
            candidates = []
            for c in f.get("candidates", []):
                k = source_index.get(c.get("source", ""), 0)
                candidates.append({**c, "target": f"d{k}-{c['provision']}", "file": Path(c.get("source", "")).name})
            er = reviewed.get(e.id)
            v = verdicts[e.id]
            item = {"id": e.id, "status": v["effective"], "label": STATUS_LABEL.get(v["effective"], v["effective"]),
                    "engine": f["status"], "engine_label": STATUS_LABEL.get(f["status"], f["status"]),
                    "override": v["override"], "reviewed": v["reviewed"],
                    "confidence": f.get("confidence", 0.0), "definition": e.definition, "article": e.article,
                    "obligation": e.obligation, "rationale": f.get("rationale", ""), "evidence": evidence,
                    "exceptions": f.get("exceptions", []), "is_flag": e.is_flag, "group": g,
                    "candidates": candidates,
                    "statuses": FLAG_STATUSES if e.is_flag else ELEMENT_STATUSES,
                    "reviews": history.get(e.id, []), "disagreement": bool(er and er.disagreement),
                    "reviewers": sorted(er.latest) if er else [],
                    "review_statuses": sorted(er.statuses) if er else [],
                    "what_to_add": "", "protocol": "", "heading_only": e.id in heading_only}
            if v["effective"] in ("missing", "partial") and not e.is_flag:
                item["what_to_add"] = e.drafting_note
                if e.obligation == "mandatory" and v["effective"] == "missing":
                    item["protocol"] = protocol_wording(e)
            items.append(item)
        counts = {s: sum(1 for i in items if i["status"] == s) for s in STATUS_LABEL}
        groups.append({"id": g, "title": GROUP_TITLES.get(g, g), "short": short_group(g), "findings": items,
                       "counts": counts, "is_flag": g == FLAG_GROUP})
    glance = [{"id": g["id"], "short": g["short"], "findings": g["findings"]} for g in groups if g["id"] in OFFENCE_GROUPS]
    texts = []
    for k, d in enumerate(docs):
        marks = evidence_marks(report.get("findings", []), d["source"])
        toc = d.get("toc") or [{"eid": sp["eid"], "citation": sp["citation"], "heading": "", "depth": 0,
                                "kind": "section"} for sp in d["spans"]]
        texts.append({"source": d["source"], "file": Path(d["source"]).name, "title": d.get("title", ""),
                      "toc": [{**t, "target": f"d{k}-{t['eid']}"} for t in toc],
                      "html": statute_html(d["text"], d["spans"], marks, prefix=f"d{k}", anchors=d.get("anchors"))})
    document = report.get("document", {})
    offences = document.get("offences") or report.get("offences") or []
    summary = report.get("summary", {})
    eff = effective_summary(report.get("findings", []), verdicts)
    return {"report": report, "document": document, "groups": groups, "glance": glance, "texts": texts,
            "offences": [_offence_view(o) for o in offences if o], "summary": summary,
            "counts": eff["counts"], "engine_counts": summary.get("counts", {}),
            "mandatory_missing": eff["mandatory_missing"],
            "engine_mandatory_missing": summary.get("mandatory_missing", []),
            "notes": report.get("notes", []), "effective": eff,
            "disagreements": eff["disagreements"], "overrides": eff["overrides"],
            "carried": len({r.element for r in reviews if carried_from.get(r.id)}),
            "reviewed": eff["reviewed"], "total": eff["elements"], "status_label": STATUS_LABEL}


def _plain(v: Any) -> str:
    """A fact of an offence frame in words: ``{"value": x, "evidence": [...]}`` wrappers unwrapped,
    booleans as yes/no, cited passages by their citation."""
    if isinstance(v, dict) and "value" in v:
        v = v["value"]
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (list, tuple)):
        return ", ".join(x for x in (_plain(i) for i in v) if x)
    if isinstance(v, dict):
        if "citation" in v:
            return str(v["citation"])
        return ", ".join(f"{k.replace('_', ' ')} {_plain(x)}" for k, x in v.items()
                         if x not in (None, "", [], {}, False))
    return "" if v is None else str(v).replace("_", " ")


def _offence_view(o: Any) -> dict[str, Any]:
    """An offence frame (the engine's ``document.offences``) as a label and facts, whatever its
    exact fields: the page must not break when the engine adds or renames one."""
    if not isinstance(o, dict):
        return {"label": str(o), "facts": []}
    label = _plain(o.get("citation") or o.get("label") or o.get("name") or o.get("id") or "offence")
    if o.get("kind"):
        label += f" ({_plain(o['kind'])})"
    facts = []
    for key, value in o.items():
        if key in ("citation", "label", "name", "id", "kind", "source"):
            continue
        text = _plain(value)
        if text:
            facts.append((key.replace("_", " "), text))
    return {"label": label, "facts": facts}


def diff_context(d: dict[str, Any], view: dict[str, Any]) -> dict[str, Any]:
    """The comparison as a redline: changed words marked inside each provision (``<del>`` in the
    earlier draft, ``<ins>`` in the later), renumbering labelled ("s. 7 → s. 8"), and each
    provision paired with its match so that the two panes can scroll together."""
    from ..diff import word_edits
    kind_of: dict[str, dict[str, str]] = {"old": {}, "new": {}}
    label_of: dict[str, dict[str, str]] = {"old": {}, "new": {}}
    edits: dict[str, list[tuple[int, int, str]]] = {"old": [], "new": []}
    span_of = {side: {sp["citation"]: sp for sp in view[side]["spans"]} for side in ("old", "new")}
    pairs = []
    for p in d.get("provisions", []):
        if p["old"] and p["new"]:
            pairs.append([p["old"], p["new"]])
            if p["renumbered"]:
                kind_of["old"][p["old"]] = kind_of["new"][p["new"]] = "renumbered" + (" changed" if p["changed"] else "")
                label_of["old"][p["old"]] = label_of["new"][p["new"]] = f"{p['old']} → {p['new']}"
            elif p["changed"]:
                kind_of["old"][p["old"]] = kind_of["new"][p["new"]] = "changed"
            so, sn = span_of["old"].get(p["old"]), span_of["new"].get(p["new"])
            if p["changed"] and so and sn:
                dels, ins = word_edits(view["old"]["text"][so["start"]:so["end"]], view["new"]["text"][sn["start"]:sn["end"]])
                edits["old"] += [(so["start"] + a, so["start"] + b, k) for a, b, k in dels]
                edits["new"] += [(sn["start"] + a, sn["start"] + b, k) for a, b, k in ins]
        elif p["old"]:
            kind_of["old"][p["old"]] = "removed"
            label_of["old"][p["old"]] = f"{p['old']} removed"
        elif p["new"]:
            kind_of["new"][p["new"]] = "added"
            label_of["new"][p["new"]] = f"{p['new']} new"
    panes = {}
    for side in ("old", "new"):
        v = view[side]
        marks = []
        for c in d.get("changes", []):
            for ev in c.get(f"{side}_evidence", []):
                if ev["end"] > ev["start"]:
                    status = c[f"{side}_status"]
                    marks.append((ev["start"], ev["end"], c["element"], status if status in ("covered", "partial", "raised") else "partial"))
        panes[side] = {"name": d[side], "report": d.get(f"{side}_report", ""),
                       "html": statute_html(v["text"], v["spans"], marks, prefix=side, span_class=kind_of[side],
                                            anchors=v.get("anchors"), edits=edits[side], span_label=label_of[side])}
    from ..diff import CHANGE_TITLES, HEADING_ONLY_NOTE, _field_line, counts_line
    sections = []
    for kind, title in CHANGE_TITLES.items():
        items = [c for c in d.get("changes", []) if c["change"] == kind]
        if items:
            sections.append({"kind": kind, "title": title, "changes": items})
    changed = [p for p in d.get("provisions", []) if p["changed"] or p["renumbered"]]
    renumbered = [f"{p['old']} → {p['new']}" for p in d.get("provisions", []) if p["old"] and p["new"] and p["renumbered"]]
    offences = [{"where": f"{c['old'] or '—'} → {c['new'] or '—'} ({c['kind'].replace('_', ' ')})", "change": c["change"],
                 "lines": [_field_line(f) for f in c["fields"]]} for c in d.get("offence_changes", [])]
    return {"diff": d, "panes": panes, "sections": sections, "heading_only_note": HEADING_ONLY_NOTE, "offences": offences,
            "old_counts": counts_line(d.get("old_summary", {})), "new_counts": counts_line(d.get("new_summary", {})),
            "provisions": changed, "renumbered": renumbered, "pairs": pairs}


def corpus_rows(entries: list[dict[str, Any]], reports: dict[str, dict[str, Any]],
                verdicts: dict[str, dict[str, dict[str, Any]]] | None = None) -> list[Row]:
    """One overview row per checked statute; ``verdicts`` (report id -> element -> effective verdict,
    :func:`lexalign.carry.effective`) puts reviewers' verdicts of record in place of the engine's."""
    verdicts = verdicts or {}
    rows = []
    for e in entries:
        rep = reports.get(e.get("report") or "")
        if rep:
            eff = verdicts.get(e["report"], {})
            rows.append(Row(e["report"], e["file"], e["jurisdiction"],
                            {f["element"]: eff.get(f["element"], {}).get("effective", f["status"])
                             for f in rep.get("findings", [])}))
    return rows
