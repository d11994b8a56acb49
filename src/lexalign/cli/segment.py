"""``lexalign segment``: the provision tree of one statute."""
from __future__ import annotations

import json

import click

from .base import friendly, write_output


@click.command()
@click.argument("path")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@click.option("--out", default=None, help="Write to this file instead of stdout.")
@click.option("--max-size", default=20.0, show_default=True, help="Refuse input files larger than this many MB.")
@friendly
def segment(path: str, fmt: str, out: str | None, max_size: float) -> None:
    """Print the provisions of a statute (PATH: .txt, .pdf, .docx, .html or Akoma Ntoso .xml)."""
    from ..ingest import ingest
    from ..segment import provisions_to_text
    from ..segment import segment as do_segment

    doc = ingest(path, max_bytes=int(max_size * 1e6))
    provisions = do_segment(doc)  # first: segmentation adds its structure warnings
    for w in doc.warnings:
        click.echo(f"lexalign: warning: {w}", err=True)
    if fmt == "json":
        write_output(json.dumps([p.to_dict() for p in provisions], ensure_ascii=False, indent=1), out)
    else:
        write_output(provisions_to_text(provisions), out)
