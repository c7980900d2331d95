"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per finding.

The runner turns each command on standard output into an annotation on the pull request.
`col`/`endColumn` are only sent for one-line findings, because the runner rejects the whole
annotation when they are given with `line` ≠ `endLine`. Columns are mdlint's code-point columns,
`endColumn` exclusive, as in every other format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdlint.findings import Finding, Severity
from mdlint.reporters.control_characters import escape_controls
from mdlint.reporters.rule_statistics import rule_statistics, statistics_lines

if TYPE_CHECKING:
    from mdlint.reporters.options import ReportOptions
    from mdlint.run.runner import RunResult

__all__ = ["escape_data", "escape_property", "render"]

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part of a workflow command, escaped as the runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A `key=value` property of a workflow command: `:` and `,` would end the value early."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, properties: list[tuple[str, str | int]], message: str) -> str:
    # Control characters are made visible before the runner's own escaping: it would turn `%0A`
    # back into a newline of the annotation, and ESC or BEL would reach the log as they are.
    listed = ",".join(f"{key}={escape_property(escape_controls(str(value)))}" for key, value in properties)
    return f"::{name} {listed}::{escape_data(escape_controls(message))}"


def _annotation(finding: Finding) -> str:
    properties: list[tuple[str, str | int]] = [("file", finding.path), ("line", finding.line)]
    if finding.end_line == finding.line:
        properties += [("col", finding.column), ("endLine", finding.end_line), ("endColumn", finding.end_column)]
    else:
        properties.append(("endLine", finding.end_line))
    properties.append(("title", f"{finding.rule} ({finding.code})"))
    return _command(_COMMANDS[finding.severity], properties, finding.message)


def render(result: RunResult, options: ReportOptions) -> str:
    """One workflow command per finding and per unreadable file; statistics as plain log lines."""
    lines = [_annotation(finding) for finding in result.findings]
    lines += [_command("error", [("file", error.path)], error.message) for error in result.errors]
    if options.statistics:
        lines.extend(statistics_lines(rule_statistics(result.findings, options.unsafe_fixes)))
    return "".join(line + "\n" for line in lines)
