"""Parallel runs report exactly what serial runs do; the result cache never changes what is reported."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from mdlint.findings import Finding
from mdlint.links.results import CheckResult
from mdlint.run.config import RuleSelection
from mdlint.run.link_cache import CACHE_FILE_NAME, LinkCache
from mdlint.run.parallel import PARALLEL_MIN_FILES, WorkerPool, default_jobs
from mdlint.run.result_cache import RESULT_CACHE_FILE_NAME, ResultCache, document_key
from mdlint.run.runner import RunOptions, RunResult, run
from mdlint.site.workspace import RunSettings
from tests.conftest import CORPUS, REPO, RunCli, require_corpus

HUGO_SAMPLE = CORPUS / "perf" / "hugo-docs" / "content" / "en" / "functions"
OFFLINE = RunSettings(offline=True)


def _as_tuples(findings: list[Finding]) -> list[tuple[object, ...]]:
    return [(f.sort_key, f.end_line, f.end_column, f.code, f.severity, f.fix, f.extra) for f in findings]


def _run(paths: list[Path], jobs: int, **options: object) -> RunResult:
    return run(RunOptions(paths=tuple(map(str, paths)), settings=OFFLINE, jobs=jobs, **options))  # type: ignore[arg-type]


def _corpus_paths() -> list[Path]:
    require_corpus()
    assert HUGO_SAMPLE.is_dir(), f"the corpus lost its Hugo sample {HUGO_SAMPLE}"
    return [*sorted(p for p in CORPUS.iterdir() if p.is_dir() and p.name != "perf"), HUGO_SAMPLE]


def test_parallel_run_reports_exactly_what_a_serial_run_does() -> None:
    paths = _corpus_paths()
    serial = _run(paths, jobs=1)
    parallel = _run(paths, jobs=2)
    assert serial.files >= PARALLEL_MIN_FILES, "the sample must be large enough to use the pool"
    assert serial.findings, "the corpus has findings to compare"
    assert _as_tuples(parallel.findings) == _as_tuples(serial.findings)
    assert parallel.errors == serial.errors
    assert parallel.files == serial.files


def test_parallel_cli_output_is_byte_identical(run_cli: RunCli) -> None:
    paths = _corpus_paths()
    serial = run_cli("--offline", "--no-cache", "--format", "json", "--jobs", "1", *paths)
    parallel = run_cli("--offline", "--no-cache", "--format", "json", "--jobs", "3", *paths)
    assert serial.returncode == parallel.returncode == 1
    assert parallel.stdout == serial.stdout


def test_parallel_fix_writes_what_a_serial_fix_writes(tmp_path: Path) -> None:
    serial_tree, parallel_tree = tmp_path / "serial", tmp_path / "parallel"
    for tree in (serial_tree, parallel_tree):
        tree.mkdir()
        for index in range(PARALLEL_MIN_FILES + 3):
            (tree / f"note{index:02}.md").write_text(
                f"# Note {index}\n\nSee [paper](arxiv.org/abs/{index}) and\u00a0more.\n", encoding="utf-8"
            )
    serial = _run([serial_tree], jobs=1, fix=True)
    parallel = _run([parallel_tree], jobs=2, fix=True)
    assert serial.fixes_applied == parallel.fixes_applied > 0
    for path in sorted(serial_tree.iterdir()):
        assert (parallel_tree / path.name).read_bytes() == path.read_bytes()
    assert [f.message for f in parallel.findings] == [f.message for f in serial.findings]


def test_jobs_flag_is_validated(run_cli: RunCli, tmp_path: Path) -> None:
    note = tmp_path / "a.md"
    note.write_text("# A\n", encoding="utf-8")
    assert run_cli("--jobs", "0", note).returncode == 2
    assert run_cli("--jobs", "many", note).returncode == 2
    assert run_cli("--offline", "--jobs", "1", note).returncode == 0
    assert default_jobs() >= 1


def _double(state: int, item: int) -> int:
    return state * item


def _state() -> int:
    return 2


def test_worker_pool_keeps_input_order() -> None:
    pool = WorkerPool(_state, 2)
    try:
        assert pool.map(_double, list(range(100))) == [2 * n for n in range(100)]
    finally:
        pool.close()


# --- the result cache -------------------------------------------------------------------------


def _tree(tmp_path: Path) -> Path:
    """A copy of the user corpus (not the perf folder), big enough to use the result cache."""
    require_corpus()
    tree = tmp_path / "tree"
    for folder in ("blog", "newsletter", "study-archive"):
        shutil.copytree(CORPUS / folder, tree / folder)
    for path in tree.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return tree


def _rows(cache_dir: Path) -> dict[str, float]:
    with sqlite3.connect(cache_dir / RESULT_CACHE_FILE_NAME) as connection:
        return dict(connection.execute("SELECT key, written FROM results_v1"))


def test_warm_run_reports_what_a_cold_run_does_and_reuses_every_entry(tmp_path: Path) -> None:
    tree, cache_dir = _tree(tmp_path), tmp_path / "cache"
    settings = RunSettings(offline=True, cache_dir=cache_dir)
    cold = run(RunOptions(paths=(str(tree),), settings=settings, cache=True))
    stored = _rows(cache_dir)
    assert len(stored) == cold.files > 0
    warm = run(RunOptions(paths=(str(tree),), settings=settings, cache=True))
    assert _as_tuples(warm.findings) == _as_tuples(cold.findings)
    assert _rows(cache_dir) == stored, "a warm run over an unchanged tree rewrites nothing"


def test_changing_one_file_changes_only_its_findings(tmp_path: Path) -> None:
    tree, cache_dir = _tree(tmp_path), tmp_path / "cache"
    settings = RunSettings(offline=True, cache_dir=cache_dir)
    before = run(RunOptions(paths=(str(tree),), settings=settings, cache=True))
    stored = _rows(cache_dir)
    changed = tree / "study-archive" / "README.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nSee [x](example.com/page).\n", encoding="utf-8")
    after = run(RunOptions(paths=(str(tree),), settings=settings, cache=True))
    uncached = run(RunOptions(paths=(str(tree),), settings=settings, cache=False))
    assert _as_tuples(after.findings) == _as_tuples(uncached.findings)
    shown = changed.as_posix()
    assert [f for f in after.findings if f.path != shown] == [f for f in before.findings if f.path != shown]
    assert (
        len([f for f in after.findings if f.path == shown]) == len([f for f in before.findings if f.path == shown]) + 1
    )
    new_rows = set(_rows(cache_dir)) - set(stored)
    assert len(new_rows) == 1, "only the changed file was linted again"


def test_changing_the_config_invalidates_the_cache(tmp_path: Path) -> None:
    tree, cache_dir = _tree(tmp_path), tmp_path / "cache"
    settings = RunSettings(offline=True, cache_dir=cache_dir)
    before = run(RunOptions(paths=(str(tree),), settings=settings, cache=True))
    assert any(f.rule == "link-missing-scheme" for f in before.findings)
    (tree / ".mdlint.toml").write_text('ignore = ["link-missing-scheme"]\n', encoding="utf-8")
    after = run(RunOptions(paths=(str(tree),), settings=settings, cache=True))
    assert not any(f.rule == "link-missing-scheme" for f in after.findings)
    assert _as_tuples(after.findings) == _as_tuples(
        run(RunOptions(paths=(str(tree),), settings=settings, cache=False)).findings
    )
    # Severity is part of the configuration too.
    (tree / ".mdlint.toml").write_text('[rules.details-unbalanced]\nseverity = "info"\n', encoding="utf-8")
    again = run(RunOptions(paths=(str(tree),), settings=settings, cache=True))
    assert all(f.severity == "info" for f in again.findings if f.rule == "details-unbalanced")


def test_command_line_selection_is_part_of_the_key(tmp_path: Path) -> None:
    tree, cache_dir = _tree(tmp_path), tmp_path / "cache"
    settings = RunSettings(offline=True, cache_dir=cache_dir)
    everything = run(RunOptions(paths=(str(tree),), settings=settings, cache=True))
    only = run(
        RunOptions(
            paths=(str(tree),), settings=settings, cache=True, selection=RuleSelection(select=("link-missing-scheme",))
        )
    )
    assert {f.rule for f in only.findings} == {"link-missing-scheme"}
    assert len(only.findings) < len(everything.findings)


def test_folder_rules_see_a_changed_sibling(tmp_path: Path) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    for index in range(8):
        tags = "" if index == 0 else "tags: [a]\n"
        (folder / f"p{index}.md").write_text(
            f"---\ntitle: P{index}\n{tags}---\n\n# P{index}\n\n" + "Some text here. " * 400 + "\n",
            encoding="utf-8",
        )
    settings = RunSettings(offline=True, cache_dir=tmp_path / "cache")
    first = run(RunOptions(paths=(str(folder),), settings=settings, cache=True))
    assert [Path(f.path).name for f in first.findings if f.rule == "front-matter-missing"] == ["p0.md"]
    # The siblings drop `tags`; p0 is unchanged on disk, but it is no longer the odd one out.
    for index in range(1, 8):
        path = folder / f"p{index}.md"
        path.write_text(path.read_text(encoding="utf-8").replace("tags: [a]\n", ""), encoding="utf-8")
    second = run(RunOptions(paths=(str(folder),), settings=settings, cache=True))
    assert not [f for f in second.findings if f.rule == "front-matter-missing"]
    uncached = run(RunOptions(paths=(str(folder),), settings=settings, cache=False))
    assert _as_tuples(second.findings) == _as_tuples(uncached.findings)


def test_no_cache_flag_writes_no_result_cache(run_cli: RunCli, tmp_path: Path) -> None:
    tree, cache_dir = _tree(tmp_path), tmp_path / "cache"
    run_cli("--offline", "--no-cache", "--cache-dir", cache_dir, tree)
    assert not (cache_dir / RESULT_CACHE_FILE_NAME).exists()
    run_cli("--offline", "--cache-dir", cache_dir, tree)
    assert _rows(cache_dir)
    cleared = run_cli("--clear-cache", "--cache-dir", cache_dir)
    assert cleared.returncode == 0 and "result cache cleared" in cleared.stdout
    assert not _rows(cache_dir)


_STORE_LINKS = """
import sys
from pathlib import Path
from mdlint.run.link_cache import LinkCache
from mdlint.links.results import CheckResult

