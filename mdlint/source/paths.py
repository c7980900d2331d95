"""Asking the file system about a path that anyone may have written (a link, a config value).

`Path.exists()`, `is_file()` and `is_dir()` raise for a name the file system cannot hold (a
component over 255 bytes: "File name too long") or a path through a file. Such a path names
nothing: these answer False instead, so a link to it is reported dead rather than stopping the run.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["is_dir", "is_file", "path_exists"]


def _mode(path: Path | str) -> int | None:
    try:
        return os.stat(path).st_mode
    except (OSError, ValueError):  # ValueError: a NUL in the path
        return None


def path_exists(path: Path | str) -> bool:
    """Whether something is at `path` (following symlinks); False when the path cannot exist."""
    return _mode(path) is not None


def is_file(path: Path | str) -> bool:
    """Whether `path` is a regular file (following symlinks); False when the path cannot exist."""
    mode = _mode(path)
    return mode is not None and stat.S_ISREG(mode)


def is_dir(path: Path | str) -> bool:
    """Whether `path` is a folder (following symlinks); False when the path cannot exist."""
    mode = _mode(path)
    return mode is not None and stat.S_ISDIR(mode)
