"""Which files a run lints: folders walked for Markdown; git's ignore files, `exclude` and the default
excludes (generator output, dependencies, environments) honoured while walking.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pathspec

__all__ = ["MARKDOWN_SUFFIXES", "InputFile", "collect_files", "default_excluded", "given_path_problem"]

MARKDOWN_SUFFIXES = (".md", ".markdown")
# Folders skipped while walking, as Ruff skips its defaults: nobody edits the Markdown in them.
# Generator output (`_site/` of Jekyll, `public/` and `resources/_gen/` of Hugo, the Jekyll cache),
# installed dependencies and virtual environments. A file named on the command line is still linted.
_SKIPPED_NAMES = frozenset({"_site", "node_modules", ".venv", "venv", ".tox", ".jekyll-cache"})


def default_excluded(folder: Path) -> bool:
    """Whether walking skips `folder` by default: `_site/`, `node_modules/`, `.venv/`, `venv/`, `.tox/`,
    `.jekyll-cache/`, `resources/_gen/`, and `public/` beside a Hugo config."""
    name = folder.name
    if name in _SKIPPED_NAMES:
        return True
    if name == "_gen":
        return folder.parent.name == "resources"
    if name == "public":
        # Elsewhere `public/` is often hand-written documentation; only Hugo builds into it.
        from mdlint.site.hugo import load_config

        return load_config(folder.parent) is not None
    return False


@dataclass(frozen=True, order=True)
class InputFile:
    """A file to lint: `display` is how findings name it (as given, POSIX separators)."""

    display: str
    path: Path


class _IgnoreRules:
    """The `.gitignore` files that apply below a folder, read once each."""

    def __init__(self) -> None:
        self._specs: dict[Path, pathspec.GitIgnoreSpec | None] = {}
        self._repository_specs: dict[Path, pathspec.GitIgnoreSpec | None] = {}

    def _repository_spec(self, root: Path) -> pathspec.GitIgnoreSpec | None:
        """Git's other ignore sources for the repository at `root`: the global excludes file, then
        `.git/info/exclude` (later lines win, as in git); both match paths relative to `root`."""
        if root not in self._repository_specs:
            lines: list[str] = []
            git_dir = _git_dir(root)
            if git_dir is not None:
                for source in (_global_excludes_file(root), git_dir / "info" / "exclude"):
                    lines.extend(_read_lines(source))
            self._repository_specs[root] = pathspec.GitIgnoreSpec.from_lines(lines) if lines else None
        return self._repository_specs[root]

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
        if folders:
            repository = self._repository_spec(root)
            relative = path.relative_to(root).as_posix() + ("/" if is_dir else "")
            if repository is not None and repository.match_file(relative):
                return True
        for folder in reversed(folders):
            spec = self._spec(folder)
            if spec is None:
                continue
            relative = path.relative_to(folder).as_posix() + ("/" if is_dir else "")
            if spec.match_file(relative):
                return True
        return False


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _git_dir(root: Path) -> Path | None:
    """The folder that holds `info/exclude` for the repository at `root`, or None outside git.

    In a linked worktree `.git` is a file naming the worktree's own git folder, whose `commondir`
    names the main repository's, where `info/` lives.
    """
    dot_git = root / ".git"
    if dot_git.is_dir():
        return dot_git
    if not dot_git.is_file():
        return None
    first = next(iter(_read_lines(dot_git)), "")
    if not first.startswith("gitdir:"):
        return None
    git_dir = root / first.removeprefix("gitdir:").strip()
    common = next(iter(_read_lines(git_dir / "commondir")), "").strip()
    return git_dir / common if common else git_dir


@cache
def _global_excludes_file(root: Path) -> Path:
    """`core.excludesFile` as git reads it for `root` (default `$XDG_CONFIG_HOME/git/ignore`)."""
    configured = ""
    try:
        # git itself knows every config file and include; asking it beats parsing them here.
        answer = subprocess.run(
            ["git", "config", "--get", "core.excludesFile"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        configured = answer.stdout.strip() if answer.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        configured = ""  # no git installed: its default location still applies
    if configured:
        return Path(configured).expanduser()
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path("~/.config").expanduser())
    return Path(xdg) / "git" / "ignore"


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
                key = _identity(file)
                if key not in seen:
                    seen.add(key)
                    found.append(InputFile(_display(file), file))
        else:
            key = _identity(path) if path.exists() else path.absolute()
            if key not in seen and not (path.exists() and excluded(path)):
                seen.add(key)
                found.append(InputFile(_display(path), path))
    yield from found


def given_path_problem(path: Path) -> str | None:
    """Why a path named on the command line cannot be linted at all, or None when it exists."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return "no such file or folder"
    except OSError as error:  # a symlink loop, a name too long, a file used as a folder
        return error.strerror or str(error)
    return None


def _identity(path: Path) -> Path:
    """The real path of `path`, or its absolute path when it cannot be resolved (a symlink loop)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # Python before 3.13 raises RuntimeError for a loop
        return path.absolute()


def _display(path: Path) -> str:
    text = path.as_posix()
    return text[2:] if text.startswith("./") else text


def _walk(root: Path, top: Path, ignore: _IgnoreRules, excluded: Callable[[Path], bool]) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root, followlinks=False):
        folder_path = Path(folder)
        kept = []
        for name in sorted(dirs):
            child = folder_path / name
            if name == ".git" or child.is_symlink() or default_excluded(child):
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
                try:
                    target = child.resolve()
                    inside = target.is_file() and _within(target, top)
                except (OSError, RuntimeError):
                    # A symlink loop: anyone can commit one. Reading it reports it, in one line.
                    inside = True
                if not inside:
                    continue
            absolute = top / child.relative_to(root) if not child.is_absolute() else child
            if ignore.ignored(absolute, False, top) or excluded(child):
                continue
            yield child
