"""list-lazy-continuation: a line meant as a new line that joins the list item above it.

A line under a list item indented less than the item's content column is a lazy continuation:
CommonMark adds it to the item's paragraph. Wrapped prose is written that way on purpose, so the
rule speaks only where the line evidently starts something new: an arrow or bullet-like character
(`→ …`), or an emoji where the item's list opens its items with one.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from mdlint.conventions.line_starts import line_start
from mdlint.findings import Finding, Severity
from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import Node
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]


class _Options(RuleOptions):
    min_siblings: int = Field(
        default=3, ge=1, description="items of the list that must open with an emoji for an emoji line to count"
    )
    agreement: float = Field(
        default=0.8, gt=0.5, le=1, description="share of the list's items that must open with an emoji"
    )


def _emoji_items(document: Document, list_node: Node) -> tuple[int, int]:
    """(items opening with an emoji, items) of a list."""
    items = [child for child in list_node.children if child.type == "list_item"]
    with_emoji = 0
    for item in items:
        if item.children and item.children[0].type in ("paragraph", "block_text"):
            block = item.children[0]
            found = line_start(document.text, block.start, block.end)
            if found is not None and found[0] == "emoji":
                with_emoji += 1
    return with_emoji, len(items)


def _check(document: Document, context: RuleContext[_Options]) -> Iterator[Finding]:
    options = context.options
    text = document.text
    # Type by type: the combined, sorted listing costs more, and findings are sorted later anyway.
    for block in (*document.nodes("paragraph"), *document.nodes("block_text")):
        item = block.parent
        if item is None or item.type != "list_item" or not any(c.type == "softbreak" for c in block.children):
            continue
        # Inside a block quote the `>` markers shift every column; such lines are not judged.
        if any(ancestor.type == "block_quote" for ancestor in item.ancestors()):
            continue
        content_column = document.position(item.children[0].start)[1]
        siblings: tuple[int, int] | None = None
        for child in block.children:
            if child.type != "softbreak":
                continue
            line, column = document.position(child.end)
            if column >= content_column or document.in_template(child.end) or document.in_code(child.end):
                continue
            found = line_start(text, child.end, document.line_end(line))
            if found is None or found[0] == "key":
                continue
            if found[0] == "bullet":
                why = f"`{text[child.end]}` starts a new line here"
            else:
                if item.parent is None:
                    continue
                siblings = siblings or _emoji_items(document, item.parent)
                with_emoji, total = siblings
                if with_emoji < options.min_siblings or with_emoji < options.agreement * total:
                    continue
                why = f"it opens with an emoji, like {with_emoji} of {total} items of this list"
            yield context.finding(
                child.end,
                document.line_end(line),
                f"line joins the text of the list item above as a lazy continuation ({why}): it starts at column "
                f"{column}, left of the item's text at column {content_column}; make it an item, or end the line "
                "above with a line break and indent it",
            )


RULE = Rule(
    code="MDL037",
    name="list-lazy-continuation",
    summary="A line that starts something new (`→ …`) but is indented too little, so it joins the list item above",
    check=_check,
    severity=Severity.WARNING,
    options=_Options,
    tags=("consistency",),
)
