"""LSP positions: columns in UTF-16 code units (or the unit agreed at initialize), mdlint's in code points."""

from __future__ import annotations

import pytest

from mdlint.findings import Finding, Severity
from mdlint.server.positions import UTF8, UTF16, UTF32, PositionMap

# Emoji of several code points (a ZWJ sequence with a skin tone), one astral emoji, Hangul.
LINE = "🧑🏻‍💻 📜 한국어 [x](y)"
TEXT = f"# 제목\r\n{LINE}\rlast\n"


def _units(text: str, encoding: str) -> int:
    if encoding == UTF16:
        return len(text.encode("utf-16-le")) // 2
    return len(text.encode("utf-8")) if encoding == UTF8 else len(text)


@pytest.mark.parametrize("encoding", [UTF16, UTF8, UTF32])
def test_every_character_boundary_round_trips(encoding: str) -> None:
    positions = PositionMap(TEXT, encoding)
    line_start = TEXT.index(LINE)
    for column in range(len(LINE) + 1):
        offset = line_start + column
        assert positions.position(offset) == (1, _units(LINE[:column], encoding))
        assert positions.offset(*positions.position(offset)) == offset


def test_utf16_counts_astral_characters_twice_and_hangul_once() -> None:
    positions = PositionMap(TEXT)
    link = TEXT.index("[x]")
    # 🧑🏻‍💻 = 4 code points, 7 units; 📜 = 2 units; 한국어 = 3; three spaces.
    assert positions.position(link) == (1, 7 + 1 + 2 + 1 + 3 + 1)
    assert link - TEXT.index(LINE) == 4 + 1 + 1 + 1 + 3 + 1


def test_a_position_inside_a_surrogate_pair_means_before_the_character() -> None:
    positions = PositionMap("📜x")
    assert positions.offset(0, 1) == 0
    assert positions.offset(0, 2) == 1


def test_lines_end_at_crlf_cr_and_lf_as_in_lsp() -> None:
    positions = PositionMap(TEXT)
    assert positions.position(TEXT.index("last")) == (2, 0)
    assert positions.offset(3, 0) == len(TEXT)
    # Past the end of a line is its end; past the last line is the end of the text.
    assert positions.offset(0, 99) == TEXT.index("\r\n")
    assert positions.offset(9, 0) == len(TEXT)


def test_a_finding_range_converts_lines_and_columns() -> None:
    column = LINE.index("[x]") + 1
    finding = Finding("a.md", 2, column, 2, column + 6, "r", "MDL999", Severity.ERROR, "m")
    start, end = PositionMap(TEXT).finding_range(finding)
    assert start == (1, _units(LINE[: column - 1], UTF16))
    assert end == (1, _units(LINE, UTF16))


def test_a_byte_order_mark_kept_in_the_buffer_shifts_only_the_first_line() -> None:
    # mdlint's text has no BOM; an editor buffer may start with one, which counts as a character.
    positions = PositionMap("\ufeff📜 a\nb")
    assert positions.position(0) == (0, 1)
    assert positions.position(1) == (0, 3)
    assert positions.offset(0, 3) == 1
    assert positions.position(4) == (1, 0)
    finding = Finding("a.md", 1, 2, 2, 1, "r", "MDL999", Severity.ERROR, "m")
    assert PositionMap("\ufeff📜 a\nb").finding_range(finding) == ((0, 3), (1, 0))
