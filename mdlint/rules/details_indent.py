"""details-indent: `<details>`, `</details>` and `<summary>` lines indented unlike their partners.

Folded archives are read and edited by their indentation: a `</details>` at another indent than
its `<details>`, or a `<summary>` further in than every other one, is how a misplaced block
starts (and, inside a list item, a line indented too little can end the item). Tags are paired as
details-unbalanced pairs them; only tags that open their line count.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import Field

from mdlint.findings import Finding, Fix, Severity
from mdlint.markdown.document import Document
from mdlint.markdown.html_tags import html_tags
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]


class _Options(RuleOptions):
    min_siblings: int = Field(default=5, ge=2, description="tag pairs a comparison needs before its majority counts")
    agreement: float = Field(
        default=0.8, gt=0.5, le=1, description="share of the compared pairs that must be indented alike"
    )


_DETAILS = re.compile(r"<details", re.IGNORECASE)
_FOLDING_TAG = re.compile(r"</?(?:details|summary)", re.IGNORECASE)


@dataclass(slots=True)
class _Tag:
    name: str
    closing: bool
    start: int
    end: int
    # Columns of whitespace before the tag when it opens its line, else None.
    indent: int | None
    line_start: int
    # For `<details>`: its `</details>` and its `<summary>`; for `<summary>`: its `<details>`.
    partner: _Tag | None = None
    summary: _Tag | None = None
    # The `<details>` this one is nested in (None at the top).
    parent: _Tag | None = None


def _tags(document: Document) -> list[_Tag]:
    text = document.text
    found: list[_Tag] = []
    for node in document.nodes("block_html", "inline_html"):
        if _FOLDING_TAG.search(text, node.start, node.end) is None:
            continue
        for match in html_tags(document, node):
            name = match.group("name").lower()
            if name not in ("details", "summary"):
                continue
            start = node.start + match.start()
            line_start = text.rfind("\n", 0, start) + 1
            prefix = text[line_start:start]
            indent = len(prefix.expandtabs(4)) if not prefix.strip() else None
            found.append(_Tag(name, bool(match.group("close")), start, node.start + match.end(), indent, line_start))
    found.sort(key=lambda tag: tag.start)
    return found


def _pair(tags: list[_Tag]) -> list[_Tag]:
    """Link each `<details>` to its `</details>`, its `<summary>` and its parent; return the `<details>`."""
    opened: list[_Tag] = []
    details: list[_Tag] = []
    for tag in tags:
        if tag.name == "summary":
            if not tag.closing and opened and opened[-1].summary is None:
                opened[-1].summary = tag
                tag.partner = opened[-1]
            continue
        if not tag.closing:
            tag.parent = opened[-1] if opened else None
            opened.append(tag)
            details.append(tag)
        elif opened:
            opening = opened.pop()
            opening.partner = tag
            tag.partner = opening
    return details


def _check(document: Document, context: RuleContext[_Options]) -> Iterator[Finding]:
    if _DETAILS.search(document.text) is None:
        return
    details = _pair(_tags(document))
    findings = [*_closing_findings(context, details), *_summary_findings(document, context, details)]
    findings.sort(key=lambda finding: (finding.line, finding.column))
    yield from findings


def _closing_findings(context: RuleContext[_Options], details: list[_Tag]) -> Iterator[Finding]:
    options = context.options
    pairs = [
        tag for tag in details if tag.partner is not None and tag.indent is not None and tag.partner.indent is not None
    ]
    aligned = sum(1 for tag in pairs if tag.partner is not None and tag.indent == tag.partner.indent)
    if len(pairs) < options.min_siblings or aligned < options.agreement * len(pairs):
        return
    document = context.document
    for tag in pairs:
        closing = tag.partner
        assert closing is not None and closing.indent is not None and tag.indent is not None
        if closing.indent == tag.indent:
            continue
        line = document.position(tag.start)[0]
        yield context.finding(
            closing.start,
            closing.end,
            f"</details> starts at column {closing.indent + 1}, its <details> (line {line}) at column "
            f"{tag.indent + 1}; {aligned} of {len(pairs)} <details> blocks in this document close at the column "
            "they open at",
        )


def _summary_findings(document: Document, context: RuleContext[_Options], details: list[_Tag]) -> Iterator[Finding]:
    """A `<summary>` placed unlike the other summaries under `<details>` at the same indent."""
    options = context.options
    groups: dict[int, list[_Tag]] = {}
    for tag in details:
        summary = tag.summary
        if tag.indent is None or summary is None or summary.indent is None:
            continue
        if document.position(summary.start)[0] == document.position(tag.start)[0]:
            continue
        groups.setdefault(tag.indent, []).append(tag)
    for indent, members in groups.items():
        offsets = Counter(_offset(tag) for tag in members)
        majority, count = offsets.most_common(1)[0]
        if len(members) < options.min_siblings or count < options.agreement * len(members):
            continue
        for tag in members:
            offset = _offset(tag)
            if offset == majority or _local_convention(tag, details, offset, majority):
                continue
            summary = tag.summary
            assert summary is not None
            target = indent + majority
            yield context.finding(
                summary.start,
                summary.end,
                f"<summary> is indented {_columns(offset)} past its <details>, unlike {count} of {len(members)} "
                f"<summary> tags under a <details> at column {indent + 1}, which are indented {_columns(majority)}",
                fix=Fix.replace(summary.line_start, summary.start, " " * target, "unsafe"),
            )


def _columns(count: int) -> str:
    return f"{count} column" if abs(count) == 1 else f"{count} columns"


def _offset(tag: _Tag) -> int:
    assert tag.summary is not None and tag.summary.indent is not None and tag.indent is not None
    return tag.summary.indent - tag.indent


def _local_convention(tag: _Tag, details: list[_Tag], offset: int, majority: int) -> bool:
    """Whether the `<details>` blocks beside this one (same parent) agree on its offset instead."""
    same = other = 0
    for sibling in details:
        if sibling is tag or sibling.parent is not tag.parent or sibling.indent != tag.indent:
            continue
        if sibling.summary is None or sibling.summary.indent is None:
            continue
        value = _offset(sibling)
        same += value == offset
        other += value == majority
    return same >= 1 and other == 0


RULE = Rule(
    code="MDL007",
    name="details-indent",
    summary="</details> or <summary> indented unlike its <details> and the document's other pairs",
    check=_check,
    severity=Severity.WARNING,
    options=_Options,
    fixes=frozenset({"unsafe"}),
    tags=("consistency",),
)
