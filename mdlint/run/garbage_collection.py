"""The garbage collector's settings for one command-line run.

Parse trees free themselves by reference counting (no parent cycles, see `syntax_tree.Node`), so
the cyclic collector has little to find in a run; left at its defaults it still walks every
live object on each full collection, and a large run spent a third of its time there. A run
moves what exists at start-up (modules, rules, config) out of the collector's sight and collects
young objects less often.
"""

from __future__ import annotations

import gc

__all__ = ["BATCH_THRESHOLDS", "tune_for_batch_run"]

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
