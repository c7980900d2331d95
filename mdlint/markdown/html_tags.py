"""The HTML tags written in an HTML node: one reader for every rule and for fix verification.

Each copy of a tag regular expression has been a chance to write a quadratic one; this is the
one that is linear on hostile blocks (runs of unclosed `<a ` or `<!--`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import Node

__all__ = ["html_tags"]

# No unquoted `<` in a tag (CommonMark allows none): a run of `<a <a <a …` without `>` then
# costs one scan to the next `<` per opener instead of one to the end of the block.
_TAG = re.compile(r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attributes>(?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")


def html_tags(document: Document, node: Node) -> Iterator[re.Match[str]]:
    """Tags inside an HTML node, with match offsets relative to `node.start`; comments skipped."""
    text = document.text[node.start : node.end]
    if "<!--" in text:
        text = _blank_comments(text)
    yield from _TAG.finditer(text)


def _blank_comments(text: str) -> str:
    """`text` with each complete `<!-- … -->` replaced by spaces of the same length.

    A search instead of one lazy regular expression: `<!--.*?-->` scans to the end from every
    unclosed `<!--`, quadratic on a run of them; once one has no `-->` after it, none later can.
    """
    pieces: list[str] = []
    position = 0
    while (start := text.find("<!--", position)) != -1:
        close = text.find("-->", start + 4)
        if close == -1:
            break
        end = close + 3
        pieces.append(text[position:start])
        pieces.append(" " * (end - start))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
