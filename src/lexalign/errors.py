"""Errors a user can act on.

Every failure that is the user's input (a missing file, a scanned PDF, a bad model path) is raised
as a :class:`LexalignError` carrying one plain sentence and an exit status.  The CLI prints the
sentence on one line of stderr and exits with the status: never a traceback, unless ``--debug``.
"""
from __future__ import annotations


class LexalignError(Exception):
    """A failure with a one-line explanation for the user and a documented exit status."""

    #: exit status for bad input files (unreadable, empty, wrong type, no text layer)
    INPUT = 3
    #: exit status for usage errors (missing path, directory given for a file, bad option)
    USAGE = 2
    #: exit status for model loading failures
    MODEL = 4
    #: exit status for output failures (unwritable --out)
    OUTPUT = 5

    def __init__(self, message: str, exit_code: int = INPUT) -> None:
        super().__init__(message)
        self.message = " ".join(str(message).split())
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class InputError(LexalignError):
    """The input file cannot be turned into legislative text."""

    def __init__(self, message: str) -> None:
        super().__init__(message, LexalignError.INPUT)


class UsageError(LexalignError):
    """The command was called with a path or option that cannot work."""

    def __init__(self, message: str) -> None:
        super().__init__(message, LexalignError.USAGE)


class ModelError(LexalignError):
    """The embedding model cannot be loaded."""

    def __init__(self, message: str) -> None:
        super().__init__(message, LexalignError.MODEL)


class TimeBudgetExceeded(LexalignError):
    """The document was not analysed within its wall-clock budget (``--timeout``): an input error,
    since it is the document's size or layout that made the work overrun."""

    def __init__(self, what: str, seconds: float) -> None:
        super().__init__(f"{what}: not analysed within the time budget of {seconds:g} s (--timeout); "
                         "the analysis was stopped (pass a larger --timeout, or split the document)",
                         LexalignError.INPUT)
        self.what = what
        self.seconds = seconds


class Cancelled(LexalignError):
    """The user cancelled the work (the workbench's cancel button): it stopped at the next check."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what}: cancelled", LexalignError.INPUT)
