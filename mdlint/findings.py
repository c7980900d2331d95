"""Findings, fixes and the edits a fix is made of."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

__all__ = [
    "FRONT_MATTER",
    "FRONT_MATTER_PLACEMENT",
    "HTML_BLOCK_SPLIT",
    "INLINE_MARKUP",
    "LINK_DESTINATIONS",
    "LIST_SPACING",
    "PARAGRAPH_SPLIT",
    "SCOPES",
    "TEXT",
    "Applicability",
    "Edit",
    "Finding",
    "Fix",
    "Severity",
    "splice",
]


class Severity(StrEnum):
    """How much a finding matters; only `error` makes the exit code 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


Applicability = Literal["safe", "unsafe"]


@dataclass(frozen=True, slots=True, order=True)
class Edit:
    """Replace `document.text[start:end]` with `replacement` (code-point offsets)."""

    start: int
    end: int
    replacement: str

    def __reduce__(self) -> tuple[type[Edit], tuple[int, int, str]]:
        # Positional arguments unpickle several times faster than the per-field state a
        # slotted dataclass pickles by default; warm runs load every cached finding.
        return Edit, (self.start, self.end, self.replacement)


def splice(text: str, edits: Iterable[Edit]) -> str:
    """`text` with `edits` (non-overlapping, all measured on `text`) put in, in one pass."""
    parts: list[str] = []
    position = 0
    for edit in sorted(edits):
        parts.append(text[position : edit.start])
        parts.append(edit.replacement)
        position = edit.end
    parts.append(text[position:])
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Fix:
    """A fix is a list of edits applied together, never a rewritten file."""

    edits: tuple[Edit, ...]
    applicability: Applicability = "safe"

    def __reduce__(self) -> tuple[type[Fix], tuple[tuple[Edit, ...], Applicability]]:
        return Fix, (self.edits, self.applicability)

    @staticmethod
    def replace(start: int, end: int, replacement: str, applicability: Applicability = "safe") -> Fix:
        """A fix made of one edit."""
        return Fix((Edit(start, end, replacement),), applicability)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place of one file."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    code: str
    severity: Severity
    message: str
    fix: Fix | None = None
    # Extra JSON fields a rule promises, e.g. the class of a dead link.
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __reduce__(self) -> tuple[type[Finding], tuple[Any, ...]]:
        # See `Edit.__reduce__`; an empty `extra` is left out, most findings have none.
        fields = (self.path, self.line, self.column, self.end_line, self.end_column, self.rule, self.code)
        if self.extra:
            return Finding, (*fields, self.severity, self.message, self.fix, self.extra)
        if self.fix is not None:
            return Finding, (*fields, self.severity, self.message, self.fix)
        return Finding, (*fields, self.severity, self.message)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Findings are always ordered by path, line, column, rule (then message)."""
        return (self.path, self.line, self.column, self.rule, self.message)

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    def fixable_with(self, unsafe: bool) -> bool:
        """Whether `--fix` (or `--fix --unsafe-fixes` when `unsafe`) applies this finding's fix."""
        return self.fix is not None and (unsafe or self.fix.applicability == "safe")


# The vocabulary of `Rule.fix_scope`: what a rule's fixes may change, checked by `mdlint.fixing.safety`.
TEXT = "text"
"""Inline text may change (characters of paragraphs, headings, cells, link texts)."""
LINK_DESTINATIONS = "link-destinations"
"""Destinations of links, images and definitions may change."""
INLINE_MARKUP = "inline-markup"
"""Emphasis and inline HTML may appear or change (`**x**` becoming `<strong>x</strong>`)."""
HTML_BLOCK_SPLIT = "html-block-split"
"""Markdown swallowed by an HTML block may come out of it: new blocks, links and text may appear,
but every HTML tag keeps its place and its `<details>` nesting."""
PARAGRAPH_SPLIT = "paragraph-split"
"""A paragraph may split into several at its line ends (blank lines put in): new blocks may appear,
the text keeps its characters in order, and HTML tags keep their places."""
LIST_SPACING = "list-spacing"
"""A list may become loose or tight: its items' text may render in paragraphs (`<li><p>`) or bare.
Rules offer such fixes as unsafe."""
FRONT_MATTER = "front-matter"
"""The content of the front matter may change."""
FRONT_MATTER_PLACEMENT = "front-matter-placement"
"""Front matter may appear, disappear or grow: blocks at the top of the body may become front matter."""

SCOPES = frozenset(
    {
        TEXT,
        LINK_DESTINATIONS,
        INLINE_MARKUP,
        HTML_BLOCK_SPLIT,
        PARAGRAPH_SPLIT,
        LIST_SPACING,
        FRONT_MATTER,
        FRONT_MATTER_PLACEMENT,
    }
)
