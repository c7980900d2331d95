"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure Pipelines).

`testsuites` > one `testsuite` named `mdlint` > one `testcase` per file (`classname` and `name`
are the path). Each error-severity finding is a `<failure>` of its file's test case; warnings and
info findings do not fail it, as they do not fail the exit code, and are listed in its
`<system-out>`. A file that could not be read is a test case with an `<error>`. The `failures`
and `errors` counts are numbers of test cases, as in JUnit, so `tests >= failures + errors`;
a test case with an `<error>` counts as an error only.

XML 1.0 cannot carry most control characters, even escaped: each one becomes `[U+XXXX]`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from mdlint.findings import Finding, Severity

if TYPE_CHECKING:
    from mdlint.reporters.options import ReportOptions
    from mdlint.run.runner import RunResult

__all__ = ["render", "xml_text"]

_NOT_IN_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` with every character XML 1.0 forbids replaced by a visible `[U+XXXX]`."""
    return _NOT_IN_XML.sub(lambda match: f"[U+{ord(match.group()):04X}]", text)


def _line(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.rule} {finding.message}"


def render(result: RunResult, options: ReportOptions) -> str:
    """The JUnit XML report."""
    findings: dict[str, list[Finding]] = {path: [] for path in result.documents}
    for finding in result.findings:
        findings.setdefault(finding.path, []).append(finding)
    unreadable: dict[str, list[str]] = {}
    for error in result.errors:
        unreadable.setdefault(error.path, []).append(error.message)
    paths = sorted(findings.keys() | unreadable.keys())

    root = ET.Element("testsuites", name="mdlint")
    suite = ET.SubElement(root, "testsuite", name="mdlint")
    failures = errors = 0
    for path in paths:
        case = ET.SubElement(suite, "testcase", classname=xml_text(path), name=xml_text(path))
        for message in unreadable.get(path, []):
            element = ET.SubElement(case, "error", message=xml_text(message), type="unreadable")
            element.text = xml_text(f"{path}: error: {message}")
        others: list[str] = []
        failed = False
        for finding in findings.get(path, []):
            if finding.severity is Severity.ERROR:
                failed = True
                element = ET.SubElement(
                    case,
                    "failure",
                    message=xml_text(f"{finding.line}:{finding.column}: {finding.message}"),
                    type=f"{finding.code} {finding.rule}",
                )
                element.text = xml_text(_line(finding))
            else:
                others.append(f"{_line(finding)} ({finding.severity.value})")
        if others:
            ET.SubElement(case, "system-out").text = xml_text("\n".join(others))
        if path in unreadable:
            errors += 1
        elif failed:
            failures += 1
    counts = {"tests": str(len(paths)), "failures": str(failures), "errors": str(errors), "skipped": "0"}
    for element in (root, suite):
        element.attrib.update(counts)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
