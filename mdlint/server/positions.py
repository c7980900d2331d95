"""Positions in the editor's units: LSP counts UTF-16 code units by default, mdlint code points.

The client and server agree on the unit at `initialize` (`utf-16`, `utf-8` or `utf-32`); lines are
the same on both sides (CRLF, CR and LF each end one), only columns differ. An editor may keep a
byte-order mark as the buffer's first character, which mdlint's text does not have: offsets and
columns here are mdlint's, positions the buffer's.
"""

from __future__ import annotations

from mdlint.findings import Finding
from mdlint.source.lines import LineIndex

__all__ = ["UTF8", "UTF16", "UTF32", "PositionMap"]

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"


def _units(character: str, encoding: str) -> int:
    point = ord(character)
    if encoding == UTF32:
        return 1
    if encoding == UTF8:
        return 1 if point < 0x80 else 2 if point < 0x800 else 3 if point < 0x10000 else 4
    return 2 if point >= 0x10000 else 1


class PositionMap:
    """Translates between code-point offsets (or 1-based lines and columns) and LSP positions."""

    def __init__(self, buffer: str, encoding: str = UTF16) -> None:
        self.encoding = encoding
        self._lines = LineIndex(buffer)
        self._length = len(buffer)
        # mdlint's text is the buffer without a leading BOM.
        self._bom = 1 if buffer.startswith("\ufeff") else 0

    def _unit_column(self, line: int, column: int) -> int:
        """Code units before 0-based `column` (code points) on 0-based `line`."""
        content = self._lines.lines[line][:column]
        if self.encoding == UTF32 or content.isascii():
            return len(content)
        return sum(_units(character, self.encoding) for character in content)

    def position(self, offset: int) -> tuple[int, int]:
        """The LSP (line, character), both from 0, of a code-point offset."""
        line, column = self._lines.position(offset + self._bom)
        return line - 1, self._unit_column(line - 1, column - 1)

    def finding_range(self, finding: Finding) -> tuple[tuple[int, int], tuple[int, int]]:
        """The LSP start and end of a finding (its columns count code points, from 1)."""
        return self._from_line_column(finding.line, finding.column), self._from_line_column(
            finding.end_line, finding.end_column
        )

    def _from_line_column(self, line: int, column: int) -> tuple[int, int]:
        index = min(max(line, 1), len(self._lines.lines)) - 1
        return index, self._unit_column(index, column - 1 + (self._bom if index == 0 else 0))

    def offset(self, line: int, character: int) -> int:
        """The code-point offset of an LSP position; past the end of a line means its end.

        A position inside a character (between the two halves of a surrogate pair) counts as
        before it, so a range never splits a character.
        """
        return max(0, self._buffer_offset(line, character) - self._bom)

    def _buffer_offset(self, line: int, character: int) -> int:
        if line < 0:
            return 0
        if line >= len(self._lines.lines):
            return self._length
        content = self._lines.lines[line]
        start = self._lines.starts[line]
        if self.encoding == UTF32 or content.isascii():
            return start + min(max(character, 0), len(content))
        units = 0
        for column, code_point in enumerate(content):
            units += _units(code_point, self.encoding)
            if units > character:
                return start + column
        return start + len(content)
