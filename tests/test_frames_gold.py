"""The offence frames against the hand-made frames gold (tests/frames/*.yaml), field by field.

Each gold offence is paired with the engine's frame of the same provision (and kind, where one
provision holds two offences); every field of the format counts once (penalty as its four parts).
A gold offence the engine misses counts all its fields as wrong; an offence the engine reads where
the gold has none counts as one wrong field.  Run this file directly to print every disagreement:

    PYTHONPATH=src python tests/test_frames_gold.py [stem ...]
"""
from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

import pytest

try:
    import yaml
except ImportError:  # pragma: no cover
    yaml = None

ROOT = Path(__file__).resolve().parents[1]
FRAMES = ROOT / "tests" / "frames"
CORPORA = ROOT.parent / "shared" / "corpora"
# The target is 0.95; measured 0.841 on 18 gold files at the start of session 4 and 0.927 at its end
# (0.958 leaving out pk-pta's OCR, whose lost section numbers no reading can recover). This floor guards what
# is reached; raise it as the frames improve.
TARGET = 0.92
FIELDS = ["kind", "acts", "means", "means_required_adults", "means_required_children", "purposes", "purpose_open_list",
          "victims", "child_age", "consent", "transnational_required", "organised_group_required", "penalty.min_years",
          "penalty.max_years", "penalty.life", "penalty.fine_alternative", "definition"]
SET_FIELDS = {"acts", "means", "purposes"}


def gold_files() -> list[Path]:
    return sorted(FRAMES.glob("*.yaml"))


@lru_cache(maxsize=None)
def engine_frames(files: tuple[str, ...]):
    from lexalign.analysis import analyse
    from lexalign.ingest import ingest
    ctx = analyse([ingest(str(CORPORA / f)) for f in files], use_embeddings=False)
    return [f.to_dict() for f in ctx.frames]


def _value(frame: dict, name: str):
    if name.startswith("penalty."):
        pen = frame.get("penalty") or {}
        pen = pen.get("value", pen) if isinstance(pen, dict) else {}
        return (pen or {}).get(name.split(".", 1)[1])
    v = frame.get(name)
    if isinstance(v, dict) and "value" in v:
        v = v["value"]
    if name in SET_FIELDS:
        return sorted({x["value"] if isinstance(x, dict) else x for x in (v or [])})
    return v


def _cite_key(c: str | None) -> str:
    c = re.sub(r'\s*\("[^"]*"\)', "", c or "").strip().lower()
    return re.sub(r"\s+", " ", c)


def _same(name: str, gold, got) -> bool:
    if name == "definition":
        g, e = _cite_key(gold), _cite_key(got)
        if not g or not e:
            return g == e
        return g == e if "(" in g else g == e.split("(")[0]
    if isinstance(gold, (int, float)) and isinstance(got, (int, float)) and not isinstance(gold, bool):
        return abs(float(gold) - float(got)) < 0.01
    return gold == got


def score(path: Path) -> tuple[int, int, list[str]]:
    """(fields agreeing, fields judged, disagreements) for one gold file."""
    gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    files = tuple(gold.get("files") or [f"{gold['document']}.txt"])
    if not all((CORPORA / f).exists() for f in files):
        pytest.skip(f"corpus files for {path.stem} not available")
    got = engine_frames(files)
    used: set[int] = set()
    agree = total = 0
    diffs: list[str] = []
    for g in gold.get("offences") or []:
        cands = [i for i, f in enumerate(got) if i not in used and _cite_key(f["citation"]) == _cite_key(g["citation"])]
        match = next((i for i in cands if got[i]["kind"] == g["kind"]), cands[0] if cands else None)
        if match is None:
            total += len(FIELDS)
            diffs.append(f"{path.stem} {g['citation']} [{g['kind']}]: offence not found")
            continue
        used.add(match)
        for name in FIELDS:
            gv = _value(g, name) if name not in SET_FIELDS else sorted(g.get(name) or [])
            ev = _value(got[match], name)
            total += 1
            if _same(name, gv, ev):
                agree += 1
            else:
                diffs.append(f"{path.stem} {g['citation']} [{g['kind']}] {name}: gold {gv} engine {ev}")
    for i, f in enumerate(got):
        if i not in used:
            total += 1
            diffs.append(f"{path.stem} {f['citation']} [{f['kind']}]: offence read where the gold has none")
    return agree, total, diffs


def overall(paths: list[Path]) -> tuple[float, list[str]]:
    agree = total = 0
    diffs: list[str] = []
    for p in paths:
        a, t, d = score(p)
        agree, total, diffs = agree + a, total + t, diffs + d
    return (agree / total if total else 1.0), diffs


@pytest.mark.skipif(yaml is None, reason="PyYAML not installed")
def test_frames_agree_with_the_hand_made_gold_field_by_field():
    if not CORPORA.is_dir() or not gold_files():
        pytest.skip("shared corpus or frames gold not available")
    rate, diffs = overall(gold_files())
    print(f"\nframes gold agreement: {rate:.3f} over {len(gold_files())} files; disagreements:")
    for d in diffs:
        print("  " + d)
    assert rate >= TARGET, f"frames agree with the gold on {rate:.1%} of fields (floor {TARGET:.0%}; issue target 95%)"


if __name__ == "__main__":
    sel = [p for p in gold_files() if not sys.argv[1:] or p.stem in sys.argv[1:]]
    for p in sel:
        a, t, d = score(p)
        print(f"{p.stem}: {a}/{t}")
        for line in d:
            print("   ", line)
    rate, _ = overall(sel)
    print(f"overall {rate:.3f}")
