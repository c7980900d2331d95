"""Comments that switch rules off: `<!-- mdlint-disable RULE… -->` and friends.

markdownlint's spellings (`markdownlint-disable`, …) are honoured the same way, so a repository
can switch linters without rewriting its comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mdlint.document import Document
from mdlint.findings import Finding

__all__ = ["Suppression", "Suppressions", "find_suppressions"]

_COMMENT = re.compile(
    r"<!--\s*(?P<tool>mdlint|markdownlint)-(?P<action>disable-next-line|disable-line|disable-file|enable-file|disable|enable)"
    r"(?P<rules>(?:\s+[^\s>]+?)*?)\s*-->",
)
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

    def names(self, finding: Finding) -> bool:
        return ALL in self.rules or finding.rule.lower() in self.rules or finding.code.lower() in self.rules


class Suppressions:
    """The suppression comments of one document, answering "is this finding switched off?"."""

    def __init__(self, comments: list[Suppression]) -> None:
        self.comments = comments
        self.used: set[Suppression] = set()

    def suppressing(self, finding: Finding) -> Suppression | None:
        """The comment that switches this finding off, if any."""
        state: Suppression | None = None  # the last disable/enable ruling for this finding's rule
        for comment in self.comments:
            if not comment.names(finding):
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
        return kept


def find_suppressions(document: Document) -> Suppressions:
    """Every suppression comment in the document, outside code, in source order."""
    text = document.text
    comments = []
    if "-->" in text:
        for m in _COMMENT.finditer(text):
            if document.in_code(m.start()):
                continue
            rules = frozenset(name.lower().strip(",") for name in m.group("rules").split()) or frozenset({ALL})
            line, column = document.position(m.start())
            comments.append(Suppression(m.group("action"), rules, line, column, m.start(), m.end()))
    return Suppressions(comments)
