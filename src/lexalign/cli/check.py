"""``lexalign check`` and ``lexalign elements``: one national corpus against the catalogue."""
from __future__ import annotations

import json

import click

from ..errors import UsageError
from .base import check_out_dir, friendly, precise_option, timeout_option, write_bytes, write_output


def load_docs(paths: tuple[str, ...], max_size: float):
    """Ingest each file of one national corpus, echoing ingest warnings to stderr."""
    from ..ingest import ingest
    from ..segment import segment
    docs = []
    for p in paths:
        doc = ingest(p, max_bytes=int(max_size * 1e6))
        segment(doc)  # structure warnings (lost sections) join the ingest warnings
        for w in doc.warnings:
            click.echo(f"lexalign: warning: {p}: {w}", err=True)
        docs.append(doc)
    return docs


def render(report, fmt: str, meta: dict | None = None, lang: str = "en") -> str | bytes:
    """The report in ``fmt``: text for json/md/html/csv, bytes for docx."""
    if fmt == "docx":
        return report.to_docx(lang)
    if fmt == "json":
        return report.to_json(meta)
    if fmt == "md":
        return report.to_markdown(lang)
    if fmt == "html":
        return report.to_html(lang)
    if fmt == "csv":
        return report.to_csv()
    raise UsageError(f"unknown format {fmt}")


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "md", "html", "csv", "docx"]), default="json",
              show_default=True, help="docx: a Word report (needs --out).")
@click.option("--out", default=None, help="Write the report to this file (default: stdout).")
@click.option("--model", default=None, help="sentence-transformers model name or path (default: the bundled MiniLM).")
@precise_option
@click.option("--elements", "groups", default=None, help="Only these element groups or id prefixes, comma-separated.")
@click.option("--max-size", default=20.0, show_default=True, help="Refuse input files larger than this many MB.")
@timeout_option
@click.option("--meta", is_flag=True, help="Add a meta block (time, versions) to JSON; off by default for byte-identical output.")
@click.option("--report-language", "lang", type=click.Choice(["en", "fr", "es"]), default="en", show_default=True,
              help="Language of md/html reports: headings, verdicts, element names, findings (quotations, citations and ids stay as they are).")
@friendly
def check(paths, fmt, out, model, groups, max_size, timeout, meta, lang):
    """Check a statute (or several files of one national corpus) against the Protocol."""
    from ..align import check as run_check
    from ..budget import time_budget
    from ..reference import select_elements

    if fmt == "docx" and (not out or out == "-"):
        raise UsageError("--format docx writes a Word file: give it a name with --out FILE.docx")
    check_out_dir(out)
    elements = select_elements(groups)
    what = paths[0] if len(paths) == 1 else f"{paths[0]} and {len(paths) - 1} more"
    with time_budget(timeout or None, what):
        docs = load_docs(paths, max_size)
        report = run_check(docs, model=model, elements=elements)
    meta_block = None
    if meta:
        import datetime
        import platform
        from .. import __version__
        meta_block = {"generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                      "lexalign": __version__, "python": platform.python_version()}
    rendered = render(report, fmt, meta_block, lang)
    if isinstance(rendered, bytes):
        write_bytes(rendered, out)
    else:
        write_output(rendered, out)
    if out:
        click.echo(f"lexalign: report written to {out}", err=True)


@click.command("elements")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--group", default=None, help="Only these groups, comma-separated.")
@friendly
def elements_cmd(fmt, group):
    """List the element catalogue (id, group, article, obligation)."""
    from ..reference import select_elements
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
