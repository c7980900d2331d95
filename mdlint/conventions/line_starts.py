"""How a line of text starts, when it starts like something written one per line.

A line that opens with an arrow or a bullet-like character (`→ …`, `• …`), an emoji (`📜: …`) or
a short `key: value` was written as a line of its own. Rules that find such lines joined to
others (a paragraph without line breaks, a lazy continuation of a list item) share this reading.
"""

from __future__ import annotations

import re
from typing import Literal

from mdlint.conventions.icons import leading_icon

__all__ = ["BULLET_LIKE", "LineStart", "line_start"]

LineStart = Literal["emoji", "key", "bullet"]

# Characters writers put before a line to mark it (not Markdown list markers, which make lists).
BULLET_LIKE = frozenset("•·→➜➔➡▶►▸▪◦‣⁃✓✔✗✘☐☑※")
# `key: value`, `**Key**: value`: a short key, a colon, a space and a value (so `https://` is no key).
# Neither a footnote definition (`[^1]: …`, a block of its own however many follow) nor an HTML
# tag's attribute (`<span style="color: red">`) is a key.
_KEY = re.compile(
    r"(?!\[\^)(?:\*\*[^*\r\n]{1,40}\*\*|__[^_\r\n]{1,40}__|[^\s:：*_<][^:：<>=\"\r\n]{0,39}?)[ \t]*[:：][ \t]+(?=\S)"
)


def line_start(text: str, start: int, end: int) -> tuple[LineStart, int] | None:
    """How `text[start:end]` starts, and where the rest begins (after the mark, icon or key); None: plainly."""
    if start >= end:
        return None
    first = text[start]
    if first in BULLET_LIKE:
        if text[start + 1 : start + 2] in (" ", "\t"):
            return "bullet", start + 1
        return None
    if ord(first) > 0x7F:
        icon = leading_icon(text, start, end)
        if icon is not None and icon.presents_as_emoji:
            return "emoji", icon.end
    key = _KEY.match(text, start, end)
    if key is not None:
        return "key", key.end()
    return None
