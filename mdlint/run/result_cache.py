"""The result cache: what the per-document pass found, kept for files that have not changed.

Like Ruff's cache, an entry is keyed by everything that can change a document's per-document
findings: the text, the path, the rules with their options and severities, the run settings,
mdlint's version and its code, and, when a configured rule reads the document's folder
(`Rule.depends_on == "folder"`), the names, sizes and modification times of that folder's files.
Run-level checks (`Rule.check_run`, e.g. dead links) are never cached; they run every time, from
the facts the per-document pass collected.

A second table remembers, per file, what its last reading found (digest, encoding, BOM, dialect)
under the file's status (size, modification and change times, inode, device), mdlint's code and
its site's configuration. A warm run that finds a file's status unchanged takes these without
reading or hashing the file, as Ruff and git do; the result key is then made as before, so a
changed sibling or configuration still invalidates the result. A status taken within
`RACY_NANOSECONDS` of a change to the file is not recorded: a write in the same clock tick as
the reading would leave the status as it was.

Entries live in one SQLite file (`results.sqlite3`) in the cache folder, beside the link cache,
with WAL and a busy timeout so two runs can share it. Values are pickles: the folder is the
user's own cache folder (or one they named with `--cache-dir`), not a place others write to.
Any SQLite or unpickling failure makes the run go on without the entry rather than fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sqlite3
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mdlint import __version__
from mdlint.markdown.dialect import Dialect
from mdlint.markdown.document import Document
from mdlint.rule_engine.engine import DocumentResult
from mdlint.rule_engine.rule import ConfiguredRule
from mdlint.run.cache_file import CacheFile
from mdlint.run.garbage_collection import collector_paused
from mdlint.site.workspace import RunSettings
from mdlint.source.decoding import DEFAULT_MAX_FILE_BYTES

__all__ = [
    "RACY_NANOSECONDS",
    "RESULT_CACHE_FILE_NAME",
    "KnownFile",
    "ResultCache",
    "clear_results",
    "document_key",
    "file_state",
]

RESULT_CACHE_FILE_NAME = "results.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS results_v1 (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    written REAL NOT NULL
)
"""
_FILES_SCHEMA = """
CREATE TABLE IF NOT EXISTS files_v1 (
    path TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    value BLOB NOT NULL,
    written REAL NOT NULL
)
"""
# Coarse file systems keep times in whole seconds (HFS+) or two (FAT).
RACY_NANOSECONDS = 2_000_000_000
# Entries not rewritten for this long are dropped; a file linted every day is re-linted monthly.
_MAX_AGE = 30 * 86400.0


# The whole package, not just this file's folder (`mdlint/run/`): a changed rule changes results.
_PACKAGE = Path(__file__).resolve().parents[1]


