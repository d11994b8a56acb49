"""Check the hand-written gold files against gold-formats (not a pytest module; run by hand).

    /work/main/.venv/bin/python tests/frames/validate.py

Frames: field names, vocabulary and types. Structure: header, unique numbers, 5-12 word phrases that
really occur (whitespace-normalised, case-sensitive) in the statute text (PDF text via pdfplumber).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT.parent / "shared" / "corpora"
if not CORPORA.is_dir():
    CORPORA = Path("/work/shared/corpora")

ACTS = {"recruitment", "transportation", "transfer", "harbouring", "receipt"}
MEANS = {"threat", "force", "coercion", "abduction", "fraud", "deception", "abuse_of_power",
         "abuse_of_vulnerability", "payments"}
PURPOSES = {"sexual_exploitation", "forced_labour", "slavery", "servitude", "organ_removal", "other"}
KINDS = {"trafficking", "child_trafficking", "smuggling", "old_style"}
VICTIMS = {"any_person", "women", "children", "women_and_children"}
CONSENT = {"irrelevant", "defence", "silent"}
FIELDS = ["citation", "kind", "acts", "means", "means_required_adults", "means_required_children",
          "purposes", "purpose_open_list", "victims", "child_age", "consent", "transnational_required",
          "organised_group_required", "penalty", "definition", "note"]
PENALTY = {"min_years", "max_years", "life", "fine_alternative"}
HELD_OUT = {"ls-atip-act-2011", "zw-tip-act-2014", "uy-ley-19643-trata-es",
            "ar-codigo-penal-145bis-145ter-140-127-es"}


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def check_frames(path: Path) -> list[str]:
    errs = []
    d = yaml.safe_load(path.read_text(encoding="utf-8"))
    if set(d) != {"document", "files", "offences"}:
        errs.append(f"top-level keys {sorted(d)}")
    if d.get("document") != path.stem:
        errs.append("document != file stem")
    if path.stem in HELD_OUT:
        errs.append("held-out statute")
    for f in d.get("files", []):
        if not (CORPORA / f).is_file():
            errs.append(f"missing corpus file {f}")
        if Path(f).stem in HELD_OUT:
            errs.append(f"held-out file {f}")
    for i, o in enumerate(d.get("offences") or []):
        w = f"offence {i} ({o.get('citation')})"
        if list(o) != FIELDS:
            errs.append(f"{w}: fields {list(o)}")
        if o.get("kind") not in KINDS:
            errs.append(f"{w}: kind")
        for key, vocab in (("acts", ACTS), ("means", MEANS), ("purposes", PURPOSES)):
            v = o.get(key)
            if v is not None and (not isinstance(v, list) or set(v) - vocab or len(v) != len(set(v))):
                errs.append(f"{w}: {key} {v}")
        for key in ("means_required_adults", "means_required_children", "purpose_open_list"):
            if o.get(key) not in (True, False, None):
                errs.append(f"{w}: {key}")
        for key in ("transnational_required", "organised_group_required"):
            if o.get(key) not in (True, False):
                errs.append(f"{w}: {key}")
        if o.get("victims") not in VICTIMS:
            errs.append(f"{w}: victims")
        if o.get("child_age") is not None and not isinstance(o.get("child_age"), int):
            errs.append(f"{w}: child_age")
        if o.get("consent") not in CONSENT:
            errs.append(f"{w}: consent")
        p = o.get("penalty") or {}
        if set(p) != PENALTY or any(p[k] is not None and not isinstance(p[k], (int, float))
                                    for k in ("min_years", "max_years")) \
                or p.get("life") not in (True, False) or p.get("fine_alternative") not in (True, False):
            errs.append(f"{w}: penalty {p}")
        if not isinstance(o.get("citation"), str) or not (o.get("definition") is None or isinstance(o["definition"], str)):
            errs.append(f"{w}: citation/definition")
        if not isinstance(o.get("note"), str):
            errs.append(f"{w}: note")
    return errs


def statute_text(stem: str) -> str:
    if stem.startswith("pdf__"):
        import pdfplumber
        with pdfplumber.open(CORPORA / "pdf" / f"{stem[5:]}.pdf") as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    return (CORPORA / f"{stem}.txt").read_text(encoding="utf-8")


def check_structure(path: Path) -> list[str]:
    errs = []
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines[0] != "number\tphrase":
        errs.append("header")
    text = norm(statute_text(path.stem))
    seen = set()
    for ln in lines[1:]:
        num, phrase = ln.split("\t")
        if num in seen:
            errs.append(f"duplicate number {num}")
        seen.add(num)
        if not 5 <= len(phrase.split()) <= 12:
            errs.append(f"{num}: {len(phrase.split())} words")
        if phrase != norm(phrase) or phrase not in text:
            errs.append(f"{num}: phrase not in text: {phrase}")
    return errs


def main() -> int:
    bad = 0
    for p in sorted((ROOT / "tests" / "frames").glob("*.yaml")):
        e = check_frames(p)
        n = len(yaml.safe_load(p.read_text(encoding="utf-8"))["offences"] or [])
        print(f"frames    {p.stem}: {n} offences {'OK' if not e else e}")
        bad += bool(e)
    for p in sorted((ROOT / "tests" / "structure").glob("*.tsv")):
        e = check_structure(p)
        n = len(p.read_text(encoding="utf-8").splitlines()) - 1
        print(f"structure {p.stem}: {n} sections {'OK' if not e else e}")
        bad += bool(e)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
