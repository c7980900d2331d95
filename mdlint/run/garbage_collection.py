"""The garbage collector's settings for one command-line run.

Parse trees free themselves by reference counting (no parent cycles, see `syntax_tree.Node`), so
the cyclic collector has little to find in a run; left at its defaults it still walks every
live object on each full collection, and a large run spent a third of its time there. A run
moves what exists at start-up (modules, rules, config) out of the collector's sight and collects
young objects less often. The language server lints the same page again on every edit: it
collects young objects as rarely, but freezes nothing, since it runs for hours.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["BATCH_THRESHOLDS", "collector_paused", "tune_for_batch_run", "tune_for_server"]

# Allocations between young collections, and young (then middle) collections between older ones.
# Python's defaults are (700, 10, 10); one document allocates tens of thousands of short-lived
# containers, which reference counting frees anyway.
BATCH_THRESHOLDS = (10_000, 20, 20)


def tune_for_batch_run() -> None:
    """Freeze the objects alive now and raise the collection thresholds, for a run that ends.

    Not for long-lived processes (the language server): frozen objects are never collected.
    Once per process, so that `--watch`, which runs again and again, freezes only its start-up.
    """
    if gc.get_freeze_count():
        return
    gc.freeze()
    gc.set_threshold(*BATCH_THRESHOLDS)


def tune_for_server() -> None:
    """Raise the collection thresholds for a long-lived process that lints on every edit.

    With the defaults, a lint of a 60 KB page triggered some 30 collections, a tenth of them of
    the older generations, which walk everything the server holds (the protocol's classes, the
    workspace index): about a tenth of the lint's time. Nothing is frozen: what is alive now may
    become garbage later, in a process that runs for hours.
    """
    gc.set_threshold(*BATCH_THRESHOLDS)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside: for making many objects none of which is in a cycle."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
