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
@click.option("--gold", default=None, help="Folder of gold TSV files (one per document, same stem).")
@click.option("--first-contact", "first_contact", default=None, metavar="DIR",
              help="Gold folder of newly added statutes: score them with the shipped models, before any change "
                   "prompted by them, and print the per-document Markdown table (models/FIRST-CONTACT.md).")
@click.option("--corpus", multiple=True, help="Folder(s) holding the documents (default: beside the gold folder).")
@click.option("--cv", is_flag=True, help="Leave-one-document-out: refit calibration and learned decision without each document.")
@click.option("--rules-only", is_flag=True, help="Leave the learned decision out (the engine before semantic retrieval).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True)
@click.option("--out", default=None, help="Write the figures to this file.")
@click.option("--curves", default=None, help="Write precision-recall curves per group to this PNG (numbers go to PNG.json).")
@click.option("--model", default=None)
@precise_option
@friendly
def evaluate(gold, first_contact, corpus, cv, rules_only, fmt, out, curves, model):
    """Compare check's verdicts with gold annotations; engine beside a cue-matching baseline."""
    from ..evaluate import analyse_gold, format_first_contact, format_text, run_evaluation, write_pr_curves
    if bool(gold) == bool(first_contact):
        raise UsageError("give exactly one of --gold DIR or --first-contact DIR")
    if first_contact and cv:
        raise UsageError("--first-contact scores the shipped models; it cannot be combined with --cv")
    gold = gold or first_contact
    check_out_dir(out)
    corpus = corpus or (str(Path(gold).parent / "corpora"),)
    results = analyse_gold(gold, corpus_dirs(corpus), model=model,
                           progress=lambda m: click.echo(f"lexalign: {m}", err=True))
    result = run_evaluation(results, cv=cv, learned=not rules_only)
    if curves:
        numbers = write_pr_curves(result, curves)
        Path(curves + ".json").write_text(json.dumps(numbers, indent=1), encoding="utf-8")
    if fmt == "json":
        write_output(json.dumps({k: v for k, v in result.items() if k != "rows"}, indent=1, default=str), out)
    elif fmt == "md" or first_contact:
        write_output(format_first_contact(result, "First contact" if first_contact else "Evaluation"), out)
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
    """Fit the calibration and the learned decision on all gold documents; write them with lodo.json and the model card."""
    from ..align import calibration_path
    from ..evaluate import analyse_gold, fit_and_write_models
    corpus = corpus or (str(Path(gold).parent / "corpora"),)
    results = analyse_gold(gold, corpus_dirs(corpus), model=model,
                           progress=lambda m: click.echo(f"lexalign: {m}", err=True))
    path = Path(out) if out else calibration_path()
    calib, learned = fit_and_write_models(results, path)
    click.echo(f"lexalign: calibration written to {path} (threshold {calib['threshold']})"
               + (f"; learned decision to {path.parent / 'learned.json'} (t_veto {learned['t_veto']}, "
                  f"t_cov {learned['t_cov']}, t_add {learned['t_add']})" if learned else ""), err=True)
