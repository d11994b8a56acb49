"""CLI commands beyond ``segment``: check, elements, evaluate, calibrate, batch, diff."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli import _friendly, main, write_output
from .errors import LexalignError, UsageError


def _load_docs(paths: tuple[str, ...], max_size: float):
    from .ingest import ingest
    from .segment import segment
    docs = []
    for p in paths:
        doc = ingest(p, max_bytes=int(max_size * 1e6))
        segment(doc)  # structure warnings (lost sections) join the ingest warnings
        for w in doc.warnings:
            click.echo(f"lexalign: warning: {p}: {w}", err=True)
        docs.append(doc)
    return docs


def render(report, fmt: str, meta: dict | None = None, lang: str = "en") -> str:
    if fmt == "json":
        return report.to_json(meta)
    if fmt == "md":
        return report.to_markdown(lang)
    if fmt == "html":
        return report.to_html(lang)
    if fmt == "csv":
        return report.to_csv()
    raise UsageError(f"unknown format {fmt}")


def _check_out_dir(out: str | None) -> None:
    if out and out != "-":
        parent = Path(out).resolve().parent
        if not parent.is_dir():
            raise LexalignError(f"cannot write {out}: folder {parent} does not exist", LexalignError.OUTPUT)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "md", "html", "csv"]), default="json", show_default=True)
@click.option("--out", default=None, help="Write the report to this file (default: stdout).")
@click.option("--model", default=None, help="sentence-transformers model name or path (default: the bundled MiniLM).")
@click.option("--elements", "groups", default=None, help="Only these element groups or id prefixes, comma-separated.")
@click.option("--max-size", default=20.0, show_default=True, help="Refuse input files larger than this many MB.")
@click.option("--meta", is_flag=True, help="Add a meta block (time, versions) to JSON; off by default for byte-identical output.")
@click.option("--report-language", "lang", type=click.Choice(["en", "fr", "es"]), default="en", show_default=True,
              help="Language of the headings and fixed sentences of md/html reports (findings stay in English).")
@_friendly
def check(paths, fmt, out, model, groups, max_size, meta, lang):
    """Check a statute (or several files of one national corpus) against the Protocol."""
    from .align import check as run_check
    from .reference import select_elements

    _check_out_dir(out)
    elements = select_elements(groups)
    docs = _load_docs(paths, max_size)
    report = run_check(docs, model=model, elements=elements)
    meta_block = None
    if meta:
        import datetime
        import platform
        from . import __version__
        meta_block = {"generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                      "lexalign": __version__, "python": platform.python_version()}
    write_output(render(report, fmt, meta_block, lang), out)
    if out:
        click.echo(f"lexalign: report written to {out}", err=True)


@main.command("elements")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--group", default=None, help="Only these groups, comma-separated.")
@_friendly
def elements_cmd(fmt, group):
    """List the element catalogue (id, group, article, obligation)."""
    from .reference import select_elements
    els = select_elements(group)
    if fmt == "json":
        write_output(json.dumps([{"id": e.id, "group": e.group, "article": e.article, "obligation": e.obligation,
                                  "definition": e.definition} for e in els], ensure_ascii=False, indent=1), None)
        return
    width = max(len(e.id) for e in els)
    lines = [f"{'id':{width}s}  {'group':16s} {'obligation':12s} article"]
    for e in els:
        lines.append(f"{e.id:{width}s}  {e.group:16s} {e.obligation:12s} {e.article}")
    write_output("\n".join(lines), None)


def _corpus_dirs(corpus: tuple[str, ...]) -> list[str]:
    dirs = []
    for c in corpus:
        p = Path(c)
        if not p.is_dir():
            raise UsageError(f"{c}: corpus folder not found")
        dirs.append(str(p))
        dirs.extend(str(x) for x in p.iterdir() if x.is_dir())
    return dirs


@main.command()
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
@_friendly
def evaluate(gold, first_contact, corpus, cv, rules_only, fmt, out, curves, model):
    """Compare check's verdicts with gold annotations; engine beside a cue-matching baseline."""
    from .evaluate import analyse_gold, format_first_contact, format_text, run_evaluation, write_pr_curves
    if bool(gold) == bool(first_contact):
        raise UsageError("give exactly one of --gold DIR or --first-contact DIR")
    if first_contact and cv:
        raise UsageError("--first-contact scores the shipped models; it cannot be combined with --cv")
    gold = gold or first_contact
    _check_out_dir(out)
    corpus = corpus or (str(Path(gold).parent / "corpora"),)
    results = analyse_gold(gold, _corpus_dirs(corpus), model=model,
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


@main.command()
@click.option("--gold", required=True)
@click.option("--corpus", multiple=True)
@click.option("--out", default=None, help="Where to write calibration.json (default: models/calibration.json).")
@click.option("--model", default=None)
@_friendly
def calibrate(gold, corpus, out, model):
    """Fit the calibration on all gold documents and write it, with its model card."""
    from .align import calibration_path
    from .evaluate import analyse_gold
    corpus = corpus or (str(Path(gold).parent / "corpora"),)
    results = analyse_gold(gold, _corpus_dirs(corpus), model=model,
                           progress=lambda m: click.echo(f"lexalign: {m}", err=True))
    from .evaluate import fit_and_write_models
    path = Path(out) if out else calibration_path()
    calib, learned = fit_and_write_models(results, path)
    click.echo(f"lexalign: calibration written to {path} (threshold {calib['threshold']})"
               + (f"; learned decision to {path.parent / 'learned.json'} (t_veto {learned['t_veto']}, "
                  f"t_cov {learned['t_cov']}, t_add {learned['t_add']})" if learned else ""), err=True)


@main.command()
@click.argument("directory")
@click.option("--out", "outdir", required=True, help="Output folder (created; re-runs resume in it).")
@click.option("--jobs", default=1, show_default=True, help="Worker processes.")
@click.option("--model", default=None)
@click.option("--max-size", default=20.0, show_default=True)
@click.option("--no-progress", is_flag=True)
@_friendly
def batch(directory, outdir, jobs, model, max_size, no_progress):
    """Analyse every statute under DIRECTORY: country x element matrix, heat map, HTML overview."""
    from .batch import run_batch
    failed = run_batch(directory, outdir, jobs=jobs, model=model, max_size=max_size, progress=not no_progress)
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True)
@click.option("--out", default=None)
@click.option("--model", default=None)
@_friendly
def diff(old, new, fmt, out, model):
    """Which elements gained, lost or changed coverage between two versions of a bill."""
    from .diff import diff_reports, render_diff
    _check_out_dir(out)
    write_output(render_diff(diff_reports(old, new, model=model), fmt), out)
