"""Reviews as the verdict of record, and reviews that follow the draft.

A review is a reviewer's verdict on one element of one text.  When the next draft arrives, most of
its provisions read exactly as before; a reviewer's verdict on an element whose provisions did not
change still holds and should not be asked for again.  So a review *carries* from the draft it was
made on to a later text when

- every provision it rests on (the engine's evidence for the element in the reviewed draft, and
  every provision the reviewer cites in the evidence field) reads the same in the later text,
  matched by wording as :func:`lexalign.diff.match_provisions` matches them (a renumbered section
  still matches; whitespace does not count), and
- the engine's verdict on the element is the same in both texts (a verdict that moved means some
  wording that matters moved, even outside the provisions cited).

Where reviewers agree, their verdict is the *effective* verdict: it replaces the engine's in the
summary, the "mandatory elements missing" line, the corpus overview and the gold export, with the
engine's verdict kept beside it.  Where they disagree the engine's verdict stands, flagged.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .reference import load_catalogue
from .reviews import by_element
from .store import Review, Store

#: share of a text's provisions found word for word in another text for the two to be drafts of one bill
RELATED = 0.5
STATUS_ORDER = ("covered", "partial", "missing", "raised", "not_raised")


#: a provision cited in a review's evidence field: "s. 4(1)", "art. 12", "section 3", "9"
_CITED = re.compile(r"\s*(?:ss?\.|sec\.|section|arts?\.?|article|§)?\s*(\d+[A-Za-z]*(?:-\d+)?)\b", re.IGNORECASE)
#: texts already read for carrying, by report id (a report never changes once stored)
_TEXTS: dict[str, "Text"] = {}


def _wording(text: str, citation: str) -> str:
    """A provision's wording without its number and whitespace: what renumbering does not change."""
    num = citation.split()[-1].lower() if citation.split() else ""
    flat = " ".join(text.split()).lower()
    if num:
        flat = re.sub(r"^(?:[^.]{0,80}?\s)?(?:article|art\.|section|s\.)?\s*" + re.escape(num) + r"[.\s\-–]*", "",
                      flat, count=1)
    return flat


@dataclass
class Text:
    """One checked text as the carrying needs it: its provisions' wordings and the engine's findings."""

    sha256: str
    created: str
    findings: dict[str, dict[str, Any]]
    #: per document of the text: (starts, spans) to find the provision an offset lies in
    spans: list[list[dict[str, Any]]]
    sources: dict[str, int]
    wording: dict[str, str] = field(default_factory=dict)  # "k:citation" -> wording
    by_number: dict[str, str] = field(default_factory=dict)  # "s. 4" / "4" -> "k:citation"

    @classmethod
    def of(cls, sha256: str, created: str, report: dict[str, Any], view: dict[str, Any]) -> "Text":
        docs = view.get("documents", [])
        t = cls(sha256, created, {f["element"]: f for f in report.get("findings", [])},
                [d["spans"] for d in docs], {d["source"]: k for k, d in enumerate(docs)})
        for k, d in enumerate(docs):
            for s in d["spans"]:
                key = f"{k}:{s['citation']}"
                t.wording[key] = _wording(d["text"][s["start"]:s["end"]], s["citation"])
                t.by_number.setdefault(s["citation"].lower(), key)
                t.by_number.setdefault(s["citation"].split()[-1].lower(), key)
        return t

    def provision_at(self, source: str, offset: int) -> str | None:
        k = self.sources.get(source, 0)
        if k >= len(self.spans):
            return None
        spans = self.spans[k]
        i = bisect.bisect_right([s["start"] for s in spans], offset) - 1
        if i >= 0 and spans[i]["start"] <= offset < spans[i]["end"]:
            return f"{k}:{spans[i]['citation']}"
        return None

    def basis(self, review: Review) -> set[str] | None:
        """The provisions a review rests on, or None when its evidence cites one this text lacks."""
        out = set()
        for ev in self.findings.get(review.element, {}).get("evidence", []):
            p = self.provision_at(ev.get("source", ""), ev["start"])
            if p:
                out.add(p)
        for piece in re.split(r"[;,]| and ", review.evidence or ""):
            m = _CITED.match(piece)
            if not m:
                continue  # words, not a citation: nothing to match
            key = self.by_number.get(m.group(1).lower())
            if key is None:
                return None
            out.add(key)
        return out

    def wordings(self) -> set[str]:
        return set(self.wording.values())


