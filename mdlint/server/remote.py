"""Remote link results for the server: served from the link cache, checked on the network apart.

A lint never waits on the network: it gets the results the link cache holds and notes the URLs it
lacks. After a save, the server checks those URLs in a background thread (through the same checker
and cache as the CLI) and lints again when the results are in.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from pathlib import Path

from mdlint.links.results import CheckerSettings, CheckResult
from mdlint.run.link_cache import LinkCache
from mdlint.run.remote_links import RemoteLinks
from mdlint.site.workspace import RunSettings

__all__ = ["REMEMBER_SECONDS", "CachedRemoteLinks", "Groups", "check_remote_links"]

REMEMBER_SECONDS = 600.0

Groups = list[tuple[CheckerSettings, frozenset[str]]]


class CachedRemoteLinks:
    """A `RemoteLinkChecker` that answers from the link cache alone and remembers what it lacked."""

    def __init__(self, cache_dir: Path | None) -> None:
        self._cache_dir = cache_dir
        self._missing: Groups = []
        # Results of this session's own checks, with when they were made: the link cache keeps only
        # the trusted outcomes (ok, dead), but a timeout or a refusal found after a save is worth
        # showing too, for a while; after that a save checks the link again.
        self._checked: dict[str, tuple[float, CheckResult]] = {}

    def remember(self, results: list[dict[str, CheckResult]]) -> None:
        """Keep the results of a network check for the next lints."""
        now = time.monotonic()
        for found in results:
            self._checked.update((url, (now, result)) for url, result in found.items())

    def check(self, groups: Sequence[tuple[CheckerSettings, Collection[str]]]) -> list[dict[str, CheckResult]]:
        """For each group, the results the cache holds; the URLs it does not hold are noted."""
        if not groups:
            return []
        wanted = {url for _, urls in groups for url in urls}
        now = time.monotonic()
        fresh = {
            url: self._checked[url][1]
            for url in wanted
            if url in self._checked and now - self._checked[url][0] < REMEMBER_SECONDS
        }
        cache = LinkCache.open(self._cache_dir) if wanted - fresh.keys() else None
        if cache is not None:
            try:
                fresh.update(cache.fresh(wanted - fresh.keys()))
            finally:
                cache.close()
        results = []
        for settings, urls in groups:
            found = {url: fresh[url] for url in urls if url in fresh}
            unknown = frozenset(urls) - found.keys()
            if unknown:
                self._missing.append((settings, unknown))
            results.append(found)
        return results

    def take_missing(self) -> Groups:
        """The groups of URLs the cache lacked since the last call."""
        missing, self._missing = self._missing, []
        return missing


def check_remote_links(groups: Groups, settings: RunSettings) -> list[dict[str, CheckResult]]:
    """Check URLs on the network, store them in the link cache, return them (slow: run it in a thread)."""
    return RemoteLinks(settings).check(groups) if groups else []
