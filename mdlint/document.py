"""Reading a Markdown file into a `Document`: decoding, lines, front matter, the parsed tree."""

from __future__ import annotations

import bisect
import codecs
import hashlib
import re
import zlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from mdlint.syntax_tree import Node

__all__ = [
    "DEFAULT_MAX_FILE_BYTES",
    "Document",
    "FrontMatter",
    "UnreadableFileError",
    "decode",
    "read_document",
]

DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024
T = TypeVar("T")

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FRONT_MATTER_FENCES = {"---": ("yaml", ("---", "...")), "+++": ("toml", ("+++",))}


class UnreadableFileError(Exception):
    """The file cannot be linted; the message is one line saying why."""


def decode(data: bytes) -> tuple[str, str, bool]:
    """Decode file bytes; return (text without BOM, encoding name, whether a BOM was there).

    UTF-8 is read with or without a BOM, UTF-16 and UTF-32 only with one: without a BOM they
    cannot be told from binary data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise UnreadableFileError(f"not valid {encoding.upper()} at byte {error.start + len(bom)}") from None
            _refuse_binary(text)
            return text, encoding, True
    nul = data.find(b"\x00")
    if nul != -1:
        raise UnreadableFileError(f"binary file (NUL byte at byte {nul})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UnreadableFileError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at line {line}); "
            "save the file as UTF-8, or as UTF-16/UTF-32 with a BOM"
        ) from None
    return text, "utf-8", False


def _refuse_binary(text: str) -> None:
    nul = text.find("\x00")
    if nul != -1:
        raise UnreadableFileError(f"binary file (NUL character at offset {nul})")


def read_document(path: Path, display_path: str | None = None, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Document:
    """Read and decode one file; raise `UnreadableFileError` with a one-line reason."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnreadableFileError(
                f"file is {size / 1048576:.1f} MiB, over the {max_bytes / 1048576:g} MiB limit (option max-file-size)"
            )
        data = path.read_bytes()
    except UnreadableFileError:
        raise
    except IsADirectoryError:
        raise UnreadableFileError("is a directory") from None
    except OSError as error:
        raise UnreadableFileError(error.strerror or str(error)) from None
    if len(data) > max_bytes:
        raise UnreadableFileError(f"file is over the {max_bytes / 1048576:g} MiB limit (option max-file-size)")
    text, encoding, bom = decode(data)
    return Document(display_path if display_path is not None else str(path), text, encoding=encoding, bom=bom)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """A front-matter block at the top of a file: YAML between `---` or TOML between `+++`."""

    kind: str  # "yaml" or "toml"
    start: int  # offset of the opening fence
    end: int  # offset just past the closing fence's line break
    content_start: int  # offset of the first character after the opening fence's line
    content_end: int  # offset of the closing fence
    open_line: int  # 1-based line of the opening fence
    close_line: int  # 1-based line of the closing fence

    def content(self, text: str) -> str:
        return text[self.content_start : self.content_end]


