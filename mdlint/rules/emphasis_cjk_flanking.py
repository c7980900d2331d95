"""`**bold**` that the file's renderer prints as literal stars because of a CJK letter next to
a delimiter run.

GitHub (cmark-gfm) and Hugo's Goldmark follow CommonMark's left/right-flanking rules, which
spoil a run between punctuation and a CJK letter (`**오차 막대(error bars)**와`) or an
underscore run touching one (`__모델__을`). Jekyll's kramdown pairs delimiters its own way:
punctuation does not matter, but an underscore next to a letter, Hangul and Han included, can
neither open nor close (`_강조(x)_를`). Each paragraph, heading and table cell is read the way
the file's renderer reads it, and again with a CJK letter next to a run counted as a boundary;
a pair only the second reading makes is reported at the run that cannot open or close.

A page of a site is also shown by GitHub's file view: what only that view spoils is reported
as `info` (option `github-view`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Literal

from pydantic import Field

from mdlint.findings import INLINE_MARKUP, TEXT, Edit, Finding, Fix, Severity, splice
from mdlint.markdown.document import Document
from mdlint.markdown.emphasis_flanking import (
    BrokenEmphasis,
    InlineSource,
    Reading,
    find_broken_emphasis,
    match_emphasis,
    normalize_label,
)
from mdlint.markdown.kramdown_spans import Budget, find_broken_kramdown_emphasis, kramdown_emphasis
from mdlint.markdown.syntax_tree import INLINE_TEXT_BLOCKS, Node
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]

# kramdown's reading is emulated by trial and backtracking; a document gets this many steps in all
# (a few hundred per ordinary paragraph).
_KRAMDOWN_STEPS = 300_000
_READER = {"gfm": "GitHub", "goldmark": "Goldmark", "kramdown": "kramdown", "commonmark": "CommonMark"}


class _Options(RuleOptions):
    renderer: Literal["auto", "github", "commonmark"] = Field(
        default="auto",
        description='whose rules to follow: `"auto"` (the file\'s renderer), `"github"` or `"commonmark"`',
    )
    github_view: Literal["info", "full", "off"] = Field(
        default="info",
        description="what only GitHub's file view of a site page spoils: `info`, `full` (the rule's severity) or `off`",
    )


def _site_reading(document: Document, options: _Options) -> Reading:
    if options.renderer == "github":
        return "gfm"
    if options.renderer == "commonmark":
        return "commonmark"
    return document.dialect.renderer


def _broken(source: InlineSource, reading: Reading, budget: Budget) -> list[BrokenEmphasis]:
    if reading == "kramdown":
        return find_broken_kramdown_emphasis(source, budget)
    return find_broken_emphasis(source, reading)


def _pairs(source: InlineSource, reading: Reading) -> set[tuple[tuple[int, int], tuple[int, int]]]:
    if reading == "kramdown":
        try:
            return set(kramdown_emphasis(source))
        except Budget.Exhausted:
            return set()
    return {(match.opener_span, match.closer_span) for match in match_emphasis(source, reading)}


def _inline_sources(document: Document) -> Iterator[InlineSource]:
    definitions = frozenset(normalize_label(node.attrs.get("label", "")) for node in document.nodes("link_definition"))
    # Template syntax (Liquid, shortcodes) is masked: the renderer never sees its `_` or `*`.
    text = document.markdown_text
    for block in document.nodes(*INLINE_TEXT_BLOCKS):
        if not block.children:
            continue
        start, end = block.children[0].start, block.children[-1].end
        if start >= end or ("*" not in text[start:end] and "_" not in text[start:end]):
            continue
        # Continuation-line prefixes (`> `, list indentation) sit inside soft breaks; cmark strips
        # them before reading inline content, so they count as whitespace.
        masked = tuple(
            (node.start, node.end) for node in _walk_inline(block) if node.type in ("softbreak", "linebreak")
        )
        yield InlineSource(text, start, end, masked, definitions)


def _walk_inline(block: Node) -> Iterator[Node]:
    for child in block.children:
        yield from child.walk()


def _fix(source: InlineSource, broken: BrokenEmphasis, readings: Sequence[Reading]) -> Fix | None:
    """Emphasis every reading in `readings` renders: stars for underscores when they do, else HTML tags."""
    if not broken.literal:
        return None
    if broken.char == "_":
        # `__모델__을` renders once the underscores are stars: keep the writer's Markdown.
        edits = tuple(Edit(start, end, "*" * (end - start)) for pair in broken.pairs for start, end in pair)
        swapped = splice(source.text, edits)
        trial = InlineSource(swapped, source.start, source.end, source.masked, source.definitions)
        if all(set(broken.pairs) <= _pairs(trial, reading) for reading in readings):
            return Fix(tuple(sorted(edits)), "unsafe")
    edits_list: list[Edit] = []
    for (open_start, open_end), (close_start, close_end) in broken.pairs:
        tag = "strong" if open_end - open_start == 2 else "em"
        edits_list.append(Edit(open_start, open_end, f"<{tag}>"))
        edits_list.append(Edit(close_start, close_end, f"</{tag}>"))
    return Fix(tuple(sorted(edits_list)), "unsafe")


def _message(document: Document, broken: BrokenEmphasis, reader: str) -> str:
    start, end = broken.failing
    kind = "strong emphasis" if any(o[1] - o[0] == 2 for o, _ in broken.pairs) else "emphasis"
    return f"{kind} is not rendered, {reader} prints the `{document.text[start:end]}`: {broken.reason}"


def _check(document: Document, context: RuleContext[_Options]) -> Iterator[Finding]:
    options = context.options
    site = _site_reading(document, options)
    github = document.dialect.github_view and options.github_view != "off" and site != "gfm"
    # A fix must render on every view the rule checks, or it trades one view's defect for another's.
    readings: tuple[Reading, ...] = (site, "gfm") if github else (site,)
    github_severity = Severity.INFO if options.github_view == "info" else None
    budget = Budget(_KRAMDOWN_STEPS)
    for source in _inline_sources(document):
        reported: set[tuple[int, int]] = set()
        for broken in _broken(source, site, budget):
            reported.add(broken.failing)
            yield context.finding(
                *broken.failing,
                _message(document, broken, _READER[site]),
                fix=_fix(source, broken, readings),
            )
        if not github:
            continue
        for broken in _broken(source, "gfm", budget):
            if broken.failing in reported:
                continue
            reader = f"GitHub's file view (not the {_READER[site]} page)"
            yield context.finding(
                *broken.failing,
                _message(document, broken, reader),
                fix=_fix(source, broken, readings),
                severity=github_severity,
            )


RULE = Rule(
    code="MDL030",
    name="emphasis-cjk-flanking",
    summary="Emphasis next to a CJK letter that the renderer prints as literal `**`",
    check=_check,
    options=_Options,
    fix_scope=frozenset({INLINE_MARKUP, TEXT}),
    fixes=frozenset({"unsafe"}),
)
