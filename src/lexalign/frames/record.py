"""The offence frame: one provision that creates an offence of trafficking, read into its parts.

Only the record lives here (what a frame holds and how it is shown); the reading is in
:mod:`lexalign.frames.reading` and the search for offences in :mod:`lexalign.frames.offence`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from ..lexical import Hit
from ..models import Evidence, Provision
from ..units import Unit
from .penalties import Penalty


@dataclass
class OffenceFrame:
    """One offence-creating provision, read into the parts of Article 3 and Article 5."""

    citation: str
    kind: str                                   # trafficking | child_trafficking | smuggling | old_style
    source: str = ""
    acts: list[str] = field(default_factory=list)
    #: acts the offence reaches only towards a person already being trafficked ("receives another person
    #: that he or she knows is being trafficked"): accessories to trafficking defined by other conduct
    ancillary_acts: list[str] = field(default_factory=list)
    means: list[str] = field(default_factory=list)
    means_required_adults: bool | None = None
    means_required_children: bool | None = None
    purposes: list[str] = field(default_factory=list)
    purpose_open_list: bool = False
    victims: str = "any_person"                 # any_person | women | children | women_and_children
    child_age: int | None = None
    consent: str = "silent"                     # irrelevant | defence | silent
    transnational_required: bool = False
    organised_group_required: bool = False
    penalty: Penalty = field(default_factory=Penalty)
    aggravations: list[str] = field(default_factory=list)
    definition: str | None = None
    note: str = ""
    #: set for the corpus: no trafficking offence of the corpus dispenses with the means for children,
    #: so this offence's means reach child victims too (Article 3(c) unmet)
    children_need_means: bool = False
    #: a child offence that stands beside a general offence protecting any person: not a narrowing
    beside_general_offence: bool = False
    #: field name (or "act:recruitment", "means:fraud", "purpose:slavery") -> the words it rests on
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    #: the same words as (unit, hit) pairs, for element outcomes that quote the frame
    hits: dict[str, list[tuple[Unit, Hit]]] = field(default_factory=dict, repr=False)
    definition_spans: list[tuple[str, int, int]] = field(default_factory=list, repr=False)
    #: where the definition of the offence's purpose ("exploitation", "unlawful purpose") lies
    purpose_definition_spans: list[tuple[str, int, int]] = field(default_factory=list, repr=False)
    section: Provision | None = field(default=None, repr=False)
    units: list[Unit] = field(default_factory=list, repr=False)

    def cite(self, key: str) -> list[Evidence]:
        return self.evidence.get(key, [])

    @property
    def narrowings(self) -> list[str]:
        """How this offence is narrower than Article 3, in words a drafter reads."""
        if self.kind == "smuggling":
            return ["not trafficking: moving a person for gain, close to migrant smuggling"]
        out = []
        if self.victims != "any_person" and not self.beside_general_offence:
            out.append({"women": "protects only women", "children": "protects only children",
                        "women_and_children": "protects only women and children"}[self.victims])
        if self.purposes and set(self.purposes) <= {"sexual_exploitation"}:
            out.append("reaches only sexual exploitation (prostitution)")
        if self.ancillary_acts and set(self.acts) <= {"transportation"}:
            out.append("is defined by moving the person; " + ", ".join(self.ancillary_acts) +
                       " only of a person already being trafficked")
        if self.child_age is not None and self.child_age < 18:
            out.append(f"treats as a child only a person under {self.child_age}, not under 18")
        if self.transnational_required:
            out.append("requires movement across a border")
        if self.organised_group_required:
            out.append("requires an organised criminal group")
        if self.consent == "defence":
            out.append("makes lack of consent an element (consent is a defence)")
        if self.means_required_children is True:
            out.append("requires means even for child victims")
        elif self.children_need_means:
            out.append("requires means for child victims too (no offence of the corpus dispenses with them)")
        if self.penalty.fine_alternative:
            out.append("allows a fine instead of imprisonment")
        return out

    def to_dict(self) -> dict[str, Any]:
        def ev(key: str) -> list[dict[str, Any]]:
            return [{"citation": e.citation, "quote": e.quote} for e in self.cite(key)[:2]]

        def item(value: Any, key: str) -> dict[str, Any]:
            return {"value": value, "evidence": ev(key)}

        return {
            "citation": self.citation, "source": self.source, "kind": self.kind,
            # an accessory's acts are acts the offence names too, marked as reached only towards trafficking
            "acts": [{"value": a, "evidence": ev("act:" + a)} for a in self.acts] +
                    [{"value": a, "evidence": ev("ancillary:" + a), "accessory": True} for a in self.ancillary_acts],
            "means": [{"value": m, "evidence": ev("means:" + m)} for m in self.means],
            "means_required_adults": item(self.means_required_adults, "means_required_adults"),
            "means_required_children": item(self.means_required_children, "means_required_children"),
            "purposes": [{"value": p, "evidence": ev("purpose:" + p)} for p in self.purposes],
            "purpose_open_list": item(self.purpose_open_list, "purpose_open_list"),
            "victims": item(self.victims, "victims"),
            "child_age": item(self.child_age, "child_age"),
            "consent": item(self.consent, "consent"),
            "transnational_required": item(self.transnational_required, "transnational_required"),
            "organised_group_required": item(self.organised_group_required, "organised_group_required"),
            "penalty": item(self.penalty.to_dict(), "penalty"),
            "aggravations": [{"citation": e.citation, "quote": e.quote} for e in self.cite("aggravations")[:4]],
            "definition": item(self.definition, "definition"),
            "narrowings": self.narrowings,
            "note": self.note,
        }
