"""The pre-commit hook from this checkout, installed by pre-commit into a real repository.

pre-commit builds the hook's environment with pip (a minute or so the first time); the test
skips only when `git` is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BAD = "- [paper](arxiv.org/abs/1706.03762)\n"
GOOD = "- [paper](https://arxiv.org/abs/1706.03762)\n"
# Build artefacts and tool caches are not part of the working tree a hook is installed from.
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.egg-info", "build", "dist", ".mypy_cache", ".ruff_cache", ".pytest_cache"
)


def _git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    identity = ["-c", "user.name=mdlint test", "-c", "user.email=test@invalid", "-c", "commit.gpgsign=false"]
    return subprocess.run(
        ["git", *identity, *args], cwd=cwd, capture_output=True, text=True, env=env, check=False, timeout=900
    )


def _hook_repository(tmp_path: Path) -> tuple[Path, str]:
    """This checkout's working tree, uncommitted changes included, committed to a fresh repository."""
    source = tmp_path / "hook-source"
    shutil.copytree(REPO, source, symlinks=True, ignore=_NOT_SOURCE)
    assert _git(source, "init", "-q").returncode == 0
    assert _git(source, "add", "-A").returncode == 0
    assert _git(source, "commit", "-q", "-m", "hook source").returncode == 0
    sha = _git(source, "rev-parse", "HEAD").stdout.strip()
    return source, sha


def _project(tmp_path: Path, name: str, hook: str, env: dict[str, str]) -> Path:
    """A new repository whose pre-commit config uses `hook` from this checkout, installed."""
    source, sha = _hook_repository(tmp_path)
    project = tmp_path / name
    project.mkdir()
    assert _git(project, "init", "-q").returncode == 0
    (project / ".pre-commit-config.yaml").write_text(
        # verbose: the hook's own summary shows how many files mdlint was handed.
        f"repos:\n  - repo: {source}\n    rev: {sha}\n    hooks:\n      - id: {hook}\n        verbose: true\n",
        encoding="utf-8",
    )
    installed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"], cwd=project, capture_output=True, text=True, env=env
    )
    assert installed.returncode == 0, installed.stderr
    _git(project, "add", ".pre-commit-config.yaml")
    return project


def test_commit_is_refused_for_staged_bad_markdown_only(tmp_path: Path) -> None:
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    project = _project(tmp_path, "project", "mdlint", env)

    (project / "bad.md").write_text(BAD, encoding="utf-8")
    _git(project, "add", "bad.md")
    refused = _git(project, "commit", "-m", "bad", env=env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "bad.md:1:3: error MDL004 link-missing-scheme destination 'arxiv.org/abs/1706.03762' has no scheme" in output

    (project / "bad.md").write_text(GOOD, encoding="utf-8")
    _git(project, "add", "bad.md")
    accepted = _git(project, "commit", "-m", "good", env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "mdlint..." in accepted.stderr and "Passed" in accepted.stderr

    # Files outside the commit are not linted: an untracked bad file, and a bad edit left unstaged.
    (project / "untracked.md").write_text(BAD, encoding="utf-8")
    (project / "bad.md").write_text(BAD, encoding="utf-8")
    (project / "other.md").write_text(GOOD, encoding="utf-8")
    _git(project, "add", "other.md")
    partial = _git(project, "commit", "-m", "other", env=env)
    assert partial.returncode == 0, partial.stdout + partial.stderr
    assert "Found 0 findings in 1 file." in partial.stderr
    assert "untracked.md" not in partial.stdout + partial.stderr
    assert (project / "bad.md").read_text(encoding="utf-8") == BAD, "pre-commit restores the unstaged edit"
    committed = _git(project, "show", "HEAD:bad.md").stdout
    assert committed == GOOD


def test_fix_hook_repairs_the_staged_file_and_asks_to_stage_it_again(tmp_path: Path) -> None:
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    project = _project(tmp_path, "project", "mdlint-fix", env)
    (project / "notes.md").write_text(BAD, encoding="utf-8")
    _git(project, "add", "notes.md")
    first = _git(project, "commit", "-m", "notes", env=env)
    assert first.returncode != 0
    assert "files were modified by this hook" in first.stdout + first.stderr
    assert (project / "notes.md").read_text(encoding="utf-8") == GOOD
    _git(project, "add", "notes.md")
    second = _git(project, "commit", "-m", "notes", env=env)
    assert second.returncode == 0, second.stdout + second.stderr
