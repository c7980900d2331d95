"""Which files a run lints: folders walked for Markdown, `.gitignore` and `exclude` honoured."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pathspec

__all__ = ["MARKDOWN_SUFFIXES", "InputFile", "collect_files"]

MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True, order=True)
class InputFile:
    """A file to lint: `display` is how findings name it (as given, POSIX separators)."""

    display: str
    path: Path


class _IgnoreRules:
    """The `.gitignore` files that apply below a folder, read once each."""

    def __init__(self) -> None:
        self._specs: dict[Path, pathspec.GitIgnoreSpec | None] = {}

    def _spec(self, folder: Path) -> pathspec.GitIgnoreSpec | None:
        if folder not in self._specs:
            ignore_file = folder / ".gitignore"
            spec = None
            if ignore_file.is_file():
                try:
                    lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
                    spec = pathspec.GitIgnoreSpec.from_lines(lines)
                except OSError:
                    spec = None
            self._specs[folder] = spec
        return self._specs[folder]

    def ignored(self, path: Path, is_dir: bool, top: Path) -> bool:
        """Whether a `.gitignore` in `path`'s folders, from the repository root down, ignores it."""
        root = _repository_root(top)
        # The folders from `path`'s up to the repository root; none when `path` is outside it.
        folders: list[Path] = []
        for folder in [path.parent, *path.parent.parents]:
            folders.append(folder)
            if folder == root:
                break
        else:
            folders = []
        for folder in reversed(folders):
            spec = self._spec(folder)
            if spec is None:
                continue
            relative = path.relative_to(folder).as_posix() + ("/" if is_dir else "")
            if spec.match_file(relative):
                return True
        return False


@cache
def _repository_root(folder: Path) -> Path:
    for candidate in [folder, *folder.parents]:
        if (candidate / ".git").exists():
            return candidate
    return folder


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def collect_files(paths: list[str], excluded: Callable[[Path], bool]) -> Iterator[InputFile]:
    """The Markdown files named by `paths`: files as given, folders walked (sorted, deduplicated).

    `excluded(path)` applies the config's `exclude`; it is asked for files given by name too, so
    a pre-commit hook that passes staged files still skips vendored ones.
    """
    ignore = _IgnoreRules()
    seen: set[Path] = set()
    found: list[InputFile] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            top = path.resolve()
            for file in _walk(path, top, ignore, excluded):
                key = file.resolve()
                if key not in seen:
                    seen.add(key)
                    found.append(InputFile(_display(file), file))
        else:
            key = path.resolve() if path.exists() else path.absolute()
            if key not in seen and not (path.exists() and excluded(path)):
                seen.add(key)
                found.append(InputFile(_display(path), path))
    yield from found


def _display(path: Path) -> str:
    text = path.as_posix()
    return text[2:] if text.startswith("./") else text


def _walk(root: Path, top: Path, ignore: _IgnoreRules, excluded: Callable[[Path], bool]) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root, followlinks=False):
        folder_path = Path(folder)
        kept = []
        for name in sorted(dirs):
            child = folder_path / name
            if name == ".git" or child.is_symlink():
                continue
            absolute = child.resolve()
            if ignore.ignored(absolute, True, top) or excluded(child):
                continue
            kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if not name.lower().endswith(MARKDOWN_SUFFIXES):
                continue
            child = folder_path / name
            if child.is_symlink():
                # Follow a link only when it stays inside the tree being linted.
                target = child.resolve()
                if not target.is_file() or not _within(target, top):
                    continue
            absolute = top / child.relative_to(root) if not child.is_absolute() else child
            if ignore.ignored(absolute, False, top) or excluded(child):
                continue
            yield child
