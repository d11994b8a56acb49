"""``lexalign reviews export``: reviewers' verdicts as gold TSVs for evaluate and calibrate."""
from __future__ import annotations

import click

from .base import friendly


@click.group()
def reviews() -> None:
    """Reviews kept by 'lexalign serve'."""


@reviews.command("export")
@click.option("--db", default=None, help="SQLite file of the workbench (default: ~/.local/share/lexalign/reviews.sqlite).")
@click.option("--out", "outdir", required=True, help="Folder for the gold TSVs (one per reviewed statute, named after its file).")
@click.option("--all-elements", is_flag=True,
              help="Write every element, the unreviewed ones with the engine's verdict (marked 'unreviewed' in the note). "
                   "Off by default: gold made of the engine's own verdicts would flatter it.")
@friendly
def export(db, outdir, all_elements):
    """Write gold TSVs (element, status, evidence, note) from the reviews in DB."""
    from ..reviews import export_gold
    from ..store import Store, default_db_path
    store = Store(db or default_db_path(), create=False)
    written = export_gold(store, outdir, all_elements=all_elements,
                          progress=lambda m: click.echo(f"lexalign: {m}", err=True))
    for path in written:
        click.echo(str(path))
    click.echo(f"lexalign: {len(written)} gold file(s) written to {outdir}", err=True)
