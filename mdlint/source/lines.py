"""Lines of a text and the translation between code-point offsets and 1-based line and column."""

from __future__ import annotations

import bisect
import re

__all__ = ["LINE_BREAK", "LineIndex"]

LINE_BREAK = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Where each line of a text starts; CRLF, CR and LF all end a line."""

    __slots__ = ("lines", "starts", "text_length")

    def __init__(self, text: str) -> None:
        starts = [0]
        starts.extend(m.end() for m in LINE_BREAK.finditer(text))
        self.starts: list[int] = starts
        self.lines: list[str] = LINE_BREAK.split(text)
        self.text_length = len(text)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a code-point offset; columns count code points."""
        offset = max(0, min(offset, self.text_length))
        index = bisect.bisect_right(self.starts, offset) - 1
        # An offset that falls between "\r" and "\n" belongs to the end of its line.
        return index + 1, min(offset - self.starts[index], len(self.lines[index])) + 1

    def offset(self, line: int, column: int) -> int:
        """The code-point offset of a 1-based (line, column)."""
        return self.starts[line - 1] + column - 1

    def line_end(self, line: int) -> int:
        """Offset just past the last character of a 1-based line, before its line break."""
        return self.starts[line - 1] + len(self.lines[line - 1])
