"""A paragraph or list item's own text (not its nested lists) that repeats an earlier one in the
same document, compared with whitespace collapsed -- the copy-paste left behind when a summary is
edited in two places. Reported at the repeat, naming the line of the first occurrence.

Documentation repeats some blocks on purpose, and those are not compared: a stock phrase of
fewer than ten words, a definition-list item (`_definition_blocks`), and a block with a line the
templates replace (`_is_template_block`). A lead-in ("Then call the shortcode:") is compared
together with the block it introduces (`_introduced`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from difflib import SequenceMatcher

from pydantic import Field

from mdlint.findings import Finding, Severity
from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import Node
from mdlint.markdown.templates import MASK
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]


class _Options(RuleOptions):
    # Shorter blocks ("자세한 내용은 아래 참고.", "TBD") repeat on purpose.
    min_length: int = Field(default=40, description="shorter paragraphs may repeat")
    # A sentence of fewer than ten words is a stock phrase ("Skip to the next step.", "See the
    # section on X for details.", a changelog line): documentation repeats those on purpose.
    min_words: int = Field(default=10, description="paragraphs of fewer words may repeat")
    # A near-duplicate is a summary pasted again and lightly reworded. Short blocks are never
    # compared this way: entries written from one template (`📜 [Google] [title](url)`) are alike
    # by design.
    similarity: float = Field(
        default=0.6,
        ge=0.0,
        le=1.0,
        description="the `difflib` ratio at which a long paragraph is a near copy of an earlier one; `1.0`: off",
    )
    near_min_length: int = Field(default=400, description="only paragraphs this long are compared for near copies")


def _normalized(document: Document, block: Node) -> str:
    """The block's source with line prefixes (`> `, list indentation) and whitespace collapsed."""
    text = document.text
    pieces: list[str] = []
    cursor = block.start
    for node in block.walk("softbreak", "linebreak"):
        pieces.append(text[cursor : node.start])
        pieces.append(" ")
        cursor = node.end
    pieces.append(text[cursor : block.end])
    return " ".join("".join(pieces).split())


# `term` / `: definition` (kramdown, Goldmark): CommonMark reads it as a paragraph with a line,
# or a start, `: `. Documentation repeats a field's definition wherever the field comes up.
_DEFINITION = re.compile(r"(?:^|\n)[ \t>]*:[ \t]")
# A line that is only template syntax: the generator puts the template's output there (a code
# sample, an included file), so the paragraph the parser sees is not one the page shows.
_TEMPLATE_LINE = re.compile(rf"(?:^|\n)[ \t>]*{MASK}+[ \t]*(?:\r?\n|$)")
# Scripts written without spaces: there a word is about two characters.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u0e00-\u0e7f]")


def _word_count(key: str) -> int:
    return len(key.split()) + len(_UNSPACED.findall(key)) // 2


def _is_template_block(masked: str, block: Node) -> bool:
    """Whether a block has a line made only of template syntax (in `masked`, the masked text)."""
    return _TEMPLATE_LINE.search(masked[block.start : block.end]) is not None


def _next_sibling(block: Node) -> Node | None:
    parent = block.parent
    if parent is None:
        return None
    siblings = parent.children
    # Siblings are in source order: bisect on their starts rather than scan a long list.
    index = bisect.bisect_left(siblings, block.start, key=lambda node: node.start)
    return siblings[index + 1] if index + 1 < len(siblings) else None


def _is_definition(document: Document, block: Node) -> bool:
    return block.type == "paragraph" and _DEFINITION.search(document.text[block.start : block.end]) is not None


def _definition_blocks(document: Document) -> set[int]:
    """The ids of definition-list items: each `term` / `: definition` paragraph, and the blocks
    indented under it that continue the definition (kramdown and Goldmark read them as its
    content; CommonMark as separate blocks)."""
    marked: set[int] = set()
    for paragraph in document.nodes("paragraph"):
        if id(paragraph) in marked or not _is_definition(document, paragraph):
            continue
        parent = paragraph.parent
        if parent is None:
            continue
        column = document.position(paragraph.start)[1]
        siblings = parent.children
        index = bisect.bisect_left(siblings, paragraph.start, key=lambda node: node.start)
        marked.add(id(paragraph))
        for sibling in siblings[index + 1 :]:
            if document.position(sibling.start)[1] <= column and not _is_definition(document, sibling):
                break
            marked.add(id(sibling))
    return marked


