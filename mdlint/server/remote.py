"""Remote link results for the server: served from the link cache, checked on the network apart.

A lint never waits on the network: it gets the results the link cache holds and notes the URLs it
lacks. After a save, the server checks those URLs in a background thread (through the same checker
and cache as the CLI) and lints again when the results are in.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from mdlint.links.results import CheckerSettings, CheckResult
from mdlint.run.link_cache import LinkCache
from mdlint.run.remote_links import RemoteLinks
from mdlint.site.workspace import RunSettings

__all__ = ["CachedRemoteLinks", "check_remote_links"]

Groups = list[tuple[CheckerSettings, frozenset[str]]]


class CachedRemoteLinks:
    """A `RemoteLinkChecker` that answers from the link cache alone and remembers what it lacked."""

    def __init__(self, cache_dir: Path | None) -> None:
        self._cache_dir = cache_dir
        self._missing: Groups = []

    def check(self, groups: Sequence[tuple[CheckerSettings, Collection[str]]]) -> list[dict[str, CheckResult]]:
        """For each group, the results the cache holds; the URLs it does not hold are noted."""
        if not groups:
            return []
        wanted = {url for _, urls in groups for url in urls}
        cache = LinkCache.open(self._cache_dir)
        fresh: dict[str, CheckResult] = {}
        if cache is not None:
            try:
                fresh = cache.fresh(wanted)
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


def check_remote_links(groups: Groups, settings: RunSettings) -> None:
    """Check URLs on the network and store the results in the link cache (slow: run it in a thread)."""
    if groups:
        RemoteLinks(settings).check(groups)
