"""Data types shared by every stage: documents, provisions, elements, findings.

Each type is a plain dataclass so that stages stay pure functions over data, and every piece of
evidence carries character offsets into the document text: a lawyer can always go back to the
exact words a verdict rests on.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Iterator


@dataclass
class Document:
    """A legal text as read from one file.

    ``text`` is the cleaned text every offset refers to; ``page_starts`` holds the offset at which
    each page begins (empty for formats without pages).
    """

    source: str
    text: str
    language: str = "en"
    #: the file's own title (HTML, PDF metadata) or else its first substantial line: the engine reads
    #: it to tell a trafficking statute (``units.is_trafficking_statute``), so it is kept as it was
    title: str = ""
    format: str = "txt"
    page_starts: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: structure read directly from the file (Akoma Ntoso): list of (eid, num, heading, start, end)
    native_structure: list[dict[str, Any]] | None = None
    #: the statute's name for people (reports, pages): its short title when it states one, not the
    #: state or the gazette printed above it (:func:`lexalign.ingest.guess_title`); empty: ``title``
    name: str = ""

    def page_at(self, offset: int) -> int | None:
        """The 1-based page on which ``offset`` lies, or None for formats without pages."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))


@dataclass
class Provision:
    """One numbered (or unnumbered) unit of a statute.

    ``start``/``end`` span the provision with all its descendants; ``text`` is its *own* text: from
    its start up to its first child.  Concatenating the own texts of all provisions in document
    order gives back the document text, so nothing the statute says is ever lost.
    """

    eid: str
    kind: str
    num: str
    citation: str
    heading: str
    text: str
    start: int
    end: int
    page: int | None = None
    term: str | None = None
    language: str = ""  # of this provision's own text; bilingual statutes interleave languages
    children: list["Provision"] = field(default_factory=list)
    parent: "Provision | None" = field(default=None, repr=False, compare=False)

    def walk(self) -> Iterator["Provision"]:
        """This provision and all its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def full_text(self, doc_text: str) -> str:
        """The provision's text with all its descendants."""
        return doc_text[self.start:self.end]

    def ancestors(self) -> list["Provision"]:
        out = []
        node = self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "eid": self.eid,
            "kind": self.kind,
            "num": self.num,
            "citation": self.citation,
            "heading": self.heading,
            "term": self.term,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "page": self.page,
            "language": self.language,
            "children": [c.to_dict() for c in self.children],
        }


def walk_all(provisions: list[Provision]) -> Iterator[Provision]:
    """Every provision of a tree, in document order."""
    for p in provisions:
        yield from p.walk()


@dataclass
class Element:
    """One obligation or gap from the element catalogue (``corpora/elements.yaml``)."""

    id: str
    group: str
    instrument: str
    article: str
    obligation: str
    definition: str
    full: str
    partial: list[str]
    cues: dict[str, list[str]]
    false_friends: list[str]
    polarity: str = "positive"
    drafting_note: str = ""
    detection: str = ""

    @property
    def is_flag(self) -> bool:
        return self.polarity == "negative" or self.id.startswith("flag.")


@dataclass
class Evidence:
    """The words of a provision that a finding rests on."""

    citation: str
    eid: str
    quote: str
    start: int
    end: int
    page: int | None
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "citation": self.citation,
            "eid": self.eid,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "page": self.page,
            "source": self.source,
        }


@dataclass
class Finding:
    """The verdict on one element for one document (or national corpus)."""

    element: str
    status: str
    confidence: float
    evidence: list[Evidence]
    rationale: str
    exceptions: list[Evidence] = field(default_factory=list)
    #: for a partial verdict, how it falls short ("named only where the penalty rises", "for children only")
    narrowing: str = ""
    #: for a missing or partial element, the provisions considered and what each lacked (lexalign.why)
    candidates: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "element": self.element,
            "status": self.status,
            "confidence": round(float(self.confidence), 4),
            "evidence": [e.to_dict() for e in self.evidence],
            "rationale": self.rationale,
        }
        if self.exceptions:
            out["exceptions"] = [e.to_dict() for e in self.exceptions]
        if self.narrowing:
            out["narrowing"] = self.narrowing
        if self.candidates:
            out["candidates"] = self.candidates
        return out
