"""A warm run takes unchanged files from the result cache by their status, without reading them,
and reports exactly what a run without the cache reports."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from mdlint.findings import Finding
from mdlint.markdown.document import Document, read_document
from mdlint.run import result_cache, runner
from mdlint.run.result_cache import RESULT_CACHE_FILE_NAME
from mdlint.run.runner import RunOptions, RunResult, run
from mdlint.site.workspace import RunSettings

# Enough text over the folder to use the result cache (see `runner.CACHE_MIN_CHARACTERS`).
_BODY = "Some text here. " * 400 + "\n"


def _as_tuples(findings: list[Finding]) -> list[tuple[object, ...]]:
    return [(f.sort_key, f.end_line, f.end_column, f.code, f.severity, f.fix, f.extra) for f in findings]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the run reads while it gathers them (not those a lint reads again on a miss)."""
    seen: list[str] = []
    real = read_document

    def counting(path: Path, display_path: str | None = None, *, max_bytes: int) -> Document:
        seen.append(Path(path).name)
        return real(path, display_path, max_bytes=max_bytes)

    monkeypatch.setattr(runner, "read_document", counting)
    # Files written a moment ago count as settled: the tests change them by the clock, not within a tick.
    monkeypatch.setattr(result_cache, "RACY_NANOSECONDS", 0)
    return seen


def _posts(folder: Path, count: int = 8) -> list[Path]:
    folder.mkdir()
    paths = []
    for index in range(count):
        tags = "" if index == 0 else "tags: [a]\n"
        path = folder / f"p{index}.md"
        path.write_text(f"---\ntitle: P{index}\n{tags}---\n\n# P{index}\n\n{_BODY}", encoding="utf-8")
        paths.append(path)
    return paths


def _run(folder: Path, cache_dir: Path, cache: bool = True) -> RunResult:
    settings = RunSettings(offline=True, cache_dir=cache_dir)
    return run(RunOptions(paths=(str(folder),), settings=settings, cache=cache))


def _age(path: Path, seconds: float) -> None:
    """Set the file's modification time `seconds` into the past (its change time becomes now)."""
    moment = path.stat().st_mtime - seconds
    os.utime(path, (moment, moment))


def test_a_warm_run_over_unchanged_files_reads_none_and_reports_the_same(tmp_path: Path, reads: list[str]) -> None:
    folder = tmp_path / "posts"
    _posts(folder)
    cold = _run(folder, tmp_path / "cache")
    assert sorted(reads) == [f"p{index}.md" for index in range(8)]
    assert [Path(f.path).name for f in cold.findings if f.rule == "front-matter-missing"] == ["p0.md"]
    reads.clear()
    warm = _run(folder, tmp_path / "cache")
    assert reads == []
    assert _as_tuples(warm.findings) == _as_tuples(cold.findings)
    assert warm.files == cold.files == 8


def test_a_touched_file_is_read_again_reports_the_same_and_is_then_known(tmp_path: Path, reads: list[str]) -> None:
    folder = tmp_path / "posts"
    paths = _posts(folder)
    cold = _run(folder, tmp_path / "cache")
    _age(paths[3], 60)  # touched: another time, the same content
    reads.clear()
    touched = _run(folder, tmp_path / "cache")
    assert reads == ["p3.md"]
    assert _as_tuples(touched.findings) == _as_tuples(cold.findings)
    reads.clear()
    again = _run(folder, tmp_path / "cache")
    assert reads == []
    assert _as_tuples(again.findings) == _as_tuples(cold.findings)


def test_an_edit_of_the_same_size_and_time_gives_the_new_findings(tmp_path: Path, reads: list[str]) -> None:
    folder = tmp_path / "posts"
    paths = _posts(folder)
    _run(folder, tmp_path / "cache")
    before = paths[5].stat()
    # Same length, and the modification time put back: only the change time (and inode) tell.
    old, new = "Some text here. Some text here. ", "[x](example.com/a) text here ab."
    assert len(old) == len(new)
    paths[5].write_text(paths[5].read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    os.utime(paths[5], ns=(before.st_atime_ns, before.st_mtime_ns))
    assert paths[5].stat().st_size == before.st_size
    reads.clear()
    edited = _run(folder, tmp_path / "cache")
    assert reads == ["p5.md"]
    uncached = _run(folder, tmp_path / "cache", cache=False)
    assert _as_tuples(edited.findings) == _as_tuples(uncached.findings)
    assert [(Path(f.path).name, f.line, f.column) for f in edited.findings if f.rule == "link-missing-scheme"] == [
        ("p5.md", 8, 1)
    ]


def test_a_sibling_front_matter_change_recomputes_the_unread_file(tmp_path: Path, reads: list[str]) -> None:
    folder = tmp_path / "posts"
    paths = _posts(folder)
    first = _run(folder, tmp_path / "cache")
    assert [Path(f.path).name for f in first.findings if f.rule == "front-matter-missing"] == ["p0.md"]
    # The siblings drop `tags`; p0 is unchanged on disk, and now the odd one out no longer.
    for path in paths[1:]:
        path.write_text(path.read_text(encoding="utf-8").replace("tags: [a]\n", ""), encoding="utf-8")
    reads.clear()
    second = _run(folder, tmp_path / "cache")
    assert sorted(reads) == [f"p{index}.md" for index in range(1, 8)], "p0 is taken by its status"
    assert [f for f in second.findings if f.rule == "front-matter-missing"] == []
    uncached = _run(folder, tmp_path / "cache", cache=False)
    assert _as_tuples(second.findings) == _as_tuples(uncached.findings)


def test_a_file_changed_just_before_the_run_is_not_taken_by_its_status(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(result_cache, "RACY_NANOSECONDS", 2_000_000_000)
    folder = tmp_path / "posts"
    _posts(folder)
    _run(folder, tmp_path / "cache")
    reads.clear()
    _run(folder, tmp_path / "cache")
    # Written within the last two seconds: a write in the same clock tick would not show.
    assert len(reads) == 8


def test_a_changed_site_configuration_reads_its_pages_again(tmp_path: Path, reads: list[str]) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text('title = "Site"\n', encoding="utf-8")
    for index in range(6):
        (site / "content" / f"page{index}.md").write_text(f"# Page {index}\n\n{_BODY}", encoding="utf-8")
    cold = _run(site, tmp_path / "cache")
    (site / "hugo.toml").write_text('title = "Site"\n[markup.goldmark.renderer]\nunsafe = true\n', encoding="utf-8")
    reads.clear()
    warm = _run(site, tmp_path / "cache")
    assert sorted(reads) == [f"page{index}.md" for index in range(6)]
    assert _as_tuples(warm.findings) == _as_tuples(_run(site, tmp_path / "cache", cache=False).findings)
    assert warm.files == cold.files == 6


def test_clear_cache_forgets_the_files_too(tmp_path: Path, reads: list[str]) -> None:
    folder = tmp_path / "posts"
    _posts(folder)
    _run(folder, tmp_path / "cache")
    result_cache.clear_results(tmp_path / "cache")
    with sqlite3.connect(tmp_path / "cache" / RESULT_CACHE_FILE_NAME) as connection:
        assert connection.execute("SELECT COUNT(*) FROM files_v1").fetchone() == (0,)
    reads.clear()
    _run(folder, tmp_path / "cache")
    assert len(reads) == 8
