"""The comparison benchmark's helpers (the benchmark itself is run by hand, never timed in tests)."""

from __future__ import annotations

from pathlib import Path

from bench.compare_bench import HUGO_DOCS, crash_note, markdown_files, parse_args, parse_time_v, ratio

TIME_V = """\tCommand being timed: "mdlint x"
\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:02.50
\tMaximum resident set size (kbytes): 102400
"""


def test_defaults_lint_hugo_docs_and_500_copies() -> None:
    args = parse_args([])
    assert args.folder == [HUGO_DOCS]
    assert args.copies == 500
    assert args.pymarkdown_sample == 20


def test_flags() -> None:
    args = parse_args(["--folder", "a", "--folder", "b", "--copies", "0", "--skip", "pymarkdown", "--jobs", "2"])
    assert args.folder == [Path("a"), Path("b")]
    assert (args.copies, args.skip, args.jobs) == (0, ["pymarkdown"], 2)


def test_parse_time_v() -> None:
    assert parse_time_v(TIME_V) == (62.5, 100.0)
    assert parse_time_v("0:03.25 h\n\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:00:03.25\n") is None
    assert parse_time_v("nothing") is None


def test_ratio() -> None:
    assert ratio(87.0, 29.0) == "3.0x"
    assert ratio(1.0, 0.0) == "-"


def test_markdown_files(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.markdown").write_text("# B\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("C\n", encoding="utf-8")
    assert markdown_files(tmp_path) == [tmp_path / "a.md", tmp_path / "sub" / "b.markdown"]


def test_a_crash_is_recognised() -> None:
    assert crash_note("pymarkdown: BadTokenizationError: oops") == "crashed: BadTokenizationError"
    assert crash_note("3 findings") == ""
