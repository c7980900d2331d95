"""The link cache: one SQLite row per normalised URL, trusted for a time that depends on the outcome.

`ok` is trusted for about seven days (with jitter, so entries written together do not all expire
together), `dead` for one day, `unreachable` (a timeout, a refused connection, a name that does not
resolve) for about an hour, so a host that timed out does not cost its timeouts again on every run
of an afternoon; other outcomes, and links the checker chose not to check (the time budget ran out,
the network was down), not at all: a 429 says nothing about tomorrow. The database uses WAL and a
busy timeout so two runs can share it; any SQLite failure
makes the run go on without a cache rather than fail.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import cast

from mdlint.links.results import NOT_CHECKED, CheckResult, LinkClass
from mdlint.run.cache_file import CacheFile, default_cache_dir

__all__ = ["CACHE_FILE_NAME", "LinkCache", "clear_cache", "default_cache_dir"]

CACHE_FILE_NAME = "links.sqlite3"
_DAY = 86400.0
_HOUR = 3600.0
_TTL: dict[str, tuple[float, float]] = {
    "ok": (6 * _DAY, 8 * _DAY),
    "dead": (_DAY, _DAY),
    "unreachable": (0.75 * _HOUR, 1.25 * _HOUR),
}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS links_v1 (
    url TEXT PRIMARY KEY,
    class TEXT NOT NULL,
    status INTEGER,
    final_url TEXT,
    reason TEXT NOT NULL,
    checked REAL NOT NULL,
    expires REAL NOT NULL
)
"""


class LinkCache(CacheFile):
    """Fresh results by normalised URL; use `open()` to get one or None when unusable."""

    FILE_NAME = CACHE_FILE_NAME
    TABLE = "links_v1"
    SCHEMA = _SCHEMA

    def fresh(self, urls: Iterable[str], now: float | None = None) -> dict[str, CheckResult]:
        """Results for those `urls` whose entry has not expired."""
        moment = time.time() if now is None else now
        found: dict[str, CheckResult] = {}
        try:
            rows = self.select_in(
                "url, class, status, final_url, reason", "url", urls, where="expires > ?", parameters=(moment,)
            )
            for url, link_class, status, final_url, reason in rows:
                # A row another program wrote (or a damaged one) is a miss, not a result.
                if (
                    link_class in _TTL
                    and isinstance(url, str)
                    and isinstance(reason, str)
                    and (status is None or type(status) is int)
                    and (final_url is None or isinstance(final_url, str))
                ):
                    found[url] = CheckResult(url, cast(LinkClass, link_class), status, final_url, reason)
        except sqlite3.Error:
            return {}
        return found

    def store(self, results: Iterable[CheckResult], now: float | None = None) -> None:
        """Remember trusted outcomes; others are not written, and a failure is ignored."""
        moment = time.time() if now is None else now
        rows = []
        for result in results:
            ttl = _TTL.get(result.link_class)
            if ttl is None or result.reason.startswith(NOT_CHECKED):
                continue
            expires = moment + random.uniform(*ttl)
            rows.append(
                (
                    result.url,
                    result.link_class,
                    result.status,
                    result.final_url,
                    result.reason,
                    moment,
                    expires,
                )
            )
        if rows:
            self.write([("INSERT OR REPLACE INTO links_v1 VALUES (?, ?, ?, ?, ?, ?, ?)", rows)])


def clear_cache(cache_dir: Path | None) -> int:
    """Delete every cached link result (for `mdlint --clear-cache`); return how many were removed."""
    return LinkCache.clear(cache_dir)
