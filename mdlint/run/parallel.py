"""Running the per-document pass in worker processes.

Parsing is CPU-bound pure Python, so threads would not help. Workers get file paths (they read
and parse the files themselves; parsed trees are never pickled) and return picklable results in
the order of the input, so a parallel run reports exactly what a serial one does.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    import multiprocessing.context

# multiprocessing and concurrent.futures are imported where a pool starts: a run over a few
# files never needs them, and they cost a one-file run ~25 ms of start-up.

__all__ = ["PARALLEL_MIN_FILES", "PoolUnavailableError", "WorkerPool", "default_jobs"]

State = TypeVar("State")
Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many files to check, starting processes costs more than it saves.
PARALLEL_MIN_FILES = 32
# Several chunks per worker even out files of different sizes; chunks are runs of neighbouring
# files, so a worker meets each folder (and scans it for folder-level rules) about once.
_CHUNKS_PER_JOB = 4
# A worker holds a chunk's results until the chunk is done: bounded, so that a worker's memory
# does not grow with the size of the run.
_MAX_CHUNK = 16

# From <linux/prctl.h>: ask the kernel for a signal when the parent process dies.
_PR_SET_PDEATHSIG = 1
# How often a worker checks that its parent is still there (the fallback to PR_SET_PDEATHSIG).
_WATCHDOG_SECONDS = 0.5

# The worker's state, made once per process by `_initialize`.
_state: Any = None


class PoolUnavailableError(Exception):
    """Worker processes could not be started or died; the caller runs serially instead."""


def default_jobs() -> int:
    """The CPUs this process may use."""
    if hasattr(os, "process_cpu_count"):
        count: int | None = os.process_cpu_count()
    elif hasattr(os, "sched_getaffinity"):
        count = len(os.sched_getaffinity(0))
    else:
        count = os.cpu_count()
    return max(1, count or 1)


def _context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    # fork reuses the parent's imported modules, which saves each worker ~0.3 s of imports; macOS
    # and Windows have no safe fork.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _initialize(factory: Callable[[], Any], parent: int) -> None:
    global _state
    _exit_with_parent(parent)
    _state = factory()


def _exit_with_parent(parent: int) -> None:
    """Make this worker exit when the process that started it dies, however it dies.

    A parent killed by SIGTERM or SIGKILL never runs the executor's shutdown, and a worker
    blocked on its task queue would wait forever, holding memory and open files.
    """
    if sys.platform.startswith("linux"):
        # The kernel sends SIGKILL when the parent goes; no polling delay, nothing to run.
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl (e.g. a libc without it): the watchdog below still works
    # The parent may have died before prctl ran (then it never fires); other systems have no
    # prctl at all. A daemon thread notices the reparenting within a poll interval.
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="mdlint-parent-watchdog", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(_WATCHDOG_SECONDS)
        try:
            orphaned = os.getppid() != parent
        except MemoryError:
            # The main thread's file is at the memory limit (`mdlint.run.memory_limit`); that
            # file becomes an error line, and this thread asks again next time.
            continue
        if orphaned:
            # os._exit, not sys.exit: this is a thread, and the main thread may be mid-task.
            os._exit(1)


def _run_chunk(work: Callable[[Any, Any], Any], chunk: Sequence[Any]) -> list[Any]:
    return [work(_state, item) for item in chunk]


def _chunks(items: Sequence[Item], jobs: int) -> list[Sequence[Item]]:
    size = min(_MAX_CHUNK, max(1, -(-len(items) // (jobs * _CHUNKS_PER_JOB))))
    return [items[index : index + size] for index in range(0, len(items), size)]


class WorkerPool(Generic[State]):
    """Worker processes, each holding `state = factory()`; `map` runs `work(state, item)` across them.

    The processes start in the constructor, so a caller can fork them while it is still small
    (forked workers share, and count, the memory the parent has at that moment). `factory` and
    `work` must be picklable (module-level functions, or partials of them).
    """

    def __init__(self, factory: Callable[[], State], jobs: int) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.jobs = jobs
        try:
            self._executor = ProcessPoolExecutor(
                max_workers=jobs, mp_context=_context(), initializer=_initialize, initargs=(factory, os.getpid())
            )
            # A first task per worker makes the executor start its processes now. Objects the
            # parent already has are frozen first, so the workers' garbage collector does not
            # touch (and copy) every page they share with the parent.
            # A run that froze its start-up objects itself (`tune_for_batch_run`) keeps them so.
            frozen_before = gc.get_freeze_count()
            gc.freeze()
            try:
                list(self._executor.map(_ready, range(jobs)))
            finally:
                if not frozen_before:
                    gc.unfreeze()
        except Exception as error:
            raise PoolUnavailableError(str(error)) from error

    def map(self, work: Callable[[State, Item], Result], items: Sequence[Item]) -> list[Result]:
        """`[work(state, item) for item in items]`, in that order; `work`'s exceptions propagate.

        A pool that breaks (a worker killed, e.g. out of memory) raises `PoolUnavailableError`.
        """
        from concurrent.futures.process import BrokenProcessPool

        results: list[Result] = []
        try:
            for part in self._executor.map(partial(_run_chunk, work), _chunks(items, self.jobs)):
                results.extend(part)
        except (BrokenProcessPool, OSError) as error:
            raise PoolUnavailableError(str(error)) from error
        return results

    def close(self) -> None:
        """Stop the worker processes."""
        self._executor.shutdown(wait=True, cancel_futures=True)


def _ready(_index: int) -> None:
    return None
