"""Compare two versions of a bill: which elements gained, lost or changed coverage.

Provisions are matched across versions by their wording (not their numbers), so a section that
moved from s. 5 to s. 6 is reported as renumbered rather than as one deleted and one new.
"""
from __future__ import annotations

import difflib
import html
import json
import re
from typing import Any

from .align import check
from .ingest import ingest
from .segment import flatten, segment

RANK = {"missing": 0, "partial": 1, "covered": 2, "not_raised": 0, "raised": 1}


def match_provisions(old_doc, new_doc) -> list[dict[str, Any]]:
    """Section-level pairs (old citation, new citation, similarity), matched by wording."""
    def sections(doc):
        return [p for p in flatten(segment(doc)) if p.kind in ("section", "article")]

    def norm(p, doc):
        text = re.sub(r"\s+", " ", doc.text[p.start:p.end]).lower()
        # the number is what renumbering changes: compare the wording without it
        return re.sub(r"^(?:[^.]{0,80}?\s)?(?:article|art\.|section|s\.)?\s*" + re.escape(p.num.lower()) + r"[.\s\-–]*", "", text, count=1)

    olds, news = sections(old_doc), sections(new_doc)
    pairs, used = [], set()
    # same number and similar wording first, then the best wording match anywhere
    same = {}
    for o in olds:
        for n in news:
            if n.num == o.num and difflib.SequenceMatcher(None, norm(o, old_doc), norm(n, new_doc),
                                                         autojunk=False).ratio() >= 0.7:
                same[id(o)] = n
                used.add(id(n))
                break
    for o in olds:
        if id(o) in same:
            n = same[id(o)]
            r = difflib.SequenceMatcher(None, norm(o, old_doc), norm(n, new_doc), autojunk=False).ratio()
            pairs.append({"old": o.citation, "new": n.citation, "similarity": round(r, 3), "renumbered": False,
                          "changed": r < 0.999})
            continue
        ot = norm(o, old_doc)
        best, best_r = None, 0.0
        for n in news:
            if id(n) in used:
                continue
            r = difflib.SequenceMatcher(None, ot, norm(n, new_doc), autojunk=False).quick_ratio()
            if r > best_r:
                best, best_r = n, r
        if best is not None and best_r >= 0.6:
            r = difflib.SequenceMatcher(None, ot, norm(best, new_doc), autojunk=False).ratio()
            if r >= 0.5:
                used.add(id(best))
                pairs.append({"old": o.citation, "new": best.citation, "similarity": round(r, 3),
                              "renumbered": o.num != best.num, "changed": r < 0.999})
                continue
        pairs.append({"old": o.citation, "new": None, "similarity": 0.0, "renumbered": False, "changed": True})
    for n in news:
        if id(n) not in used:
            pairs.append({"old": None, "new": n.citation, "similarity": 0.0, "renumbered": False, "changed": True})
    return pairs


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def heading_only(evidence, provisions_by_eid: dict) -> bool:
    """Does this piece of evidence quote nothing but a heading?

    A heading ("Organising or directing") names a subject; it states no rule.  A verdict that
    rests on it alone has not been shown to be in the law, however well the words match.
    """
    quote = _norm(evidence.quote)
    if not quote:
        return True
    p = provisions_by_eid.get(evidence.eid)
    while p is not None:
        if p.heading and _norm(p.heading) == quote:
            return True
        p = p.parent
    return False


def diff_documents(old_doc, new_doc, model: str | None = None, old_name: str = "", new_name: str = "",
                   use_embeddings: bool = True, reports: list | None = None) -> dict[str, Any]:
    """Element changes and matched provisions between two versions of one bill (already read).

    ``reports``, when a list, receives the two drafts' reports (the workbench stores them, so that
    each draft has its report page and reviews can be carried from one to the other)."""
    old_r = check([old_doc], model=model, use_embeddings=use_embeddings)
    new_r = check([new_doc], model=model, use_embeddings=use_embeddings)
    if reports is not None:
        reports.extend([old_r, new_r])
    new_provisions = {p.eid: p for p in flatten(segment(new_doc))}
    new_by = {f.element: f for f in new_r.findings}
    changes = []
    for f in old_r.findings:
        g = new_by[f.element]
        if f.status == g.status:
            continue
        delta = RANK[g.status] - RANK[f.status]
        if f.element.startswith("flag."):
            kind = "flag raised" if g.status == "raised" else "flag cleared"
        else:
            kind = "gained" if delta > 0 else "lost"
            if kind == "gained" and g.evidence and all(heading_only(e, new_provisions) for e in g.evidence):
                kind = "heading only"
        changes.append({"element": f.element, "change": kind, "old_status": f.status, "new_status": g.status,
                        "old_evidence": [e.to_dict() for e in f.evidence], "new_evidence": [e.to_dict() for e in g.evidence],
                        "new_rationale": g.rationale})
    return {"old": old_name or old_doc.source, "new": new_name or new_doc.source, "changes": changes,
            "offence_changes": offence_changes(old_r.offences, new_r.offences),
            "provisions": match_provisions(old_doc, new_doc),
            "old_summary": old_r.summary()["counts"], "new_summary": new_r.summary()["counts"]}


