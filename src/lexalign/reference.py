"""The reference side of every comparison: the element catalogue, lexalign's rules for each
element, and the Protocol's own text (so that reports can quote the article an element comes from).

Data lives in the project's ``corpora/`` folder; ``LEXALIGN_CORPORA`` may point elsewhere.
"""
from __future__ import annotations

import functools
import hashlib
import os
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import UsageError
from .models import Element


def corpora_dir() -> Path:
    env = os.environ.get("LEXALIGN_CORPORA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        cand = parent / "corpora" / "elements.yaml"
        if cand.exists():
            return cand.parent
    raise UsageError("the reference data folder 'corpora/' was not found; set LEXALIGN_CORPORA")


@functools.lru_cache(maxsize=4)
def _load_yaml(path: str) -> Any:
    # libyaml's safe loader when present: same data, about ten times faster (every process and
    # batch worker reads the catalogue and rules once)
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def catalogue_path() -> Path:
    return corpora_dir() / "elements.yaml"


@functools.lru_cache(maxsize=2)
def load_rules() -> dict[str, Any]:
    return _load_yaml(str(corpora_dir() / "element_rules.yaml"))


@functools.lru_cache(maxsize=2)
def load_catalogue() -> tuple[Element, ...]:
    """All catalogue elements, in catalogue order, with lexalign's drafting notes attached."""
    data = _load_yaml(str(catalogue_path()))
    rules = load_rules().get("elements", {})
    out = []
    for raw in data["elements"]:
        rule = rules.get(raw["id"], {})
        out.append(Element(
            id=raw["id"], group=raw["group"], instrument=raw.get("instrument", ""),
            article=str(raw.get("article", "")), obligation=raw.get("obligation", ""),
            definition=raw.get("definition", ""), full=raw.get("full", raw.get("detection", "")),
            partial=list(raw.get("partial", []) or []), cues=dict(raw.get("cues", {}) or {}),
            false_friends=list(raw.get("false_friends", []) or []),
            polarity=raw.get("polarity", "positive"), drafting_note=rule.get("note", ""),
            detection=raw.get("detection", ""),
        ))
    return tuple(out)


def select_elements(groups: str | None) -> list[Element]:
    """Elements whose group (or id prefix) is in a comma-separated list; all when None."""
    elements = list(load_catalogue())
    if not groups:
        return elements
    wanted = [g.strip() for g in groups.split(",") if g.strip()]
    chosen = [e for e in elements if any(e.group == g or e.id.startswith(g) for g in wanted)]
    if not chosen:
        known = sorted({e.group for e in elements})
        raise UsageError(f"no element matches --elements {groups!r}; groups are: {', '.join(known)}")
    return chosen


def catalogue_hash() -> str:
    h = hashlib.sha256()
    for name in ("elements.yaml", "element_rules.yaml"):
        h.update((corpora_dir() / name).read_bytes())
    return h.hexdigest()[:16]


GROUP_TITLES = {
    "purpose_clause": "Art. 2 — Statement of purpose",
    "definition": "Art. 3(a) — Three-element definition",
    "act": "Art. 3(a) — Acts",
    "means": "Art. 3(a) — Means",
    "purpose": "Art. 3(a) — Exploitative purposes",
    "consent_child": "Art. 3(b)-(d) — Consent and children",
    "criminalisation": "Art. 5 — Criminalisation",
    "untoc": "UNTOC provisions applied to the Protocol",
    "protection": "Arts. 6-8 — Protection of victims",
    "prevention": "Arts. 9, 11 — Prevention",
    "cooperation": "Art. 10 — Cooperation",
    "gap_nonstate": "Gap — Non-state actors",
    "gap_conflict": "Gap — Armed conflict and crisis",
    "gap_structural": "Gap — Structural drivers",
    "gap_digital": "Gap — Technology-facilitated trafficking",
    "gap_survival": "Gap — Survival trafficking",
    "gap_monitoring": "Gap — Independent monitoring",
    "gap_capacity": "Gap — Capacity building",
    "gap_protection": "Gap — Victim protection",
    "gap_child": "Gap — Child protection",
    "flag": "Red flags (wording that conflicts with the Protocol)",
}


@functools.lru_cache(maxsize=1)
def protocol_articles() -> dict[str, str]:
    """Article number -> its text, from the Protocol's English authentic text."""
    text = (corpora_dir() / "palermo-protocol-en.txt").read_text(encoding="utf-8")
    parts = re.split(r"\n(?=Article \d+\s*\n)", text)
    out = {}
    for part in parts:
        m = re.match(r"Article (\d+)\s*\n", part)
        if m:
            out[m.group(1)] = part.strip()
    return out


def protocol_wording(element: Element) -> str:
    """The Protocol's words that an element comes from (the lettered paragraph where possible)."""
    if element.instrument != "PP2000":
        return ""
    m = re.search(r"Art\s*(\d+)(?:\((\d+|[a-d])\))?(?:\(([a-d])\))?", element.article)
    if not m:
        return ""
    article = protocol_articles().get(m.group(1), "")
    if not article:
        return ""
    para = m.group(2)
    sub = m.group(3)
    lines = article.split("\n")
    body = "\n".join(lines[1:]).strip()
    if para:
        pat = rf"(?m)^{re.escape(para)}[.)]\s.*?(?=^\w{{1,2}}[.)]\s|\Z)"
        pm = re.search(pat, body, re.S)
        if pm:
            body = pm.group(0)
            if sub:
                sm = re.search(rf"(?m)^{re.escape(sub)}\)\s.*?(?=^\w\)\s|\Z)", body, re.S)
                if sm:
                    body = sm.group(0)
    return " ".join(body.split())[:900]
