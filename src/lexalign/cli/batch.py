"""``lexalign batch``: every statute of a folder, the country x element matrix and overview."""
from __future__ import annotations

import sys

import click

from .base import friendly, precise_option, timeout_option


@click.command()
@click.argument("directory")
@click.option("--out", "outdir", required=True, help="Output folder (created; re-runs resume in it).")
@click.option("--jobs", default=1, show_default=True, help="Worker processes.")
@click.option("--model", default=None)
@click.option("--max-size", default=20.0, show_default=True)
@timeout_option
@click.option("--no-progress", is_flag=True, help="No progress bar (there is none when stderr is not a terminal).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run the files on this Dask distributed scheduler (tcp://host:8786); workers must see the same paths.")
@click.option("--follow-symlinks", is_flag=True,
              help="Read symbolic links that lead out of DIRECTORY (skipped with a warning by default).")
@precise_option
@friendly
def batch(directory, outdir, jobs, model, max_size, timeout, no_progress, quiet, scheduler, follow_symlinks):
    """Analyse every statute under DIRECTORY: country x element matrix, heat map, HTML overview."""
    from ..batch import run_batch
    failed = run_batch(directory, outdir, jobs=jobs, model=model, max_size=max_size, progress=not no_progress,
                       scheduler=scheduler, quiet=quiet, follow_symlinks=follow_symlinks, timeout=timeout or None)
    sys.exit(1 if failed else 0)
