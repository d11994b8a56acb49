"""Command-line interface: ``lexalign segment | check | elements | evaluate | batch | diff``.

Every command turns a :class:`LexalignError` into one line on stderr and its exit status; a
traceback is shown only with ``--debug``.
"""
from __future__ import annotations

import functools
import json
import os
import sys
import traceback

import click

from .errors import LexalignError, UsageError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _friendly(func):
    """Run a command, reporting user errors on one line and unexpected ones without a traceback."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        debug = bool(click.get_current_context().find_root().params.get("debug"))
        try:
            return func(*args, **kwargs)
        except LexalignError as exc:
            if debug:
                traceback.print_exc()
            click.echo(f"lexalign: error: {exc.message}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("lexalign: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
            if debug:
                traceback.print_exc()
            msg = " ".join(str(exc).split())[:300]
            click.echo(f"lexalign: internal error: {type(exc).__name__}: {msg} (run with --debug for details)", err=True)
            sys.exit(70)
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(package_name="lexalign")
def main(debug: bool) -> None:
    """Align national anti-trafficking legislation with the UN Trafficking in Persons Protocol."""


def write_output(text: str, out: str | None) -> None:
    """Write to ``out`` (creating nothing but the file) or to stdout."""
    if not out or out == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise LexalignError(f"cannot write {out}: {exc.strerror or exc}", LexalignError.OUTPUT) from None


@main.command()
@click.argument("path")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@click.option("--out", default=None, help="Write to this file instead of stdout.")
@click.option("--max-size", default=20.0, show_default=True, help="Refuse input files larger than this many MB.")
@_friendly
def segment(path: str, fmt: str, out: str | None, max_size: float) -> None:
    """Print the provisions of a statute (PATH: .txt, .pdf, .html or Akoma Ntoso .xml)."""
    from .ingest import ingest
    from .segment import provisions_to_text
    from .segment import segment as do_segment

    doc = ingest(path, max_bytes=int(max_size * 1e6))
    provisions = do_segment(doc)  # first: segmentation adds its structure warnings
    for w in doc.warnings:
        click.echo(f"lexalign: warning: {w}", err=True)
    if fmt == "json":
        write_output(json.dumps([p.to_dict() for p in provisions], ensure_ascii=False, indent=1), out)
    else:
        write_output(provisions_to_text(provisions), out)


def _register_more() -> None:
    """Attach commands from other modules (kept apart so each stays small)."""
    from . import cli_check  # noqa: F401


_register_more()

if __name__ == "__main__":  # pragma: no cover
    main()