@cache
def _code_fingerprint() -> str:
    """mdlint's version, the Python version, and the size and time of each of mdlint's modules.

    The version alone is not enough in an editable install, where the code changes under it.
    """
    package = _PACKAGE
    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0{pickle.HIGHEST_PROTOCOL}".encode())
    for path in sorted(package.rglob("*.py")):
        with contextlib.suppress(OSError):
            stat = path.stat()
            digest.update(f"{path.relative_to(package)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    from importlib.metadata import entry_points

    for entry_point in sorted(entry_points(group="mdlint.rules"), key=lambda e: e.name):
        version = entry_point.dist.version if entry_point.dist is not None else "?"
        digest.update(f"plugin\0{entry_point.name}\0{entry_point.value}\0{version}\0".encode())
    return digest.hexdigest()


def folder_signature(folder: Path) -> str:
    """Names, sizes and modification times of the files in `folder` (for rules that read it)."""
    digest = hashlib.sha256()
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return "unreadable"
    for entry in entries:
        try:
            stat = entry.stat()
        except OSError:
            digest.update(f"{entry.name}\0?\0".encode())
            continue
        digest.update(f"{entry.name}\0{stat.st_mode}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def document_key(
    document: Document,
    source: Path,
    rules: Sequence[ConfiguredRule],
    settings: RunSettings,
    folder_signatures: Mapping[Path, str] | None = None,
    *,
    site: str = "",
) -> str:
    """The cache key of one document's per-document result.

    `folder_signatures` memoises `folder_signature` per folder within one run; `site` is the
    signature of the site's configuration (a page's dialect and defaults come from it).
    """
    digest = hashlib.sha256()
    # Absolute, not resolved: the display path is in the key as well, and resolving is slow.
    real = source.absolute()
    digest.update(f"{_code_fingerprint()}\0{document.path}\0{real}\0{document.digest}\0".encode())
    limit = settings.max_file_bytes or DEFAULT_MAX_FILE_BYTES  # 0 means the default limit
    digest.update(f"{settings.offline}\0{settings.strict}\0{limit}\0".encode())
    digest.update(_rules_key(tuple(rules)).encode())
    digest.update(f"site\0{site}\0{document.dialect!r}\0".encode())
    if any(configured.rule.depends_on == "folder" for configured in rules):
        folder = real.parent
        signature = None if folder_signatures is None else folder_signatures.get(folder)
        if signature is None:
            signature = folder_signature(folder)
            if isinstance(folder_signatures, dict):
                folder_signatures[folder] = signature
        digest.update(f"folder\0{signature}\0".encode())
    return digest.hexdigest()


# By object identity (options may hold lists, so ConfiguredRule is not always hashable); the
# rules are kept alongside so an id is never reused while its entry exists.
_RULES_KEYS: dict[tuple[int, ...], tuple[tuple[ConfiguredRule, ...], str]] = {}


def _rules_key(rules: tuple[ConfiguredRule, ...]) -> str:
    # Files under one config share their ConfiguredRule objects, so this is computed once per config.
    identity = tuple(id(configured) for configured in rules)
    known = _RULES_KEYS.get(identity)
    if known is not None:
        return known[1]
    parts = []
    for configured in rules:
        options = configured.options
        dump = options.model_dump_json() if hasattr(options, "model_dump_json") else repr(options)
        parts.append(f"{configured.rule.code}\0{configured.severity}\0{dump}\0")
    _RULES_KEYS[identity] = (rules, "".join(parts))
    return _RULES_KEYS[identity][1]


@dataclass(frozen=True)
class KnownFile:
    """What the last reading of a file found, for a file whose status has not changed since."""

    digest: str
    encoding: str
    bom: bool
    dialect: Dialect


def file_state(status: os.stat_result, site: str) -> str:
    """What must be unchanged for a file's `KnownFile` to hold: its status, mdlint's code, its site."""
    return (
        f"{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}:{status.st_ino}:{status.st_dev}"
        f"\0{_code_fingerprint()}\0{site}"
    )


def _racy(status: os.stat_result, taken_ns: int) -> bool:
    return max(status.st_mtime_ns, status.st_ctime_ns) >= taken_ns - RACY_NANOSECONDS


class ResultCache(CacheFile):
    """Per-document results by key, and what files held when last read; use `open()` to get one
    or None when unusable."""

    FILE_NAME = RESULT_CACHE_FILE_NAME
    TABLE = "results_v1"
    SCHEMA = _SCHEMA

    @classmethod
    def connect(cls, path: Path) -> sqlite3.Connection:
        connection = super().connect(path)
        connection.execute(_FILES_SCHEMA)
        return connection

    @classmethod
    def clear(cls, cache_dir: Path | None) -> int:
        removed = super().clear(cache_dir)
        path = cls.path(cache_dir)
        if path.exists():
            with contextlib.suppress(sqlite3.Error), contextlib.closing(cls.connect(path)) as connection:
                connection.execute("DELETE FROM files_v1")
        return removed

    def known_files(self, states: Mapping[str, str]) -> dict[str, KnownFile]:
        """For each path (absolute) whose recorded state is `states[path]`, what its last reading found."""
        known: dict[str, KnownFile] = {}
        try:
            rows = self.select_in("path, state, value", "path", states, table="files_v1")
            loaded: dict[bytes, KnownFile | None] = {}
            for path, state, value in rows:
                if states.get(path) != state:
                    continue
                # Files of one site share their dialect and encoding: one value each, unpickled once.
                if value not in loaded:
                    loaded[value] = _unpickle_known(value)
                found = loaded[value]
                if found is not None:
                    known[path] = found
        except sqlite3.Error:
            return {}
        return known

    def remember_files(self, files: Mapping[str, tuple[os.stat_result, int, str, KnownFile]]) -> None:
        """Record, per absolute path, the file's status (taken at the time in ns before reading it),
        site signature and what the reading found; statuses too close to a change are left out."""
        moment = time.time()
        rows = [
            (path, file_state(status, site), pickle.dumps(known, pickle.HIGHEST_PROTOCOL), moment)
            for path, (status, taken_ns, site, known) in files.items()
            if not _racy(status, taken_ns)
        ]
        if rows:
            self.write(
                [
                    ("INSERT OR REPLACE INTO files_v1 VALUES (?, ?, ?, ?)", rows),
                    ("DELETE FROM files_v1 WHERE written < ?", [(moment - _MAX_AGE,)]),
                ]
            )

    def get(self, keys: Iterable[str]) -> dict[str, DocumentResult]:
        """The stored results for those keys that have one."""
        found: dict[str, DocumentResult] = {}
        # Unpickling makes tens of thousands of findings, none in a cycle: the collector, which
        # would walk them all again and again as they come, has nothing to find (half the time).
        try:
            with collector_paused():
                for key, value in self.select_in("key, value", "key", keys):
                    result = _unpickle(value)
                    if result is not None:
                        found[key] = result
        except sqlite3.Error:
            return {}
        return found

    def put(self, results: Mapping[str, DocumentResult], now: float | None = None) -> None:
        """Store results (in one transaction) and drop old entries; a failure is ignored."""
        moment = time.time() if now is None else now
        # Pickled one by one as SQLite takes them: a large run's results, pickled all at once, were
        # a fifth of its peak memory.
        rows = ((key, pickle.dumps(result, pickle.HIGHEST_PROTOCOL), moment) for key, result in results.items())
        if results:
            self.write(
                [
                    ("INSERT OR REPLACE INTO results_v1 VALUES (?, ?, ?)", rows),
                    ("DELETE FROM results_v1 WHERE written < ?", [(moment - _MAX_AGE,)]),
                ]
            )


def _unpickle_known(value: bytes) -> KnownFile | None:
    try:
        known = pickle.loads(value)
    except Exception:
        return None
    return known if isinstance(known, KnownFile) else None


def _unpickle(value: bytes) -> DocumentResult | None:
    try:
        result = pickle.loads(value)
    except Exception:
        # An entry from another mdlint build that no longer unpickles is simply a miss.
        return None
    return result if isinstance(result, DocumentResult) else None


def clear_results(cache_dir: Path | None) -> int:
    """Delete every cached result (for `mdlint --clear-cache`); return how many were removed."""
    return ResultCache.clear(cache_dir)
