"""Reading files: decoding by BOM, refusing what is not text, lines and positions, front matter."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from mdlint.markdown.document import Document, read_document
from mdlint.source.decoding import UnreadableFileError, decode


@pytest.mark.parametrize(
    ("data", "encoding", "bom"),
    [
        ("# 제목\n".encode(), "utf-8", False),
        (codecs.BOM_UTF8 + "# 제목\n".encode(), "utf-8", True),
        (codecs.BOM_UTF16_LE + "# 제목\n".encode("utf-16-le"), "utf-16-le", True),
        (codecs.BOM_UTF16_BE + "# 제목\n".encode("utf-16-be"), "utf-16-be", True),
        (codecs.BOM_UTF32_LE + "# 제목\n".encode("utf-32-le"), "utf-32-le", True),
    ],
)
def test_decodes_utf8_and_bom_marked_unicode(data: bytes, encoding: str, bom: bool) -> None:
    assert decode(data) == ("# 제목\n", encoding, bom)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (NUL byte at byte 8)"),
        ("café\n".encode("latin-1"), "not valid UTF-8 (byte 0xe9 at line 1)"),
        ("# hi\n".encode("utf-16-le"), "binary file (NUL byte at byte 1)"),
    ],
)
def test_refuses_what_is_not_text(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableFileError) as error:
        decode(data)
    assert str(error.value).startswith(reason)


def test_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_text("x" * 2000, encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="over the"):
        read_document(big, max_bytes=1000)
    assert read_document(big, max_bytes=4000).text == "x" * 2000


def test_positions_count_code_points_and_every_line_break() -> None:
    document = Document("a.md", "a\r\n🧑🏻‍💻 b\rc\nd")
    assert document.lines == ["a", "🧑🏻‍💻 b", "c", "d"]
    assert document.newline == "\r\n"
    offset_of_b = document.text.index("b")
    assert document.position(offset_of_b) == (2, 6)
    assert document.offset(2, 6) == offset_of_b
    assert document.position(document.text.index("d")) == (4, 1)
    assert document.line_end(1) == 1


def test_front_matter_yaml_and_toml() -> None:
    yaml_document = Document("a.md", "---\ntitle: t\ndate: 2025-11-19\n---\n# Body\n")
    front_matter = yaml_document.front_matter
    assert front_matter is not None
    assert (front_matter.kind, front_matter.open_line, front_matter.close_line) == ("yaml", 1, 4)
    assert front_matter.content(yaml_document.text) == "title: t\ndate: 2025-11-19\n"
    toml_document = Document("b.md", "+++\ntitle = 't'\n+++\nbody\n")
    assert toml_document.front_matter is not None
    assert toml_document.front_matter.kind == "toml"
    assert Document("c.md", "---\nnot closed\n").front_matter is None
    assert Document("d.md", "\n---\ntitle: t\n---\n").front_matter is None


def test_nodes_keep_file_lines_after_front_matter_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    text = "---\r\ntitle: t\r\n---\r\n\r\n# Heading\r\n\r\n- [a](https://a.example/)\r\n"
    path.write_bytes(codecs.BOM_UTF8 + text.encode())
    document = read_document(path)
    heading = next(document.root.walk("heading"))
    link = next(document.root.walk("link"))
    assert document.position(heading.start) == (5, 1)
    assert document.position(link.start) == (7, 3)
    assert document.text[link.start : link.end] == "[a](https://a.example/)"
    assert document.position(link.end) == (7, 26)


def test_in_code() -> None:
    document = Document("a.md", "x `code` y\n\n```\nblock\n```\n")
    assert document.in_code(document.text.index("code"))
    assert document.in_code(document.text.index("block"))
    assert not document.in_code(document.text.index("y"))


def test_an_offset_between_cr_and_lf_is_the_end_of_its_line() -> None:
    # Found by tests/test_hostile_input.py: a TOML error at "\r" gave a finding ending in column 10
    # of the 8-character line "title = ".
    document = Document("a.md", "+++\r\ntitle = \r\n+++")
    assert document.position(14) == (2, 9)
    assert document.position(13) == (2, 9)
