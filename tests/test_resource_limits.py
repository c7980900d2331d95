"""The per-file memory limit (`max-memory`, `--max-memory`) and the constructs that were super-linear.

A file that needs more memory than the limit is one line `path: error: too large to lint (memory
limit)`, exit 2, and every other file is still linted, serially and in worker processes. The peak
resident memory of a whole run over a 10 MB hostile file is measured, not assumed. Linear
behaviour is shown by counting work, never by timing.
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import threading
from pathlib import Path

import cmarkgfm
import mistune
import pytest

import mdlint.rules.link_duplicate as link_duplicate
from mdlint.conventions import icons
from mdlint.markdown import mistune_adapter
from mdlint.markdown.document import Document
from mdlint.markdown.emphasis_flanking import CommonMarkReading, InlineSource, match_emphasis
from mdlint.markdown.mistune_adapter import THEMATIC_BREAK
from mdlint.run.memory_limit import limits_supported, memory_limit
from mdlint.run.parallel import PARALLEL_MIN_FILES
from mdlint.run.time_limit import time_limit
from mdlint.site.workspace import RunSettings
from mdlint.testing import lint_text
from tests.conftest import REPO, RunCli

MEBIBYTE = 1024 * 1024
BAD_LINK = "[x](arxiv.org/abs/1)\n"
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux only")


@linux_only
def test_an_allocation_over_the_limit_is_a_memory_error_and_the_limit_is_restored() -> None:
    before = resource.getrlimit(resource.RLIMIT_AS)
    with pytest.raises(MemoryError), memory_limit(64):
        # Over the limit however much this test process already holds (it gets a quarter more).
        bytearray(64 * 1024 * MEBIBYTE)
    assert resource.getrlimit(resource.RLIMIT_AS) == before


@linux_only
def test_work_within_the_limit_is_untouched_and_no_limit_means_none() -> None:
    before = resource.getrlimit(resource.RLIMIT_AS)
    with memory_limit(4096):
        assert resource.getrlimit(resource.RLIMIT_AS)[0] >= 4096 * MEBIBYTE
        assert len(bytearray(MEBIBYTE)) == MEBIBYTE
    with memory_limit(None), memory_limit(0):
        assert resource.getrlimit(resource.RLIMIT_AS) == before
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_other_threads_are_not_limited() -> None:
    # The limit is the whole process's: set from a thread, it would bind the main thread too.
    seen: list[tuple[bool, tuple[int, int]]] = []

    def worker() -> None:
        with memory_limit(64):
            seen.append((limits_supported(), resource.getrlimit(resource.RLIMIT_AS)))

    before = resource.getrlimit(resource.RLIMIT_AS)
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [(False, before)]


def _hostile_folder(tmp_path: Path, others: int) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for index in range(others):
        (docs / f"a{index:02}.md").write_text(BAD_LINK, encoding="utf-8")
    # 3 MB of nested bullets on one line: about 300 MiB when parsed.
    (docs / "bullets.md").write_text("- " * 1_500_000 + "x\n", encoding="utf-8")
    (tmp_path / ".mdlint.toml").write_text("max-file-size = 20000000\n", encoding="utf-8")
    return docs


@linux_only
@pytest.mark.parametrize("jobs", ["1", "2"], ids=["serial", "workers"])
def test_a_file_over_the_memory_limit_is_one_line_and_the_others_are_linted(
    tmp_path: Path, run_cli: RunCli, jobs: str
) -> None:
    others = PARALLEL_MIN_FILES  # enough files that `--jobs 2` starts workers
    _hostile_folder(tmp_path, others)
    result = run_cli("--select", "MDL004", "--no-cache", "--jobs", jobs, "--max-memory", "200", "docs", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "docs/bullets.md: error: too large to lint (memory limit)\n"
    assert [line.split(" ")[:4] for line in result.stdout.splitlines()[:-1]] == [
        [f"docs/a{index:02}.md:1:1:", "error", "MDL004", "link-missing-scheme"] for index in range(others)
    ]


@linux_only
def test_the_config_sets_the_limit_and_the_flag_wins(tmp_path: Path, run_cli: RunCli) -> None:
    _hostile_folder(tmp_path, 1)
    (tmp_path / ".mdlint.toml").write_text("max-file-size = 20000000\nmax-memory = 200\n", encoding="utf-8")
    result = run_cli("--select", "MDL004", "--no-cache", "-j", "1", "docs", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "docs/bullets.md: error: too large to lint (memory limit)\n")
    settings = run_cli("--show-settings", "docs/a00.md", "--format", "json", cwd=tmp_path)
    assert json.loads(settings.stdout)["max-memory"] == 200
    # 0 turns the limit off.
    unlimited = run_cli("--select", "MDL004", "--max-memory", "0", "docs/a00.md", cwd=tmp_path)
    assert (unlimited.returncode, unlimited.stderr) == (1, "")
    assert unlimited.stdout.startswith("docs/a00.md:1:1: error MDL004 link-missing-scheme ")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--max-memory", "-1"], "argument --max-memory: '-1' is not a number of MiB (0 or more)"),
        (["--max-memory", "lots"], "argument --max-memory: 'lots' is not a number of MiB"),
    ],
)
def test_a_bad_flag_is_one_line(tmp_path: Path, run_cli: RunCli, arguments: list[str], message: str) -> None:
    result = run_cli(*arguments, ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"mdlint: error: {message} (see mdlint --help)\n"


def test_a_bad_config_value_is_one_line(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / ".mdlint.toml").write_text("max-memory = 0\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("# A\n", encoding="utf-8")
    result = run_cli(".", cwd=tmp_path)
    assert result.returncode == 2
    assert "max-memory: Input should be greater than 0" in result.stderr


# Ten million characters each: the measurements peaked at 3.3 to 5.1 GB on these.
_TEN_MB = 10_000_000
_HOSTILE_10MB = {
    "stars.md": "*" * _TEN_MB,
    "brackets.md": "[" * _TEN_MB,
    "bullets.md": "- " * (_TEN_MB // 2) + "x\n",
    "quotes.md": "> " * (_TEN_MB // 2) + "x\n",
}
# One run per file; the peak resident memory (KiB on Linux) is the largest of these children's.
_MEASURE = """
import resource, subprocess, sys
options, names = sys.argv[1:-4], sys.argv[-4:]
for name in names:
    done = subprocess.run([sys.executable, "-m", "mdlint", *options, name], capture_output=True, text=True)
    sys.stdout.write(f"{name} {done.returncode} {done.stderr!r}\\n")
