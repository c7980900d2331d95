"""Shared test helpers: run the real command line, find the shared corpus."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent
# ../shared beside the main checkout; a git worktree one level deeper finds the same folder.
SHARED = next((folder / "shared" for folder in REPO.parents if (folder / "shared").is_dir()), REPO.parent / "shared")
# $MDLINT_CORPUS points the corpus tests at another copy (e.g. a trimmed one on a laptop).
CORPUS = Path(os.environ["MDLINT_CORPUS"]) if os.environ.get("MDLINT_CORPUS") else SHARED / "corpus"

RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def cli_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder (XDG_CACHE_HOME) of this test process's own for the CLI's caches.

    Under pytest-xdist several processes run the CLI at once: sharing the user's cache would
    make them write one SQLite file together and let one test's cached results answer another.
    """
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture
def run_cli(cli_cache_home: Path) -> RunCli:
    """Run `python -m mdlint ARGS` in a subprocess, as a user would, from this checkout."""

    def run(
        *args: str | Path, cwd: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        # A test run inside GitHub Actions must not switch the default output to annotations.
        inherited = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
        own = {"PYTHONPATH": str(REPO), "NO_COLOR": "1", "XDG_CACHE_HOME": str(cli_cache_home)}
        environment = {**inherited, **own, **(env or {})}
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


def require_corpus() -> Path:
    """The users' documents in ../shared/corpus: every corpus test goes through here.

    Outside CI a checkout without shared/ beside it skips the corpus tests; in CI (`CI` set, as
    `.ci/run` runs) the corpus is always laid beside the clone, so its absence is a failure.
    Called at module level it skips (or fails) the whole module.
    """
    if not CORPUS.is_dir():
        message = f"{CORPUS} is not beside this checkout"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must have it)")
        pytest.skip(message, allow_module_level=True)
    return CORPUS


@pytest.fixture
def corpus() -> Path:
    """The users' documents in ../shared/corpus (see `require_corpus`)."""
    return require_corpus()


# Hypothesis profiles: the default keeps the suite quick; `HYPOTHESIS_PROFILE=deep` is for long
# hunts (thousands of cases per property), e.g. before a release or after a parser change.
settings.register_profile(
    "default",
    max_examples=100,
    deadline=None,
    # The same cases on every run: CI must not pass or fail by the luck of the draw.
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "deep",
    max_examples=2_000,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


# Tests of the Markdown layer against mistune: the set CI runs on the previous mistune minor
# too (`pytest -m parser`), since mdlint supports both (see mdlint/markdown/mistune_adapter.py).
PARSER_TEST_FILES = frozenset(
    {
        "test_mistune_contract.py",
        "test_positions_spec.py",
        "test_positions_property.py",
        "test_positions_corpus.py",
        "test_document.py",
        "test_html_structure.py",
        "test_rule_html_block_swallows_markdown.py",
    }
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "parser: Markdown-layer tests, run on every supported mistune minor")
    config.addinivalue_line(
        "markers", "slow: minutes of pip and pre-commit; left out unless asked for (`-m slow`, as .ci/run does)"
    )
    config.addinivalue_line("markers", "readme_walk: the README walked as a new user (tests/test_readme_walk.py)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in PARSER_TEST_FILES:
            item.add_marker(pytest.mark.parser)
