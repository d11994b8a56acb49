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
@precise_option
@friendly
def diff(old, new, fmt, out, model):
    """Which elements gained, lost or changed coverage between two versions of a bill."""
    from ..diff import diff_reports, render_diff
    check_out_dir(out)
    write_output(render_diff(diff_reports(old, new, model=model), fmt), out)
