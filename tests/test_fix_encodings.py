"""`--fix` writes the file back as it was: same codec, BOM kept, same line endings, lines added included."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tests.conftest import RunCli

_BEFORE = "# Notes\n\nSee [paper](arxiv.org/abs/1) and\u00a0more.\n<div>\n- swallowed\n</div>\n"
_AFTER = "# Notes\n\nSee [paper](https://arxiv.org/abs/1) and more.\n<div>\n\n- swallowed\n</div>\n"
_BOMS = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
}


@pytest.mark.parametrize(
    ("encoding", "bom", "newline"),
    [
        ("utf-8", False, "\n"),
        ("utf-8", False, "\r\n"),
        ("utf-8", False, "\r"),
        ("utf-8", True, "\r\n"),
        ("utf-16-le", True, "\n"),
        ("utf-16-be", True, "\r\n"),
        ("utf-32-le", True, "\n"),
    ],
)
def test_fix_keeps_codec_bom_and_line_endings(
    encoding: str, bom: bool, newline: str, tmp_path: Path, run_cli: RunCli
) -> None:
    def as_bytes(text: str) -> bytes:
        return (_BOMS[encoding] if bom else b"") + text.replace("\n", newline).encode(encoding)

    page = tmp_path / "page.md"
    page.write_bytes(as_bytes(_BEFORE))
    result = run_cli(
        "--offline",
        "--fix",
        "--select",
        "link-missing-scheme,text-invisible-char,html-block-swallows-markdown",
        "page.md",
        cwd=tmp_path,
    )
    assert result.stderr == ""
    assert result.returncode == 0
    assert page.read_bytes() == as_bytes(_AFTER)
    assert [path.name for path in tmp_path.iterdir()] == ["page.md"]
