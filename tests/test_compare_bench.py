"""The comparison benchmark's helpers (the benchmark itself is run by hand, never timed in tests)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench.compare_bench import HUGO_DOCS, crash_note, markdown_files, measure, parse_args, parse_time_v, ratio

TIME_V = """\tCommand being timed: "mdlint x"
\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:02.50
\tMaximum resident set size (kbytes): 102400
"""


def test_defaults_lint_hugo_docs_and_500_copies() -> None:
    args = parse_args([])
    assert args.folder == [HUGO_DOCS]
    assert args.copies == 500
    assert args.pymarkdown_sample == 20
    assert args.fix_copies == 50


def test_flags() -> None:
    args = parse_args(
        ["--folder", "a", "--folder", "b", "--copies", "0", "--skip", "pymarkdown", "--skip", "rumdl", "--jobs", "2"]
    )
    assert args.folder == [Path("a"), Path("b")]
    assert (args.copies, args.skip, args.jobs) == (0, ["pymarkdown", "rumdl"], 2)
    assert parse_args(["--fix-copies", "0"]).fix_copies == 0


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


@pytest.mark.skipif(not (Path("/usr/bin/time").exists() and Path("/proc").is_dir()), reason="needs GNU time and /proc")
def test_the_process_tree_memory_counts_a_child(tmp_path: Path) -> None:
    # A parent that starts a child holding ~40 MB: the tree's sum is larger than the parent alone.
    code = (
        "import subprocess, sys\n"
        "child = 'import time; x = bytearray(40 * 2**20); x[::4096] = b\"1\" * len(x[::4096]); time.sleep(1.5)'\n"
        "subprocess.run([sys.executable, '-c', child])"
    )
    run = measure("tree", [sys.executable, "-c", code], tmp_path, timeout=60)
    assert run.returncode == 0
    assert run.tree_mb > 40
