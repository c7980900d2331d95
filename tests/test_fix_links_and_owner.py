"""`--fix` writes through symbolic links inside the tree only, keeps hard links, owner, group and mode."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.conftest import RunCli

_BROKEN = "a\u200bb c\n"
_FIXED = "ab c\n"


def test_a_symlink_in_the_tree_is_kept_and_its_target_fixed_once(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "real.md").write_text(_BROKEN, encoding="utf-8")
    (tmp_path / "link.md").symlink_to("real.md")
    result = run_cli("--offline", "--fix", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "link.md").is_symlink()
    assert os.readlink(tmp_path / "link.md") == "real.md"
    assert (tmp_path / "real.md").read_text(encoding="utf-8") == _FIXED
    assert result.stdout.splitlines() == [
        "Fixed 1 finding in 1 file: link.md (1); 0 remaining.",
        "Found 0 findings in 1 file.",
    ]


def test_a_symlink_named_on_the_command_line_is_written_through(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "real.md").write_text(_BROKEN, encoding="utf-8")
    (tmp_path / "link.md").symlink_to("notes/real.md")
    result = run_cli("--offline", "--fix", "link.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "link.md").is_symlink()
    assert (tmp_path / "notes" / "real.md").read_text(encoding="utf-8") == _FIXED


def test_a_symlink_out_of_the_tree_is_not_written(tmp_path: Path, run_cli: RunCli) -> None:
    outside = tmp_path / "outside"
    tree = tmp_path / "tree"
    outside.mkdir()
    tree.mkdir()
    (outside / "o.md").write_text(_BROKEN, encoding="utf-8")
    (tree / "out.md").symlink_to(outside / "o.md")
    result = run_cli("--offline", "--fix", "out.md", cwd=tree)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"out.md: error: symbolic link to {(outside / 'o.md').resolve()}, outside the linted tree; not written"
    ]
    assert (outside / "o.md").read_text(encoding="utf-8") == _BROKEN
    assert (tree / "out.md").is_symlink()


def test_hard_links_stay_one_file(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "a.md").write_text(_BROKEN, encoding="utf-8")
    os.link(tmp_path / "a.md", tmp_path / "docs" / "b.md")
    inode = (tmp_path / "a.md").stat().st_ino
    result = run_cli("--offline", "--fix", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for path in (tmp_path / "a.md", tmp_path / "docs" / "b.md"):
        assert path.stat().st_ino == inode
        assert path.stat().st_nlink == 2
        assert path.read_text(encoding="utf-8") == _FIXED
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["a.md", "b.md"]  # no backup left


def test_a_backup_left_by_an_interrupted_in_place_write_stops_the_next_write(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "a.md").write_text(_BROKEN, encoding="utf-8")
    os.link(tmp_path / "a.md", tmp_path / "b.md")
    # Process id 2**22 + 1 is above Linux's pid_max: no such process runs.
    backup = tmp_path / ".a.md.4194305.x1y2.mdlint-backup"
    backup.write_text("old", encoding="utf-8")
    result = run_cli("--offline", "--fix", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "a.md: error: an interrupted fix left its backup .a.md.4194305.x1y2.mdlint-backup; compare, remove it; "
        "not written"
    ]
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == _BROKEN
    assert backup.exists()


def test_mode_is_kept(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "a.md").write_text(_BROKEN, encoding="utf-8")
    (tmp_path / "a.md").chmod(0o640)
    result = run_cli("--offline", "--fix", "a.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((tmp_path / "a.md").stat().st_mode) == 0o640
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == _FIXED


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away")
def test_owner_and_group_are_kept_when_run_as_root(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "a.md").write_text(_BROKEN, encoding="utf-8")
    os.chown(tmp_path / "a.md", 1234, 2345)
    result = run_cli("--offline", "--fix", "a.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    status = (tmp_path / "a.md").stat()
    assert (status.st_uid, status.st_gid, status.st_nlink) == (1234, 2345, 1)
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == _FIXED
