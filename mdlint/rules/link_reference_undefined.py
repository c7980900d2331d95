"""link-reference-undefined: a full or collapsed reference link whose label no definition names.

`[text][label]` and `[label][]` are links only when `[label]: url` is defined somewhere in the
document; otherwise every renderer (cmark-gfm, kramdown, Goldmark) prints them as text, brackets
and all. The common case in link lists is a tag glued to the link after it: `[source][title](url)`
reads as the reference `[source][title]`, whose label `title` is undefined, so `[source]` shows
with its brackets and without the space the other entries have. Shortcut references (`[label]`
alone) are left alone: bracketed tags are written that way on purpose.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import Field

from mdlint.findings import Applicability, Finding, Fix
from mdlint.markdown.document import Document
from mdlint.markdown.emphasis_flanking import normalize_label
from mdlint.markdown.syntax_tree import INLINE_TEXT_BLOCKS, Node, NodeType
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]


class _Options(RuleOptions):
    min_siblings: int = Field(
        default=3,
        ge=1,
        description="tags written `[tag] [title](url)` the document needs before a glued tag's fix is safe",
    )
    agreement: float = Field(
        default=0.6,
        gt=0.5,
        le=1,
        description="share of the document's tagged links that must have the space for the fix to be safe",
    )


# Nodes whose brackets are not text: a `[` inside them opens no link.
_MASKED: tuple[NodeType, ...] = ("codespan", "link", "image", "inline_html")
# A link label: no unescaped brackets, at most 999 characters (CommonMark), not blank.
_LABEL = r"(?:[^\[\]\\]|\\.){1,999}"
_BRACKETED = re.compile(r"(?P<bang>!?)\[(?P<text>" + _LABEL + r")\]")
_TAG_TEXT = re.compile(r"[^\[\]\r\n]+")
_FOLLOWING_LABEL = re.compile(r"\[(?P<label>" + _LABEL + r")\]")
# Characters after which `[` indexes something (`a[i][j]`, `f()[0]`) rather than opening a link.
_INDEXED = re.compile(r"[\w\])]")
_SHORT = 60
_DEFINITION_LINE = re.compile(r"[ \t]{0,3}\[[^\]\r\n]*\][ \t]*:")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHORT else text[: _SHORT - 1] + "…"


@dataclass(frozen=True, slots=True)
class _TagCounts:
    """How the document writes `[tag]` before a link: with a space, or glued to it."""

    spaced: int
    glued: int

    @property
    def total(self) -> int:
        return self.spaced + self.glued


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _leaf_blocks_with(document: Document, needle: str) -> Iterator[Node]:
    """The blocks of inline text (not holding other such blocks) in which `needle` occurs."""
    text = document.text
    found: list[int] = []
    position = text.find(needle)
    while position >= 0:
        found.append(position)
        position = text.find(needle, position + 1)
    if not found:
        return
    for kind in INLINE_TEXT_BLOCKS:
        for block in document.nodes(kind):
            index = bisect_left(found, block.start)
            if index == len(found) or found[index] >= block.end:
                continue
            if block.children and not any(child.type in INLINE_TEXT_BLOCKS for child in block.children):
                yield block


def _inline_links(block: Node, text: str) -> dict[int, Node]:
    """Links written `[text](url)` or `[text][label]` in the block, by start offset."""
    return {node.start: node for node in block.walk("link") if text.startswith("[", node.start)}


def _tag_counts(text: str, links: list[Node]) -> _TagCounts:
    spaced = glued = 0
    for link in links:
        start = link.start
        if not text.startswith("[", start):
            continue
        close = start - 1
        space = text.startswith(" ", close)
        if space:
            close -= 1
        if close < 1 or text[close] != "]":
            continue
        opening = text.rfind("[", max(0, close - 200), close)
        # One bracketed tag on the link's line: `[source]`, not `[a]b]` or a tag that ends a line above.
        if opening < 0 or _TAG_TEXT.fullmatch(text, opening + 1, close) is None:
            continue
        if space:
            spaced += 1
        else:
            glued += 1
    return _TagCounts(spaced, glued)


def _templated_definitions(document: Document) -> bool:
    """Whether template syntax writes link definitions (`[#{{ n }}]: …` in a loop): their labels are unknown."""
    text = document.text
    for span in document.template_spans:
        line_start = text.rfind("\n", 0, span.start) + 1
        if _DEFINITION_LINE.match(text, line_start):
            return True
    return False


def _masked_source(document: Document, text: str, block: Node) -> str:
    chars = list(text[block.start : block.end])
    for node in block.walk(*_MASKED):
        for offset in range(max(node.start, block.start), min(node.end, block.end)):
            chars[offset - block.start] = " "
    return "".join(chars)


def _check(document: Document, context: RuleContext[_Options]) -> Iterator[Finding]:
    # Template syntax is masked here, so `{{ … }}` inside brackets reads as plain characters.
    text = document.markdown_text
    if "][" not in text:
        return
    if _templated_definitions(document):
        return
    definitions = {normalize_label(node.attrs.get("label", "")) for node in document.nodes("link_definition")}
    counts: _TagCounts | None = None
    for block in _leaf_blocks_with(document, "]["):
        links = _inline_links(block, text)
        source = _masked_source(document, text, block)
        position = 0
        while (match := _BRACKETED.search(source, position)) is not None:
            position = match.end()
            start = block.start + match.start()
            if _escaped(text, start + len(match.group("bang"))) or document.in_template(start):
                continue
            if start > block.start and _INDEXED.match(text, start - 1):
                continue
            after = block.start + match.end()
            link = links.get(after)
            if link is not None and not match.group("bang"):
                counts = counts or _tag_counts(text, document.nodes("link"))
                yield _glued(context, text, start, after, link, counts)
                continue
            finding, end = _undefined_reference(context, source, block.start, match, definitions)
            if finding is not None:
                position = end - block.start
                yield finding


def _glued(
    context: RuleContext[_Options], text: str, start: int, after: int, link: Node, counts: _TagCounts
) -> Finding:
    options = context.options
    tag = text[start:after]
    title_end = link.attrs.get("text_end", link.end - 1) + 1
    spaced_form = counts.spaced >= options.min_siblings and counts.spaced >= options.agreement * counts.total
    applicability: Applicability = "safe" if spaced_form else "unsafe"
    majority = (
        f"; {counts.spaced} of {counts.total} tags before a link in this document have the space" if spaced_form else ""
    )
    return context.finding(
        start,
        title_end,
        f"`{_short(tag)}` is glued to the link after it: `{_short(text[start:title_end])}` reads as a reference "
        f"to an undefined label, so `{_short(tag)}` shows with its brackets and no space{majority}",
        fix=Fix.replace(after, after, " ", applicability),
    )


def _undefined_reference(
    context: RuleContext[_Options],
    source: str,
    base: int,
    match: re.Match[str],
    definitions: set[str],
) -> tuple[Finding | None, int]:
    kind = "image" if match.group("bang") else "link"
    if source.startswith("[]", match.end()):
        label = match.group("text")
        end = base + match.end() + 2
        written = f"[{_short(label)}][]"
    else:
        following = _FOLLOWING_LABEL.match(source, match.end())
        if following is None:
            return None, 0
        label = following.group("label")
        end = base + following.end()
        written = f"[{_short(match.group('text'))}][{_short(label)}]"
    # Footnotes (`[^1]`) are another syntax; a blank label makes no reference at all.
    if not label.strip() or label.startswith("^") or normalize_label(label) in definitions:
        return None, 0
    start = base + match.start()
    return (
        context.finding(
            start,
            end,
            f"reference {kind} label `{_short(label)}` is not defined: `{match.group('bang')}{written}` "
            "shows as plain text",
        ),
        end,
    )


RULE = Rule(
    code="MDL006",
    name="link-reference-undefined",
    summary="Full or collapsed reference link whose label is not defined, e.g. a tag glued to a link",
    check=_check,
    options=_Options,
    fixes=frozenset({"safe", "unsafe"}),
    tags=("links",),
)
