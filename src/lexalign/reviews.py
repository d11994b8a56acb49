"""Reviewers' verdicts: checking them, reading agreement out of them, and writing them as gold.

A reviewer may change their mind: only each reviewer's latest verdict on an element counts.  When
the latest verdicts of two reviewers differ, that is a disagreement; it is shown on the report
page and kept out of the gold export, because a label people dispute is not a label to measure
or fit an engine against.

Export (``lexalign reviews export``) writes one TSV per reviewed statute in the format of the
project's gold files (``element  status  evidence  note``), named after the uploaded file's stem so
that ``lexalign evaluate --gold OUT --corpus <folder with the statute>`` finds the statute.  By
default only the elements a reviewer decided are written: filling the other rows with the engine's
own verdicts would make the engine agree with itself and feed its guesses back into calibration.
``--all-elements`` writes all rows anyway (the engine's verdict, marked "unreviewed" in the note)
for tools that need complete files.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import LexalignError, UsageError
from .reference import load_catalogue
from .store import Review, Store

ELEMENT_STATUSES = ("covered", "partial", "missing")
FLAG_STATUSES = ("raised", "not_raised")
PRESENT = ("covered", "partial")
MAX_NOTE = 4000
MAX_NAME = 100
MAX_KEY = 100

#: control characters (C0, DEL, C1), line and paragraph separators, bidirectional overrides, BOM
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
#: the same, less the tab and line breaks a note typed in a text box may hold
_CONTROL_IN_NOTE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_CLIENT_KEY = re.compile(r"[A-Za-z0-9._:-]{8,%d}" % MAX_KEY)


class BadCharacters(UsageError):
    """A review field holding control characters: refused (HTTP 400), never stored or exported."""


def allowed_statuses(element_id: str) -> tuple[str, ...]:
    cat = {e.id: e for e in load_catalogue()}
    if element_id not in cat:
        raise UsageError(f"unknown element {element_id!r}; 'lexalign elements' lists them")
    return FLAG_STATUSES if cat[element_id].is_flag else ELEMENT_STATUSES


def validate_review(data: Any) -> dict[str, str]:
    """The fields of a posted review, or a one-line :class:`UsageError` naming what is wrong.

    Control characters are refused rather than cleaned: a NUL or a bidirectional override in a
    reviewer's name would travel into the exported gold and the pages, and silently editing what
    a reviewer wrote would be worse than asking them to send it again.
    """
    if not isinstance(data, dict):
        raise UsageError("a review is a JSON object with document, element, status, note and reviewer")
    out = {}
    for key in ("document", "element", "status", "note", "reviewer", "evidence"):
        value = data.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise UsageError(f"review field {key!r} must be a string")
        bad = (_CONTROL_IN_NOTE if key in ("note", "evidence") else _CONTROL).search(value)
        if bad:
            raise BadCharacters(f"review field {key!r} contains a control character (U+{ord(bad.group()):04X}); "
                                "send plain text")
        out[key] = value.strip()
    if not re.fullmatch(r"[0-9a-f]{64}", out["document"]):
        raise UsageError("review field 'document' must be the statute's sha256 (64 hex digits), as in document.sha256")
    statuses = allowed_statuses(out["element"])
    if out["status"] not in statuses:
        raise UsageError(f"status {out['status']!r} is not one of {', '.join(statuses)} for {out['element']}")
    if not out["reviewer"]:
        raise UsageError("review field 'reviewer' is required: reviews are kept with the reviewer's name")
    if len(out["reviewer"]) > MAX_NAME:
        raise UsageError(f"reviewer name longer than {MAX_NAME} characters")
    if len(out["note"]) > MAX_NOTE or len(out["evidence"]) > MAX_NOTE:
        raise UsageError(f"review note or evidence longer than {MAX_NOTE} characters")
    return out


def validate_client_key(value: Any) -> str | None:
    """The client's idempotency key (``client_key`` or ``Idempotency-Key``), or None when absent."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _CLIENT_KEY.fullmatch(value):
        raise UsageError(f"client_key must be 8 to {MAX_KEY} letters, digits or . _ : - (a random id per review)")
    return value
