"""`--fix` under real processes: killed at random moments, run twice at once, blocked from writing.

Every file must end either wholly old or wholly new; leftovers of a killed run are recognisable
temporary files that the next run removes.
"""

from __future__ import annotations

import os
import random
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mdlint.fixing.edits import TEMPORARY_SUFFIX
from tests.conftest import REPO, RunCli

DEV_NO_ZWJ = "\U0001f9d1\U0001f3fb\U0001f4bb"
DEV = "\U0001f9d1\U0001f3fb\u200d\U0001f4bb"
RULES = "text-invisible-char,link-missing-scheme,html-block-swallows-markdown,icon-variant"
_LEFTOVER = re.compile(rf"^\..+\.\d+\.[^.]+{re.escape(TEMPORARY_SUFFIX)}$")
_ENV = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}


def _page(rng: random.Random, sections: int) -> str:
    parts = [f"📜: Paper\n{DEV}: Developer blog\n\n# Notes {rng.randrange(10**6)}\n\n"]
    for index in range(sections):
        parts.append(
            f"<details>\n<summary>Week {index}</summary>\n"
            f"- 📜 [paper {index}](arxiv.org/abs/{rng.randrange(10**5)})\n"
            f"- {DEV_NO_ZWJ if rng.random() < 0.5 else DEV} [blog](https://dev.to/{index})\n"
            f"- Notes\u00a0on week {index} with\u200bzero width\n\n</details>\n\n"
        )
    return "".join(parts)


def _tree(seed: int, files: int = 300, large: int = 2) -> dict[str, bytes]:
    """Relative path → bytes of a tree with fixable defects; the first `large` files are big."""
    rng = random.Random(seed)
    tree = {}
    for index in range(files):
        sections = 250 if index < large else rng.randint(1, 4)
        text = _page(rng, sections)
        if index % 7 == 3:
            text = text.replace("\n", "\r\n")
        tree[f"part{index % 10}/note{index:03}.md"] = text.encode("utf-8")
    return tree


def _write(root: Path, tree: dict[str, bytes]) -> None:
    for relative, data in tree.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _read(root: Path) -> tuple[dict[str, bytes], list[str]]:
    """Markdown files by relative path, and every other file's name."""
    found: dict[str, bytes] = {}
    others: list[str] = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            if path.suffix == ".md" and not path.name.startswith("."):
                found[path.relative_to(root).as_posix()] = path.read_bytes()
            else:
                others.append(path.name)
    return found, others


def _fix_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "mdlint", "--offline", "--select", RULES, "--fix", "--quiet", str(root)]


def _fixed_tree(tmp_path: Path, tree: dict[str, bytes]) -> tuple[dict[str, bytes], float]:
    root = tmp_path / "expected"
    _write(root, tree)
    started = time.monotonic()
    done = subprocess.run(_fix_command(root), env=_ENV, capture_output=True, text=True, timeout=600, check=False)
    elapsed = time.monotonic() - started
    assert done.returncode in (0, 1), done.stderr
    fixed, others = _read(root)
    assert others == []
    assert all(fixed[name] != tree[name] for name in tree)
    return fixed, elapsed


