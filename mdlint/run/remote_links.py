"""Remote link checks for a run: the link cache, the HTTP checker within its budget, the progress bar.

Rules ask for remote checks through `mdlint.links.results.RemoteLinkChecker`; this is the one
implementation, and the run gives it to rules only when it may use the network (not `--offline`).
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable, Collection, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from mdlint.links.results import CheckerSettings, CheckResult, RemoteLinkChecker
from mdlint.site.workspace import RunSettings

__all__ = ["RemoteLinks", "remote_links_for"]


def remote_links_for(settings: RunSettings) -> RemoteLinkChecker | None:
    """The remote checker a run's rules may use, or None when the run is offline."""
    return None if settings.offline else RemoteLinks(settings)


class RemoteLinks:
    """Checks URLs through the link cache; each group with its own settings, all within one budget."""

    def __init__(self, settings: RunSettings) -> None:
        self._settings = settings

    def check(self, groups: Sequence[tuple[CheckerSettings, Collection[str]]]) -> list[dict[str, CheckResult]]:
        if not groups:
            return []
        # Imported here: SQLite is not needed by a run that checks no remote link.
        from mdlint.run.link_cache import LinkCache

        cache = LinkCache.open(self._settings.cache_dir)
        try:
            fresh = cache.fresh({url for _, urls in groups for url in urls}) if cache is not None else {}
            missing = [set(urls) - fresh.keys() for _, urls in groups]
            bar, advance = self._progress(sum(len(urls) for urls in missing))
            # The largest budget bounds the run's remote checks as a whole, as the single budget
            # did before options could differ per file; groups run one after another so two
            # groups never double the load on a shared host.
            deadline = time.monotonic() + max(settings.budget for settings, _ in groups)
            results: list[dict[str, CheckResult]] = []
            with bar:
                for (settings, urls), unchecked in zip(groups, missing, strict=True):
                    found = {url: fresh[url] for url in urls if url in fresh}
                    if unchecked:
                        # Imported here: httpx is only needed when some link is not in the cache.
                        from mdlint.links.remote import check_urls_sync

                        left = max(0.0, min(settings.budget, deadline - time.monotonic()))
                        checked = check_urls_sync(unchecked, dataclasses.replace(settings, budget=left), advance)
                        if cache is not None:
                            cache.store(checked.values())
                        found.update(checked)
                    results.append(found)
            return results
        finally:
            if cache is not None:
                cache.close()

    def _progress(self, total: int) -> tuple[AbstractContextManager[Any], Callable[[CheckResult], None]]:
        if not (self._settings.show_progress and sys.stderr.isatty()) or total == 0:
            return nullcontext(), lambda _result: None
        from rich.console import Console
        from rich.progress import Progress

        progress = Progress(console=Console(stderr=True), transient=True)
        task = progress.add_task("checking links", total=total)
        return progress, lambda _result: progress.advance(task)
