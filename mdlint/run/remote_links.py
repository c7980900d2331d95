"""Remote link checks for a run: the link cache, the HTTP checker within its budget, the progress bar.

Rules ask for remote checks through `mdlint.links.results.RemoteLinkChecker`; this is the one
implementation, and the run gives it to rules only when it may use the network (not `--offline`).
"""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any
from urllib.parse import urlsplit

from mdlint.links.network_probe import network_down
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
        # Remote URLs left unchecked because the network was found down; once it is, the run's
        # later checks (after `--fix`) do not probe again.
        self._not_checked: set[str] = set()
        self._network_down = False

    @property
    def notices(self) -> list[str]:
        """What the run should say once, on standard error: the network was down."""
        if not self._network_down:
            return []
        count = len(self._not_checked)
        return [
            f"network unreachable: {count} remote link{'s' if count != 1 else ''} not checked; --offline skips them"
        ]

    def check(self, groups: Sequence[tuple[CheckerSettings, Collection[str]]]) -> list[dict[str, CheckResult]]:
        if not groups:
            return []
        if self._network_down:
            self._not_checked.update(url for _, urls in groups for url in urls)
            return [{} for _ in groups]
        # Imported here: SQLite is not needed by a run that checks no remote link.
        from mdlint.run.link_cache import LinkCache

        cache = LinkCache.open(self._settings.cache_dir)
        try:
            fresh = cache.fresh({url for _, urls in groups for url in urls}) if cache is not None else {}
            missing = [set(urls) - fresh.keys() for _, urls in groups]
            if network_down({url for urls in missing for url in urls}):
                # Said once for the run (see `notices`), not once per link; cached results still count.
                self._network_down = True
                self._not_checked.update(url for urls in missing for url in urls)
                return [{url: fresh[url] for url in urls if url in fresh} for _, urls in groups]
            bar, started, advance = self._progress(sum(len(urls) for urls in missing))
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
                        checked = check_urls_sync(
                            unchecked, dataclasses.replace(settings, budget=left), advance, started
                        )
                        if cache is not None:
                            cache.store(checked.values())
                        found.update(checked)
                    results.append(found)
            return results
        finally:
            if cache is not None:
                cache.close()

    def _progress(
        self, total: int
    ) -> tuple[AbstractContextManager[Any], Callable[[str], None], Callable[[CheckResult], None]]:
        if not (self._settings.show_progress and sys.stderr.isatty()) or total == 0:
            return nullcontext(), lambda _url: None, lambda _result: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn
        from rich.text import Text

        in_flight = _InFlight()

        class _InFlightColumn(ProgressColumn):
            """Hosts in flight and the URL waited on longest, so a bar at 100 % says what it waits for."""

            def render(self, task: Task) -> Text:
                return Text(in_flight.describe(), style="progress.description")

        progress = Progress(
            TextColumn("checking links"),
            BarColumn(),
            MofNCompleteColumn(),
            _InFlightColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        task = progress.add_task("checking links", total=total)

        def finished(result: CheckResult) -> None:
            in_flight.finish(result.url)
            progress.advance(task)

        return progress, in_flight.start, finished


class _InFlight:
    """The URLs being checked and since when; read by the progress bar's refresh thread.

    Every link counts as in flight from the start of its check, so thousands may be at once; the
    refresh (ten a second) reads the host count and the longest-waiting URL without going over them.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # In order of start, so the first entry has waited longest.
        self._since: dict[str, tuple[float, str | None]] = {}
        self._hosts: Counter[str | None] = Counter()

    def start(self, url: str) -> None:
        host = urlsplit(url).hostname
        with self._lock:
            self._forget(url)
            self._since[url] = (time.monotonic(), host)
            self._hosts[host] += 1

    def finish(self, url: str) -> None:
        with self._lock:
            self._forget(url)

    def _forget(self, url: str) -> None:
        entry = self._since.pop(url, None)
        if entry is not None:
            self._hosts[entry[1]] -= 1
            if not self._hosts[entry[1]]:
                del self._hosts[entry[1]]

    def describe(self) -> str:
        """`N hosts in flight, slowest URL (S s)`: what the run is waiting on when the bar stands still."""
        with self._lock:
            if not self._since:
                return ""
            host_count = len(self._hosts)
            entries = iter(self._since.items())
            slowest, (started, _host) = next(entries)
            # Started at the same instant: the first URL in order names it, whatever the start order.
            for url, (at, _host) in entries:
                if at != started:
                    break
                slowest = min(slowest, url)
        waited = time.monotonic() - started
        noun = "host" if host_count == 1 else "hosts"
        return f"{host_count} {noun} in flight, slowest {_shortened(slowest)} ({waited:.0f} s)"


def _shortened(url: str, width: int = 60) -> str:
    return url if len(url) <= width else url[: width - 1] + "…"
