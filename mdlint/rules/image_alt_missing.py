"""image-alt-missing: a Markdown image with empty alt text, or an HTML `<img>` without an `alt`
attribute; `alt=""` is accepted as a deliberate mark of a decorative image."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

from mdlint.findings import Finding, Severity
from mdlint.markdown.document import Document
from mdlint.markdown.html_tags import html_tags
from mdlint.markdown.syntax_tree import Node
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.update(name for name, _value in attrs)

    handle_startendtag = handle_starttag


def _has_alt(tag: str) -> bool:
    parser = _Attributes()
    parser.feed(tag)
    parser.close()
    return "alt" in parser.names


def _alt_text(image: Node) -> str:
    return "".join(node.raw for node in image.walk("text", "codespan"))


def _html_images(document: Document, node: Node) -> Iterator[tuple[int, int]]:
    """(start, end) of each `<img>` tag written in an HTML node, outside HTML comments."""
    for tag in html_tags(document, node):
        if tag.group("name").lower() == "img" and not tag.group("close") and not _has_alt(tag.group()):
            yield node.start + tag.start(), node.start + tag.end()


def _check(document: Document, context: RuleContext[RuleOptions]) -> Iterator[Finding]:
    for node in document.nodes("image", "block_html", "inline_html"):
        if node.type == "image":
            if not _alt_text(node).strip():
                yield context.finding(
                    node.start,
                    node.end,
                    'image has no alt text; describe it in `![...]`, or use `<img alt="">` if it is decorative',
                )
            continue
        for start, end in _html_images(document, node):
            yield context.finding(
                start,
                end,
                '<img> has no alt attribute; describe the image, or write alt="" if it is decorative',
            )


RULE = Rule(
    code="MDL034",
    name="image-alt-missing",
    summary="Image without alt text",
    check=_check,
    severity=Severity.WARNING,
    tags=("accessibility",),
)
