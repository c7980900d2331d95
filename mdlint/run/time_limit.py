"""A wall-clock limit on one piece of work, so one runaway file cannot stall a whole run.

On Unix, in the main thread, `time_limit` arms a real-time interval timer (`setitimer`); when
it fires, the SIGALRM handler raises `TimeLimitExceeded` in the code that is running. Python runs
signal handlers between bytecodes, so a single long call into C (one huge regular-expression
match) is interrupted only when it returns.

Fallback: where signals cannot be used — Windows, or any thread but the main one (a thread
cannot receive SIGALRM) — `time_limit` does nothing and the work runs to completion. Worker
processes run their work in their own main thread, so they keep the limit.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["MAX_TIME_LIMIT", "TimeLimitExceeded", "limits_supported", "time_limit"]

# The longest limit accepted (about 11.5 days): the interval timer overflows beyond ~2**31 s, and
# no file should take this long.
MAX_TIME_LIMIT = 1_000_000


class TimeLimitExceeded(BaseException):
    """The work took longer than its limit.

    A `BaseException`, like `KeyboardInterrupt`, so that a broad `except Exception` inside a rule
    or the parser cannot swallow it and carry on.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than {seconds:g} s")
        self.seconds = seconds


def limits_supported() -> bool:
    """Whether `time_limit` can interrupt work here (Unix, main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise `TimeLimitExceeded` in the body when it runs longer than `seconds`.

    None or 0 means no limit; where limits are not supported the body runs unlimited.
    """
    if not seconds or not 0 < seconds <= MAX_TIME_LIMIT or not limits_supported():
        yield
        return

    def _expire(_signal: int, _frame: FrameType | None) -> None:
        raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, _expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
