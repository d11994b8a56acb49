"""A wall-clock budget per document: work that overruns it stops, with a one-line reason.

A statute that costs far more than its size suggests (a pathological layout, an input larger than
any seen) must not hold a batch or a web worker for ever.  The budget is a deadline kept in a
context variable; the stages call :func:`check_deadline` at their boundaries and inside their long
loops (lines, provisions, sections, element rules, embedded texts, PDF pages), and past the deadline
it raises :class:`~lexalign.errors.TimeBudgetExceeded`, which unwinds the work itself: nothing
keeps running in an abandoned thread.  A context variable, not a global, so that two documents
analysed at once in two threads (the workbench) each keep their own deadline.

    with time_budget(600, "bill.pdf"):
        report = check([ingest("bill.pdf")])

Outside any ``time_budget`` the checks cost one lookup and never raise.
"""
from __future__ import annotations

import contextlib
import contextvars
import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterator, TypeVar

from .errors import Cancelled, TimeBudgetExceeded

#: default budget of ``check`` and ``batch`` per document, in seconds (``--timeout``)
DEFAULT_TIMEOUT_S = 600.0

T = TypeVar("T")


@dataclass(frozen=True)
class _Budget:
    deadline: float   # the clock's reading after which work stops
    seconds: float    # the budget as given, for the message
    what: str         # the document, for the message
    cancel: threading.Event | None = None   # set by the user (the workbench): the work stops at the next check


#: the clock budgets are read on (a seam for tests that must not wait)
_clock = time.monotonic

_current: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("lexalign_budget", default=None)


@contextlib.contextmanager
def time_budget(seconds: float | None, what: str = "the document",
                cancel: threading.Event | None = None) -> Iterator[None]:
    """Run the body under a budget of ``seconds`` (None or <= 0: no budget), stopping early when
    ``cancel`` is set.

    Budgets nest: an inner budget never extends an outer one's deadline.
    """
    if (seconds is None or seconds <= 0) and cancel is None:
        yield
        return
    outer = _current.get()
    deadline = _clock() + seconds if seconds and seconds > 0 else float("inf")
    if outer is not None and outer.deadline < deadline:
        budget = outer
    else:
        budget = _Budget(deadline, seconds or 0.0, what, cancel)
    token = _current.set(budget)
    try:
        yield
    finally:
        _current.reset(token)


def check_deadline() -> None:
    """Raise :class:`TimeBudgetExceeded` when the current budget is spent (cheap: call it in loops)."""
    budget = _current.get()
    if budget is None:
        return
    if budget.cancel is not None and budget.cancel.is_set():
        raise Cancelled(budget.what)
    if _clock() > budget.deadline:
        raise TimeBudgetExceeded(budget.what, budget.seconds)


def remaining() -> float | None:
    """Seconds left in the current budget (None when there is none)."""
    budget = _current.get()
    return None if budget is None or budget.deadline == float("inf") else budget.deadline - _clock()


def run_with_budget(fn: Callable[[], T], seconds: float | None, what: str = "the document") -> T:
    """``fn()`` under a budget: for callers that hand work to a thread pool (the workbench)."""
    with time_budget(seconds, what):
        return fn()


def every(n: int) -> Callable[[], None]:
    """A checker that looks at the clock once every ``n`` calls, for the tightest loops."""
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        if count >= n:
            count = 0
            check_deadline()
    return tick
