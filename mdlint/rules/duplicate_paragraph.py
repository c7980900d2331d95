"""A paragraph or list item's own text (not its nested lists) that repeats an earlier one in the
same document, compared with whitespace collapsed -- the copy-paste left behind when a summary is
edited in two places. Reported at the repeat, naming the line of the first occurrence.
"""

from __future__ import annotations

from collections.abc import Iterator
from difflib import SequenceMatcher

from pydantic import Field

from mdlint.findings import Finding, Severity
from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import Node
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]


class _Options(RuleOptions):
    # Shorter blocks ("자세한 내용은 아래 참고.", "TBD") repeat on purpose.
    min_length: int = Field(default=40, description="shorter paragraphs may repeat")
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


def _check(document: Document, context: RuleContext[_Options]) -> Iterator[Finding]:
    options = context.options
    first_seen: dict[str, int] = {}
    long_blocks: list[tuple[str, int]] = []
    for block in document.nodes("paragraph", "block_text"):
        key = _normalized(document, block)
        if len(key) < options.min_length:
            continue
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
        if options.similarity >= 1.0 or len(key) < options.near_min_length:
            continue
        near = _most_similar(key, long_blocks, options.similarity)
        if near is not None:
            ratio, start = near
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
