"""The server's workspace index: what runs learn about folders and sites, kept between runs.

The CLI builds a fresh `Workspace` for each run. The server lints one buffer per run, many times a
second, so it keeps a `WorkspaceIndex` instead: open buffers stand in for their files, files read
from disk are kept, and the memoised folder summaries and site maps stay until an edit, a save or
a watched-file event makes them stale. Each memo namespace says what makes it stale; namespaces
the index does not know are dropped before every run, as a fresh workspace would have them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from mdlint.markdown.document import Document, read_document
from mdlint.run.config import CONFIG_FILE_NAME, ConfigError, ConfigFile, ConfigTrust, find_config, load_config
from mdlint.site.config_files import is_site_config_name
from mdlint.site.workspace import Workspace
from mdlint.source.decoding import DEFAULT_MAX_FILE_BYTES, UnreadableFileError

__all__ = [
    "BY_FOLDER",
    "BY_SITE",
    "LAYOUT",
    "BufferChange",
    "ConfigIndex",
    "WorkspaceIndex",
    "is_config_file",
    "is_site_config_file",
]

T = TypeVar("T")

# Keyed by a (resolved) folder, or a tuple that starts with one (the folder and the options of the
# scan), summarising the files in it: stale when one of them changes.
BY_FOLDER = frozenset(
    {"front-matter-folder", "front-matter-section-cascade", "title-heading-folder", "front-matter-shape-folder"}
)
# Keyed by a site root, built from the files below it on disk: stale when one of them is saved.
BY_SITE = frozenset({"link-dead.site-map", "site-signature", "front-matter-timezone", "front-matter-hugo-settings"})
# Which site or real folder a folder belongs to: stale only when files appear or vanish, or a
# site's configuration changes.
LAYOUT = frozenset(
    {
        "site-for-folder",
        "front-matter-real-folder",
        "title-heading-real-folder",
        "front-matter-shape-real-folder",
        "link-dead.site-root-as-given",
        "link-dead.site-root",
        "link-dead.repository-root",
    }
)
_KEPT = BY_FOLDER | BY_SITE | LAYOUT

# Jekyll's and Hugo's configuration files (as `mdlint.site.workspace` finds them).


def is_config_file(path: Path) -> bool:
    """Whether a change to this file may change mdlint's configuration."""
    return path.name in (CONFIG_FILE_NAME, "pyproject.toml")


def is_site_config_file(path: Path) -> bool:
    """Whether a change to this file may change a site's configuration (URLs, renderer)."""
    return is_site_config_name(path.name) or path.parent.name == "config"


@dataclass
class WorkspaceIndex(Workspace):
    """A `Workspace` that outlives runs; see the module's docstring."""

    # Open buffers by resolved path: they stand in for the file on disk.
    _buffers: dict[Path, Document] = field(default_factory=dict, repr=False)
    # Files read from disk by resolved path (None: unreadable), kept until they change.
    _disk: dict[Path, Document | None] = field(default_factory=dict, repr=False)
    _kept: dict[tuple[str, Any], Any] = field(default_factory=dict, repr=False)
    _per_run: dict[tuple[str, Any], Any] = field(default_factory=dict, repr=False)
    # What other files may depend on in each buffer (front matter, anchor lines): the next edit
    # compares with it, without computing it again for the text before.
    _depended_on: dict[Path, _DependedOn] = field(default_factory=dict, repr=False)

    def begin_run(self) -> None:
        """Forget what only one run may keep (e.g. facts keyed by a document's identity)."""
        self._per_run.clear()
        self.paths.clear()

    def add_document(self, path: Path, document: Document) -> None:
        # The runner hands over the documents it read; buffers and the index already know theirs.
        return

    def document(self, path: Path, *, keep: bool = True) -> Document | None:
        key = path.resolve()
        buffer = self._buffers.get(key)
        if buffer is not None:
            return buffer
        if key not in self._disk:
            try:
                limit = self.settings.max_file_bytes or DEFAULT_MAX_FILE_BYTES
                self._disk[key] = self.prepare(read_document(key, str(key), max_bytes=limit), key)
            except UnreadableFileError:
                self._disk[key] = None
        return self._disk[key]

    def memo(self, namespace: str, key: Any, compute: Callable[[], T]) -> T:
        store = self._kept if namespace in _KEPT else self._per_run
        memo_key = (namespace, key)
        if memo_key not in store:
            store[memo_key] = compute()
        value: T = store[memo_key]
        return value

    def set_buffer(self, path: Path, text: str) -> BufferChange:
        """Let the editor's text of `path` stand in for the file; say what other files may notice.

        Only front matter goes into a folder's summary, so only then is the summary stale (and the
        other files of the folder worth linting again); other files' links point at headings and ids.
        """
        key = path.resolve()
        document = Document(str(key), text.removeprefix("\ufeff"))
        self.prepare(document, key)
        before = self._depended_on.get(key) if key in self._buffers else None
        if before is None:
            on_disk = self._disk.get(key)
            before = _depended_on(on_disk) if on_disk is not None else None
        self._buffers[key] = document
        after = self._depended_on[key] = _depended_on(document)
        change = BufferChange(
            front_matter=before is None or before.front_matter != after.front_matter,
            anchors=before is None or before.anchor_lines != after.anchor_lines,
        )
        if change.front_matter:
            self._forget_folder(key.parent)
        return change

    def close_buffer(self, path: Path) -> None:
        """The editor closed `path`: the file on disk speaks for it again."""
        key = path.resolve()
        self._buffers.pop(key, None)
        self._depended_on.pop(key, None)
        self.file_changed(key)

    def file_changed(self, path: Path, *, created_or_deleted: bool = False) -> None:
        """A file changed on disk (saved, or a watched-file event): forget what came from it."""
        key = path.resolve()
        self._disk.pop(key, None)
        self._forget_folder(key.parent)
        self._forget(BY_SITE, lambda memo_key: _under(memo_key, key))
        if created_or_deleted or is_site_config_file(key):
            self._forget(LAYOUT, lambda _key: True)
            self._forget(BY_SITE, lambda _key: True)

    def _forget_folder(self, folder: Path) -> None:
        self._forget(BY_FOLDER, lambda memo_key: (memo_key[0] if isinstance(memo_key, tuple) else memo_key) == folder)

    def _forget(self, namespaces: frozenset[str], stale: Callable[[Any], bool]) -> None:
        for memo_key in [key for key in self._kept if key[0] in namespaces and stale(key[1])]:
            del self._kept[memo_key]


