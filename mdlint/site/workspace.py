"""State shared by all rules during one run: the files being linted and run-wide caches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from mdlint.markdown.dialect import Dialect
from mdlint.markdown.document import Document, read_document
from mdlint.site.config_files import is_site_config_name
from mdlint.site.model import SiteRoot, dialect_for, find_site_root
from mdlint.source.decoding import DEFAULT_MAX_FILE_BYTES, UnreadableFileError

__all__ = ["RunSettings", "Workspace"]

T = TypeVar("T")


@dataclass(frozen=True)
class RunSettings:
    """Run-wide switches from the command line."""

    offline: bool = False
    strict: bool = False
    cache_dir: Path | None = None
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    show_progress: bool = False
    # Seconds one file may take, overriding the config's `file-time-limit`; 0 turns the limit off.
    file_time_limit: float | None = None
    # MiB a process may hold while it lints one file, overriding the config's `max-memory`; 0 turns
    # the limit off.
    max_memory: int | None = None


@dataclass
class Workspace:
    """The run's files and memoised facts about them.

    Cross-file rules (front-matter inference, site maps for local links) ask the workspace, so a
    folder is scanned once per run rather than once per file.
    """

    settings: RunSettings = field(default_factory=RunSettings)
    # Real paths of the files given to this run, in order.
    paths: list[Path] = field(default_factory=list)
    _documents: dict[Path, Document | None] = field(default_factory=dict, repr=False)
    _memo: dict[tuple[str, Any], Any] = field(default_factory=dict, repr=False)

    def add_document(self, path: Path, document: Document) -> None:
        """Remember a document the engine already read, so nobody reads it again."""
        self._documents[path.resolve()] = document

    def document(self, path: Path, *, keep: bool = True) -> Document | None:
        """The document at `path` (read once and kept), or None when it cannot be read.

        With `keep=False` a document the run does not hold yet is read but not kept: a folder
        scan needs each sibling once, and keeping them all would hold whole folders in memory.
        """
        key = path.resolve()
        if key in self._documents:
            return self._documents[key]
        try:
            # 0 means "no limit given on the command line", not "nothing may be read".
            document: Document | None = self.prepare(
                read_document(path, max_bytes=self.settings.max_file_bytes or DEFAULT_MAX_FILE_BYTES), path
            )
        except UnreadableFileError:
            document = None
        if keep:
            self._documents[key] = document
        return document

    def site_for(self, path: Path) -> SiteRoot | None:
        """The site the file at `path` belongs to (the nearest generator configuration), or None."""
        folder = path.parent
        found: SiteRoot | None = self.memo("site-for-folder", folder, lambda: find_site_root(path))
        return found

    def site_signature(self, path: Path) -> str:
        """What the site's configuration files are now (names, sizes, times): "" outside a site.

        Cached results of a page depend on its site's configuration (renderer, defaults), so
        they are keyed on this as well; in a Hugo site also on the `_index.md` of every folder
        above the page, whose `cascade` gives it fields.
        """
        site = self.site_for(path)
        if site is None:
            return ""
        signature: str = self.memo("site-signature", site.path, lambda: _config_signature(site.path))
        if site.kind == "hugo":
            signature += self.memo(
                "section-signature", path.parent, lambda: _sections_signature(path.parent, site.path)
            )
        return signature

    def dialect_for(self, path: Path, text: str) -> Dialect:
        """How the file at `path` with this text becomes a page (see `mdlint.site.model.dialect_for`)."""
        return dialect_for(self.site_for(path), path, text)

    def prepare(self, document: Document, path: Path) -> Document:
        """Give a document read from `path` the dialect its site renders it with; return it."""
        document.dialect = self.dialect_for(path, document.text)
        return document

    def memo(self, namespace: str, key: Any, compute: Callable[[], T]) -> T:
        """Compute a value once per run under (namespace, key) and keep it."""
        memo_key = (namespace, key)
        if memo_key not in self._memo:
            self._memo[memo_key] = compute()
        value: T = self._memo[memo_key]
        return value


def _config_signature(root: Path) -> str:
    parts = [str(root)]
    candidates = [entry for entry in _scan(root) if is_site_config_name(entry.name)]
    config_folder = root / "config"
    if config_folder.is_dir():
        candidates.extend(path for path in sorted(config_folder.rglob("*")) if path.is_file())
    for path in candidates:
        try:
            stat = path.stat()
        except OSError:
            continue
        parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\0".join(parts)


def _scan(root: Path) -> list[Path]:
    try:
        return sorted(path for path in root.iterdir() if path.is_file())
    except OSError:
        return []


def _sections_signature(folder: Path, root: Path) -> str:
    parts: list[str] = []
    absolute = folder.absolute()
    top = root.absolute()
    for current in [absolute, *absolute.parents]:
        for name in ("_index.md", "_index.markdown"):
            try:
                stat = (current / name).stat()
            except OSError:
                continue
            parts.append(f"{current}:{stat.st_size}:{stat.st_mtime_ns}")
        if current == top or top not in current.parents:
            break
    return "\0" + "\0".join(parts)