def _comparable(masked: str, block: Node, definitions: set[int]) -> bool:
    """Whether a block is text of its own: not in a definition list, not replaced by templates."""
    if id(block) in definitions or any(id(node) in definitions for node in block.ancestors()):
        return False
    return not _is_template_block(masked, block)


def _introduced(masked: str, block: Node, key: str, following: Node | None) -> Node | None:
    """The block a lead-in introduces, when `block` is one.

    A lead-in ends with a colon ("Then call the shortcode:"), or stands right before a code
    sample or a template's output ("With `baseURL = https://example.org/docs/`"). Its meaning
    is the block after it, so it is compared together with that block.
    """
    if key.rstrip("*_ ").endswith((":", "\uff1a")):
        return following if following is not None else block
    if following is None:
        return None
    if following.type == "block_code" or (following.type == "paragraph" and _is_template_block(masked, following)):
        return following
    return None


def _check(document: Document, context: RuleContext[_Options]) -> Iterator[Finding]:
    options = context.options
    first_seen: dict[str, int] = {}
    long_blocks: list[tuple[str, int]] = []
    definitions = _definition_blocks(document)
    masked = document.markdown_text
    for block in document.nodes("paragraph", "block_text"):
        key = _normalized(document, block)
        # Words as the reader sees them: a template (`{{ site.repository }}`) is one.
        if len(key) < options.min_length or _word_count(masked[block.start : block.end]) < options.min_words:
            continue
        if not _comparable(masked, block, definitions):
            continue
        introduced = _introduced(masked, block, key, _next_sibling(block))
        if introduced is not None:
            if introduced is not block:
                key += "\n" + " ".join(document.text[introduced.start : introduced.end].split())
            # Lead-ins are alike by nature: only the same lead-in before the same block is a repeat.
            near = False
        else:
            near = options.similarity < 1.0 and len(key) >= options.near_min_length
        kind = "list item" if block.parent is not None and block.parent.type == "list_item" else "paragraph"
        if key in first_seen:
            first_line = document.position(first_seen[key])[0]
            yield context.finding(
                block.start,
                block.end,
                f"{kind} repeats the text first written on line {first_line}",
                extra={"first_line": first_line, "similarity": 1.0},
            )
            continue
        first_seen[key] = block.start
        if not near:
            continue
        found = _most_similar(key, long_blocks, options.similarity)
        if found is not None:
            ratio, start = found
            first_line = document.position(start)[0]
            yield context.finding(
                block.start,
                block.end,
                f"{kind} is a near copy ({ratio:.0%} alike) of the text first written on line {first_line}",
                extra={"first_line": first_line, "similarity": round(ratio, 3)},
            )
        long_blocks.append((key, block.start))


_WORD_LEVEL_MARGIN = 0.15


def _most_similar(key: str, earlier: list[tuple[str, int]], threshold: float) -> tuple[float, int] | None:
    best: tuple[float, int] | None = None
    words = key.split()
    for other, start in earlier:
        # Word-level similarity is some 30 times cheaper than character-level and rarely more
        # than a few points below it: a pair far below the bar there cannot reach it.
        if SequenceMatcher(None, other.split(), words, autojunk=False).ratio() < threshold - _WORD_LEVEL_MARGIN:
            continue
        matcher = SequenceMatcher(None, other, key, autojunk=False)
        # The cheap upper bounds rule out almost every pair before the quadratic ratio.
        if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
            continue
        ratio = matcher.ratio()
        if ratio >= threshold and (best is None or ratio > best[0]):
            best = (ratio, start)
    return best


RULE = Rule(
    code="MDL032",
    name="duplicate-paragraph",
    summary="A paragraph or list item that repeats an earlier one in the same document",
    check=_check,
    severity=Severity.WARNING,
    options=_Options,
)
