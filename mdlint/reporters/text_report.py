"""`path:line:column: rule-name message`, one line per finding, then a summary line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdlint.findings import Severity
from mdlint.reporters.control_characters import escape_controls
from mdlint.reporters.rule_statistics import rule_statistics, statistics_lines

if TYPE_CHECKING:
    from mdlint.reporters.options import ReportOptions
    from mdlint.run.runner import RunResult

__all__ = ["render", "summary"]

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def summary(result: RunResult, unsafe_fixes: bool) -> str:
    """One line: how many findings, how many fixable, how many files."""
    count = len(result.findings)
    fixable = sum(1 for finding in result.findings if finding.fixable_with(unsafe_fixes))
    files = result.files
    parts = [
        f"{count} finding{'s' if count != 1 else ''} ({fixable} fixable) in {files} file{'s' if files != 1 else ''}"
    ]
    if result.fixes_applied:
        parts.append(
            f"{result.fixes_applied} fixed in {result.files_fixed} file{'s' if result.files_fixed != 1 else ''}"
        )
    failed = sum(1 for error in result.errors if error.kind == "unreadable")
    if failed:
        parts.append(f"{failed} file{'s' if failed != 1 else ''} could not be linted")
    not_written = sum(1 for error in result.errors if error.kind == "not-written")
    if not_written:
        parts.append(f"{not_written} file{'s' if not_written != 1 else ''} not written")
    rolled_back = sum(1 for error in result.errors if error.kind == "rolled-back")
    if rolled_back:
        parts.append(f"{rolled_back} fix{'es' if rolled_back != 1 else ''} rolled back")
    return "; ".join(parts) + "."


def render(result: RunResult, options: ReportOptions) -> str:
    """The text report."""
    lines = []
    for finding in result.findings:
        # Path and message may carry a committed newline or ESC: escaped, so one finding is one line.
        location = _paint(f"{escape_controls(finding.path)}:{finding.line}:{finding.column}:", "1", options.color)
        rule = _paint(finding.rule, _COLORS[finding.severity], options.color)
        suffix = " [*]" if finding.fixable_with(options.unsafe_fixes) else ""
        lines.append(f"{location} {rule} {escape_controls(finding.message)}{suffix}")
    for diff in result.diffs:
        lines.append(diff.rstrip("\n"))
    if options.statistics:
        lines.extend(statistics_lines(rule_statistics(result.findings, options.unsafe_fixes)))
    if not options.quiet or result.findings:
        lines.append(summary(result, options.unsafe_fixes))
    return "\n".join(lines) + ("\n" if lines else "")
