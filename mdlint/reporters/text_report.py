"""`path:line:column: severity CODE rule-name message`, one line per finding, then a summary line.

The severity word is printed (not only coloured) so an error and a warning differ in CI logs and
pre-commit output, where there is no colour; the summary splits the count by severity so the exit
code can be read from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mdlint.findings import Finding, Severity
from mdlint.reporters.control_characters import escape_controls
from mdlint.reporters.rule_statistics import rule_statistics, statistics_lines

if TYPE_CHECKING:
    from mdlint.reporters.options import ReportOptions
    from mdlint.run.runner import RunResult

__all__ = ["finding_line", "fix_lines", "render", "render_pieces", "summary"]

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}
# Files named one by one in the "Fixed …" line; more are counted, not named.
_FIXED_FILES_NAMED = 10
# Finding lines per piece of `render_pieces`.
_LINES_PER_PIECE = 1024


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def finding_line(finding: Finding, unsafe_fixes: bool, color: bool = False) -> str:
    """One finding as a text line: `path:line:column: severity CODE rule message [*]`.

    `[*]`: `--fix` (with `--unsafe-fixes` when given) repairs it; `[unsafe fix]`: it has a fix
    that only `--unsafe-fixes` applies, which is why the same message may lack `[*]` elsewhere.
    """
    # Path and message may carry a committed newline or ESC: escaped, so one finding is one line.
    location = _paint(f"{escape_controls(finding.path)}:{finding.line}:{finding.column}:", "1", color)
    severity = _paint(finding.severity.value, _COLORS[finding.severity], color)
    if finding.fixable_with(unsafe_fixes):
        suffix = " [*]"
    elif finding.fixable:
        suffix = " [unsafe fix]"
    else:
        suffix = ""
    return f"{location} {severity} {finding.code} {finding.rule} {escape_controls(finding.message)}{suffix}"


def _severity_split(findings: list[Finding]) -> str:
    counts = {severity: 0 for severity in Severity}
    for finding in findings:
        counts[finding.severity] += 1
    parts = [_count(counts[Severity.ERROR], "error"), _count(counts[Severity.WARNING], "warning")]
    if counts[Severity.INFO]:
        parts.append(f"{counts[Severity.INFO]} info")
    return ", ".join(parts)


def summary(result: RunResult, unsafe_fixes: bool) -> str:
    """One line: findings split by severity, files, what `--fix` and `--unsafe-fixes` would repair."""
    findings = result.findings
    head = f"Found {_count(len(findings), 'finding')}"
    if findings:
        head += f" ({_severity_split(findings)})"
    parts = [f"{head} in {_count(result.files, 'file')}"]
    fixable = sum(1 for finding in findings if finding.fixable_with(unsafe_fixes))
    hidden = sum(1 for finding in findings if finding.fixable and not finding.fixable_with(unsafe_fixes))
    if fixable:
        parts.append(f"{fixable} fixable with --fix" + (" --unsafe-fixes" if unsafe_fixes else ""))
    if hidden:
        parts.append(f"{hidden} more fixable with --unsafe-fixes")
    failed = sum(1 for error in result.errors if error.kind == "unreadable")
    if failed:
        parts.append(f"{_count(failed, 'file')} could not be linted")
    not_written = sum(1 for error in result.errors if error.kind == "not-written")
    if not_written:
        parts.append(f"{_count(not_written, 'file')} not written")
    rolled_back = sum(1 for error in result.errors if error.kind == "rolled-back")
    if rolled_back:
        parts.append(f"{_count(rolled_back, 'fix', 'fixes')} rolled back (reasons above, on standard error)")
    return "; ".join(parts) + "."


def fix_lines(result: RunResult) -> list[str]:
    """After `--fix`: how many findings were fixed, in which files, and how many remain."""
    if not result.fixed_files:
        return []
    # A fixed file's name may carry a newline or ESC like any other path: escaped, so this stays one line.
    named = [
        f"{escape_controls(path)} ({count})" for path, count in sorted(result.fixed_files.items())[:_FIXED_FILES_NAMED]
    ]
    more = len(result.fixed_files) - len(named)
    files = ", ".join(named) + (f" and {more} more" if more else "")
    fixed = _count(sum(result.fixed_files.values()), "finding")
    return [f"Fixed {fixed} in {_count(len(result.fixed_files), 'file')}: {files}; {len(result.findings)} remaining."]


def render(result: RunResult, options: ReportOptions) -> str:
    """The text report."""
    return "".join(render_pieces(result, options))


def render_pieces(result: RunResult, options: ReportOptions) -> Iterator[str]:
    """The text report in pieces of whole lines, which joined make `render`'s text.

    A large run's report, built whole, was the largest thing its process held at the end.
    """
    batch: list[str] = []
    for finding in result.findings:
        batch.append(finding_line(finding, options.unsafe_fixes, options.color) + "\n")
        if len(batch) == _LINES_PER_PIECE:
            yield "".join(batch)
            batch = []
    lines = [diff.rstrip("\n") for diff in result.diffs]
    if options.statistics:
        lines.extend(statistics_lines(rule_statistics(result.findings, options.unsafe_fixes)))
    lines.extend(fix_lines(result))
    if not options.quiet or result.findings:
        lines.append(summary(result, options.unsafe_fixes))
    batch.extend(line + "\n" for line in lines)
    if batch:
        yield "".join(batch)