def related(a: Text, b: Text) -> bool:
    """Are two texts drafts of one bill: does most of the shorter one read word for word in the other?"""
    wa, wb = a.wordings(), b.wordings()
    if not wa or not wb:
        return False
    return len(wa & wb) >= RELATED * min(len(wa), len(wb))


def carries(review: Review, source: Text, target: Text) -> bool:
    """Does a review made on ``source`` hold for ``target`` (see the module docstring)?"""
    before = source.findings.get(review.element, {}).get("status")
    after = target.findings.get(review.element, {}).get("status")
    if before is None or before != after:
        return False
    basis = source.basis(review)
    if basis is None:
        return False
    words = target.wordings()
    return all(source.wording.get(p) in words for p in basis)


def _text(store: Store, sha256: str) -> Text | None:
    head = store.latest_report_id(sha256)
    if head is None:
        return None
    cached = _TEXTS.get(head)
    if cached is not None:
        return cached
    row = store.latest_report_row(sha256)
    if row is None:
        return None
    text = Text.of(sha256, row["created"], row["report"], row["view"])
    if len(_TEXTS) > 256:
        _TEXTS.clear()
    _TEXTS[row["id"]] = text
    return text


def effective_reviews(store: Store, sha256: str, target: Text | None = None) -> tuple[list[Review], dict[int, str]]:
    """The reviews that count for a text: its own and those carried from related drafts, and for each
    carried review the sha256 of the draft it was made on."""
    own = store.reviews(sha256)
    target = target or _text(store, sha256)
    carried_from: dict[int, str] = {}
    out = list(own)
    if target is None:
        return out, carried_from
    for other in store.reviewed_documents():
        if other == sha256:
            continue
        source = _text(store, other)
        if source is None or not related(source, target):
            continue
        rows = store.reviews(other)
        # a withdrawal or an edit carries with the review it replaces
        keep = {r.id for r in rows if carries(r, source, target)}
        for r in rows:
            if r.id in keep or (r.supersedes in keep):
                out.append(r)
                carried_from[r.id] = other
    return out, carried_from


def effective(findings: list[dict[str, Any]], reviews: list[Review]) -> dict[str, dict[str, Any]]:
    """Per element: ``{"engine", "effective", "reviewed", "override", "disagreement", "reviewers"}``."""
    reviewed = by_element(reviews)
    out = {}
    for f in findings:
        er = reviewed.get(f["element"])
        agreed = er.agreed() if er else None
        status = agreed.status if agreed is not None else f["status"]
        out[f["element"]] = {"engine": f["status"], "effective": status, "reviewed": bool(er and er.latest),
                             "override": agreed is not None and agreed.status != f["status"],
                             "disagreement": bool(er and er.disagreement),
                             "reviewers": sorted(er.latest) if er else []}
    return out


def effective_summary(findings: list[dict[str, Any]], verdicts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The report's summary (counts, mandatory elements missing) with reviewers' verdicts of record."""
    cat = {e.id: e for e in load_catalogue()}
    counts = Counter(v["effective"] for v in verdicts.values())
    missing = [f["element"] for f in findings if verdicts[f["element"]]["effective"] == "missing"
               and cat.get(f["element"]) is not None and cat[f["element"]].obligation == "mandatory"]
    return {"counts": {s: counts.get(s, 0) for s in STATUS_ORDER}, "mandatory_missing": missing,
            "reviewed": sum(1 for v in verdicts.values() if v["reviewed"]), "elements": len(verdicts),
            "overrides": sum(1 for v in verdicts.values() if v["override"]),
            "disagreements": sum(1 for v in verdicts.values() if v["disagreement"])}
