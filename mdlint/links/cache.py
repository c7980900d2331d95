"""The link cache: one SQLite row per normalised URL, trusted for a time that depends on the outcome.

`ok` is trusted for about seven days (with jitter, so entries written together do not all expire
together), `dead` for one day, other outcomes not at all: a 429 or a timeout says nothing about
tomorrow. The database uses WAL and a busy timeout so two runs can share it; any SQLite failure
makes the run go on without a cache rather than fail.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import cast

from mdlint.links.results import CheckResult, LinkClass

__all__ = ["CACHE_FILE_NAME", "LinkCache", "clear_cache", "default_cache_dir"]

CACHE_FILE_NAME = "links.sqlite3"
_DAY = 86400.0
_TTL: dict[str, tuple[float, float]] = {"ok": (6 * _DAY, 8 * _DAY), "dead": (_DAY, _DAY)}
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
# SQLite's default limit on host parameters is 999 in old builds.
_CHUNK = 500


def default_cache_dir() -> Path:
    """The user cache folder for mdlint (platformdirs)."""
    import platformdirs  # imported here: an offline run without a cache never needs it

    return Path(platformdirs.user_cache_dir("mdlint", appauthor=False))


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=10.0, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 10000")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute(_SCHEMA)
    return connection


class LinkCache:
    """Fresh results by normalised URL; use `open()` to get one or None when unusable."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    @classmethod
    def open(cls, cache_dir: Path | None) -> LinkCache | None:
        """Open (creating) the cache in `cache_dir` or the default folder; None when that fails."""
        folder = cache_dir if cache_dir is not None else default_cache_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return cls(_connect(folder / CACHE_FILE_NAME))
        except (OSError, sqlite3.Error):
            return None

    def fresh(self, urls: Iterable[str], now: float | None = None) -> dict[str, CheckResult]:
        """Results for those `urls` whose entry has not expired."""
        moment = time.time() if now is None else now
        keys = list(dict.fromkeys(urls))
        found: dict[str, CheckResult] = {}
        try:
            for index in range(0, len(keys), _CHUNK):
                chunk = keys[index : index + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._connection.execute(
                    "SELECT url, class, status, final_url, reason FROM links_v1"
                    f" WHERE expires > ? AND url IN ({marks})",
                    [moment, *chunk],
                )
                for url, link_class, status, final_url, reason in rows:
                    if link_class in _TTL:
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
            if ttl is None:
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
        if not rows:
            return
        try:
            with contextlib.closing(self._connection.cursor()) as cursor:
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    cursor.executemany("INSERT OR REPLACE INTO links_v1 VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
                cursor.execute("COMMIT")
        except sqlite3.Error:
            pass

    def close(self) -> None:
        """Close the database connection."""
        with contextlib.suppress(sqlite3.Error):
            self._connection.close()

    def __enter__(self) -> LinkCache:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def clear_cache(cache_dir: Path | None) -> int:
    """Delete every cached link result (for `mdlint --clear-cache`); return how many were removed.

    Rows are deleted rather than the file, so a run using the cache at the same time is safe.
    """
    path = (cache_dir if cache_dir is not None else default_cache_dir()) / CACHE_FILE_NAME
    if not path.exists():
        return 0
    connection = _connect(path)
    try:
        cursor = connection.execute("DELETE FROM links_v1")
        return max(0, cursor.rowcount)
    finally:
        connection.close()
