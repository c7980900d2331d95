"""link-malformed: links that are broken by their own syntax.

Two URLs run together (`[o3](https://youtube…](https://arcprize…))`), whitespace inside a
destination, a space between `]` and `(`, empty link text or an empty destination. The first
is still a link for CommonMark, with a nonsense destination; the others are not links at all,
so the reader sees brackets and a URL as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mdlint.findings import Finding
from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import INLINE_TEXT_BLOCKS, Node, NodeType
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]

_MASKED: tuple[NodeType, ...] = ("codespan", "link", "image", "inline_html")
_SPACE_BEFORE_PAREN = re.compile(
    r"\[(?P<text>[^\[\]\n]+)\][ \t]+\((?P<dest>(?:[a-z][a-z0-9+.-]*://|www\.|\.{0,2}/)[^()\s]*)\)", re.I
)
_SPACE_IN_DESTINATION = re.compile(r"\[(?P<text>[^\[\]\n]*)\]\((?P<dest>[^()\n]*)\)")
# Liquid or a Hugo shortcode: the generator turns it into a URL before Markdown sees the text.
_TEMPLATE = re.compile(r"\{\{|\{%")
_TITLE = re.compile(r"""^\S+\s+(?:"[^"]*"|'[^']*'|\([^)]*\))\s*$""")


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _masked_source(document: Document, block: Node) -> str:
    chars = list(document.text[block.start : block.end])
    for node in block.walk(*_MASKED):
        if node.type == "link" and not document.text.startswith("[", node.start):
            continue  # a bare URL is part of the text these patterns look at
        for offset in range(max(node.start, block.start), min(node.end, block.end)):
            chars[offset - block.start] = " "
    return "".join(chars)


def _text_patterns(document: Document, block: Node, context: RuleContext[RuleOptions]) -> Iterator[Finding]:
    written = document.text[block.start : block.end]
    if "[" not in written or "(" not in written:
        return  # both patterns need both, and masking only blanks characters out
    source = _masked_source(document, block)
    if "[" not in source:
        return
    for match in _SPACE_BEFORE_PAREN.finditer(source):
        start = block.start + match.start()
        yield context.finding(
            start,
            block.start + match.end(),
            f"space between ] and ( — not a link: [{_short(match.group('text'))}] ({_short(match.group('dest'))})",
        )
    for match in _SPACE_IN_DESTINATION.finditer(source):
        destination = match.group("dest").strip()
        if not re.search(r"\s", destination) or _TITLE.match(destination) or _TEMPLATE.search(destination):
            continue
        yield context.finding(
            block.start + match.start(),
            block.start + match.end(),
            f"whitespace in link destination — not a link: ({_short(destination)}); write %20 or use <…>",
        )


def check(document: Document, context: RuleContext[RuleOptions]) -> Iterator[Finding]:
    for node in document.nodes("link", "image", *INLINE_TEXT_BLOCKS):
        if node.type in INLINE_TEXT_BLOCKS:
            if not any(child.type in INLINE_TEXT_BLOCKS for child in node.children):
                yield from _text_patterns(document, node, context)
            continue
        destination = node.attrs.get("destination")
        if destination is not None and "](" in destination:
            yield context.finding(
                node.start,
                node.end,
                f"two URLs run together in one destination: ({_short(destination, 120)})",
            )
        elif destination is not None and destination.strip("<>") == "":
            yield context.finding(node.start, node.end, "link destination is empty")
        if node.type == "link" and not _has_text(node) and destination is not None:
            yield context.finding(node.start, node.end, "link text is empty")


def _has_text(node: Node) -> bool:
    return any(child.type != "text" or child.raw.strip() for child in node.children)


RULE = Rule(
    code="MDL003",
    name="link-malformed",
    summary="Links broken by their own syntax: doubled URLs, spaces, empty text or destination",
    check=check,
)
