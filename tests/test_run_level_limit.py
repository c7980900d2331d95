"""Run-level checks are bounded per document by the file time limit (issue 13, item 9).

link-dead's run-level check reads and parses the files links point into; a target that is not
linted itself (here a large file not named on the command line) was parsed with no limit at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mdlint.cli import main
from tests.conftest import RunCli


def test_a_slow_target_stops_only_the_document_that_links_it(tmp_path: Path, run_cli: RunCli) -> None:
    # 150,000 headings (4.5 MB): 20,000 of them take 2.5 s of CPU to parse for their ids on the
    # development machine, so these take seconds even on a machine ten times faster, far past the
    # 0.5 s limit; the limit interrupts the parse, so the test spends only about a second on it.
    (tmp_path / "big.md").write_text(
        "".join(f"## heading {i}\n\ntext [x](y{i}.md)\n\n" for i in range(150_000)), encoding="utf-8"
    )
    (tmp_path / "a.md").write_text("# A\n\n[in big](big.md#nowhere) [gone](missing-a.md)\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n\n[gone](missing-b.md)\n", encoding="utf-8")
    # In a process of its own: the time limit is a signal timer of the process's main thread.
    result = run_cli(
        "--offline", "--no-cache", "--select", "link-dead", "--file-time-limit", "0.5", "a.md", "b.md", cwd=tmp_path
    )
    assert result.returncode == 2, result.stderr
    # a.md's link-dead findings are dropped with its check; b.md is still checked.
    assert result.stdout.splitlines() == [
        "b.md:3:8: error MDL040 link-dead dead link: `missing-b.md` does not exist",
        "Found 1 finding (1 error, 0 warnings) in 2 files; 1 file could not be linted.",
    ]
    assert result.stderr.splitlines() == ["a.md: error: link-dead: took longer than 0.5 s"]


def test_within_the_limit_nothing_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.md").write_text("# A\n\n[gone](missing-a.md)\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["--offline", "--no-cache", "--select", "link-dead", "a.md"]) == 1
    output = capsys.readouterr()
    assert output.out.splitlines() == [
        "a.md:3:8: error MDL040 link-dead dead link: `missing-a.md` does not exist",
        "Found 1 finding (1 error, 0 warnings) in 1 file.",
    ]
    assert output.err == ""
