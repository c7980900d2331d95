"""html-block-swallows-markdown: Markdown written inside HTML, which the renderer shows as raw text.

GitHub (cmark-gfm) and Hugo's Goldmark follow CommonMark: an HTML block (types 6 and 7:
`<details>`, `<div>`, `</summary>`, `<img …/>` alone on a line, …) runs until the next blank
line, and the Markdown on its lines is not parsed. The usual cause is a missing blank line after
`</summary>` or after an `<img>` line; the fix adds it.

Jekyll's kramdown reads HTML its own way (see `mdlint.markdown.kramdown_blocks`): a block
element's content is HTML up to its end tag, blank lines or not, unless the element carries
`markdown="1"`; a span element (`<img>`, `<em>`) starts an ordinary paragraph; Markdown resumes
right after an end tag. On a kramdown page the rule reports Markdown inside such raw content,
and the fix adds `markdown="1"` to the element that holds it. What only GitHub's file view of a
site page shows raw is reported as `info` (option `github-view`), without a fix: a fix for that
view must not change the site's page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import Field

from mdlint.findings import HTML_BLOCK_SPLIT, LIST_SPACING, Applicability, Finding, Fix, Severity
from mdlint.markdown.document import Document
from mdlint.markdown.kramdown_blocks import HtmlElement, kramdown_html_elements
from mdlint.markdown.kramdown_spans import content_model
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
_LIST_ITEM_LINE = re.compile(r"^[ \t>]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)", re.M)
_PLAIN: frozenset[NodeType] = frozenset(
    {"document", "paragraph", "text", "softbreak", "linebreak", "inline_html", "block_html"}
)
# What an HTML code element holds is literal, whatever the renderer: its `_` and `*` are no Markdown.
_HTML_CODE_START = re.compile(r"<(code|kbd|samp|var|tt)\b[^<>]*>", re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# Elements whose content is literal on purpose: Markdown-looking text there is meant as it is.
_LITERAL_ELEMENTS = frozenset({"pre", "script", "style", "textarea", "math", "code", "kbd", "samp", "var"})


class _Options(RuleOptions):
    github_view: Literal["info", "full", "off"] = Field(
        default="info",
        description="what only GitHub's file view of a site page shows raw: `info`, `full` (rule's severity) or `off`",
    )


@dataclass(frozen=True, slots=True)
class _Swallowed:
    start: int
    end: int
    message: str
    fix: Fix | None


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


def _without_html_code(content: str) -> str:
    """`content` with each HTML code element (`<code>…</code>`, `<kbd>`, …) blanked out, same length.

    A search per element rather than one lazy expression: `<code>` after `<code>` with no end tag
    would make that quadratic on a long line.
    """
    if "<" not in content:
        return content
    lowered = content.lower()
    pieces: list[str] = []
    position = 0
    unclosed: set[str] = set()
    for match in _HTML_CODE_START.finditer(content):
        name = match.group(1).lower()
        if match.start() < position or name in unclosed:
            continue
        close = lowered.find(f"</{name}", match.end())
        if close == -1:
            unclosed.add(name)  # no later one of these closes either
            continue
        end = lowered.find(">", close)
        end = len(content) if end == -1 else end + 1
        pieces.append(content[position : match.start()])
        pieces.append("x" * (end - match.start()))
        position = end
    pieces.append(content[position:])
    return "".join(pieces)


# Pure functions of one line, asked again for the same lines on every run of an editor's
# buffer and for lines repeated across a page: each answer costs a parse.
@lru_cache(maxsize=4096)
def _is_markdown(content: str) -> bool:
    """Whether a line holds Markdown once it is freed from the HTML block (parsed on its own)."""
    content = _without_html_code(content)
    if not _MARKDOWN_HINT.search(content):
        return False
    return any(node.type not in _PLAIN for node in Document("", content).root.walk())


@lru_cache(maxsize=4096)
def _markdown_offset(content: str) -> int | None:
    """Where the first Markdown of a line of raw HTML content starts, read as kramdown would read it
    if the element took `markdown="1"`: tags are no Markdown, and a bare URL is no link in kramdown."""
    content = _TAG.sub(lambda match: " " * len(match.group()), _without_html_code(content))
    if not _MARKDOWN_HINT.search(content):
        return None
    indentation = len(content) - len(content.lstrip())
    parsed = Document("", content.strip())
    for node in parsed.root.walk():
        if node.type in _PLAIN:
            continue
        if node.type == "link" and parsed.text[node.start : node.start + 1] not in "[<":
            continue  # GitHub's bare-URL autolink: kramdown makes no link of it
        return indentation + node.start
    return None


# --- CommonMark HTML blocks (GitHub, Goldmark) ------------------------------------------------


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


def _loosens_a_list(document: Document, node: Node, swallowed: str) -> bool:
    """Whether the blank line would make a list loose (its items' text rendered as paragraphs).

    A blank line inside a list item separates two of its blocks; a list item freed from the block
    joins a list that follows after blank lines, the blank lines now between its items.
    """
    if any(ancestor.type == "list_item" for ancestor in node.ancestors()):
        return True
    if not _LIST_ITEM_LINE.search(swallowed):
        return False
    last_line, _ = document.position(max(node.start, node.end - 1))
    following = next((line for line in document.lines[last_line:] if line.strip()), "")
    return _LIST_ITEM_LINE.match(following) is not None


def _ends_with_tag(document: Document, line_number: int) -> bool:
    """Whether the line before the swallowed one ends with a tag: a blank line there splits no sentence."""
    return document.lines[line_number - 2].rstrip().endswith(">")


def _commonmark_swallowed(document: Document, reader: str, with_fix: bool) -> Iterator[_Swallowed]:
    for node in document.nodes("block_html"):
        found = _swallowed_line(document, node)
        if found is None:
            continue
        line_number, content_start = found
        line_start = document.line_starts[line_number - 1]
        fix: Fix | None = None
        # A blank line in the middle of a sentence (`<p>text⏎more text`) would cut it in two.
        if with_fix and _ends_with_tag(document, line_number):
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
                or _loosens_a_list(document, node, swallowed)
            )
            applicability: Applicability = "unsafe" if reaches else "safe"
            fix = Fix.replace(line_start, line_start, blank, applicability)
        message = f"Markdown inside an HTML block is shown as raw text{reader}"
        if fix is not None:
            message += "; add a blank line before it"
        yield _Swallowed(content_start, document.line_end(line_number), message, fix)


# --- kramdown HTML elements ---------------------------------------------------------------------


def _kramdown_swallowed(document: Document) -> Iterator[_Swallowed]:
    for element in kramdown_html_elements(document, parse_block_html=document.dialect.parse_block_html):
        found = _first_raw_markdown(document, element, element)
        if found is not None:
            yield found


def _first_raw_markdown(document: Document, outer: HtmlElement, element: HtmlElement) -> _Swallowed | None:
    """The first Markdown kramdown shows raw inside `element` (one finding per outermost element)."""
    if element.content == "block":
        for child in element.children:
            found = _first_raw_markdown(document, child, child)
            if found is not None:
                return found
        return None
    if element.content != "raw" or element.name.lower() in _LITERAL_ELEMENTS:
        return None
    text = document.markdown_text
    # Inside these the text is Markdown (`markdown="1"`) or literal on purpose.
    skipped = [
        (child.tag_end, child.content_end)
        for child in element.walk()[1:]
        if child.content != "raw" or child.name.lower() in _LITERAL_ELEMENTS
    ]
    line_number = document.position(element.tag_end)[0]
    last_line = document.position(max(element.tag_end, element.content_end - 1))[0]
    for number in range(line_number, last_line + 1):
        line_start = document.line_starts[number - 1]
        start = max(line_start, element.tag_end)
        end = min(line_start + len(document.lines[number - 1]), element.content_end)
        if start >= end:
            continue
        offset = _markdown_offset(text[start:end])
        if offset is None:
            continue
        position = start + offset
        if any(child_start <= position < child_end for child_start, child_end in skipped):
            continue
        line_text = text[start:end]
        first = start + len(line_text) - len(line_text.lstrip())
        return _Swallowed(first, end, *_kramdown_advice(document, _innermost(element, position)))
    return None


def _innermost(element: HtmlElement, position: int) -> HtmlElement:
    for child in element.children:
        if child.tag_end <= position < child.content_end:
            return _innermost(child, position)
    return element


def _kramdown_advice(document: Document, holder: HtmlElement) -> tuple[str, Fix | None]:
    name = holder.name
    if holder.unclosed:
        return f"Markdown after <{name}> is shown as raw text by kramdown: <{name}> has no end tag", None
    message = f"Markdown inside <{name}> is shown as raw text by kramdown, which reads it as HTML up to </{name}>"
    if content_model(name) == "raw":
        # `markdown="1"` does nothing on a table, a list or an unknown tag.
        return message + '; write it as HTML, or in an element that takes markdown="1"', None
    message += '; add markdown="1" to its start tag'
    if not _markdown_attribute_helps(document, holder):
        return message + " and check its indented lines, which kramdown would read as code", None
    text = document.text
    insert = holder.tag_end - 1
    if text[insert - 1] == "/":
        insert -= 1
    if document.in_code(insert):
        # Read as CommonMark the tag is in an indented code block (a table indented after a blank
        # line), where fixes never write; the writer adds the attribute.
        return message, None
    return message, Fix.replace(insert, insert, ' markdown="1"', "unsafe")


def _markdown_attribute_helps(document: Document, holder: HtmlElement) -> bool:
    """Whether `markdown="1"` makes the element's content Markdown without turning lines into code.

    Span content ignores indentation; block content lines indented deeper than the start tag
    could become code blocks, so no fix is offered there.
    """
    if content_model(holder.name) == "span":
        return True
    tag_line = document.position(holder.start)[0]
    tag_indent = _indentation(document.lines[tag_line - 1])
    last_line = document.position(max(holder.tag_end, holder.content_end - 1))[0]
    return all(_indentation(line) <= tag_indent for line in document.lines[tag_line:last_line] if line.strip())


def _indentation(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


# --- the rule -----------------------------------------------------------------------------------


def check(document: Document, context: RuleContext[_Options]) -> Iterator[Finding]:
    dialect = document.dialect
    options = context.options
    if dialect.renderer == "kramdown":
        site = list(_kramdown_swallowed(document))
    else:
        reader = " by Goldmark" if dialect.renderer == "goldmark" else ""
        site = list(_commonmark_swallowed(document, reader, with_fix=True))
    for swallowed in site:
        yield context.finding(swallowed.start, swallowed.end, swallowed.message, fix=swallowed.fix)
    if dialect.renderer != "kramdown" or not dialect.github_view or options.github_view == "off":
        return
    lines = {document.position(swallowed.start)[0] for swallowed in site}
    severity = Severity.INFO if options.github_view == "info" else None
    reader = " in GitHub's file view (not on the kramdown page)"
    for swallowed in _commonmark_swallowed(document, reader, with_fix=False):
        if document.position(swallowed.start)[0] not in lines:
            yield context.finding(swallowed.start, swallowed.end, swallowed.message, severity=severity)


RULE = Rule(
    code="MDL002",
    name="html-block-swallows-markdown",
    summary="Markdown inside HTML that the renderer shows as raw text",
    check=check,
    options=_Options,
    # The blank line may make a list loose (then the fix is unsafe): a cost the writer accepts.
    fix_scope=frozenset({HTML_BLOCK_SPLIT, LIST_SPACING}),
    fixes=frozenset({"safe", "unsafe"}),
)
