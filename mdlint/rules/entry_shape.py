"""entry-shape: a link-list entry shaped unlike nearly all of its siblings.

Link lists repeat one shape per entry: `ICON [source] [title](url)` in a study archive,
`[name](url) - Description.` in an awesome list. Each entry (a list item whose text opens with a
link, after an optional icon and `[tag]`) gets a signature: whether a `[tag]` precedes the link,
whether a description follows it, the separator before that description, and whether the
description ends with a period. Siblings are the entries at the same list depth in the same
list; when the list is too small, in the same heading section; then in the whole document. A
signature part that differs from a clear majority of the siblings is reported, naming it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from pydantic import Field

from mdlint.conventions.icons import leading_icon
from mdlint.findings import Finding, Severity
from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import Node
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]


class _Options(RuleOptions):
    min_siblings: int = Field(default=8, ge=3, description="entries a group needs before its majority counts")
    agreement: float = Field(
        default=0.8, gt=0.5, le=1, description="share of the group's entries that must agree on a shape part"
    )


# A no-break space after the icon or the tag (typed by some keyboards) separates like a space.
_GAP = " \t\u00a0"
_TAG = re.compile(r"\[[^\[\]\r\n]+\][ \t\u00a0]*")
# What may stand between a link and its description: `[x](u) - Desc`, `[x](u): Desc`, `[x](u) Desc`.
# A parenthesis right after the link belongs to it (`[x](u) (2019) - Desc`), not to the description.
_SEPARATOR = re.compile(r"(?:[ \t]*\([^()\r\n]*\))?(?P<space>[ \t]*)(?P<mark>[-–—:|,])?[ \t]*")
_TERMINAL = frozenset(".。!?！？")


@dataclass(frozen=True, slots=True)
class _Entry:
    item: Node
    depth: int
    section: int
    list_id: int
    link: Node
    tagged: bool
    # Offset where a missing tag would go (the link's start), and the description's span.
    description: tuple[int, int] | None
    separator: str | None
    terminal: bool | None


@dataclass(frozen=True, slots=True)
class _Part:
    """One part of the signature: how to read it from an entry and how to describe each value."""

    name: str
    value: Callable[[_Entry], object]
    where: Callable[[_Entry], int]
    describe: Callable[[object, object], str]


def _describe_tag(value: object, _majority: object) -> str:
    return "entry has no `[tag]` before its link" if not value else "entry has a `[tag]` before its link"


def _describe_description(value: object, _majority: object) -> str:
    return "entry has no description after its link" if not value else "entry has a description after its link"


def _describe_separator(value: object, majority: object) -> str:
    return f"entry separates its description with {_separator_name(value)}, not {_separator_name(majority)}"


def _describe_terminal(value: object, _majority: object) -> str:
    return "description does not end with a period" if not value else "description ends with a period"


def _separator_name(value: object) -> str:
    return "a space" if value == " " else f"`{value}`"


_PARTS: tuple[_Part, ...] = (
    _Part("tag", lambda e: e.tagged, lambda e: e.link.start, _describe_tag),
    _Part("description", lambda e: e.description is not None, lambda e: e.link.end, _describe_description),
    _Part("separator", lambda e: e.separator, lambda e: e.link.end, _describe_separator),
    _Part(
        "terminal",
        lambda e: e.terminal,
        lambda e: e.description[1] if e.description else e.link.end,
        _describe_terminal,
    ),
)


def _entry(document: Document, item: Node, headings: Sequence[int]) -> _Entry | None:
    if not item.children or item.children[0].type not in ("paragraph", "block_text"):
        return None
    block = item.children[0]
    children = block.children
    # The link opens the text, or follows one text node (the icon and the tag): a cheap test
    # that turns away the many items that are explanations.
    if children and children[0].type == "link":
        link = children[0]
    elif len(children) > 1 and children[0].type == "text" and children[1].type == "link":
        link = children[1]
    else:
        return None
    text = document.text
    position = block.start
    if document.in_code(position) or document.in_template(position):
        return None
    tagged = False
    if position < link.start:
        icon = leading_icon(text, position, link.start)
        if icon is not None:
            position = icon.end
            while position < link.start and text[position] in _GAP:
                position += 1
        tag = _TAG.match(text, position, link.start)
        if tag is not None:
            tagged = True
            position = tag.end()
        if position != link.start:
            return None
    end = block.end
    rest = text[link.end : end]
    content = rest.rstrip()
    description: tuple[int, int] | None = None
    separator: str | None = None
    terminal: bool | None = None
    if content.strip():
        mark = _SEPARATOR.match(rest)
        assert mark is not None  # the pattern matches the empty string
        separator = mark.group("mark") or (" " if mark.group("space") else "")
        description = (link.end + mark.end(), link.end + len(content))
        terminal = content[-1] in _TERMINAL
    parent = item.parent
    depth = parent.attrs.get("depth", 0) if parent is not None else 0
    return _Entry(
        item,
        depth,
        bisect_right(headings, item.start),
        id(parent),
        link,
        tagged,
        description,
        separator,
        terminal,
    )


def _check(document: Document, context: RuleContext[_Options]) -> Iterator[Finding]:
    items = document.nodes("list_item")
    if not items:
        return
    options = context.options
    headings = sorted(node.start for node in document.nodes("heading"))
    entries = [entry for item in items if (entry := _entry(document, item, headings)) is not None]
    if len(entries) < options.min_siblings:
        return
    by_list: dict[int, list[_Entry]] = {}
    by_section: dict[tuple[int, int], list[_Entry]] = {}
    by_depth: dict[int, list[_Entry]] = {}
    for entry in entries:
        by_list.setdefault(entry.list_id, []).append(entry)
        by_section.setdefault((entry.section, entry.depth), []).append(entry)
        by_depth.setdefault(entry.depth, []).append(entry)
    item_counts = _items_per_list(items)
    findings: list[Finding] = []
    majorities: dict[int, list[_Majority]] = {}
    for list_id, members in by_list.items():
        first = members[0]
        # A list whose items are mostly not link entries (explanations with a link here and
        # there) has no entry shape to keep.
        if len(members) * 2 <= item_counts.get(list_id, 0):
            continue
        section = by_section[(first.section, first.depth)]
        group, scope = (
            (section, "section") if len(section) >= options.min_siblings else (by_depth[first.depth], "document")
        )
        if id(group) not in majorities:
            majorities[id(group)] = _majorities(group, options)
        findings.extend(_outliers(context, members, majorities[id(group)], scope))
    findings.sort(key=lambda finding: (finding.line, finding.column))
    yield from findings


def _items_per_list(items: list[Node]) -> Counter[int]:
    return Counter(id(item.parent) for item in items)


@dataclass(frozen=True, slots=True)
class _Majority:
    """A shape part on which a group of entries clearly agrees."""

    part: _Part
    value: object
    count: int
    total: int


def _majorities(group: list[_Entry], options: _Options) -> list[_Majority]:
    found: list[_Majority] = []
    for part in _PARTS:
        defined = [value for value in map(part.value, group) if value is not None]
        if len(defined) < options.min_siblings:
            continue
        value, count = Counter(defined).most_common(1)[0]
        if count >= options.agreement * len(defined):
            found.append(_Majority(part, value, count, len(defined)))
    return found


def _outliers(
    context: RuleContext[_Options], members: list[_Entry], majorities: list[_Majority], scope: str
) -> Iterator[Finding]:
    for majority in majorities:
        part = majority.part
        values = [part.value(entry) for entry in members]
        if all(value is None or value == majority.value for value in values):
            continue
        local = Counter(values)
        for entry, value in zip(members, values, strict=True):
            if value is None or value == majority.value:
                continue
            if local[value] >= 2 and local[majority.value] == 0:
                # The entry's own list agrees on another shape: a convention, not a slip.
                continue
            offset = part.where(entry)
            yield context.finding(
                offset,
                offset,
                f"{part.describe(value, majority.value)}, unlike {majority.count} of {majority.total} entries "
                f"in this {scope}",
            )


RULE = Rule(
    code="MDL024",
    name="entry-shape",
    summary="Link-list entry shaped unlike nearly all of its siblings (tag, description, separator, period)",
    check=_check,
    severity=Severity.WARNING,
    options=_Options,
    tags=("consistency",),
)
