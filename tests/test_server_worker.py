"""The server's lint thread: work runs there in order; a superseded piece of work, or one past its
time limit, is interrupted where it is; the thread goes on with the next piece."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from mdlint.run.time_limit import TimeLimitExceeded
from mdlint.server.worker import Interruption, LintThread, Superseded

HANG_GUARD = 20.0


def _busy(started: threading.Event | None = None) -> str:
    """Pure Python work that would run for HANG_GUARD seconds unless interrupted."""
    if started is not None:
        started.set()
    deadline = time.monotonic() + HANG_GUARD
    while time.monotonic() < deadline:
        pass
    return "ran to its end"


@pytest.mark.asyncio
async def test_superseded_work_is_interrupted_and_the_next_piece_runs() -> None:
    thread = LintThread()
    started = threading.Event()
    interruption = Interruption()
    running = thread.submit(lambda: thread.interruptible(interruption, None, lambda: _busy(started)))
    while not started.is_set():
        await asyncio.sleep(0.01)
    thread.supersede(interruption)
    with pytest.raises(Superseded):
        await running
    # The thread is free again, and nothing meant for the interrupted work lands in the next.
    assert await thread.submit(lambda: sum(range(200_000))) == 19_999_900_000
    assert await thread.submit(lambda: thread.interruptible(Interruption(), None, lambda: "done")) == "done"
    thread.shutdown()


@pytest.mark.asyncio
async def test_work_superseded_before_it_starts_never_runs() -> None:
    thread = LintThread()
    interruption = Interruption()
    ran: list[str] = []
    thread.supersede(interruption)
    with pytest.raises(Superseded):
        await thread.submit(lambda: thread.interruptible(interruption, None, lambda: ran.append("ran")))
    assert ran == []
    thread.shutdown()


@pytest.mark.asyncio
async def test_the_time_limit_holds_on_the_thread() -> None:
    thread = LintThread()
    with pytest.raises(TimeLimitExceeded, match=r"^took longer than 0\.05 s$"):
        await thread.submit(lambda: thread.interruptible(Interruption(), 0.05, _busy))
    assert await thread.submit(lambda: thread.interruptible(Interruption(), 5, lambda: "within")) == "within"
    thread.shutdown()


@pytest.mark.asyncio
async def test_after_shutdown_work_is_dropped() -> None:
    thread = LintThread()
    thread.shutdown()
    ran: list[str] = []
    dropped = thread.submit(lambda: ran.append("ran"))
    assert dropped.cancelled()
    assert ran == []
