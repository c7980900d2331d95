"""Shared test helpers: run the real command line, find the shared corpus."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# ../shared beside the main checkout; a git worktree one level deeper finds the same folder.
SHARED = next((folder / "shared" for folder in REPO.parents if (folder / "shared").is_dir()), REPO.parent / "shared")
CORPUS = SHARED / "corpus"

RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_cli() -> RunCli:
    """Run `python -m mdlint ARGS` in a subprocess, as a user would, from this checkout."""

    def run(
        *args: str | Path, cwd: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "mdlint", *map(str, args)],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=environment,
            timeout=300,
            check=False,
        )

    return run


@pytest.fixture
def corpus() -> Path:
    """The users' documents in ../shared/corpus (skips when the checkout has no shared/ beside it)."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    return CORPUS
