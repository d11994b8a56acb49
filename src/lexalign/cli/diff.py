"""``lexalign diff``: what changed in coverage between two versions of a bill."""
from __future__ import annotations

import click

from .base import check_out_dir, friendly, precise_option, write_output


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True)
@click.option("--out", default=None)
@click.option("--model", default=None)
@click.option("--report-language", "lang", type=click.Choice(["en", "fr", "es"]), default="en", show_default=True,
              help="Language of md/html output (quotations, citations and element ids stay as they are).")
@precise_option
@friendly
def diff(old, new, fmt, out, model, lang):
    """Which elements gained, lost or changed coverage between two versions of a bill."""
    from ..diff import diff_reports, render_diff
    check_out_dir(out)
    write_output(render_diff(diff_reports(old, new, model=model), fmt, lang), out)
