"""--baseline FILE: only findings the baseline does not record are reported, and fail the run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdlint.cli import main
from mdlint.run.baseline import Baseline, BaselineError, load_baseline, source_reader
from mdlint.testing import lint_text
from tests.conftest import RunCli

LINK = "- [paper](arxiv.org/abs/1706.03762)\n"
MESSAGE = (
    "error MDL004 link-missing-scheme destination 'arxiv.org/abs/1706.03762' has no scheme and is read as a "
    "relative path; write https://arxiv.org/abs/1706.03762 [*]"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# Notes\n\n" + LINK, encoding="utf-8")
    return tmp_path


def _lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["--offline", "--select", "link-missing-scheme", *args])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def _record(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _lint(capsys, "--baseline", "mdlint-baseline.json", "--write-baseline", "docs")
    assert (code, out, err) == (0, [], "mdlint: recorded 1 findings in mdlint-baseline.json\n")


def test_written_file_is_versioned_sorted_and_has_no_line_numbers(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "docs" / "b.md").write_text(LINK + LINK + "[x](/Users/me/x.png)\n", encoding="utf-8")
    code, _, err = _lint(
        capsys, "--select", "link-local-path", "--baseline", "mdlint-baseline.json", "--write-baseline", "docs"
    )
    assert (code, err) == (0, "mdlint: recorded 4 findings in mdlint-baseline.json\n")
    data = (project / "mdlint-baseline.json").read_bytes()
    assert data.endswith(b"}\n") and b"\r" not in data
    report = json.loads(data)
    assert report["version"] == 1
    assert [(e["path"], e["rule"], e["count"]) for e in report["findings"]] == [
        ("docs/a.md", "link-missing-scheme", 1),
        ("docs/b.md", "link-local-path", 1),
        ("docs/b.md", "link-missing-scheme", 2),
    ]
    assert set(report["findings"][0]) == {"path", "rule", "message", "context", "count"}
    # Writing again from the same files gives the same bytes.
    _lint(capsys, "--select", "link-local-path", "--baseline", "mdlint-baseline.json", "--write-baseline", "docs")
    assert (project / "mdlint-baseline.json").read_bytes() == data


def test_recorded_findings_are_not_reported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _record(capsys)
    assert _lint(capsys, "--baseline", "mdlint-baseline.json", "docs")[:2] == (
        0,
        ["Found 0 findings in 1 file."],
    )


def test_inserting_lines_above_keeps_the_finding_suppressed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _record(capsys)
    target = project / "docs" / "a.md"
    target.write_text("# Notes\n\nA new paragraph\nover two lines.\n\n  " + LINK, encoding="utf-8")
    assert _lint(capsys, "--baseline", "mdlint-baseline.json", "docs")[:2] == (
        0,
        ["Found 0 findings in 1 file."],
    )


def test_editing_the_offending_text_reports_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _record(capsys)
    (project / "docs" / "a.md").write_text("# Notes\n\n- [the paper](arxiv.org/abs/1706.03762)\n", encoding="utf-8")
    code, out, _ = _lint(capsys, "--baseline", "mdlint-baseline.json", "docs")
    assert (code, out) == (
        1,
        [
            "docs/a.md:3:3: " + MESSAGE,
            "Found 1 finding (1 error, 0 warnings) in 1 file; 1 fixable with --fix.",
        ],
    )


def test_counts_identical_findings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "docs" / "a.md").write_text(LINK + LINK, encoding="utf-8")
    code, _, err = _lint(capsys, "--baseline", "mdlint-baseline.json", "--write-baseline", "docs")
    assert (code, err) == (0, "mdlint: recorded 2 findings in mdlint-baseline.json\n")
    (project / "docs" / "a.md").write_text(LINK + LINK + LINK, encoding="utf-8")
    code, out, _ = _lint(capsys, "--baseline", "mdlint-baseline.json", "docs")
    # Which of three identical findings is the new one cannot be known; the last is reported.
    assert (code, out) == (
        1,
        ["docs/a.md:3:3: " + MESSAGE, "Found 1 finding (1 error, 0 warnings) in 1 file; 1 fixable with --fix."],
    )


def test_a_renamed_file_is_new(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _record(capsys)
    (project / "docs" / "a.md").rename(project / "docs" / "renamed.md")
    code, out, _ = _lint(capsys, "--baseline", "mdlint-baseline.json", "docs")
    assert (code, out) == (
        1,
        ["docs/renamed.md:3:3: " + MESSAGE, "Found 1 finding (1 error, 0 warnings) in 1 file; 1 fixable with --fix."],
    )


def test_paths_are_relative_to_the_baseline_file(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _record(capsys)
    # The same file named another way, from another folder, still matches.
    (project / "other").mkdir()
    monkeypatch.chdir(project / "other")
    code = main(
        ["--offline", "--baseline", str(project / "mdlint-baseline.json"), str(project / "docs" / "a.md")],
    )
    assert code == 0


def test_line_numbers_in_messages_do_not_count(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paragraph = "This paragraph explains the attention mechanism in enough words to count.\n"
    text = paragraph + "\n" + paragraph
    (project / "docs" / "a.md").write_text(text, encoding="utf-8")
    args = ("--select", "duplicate-paragraph", "--baseline", "mdlint-baseline.json")
    assert _lint(capsys, *args, "--write-baseline", "docs")[0] == 0
    entry = json.loads((project / "mdlint-baseline.json").read_text(encoding="utf-8"))["findings"][0]
    assert entry["message"] == "paragraph repeats the text first written on line N"
    (project / "docs" / "a.md").write_text("# Title\n\n" + text, encoding="utf-8")
    assert _lint(capsys, *args, "docs")[:2] == (0, ["Found 0 findings in 1 file."])


def test_json_output_keeps_its_contract(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "docs" / "b.md").write_text(LINK, encoding="utf-8")
    code = main(["--offline", "--baseline", "mdlint-baseline.json", "--write-baseline", "docs/a.md"])
    capsys.readouterr()
    assert code == 0
    code, out, _ = _lint(capsys, "--baseline", "mdlint-baseline.json", "--format", "json", "docs")
    report = json.loads("\n".join(out))
    assert code == 1
    assert set(report) == {"version", "findings", "summary", "errors"}
    assert [(f["path"], f["line"], f["rule"]) for f in report["findings"]] == [("docs/b.md", 1, "link-missing-scheme")]
    assert report["summary"]["findings"] == 1 and report["summary"]["errors"] == 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot read: No such file or directory (create it with --write-baseline)"),
        ("{", "not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
        ('{"version": 2, "findings": []}', "not an mdlint baseline (version 1): version: Input should be 1"),
        ('{"version": 1, "findings": [{"path": "a.md"}]}', "not an mdlint baseline (version 1): findings.0.rule: "),
    ],
)
def test_an_unusable_baseline_is_one_error_line(
    project: Path, capsys: pytest.CaptureFixture[str], content: str | None, reason: str
) -> None:
    if content is not None:
        (project / "mdlint-baseline.json").write_text(content, encoding="utf-8")
    code, out, err = _lint(capsys, "--baseline", "mdlint-baseline.json", "docs")
    assert (code, out) == (2, [])
    assert err.startswith(f"mdlint: error: baseline mdlint-baseline.json: {reason}")
    assert err.count("\n") == 1


def test_write_baseline_needs_a_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--write-baseline", "docs"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == "mdlint: error: --write-baseline needs --baseline FILE (see mdlint --help)\n"


def test_round_trip_through_the_file(tmp_path: Path) -> None:
    from mdlint.run.baseline import Fingerprint

    baseline = Baseline(tmp_path, {Fingerprint("b.md", "r", "m", "c"): 2, Fingerprint("a.md", "r", "m", "c"): 1})
    (tmp_path / "baseline.json").write_text(baseline.to_json(), encoding="utf-8")
    loaded = load_baseline(tmp_path / "baseline.json")
    assert loaded.counts == baseline.counts
    assert loaded.to_json() == baseline.to_json()
    with pytest.raises(BaselineError):
        load_baseline(tmp_path / "missing.json")


def test_standard_input_is_matched_by_its_text(run_cli: RunCli, tmp_path: Path) -> None:
    args = ("--offline", "--baseline", "b.json", "--stdin-filename", "notes/a.md", "-")
    assert run_cli(*args, "--write-baseline", stdin=LINK, cwd=tmp_path).returncode == 0
    assert run_cli(*args, stdin="# New title\n\n" + LINK, cwd=tmp_path).returncode == 0
    moved = run_cli(*args, stdin="- [other](arxiv.org/abs/1706.03762)\n", cwd=tmp_path)
    assert moved.returncode == 1
    assert moved.stdout.startswith("notes/a.md:1:3: error MDL004 link-missing-scheme ")


_DOCUMENT = "# Reading list\n\n" + LINK + "\nSee [local](/Users/me/x.png) and ![](a.png).\n\n" + LINK
_UNRELATED = st.lists(
    st.sampled_from(["Some text.", "", "## A heading", "- an item", "> a quote", "    indented code"]),
    max_size=8,
    # A line written twice is a duplicate paragraph: a new finding, not an unrelated edit.
    unique=True,
)


@settings(max_examples=50, deadline=None)
@given(above=_UNRELATED, between=_UNRELATED)
def test_unrelated_lines_never_make_a_recorded_finding_new(above: list[str], between: list[str]) -> None:
    before = lint_text(_DOCUMENT, path="a.md")
    baseline = Baseline.from_findings(Path.cwd(), before, source_reader({"a.md": _DOCUMENT}))
    head, tail = _DOCUMENT.split("\nSee", 1)
    edited = "\n".join([*above, "", head, *between, "", "See" + tail])
    after = lint_text(edited, path="a.md")
    assert len(after) == len(before)
    assert baseline.new_findings(after, source_reader({"a.md": edited})) == []
