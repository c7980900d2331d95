"""html-block-swallows-markdown: Markdown written inside an HTML block, shown as raw text.

An HTML block (CommonMark types 6 and 7: `<details>`, `<div>`, `</summary>`, `<img …/>` alone on
a line, …) runs until the next blank line. Markdown on the lines before that blank line is not
parsed: GitHub prints `- item` or `**bold**` literally. The usual cause is a missing blank line
after `</summary>` or after an `<img>` line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mdlint.findings import HTML_BLOCK_SPLIT, Applicability, Finding, Fix
from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import Node, NodeType
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]

# HTML blocks whose content is raw on purpose (types 1 to 5) never swallow Markdown.
_RAW_BLOCK_START = re.compile(
    r"^\s*(?:<!--|<\?|<![A-Za-z]|<!\[CDATA\[|<(?:pre|script|style|textarea)(?:[\s>]|$))", re.I
)
# A cheap first look: lines without any of these characters cannot hold Markdown syntax.
_MARKDOWN_HINT = re.compile(r"[*_`\[\]!#>|~]|^\s*(?:[-+]\s|\d{1,9}[.)]\s)|https?://")
_REACHES_OUTSIDE = re.compile(r"^[ \t>]*(?:```|~~~|\[[^\]]+\]:)", re.M)
_PLAIN: frozenset[NodeType] = frozenset(
    {"document", "paragraph", "text", "softbreak", "linebreak", "inline_html", "block_html"}
)


def _container_prefix(line: str, quote_depth: int) -> int:
    """Length of the indentation and `>` markers that belong to the enclosing containers."""
    position = 0
    for _ in range(quote_depth):
        while position < len(line) and line[position] in " \t":
            position += 1
        if position < len(line) and line[position] == ">":
            position += 1
    while position < len(line) and line[position] in " \t":
        position += 1
    return position


def _is_markdown(content: str) -> bool:
    if not _MARKDOWN_HINT.search(content):
        return False
    # The line parsed on its own, as it would be once a blank line frees it from the HTML block.
    return any(node.type not in _PLAIN for node in Document("", content).root.walk())


def _swallowed_line(document: Document, node: Node) -> tuple[int, int] | None:
    """(line number, content offset) of the first Markdown line inside the HTML block."""
    first_line, _ = document.position(node.start)
    last_line, _ = document.position(node.end)
    if _RAW_BLOCK_START.match(document.lines[first_line - 1][document.position(node.start)[1] - 1 :]):
        return None
    quote_depth = sum(1 for ancestor in node.ancestors() if ancestor.type == "block_quote")
    for line_number in range(first_line + 1, last_line + 1):
        line = document.lines[line_number - 1]
        prefix = _container_prefix(line, quote_depth)
        content = line[prefix:]
        if content and _is_markdown(content):
            return line_number, document.line_starts[line_number - 1] + prefix
    return None


def _code_once_split(document: Document, node: Node, line_start: int, content_start: int) -> bool:
    """Whether the swallowed line is indented 4 columns past the block: split off, it is code."""
    block_column = document.position(node.start)[1] - 1
    indentation = document.text[line_start:content_start].expandtabs(4)
    return len(indentation) - block_column >= 4


def _indented_after(document: Document, node: Node) -> bool:
    """Whether the first non-blank line after the HTML block is indented."""
    last_line, _ = document.position(max(node.start, node.end - 1))
    for line in document.lines[last_line:]:
        if line.strip():
            return line[0] in " \t"
    return False


def check(document: Document, context: RuleContext[RuleOptions]) -> Iterator[Finding]:
    for node in document.nodes("block_html"):
        found = _swallowed_line(document, node)
        if found is None:
            continue
        line_number, content_start = found
        line_start = document.line_starts[line_number - 1]
        blank = document.text[line_start:content_start].rstrip() + document.newline
        # Out of the HTML block, a code fence runs to its closing fence, which may be far below
        # and take the HTML that follows into the code: only the writer can say where it ends. A
        # link definition, once read, turns `[label]` text anywhere on the page into a link.
        # A list or quote that comes out of the block may take in indented text below it.
        swallowed = document.text[content_start : node.end]
        reaches = (
            _REACHES_OUTSIDE.search(swallowed)
            or _indented_after(document, node)
            or _code_once_split(document, node, line_start, content_start)
        )
        applicability: Applicability = "unsafe" if reaches else "safe"
        yield context.finding(
            content_start,
            document.line_end(line_number),
            "Markdown inside an HTML block is shown as raw text; add a blank line before it",
            fix=Fix.replace(line_start, line_start, blank, applicability),
        )


RULE = Rule(
    code="MDL002",
    name="html-block-swallows-markdown",
    summary="Markdown directly after an HTML line (no blank line) is not rendered",
    check=check,
    fix_scope=frozenset({HTML_BLOCK_SPLIT}),
    fixes=frozenset({"safe", "unsafe"}),
)
