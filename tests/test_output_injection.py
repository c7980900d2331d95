"""Text anyone may commit cannot forge output lines: control characters in messages and paths are escaped.

A percent-encoded newline in a link path decodes into the message; a file name may hold a newline
or ESC. Unescaped, the text report would print a second line starting `::error` (a GitHub workflow
command) and raw ESC/BEL would reach the terminal.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from mdlint import cli
from mdlint.reporters.control_characters import escape_controls
from tests.conftest import RunCli

# A link whose path decodes to a newline, a workflow command, an ANSI colour and a bell.
HOSTILE_LINK = "# T\n\n[x](a%0A::error%20file=x::pwned%1B[31m%07.md)\n"
ESCAPED_TARGET = "`a\\n::error file=x::pwned\\x1b[31m\\x07.md`"


def test_escape_controls_covers_c0_del_c1_separators_and_bidi() -> None:
    assert escape_controls("a\nb\r\x1b\x07\x00\x7f\x85\u2028\u2029\u202e\u2066") == (
        "a\\nb\\r\\x1b\\x07\\x00\\x7f\\x85\\u2028\\u2029\\u202e\\u2066"
    )
    # Azure's agent reads `##vso[` anywhere in a line: its bracket is escaped wherever it stands.
    assert escape_controls("dead link: `##vso[task.setvariable variable=x]1`") == (
        "dead link: `##vso\\x5btask.setvariable variable=x]1`"
    )
    # Tabs, ordinary non-ASCII text and backslashes are left alone.
    assert escape_controls("tab\there é 한 \\n") == "tab\there é 한 \\n"


def test_text_report_keeps_a_decoded_newline_on_one_line(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(HOSTILE_LINK, encoding="utf-8")
    result = run_cli("--offline", "--select", "link-dead", ".", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        f"a.md:3:5: error MDL040 link-dead dead link: {ESCAPED_TARGET} does not exist",
        "Found 1 finding (1 error, 0 warnings) in 1 file.",
    ]
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert result.returncode == 1


def test_github_report_keeps_a_decoded_newline_on_one_line(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(HOSTILE_LINK, encoding="utf-8")
    result = run_cli("--offline", "--select", "link-dead", "--format", "github", ".", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "::error file=a.md,line=3,col=5,endLine=3,endColumn=45,title=link-dead (MDL040)"
        f"::dead link: {ESCAPED_TARGET} does not exist",
    ]
    assert result.returncode == 1


def test_a_file_name_with_a_newline_and_esc_stays_one_line(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "b\n::error::x\x1b[2J.md").write_text("[x](nowhere.md)\n", encoding="utf-8")
    # Not UTF-8: the file cannot be linted, which prints its name on standard error.
    (tmp_path / "c\n::error::y.md").write_bytes(b"\xff\xfe\xfa")
    result = run_cli("--offline", "--select", "link-dead", ".", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "b\\n::error::x\\x1b[2J.md:1:5: error MDL040 link-dead dead link: `nowhere.md` does not exist",
        "Found 1 finding (1 error, 0 warnings) in 1 file; 1 file could not be linted.",
    ]
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("c\\n::error::y.md: error: ")
    assert result.returncode == 2

    github = run_cli("--offline", "--select", "link-dead", "--format", "github", ".", cwd=tmp_path)
    assert [line.split(",", 1)[0] for line in github.stdout.splitlines()] == [
        "::error file=b\\n%3A%3Aerror%3A%3Ax\\x1b[2J.md",
        "::error file=c\\n%3A%3Aerror%3A%3Ay.md::" + github.stdout.splitlines()[1].split("::", 2)[2],
    ]
    assert "\x1b" not in github.stdout + github.stderr


def test_the_fixed_line_escapes_the_names_of_fixed_files(run_cli: RunCli, tmp_path: Path) -> None:
    hostile = tmp_path / "e\n::error::w\x1b[2J.md"
    hostile.write_text("a\u200bb\n", encoding="utf-8")
    result = run_cli("--offline", "--select", "text-invisible-char", "--fix", ".", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "Fixed 1 finding in 1 file: e\\n::error::w\\x1b[2J.md (1); 0 remaining.",
        "Found 0 findings in 1 file.",
    ]
    assert hostile.read_text(encoding="utf-8") == "ab\n"


def test_show_files_lists_one_escaped_name_per_line(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "d\n::error::z.md").write_text("# D\n", encoding="utf-8")
    result = run_cli("--show-files", ".", cwd=tmp_path)
    assert result.stdout.splitlines() == ["d\\n::error::z.md"]


def test_json_output_escapes_through_its_serializer(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(HOSTILE_LINK, encoding="utf-8")
    result = run_cli("--offline", "--select", "link-dead", "--format", "json", ".", cwd=tmp_path)
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    # The report is one JSON document; the message keeps the decoded characters as data.
    message = json.loads(result.stdout)["findings"][0]["message"]
    assert message == "dead link: `a\n::error file=x::pwned\x1b[31m\x07.md` does not exist"


def test_an_internal_error_outside_any_file_stays_one_escaped_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(argv: Sequence[str] | None, out: object) -> int:
        raise RuntimeError("bad\x1b[31m\n::error::forged")

    monkeypatch.setattr(cli, "_main", fail)
    assert cli.main([]) == 2
    captured = capsys.readouterr()
    assert captured.err == "mdlint: error: internal error: RuntimeError: bad\\x1b[31m ::error::forged\n"