class Document:
    """One decoded Markdown file and everything rules need to know about it.

    `text` is the file exactly as decoded (BOM removed, line endings kept); all offsets in
    nodes, findings and edits are code-point offsets into it.
    """

    def __init__(self, path: str, text: str, *, encoding: str = "utf-8", bom: bool = False) -> None:
        self.path = path
        self._text: str | None = text
        # The text compressed by `pack`, while `_text` is None.
        self._packed: bytes | None = None
        self.encoding = encoding
        self.bom = bom
        self._memo: dict[Hashable, Any] = {}

    @property
    def text(self) -> str:
        """The decoded text (BOM removed, line endings kept)."""
        if self._text is None:
            assert self._packed is not None
            self._text = zlib.decompress(self._packed).decode("utf-8", "surrogatepass")
            self._packed = None
        return self._text

    def pack(self) -> None:
        """Hold the text compressed until it is next read, and drop everything derived from it.

        A run keeps every document until its run-level checks are done, though most are not
        read again; compressed, 500 copies of a 60 KB archive take ~8 MB instead of ~75 MB.
        """
        if self._text is not None:
            self.forget_parse()
            self._packed = zlib.compress(self._text.encode("utf-8", "surrogatepass"), 1)
            self._text = None

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Compute a fact about this document once (e.g. a model several rules share) and keep it.

        Kept with the document rather than the run, so it goes when the document goes, and
        `forget_parse` drops it with the tree it may point into.
        """
        if key not in self._memo:
            self._memo[key] = compute()
        value: T = self._memo[key]
        return value

    @cached_property
    def digest(self) -> str:
        """A hash of the text, encoding and BOM: equal digests mean the same document."""
        data = self.text.encode("utf-8", "surrogatepass")
        return hashlib.sha256(data).hexdigest() + f":{self.encoding}:{int(self.bom)}"

    @cached_property
    def line_starts(self) -> list[int]:
        """Offset of the first character of each line (index 0 is line 1)."""
        starts = [0]
        starts.extend(m.end() for m in _LINE_BREAK.finditer(self.text))
        return starts

    @cached_property
    def lines(self) -> list[str]:
        """The lines without their line breaks."""
        return _LINE_BREAK.split(self.text)

    @cached_property
    def newline(self) -> str:
        """The file's line break, for edits that add lines."""
        m = _LINE_BREAK.search(self.text)
        return m.group(0) if m else "\n"

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a code-point offset; columns count code points."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self.line_starts, offset) - 1
        # An offset that falls between "\r" and "\n" belongs to the end of its line.
        return index + 1, min(offset - self.line_starts[index], len(self.lines[index])) + 1

    def offset(self, line: int, column: int) -> int:
        """The code-point offset of a 1-based (line, column)."""
        return self.line_starts[line - 1] + column - 1

    def line_end(self, line: int) -> int:
        """Offset just past the last character of a 1-based line, before its line break."""
        return self.line_starts[line - 1] + len(self.lines[line - 1])

    @cached_property
    def front_matter(self) -> FrontMatter | None:
        """The front-matter block, when the file starts with one."""
        lines = self.lines
        if not lines:
            return None
        opener = lines[0].rstrip()
        if opener not in _FRONT_MATTER_FENCES or len(lines) < 2:
            return None
        kind, closers = _FRONT_MATTER_FENCES[opener]
        for index in range(1, len(lines)):
            if lines[index].rstrip() in closers:
                close_start = self.line_starts[index]
                end = self.line_starts[index + 1] if index + 1 < len(self.line_starts) else len(self.text)
                return FrontMatter(
                    kind=kind,
                    start=0,
                    end=end,
                    content_start=self.line_starts[1],
                    content_end=close_start,
                    open_line=1,
                    close_line=index + 1,
                )
        return None

    @cached_property
    def body_start(self) -> int:
        """Offset where the Markdown body starts (after any front matter)."""
        front_matter = self.front_matter
        return front_matter.end if front_matter else 0

    @cached_property
    def root(self) -> Node:
        """The parsed Markdown body; parsed once, on first use, and shared by all rules."""
        from mdlint.markdown_parser import parse_document

        return parse_document(self)

    def forget_parse(self) -> None:
        """Drop the parsed tree and what was derived from it; the next use parses again.

        A run keeps every document's text until its run-level checks are done, but not the
        trees: they are many times the size of the text.
        """
        for name in ("root", "_nodes_by_type", "code_ranges", "lines", "line_starts"):
            self.__dict__.pop(name, None)
        self._memo.clear()

    @cached_property
    def _nodes_by_type(self) -> dict[str, list[Node]]:
        index: dict[str, list[Node]] = {}
        for node in self.root.walk():
            index.setdefault(node.type, []).append(node)
        return index

    def nodes(self, *types: str) -> list[Node]:
        """All nodes of these types in source order; one shared index, built on first use.

        Rules ask for their node types here rather than each walking the whole tree.
        """
        index = self._nodes_by_type
        if len(types) == 1:
            return index.get(types[0], [])
        found = [node for kind in types for node in index.get(kind, [])]
        found.sort(key=lambda node: (node.start, -node.end))
        return found

    @cached_property
    def code_ranges(self) -> list[tuple[int, int]]:
        """Sorted (start, end) offsets of code spans and code blocks, where rules leave text alone."""
        ranges = [(node.start, node.end) for node in self.nodes("codespan", "block_code")]
        ranges.sort()
        return ranges

    def in_code(self, offset: int) -> bool:
        """Whether an offset lies inside a code span or code block."""
        ranges = self.code_ranges
        index = bisect.bisect_right(ranges, (offset, len(self.text) + 1)) - 1
        return index >= 0 and ranges[index][0] <= offset < ranges[index][1]
