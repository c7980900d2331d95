"""The README walked as a new user walks it, from a clone of this repository at a release tag.

- *Quick start*: its two commands, exactly as written, in a fresh virtual environment;
- *pre-commit*: its snippet, exactly as written, in a new git repository, `pre-commit run
  --all-files` failing on a bad file and passing once it is fixed; and the hosted form the
  section describes (`repo:` the clone, `rev:` the tag), which pre-commit builds itself;
- *GitHub Actions*: the `run:` commands of its workflow, in order, with `MDLINT_GIT` set as the
  repository variable would set it.

The commands come from the README's fenced blocks, never copied here. The tag is the newest `v*`
tag of this repository, or, when there is none, one made in the clone from the package version
(the lead tags at release). pip installs only from this clone and the configured package index.
A few minutes of pip: marked `slow` (run by .ci/run with `-m slow`); select it with
`pytest -m readme_walk -n0`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

pytestmark = [
    pytest.mark.slow,
    pytest.mark.readme_walk,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]

BAD = "- [paper](arxiv.org/abs/1706.03762)\n"
# No remote link: the runs that check links online (the Quick start's, the Actions job's) must not
# depend on this machine's network.
GOOD = "- The paper, read in print.\n"
BAD_LINE = (
    "{path}:1:3: error MDL004 link-missing-scheme destination 'arxiv.org/abs/1706.03762' has no scheme and "
    "is read as a relative path; write https://arxiv.org/abs/1706.03762 [*]"
)
# pip and pre-commit get minutes; a hang should not hold the suite for longer.
_TIMEOUT = 900


def _section(title: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", text, re.S | re.M)
    assert found is not None, f"README has no section {title!r}"
    return found.group(1)


def _fences(section: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", section, re.S | re.M)


def _git(cwd: Path, *args: str) -> str:
    identity = ["-c", "user.name=mdlint test", "-c", "user.email=test@invalid", "-c", "commit.gpgsign=false"]
    done = subprocess.run(
        ["git", *identity, *args], cwd=cwd, capture_output=True, text=True, timeout=_TIMEOUT, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _user_environment(home: Path, *path: Path) -> dict[str, str]:
    """A shell as a new user has it: no virtual environment active, no PYTHONPATH to this checkout."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("VIRTUAL_ENV", "PYTHONPATH", "GITHUB_ACTIONS", "PYTHONHOME", "PRE_COMMIT_HOME")
    }
    active = Path(sys.prefix) / "bin"
    folders = [folder for folder in environment.get("PATH", "").split(os.pathsep) if Path(folder) != active]
    environment["PATH"] = os.pathsep.join([*(str(folder) for folder in path), *folders])
    environment["NO_COLOR"] = "1"
    environment["XDG_CACHE_HOME"] = str(home / "cache")
    environment["PRE_COMMIT_HOME"] = str(home / "pre-commit")
    return environment


def _bash(script: str, cwd: Path, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=environment, capture_output=True, text=True, timeout=_TIMEOUT, check=False
    )


def _release_tag() -> str:
    tags = _git(REPO, "tag", "--list", "v*", "--sort=-v:refname").split()
    if tags:
        return tags[0]
    version = re.search(r'^__version__ = "([^"]+)"', (REPO / "mdlint" / "__init__.py").read_text(), re.M)
    assert version is not None
    return f"v{version.group(1)}"


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A clone of this repository checked out at the release tag."""
    home = tmp_path_factory.mktemp("walk")
    clone = home / "mdlint"
    _git(home, "clone", "--quiet", str(REPO), str(clone))
    tag = _release_tag()
    if tag not in _git(clone, "tag", "--list", "v*").split():
        _git(clone, "tag", tag, _git(REPO, "rev-parse", "HEAD").strip())
    _git(clone, "checkout", "--quiet", tag)
    return clone, tag


@pytest.fixture(scope="module")
def quick_start(release: tuple[Path, str]) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The clone after the Quick start's two commands, run as one shell session, and their result."""
    clone, _tag = release
    install, lint = _fences(_section("Quick start"), "sh")
    notes = clone / "path" / "to" / "notes"
    notes.mkdir(parents=True)
    (notes / "a.md").write_text(BAD, encoding="utf-8")
    (notes / "b.md").write_text(GOOD, encoding="utf-8")
    done = _bash(f"set -e\n{install}\n{lint}", clone, _user_environment(clone.parent))
    return clone, done


