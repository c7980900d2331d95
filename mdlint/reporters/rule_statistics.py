"""`--statistics`: how many findings each rule produced, and how many of them are fixable."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mdlint.findings import Finding

__all__ = ["RuleCount", "rule_statistics", "statistics_lines"]


@dataclass(frozen=True)
class RuleCount:
    """One row of the statistics: a rule and its finding counts."""

    code: str
    rule: str
    count: int
    fixable: int
    # Findings whose fix only `--unsafe-fixes` applies: the reason they have no `[*]`.
    unsafe_only: int = 0

    def to_json(self) -> dict[str, str | int]:
        """The row as the JSON and SARIF reports spell it."""
        return {"code": self.code, "rule": self.rule, "count": self.count, "fixable": self.fixable}


def rule_statistics(findings: Iterable[Finding], unsafe_fixes: bool) -> list[RuleCount]:
    """A row per rule that has findings, most findings first, then by code."""
    counts: dict[tuple[str, str], list[int]] = {}
    for finding in findings:
        row = counts.setdefault((finding.code, finding.rule), [0, 0, 0])
        row[0] += 1
        row[1] += finding.fixable_with(unsafe_fixes)
        row[2] += finding.fixable and not finding.fixable_with(unsafe_fixes)
    rows = [
        RuleCount(code, rule, count, fixable, unsafe_only)
        for (code, rule), (count, fixable, unsafe_only) in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row.count, row.code))


def statistics_lines(rows: list[RuleCount]) -> list[str]:
    """The rows as aligned plain-text lines: count, code, name, fixable count (and unsafe-only count)."""
    if not rows:
        return []
    count_width = max(len(str(row.count)) for row in rows)
    code_width = max(len(row.code) for row in rows)
    name_width = max(len(row.rule) for row in rows)
    return [
        f"{row.count:>{count_width}}  {row.code:<{code_width}}  {row.rule:<{name_width}}  {row.fixable} fixable"
        + (f", {row.unsafe_only} more with --unsafe-fixes" if row.unsafe_only else "")
        for row in rows
    ]
