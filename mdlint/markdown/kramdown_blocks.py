"""HTML blocks as kramdown (Jekyll's renderer) reads them.

kramdown's HTML blocks are not CommonMark's seven kinds that end at a blank line (kramdown 2.4,
`parser/kramdown/html.rb`, with Jekyll's default `parse_block_html: false`):

- a line that starts (after up to three spaces) with the start tag of an element that is not a
  span element (`<div>`, `<details>`, `<p>`, `<table>`, a custom tag; not `<img>`, `<em>`,
  `<span>`, `<a>` …) opens an HTML element, even in the middle of a paragraph;
- its content runs to the matching end tag, blank lines or not, and is read as HTML: Markdown
  inside stays raw text, and kramdown keeps reading the nested tags (an element left open takes
  in the rest of its container);
- `markdown="1"` on an element makes its content Markdown, as blocks (`div`, `details`, `td`, …)
  or spans (`p`, `h1`, `th`, …) by the element; `markdown="span"`/`"block"` choose; `"0"` is raw;
- after the end tag, Markdown resumes at once: no blank line is needed;
- a span element at the start of a line (`<img …/>`, `<em>`) starts an ordinary paragraph.

`kramdown_html_elements` lists the elements of a document with how kramdown reads their content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from mdlint.markdown.document import Document
from mdlint.markdown.kramdown_spans import (
    ELEMENTS_WITHOUT_BODY,
    SPAN_ELEMENTS,
    content_model,
    markdown_attribute,
)
from mdlint.markdown.syntax_tree import Node

__all__ = ["HtmlElement", "kramdown_html_elements"]

ContentModel = Literal["block", "span", "raw"]

_NAME = r"[A-Za-z_:][\w:.\-]*"
_TAG = re.compile(
    rf"<(?P<name>{_NAME})\s*(?P<attributes>(?:\s+{_NAME}(?:\s*=\s*(?:\w+|(\"|').*?\3))?)*)\s*(?P<closed>/)?>",
    re.S,
)
_CLOSE = re.compile(rf"</(?P<name>{_NAME})\s*>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_INSTRUCTION = re.compile(r"<\?.*?\?>", re.S)
_RAW_START = re.compile(rf"<(?:{_NAME}|/|!--|\?)")
_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")
_MAX_DEPTH = 100
_NESTED_LIST = re.compile(r"(?:[+*-]|\d+\.)[\t ]")
_KNOWN_CASE_FOLDED = SPAN_ELEMENTS | ELEMENTS_WITHOUT_BODY


@dataclass(frozen=True, slots=True)
class HtmlElement:
    """An HTML element of a kramdown page and how kramdown reads its content."""

    name: str
    start: int  # the "<" of the start tag
    tag_end: int  # just after the start tag
    content_end: int  # the "<" of the end tag, or where the element was auto-closed
    end: int  # just after the end tag
    content: ContentModel
    # Elements inside: nested tags of raw content, block elements of block content.
    children: tuple[HtmlElement, ...] = ()

    @property
    def unclosed(self) -> bool:
        """Whether it has a body but no end tag: kramdown auto-closes it at the end of its container."""
        return self.end == self.content_end and self.tag_end != self.end

    def walk(self) -> list[HtmlElement]:
        """This element and every element inside it, in source order."""
        found = [self]
        for child in self.children:
            found.extend(child.walk())
        return found


def kramdown_html_elements(document: Document, *, parse_block_html: bool = False) -> list[HtmlElement]:
    """The block-level HTML elements kramdown makes of `document`, outermost first, in source order.

    Block structure (code, lists, quotes) comes from the document's tree; kramdown's element
    boundaries are read from the text (with template syntax masked), within the element's
    list item or block quote.
    """
    text = document.markdown_text
    elements: list[HtmlElement] = []
    reached = 0
    for node in document.nodes("block_html", "paragraph", "block_text"):
        if node.start < reached:
            continue
        limit = _container_end(text, node, len(text))
        position = node.start
        while position < node.end:
            line_end = text.find("\n", position, node.end)
            line_end = node.end if line_end == -1 else line_end + 1
            element = _block_element_at(text, position, limit, parse_block_html, first=position == node.start)
            if element is not None:
                elements.append(element)
                reached = element.end
                next_line = text.find("\n", element.end)
                position = len(text) if next_line == -1 else next_line + 1
                continue
            if node.type != "block_html":
                break  # a paragraph: only its first line can start an element here
            position = line_end
        reached = max(reached, node.start)
    return elements


def _container_end(text: str, node: Node, default: int) -> int:
    """Where kramdown stops reading the part of the container that holds `node`.

    kramdown parses a list item in pieces: before a blank line, a line of the item that starts a
    nested list begins a new piece, and an HTML element cannot run on past it.
    """
    for ancestor in node.ancestors():
        if ancestor.type == "block_quote":
            return ancestor.end
        if ancestor.type == "list_item":
            first_line_end = text.find("\n", ancestor.start, ancestor.end)
            position = ancestor.end if first_line_end == -1 else first_line_end + 1
            while position < ancestor.end:
                line_end = text.find("\n", position, ancestor.end)
                line_end = ancestor.end if line_end == -1 else line_end + 1
                line = text[position:line_end]
                if not line.strip():
                    break
                if position > node.start and _NESTED_LIST.match(line.lstrip(" \t>")):
                    return position
                position = line_end
            return ancestor.end
    return default


def _line_content_start(text: str, position: int, first: bool) -> int:
    """Where the text of the line at `position` starts: the block's own start on its first line,
    else past the quote markers and indentation of the containers."""
    if first:
        return position
    while position < len(text) and text[position] in " \t>":
        position += 1
    return position


def _block_element_at(text: str, position: int, limit: int, parse_block_html: bool, first: bool) -> HtmlElement | None:
    start = _line_content_start(text, position, first)
    tag = _TAG.match(text, start)
    if tag is None or tag.end() > limit or _name(tag.group("name")) in SPAN_ELEMENTS:
        return None
    return _element(text, tag, limit, parent_raw=False, parse_block_html=parse_block_html)


def _name(name: str) -> str:
    lowered = name.lower()
    return lowered if lowered in _KNOWN_CASE_FOLDED or re.fullmatch(r"[a-z][a-z0-9]*", lowered) else name


def _element(
    text: str, tag: re.Match[str], limit: int, *, parent_raw: bool, parse_block_html: bool, depth: int = 0
) -> HtmlElement:
    name = _name(tag.group("name"))
    start, tag_end = tag.start(), tag.end()
    # Deeper than any page nests its HTML (a run of unclosed tags): the rest reads as one element.
    if depth > _MAX_DEPTH:
        return HtmlElement(name, start, tag_end, limit, limit, "raw")
    if tag.group("closed") or name in ELEMENTS_WITHOUT_BODY:
        return HtmlElement(name, start, tag_end, tag_end, tag_end, "raw")
    model: ContentModel = "raw" if parent_raw or not parse_block_html else _model(name)
    wanted = markdown_attribute(tag.group("attributes") or "")
    if wanted == "1":
        model = _model(name)
    elif wanted in ("span", "block"):
        model = "span" if wanted == "span" else "block"
    elif wanted == "0":
        model = "raw"
    if name in ("script", "style"):
        close = re.compile(rf"</{name}\s*>", re.I).search(text, tag_end, limit)
        return _closed(name, start, tag_end, close, limit, "raw", ())
    if model == "span":
        close = re.compile(rf"</{re.escape(name)}\s*>", re.I).search(text, tag_end, limit)
        return _closed(name, start, tag_end, close, limit, "span", ())
    if model == "block":
        return _block_content(text, name, start, tag_end, limit, parse_block_html, depth)
    return _raw_content(text, name, start, tag_end, limit, parse_block_html, depth)


def _model(name: str) -> ContentModel:
    model = content_model(name)
    return "block" if model == "block" else "span" if model == "span" else "raw"


def _closed(
    name: str,
    start: int,
    tag_end: int,
    close: re.Match[str] | None,
    limit: int,
    model: ContentModel,
    children: tuple[HtmlElement, ...],
) -> HtmlElement:
    if close is None:
        return HtmlElement(name, start, tag_end, limit, limit, model, children)
    return HtmlElement(name, start, tag_end, close.start(), close.end(), model, children)


def _raw_content(
    text: str, name: str, start: int, tag_end: int, limit: int, parse_block_html: bool, depth: int
) -> HtmlElement:
    """kramdown's parse_raw_html: nested tags are elements of their own, to the matching end tag."""
    children: list[HtmlElement] = []
    position = tag_end
    while (found := _RAW_START.search(text, position, limit)) is not None:
        at = found.start()
        if (other := _COMMENT.match(text, at, limit) or _INSTRUCTION.match(text, at, limit)) is not None:
            position = other.end()
        elif (tag := _TAG.match(text, at, limit)) is not None:
            child = _element(text, tag, limit, parent_raw=True, parse_block_html=parse_block_html, depth=depth + 1)
            children.append(child)
            position = max(child.end, at + 1)
        elif (close := _CLOSE.match(text, at, limit)) is not None:
            if _name(close.group("name")) == name:
                return HtmlElement(name, start, tag_end, at, close.end(), "raw", tuple(children))
            position = close.end()
        else:
            position = at + 1
    return HtmlElement(name, start, tag_end, limit, limit, "raw", tuple(children))


