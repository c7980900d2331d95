"""line-break-missing: lines written one per line that render as one run-on line.

Markdown joins the lines of a paragraph: without two trailing spaces, a backslash, `<br>` or a
blank line between them, `📜: Paper link` and `🗞️: News` on consecutive lines print as
`📜: Paper link 🗞️: News`. Lines that each start the same way (an emoji, a `key: value`, a
bullet-like character) were evidently meant one per line; a run of them joined by plain line
ends is reported once, with a fix that adds the line break the document uses elsewhere.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from mdlint.conventions.line_starts import LineStart, line_start
from mdlint.findings import INLINE_MARKUP, PARAGRAPH_SPLIT, TEXT, Edit, Finding, Fix, Severity
from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import Node
from mdlint.markdown.templates import MASK, raw_shortcode_bodies, template_spans
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]


class _Options(RuleOptions):
    min_lines: int = Field(default=3, ge=2, description="consecutive lines that must start the same way")
    agreement: float = Field(default=0.5, gt=0, le=1, description="share of the paragraph's lines the run must make up")


BreakStyle = Literal["spaces", "backslash", "br", "blank"]

# Template syntax where no site says so (a page read outside its site): `{{ x }}`, `{% x %}`.
_TEMPLATE_VALUE = re.compile(r"\{\{.*\}\}|\{%.*%\}")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_DESCRIBED: dict[LineStart, str] = {
    "emoji": "an emoji",
    "key": "`key: value`",
    "bullet": "a bullet-like character",
}
_BREAK_NAMES: dict[BreakStyle, str] = {
    "spaces": "two trailing spaces",
    "backslash": "a trailing backslash",
    "br": "`<br>`",
    "blank": "blank lines",
}


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    # The break that ends the line (softbreak or linebreak), None for the paragraph's last line.
    end_break: Node | None
    # Whether that break renders as one: a hard break, or a line end right after `<br>`.
    hard: bool = False


def _lines(document: Document, block: Node) -> list[_Line]:
    lines: list[_Line] = []
    start = block.children[0].start
    before: Node | None = None
    for child in block.children:
        if child.type in ("softbreak", "linebreak"):
            after_br = (
                before is not None
                and before.type == "inline_html"
                and _BR.fullmatch(document.text[before.start : before.end]) is not None
            )
            lines.append(_Line(start, child, child.type == "linebreak" or after_br))
            start = child.end
        before = child
    lines.append(_Line(start, None))
    return lines


def _kind(document: Document, masked: str, start: int, end: int) -> LineStart | None:
    if document.in_template(start) or document.in_code(start):
        return None
    found = line_start(document.text, start, end)
    if found is None:
        return None
    kind, rest = found
    if kind == "key":
        value = masked[rest:end].strip()
        # `url: {{ page.url }}`: the template prints the value, and how it is laid out is its business.
        if not value.strip(MASK + " \t") or _TEMPLATE_VALUE.fullmatch(value):
            return None
    return kind


def _raw_bodies(document: Document) -> list[tuple[int, int]]:
    """Bodies of paired `{{< … >}}` shortcodes: not Markdown, even in Hugo content read outside its site."""

    def compute() -> list[tuple[int, int]]:
        spans = document.template_spans
        if document.dialect.templates != "hugo":
            spans = template_spans(document.text, "hugo", document.body_start)
        return raw_shortcode_bodies(document.text, spans)

    return document.memo("raw-shortcode-bodies", compute)


def _break_style(document: Document) -> tuple[BreakStyle, str]:
    """The hard line break the document writes most (and how it spells `<br>`); blank lines when none."""
    text = document.text
    styles: Counter[tuple[BreakStyle, str]] = Counter()
    for node in document.nodes("linebreak"):
        styles["backslash" if text.startswith("\\", node.start) else "spaces", ""] += 1
    # Type by type: the combined, sorted listing costs more, and findings are sorted later anyway.
    for block in (*document.nodes("paragraph"), *document.nodes("block_text")):
        for node, following in zip(block.children, block.children[1:], strict=False):
            tag = text[node.start : node.end]
            if node.type == "inline_html" and following.type in ("softbreak", "linebreak") and _BR.fullmatch(tag):
                styles["br", tag] += 1
    if not styles:
        return "blank", ""
    (style, spelling), _ = styles.most_common(1)[0]
    return style, spelling


def _fix(document: Document, block: Node, breaks: list[Node], style: BreakStyle, spelling: str) -> Fix | None:
    text = document.text
    edits: list[Edit] = []
    column = document.position(block.start)[1]
    for node in breaks:
        source = text[node.start : node.end]
        trailing = len(source) - len(source.lstrip(" \t"))
        newline = 2 if source.startswith("\r\n", trailing) else 1
        prefix = source[trailing + newline :]
        if style == "blank":
            # A blank line ends a lazy continuation: only lines at the paragraph's own column stay in it.
            if document.position(node.end)[1] != column:
                return None
            replacement = document.newline + prefix.rstrip(" \t")
        else:
            replacement = {"spaces": "  ", "backslash": "\\", "br": spelling}[style]
        edits.append(Edit(node.start, node.start + trailing, replacement))
    return Fix(tuple(edits), "unsafe")


def _check(document: Document, context: RuleContext[_Options]) -> Iterator[Finding]:
    options = context.options
    style: tuple[BreakStyle, str] | None = None
    raw_bodies = _raw_bodies(document) if "{{<" in document.text else []
    masked = document.markdown_text
    # Type by type: the combined, sorted listing costs more, and findings are sorted later anyway.
    for block in (*document.nodes("paragraph"), *document.nodes("block_text")):
        if not block.children or not any(child.type == "softbreak" for child in block.children):
            continue
        if any(start < block.end and block.start < end for start, end in raw_bodies):
            continue
        lines = _lines(document, block)
        if len(lines) < options.min_lines:
            continue
        kinds = [
            _kind(document, masked, line.start, line.end_break.start if line.end_break else block.end) for line in lines
        ]
        index = 0
        while index < len(lines):
            kind = kinds[index]
            run_end = index + 1
            while run_end < len(lines) and kind is not None and kinds[run_end] == kind:
                run_end += 1
            count = run_end - index
            if kind is not None and count >= options.min_lines and count >= options.agreement * len(lines):
                # The breaks between the run's lines; the last line's own break is not the run's.
                soft = [
                    line.end_break
                    for line in lines[index : run_end - 1]
                    if line.end_break is not None and not line.hard
                ]
                if soft:
                    style = style or _break_style(document)
                    yield _finding(context, document, block, lines, index, run_end, kind, soft, style)
            index = run_end


def _finding(
    context: RuleContext[_Options],
    document: Document,
    block: Node,
    lines: list[_Line],
    first: int,
    last: int,
    kind: LineStart,
    soft: list[Node],
    style: tuple[BreakStyle, str],
) -> Finding:
    count = last - first
    end_break = lines[last - 1].end_break
    end = end_break.start if end_break is not None else block.end
    hard = count - 1 - len(soft)
    joined = "render as one run-on line" if not hard else f"run together at {len(soft)} of their {count - 1} line ends"
    break_name = _BREAK_NAMES[style[0]] if style[0] != "br" else f"`{style[1]}`"
    where = "as elsewhere in this document" if style[0] != "blank" else "this document has no hard line breaks"
    return context.finding(
        lines[first].start,
        end,
        f"{count} consecutive lines that each start with {_DESCRIBED[kind]} {joined}; "
        f"end each with a line break or put blank lines between them (fix: {break_name}, {where})",
        fix=_fix(document, block, soft, *style),
    )


RULE = Rule(
    code="MDL036",
    name="line-break-missing",
    summary="Lines that each start the same way (an emoji, `key: value`) render as one run-on line",
    check=_check,
    options=_Options,
    severity=Severity.WARNING,
    fix_scope=frozenset({TEXT, INLINE_MARKUP, PARAGRAPH_SPLIT}),
    fixes=frozenset({"unsafe"}),
    tags=("consistency",),
)
