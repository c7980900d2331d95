"""A memory limit on one piece of work, so one hostile file cannot exhaust the machine.

On Linux, in the main thread, `memory_limit` lowers the process's soft address-space limit
(`RLIMIT_AS`) for the body and restores it afterwards; an allocation beyond it fails, and Python
raises `MemoryError` in the code that asked, which unwinds and frees what the body built. The
address space bounds the resident memory too, so the process never holds more than the limit.

The limit is on the whole process, not on what the body adds: the worker that lints a file, or
the run's own process with `--jobs 1`, stays under it. A process that already holds more than
the limit (a serial run over very many files keeps them all) still gets `_MINIMUM_SHARE` of the
limit on top of what it holds, so that every file is not refused for the run's own state.

Fallback: where the limit cannot be set — Windows and macOS (no enforced `RLIMIT_AS`), or any
thread but the main one (the limit would bind the other threads too, e.g. the language
server's) — `memory_limit` does nothing and the body runs unbounded.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["DEFAULT_MAX_MEMORY_MB", "MEMORY_LIMIT_MESSAGE", "limits_supported", "memory_limit"]

DEFAULT_MAX_MEMORY_MB = 1024
MEMORY_LIMIT_MESSAGE = "too large to lint (memory limit)"
_MINIMUM_SHARE = 0.25
_MEBIBYTE = 1024 * 1024


def limits_supported() -> bool:
    """Whether `memory_limit` can bound work here (Linux, main thread)."""
    return sys.platform.startswith("linux") and threading.current_thread() is threading.main_thread()


def _address_space_bytes() -> int:
    """The process's current virtual size (the quantity `RLIMIT_AS` bounds)."""
    import os

    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def memory_limit(megabytes: float | None) -> Iterator[None]:
    """Raise `MemoryError` in the body when the process would use more than `megabytes` MiB.

    None or 0 means no limit; where limits are not supported the body runs unbounded.
    """
    if not megabytes or megabytes <= 0 or not limits_supported():
        yield
        return
    import resource

    previous = resource.getrlimit(resource.RLIMIT_AS)
    wanted = _limit_bytes(megabytes, previous)
    applied = False
    if wanted is not None:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (wanted, previous[1]))
            applied = True
        except (OSError, ValueError):
            pass  # a sandbox that forbids setrlimit: run unbounded rather than not at all
    try:
        yield
    finally:
        if applied:
            resource.setrlimit(resource.RLIMIT_AS, previous)


def _limit_bytes(megabytes: float, previous: tuple[int, int]) -> int | None:
    """The soft limit to set, or None when the process is already bounded as tightly."""
    import resource

    wanted = int(megabytes * _MEBIBYTE)
    try:
        wanted = max(wanted, _address_space_bytes() + int(wanted * _MINIMUM_SHARE))
    except (OSError, ValueError):
        return None
    soft, hard = previous
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft <= wanted:
        # The user's ulimit, or an enclosing limit, is tighter already.
        return None
    return wanted