def _block_content(
    text: str, name: str, start: int, tag_end: int, limit: int, parse_block_html: bool, depth: int
) -> HtmlElement:
    """Content read as Markdown blocks, to a line that starts with the element's end tag."""
    children: list[HtmlElement] = []
    end_tag = re.compile(rf"[ ]{{0,3}}(</{re.escape(name)}\s*>)", re.I)
    position = text.find("\n", tag_end, limit)
    position = limit if position == -1 else position + 1
    fence: str | None = None
    while position < limit:
        line_end = text.find("\n", position, limit)
        line_end = limit if line_end == -1 else line_end + 1
        line = text[position:line_end]
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
        elif (opened := _FENCE.match(line)) is not None:
            fence = opened.group(1)
        elif (close := end_tag.match(text, position, limit)) is not None:
            return HtmlElement(name, start, tag_end, close.start(1), close.end(), "block", tuple(children))
        else:
            indentation = len(line) - len(line.lstrip(" "))
            tag = _TAG.match(text, position + indentation, limit) if indentation <= 3 else None
            if tag is not None and _name(tag.group("name")) not in SPAN_ELEMENTS:
                child = _element(text, tag, limit, parent_raw=False, parse_block_html=parse_block_html, depth=depth + 1)
                children.append(child)
                after = text.find("\n", child.end, limit)
                position = limit if after == -1 else after + 1
                continue
        position = line_end
    return HtmlElement(name, start, tag_end, limit, limit, "block", tuple(children))
