"""Fixes: edits on the original text, never inside code, whole or not at all, atomic writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mdlint.findings import Edit, Finding, Fix, Severity
from mdlint.fixing.edits import FileChangedError, apply_edits, encode, write_atomically
from mdlint.markdown.document import Document


def _finding(fix: Fix, line: int = 1) -> Finding:
    return Finding("a.md", line, 1, line, 2, "rule", "MDL000", Severity.ERROR, "m", fix)


def test_edits_apply_in_one_pass_and_overlaps_wait() -> None:
    document = Document("a.md", "abcdef\n")
    fixes = [
        (_finding(Fix.replace(0, 1, "A")), (Edit(0, 1, "A"),)),
        (_finding(Fix.replace(0, 2, "XY")), (Edit(0, 2, "XY"),)),
        (_finding(Fix.replace(4, 4, "-")), (Edit(4, 4, "-"),)),
    ]
    outcome = apply_edits(document, fixes)
    assert outcome.text == "Abcd-ef\n"
    assert (outcome.applied, outcome.deferred) == (2, 1)


def test_no_edit_inside_code() -> None:
    document = Document("a.md", "x `code` y\n")
    start = document.text.index("code")
    outcome = apply_edits(document, [(_finding(Fix.replace(start, start + 4, "C")), (Edit(start, start + 4, "C"),))])
    assert outcome.text == document.text
    assert outcome.deferred == 1


def test_encode_keeps_bom_and_codec() -> None:
    assert encode("a", "utf-16-le", True) == b"\xff\xfea\x00"
    assert encode("a", "utf-8", True) == b"\xef\xbb\xbfa"


def test_write_is_atomic_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o640)
    write_atomically(path, b"new\n", b"old\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_a_file_changed_since_reading_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"someone else's edit\n")
    with pytest.raises(FileChangedError):
        write_atomically(path, b"new\n", b"old\n")
    assert path.read_bytes() == b"someone else's edit\n"
