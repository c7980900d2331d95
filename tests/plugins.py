"""Rule plugins for tests: a module plus a `.dist-info` folder whose `mdlint.rules` entry point
names it, so rule discovery finds the plugin exactly as it finds an installed distribution."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mdlint.rule_engine.rule import all_rules

__all__ = ["plugin_importable", "write_plugin"]


def write_plugin(folder: Path, module: str, source: str, entry: str) -> Path:
    """Write `module`.py with `source` and its distribution metadata into `folder`; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{module}.py").write_text(source, encoding="utf-8")
    dist_info = folder / f"{module}-0.1.dist-info"
    dist_info.mkdir()
    name = module.replace("_", "-")
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n", encoding="utf-8")
    (dist_info / "entry_points.txt").write_text(f"[mdlint.rules]\n{entry} = {module}\n", encoding="utf-8")
    return folder


@contextmanager
def plugin_importable(folder: Path, module: str) -> Iterator[None]:
    """Make the plugin in `folder` visible to rule discovery in this process, then forget it."""
    sys.path.insert(0, str(folder))
    all_rules.cache_clear()
    try:
        yield
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop(module, None)
        all_rules.cache_clear()
