"""Score the blind sensitivity suite (tests/blind/edits.yaml): does one edit move the verdict it should?

The edits were written by a reader who never saw the engine (tests/blind/README.md), and the suite is
scored once, at the end of a piece of work, not tuned on (the suite the rules are tuned on is
tests/test_sensitivity.py).  Each edit is applied to the original statute in ../shared/corpora; an edit
"moves" when every verdict it names takes the value the reader expects; every other verdict that
changes is collateral.  Targets (issue 20): at least 90% of edits move, at most one collateral change
per edit on average.

    python scripts/blind_sensitivity.py [--rules-only] [--out models/blind-sensitivity.json]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"


def verdicts(text: str, name: str, rules_only: bool) -> dict[str, str]:
    from lexalign.analysis import analyse
    from lexalign.decision import decide
    from lexalign.ingest import ingest_bytes
    ctx = analyse([ingest_bytes(text.encode("utf-8"), source=name)], use_embeddings=not rules_only)
    return {f.element: f.status for f in decide(ctx, None, learned=False if rules_only else None)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edits", default=str(ROOT / "tests" / "blind" / "edits.yaml"))
    ap.add_argument("--rules-only", action="store_true")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    if not CORPORA.is_dir():
        print(f"blind sensitivity: {CORPORA} not available", file=sys.stderr)
        return 2
    edits = yaml.safe_load(Path(a.edits).read_text(encoding="utf-8"))
    base: dict[str, dict[str, str]] = {}
    rows = []
    for e in edits:
        text = (CORPORA / f"{e['statute']}.txt").read_text(encoding="utf-8")
        if e["statute"] not in base:
            base[e["statute"]] = verdicts(text, f"{e['statute']}.txt", a.rules_only)
        n = len(re.findall(e["find"], text))
        if e.get("count", 1) and n != e["count"]:
            rows.append({"name": e["name"], "error": f"pattern matches {n} times, not {e['count']}"})
            continue
        edited = re.sub(e["find"], e["replace"], text, count=e.get("count", 0) or 0)
        after = verdicts(edited, f"{e['statute']}.txt", a.rules_only)
        before = base[e["statute"]]
        expected = e["after"]
        moved = {k: after.get(k) == v for k, v in expected.items()}
        collateral = sorted(k for k in after if k not in expected and after[k] != before.get(k))
        rows.append({"name": e["name"], "statute": e["statute"], "lang": e.get("lang", ""),
                     "moved": all(moved.values()), "verdicts": {k: [before.get(k), after.get(k), v] for k, v in expected.items()},
                     "reader_before_agrees": all(before.get(k) == v for k, v in e.get("before", {}).items()),
                     "collateral": collateral})
        print(f"{'MOVED ' if rows[-1]['moved'] else 'stuck '} {e['name']}: "
              + "; ".join(f"{k} {b}->{x} (expected {v})" for k, (b, x, v) in rows[-1]["verdicts"].items())
              + (f"; collateral {len(collateral)}" if collateral else ""), flush=True)
    ok = [r for r in rows if "error" not in r]
    moved = sum(r["moved"] for r in ok)
    coll = sum(len(r["collateral"]) for r in ok) / max(1, len(ok))
    summary = {"edits": len(rows), "scored": len(ok), "moved": moved, "moved_share": round(moved / max(1, len(ok)), 3),
               "collateral_per_edit": round(coll, 3), "engine": "rules only" if a.rules_only else "shipped (learned reader)",
               "by_language": {lang: round(sum(r["moved"] for r in ok if r["lang"] == lang) /
                                           max(1, sum(1 for r in ok if r["lang"] == lang)), 3)
                               for lang in sorted({r["lang"] for r in ok})}}
    print(json.dumps(summary))
    if a.out:
        Path(a.out).write_text(json.dumps({"summary": summary, "edits": rows}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
