"""The JSON report, a public contract: `{"version": 1, "findings": [...], "summary": {...}}`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from mdlint.findings import Finding, Severity
from mdlint.reporters.rule_statistics import rule_statistics

if TYPE_CHECKING:
    from mdlint.reporters.options import ReportOptions
    from mdlint.run.runner import RunResult

__all__ = ["finding_to_json", "render"]

VERSION = 1


def finding_to_json(finding: Finding, unsafe_fixes: bool) -> dict[str, Any]:
    """One finding as the JSON contract spells it (plus rule-specific extras such as `class`)."""
    data: dict[str, Any] = {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "rule": finding.rule,
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "fixable": finding.fixable_with(unsafe_fixes),
    }
    for key, value in finding.extra.items():
        data.setdefault(key, value)
    return data


def render(result: RunResult, options: ReportOptions) -> str:
    """The JSON report: findings in output order, a summary, and files that could not be read."""
    findings = [finding_to_json(f, options.unsafe_fixes) for f in result.findings]
    by_severity = {severity.value: 0 for severity in Severity}
    for finding in result.findings:
        by_severity[finding.severity.value] += 1
    report: dict[str, Any] = {
        "version": VERSION,
        "findings": findings,
        "summary": {
            "findings": len(findings),
            "fixable": sum(1 for f in findings if f["fixable"]),
            "files": result.files,
            "fixed": result.fixes_applied,
            **{f"{name}s" if name != "info" else name: count for name, count in by_severity.items()},
            "unreadable": sum(1 for error in result.errors if error.kind != "rolled-back"),
        },
        "errors": [{"path": error.path, "message": error.message} for error in result.errors],
    }
    if options.statistics:
        # Only on request, so the default report stays exactly the documented contract.
        report["statistics"] = [row.to_json() for row in rule_statistics(result.findings, options.unsafe_fixes)]
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