sys.stdout.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) + "\\n")
"""


@linux_only
def test_peak_memory_of_a_run_over_10mb_hostile_files_stays_under_the_bound(tmp_path: Path) -> None:
    bound = 150
    for name, text in _HOSTILE_10MB.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / ".mdlint.toml").write_text("max-file-size = 20000000\n", encoding="utf-8")
    arguments = ["--offline", "--no-cache", "--jobs", "1", "--max-memory", str(bound), "--file-time-limit", "120"]
    measured = subprocess.run(
        [sys.executable, "-c", _MEASURE, *arguments, *sorted(_HOSTILE_10MB)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(REPO), "NO_COLOR": "1", "XDG_CACHE_HOME": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard, not a timing assertion
        check=True,
    )
    *runs, peak_kib = measured.stdout.splitlines()
    assert int(peak_kib) < bound * 1024
    too_large = "{name}: error: too large to lint (memory limit)\n"
    assert runs == [
        f"brackets.md 2 {too_large.format(name='brackets.md')!r}",
        f"bullets.md 2 {too_large.format(name='bullets.md')!r}",
        f"quotes.md 2 {too_large.format(name='quotes.md')!r}",
        # One run of `*` parses in little memory (it would be a thematic break with blanks).
        "stars.md 0 ''",
    ]


def test_leading_decoration_is_read_once_per_child(monkeypatch: pytest.MonkeyPatch) -> None:
    # `[` x n is one paragraph of n text children: checking the whole prefix at each was quadratic.
    examined: list[int] = []
    real = link_duplicate._is_decoration

    def counting(text: str) -> bool:
        examined.append(len(text))
        return real(text)

    monkeypatch.setattr(link_duplicate, "_is_decoration", counting)
    text = "[" * 20_000 + " [a](https://a.org/)\n"
    assert lint_text(text, "link-duplicate") == []
    assert sum(examined) <= 3 * len(text)


def test_a_long_run_of_quote_markers_is_matched_without_backtracking() -> None:
    # A list marker cannot start with `>` or a space: the pattern never gives any back. It took
    # seconds on 100 KB and grew with the square of the line; the timeout is a hang guard.
    line = "> " * 500_000 + "x"
    assert icons._LIST_MARKER.match(line, timeout=20) is None
    assert icons._LIST_MARKER.match("> > - item", timeout=20) is not None


def test_the_thematic_break_rule_is_mistunes_with_possessive_repeats() -> None:
    # If mistune changes its rule, this replacement must be looked at again.
    greedy = THEMATIC_BREAK.replace("*+", "*").replace("}+", "}")
    assert mistune.BlockParser.SPECIFICATION["thematic_break"] == greedy
    pattern = re.compile(THEMATIC_BREAK, re.MULTILINE)
    assert [bool(pattern.match(line)) for line in ("---", " - - -", "***  ", "_ _\t_", "--", "- - x", "    ---")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]


@pytest.mark.parametrize(
    "text",
    ["- " * 500_000 + "x\n", "> " * 500_000 + "x\n"],
    ids=["nested bullets", "quotes on one line"],
)
def test_a_megabyte_of_nesting_on_one_line_lints(text: str) -> None:
    # mistune stops nesting at a fixed depth; the rest of the line is one paragraph's text. The
    # limit is a hang guard: before the possessive patterns, the bullets took 20 s and the quotes
    # minutes (time_limit fires only between bytecodes, so it guards, not measures).
    with time_limit(240):
        assert lint_text(text, settings=RunSettings(offline=True, file_time_limit=0)) == []


@pytest.mark.parametrize("reading", ["gfm", "commonmark", "goldmark"])
def test_many_emphasis_pairs_in_one_block_are_matched_in_order(reading: CommonMarkReading) -> None:
    # `*a*a*a…`: each pair closes right after it opens. Removing each pair from the middle of
    # one delimiter list moved the whole rest of it (quadratic); the limit is a hang guard.
    text = "*a" * 100_000
    with time_limit(240):
        matches = match_emphasis(InlineSource(text, 0, len(text)), reading)
    assert len(matches) == 50_000
    assert [(match.opener_span, match.closer_span) for match in matches[:2]] == [((0, 1), (2, 3)), ((4, 5), (6, 7))]
    assert (matches[-1].opener_span, matches[-1].closer_span) == ((199_996, 199_997), (199_998, 199_999))


@pytest.mark.parametrize(("depth", "links"), [(32, 1), (33, 0)])
def test_link_destinations_nest_parentheses_32_deep_as_github_does(depth: int, links: int) -> None:
    text = "[a](x" + "(" * depth + ")" * depth + ")\n"
    assert ("<a href" in cmarkgfm.github_flavored_markdown_to_html(text)) == bool(links)
    assert len(list(Document("test.md", text).root.walk("link"))) == links


def test_unclosed_destinations_are_scanned_a_bounded_way(monkeypatch: pytest.MonkeyPatch) -> None:
    # `[` x k then `](` x k: each `](` scanned its destination to the end of the text, whose
    # parentheses never close (100 KB took minutes). Count the characters the scans pass.
    assert mistune.helpers._parse_link_href is mistune_adapter._parse_link_href_bounded
    scanned: list[int] = []
    bounded = mistune_adapter._parse_link_href_bounded

    def counting(src: str, start_pos: int, block: bool = False, **more: int) -> tuple[str | None, int | None, int]:
        # mistune 3.4 passes `max_nested_level` too.
        result = bounded(src, start_pos, block, **more)
        scanned.append(result[2] - start_pos)
        return result

    monkeypatch.setattr(mistune.helpers, "_parse_link_href", counting)
    text = "[" * 20_000 + "](" * 20_000
    assert list(Document("test.md", text).root.walk("link")) == []
    assert 0 < sum(scanned) <= 100 * 20_000