cache = LinkCache.open(Path(sys.argv[1]))
assert cache is not None
for round in range(20):
    cache.store([CheckResult(f"https://example.com/{n}", "ok", 200, None, "200 OK") for n in range(50)])
    cache.store([CheckResult(f"https://example.com/dead/{n}", "dead", 404, None, "404") for n in range(50)])
cache.close()
"""


def test_two_processes_at_once_leave_both_caches_valid(tmp_path: Path) -> None:
    tree, cache_dir = _tree(tmp_path), tmp_path / "cache"
    environment = {"PYTHONPATH": str(REPO), "NO_COLOR": "1", "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "mdlint", "--offline", "--format", "json", "--cache-dir", str(cache_dir)]
    linters = [
        subprocess.Popen([*command, "--jobs", jobs, str(tree)], stdout=subprocess.PIPE, env=environment, text=True)
        for jobs in ("1", "2")
    ]
    # Link-cache writers run alongside, since an offline lint never writes that cache itself.
    writers = [
        subprocess.Popen([sys.executable, "-c", _STORE_LINKS, str(cache_dir)], env=environment) for _ in range(2)
    ]
    outputs = [process.communicate(timeout=300)[0] for process in linters]
    assert [process.wait(timeout=300) for process in writers] == [0, 0]
    assert [process.returncode for process in linters] == [1, 1]
    assert outputs[0] == outputs[1]

    for name in (RESULT_CACHE_FILE_NAME, CACHE_FILE_NAME):
        with sqlite3.connect(cache_dir / name) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    with LinkCache.open(cache_dir) as links:  # type: ignore[union-attr]
        fresh = links.fresh([f"https://example.com/{n}" for n in range(50)] + ["https://example.com/dead/7"])
    assert len(fresh) == 51
    assert fresh["https://example.com/dead/7"] == CheckResult("https://example.com/dead/7", "dead", 404, None, "404")

    # Every stored result is the one a fresh, uncached run computes for that document.
    settings = RunSettings(offline=True, cache_dir=cache_dir)
    uncached = run(RunOptions(paths=(str(tree),), settings=settings, cache=False))
    warm = run(RunOptions(paths=(str(tree),), settings=settings, cache=True))
    assert _as_tuples(warm.findings) == _as_tuples(uncached.findings)
    assert len(_rows(cache_dir)) == uncached.files


def test_an_unreadable_entry_is_a_miss(tmp_path: Path) -> None:
    tree, cache_dir = _tree(tmp_path), tmp_path / "cache"
    settings = RunSettings(offline=True, cache_dir=cache_dir)
    cold = run(RunOptions(paths=(str(tree),), settings=settings, cache=True))
    with sqlite3.connect(cache_dir / RESULT_CACHE_FILE_NAME) as connection:
        connection.execute("UPDATE results_v1 SET value = x'00ff'")
    warm = run(RunOptions(paths=(str(tree),), settings=settings, cache=True))
    assert _as_tuples(warm.findings) == _as_tuples(cold.findings)


def test_document_key_depends_on_text_path_and_settings(tmp_path: Path) -> None:
    from mdlint.markdown.document import Document
    from mdlint.run.config import ConfigFile

    path = tmp_path / "a.md"
    path.write_text("# A\n", encoding="utf-8")
    rules = ConfigFile(None).rules_for(path)
    base = document_key(Document(str(path), "# A\n"), path, rules, OFFLINE)
    assert base == document_key(Document(str(path), "# A\n"), path, rules, OFFLINE)
    assert base != document_key(Document(str(path), "# B\n"), path, rules, OFFLINE)
    assert base != document_key(Document("other.md", "# A\n"), path, rules, OFFLINE)
    assert base != document_key(Document(str(path), "# A\n"), path, rules, RunSettings(offline=False))
    assert base != document_key(Document(str(path), "# A\n"), path, rules[1:], OFFLINE)
    assert ResultCache.open(tmp_path / "cache") is not None
