"""What every command shares: the one-line error wrapper and the output helpers.

Kept apart from the group in ``__init__`` so that each command module imports only this file and
the library below it: no command module imports another, and nothing in the library imports the
CLI.
"""
from __future__ import annotations

import functools
import sys
import traceback
from pathlib import Path

import click

from ..errors import LexalignError


def friendly(func):
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


def write_bytes(data: bytes, out: str) -> None:
    """Write a binary report (a .docx) to ``out``."""
    try:
        with open(out, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise LexalignError(f"cannot write {out}: {exc.strerror or exc}", LexalignError.OUTPUT) from None


def check_out_dir(out: str | None) -> None:
    """Fail before a long analysis, not after it, when the folder of ``--out`` does not exist."""
    if out and out != "-":
        parent = Path(out).resolve().parent
        if not parent.is_dir():
            raise LexalignError(f"cannot write {out}: folder {parent} does not exist", LexalignError.OUTPUT)


def _set_precise(ctx, param, value) -> None:
    if value:
        from ..embed import set_precise
        set_precise(True)


#: ``--timeout`` on the commands that analyse: a wall-clock budget per document (lexalign.budget)
timeout_option = click.option(
    "--timeout", type=click.FloatRange(min=0), default=600.0, show_default=True, metavar="SECONDS",
    help="Stop the analysis of a document after this many seconds (0: no limit); the document then fails "
         "with a one-line message (check: exit 3; batch: the file goes to errors.csv and the batch goes on).")


#: ``--precise`` on any command that embeds: the float model instead of the int8 export
precise_option = click.option(
    "--precise", is_flag=True, expose_value=False, is_eager=True, callback=_set_precise,
    help="Use the float embedding model instead of its int8 export (slower; the int8 verdicts agree "
         "on >= 99% of the development gold).")
