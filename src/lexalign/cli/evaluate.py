"""``lexalign evaluate`` and ``lexalign calibrate``: verdicts against gold annotations."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import UsageError
from .base import check_out_dir, friendly, precise_option, write_output


def corpus_dirs(corpus: tuple[str, ...]) -> list[str]:
    """Each corpus folder and its immediate sub-folders (national corpora of several files)."""
    dirs = []
    for c in corpus:
        p = Path(c)
        if not p.is_dir():
            raise UsageError(f"{c}: corpus folder not found")
        dirs.append(str(p))
        dirs.extend(str(x) for x in p.iterdir() if x.is_dir())
    return dirs


@click.command()
@click.option("--gold", required=True, help="Folder of gold TSV files (one per document, same stem).")
@click.option("--corpus", multiple=True, help="Folder(s) holding the documents (default: beside the gold folder).")
@click.option("--cv", is_flag=True, help="Leave-one-document-out: refit calibration without each document.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--out", default=None, help="Write the figures to this file.")
@click.option("--curves", default=None, help="Write precision-recall curves per group to this PNG (numbers go to PNG.json).")
@click.option("--model", default=None)
@precise_option
@friendly
def evaluate(gold, corpus, cv, fmt, out, curves, model):
    """Compare check's verdicts with gold annotations; engine beside a cue-matching baseline."""
    from ..evaluate import analyse_gold, format_text, run_evaluation, write_pr_curves
    check_out_dir(out)
    corpus = corpus or (str(Path(gold).parent / "corpora"),)
    results = analyse_gold(gold, corpus_dirs(corpus), model=model,
                           progress=lambda m: click.echo(f"lexalign: {m}", err=True))
    result = run_evaluation(results, cv=cv)
    if curves:
        numbers = write_pr_curves(result, curves)
        Path(curves + ".json").write_text(json.dumps(numbers, indent=1), encoding="utf-8")
    if fmt == "json":
        write_output(json.dumps({k: v for k, v in result.items() if k != "rows"}, indent=1, default=str), out)
    else:
        write_output(format_text(result), out)


@click.command()
@click.option("--gold", required=True)
@click.option("--corpus", multiple=True)
@click.option("--out", default=None, help="Where to write calibration.json (default: models/calibration.json).")
@click.option("--model", default=None)
@precise_option
@friendly
def calibrate(gold, corpus, out, model):
    """Fit the calibration on all gold documents and write it, with its model card."""
    from ..align import calibration_path
    from ..evaluate import analyse_gold, fit_calibration, model_card, run_evaluation
    corpus = corpus or (str(Path(gold).parent / "corpora"),)
    results = analyse_gold(gold, corpus_dirs(corpus), model=model,
                           progress=lambda m: click.echo(f"lexalign: {m}", err=True))
    calib = fit_calibration(results)
    cv = run_evaluation(results, cv=True)
    path = Path(out) if out else calibration_path()
    path.write_text(json.dumps(calib, indent=1) + "\n", encoding="utf-8")
    (path.parent / "MODEL_CARD.md").write_text(model_card(calib, cv), encoding="utf-8")
    click.echo(f"lexalign: calibration written to {path} (threshold {calib['threshold']})", err=True)
