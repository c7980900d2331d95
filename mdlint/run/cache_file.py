"""The SQLite files in mdlint's cache folder (the link cache, the result cache) and what they share.

Each file uses WAL and a busy timeout so two runs can use it at once, and any SQLite failure
makes the run go on without the cache rather than fail: a cache may only make a run faster.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar, Self

__all__ = ["CacheFile", "default_cache_dir"]

# SQLite's default limit on host parameters is 999 in old builds.
_CHUNK = 500
# SQLite's result code for "file is not a database".
_SQLITE_NOTADB = 26


def _columns(connection: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    # Name, declared type, NOT NULL, default and primary-key position of each column, in order.
    return [tuple(row[1:]) for row in connection.execute(f"PRAGMA table_info({table})")]


def default_cache_dir() -> Path:
    """The user cache folder for mdlint (platformdirs)."""
    import platformdirs  # imported here: an offline run without a cache never needs it

    return Path(platformdirs.user_cache_dir("mdlint", appauthor=False))


class CacheFile:
    """One table in one SQLite file of the cache folder; subclasses name the file and the table."""

    FILE_NAME: ClassVar[str]
    TABLE: ClassVar[str]
    SCHEMA: ClassVar[str]

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    @classmethod
    def path(cls, cache_dir: Path | None) -> Path:
        """Where the file lives: in `cache_dir`, or in the user cache folder."""
        return (cache_dir if cache_dir is not None else default_cache_dir()) / cls.FILE_NAME

    @classmethod
    def connect(cls, path: Path) -> sqlite3.Connection:
        """A connection to the file at `path`, its table created; raises `sqlite3.Error`."""
        connection = sqlite3.connect(path, timeout=10.0, isolation_level=None)
        connection.execute("PRAGMA busy_timeout = 10000")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute(cls.SCHEMA)
        if _columns(connection, cls.TABLE) != cls._expected_columns():
            # A table of another shape (CI restores cache folders from elsewhere: another mdlint
            # version, another tool): its rows mean nothing here, so it starts afresh.
            connection.execute(f"DROP TABLE {cls.TABLE}")
            connection.execute(cls.SCHEMA)
        return connection

    @classmethod
    def _expected_columns(cls) -> list[tuple[Any, ...]]:
        """The columns `SCHEMA` makes, as `PRAGMA table_info` lists them."""
        with contextlib.closing(sqlite3.connect(":memory:")) as memory:
            memory.execute(cls.SCHEMA)
            return _columns(memory, cls.TABLE)

    @classmethod
    def open(cls, cache_dir: Path | None) -> Self | None:
        """Open (creating) the file; None when that fails."""
        path = cls.path(cache_dir)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return cls(cls.connect(path))
        except (OSError, sqlite3.Error):
            return None

    @classmethod
    def clear(cls, cache_dir: Path | None) -> int:
        """Delete every row (for `mdlint --clear-cache`); return how many were removed.

        Rows are deleted rather than the file, so a run using the cache at the same time is safe.
        """
        path = cls.path(cache_dir)
        if not path.exists():
            return 0
        try:
            connection = cls.connect(path)
        except sqlite3.DatabaseError as error:
            if getattr(error, "sqlite_errorcode", None) != _SQLITE_NOTADB:
                raise
            # Not a database at all (a file restored from elsewhere): nothing can use it.
            path.unlink(missing_ok=True)
            return 0
        try:
            cursor = connection.execute(f"DELETE FROM {cls.TABLE}")
            return max(0, cursor.rowcount)
        finally:
            connection.close()

    def select_in(
        self,
        columns: str,
        key_column: str,
        keys: Iterable[str],
        where: str = "",
        parameters: Sequence[Any] = (),
        *,
        table: str | None = None,
    ) -> Iterator[Any]:
        """Rows whose `key_column` is one of `keys` (asked in chunks); `where` adds a condition
        with its own `parameters`; `table` is another table of the file than `TABLE`.

        Raises `sqlite3.Error`; callers treat it as "nothing cached".
        """
        wanted = list(dict.fromkeys(keys))
        condition = f" AND {where}" if where else ""
        for index in range(0, len(wanted), _CHUNK):
            chunk = wanted[index : index + _CHUNK]
            marks = ",".join("?" * len(chunk))
            yield from self._connection.execute(
                f"SELECT {columns} FROM {table or self.TABLE} WHERE {key_column} IN ({marks}){condition}",
                [*chunk, *parameters],
            )

    def write(self, statements: Sequence[tuple[str, Iterable[Sequence[Any]]]]) -> None:
        """Run each statement over its rows in one transaction; a failure is ignored."""
        try:
            with contextlib.closing(self._connection.cursor()) as cursor:
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    for statement, rows in statements:
                        cursor.executemany(statement, rows)
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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