def test_the_snippets_name_the_release_that_exists(release: tuple[Path, str]) -> None:
    _clone, tag = release
    assert f"git checkout {tag}" in _section("Quick start")
    assert f"@{tag}" in _fences(_section("GitHub Actions"), "yaml")[0]
    assert f"`rev: {tag}`" in _section("pre-commit")


def test_quick_start_installs_and_lints_in_a_fresh_virtual_environment(
    quick_start: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    clone, done = quick_start
    assert (clone / ".venv" / "bin" / "mdlint").is_file(), done.stderr
    # pip speaks first; mdlint's report is the end of the session's output.
    assert done.stdout.splitlines()[-2:] == [
        BAD_LINE.format(path="path/to/notes/a.md"),
        "Found 1 finding (1 error, 0 warnings) in 2 files; 1 fixable with --fix.",
    ], done.stderr
    assert done.returncode == 1


def _project(root: Path, config: str) -> Path:
    root.mkdir()
    _git(root, "init", "--quiet")
    (root / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "bad.md").write_text(BAD, encoding="utf-8")
    (root / "docs" / "good.md").write_text(GOOD, encoding="utf-8")
    _git(root, "add", "-A")
    return root


def _pre_commit(project: Path, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=_TIMEOUT,
        check=False,
    )


def test_the_pre_commit_snippet_fails_on_bad_markdown_and_passes_once_fixed(
    quick_start: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    clone, _done = quick_start
    (snippet,) = _fences(_section("pre-commit"), "yaml")
    project = _project(clone.parent / "project-local", snippet)
    # "Commit with its virtual environment active": the Quick start's environment comes first on PATH.
    environment = _user_environment(clone.parent, clone / ".venv" / "bin")
    failed = _pre_commit(project, environment)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert BAD_LINE.format(path="docs/bad.md") in failed.stdout
    assert "Found 1 finding (1 error, 0 warnings) in 2 files; 1 fixable with --fix." in failed.stdout
    (project / "docs" / "bad.md").write_text(GOOD, encoding="utf-8")
    _git(project, "add", "-A")
    passed = _pre_commit(project, environment)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_pre_commit_builds_the_hosted_hook_at_the_release_tag(release: tuple[Path, str]) -> None:
    clone, tag = release
    config = f"repos:\n  - repo: {clone}\n    rev: {tag}\n    hooks:\n      - id: mdlint\n"
    project = _project(clone.parent / "project-hosted", config)
    environment = _user_environment(clone.parent)
    failed = _pre_commit(project, environment)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert BAD_LINE.format(path="docs/bad.md") in failed.stdout


def test_the_actions_run_commands_install_the_release_and_annotate(release: tuple[Path, str]) -> None:
    clone, _tag = release
    (workflow,) = _fences(_section("GitHub Actions"), "yaml")
    steps = yaml.safe_load(workflow)["jobs"]["mdlint"]["steps"]
    commands = [step["run"] for step in steps if "run" in step]
    assert len(commands) == 2
    project = _project(clone.parent / "project-actions", "repos: []\n")
    # actions/setup-python: a Python of its own, where pip may install.
    runner = clone.parent / "runner-python"
    subprocess.run([sys.executable, "-m", "venv", str(runner)], check=True, timeout=_TIMEOUT)
    environment = _user_environment(clone.parent, runner / "bin")
    # What `${{ vars.MDLINT_GIT }}` gives the step: the address of mdlint's repository.
    # (A file URL with a host: pip's requirement syntax wants one after `git+`.)
    environment.update(GITHUB_ACTIONS="true", GITHUB_RUN_ID="1", MDLINT_GIT=f"file://localhost{clone}")
    install = _bash(commands[0], project, environment)
    assert install.returncode == 0, install.stdout + install.stderr
    lint = _bash(commands[1], project, environment)
    assert lint.stdout.splitlines() == [
        "::error file=docs/bad.md,line=1,col=3,endLine=1,endColumn=36,title=link-missing-scheme (MDL004)::"
        "destination 'arxiv.org/abs/1706.03762' has no scheme and is read as a relative path; "
        "write https://arxiv.org/abs/1706.03762"
    ], lint.stderr
    assert lint.returncode == 1
