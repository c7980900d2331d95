"""details-unbalanced: `<details>` and `<summary>` tags that do not pair up.

One stack, in source order, across every HTML block and inline HTML of the document, so a
section folded with `<details>` in one block and closed in another still pairs. Code spans, code
blocks and HTML comments are not HTML and are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mdlint.findings import Finding
from mdlint.markdown.document import Document
from mdlint.markdown.html_tags import html_tags
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]

_TRACKED = ("details", "summary")


@dataclass(frozen=True, slots=True)
class _Tag:
    name: str
    closing: bool
    start: int
    end: int


def _tags(document: Document) -> Iterator[_Tag]:
    for node in document.nodes("block_html", "inline_html"):
        for match in html_tags(document, node):
            name = match.group("name").lower()
            if name in _TRACKED:
                yield _Tag(name, bool(match.group("close")), node.start + match.start(), node.start + match.end())


def check(document: Document, context: RuleContext[RuleOptions]) -> Iterator[Finding]:
    stack: list[_Tag] = []
    for tag in sorted(_tags(document), key=lambda t: t.start):
        if not tag.closing:
            if tag.name == "summary" and not (stack and stack[-1].name == "details"):
                yield context.finding(tag.start, tag.end, "<summary> outside a <details> block")
            stack.append(tag)
            continue
        if stack and stack[-1].name == tag.name:
            stack.pop()
            continue
        if any(open_tag.name == tag.name for open_tag in stack):
            # Close what was left open inside, so one missing </summary> is one finding.
            while stack[-1].name != tag.name:
                unclosed = stack.pop()
                yield _unclosed(context, unclosed)
            stack.pop()
            continue
        yield context.finding(tag.start, tag.end, f"</{tag.name}> closes nothing: no <{tag.name}> is open here")
    for unclosed in stack:
        yield _unclosed(context, unclosed)


def _unclosed(context: RuleContext[RuleOptions], tag: _Tag) -> Finding:
    return context.finding(tag.start, tag.end, f"<{tag.name}> is never closed: add </{tag.name}>")


RULE = Rule(
    code="MDL001",
    name="details-unbalanced",
    summary="<details> and <summary> tags must pair up",
    check=check,
)