def test_sigkill_at_random_moments_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    tree = _tree(seed=7)
    fixed, elapsed = _fixed_tree(tmp_path, tree)
    rng = random.Random(2026)
    for round_number in range(5):
        root = tmp_path / f"round{round_number}"
        _write(root, tree)
        process = subprocess.Popen(_fix_command(root), env=_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # The delay is drawn over the length of a whole run, so kills land while starting,
        # linting and writing alike.
        time.sleep(rng.uniform(0.0, elapsed))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        current, others = _read(root)
        assert current.keys() == tree.keys()
        torn = [name for name, data in current.items() if data not in (tree[name], fixed[name])]
        assert torn == []
        assert [name for name in others if not _LEFTOVER.match(name)] == []
    # A run after the kill finishes the job and clears what the killed run left.
    finished = subprocess.run(_fix_command(root), env=_ENV, capture_output=True, text=True, timeout=600, check=False)
    assert finished.returncode in (0, 1), finished.stderr
    current, others = _read(root)
    assert current == fixed
    assert others == []


def test_two_runs_at_once_both_finish_and_every_file_is_fixed(tmp_path: Path) -> None:
    tree = _tree(seed=11, files=120, large=2)
    fixed, _ = _fixed_tree(tmp_path, tree)
    root = tmp_path / "work"
    _write(root, tree)
    runs = [
        subprocess.Popen(_fix_command(root), env=_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        # A file the other run fixed first is reported, never overwritten: exit 2 then.
        assert run.returncode in (0, 1, 2), err
        assert "Traceback" not in err
        assert all("changed on disk while mdlint was fixing it; not written" in line for line in err.splitlines())
    current, others = _read(root)
    assert current == fixed
    assert others == []


def test_read_only_file_and_folder_are_reported_not_written(tmp_path: Path, run_cli: RunCli) -> None:
    page = "- [paper](arxiv.org/abs/1)\n"
    fixed = "- [paper](https://arxiv.org/abs/1)\n"
    for name in ("open.md", "locked.md", "frozen/inside.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(page, encoding="utf-8")
    os.chmod(tmp_path / "locked.md", 0o444)
    os.chmod(tmp_path / "frozen", 0o555)
    try:
        result = run_cli("--offline", "--fix", "--select", "link-missing-scheme", ".", cwd=tmp_path)
        assert result.stderr.splitlines() == [
            "frozen/inside.md: error: folder is read-only, the file cannot be replaced; not written",
            "locked.md: error: file is read-only; not written",
        ]
        assert result.returncode == 2
        assert (tmp_path / "open.md").read_text(encoding="utf-8") == fixed
        assert (tmp_path / "locked.md").read_text(encoding="utf-8") == page
        assert (tmp_path / "frozen" / "inside.md").read_text(encoding="utf-8") == page
        assert stat.S_IMODE((tmp_path / "locked.md").stat().st_mode) == 0o444
        assert sorted(path.name for path in (tmp_path / "frozen").iterdir()) == ["inside.md"]
    finally:
        os.chmod(tmp_path / "frozen", 0o755)


def test_a_file_changed_between_reading_and_writing_is_reported_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mdlint.fixing import edits as fixes
    from mdlint.run.runner import RunOptions, run
    from mdlint.site.workspace import RunSettings

    (tmp_path / "a.md").write_text("- [paper](arxiv.org/abs/1)\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("- [paper](arxiv.org/abs/2)\n", encoding="utf-8")
    real_write = fixes.write_atomically

    def someone_edits_a_first(path: Path, data: bytes, expected: bytes) -> None:
        if path.name == "a.md":
            path.write_text("someone else's edit\n", encoding="utf-8")
        real_write(path, data, expected)

    monkeypatch.setattr("mdlint.run.runner.write_atomically", someone_edits_a_first)
    result = run(RunOptions(paths=(str(tmp_path),), fix=True, settings=RunSettings(offline=True)))
    assert [(Path(e.path).name, e.message) for e in result.errors] == [
        ("a.md", "changed on disk while mdlint was fixing it; not written")
    ]
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "someone else's edit\n"
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == "- [paper](https://arxiv.org/abs/2)\n"


def test_a_leftover_of_a_live_process_is_kept_and_of_a_dead_one_removed(tmp_path: Path) -> None:
    from mdlint.fixing.edits import remove_stale_temporaries

    page = tmp_path / "a.md"
    page.write_text("x\n", encoding="utf-8")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".a.md.{dead.stdout.strip()}.k3j2{TEMPORARY_SUFFIX}"
    live = tmp_path / f".a.md.{os.getpid()}.q8w1{TEMPORARY_SUFFIX}"
    other = tmp_path / f".b.md.{dead.stdout.strip()}.zz11{TEMPORARY_SUFFIX}"
    for path in (stale, live, other):
        path.write_text("partial", encoding="utf-8")
    remove_stale_temporaries(page)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(["a.md", live.name, other.name])