@dataclass(frozen=True)
class BufferChange:
    """What an edit changed that other files depend on."""

    front_matter: bool
    # Headings or HTML ids, which links from other files may point at (`#fragment`).
    anchors: bool


# Lines that may make an anchor: ATX headings, setext underlines, HTML `id`/`name` attributes.
_ANCHOR_LINE = re.compile(r"^ {0,3}(?:#{1,6}(?:[ \t].*)?|=+[ \t]*|-+[ \t]*)$|\b(?:id|name)=", re.MULTILINE)


def _anchor_lines(document: Document) -> list[str]:
    # A cheap over-approximation: a changed line that could be (or underline) a heading, or carry
    # an id. The line above a setext underline is its text, so it is kept with it.
    lines = document.text[document.body_start :].splitlines()
    kept = []
    for index, line in enumerate(lines):
        if _ANCHOR_LINE.search(line):
            kept.append(lines[index - 1] if index and line.lstrip(" ").startswith(("=", "-")) else "")
            kept.append(line)
    return kept


@dataclass(frozen=True)
class _DependedOn:
    front_matter: str | None
    anchor_lines: list[str]


def _depended_on(document: Document) -> _DependedOn:
    return _DependedOn(_front_matter_text(document), _anchor_lines(document))


def _front_matter_text(document: Document) -> str | None:
    block = document.front_matter
    return document.text[: block.end] if block is not None else None


def _under(memo_key: Any, path: Path) -> bool:
    root = memo_key[0] if isinstance(memo_key, tuple) else memo_key
    return isinstance(root, Path) and (root == path or root in path.parents)


class ConfigIndex:
    """The configuration of each file, as the CLI finds it (nearest file upward), read once each.

    A broken configuration is remembered as its error, so it is not read again on every keystroke;
    `forget` drops everything when a `.mdlint.toml` or `pyproject.toml` changes.
    """

    def __init__(self, explicit: Path | None = None) -> None:
        self._explicit = explicit
        self._found: dict[Path, Path | None] = {}
        self._loaded: dict[Path | None, ConfigFile | ConfigError] = {}

    def for_path(self, path: Path) -> ConfigFile:
        """The configuration that applies to `path`; raises `ConfigError` when it is broken."""
        if self._explicit is not None:
            source: Path | None = self._explicit
        else:
            folder = path.parent
            if folder not in self._found:
                self._found[folder] = find_config(folder)
            source = self._found[folder]
        if source not in self._loaded:
            # As on the command line: without --config, only the working folder's config (the
            # workspace root's, where the server runs) may widen network reach.
            trust = None if self._explicit is not None else ConfigTrust.of(find_config(Path.cwd()))
            try:
                self._loaded[source] = load_config(source, trust) if source is not None else ConfigFile(None)
            except ConfigError as error:
                self._loaded[source] = error
        loaded = self._loaded[source]
        if isinstance(loaded, ConfigError):
            raise loaded
        return loaded

    def forget(self) -> None:
        """Read every configuration again on next use."""
        self._found.clear()
        self._loaded.clear()
