"""Command-line interface: ``lexalign segment | check | elements | evaluate | calibrate | batch | diff
| serve | reviews | train``.

One module per command group; this file only builds the group.  Every command turns a
:class:`~lexalign.errors.LexalignError` into one line on stderr and its exit status; a traceback is
shown only with ``--debug``.  Nothing in the library imports this package.
"""
from __future__ import annotations

import os

import click

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from .base import friendly, write_output  # noqa: E402
from .batch import batch  # noqa: E402
from .check import check, elements_cmd  # noqa: E402
from .diff import diff  # noqa: E402
from .evaluate import calibrate, evaluate  # noqa: E402
from .reviews import reviews  # noqa: E402
from .segment import segment  # noqa: E402
from .serve import serve  # noqa: E402
from .train import train  # noqa: E402

__all__ = ["main", "friendly", "write_output"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(package_name="lexalign")
def main(debug: bool) -> None:
    """Align national anti-trafficking legislation with the UN Trafficking in Persons Protocol."""


for _command in (segment, check, elements_cmd, evaluate, calibrate, batch, diff, serve, reviews, train):
    main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()