#: the offence-frame fields a drafter reads, in the order of the offence table
FRAME_FIELDS = [("acts", "acts"), ("means", "means"), ("means_required_adults", "means required (adults)"),
                ("means_required_children", "means required (children)"), ("purposes", "purposes"),
                ("purpose_open_list", "open list of purposes"), ("victims", "victims"), ("child_age", "age of a child"),
                ("consent", "consent"), ("transnational_required", "border crossing required"),
                ("organised_group_required", "organised group required"), ("penalty", "penalty"),
                ("narrowings", "narrower than the Protocol")]


def _frame_value(offence: dict[str, Any], name: str) -> Any:
    v = offence.get(name)
    if isinstance(v, list):
        return sorted(x["value"] if isinstance(x, dict) else x for x in v)
    if isinstance(v, dict) and "value" in v:
        return v["value"]
    return v


def offence_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How the reading of each trafficking offence changed between two drafts, field by field.

    Offences are paired by kind and order (a renumbered offence is still the same offence); one
    word removed from an offence shows here as the act, means or purpose it took away, even when
    another provision keeps the element's verdict where it was.
    """
    out = []
    for kind in dict.fromkeys(o["kind"] for o in old + new):
        olds = [o for o in old if o["kind"] == kind]
        news = [o for o in new if o["kind"] == kind]
        for i in range(max(len(olds), len(news))):
            o = olds[i] if i < len(olds) else None
            n = news[i] if i < len(news) else None
            if o is None or n is None:
                out.append({"old": o and o["citation"], "new": n and n["citation"], "kind": kind,
                            "change": "offence added" if o is None else "offence removed", "fields": []})
                continue
            fields = []
            for name, label in FRAME_FIELDS:
                a, b = _frame_value(o, name), _frame_value(n, name)
                if a != b:
                    if isinstance(a, list) and isinstance(b, list):
                        fields.append({"field": label, "removed": [x for x in a if x not in b],
                                       "added": [x for x in b if x not in a]})
                    else:
                        fields.append({"field": label, "old": a, "new": b})
            if fields:
                out.append({"old": o["citation"], "new": n["citation"], "kind": kind, "change": "offence reads differently",
                            "fields": fields})
    return out


def _field_line(f: dict[str, Any]) -> str:
    """'acts: removed harbouring; added transfer' or 'consent: silent → irrelevant'."""
    if "added" in f:
        parts = ([f"removed {', '.join(map(str, f['removed']))}"] if f["removed"] else []) + \
                ([f"added {', '.join(map(str, f['added']))}"] if f["added"] else [])
        return f"{f['field']}: " + "; ".join(parts)
    return f"{f['field']}: {f['old']} → {f['new']}"


def diff_reports(old_path: str, new_path: str, model: str | None = None) -> dict[str, Any]:
    return diff_documents(ingest(old_path), ingest(new_path), model=model, old_name=old_path, new_name=new_path)


#: the order and wording of change kinds in the human renderings
CHANGE_TITLES = {"gained": "Gained", "lost": "Lost", "flag raised": "Red flag raised", "flag cleared": "Red flag cleared",
                 "heading only": "Not counted: the new verdict rests on a heading only"}
HEADING_ONLY_NOTE = ("A heading names a subject but states no rule: check that the provision's text does what the "
                     "heading says before counting it as coverage.")


def counts_line(counts: dict[str, int]) -> str:
    """'covered 44 · partial 8 · missing 23 · red flags raised 1 (of 9)' from the status counts."""
    flags = counts.get("raised", 0) + counts.get("not_raised", 0)
    return (f"covered {counts.get('covered', 0)} · partial {counts.get('partial', 0)} · missing {counts.get('missing', 0)}"
            f" · red flags raised {counts.get('raised', 0)} (of {flags})")


def render_diff(d: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(d, ensure_ascii=False, indent=1) + "\n"
    moved = [p for p in d["provisions"] if p["renumbered"]]
    added = [p for p in d["provisions"] if p["old"] is None]
    removed = [p for p in d["provisions"] if p["new"] is None]
    reworded = [p for p in d["provisions"] if p["changed"] and p["old"] and p["new"] and not p["renumbered"]]
    if fmt == "md":
        lines = ["# lexalign diff", "", f"- old: `{d['old']}`: {counts_line(d['old_summary'])}",
                 f"- new: `{d['new']}`: {counts_line(d['new_summary'])}", ""]
        for kind, title in CHANGE_TITLES.items():
            items = [c for c in d["changes"] if c["change"] == kind]
            if not items:
                continue
            lines += [f"## {title} ({len(items)})", ""]
            if kind == "heading only":
                lines += [HEADING_ONLY_NOTE, ""]
            for c in items:
                lines.append(f"### `{c['element']}`: {c['old_status']} → {c['new_status']}")
                for side in ("old", "new"):
                    for e in c[f"{side}_evidence"][:2]:
                        lines.append(f"> {side} **{e['citation']}**: “{e['quote']}”")
                lines += ["", c["new_rationale"], ""]
        if not d["changes"]:
            lines += ["No element changed status.", ""]
        if d.get("offence_changes"):
            lines += ["## How the offence reads: changes", ""]
            for c in d["offence_changes"]:
                where = f"{c['old'] or '—'} → {c['new'] or '—'} ({c['kind']})"
                lines.append(f"- **{where}**: {c['change']}")
                lines += [f"  - {_field_line(f)}" for f in c["fields"]]
            lines.append("")
        lines += ["## Provisions", ""]
        lines += [f"- renumbered: {p['old']} → {p['new']}" + (" (wording changed)" if p["changed"] else "") for p in moved]
        lines += [f"- wording changed: {p['old']}" for p in reworded]
        lines += [f"- new: {p['new']}" for p in added] + [f"- removed: {p['old']}" for p in removed]
        return "\n".join(lines) + "\n"
    esc = html.escape
    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>lexalign diff</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto}blockquote{background:#f6f6f6;margin:.3rem 0;padding:.3rem .6rem}</style></head><body>",
             f"<h1>lexalign diff</h1><p>old: <code>{esc(d['old'])}</code>: {esc(counts_line(d['old_summary']))}<br>"
             f"new: <code>{esc(d['new'])}</code>: {esc(counts_line(d['new_summary']))}</p>"]
    for c in d["changes"]:
        if c["change"] == "heading only":
            parts.append(f"<p>{esc(HEADING_ONLY_NOTE)}</p>")
        parts.append(f"<h3>{esc(CHANGE_TITLES.get(c['change'], c['change']))}: <code>{esc(c['element'])}</code> {esc(c['old_status'])} → {esc(c['new_status'])}</h3>")
        for side in ("old", "new"):
            for e in c[f"{side}_evidence"][:2]:
                parts.append(f"<blockquote>{side} <b>{esc(e['citation'])}</b>: “{esc(e['quote'])}”</blockquote>")
    if d.get("offence_changes"):
        parts.append("<h2>How the offence reads: changes</h2><ul>")
        for c in d["offence_changes"]:
            parts.append(f"<li><b>{esc(str(c['old'] or '—'))} → {esc(str(c['new'] or '—'))}</b> ({esc(c['kind'])}): "
                         f"{esc(c['change'])}<ul>" + "".join(f"<li>{esc(_field_line(f))}</li>" for f in c["fields"]) + "</ul></li>")
        parts.append("</ul>")
    parts.append("<h2>Provisions</h2><ul>" + "".join(
        f"<li>{esc(str(p['old']))} → {esc(str(p['new']))}</li>" for p in moved + reworded + added + removed) + "</ul></body></html>")
    return "\n".join(parts) + "\n"


def word_edits(old_text: str, new_text: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """A redline of one provision: the words deleted from the old text and inserted in the new,
    as ``(start, end, "del"|"ins")`` offsets into each text.  Words are compared as words (difflib
    on whitespace-separated tokens), so one changed word marks one word, not the provision."""
    ow = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", old_text)]
    nw = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", new_text)]
    sm = difflib.SequenceMatcher(None, [w[2] for w in ow], [w[2] for w in nw], autojunk=False)
    dels, ins = [], []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op in ("delete", "replace") and i2 > i1:
            dels.append((ow[i1][0], ow[i2 - 1][1], "del"))
        if op in ("insert", "replace") and j2 > j1:
            ins.append((nw[j1][0], nw[j2 - 1][1], "ins"))
    return dels, ins
