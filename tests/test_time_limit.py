"""The per-file time limit: a runaway file becomes one error line and every other file is linted.

The runaway is a test-only rule, installed through the `mdlint.rules` entry-point group, that
never returns on a file containing `SPIN`: only the limit can end it, so no test depends on how
fast the machine is.
"""

from __future__ import annotations

import contextlib
import signal
import textwrap
import threading
from pathlib import Path

import pytest

from mdlint.run.parallel import PARALLEL_MIN_FILES
from mdlint.run.time_limit import TimeLimitExceeded, limits_supported, time_limit
from tests.conftest import REPO, RunCli
from tests.plugins import write_plugin

BAD_LINK = "- 📜 [paper](arxiv.org/abs/2412.19437)\n"


def _spin_forever() -> None:
    while True:
        pass


def test_the_limit_interrupts_a_loop_and_restores_the_handler() -> None:
    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(TimeLimitExceeded) as raised, time_limit(0.05):
        _spin_forever()
    assert str(raised.value) == "took longer than 0.05 s"
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_work_within_the_limit_is_untouched() -> None:
    with time_limit(30):
        total = sum(range(1000))
    assert total == 499500
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_no_limit_and_other_threads_run_unlimited() -> None:
    with time_limit(None), time_limit(0):
        pass
    seen: list[bool] = []

    def worker() -> None:
        # SIGALRM only reaches the main thread: elsewhere the body runs to completion.
        seen.append(limits_supported())
        with time_limit(0.01):
            seen.append(True)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [False, True]


def test_a_broad_except_in_a_rule_cannot_swallow_the_limit() -> None:
    # What a careless rule might write: an `Exception` handler that keeps going.
    with pytest.raises(TimeLimitExceeded), time_limit(0.05), contextlib.suppress(Exception):
        _spin_forever()


@pytest.fixture
def spinning_rule(tmp_path: Path) -> dict[str, str]:
    """Environment for `run_cli` in which a plugin rule spins forever on files containing SPIN."""
    source = textwrap.dedent(
        """
            from mdlint.rule_engine.rule import Rule

            def check(document, context):
                while "SPIN" in document.text:
                    pass
                return []

            RULE = Rule(code="XSP001", name="spin", summary="never ends on SPIN", check=check)
            """
    )
    plugins = write_plugin(tmp_path / "plugins", "spin_rule", source, "spin")
    return {"PYTHONPATH": f"{REPO}:{plugins}"}


def _files(folder: Path) -> None:
    folder.mkdir()
    (folder / "a.md").write_text(BAD_LINK, encoding="utf-8")
    (folder / "spin.md").write_text("SPIN\n\n" + BAD_LINK, encoding="utf-8")
    (folder / "z.md").write_text("x\n\n" + BAD_LINK, encoding="utf-8")


def test_a_runaway_file_is_one_error_line_and_the_others_are_linted(
    run_cli: RunCli, tmp_path: Path, spinning_rule: dict[str, str]
) -> None:
    _files(tmp_path / "docs")
    result = run_cli(
        "--select", "spin,link-missing-scheme", "--file-time-limit", "0.5", "docs", cwd=tmp_path, env=spinning_rule
    )
    assert result.stderr == "docs/spin.md: error: took longer than 0.5 s\n"
    assert [line.split(" ")[:4] for line in result.stdout.splitlines()[:-1]] == [
        ["docs/a.md:1:5:", "error", "MDL004", "link-missing-scheme"],
        ["docs/z.md:3:5:", "error", "MDL004", "link-missing-scheme"],
    ]
    assert result.returncode == 2


def test_the_limit_holds_in_worker_processes(run_cli: RunCli, tmp_path: Path, spinning_rule: dict[str, str]) -> None:
    docs = tmp_path / "docs"
    _files(docs)
    # Enough files that the run lints them in a pool of worker processes.
    for number in range(PARALLEL_MIN_FILES):
        (docs / f"n{number:02d}.md").write_text(BAD_LINK, encoding="utf-8")
    args = ("--select", "spin,MDL004", "--file-time-limit", "0.5", "--no-cache", "docs")
    result = run_cli("--jobs", "2", *args, cwd=tmp_path, env=spinning_rule)
    assert result.stderr == "docs/spin.md: error: took longer than 0.5 s\n"
    assert result.returncode == 2
    serial = run_cli("--jobs", "1", *args, cwd=tmp_path, env=spinning_rule)
    assert result.stdout == serial.stdout
    assert result.stdout.count("link-missing-scheme") == PARALLEL_MIN_FILES + 2


def test_the_limit_comes_from_the_config_file_and_the_flag_wins(
    run_cli: RunCli, tmp_path: Path, spinning_rule: dict[str, str]
) -> None:
    _files(tmp_path / "docs")
    (tmp_path / ".mdlint.toml").write_text("file-time-limit = 0.25\n", encoding="utf-8")
    from_config = run_cli("--select", "spin,MDL004", "docs", cwd=tmp_path, env=spinning_rule)
    assert from_config.stderr == "docs/spin.md: error: took longer than 0.25 s\n"
    assert from_config.returncode == 2
    flag = run_cli("--select", "spin,MDL004", "--file-time-limit", "0.4", "docs", cwd=tmp_path, env=spinning_rule)
    assert flag.stderr == "docs/spin.md: error: took longer than 0.4 s\n"


def test_fix_mode_reports_the_runaway_file_and_fixes_the_others(
    run_cli: RunCli, tmp_path: Path, spinning_rule: dict[str, str]
) -> None:
    _files(tmp_path / "docs")
    result = run_cli(
        "--fix", "--select", "spin,MDL004", "--file-time-limit", "0.5", "docs", cwd=tmp_path, env=spinning_rule
    )
    assert result.stderr == "docs/spin.md: error: took longer than 0.5 s\n"
    assert (tmp_path / "docs" / "a.md").read_text(encoding="utf-8") == BAD_LINK.replace("](", "](https://")
    assert (tmp_path / "docs" / "spin.md").read_text(encoding="utf-8") == "SPIN\n\n" + BAD_LINK
    assert result.returncode == 2


@pytest.mark.parametrize("value", ["-1", "soon", "nan"])
def test_a_bad_flag_value_is_a_usage_error(run_cli: RunCli, tmp_path: Path, value: str) -> None:
    result = run_cli("--file-time-limit", value, ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("mdlint: error: argument --file-time-limit:")
    assert len(result.stderr.splitlines()) == 1
