"""Options every format honours: `--statistics`, `--output-file`, `--exit-zero`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdlint.cli import main
from mdlint.findings import Finding, Fix, Severity
from mdlint.reporters import REPORTERS
from mdlint.reporters.rule_statistics import RuleCount, rule_statistics, statistics_lines

BAD_LINK = "- 📜 [paper](arxiv.org/abs/2412.19437)\n"
FORMATS = sorted(REPORTERS)


def _finding(code: str, rule: str, fix: Fix | None = None) -> Finding:
    return Finding("a.md", 1, 1, 1, 2, rule, code, Severity.ERROR, "m", fix)


def test_statistics_sort_by_count_then_code_and_count_fixes_by_safety() -> None:
    safe, unsafe = Fix.replace(0, 1, "x"), Fix.replace(0, 1, "x", "unsafe")
    findings = [
        _finding("MDL031", "text-invisible-char", safe),
        _finding("MDL031", "text-invisible-char", unsafe),
        _finding("MDL004", "link-missing-scheme", safe),
        _finding("MDL003", "link-malformed"),
        _finding("MDL030", "emphasis-cjk-flanking", unsafe),
        _finding("MDL030", "emphasis-cjk-flanking", unsafe),
    ]
    assert rule_statistics(findings, unsafe_fixes=False) == [
        RuleCount("MDL030", "emphasis-cjk-flanking", 2, 0, unsafe_only=2),
        RuleCount("MDL031", "text-invisible-char", 2, 1, unsafe_only=1),
        RuleCount("MDL003", "link-malformed", 1, 0),
        RuleCount("MDL004", "link-missing-scheme", 1, 1),
    ]
    # Without --unsafe-fixes, the line says why a finding with a fix has no `[*]`.
    assert statistics_lines(rule_statistics(findings, unsafe_fixes=False))[:2] == [
        "2  MDL030  emphasis-cjk-flanking  0 fixable, 2 more with --unsafe-fixes",
        "2  MDL031  text-invisible-char    1 fixable, 1 more with --unsafe-fixes",
    ]
    rows = rule_statistics(findings, unsafe_fixes=True)
    assert [row.fixable for row in rows] == [2, 2, 0, 1]
    assert statistics_lines(rows) == [
        "2  MDL030  emphasis-cjk-flanking  2 fixable",
        "2  MDL031  text-invisible-char    2 fixable",
        "1  MDL003  link-malformed         0 fixable",
        "1  MDL004  link-missing-scheme    1 fixable",
    ]


@pytest.fixture
def notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two files with three findings of two rules, as the current folder."""
    (tmp_path / "a.md").write_text("x\n\n" + BAD_LINK + "[o](https://a.com](https://b.com))\n", encoding="utf-8")
    (tmp_path / "b.md").write_text(BAD_LINK, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


SELECT = ["--select", "MDL003,MDL004"]


def test_text_statistics_come_after_the_findings(notes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*SELECT, "--statistics", "."]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == ["a.md", "a.md", "b.md"]
    assert lines[3:] == [
        "2  MDL004  link-missing-scheme  2 fixable",
        "1  MDL003  link-malformed       0 fixable",
        "Found 3 findings (3 errors, 0 warnings) in 2 files; 2 fixable with --fix.",
    ]


def test_json_gets_a_statistics_key_only_when_asked(notes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main([*SELECT, "--format", "json", "."])
    plain = json.loads(capsys.readouterr().out)
    assert list(plain) == ["version", "findings", "summary", "errors"]
    main([*SELECT, "--format", "json", "--statistics", "."])
    counted = json.loads(capsys.readouterr().out)
    assert counted.pop("statistics") == [
        {"code": "MDL004", "rule": "link-missing-scheme", "count": 2, "fixable": 2},
        {"code": "MDL003", "rule": "link-malformed", "count": 1, "fixable": 0},
    ]
    assert counted == plain


def test_sarif_and_github_statistics(notes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main([*SELECT, "--format", "sarif", "--statistics", "."])
    run = json.loads(capsys.readouterr().out)["runs"][0]
    first = run["properties"]["statistics"][0]
    assert first == {"code": "MDL004", "rule": "link-missing-scheme", "count": 2, "fixable": 2}
    main([*SELECT, "--format", "sarif", "."])
    assert "properties" not in json.loads(capsys.readouterr().out)["runs"][0]
    main([*SELECT, "--format", "github", "--statistics", "."])
    assert capsys.readouterr().out.splitlines()[3:] == [
        "2  MDL004  link-missing-scheme  2 fixable",
        "1  MDL003  link-malformed       0 fixable",
    ]


@pytest.mark.parametrize("report_format", FORMATS)
def test_output_file_gets_the_report_and_stdout_stays_empty(
    notes: Path, capsys: pytest.CaptureFixture[str], report_format: str
) -> None:
    assert main([*SELECT, "--format", report_format, "--exit-zero", "--output-file", "out/report", "."]) == 0
    assert capsys.readouterr().out == ""
    main([*SELECT, "--format", report_format, "."])
    assert (notes / "out" / "report").read_text(encoding="utf-8") == capsys.readouterr().out
    assert "link-malformed" in (notes / "out" / "report").read_text(encoding="utf-8")


@pytest.mark.parametrize("report_format", FORMATS)
def test_exit_codes_with_exit_zero_and_unreadable_files(
    notes: Path, capsys: pytest.CaptureFixture[str], report_format: str
) -> None:
    assert main([*SELECT, "--format", report_format, "."]) == 1
    assert main([*SELECT, "--format", report_format, "--exit-zero", "."]) == 0
    (notes / "c.md").write_bytes(b"\xff\xfe\x00")
    # A file that could not be linted is an incomplete run; --exit-zero only forgives findings.
    assert main([*SELECT, "--format", report_format, "--exit-zero", "."]) == 2
    captured = capsys.readouterr()
    assert captured.err == "c.md: error: not valid UTF-16-LE at byte 2\n"


def test_an_output_file_that_cannot_be_written_exits_two(notes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (notes / "taken").write_text("", encoding="utf-8")
    assert main([*SELECT, "--exit-zero", "--output-file", "taken/report", "."]) == 2
    assert capsys.readouterr().err.startswith("mdlint: error: cannot write taken/report: ")
