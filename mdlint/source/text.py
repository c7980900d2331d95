"""One decoded file: its text, lines and front-matter block, and nothing that needs a parser."""

from __future__ import annotations

import hashlib
import zlib
from functools import cached_property
from pathlib import Path
from typing import Self

from mdlint.source.decoding import UnreadableFileError, read_text
from mdlint.source.front_matter_block import FrontMatter, find_front_matter
from mdlint.source.lines import LINE_BREAK, LineIndex

__all__ = ["SourceText"]


class SourceText:
    """A decoded file as it is on disk: BOM removed, line endings kept.

    All offsets in nodes, findings and edits are code-point offsets into `text`.
    """

    def __init__(self, path: str, text: str, *, encoding: str = "utf-8", bom: bool = False) -> None:
        self.path = path
        self._text: str | None = text
        # The text compressed by `pack`, while `_text` is None.
        self._packed: bytes | None = None
        # The file `release` left the text in, while `_text` and `_packed` are None.
        self._released_to: Path | None = None
        self.encoding = encoding
        self.bom = bom
        self._line_index: LineIndex | None = None

    @classmethod
    def unread(cls, path: str, source: Path, *, digest: str, encoding: str, bom: bool) -> Self:
        """A file known from an earlier run (its digest, encoding and BOM) and not read now: as if
        read and then released to `source`, it reads the file when its text is first needed."""
        document = cls(path, "", encoding=encoding, bom=bom)
        document._text = None
        document._released_to = source
        document.__dict__["digest"] = digest  # what `cached_property` would hold
        return document

    @property
    def text(self) -> str:
        """The decoded text (BOM removed, line endings kept)."""
        if self._text is None:
            if self._packed is not None:
                self._text = zlib.decompress(self._packed).decode("utf-8", "surrogatepass")
                self._packed = None
            else:
                assert self._released_to is not None
                self._text = _read_again(self._released_to)
                self._released_to = None
                # Changed on disk since it was read: the digest says so, and callers that keyed
                # anything on the old digest (the result cache) can tell.
                self.__dict__.pop("digest", None)
        return self._text

    def pack(self) -> None:
        """Hold the text compressed until it is next read, and drop everything derived from it.

        A run keeps every document until its run-level checks are done, though most are not
        read again; compressed, 500 copies of a 60 KB archive take ~8 MB instead of ~75 MB.
        """
        if self._text is not None:
            self.forget_derived()
            self._packed = zlib.compress(self._text.encode("utf-8", "surrogatepass"), 1)
            self._text = None

    def release(self, source: Path) -> None:
        """Drop the text, to be read again from `source` (the file it was read from) if asked for.

        Cheaper than `pack` for the many documents a run does not read again (results from the
        cache, or from workers): nothing is compressed and nothing is held. For runs that write
        nothing: a file changed on disk meanwhile comes back changed, with the digest of what was read.
        """
        if self._text is not None:
            _ = self.digest
            self.forget_derived()
            self._released_to = source
            self._text = None

    def forget_derived(self) -> None:
        """Drop what was computed from the text; it is computed again when next asked for."""
        self._line_index = None

    @cached_property
    def digest(self) -> str:
        """A hash of the text, encoding and BOM: equal digests mean the same document."""
        data = self.text.encode("utf-8", "surrogatepass")
        return hashlib.sha256(data).hexdigest() + f":{self.encoding}:{int(self.bom)}"

    @property
    def line_index(self) -> LineIndex:
        """Line starts and lines, built on first use."""
        if self._line_index is None:
            self._line_index = LineIndex(self.text)
        return self._line_index

    @property
    def line_starts(self) -> list[int]:
        """Offset of the first character of each line (index 0 is line 1)."""
        return self.line_index.starts

    @property
    def lines(self) -> list[str]:
        """The lines without their line breaks."""
        return self.line_index.lines

    @cached_property
    def newline(self) -> str:
        """The file's line break, for edits that add lines."""
        m = LINE_BREAK.search(self.text)
        return m.group(0) if m else "\n"

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a code-point offset; columns count code points."""
        return self.line_index.position(offset)

    def offset(self, line: int, column: int) -> int:
        """The code-point offset of a 1-based (line, column)."""
        return self.line_index.offset(line, column)

    def line_end(self, line: int) -> int:
        """Offset just past the last character of a 1-based line, before its line break."""
        return self.line_index.line_end(line)

    @cached_property
    def front_matter(self) -> FrontMatter | None:
        """The front-matter block, when the file starts with one."""
        index = self.line_index
        return find_front_matter(index.lines, index.starts, index.text_length)

    @cached_property
    def body_start(self) -> int:
        """Offset where the Markdown body starts (after any front matter)."""
        front_matter = self.front_matter
        return front_matter.end if front_matter else 0


def _read_again(source: Path) -> str:
    try:
        text, _encoding, _bom = read_text(source, max_bytes=2**62)
    except UnreadableFileError:
        # Gone or unreadable since the run read it: its findings stand, shown without its text.
        return ""
    return text
