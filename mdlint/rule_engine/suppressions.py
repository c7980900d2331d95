"""Comments that switch rules off: `<!-- mdlint-disable RULE… -->` and friends.

markdownlint's spellings (`markdownlint-disable`, …) are honoured the same way, so a repository
can switch linters without rewriting its comments. `capture` saves the disable/enable state and
`restore` returns to it, as in markdownlint; `markdownlint-configure-file` configures markdownlint
only and is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mdlint.findings import Finding
from mdlint.markdown.document import Document

__all__ = ["ALL", "Suppression", "Suppressions", "find_suppressions"]

_COMMENT = re.compile(
    r"<!--\s*(?P<tool>mdlint|markdownlint)-"
    r"(?P<action>disable-next-line|disable-line|disable-file|enable-file|disable|enable|capture|restore)"
    r"(?P<rules>(?:\s+[^\s>]+?)*?)\s*-->",
)
_NAME = re.compile(r"[^\s,>]+")
ALL = "*"


@dataclass(frozen=True, slots=True)
class Suppression:
    """One disable/enable comment."""

    action: str
    rules: frozenset[str]  # lower-case names or codes; ALL when the comment names none
    line: int
    column: int
    start: int
    end: int
    tool: str = "mdlint"  # or "markdownlint", as spelled
    # Each rule named (lower-cased), with its offsets in the document.
    named: tuple[tuple[str, int, int], ...] = ()
    end_line: int = 0
    end_column: int = 0

    def contains(self, finding: Finding) -> bool:
        """Whether the finding starts inside this comment's own text."""
        return (self.line, self.column) <= (finding.line, finding.column) < (self.end_line, self.end_column)

    def names(self, finding: Finding) -> bool:
        return self.matching_name(finding) is not None

    def matching_name(self, finding: Finding) -> str | None:
        """The entry of `rules` that covers this finding: its name, its code, or ALL."""
        for key in (finding.rule.lower(), finding.code.lower(), ALL):
            if key in self.rules:
                return key
        return None


class Suppressions:
    """The suppression comments of one document, answering "is this finding switched off?"."""

    def __init__(self, comments: list[Suppression]) -> None:
        self.comments = comments
        self.used: set[Suppression] = set()
        # Which of each used comment's `rules` entries switched something off.
        self.used_names: dict[Suppression, set[str]] = {}

    def suppressing(self, finding: Finding) -> Suppression | None:
        """The comment that switches this finding off, if any."""
        state: Suppression | None = None  # the last disable/enable ruling for this finding's rule
        captured: Suppression | None = None
        for comment in self.comments:
            # A comment rules on the text around it, not on findings about itself (unused-suppression).
            if not comment.names(finding) or comment.contains(finding):
                continue
            if comment.action == "disable-file":
                return comment
            if comment.action == "disable-next-line" and comment.line + 1 == finding.line:
                return comment
            if comment.action == "disable-line" and comment.line == finding.line:
                return comment
            if comment.line > finding.line or (comment.line == finding.line and comment.column > finding.column):
                continue
            if comment.action == "disable":
                state = comment
            elif comment.action == "enable":
                state = None
            elif comment.action == "capture":
                captured = state
            elif comment.action == "restore":
                state = captured
        return state

    def filter(self, findings: list[Finding]) -> list[Finding]:
        """The findings no comment switches off; remembers which comments were used."""
        kept = []
        for finding in findings:
            comment = self.suppressing(finding)
            if comment is None:
                kept.append(finding)
            else:
                self.used.add(comment)
                self.used_names.setdefault(comment, set()).add(comment.matching_name(finding) or ALL)
        return kept


def find_suppressions(document: Document) -> Suppressions:
    """Every suppression comment in the document, outside code, in source order."""
    text = document.text
    comments = []
    if "-->" in text:
        for m in _COMMENT.finditer(text):
            if document.in_code(m.start()):
                continue
            offset = m.start("rules")
            named = tuple(
                (name.group().lower(), offset + name.start(), offset + name.end())
                for name in _NAME.finditer(m.group("rules"))
            )
            rules = frozenset(name for name, _, _ in named) or frozenset({ALL})
            line, column = document.position(m.start())
            end_line, end_column = document.position(m.end())
            comments.append(
                Suppression(
                    m.group("action"),
                    rules,
                    line,
                    column,
                    m.start(),
                    m.end(),
                    m.group("tool"),
                    named,
                    end_line,
                    end_column,
                )
            )
    return Suppressions(comments)
