"""The server's lint thread: every lint (and everything else that reads or changes the workspace
index) runs on it, one piece of work at a time, so the event loop stays free to answer hover,
code-action and cancel requests while a long lint runs.

A lint that a newer version of its buffer makes pointless is interrupted where it is (`Superseded`
is raised in the thread), not left to finish. The runner's per-file time limit is a SIGALRM timer,
which only the main thread receives; on this thread the limit is kept by the same means as the
interruption: when it expires, `TimeLimitExceeded` is raised in the work, as the timer would.

Raising in another thread uses CPython's `PyThreadState_SetAsyncExc`, delivered, like a signal
handler's exception, between two bytecodes. Where it is missing (another Python), nothing is
interrupted: a superseded lint runs to its end and its result is dropped.
"""

from __future__ import annotations

import asyncio
import ctypes
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TypeVar

from mdlint.run.time_limit import TimeLimitExceeded

__all__ = ["Interruption", "LintThread", "Superseded"]

T = TypeVar("T")


class Superseded(BaseException):
    """A newer version of the buffer made this lint pointless.

    A `BaseException`, as `TimeLimitExceeded` is, so that no `except Exception` in a rule stops it.
    """


class Interruption:
    """Whether the work it belongs to is still wanted; set `superseded` (through `LintThread`)."""

    def __init__(self) -> None:
        self.superseded = False


@cache
def _expired(seconds: float) -> type[TimeLimitExceeded]:
    # The exception is raised in the thread from its type alone: one type per limit carries it.
    class _Expired(TimeLimitExceeded):
        def __init__(self) -> None:
            super().__init__(seconds)

    return _Expired


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    """Raise `exception` in the thread soon (None: forget one not raised yet)."""
    python = getattr(ctypes, "pythonapi", None)
    set_async_exc = getattr(python, "PyThreadState_SetAsyncExc", None)
    if set_async_exc is None:
        return
    set_async_exc(ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception is not None else None)


class LintThread:
    """One worker thread; work submitted to it runs in order, never two pieces at once."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="mdlint-lint")
        # Guards `_running`: an exception is raised in the thread only while the work it is meant
        # for runs there, never into whatever the thread does next.
        self._lock = threading.Lock()
        self._running: tuple[int, Interruption] | None = None
        self._closed = False

    def submit(self, work: Callable[[], T]) -> asyncio.Future[T]:
        """Run `work` on the thread after what was submitted before (queued at once, in call order).

        After `shutdown`, the work is not done: the future is cancelled.
        """
        loop = asyncio.get_running_loop()
        if self._closed:
            dropped: asyncio.Future[T] = loop.create_future()
            dropped.cancel()
            return dropped
        return loop.run_in_executor(self._executor, work)

    def interruptible(self, interruption: Interruption, time_limit: float | None, work: Callable[[], T]) -> T:
        """Run `work` here (on the thread) so that `supersede` or the time limit can interrupt it."""
        if interruption.superseded:
            raise Superseded
        thread_id = threading.get_ident()
        timer = None
        if time_limit and time_limit > 0:
            timer = threading.Timer(time_limit, self._interrupt, (interruption, _expired(time_limit)))
            timer.daemon = True
        with self._lock:
            self._running = (thread_id, interruption)
        try:
            if timer is not None:
                timer.start()
            return work()
        finally:
            if timer is not None:
                timer.cancel()
            with self._lock:
                self._running = None
                # Raised too late to stop the work: it must not land in the next piece of work.
                _raise_in(thread_id, None)

    def supersede(self, interruption: Interruption) -> None:
        """The work of `interruption` is no longer wanted: stop it if it runs, skip it if it waits."""
        interruption.superseded = True
        self._interrupt(interruption, Superseded)

    def _interrupt(self, interruption: Interruption, exception: type[BaseException]) -> None:
        with self._lock:
            if self._running is not None and self._running[1] is interruption:
                _raise_in(self._running[0], exception)

    def shutdown(self) -> None:
        """Stop the work that runs and drop the work that waits."""
        self._closed = True
        with self._lock:
            if self._running is not None:
                self._running[1].superseded = True
                _raise_in(self._running[0], Superseded)
        self._executor.shutdown(wait=False, cancel_futures=True)
