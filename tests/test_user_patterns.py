"""Regular expressions from config match in linear time (RE2): a hostile pattern cannot hang a run.

Issue 13, item 9: link-dead's `exclude = ['^https://x\\.com/(a+)+$']` against a destination of 30
`a`s and a `!` backtracks for hours in Python's engine, in a run-level check that no per-file time
limit covers.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from mdlint.cli import main
from mdlint.rule_engine.user_patterns import UserPattern, UserPatternError
from mdlint.run.config import RuleSelection
from mdlint.run.runner import RunOptions, RunResult, run
from mdlint.site.workspace import RunSettings

CATASTROPHIC = r"^https://x\.com/(a+)+$"


def test_a_catastrophic_pattern_matches_in_linear_time() -> None:
    pattern = UserPattern(CATASTROPHIC)
    assert not pattern.search("https://x.com/" + "a" * 100_000 + "!")
    assert pattern.search("https://x.com/aaa")


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [("(?=x)", "invalid perl operator: (?="), (r"(a)\1", "invalid escape sequence: \\1"), ("(", "missing )")],
)
def test_patterns_re2_cannot_compile_are_refused(pattern: str, reason: str) -> None:
    with pytest.raises(UserPatternError) as refused:
        UserPattern(pattern)
    assert str(refused.value).startswith(f"invalid regular expression {pattern!r} (RE2 syntax): ")
    assert reason in str(refused.value)


def test_a_catastrophic_exclude_does_not_hang_the_run(tmp_path: Path) -> None:
    (tmp_path / ".mdlint.toml").write_text(
        f"[rules.link-dead]\nexclude = ['{CATASTROPHIC}', '^skip/']\n", encoding="utf-8"
    )
    (tmp_path / "a.md").write_text(
        "# A\n\n[x](https://x.com/" + "a" * 40 + "!)\n\n[s](skip/nothing.md)\n\n[m](missing.md)\n", encoding="utf-8"
    )
    options = RunOptions(
        paths=(str(tmp_path),),
        selection=RuleSelection(select=("link-dead",)),
        settings=RunSettings(offline=True, cache_dir=tmp_path / "cache", file_time_limit=5.0),
    )
    box: dict[str, RunResult] = {}
    worker = threading.Thread(target=lambda: box.setdefault("result", run(options)), daemon=True)
    worker.start()
    # A hang guard: Python's engine would take hours on this destination.
    worker.join(60)
    assert not worker.is_alive(), "the run hung on the exclude pattern"
    findings = [(f.line, f.column, f.message) for f in box["result"].findings]
    assert findings == [(7, 5, "dead link: `missing.md` does not exist")]


def test_an_invalid_exclude_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / ".mdlint.toml"
    config.write_text("[rules.link-dead]\nexclude = ['^https://(?!internal)']\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("# a\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["--offline", "a.md"]) == 2
    output = capfd.readouterr()
    # capfd reads file descriptor 2 itself: RE2's own error log would show up here too.
    assert output.err.splitlines() == [
        f"mdlint: error: {config}: [rules.link-dead] exclude: invalid regular expression "
        "'^https://(?!internal)' (RE2 syntax): invalid perl operator: (?!"
    ]
    assert output.out == ""
