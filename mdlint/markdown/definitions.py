"""Link reference definitions read as cmark-gfm (GitHub's renderer) reads them.

CommonMark has no definition block: a definition is taken from the start of a paragraph once
the paragraph is complete, and as many follow as the paragraph's text still starts with. So a
line that looks like one is paragraph text after other text (lazy or not), an indented line
after one continues the paragraph, and a title may not reach into a line that starts a block
of its own (the paragraph ended before it). `definition_at` is cmark's reference scanner
(`cmark_parse_reference_inline`), run on a paragraph's text.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

__all__ = ["Definition", "definition_at"]

# cmark's whitespace: the label is trimmed of it, a raw destination ends at it.
_SPACE = " \t\n\v\f\r"
_PUNCTUATION = frozenset(string.punctuation)
_MAX_LABEL = 999
_MAX_PARENTHESES = 32
_TITLE_CLOSERS = {'"': '"', "'": "'", "(": ")"}


@dataclass(frozen=True, slots=True)
class Definition:
    """One definition found in a paragraph's text; offsets are into that text."""

    label: str
    destination_start: int
    destination_end: int
    title: str | None
    end: int  # after the line break that ends it (or the text's end)


def definition_at(text: str, position: int, end: int, indent: int = 3) -> Definition | None:
    """The definition that `text[position:end]` starts with (up to `indent` spaces before it), or None."""
    lead = position
    while lead < end and lead - position < indent and text[lead] in " \t":
        lead += 1
    label_end = _label_end(text, lead, end)
    if label_end is None or label_end + 1 >= end or text[label_end + 1] != ":":
        return None
    label = text[lead + 1 : label_end]
    if not label.strip(_SPACE):
        return None
    start = _after_spaces_and_one_line_break(text, label_end + 2, end)
    destination = _destination(text, start, end)
    if destination is None:
        return None
    before_title = destination
    title_start = _after_spaces_and_one_line_break(text, before_title, end)
    title_end = _title_end(text, title_start, end) if title_start > before_title else None
    if title_end is not None:
        line_end = _line_end(text, title_end, end)
        if line_end is not None:
            return Definition(label, start, destination, text[title_start + 1 : title_end - 1], line_end)
    line_end = _line_end(text, before_title, end)
    if line_end is None:
        return None
    return Definition(label, start, destination, None, line_end)


def _label_end(text: str, position: int, end: int) -> int | None:
    """The offset of the `]` closing the label opened at `position`, or None."""
    if position >= end or text[position] != "[":
        return None
    index = position + 1
    while index < end:
        char = text[index]
        if char == "[":
            return None
        if char == "]":
            return index
        if char == "\\" and index + 1 < end and text[index + 1] in _PUNCTUATION:
            index += 1
        index += 1
        if index - position - 1 > _MAX_LABEL:
            return None
    return None


def _after_spaces_and_one_line_break(text: str, position: int, end: int) -> int:
    while position < end and text[position] in " \t":
        position += 1
    if position < end and text[position] == "\n":
        position += 1
        while position < end and text[position] in " \t":
            position += 1
    return position


def _destination(text: str, position: int, end: int) -> int | None:
    """The end of the destination starting at `position`, or None when there is none."""
    if position < end and text[position] == "<":
        index = position + 1
        while index < end:
            char = text[index]
            if char == ">":
                return index + 1
            if char in "\n<":
                return None
            index += 2 if char == "\\" and index + 1 < end and text[index + 1] in _PUNCTUATION else 1
        return None
    index = position
    depth = 0
    while index < end:
        char = text[index]
        if char == "\\" and index + 1 < end and text[index + 1] in _PUNCTUATION:
            index += 2
            continue
        if char == "(":
            depth += 1
            if depth > _MAX_PARENTHESES:
                return None
        elif char == ")":
            # An unmatched `)` ends the destination; an unclosed `(` does not matter (cmark-gfm).
            if depth == 0:
                break
            depth -= 1
        elif char in _SPACE:
            break
        index += 1
    if index == position or index >= end:
        return None
    return index


def _title_end(text: str, position: int, end: int) -> int | None:
    """The end of the title starting at `position` (after its closing quote), or None."""
    if position >= end or text[position] not in _TITLE_CLOSERS:
        return None
    closer = _TITLE_CLOSERS[text[position]]
    index = position + 1
    while index < end:
        char = text[index]
        if char == "\\" and index + 1 < end and text[index + 1] in _PUNCTUATION:
            index += 2
            continue
        if char == closer:
            return index + 1
        if char == "\x00" or (closer == ")" and char == "("):
            return None
        index += 1
    return None


def _line_end(text: str, position: int, end: int) -> int | None:
    """After the spaces and line break at `position`, or None when something else follows."""
    while position < end and text[position] in " \t":
        position += 1
    if position >= end:
        return position
    if text[position] == "\n":
        return position + 1
    return None