def read_reviewers(path: str) -> list[tuple[str, str]]:
    """The named reviewers of ``serve --reviewers FILE``: one per line, ``name`` or ``name<TAB>id``;
    blank lines and lines starting with ``#`` are skipped.  A review then carries a known name."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise UsageError(f"{path}: reviewers file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the reviewers file ({getattr(exc, 'strerror', None) or exc})") from None
    out: list[tuple[str, str]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, rid = line.partition("\t")
        name, rid = " ".join(name.split()), rid.strip()
        if not name or len(name) > MAX_NAME or re.search(r"[\x00-\x1f\x7f]", name + rid):
            raise UsageError(f"{path}:{n}: a reviewer is a name of 1 to {MAX_NAME} characters, optionally a tab and an id")
        if any(name == o[0] for o in out):
            raise UsageError(f"{path}:{n}: reviewer {name!r} is listed twice")
        out.append((name, rid or name))
    if not out:
        raise UsageError(f"{path}: no reviewer named in the file (one name per line)")
    return out


@dataclass
class ElementReviews:
    """Where the reviewers stand on one element of one statute."""

    element: str
    latest: dict[str, Review]  # reviewer -> their latest review

    @property
    def statuses(self) -> set[str]:
        return {r.status for r in self.latest.values()}

    @property
    def disagreement(self) -> bool:
        return len(self.statuses) > 1

    def agreed(self) -> Review | None:
        """The most recent review when every reviewer's latest verdict agrees, else None."""
        if self.disagreement or not self.latest:
            return None
        return max(self.latest.values(), key=lambda r: (r.created, r.id))

    def to_dict(self) -> dict[str, Any]:
        return {"element": self.element, "disagreement": self.disagreement,
                "latest": {name: r.to_dict() for name, r in sorted(self.latest.items())}}


def by_element(reviews: list[Review]) -> dict[str, ElementReviews]:
    """Each reviewer's latest word on each element; a reviewer whose latest word withdrew their
    review has none.  Reviews carried from an earlier draft count like the text's own."""
    out: dict[str, ElementReviews] = {}
    for r in sorted(reviews, key=lambda r: (r.created, r.id)):
        er = out.setdefault(r.element, ElementReviews(r.element, {}))
        if r.withdrawn:
            er.latest.pop(r.reviewer, None)
        else:
            er.latest[r.reviewer] = r
    return {k: v for k, v in out.items() if v.latest}


def gold_stem(name: str) -> str:
    """A file stem safe on every system, kept as close to the uploaded name as possible."""
    stem = re.sub(r"[^\w.\-]+", "-", Path(name).stem, flags=re.UNICODE).strip(".-") or "document"
    return stem[:120]


def gold_rows(store: Store, sha256: str, all_elements: bool = False) -> tuple[list[list[str]], list[str]]:
    """Rows of the gold TSV for one statute, and the elements left out for disagreement."""
    from .carry import effective_reviews
    report = store.latest_report(sha256) or {"findings": []}
    engine = {f["element"]: f for f in report.get("findings", [])}
    reviews, carried_from = effective_reviews(store, sha256)
    reviewed = by_element(reviews)
    rows, disputed = [], []
    for e in load_catalogue():
        er = reviewed.get(e.id)
        if er and er.disagreement:
            disputed.append(e.id)
            continue
        agreed = er.agreed() if er else None
        if agreed is not None:
            evidence = agreed.evidence
            finding = engine.get(e.id)
            if not evidence and finding and agreed.status == finding["status"] and agreed.status in PRESENT:
                # the reviewer confirmed the verdict as shown, quoted provisions included
                evidence = "; ".join(dict.fromkeys(ev["citation"] for ev in finding["evidence"]))
            names = ", ".join(sorted(er.latest))
            origin = carried_from.get(agreed.id)
            carried = ""
            if origin:
                doc = store.document(origin)
                carried = f"; carried from {doc['name'] if doc else origin[:12]}, whose provisions read the same"
            note = " ".join(f"{agreed.note} (reviewed by {names}, {agreed.created[:10]}{carried})".split())
            note = _CONTROL.sub("", note)  # reviews stored before control characters were refused
            rows.append([e.id, agreed.status, evidence or "-", note])
        elif all_elements and e.id in engine:
            f = engine[e.id]
            cites = "; ".join(dict.fromkeys(ev["citation"] for ev in f["evidence"])) or "-"
            rows.append([e.id, f["status"], cites, "unreviewed: engine verdict"])
    return rows, disputed


def export_gold(store: Store, out_dir: str, all_elements: bool = False, progress=None) -> list[Path]:
    """One gold TSV per reviewed statute in ``out_dir``; returns the files written."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LexalignError(f"cannot create {out_dir}: {exc.strerror or exc}", LexalignError.OUTPUT) from None
    written: list[Path] = []
    used: set[str] = set()
    # every checked text: one whose reviews all carried from an earlier draft is reviewed too
    from .carry import effective_reviews
    for doc in store.documents():
        sha = doc["sha256"]
        if not effective_reviews(store, sha)[0]:
            continue
        stem = gold_stem(doc["name"] if doc else sha[:12])
        if stem in used:  # two different texts uploaded under one name: keep both, tell them apart
            stem = f"{stem}-{sha[:8]}"
        used.add(stem)
        rows, disputed = gold_rows(store, sha, all_elements)
        if progress and disputed:
            progress(f"{stem}: {len(disputed)} element(s) left out, reviewers disagree: {', '.join(disputed)}")
        if not rows:
            continue
        path = out / f"{stem}.tsv"
        try:
            with open(path, "w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
                w.writerow(["element", "status", "evidence", "note"])
                w.writerows(rows)
        except OSError as exc:
            raise LexalignError(f"cannot write {path}: {exc.strerror or exc}", LexalignError.OUTPUT) from None
        written.append(path)
    return written
