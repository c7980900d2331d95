"""`mdlint --watch PATHS`: lint, then lint again whenever a Markdown or configuration file changes.

For people without an LSP client. Each round is a whole ordinary run (same flags, same output),
so unchanged files come from the result cache and only the changed ones are linted again. Files
are polled (names, sizes and modification times), which needs no platform-specific watcher.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from mdlint.server.index import is_config_file, is_site_config_file

__all__ = ["POLL_SECONDS", "snapshot", "watch"]

POLL_SECONDS = 0.5
_SUFFIXES = (".md", ".markdown")
# Folders no linted file lives in; walking them every half second would cost the most.
_SKIPPED = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "_site", "public"}

Snapshot = dict[str, tuple[int, int]]


def _watched(path: Path) -> bool:
    return path.suffix.lower() in _SUFFIXES or is_config_file(path) or is_site_config_file(path)


def _files(paths: Iterable[str]) -> Iterable[Path]:
    for given in paths:
        root = Path(given)
        if root.is_file():
            yield root
            continue
        for folder, folders, names in os.walk(root):
            folders[:] = sorted(name for name in folders if name not in _SKIPPED)
            for name in names:
                path = Path(folder, name)
                if _watched(path):
                    yield path
        # A configuration above the folder applies to it as well.
        for parent in [root.resolve(), *root.resolve().parents]:
            for name in (".mdlint.toml", "pyproject.toml"):
                if (parent / name).is_file():
                    yield parent / name


def snapshot(paths: Iterable[str]) -> Snapshot:
    """Size and modification time of every watched file under `paths`."""
    found: Snapshot = {}
    for path in _files(paths):
        try:
            stat = path.stat()
        except OSError:
            continue
        found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def watch(
    paths: list[str],
    lint: Callable[[], int],
    *,
    interval: float = POLL_SECONDS,
    out: TextIO | None = None,
    stop: Callable[[], bool] = lambda: False,
) -> int:
    """Call `lint` now and after each change under `paths`, until Ctrl-C (or `stop`); its last exit code."""
    stream = out or sys.stdout
    before = snapshot(paths)
    code = lint()
    stream.flush()
    try:
        while not stop():
            time.sleep(interval)
            now = snapshot(paths)
            if now == before:
                continue
            changed = sorted(path for path in now.keys() | before.keys() if now.get(path) != before.get(path))
            before = now
            shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
            stream.write(f"\n-- {time.strftime('%H:%M:%S')} changed: {shown} --\n")
            stream.flush()
            code = lint()
            stream.flush()
    except KeyboardInterrupt:
        pass
    return code
