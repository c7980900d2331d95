"""The parsed Markdown tree every rule walks: mistune's token types, with exact positions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Node"]


@dataclass(slots=True, eq=False)
class Node:
    """One block or inline element.

    `start` and `end` are code-point offsets into `Document.text` (the decoded file as it is,
    CRLF kept, BOM removed); `Document.position()` turns them into 1-based line and column.
    `type` uses mistune's names (`paragraph`, `heading`, `list`, `list_item`, `block_quote`,
    `block_code`, `block_html`, `thematic_break`, `table`, `link`, `image`, `codespan`,
    `inline_html`, `text`, `emphasis`, `strong`, …) plus `link_definition` for
    `[label]: destination` lines, which mistune keeps out of its tree.
    """

    type: str
    start: int
    end: int
    attrs: dict[str, Any] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    # Code and HTML content, or the text of a text node, as mistune gives it.
    raw: str = ""
    parent: Node | None = field(default=None, repr=False)

    def walk(self, *types: str) -> Iterator[Node]:
        """This node and all its descendants in source order, optionally only of `types`."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            if not types or node.type in types:
                yield node
            stack.extend(reversed(node.children))

    def ancestors(self) -> Iterator[Node]:
        """The enclosing nodes, innermost first."""
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def is_block(self) -> bool:
        return self.type in BLOCK_TYPES


BLOCK_TYPES = frozenset(
    {
        "document",
        "paragraph",
        "block_text",
        "heading",
        "list",
        "list_item",
        "block_quote",
        "block_code",
        "block_html",
        "thematic_break",
        "blank_line",
        "table",
        "table_head",
        "table_body",
        "table_row",
        "table_cell",
        "link_definition",
    }
)

# The blocks whose children are inline text (the leaves of the block tree): rules that read
# sentences, and fix verification that compares them, must agree on which these are.
INLINE_TEXT_BLOCKS = ("paragraph", "block_text", "heading", "table_cell")
