"""Build the exemplar wordings of every element once, into ``src/lexalign/data/exemplars.json``.

Why a build step: the exemplars draw on texts that are not shipped with lexalign (the reference
treaties and the development statutes in ``../shared``); at run time the tool reads only the
committed JSON.  Each exemplar records where it came from, so that an evaluation can leave out the
exemplars taken from the document it scores (no leakage in leave-one-document-out).

Sources, per element:
- ``catalogue``: the catalogue's definition and full test (our paraphrase);
- ``PP2000``: the Protocol's words for the element's article (``reference.protocol_wording``);
- ``UNTOC``, ``CETS197``, ``OPSC``: the passages of those treaties most similar to the element's
  definition (at most one per treaty, cosine >= 0.55), chosen by the embedding model;
- ``model``: model provisions written by the team in its own words (``corpora/model_provisions.yaml``);
- ``gold:<stem>``: the provision the development gold (``../shared/gold``) cites as evidence for a
  present element, shipped as its vector only (``exemplar-vectors.npy``: national statutes stay in
  ``../shared``) (held-out statutes are never read; the project's own gold in ``tests/gold`` stays
  unused, so that it remains a check on statutes nothing was fitted on).

Usage: python scripts/build_exemplars.py [--shared ../shared]
"""
from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path

import numpy as np
import yaml

from lexalign.embed import encode, model_id
from lexalign.ingest import ingest
from lexalign.reference import corpora_dir, load_catalogue, protocol_wording
from lexalign.segment import flatten, segment

HELD_OUT = {"ls-atip-act-2011", "zw-tip-act-2014", "uy-ley-19643-trata-es", "ar-codigo-penal-145bis-145ter-140-127-es"}
TREATIES = {"UNTOC": "untoc-convention-en.txt", "CETS197": "coe-cets-197-en.txt", "OPSC": "un-opsc-2000-en.txt"}
MAX_CHARS = 600
OUT = Path(__file__).resolve().parents[1] / "src" / "lexalign" / "data" / "exemplars.json"


def treaty_passages(text: str) -> list[str]:
    """Sentences and list items of a treaty, long enough to carry an obligation."""
    parts = re.split(r"(?<=[.;:])\s+(?=[A-Z(])|\n+", text)
    return [" ".join(p.split())[:MAX_CHARS] for p in parts if len(p.split()) >= 8]


_CITE = re.compile(r"(?:s\.|ss\.|art\.|arts\.|section|§|cl\.|reg\.|article)\s*(\d+[A-Za-z]?(?:[.\-]\d+)*(?:\s?(?:bis|ter))?)",
                   re.IGNORECASE)
_TERM = re.compile(r"[\"“]([^\"”]+)[\"”]")
_LETTER = re.compile(r"(?:\(|inc\.\s*)([a-z]{1,3}|\d{1,2})\)")


def gold_quotes(stem: str, gold_path: Path, corpus: Path) -> list[tuple[str, str, str]]:
    """(element, status, provision text) for each present element whose gold evidence we can find."""
    path = next((corpus / f"{stem}{ext}" for ext in (".txt", ".html", ".xml", ".pdf") if (corpus / f"{stem}{ext}").exists()), None)
    if path is None:
        return []
    doc = ingest(path)
    flat = flatten(segment(doc))
    sections: dict[str, list] = {}
    for p in flat:
        if p.kind in ("section", "article", "regulation", "rule") and p.num:
            sections.setdefault(p.num.lower().rstrip("."), []).append(p)
    out = []
    with open(gold_path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            eid, status, ev = row.get("element", ""), row.get("status", ""), (row.get("evidence") or "-")
            if status not in ("covered", "partial") or ev.strip() in ("-", "") or eid.startswith("flag."):
                continue
            texts = []
            for part in ev.split(";")[:2]:
                m = _CITE.search(part)
                if not m:
                    continue
                for sec in sections.get(m.group(1).lower().replace(" ", ""), sections.get(m.group(1).lower(), []))[:1]:
                    target = sec
                    term = _TERM.search(part)
                    letter = _LETTER.search(part[m.end():])
                    desc = [q for q in sec.walk()]
                    if term:
                        target = next((q for q in desc if q.term and q.term.lower() == term.group(1).lower()), target)
                    if letter:
                        lab = letter.group(1).lower()
                        target = next((q for q in target.walk() if q is not target and
                                       q.num.strip("()., ").lower() == lab), target)
                    text = " ".join(doc.text[target.start:target.end].split())[:MAX_CHARS]
                    if len(text.split()) >= 8:  # margin notes and bare headings are not wordings
                        texts.append(text)
            for t in texts:
                out.append((eid, status, t))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    args = ap.parse_args()
    shared = Path(args.shared)
    elements = [e for e in load_catalogue() if not e.is_flag]
    exemplars: list[dict] = []

    def add(eid, source, text, kind):
        text = " ".join(text.split())[:MAX_CHARS]
        if text:
            exemplars.append({"element": eid, "kind": kind, "source": source, "text": text})

    for e in elements:
        add(e.id, "catalogue", e.definition, "catalogue")
        add(e.id, "catalogue", e.full, "catalogue")
        add(e.id, "PP2000", protocol_wording(e), "treaty")
    # treaty passages nearest to each element's definition
    defs = encode([f"{e.definition} {e.full}" for e in elements])
    for name, fname in TREATIES.items():
        passages = treaty_passages((shared / "corpora" / "reference" / fname).read_text(encoding="utf-8"))
        sims = defs @ encode(passages).T
        for i, e in enumerate(elements):
            j = int(np.argmax(sims[i]))
            if sims[i, j] >= 0.55:
                add(e.id, name, passages[j], "treaty")
    model_path = corpora_dir() / "model_provisions.yaml"
    if model_path.exists():
        for eid, texts in (yaml.safe_load(model_path.read_text(encoding="utf-8")) or {}).items():
            for lang_text in texts:
                add(eid, "model", lang_text, "model")
    for g in sorted((shared / "gold").glob("*.tsv")):
        if g.stem in HELD_OUT:
            continue
        for eid, status, text in gold_quotes(g.stem, g, shared / "corpora"):
            add(eid, f"gold:{g.stem}", text, f"gold-{status}")
    known = {e.id for e in elements}
    exemplars = [x for x in exemplars if x["element"] in known]
    seen, unique = set(), []
    for x in exemplars:
        key = (x["element"], x["text"])
        if key not in seen:
            seen.add(key)
            unique.append(x)
    # the gold exemplars are national statutes' words, which stay in ../shared: ship their vectors only
    gold = [x for x in unique if x["source"].startswith("gold:")]
    vectors = encode([x.pop("text") for x in gold])
    for row, x in enumerate(gold):
        x["vector"] = row
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.save(OUT.with_name("exemplar-vectors.npy"), np.asarray(vectors, dtype=np.float32))
    OUT.write_text(json.dumps({"version": 2, "vector_model": model_id(None, precise=False), "exemplars": unique},
                              ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    by_kind: dict[str, int] = {}
    for x in unique:
        by_kind[x["kind"]] = by_kind.get(x["kind"], 0) + 1
    print(f"{len(unique)} exemplars for {len({x['element'] for x in unique})} elements -> {OUT}: {by_kind}")


if __name__ == "__main__":
    main()
