"""Running the per-document pass in worker processes.

Parsing is CPU-bound pure Python, so threads would not help. Workers get file paths (they read
and parse the files themselves; parsed trees are never pickled) and return picklable results in
the order of the input, so a parallel run reports exactly what a serial one does.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any, TypeVar

__all__ = ["PARALLEL_MIN_FILES", "PoolUnavailableError", "default_jobs", "map_in_processes"]

State = TypeVar("State")
Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many files to check, starting processes costs more than it saves.
PARALLEL_MIN_FILES = 32
# Several chunks per worker even out files of different sizes; chunks are runs of neighbouring
# files, so a worker meets each folder (and scans it for folder-level rules) about once.
_CHUNKS_PER_JOB = 4

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
    # fork reuses the parent's imported modules, which saves each worker ~0.3 s of imports; macOS
    # and Windows have no safe fork.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _initialize(factory: Callable[[], Any]) -> None:
    global _state
    _state = factory()


def _run_chunk(work: Callable[[Any, Any], Any], chunk: Sequence[Any]) -> list[Any]:
    return [work(_state, item) for item in chunk]


def _chunks(items: Sequence[Item], jobs: int) -> list[Sequence[Item]]:
    size = max(1, -(-len(items) // (jobs * _CHUNKS_PER_JOB)))
    return [items[index : index + size] for index in range(0, len(items), size)]


def map_in_processes(
    factory: Callable[[], State],
    work: Callable[[State, Item], Result],
    items: Sequence[Item],
    jobs: int,
) -> list[Result]:
    """`[work(state, item) for item in items]` across `jobs` processes, each with `state = factory()`.

    `factory` and `work` must be picklable (module-level functions, or partials of them).
    Exceptions raised by `work` propagate; a pool that cannot start or breaks raises
    `PoolUnavailableError`.
    """
    chunks = _chunks(items, jobs)
    results: list[Result] = []
    try:
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(chunks)),
            mp_context=_context(),
            initializer=_initialize,
            initargs=(factory,),
        ) as pool:
            for part in pool.map(partial(_run_chunk, work), chunks):
                results.extend(part)
    except (BrokenProcessPool, OSError) as error:
        raise PoolUnavailableError(str(error)) from error
    return results
