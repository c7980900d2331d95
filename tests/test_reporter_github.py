"""`--format github`: workflow commands, GitHub's escaping, and the automatic choice in Actions."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdlint.cli import main
from mdlint.findings import Finding, Severity
from mdlint.reporters import ReportOptions
from mdlint.reporters.github_report import escape_data, escape_property, render
from mdlint.run.runner import FileError, RunResult

BAD_LINK = "- 📜 [paper](arxiv.org/abs/2412.19437)\n"
SCHEME_MESSAGE = (
    "destination 'arxiv.org/abs/2412.19437' has no scheme and is read as a relative path; "
    "write https://arxiv.org/abs/2412.19437"
)


def _finding(path: str, message: str, severity: Severity = Severity.ERROR, end_line: int = 2) -> Finding:
    return Finding(path, 2, 3, end_line, 9, "link-malformed", "MDL003", severity, message)


def test_escaping_follows_the_runner() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("a, b:c%\n") == "a%2C b%3Ac%25%0A"


def test_one_command_per_finding_and_per_unreadable_file() -> None:
    result = RunResult(
        findings=[
            _finding("dir, x/a:b.md", "50% of\nthe link"),
            _finding("b.md", "spans lines", Severity.WARNING, end_line=4),
            _finding("c.md", "note this", Severity.INFO),
        ],
        errors=[FileError("d,e.md", "not valid UTF-8 at byte 3")],
    )
    assert render(result, ReportOptions()).splitlines() == [
        "::error file=dir%2C x/a%3Ab.md,line=2,col=3,endLine=2,endColumn=9,title=link-malformed (MDL003)"
        "::50%25 of\\nthe link",
        "::warning file=b.md,line=2,endLine=4,title=link-malformed (MDL003)::spans lines",
        "::notice file=c.md,line=2,col=3,endLine=2,endColumn=9,title=link-malformed (MDL003)::note this",
        "::error file=d%2Ce.md::not valid UTF-8 at byte 3",
    ]


def test_a_clean_run_prints_nothing() -> None:
    assert render(RunResult(files=3), ReportOptions()) == ""


def _lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    (tmp_path / "a.md").write_text(BAD_LINK, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["--select", "MDL004", *args, "a.md"]) == 1
    return capsys.readouterr().out


def test_github_is_the_default_inside_github_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _lint(tmp_path, monkeypatch, capsys) == (
        "::error file=a.md,line=1,col=5,endLine=1,endColumn=38,title=link-missing-scheme (MDL004)::"
        + SCHEME_MESSAGE
        + "\n"
    )


def test_an_explicit_format_wins_over_github_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _lint(tmp_path, monkeypatch, capsys, "--format", "text") == (
        f"a.md:1:5: error MDL004 link-missing-scheme {SCHEME_MESSAGE} [*]\n"
        "Found 1 finding (1 error, 0 warnings) in 1 file; 1 fixable with --fix.\n"
    )


def test_output_file_and_diff_keep_the_text_default_in_github_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _lint(tmp_path, monkeypatch, capsys, "--output-file", "report.txt") == ""
    assert (
        (tmp_path / "report.txt").read_text(encoding="utf-8").startswith("a.md:1:5: error MDL004 link-missing-scheme ")
    )
    assert "+- 📜 [paper](https://arxiv.org/abs/2412.19437)" in _lint(tmp_path, monkeypatch, capsys, "--diff")


def test_other_values_of_github_actions_keep_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.md").write_text(BAD_LINK, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert main(["--select", "MDL004", "a.md"]) == 1
    assert capsys.readouterr().out.startswith("a.md:1:5: error MDL004 link-missing-scheme ")
