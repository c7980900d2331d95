"""Where a file's front matter is: YAML between `---` lines or TOML between `+++` lines, at the top."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mdlint.source.lines import LineIndex

__all__ = ["FrontMatter", "find_front_matter", "front_matter_text"]

_FENCES = {"---": ("yaml", ("---", "...")), "+++": ("toml", ("+++",))}


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


def find_front_matter(lines: Sequence[str], line_starts: Sequence[int], text_length: int) -> FrontMatter | None:
    """The front-matter block that opens the text, if any (fence lines may carry trailing blanks)."""
    if len(lines) < 2:
        return None
    opener = lines[0].rstrip()
    if opener not in _FENCES:
        return None
    kind, closers = _FENCES[opener]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in closers:
            end = line_starts[index + 1] if index + 1 < len(line_starts) else text_length
            return FrontMatter(
                kind=kind,
                start=0,
                end=end,
                content_start=line_starts[1],
                content_end=line_starts[index],
                open_line=1,
                close_line=index + 1,
            )
    return None


def front_matter_text(text: str) -> tuple[str, str] | None:
    """(kind, content) of the front-matter block that opens `text`, or None.

    For readers that need only the fields of many files (a site's URL map), not a `SourceText`.
    """
    index = LineIndex(text)
    block = find_front_matter(index.lines, index.starts, index.text_length)
    return None if block is None else (block.kind, block.content(text))
