"""The parsed Markdown tree every rule walks: mistune's token types, with exact positions."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, TypedDict, get_args

__all__ = ["BLOCK_TYPES", "NODE_TYPES", "Node", "NodeAttrs", "NodeType", "check_node_types"]

# Every kind of node the parser builds. Closed, so that a misspelt kind in `Document.nodes()` or
# `Node.walk()` is a type error rather than a query that silently finds nothing.
BlockType = Literal[
    "document",
    "paragraph",
    # A list item's paragraph when the list is tight.
    "block_text",
    "heading",
    "list",
    "list_item",
    "block_quote",
    "block_code",
    "block_html",
    "thematic_break",
    "table",
    "table_head",
    "table_body",
    "table_row",
    "table_cell",
    # `[label]: destination` lines, which mistune keeps out of its tree.
    "link_definition",
]
InlineType = Literal[
    "text",
    "emphasis",
    "strong",
    "strikethrough",
    "codespan",
    "link",
    "image",
    "inline_html",
    "softbreak",
    "linebreak",
]
NodeType = Literal[BlockType, InlineType]

NODE_TYPES: frozenset[NodeType] = frozenset(get_args(NodeType))


class NodeAttrs(TypedDict, total=False):
    """Every attribute a node may carry; which kinds carry which is noted on each key.

    Keys are present only where the parser found them (e.g. `title` only on a titled link), so
    rules read them with `.get()` or test `in` first.
    """

    # heading: 1 to 6.
    level: int
    # heading: `# atx` or underlined `setext`.
    style: Literal["atx", "setext"]
    # list: nesting depth, 0 for a top-level list.
    depth: int
    # list: numbered rather than bulleted.
    ordered: bool
    # list: the first number of an ordered list, when it is not 1.
    start: int
    # list: no blank line between items (items hold `block_text`, not `paragraph`).
    tight: bool
    # list: the marker as written (`-`, `*`, `+`, `.` or `)`).
    bullet: str
    # block_code: the fence's info string (`python`); absent on indented code.
    info: str
    # table_cell: column alignment from the delimiter row, None when unspecified.
    align: Literal["left", "right", "center"] | None
    # table_cell: in the header row.
    head: bool
    # link, image, link_definition: the resolved, unescaped URL.
    url: str
    # link, image: the title; None or absent when none is written.
    title: str | None
    # link, image: the label of a reference link (`[text][label]`, `[label][]`, `[label]`).
    reference: str
    # link_definition: the label as written.
    label: str
    # link_definition: a later definition of an already defined label, which has no effect.
    duplicate: bool
    # link, image (inline form only), link_definition: the destination exactly as written, and
    # its offsets in `Document.text`.
    destination: str
    destination_start: int
    destination_end: int
    # link, image (inline form only): offset of the `]` closing the link text.
    text_end: int


def check_node_types(types: tuple[str, ...]) -> None:
    """Reject a kind no node has; mypy catches literals, this catches computed or untyped ones."""
    for kind in types:
        if kind not in NODE_TYPES:
            raise ValueError(f"unknown node type {kind!r}; known: {', '.join(sorted(NODE_TYPES))}")


@dataclass(slots=True, eq=False, weakref_slot=True)
class Node:
    """One block or inline element.

    `start` and `end` are code-point offsets into `Document.text` (the decoded file as it is,
    CRLF kept, BOM removed); `Document.position()` turns them into 1-based line and column.
    `type` uses mistune's names (see `NodeType`) plus `link_definition` for
    `[label]: destination` lines, which mistune keeps out of its tree.
    """

    type: NodeType
    start: int
    end: int
    attrs: NodeAttrs = field(default_factory=lambda: NodeAttrs())
    children: list[Node] = field(default_factory=list)
    # Code and HTML content, or the text of a text node, as mistune gives it.
    raw: str = ""
    # A weak reference, so that a tree has no reference cycles and is freed by reference
    # counting the moment its document drops it: cyclic garbage collection over millions of
    # nodes cost a third of a large run. Whoever keeps a node keeps its document (and so the
    # root) alive; `parent` is None once the enclosing tree is gone.
    _parent_ref: weakref.ref[Node] | None = field(default=None, init=False, repr=False)

    @property
    def parent(self) -> Node | None:
        """The enclosing node, None for the root."""
        ref = self._parent_ref
        return None if ref is None else ref()

    @parent.setter
    def parent(self, node: Node | None) -> None:
        self._parent_ref = None if node is None else weakref.ref(node)

    def walk(self, *types: NodeType) -> Iterator[Node]:
        """This node and all its descendants in source order, optionally only of `types`."""
        # Checked here, not in the generator, so that a wrong kind fails at the call.
        check_node_types(types)
        return self._walk(types)

    def _walk(self, types: tuple[NodeType, ...]) -> Iterator[Node]:
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


BLOCK_TYPES: frozenset[NodeType] = frozenset(get_args(BlockType))

# The blocks whose children are inline text (the leaves of the block tree): rules that read
# sentences, and fix verification that compares them, must agree on which these are.
INLINE_TEXT_BLOCKS: tuple[NodeType, ...] = ("paragraph", "block_text", "heading", "table_cell")
