"""`**bold**` that GitHub prints as literal stars because a delimiter run sits between
punctuation and a CJK letter (`**오차 막대(error bars)**와`), or an underscore run touches a CJK
letter (`__모델__을`). Each paragraph, heading and table cell is read with CommonMark's
left/right-flanking rules exactly as cmark-gfm applies them, and again with a CJK letter next to
a run counted as a boundary; a pair only the second reading makes is reported at the run that
cannot open or close.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from mdlint.findings import INLINE_MARKUP, TEXT, Edit, Finding, Fix, splice
from mdlint.markdown.document import Document
from mdlint.markdown.emphasis_flanking import (
    BrokenEmphasis,
    InlineSource,
    find_broken_emphasis,
    match_emphasis,
    normalize_label,
)
from mdlint.markdown.syntax_tree import INLINE_TEXT_BLOCKS, Node
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]


class _Options(RuleOptions):
    # cmark-gfm counts ASCII punctuation and Unicode P*; CommonMark 0.31.2 adds S*.
    renderer: Literal["github", "commonmark"] = Field(
        default="github", description='whose punctuation to follow: `"github"` or `"commonmark"`'
    )


def _inline_sources(document: Document) -> Iterator[InlineSource]:
    definitions = frozenset(normalize_label(node.attrs.get("label", "")) for node in document.nodes("link_definition"))
    for block in document.nodes(*INLINE_TEXT_BLOCKS):
        if not block.children:
            continue
        start, end = block.children[0].start, block.children[-1].end
        if start >= end or ("*" not in document.text[start:end] and "_" not in document.text[start:end]):
            continue
        # Continuation-line prefixes (`> `, list indentation) sit inside soft breaks; cmark strips
        # them before reading inline content, so they count as whitespace.
        masked = tuple(
            (node.start, node.end) for node in _walk_inline(block) if node.type in ("softbreak", "linebreak")
        )
        yield InlineSource(document.text, start, end, masked, definitions)


def _walk_inline(block: Node) -> Iterator[Node]:
    for child in block.children:
        yield from child.walk()


def _fix(document: Document, source: InlineSource, broken: BrokenEmphasis) -> Fix | None:
    if not broken.literal:
        return None
    if broken.char == "_":
        # `__모델__을` renders once the underscores are stars: keep the writer's Markdown.
        edits = tuple(Edit(start, end, "*" * (end - start)) for pair in broken.pairs for start, end in pair)
        swapped = splice(document.text, edits)
        trial = InlineSource(swapped, source.start, source.end, source.masked, source.definitions)
        made = {(match.opener_span, match.closer_span) for match in match_emphasis(trial)}
        if all(pair in made for pair in broken.pairs):
            return Fix(tuple(sorted(edits)), "unsafe")
    edits_list: list[Edit] = []
    for (open_start, open_end), (close_start, close_end) in broken.pairs:
        tag = "strong" if open_end - open_start == 2 else "em"
        edits_list.append(Edit(open_start, open_end, f"<{tag}>"))
        edits_list.append(Edit(close_start, close_end, f"</{tag}>"))
    return Fix(tuple(sorted(edits_list)), "unsafe")


def _check(document: Document, context: RuleContext[_Options]) -> Iterator[Finding]:
    options = context.options
    for source in _inline_sources(document):
        for broken in find_broken_emphasis(source, options.renderer):
            start, end = broken.failing
            kind = "strong emphasis" if any(o[1] - o[0] == 2 for o, _ in broken.pairs) else "emphasis"
            delimiter = document.text[start:end]
            message = f"{kind} is not rendered, GitHub prints the `{delimiter}`: {broken.reason}"
            yield context.finding(start, end, message, fix=_fix(document, source, broken))


RULE = Rule(
    code="MDL030",
    name="emphasis-cjk-flanking",
    summary="Emphasis next to a CJK letter that GitHub prints as literal `**`",
    check=_check,
    options=_Options,
    fix_scope=frozenset({INLINE_MARKUP, TEXT}),
    fixes=frozenset({"unsafe"}),
)
