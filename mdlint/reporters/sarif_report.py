"""SARIF 2.1.0, the format code-scanning services read (GitHub code scanning, Azure DevOps, IDEs).

One run with the rules that have findings (metadata from the rulebook), one result per finding,
fixes as line/column replacements, and files that could not be read as tool notifications.
Columns count code points, so the run says `columnKind: unicodeCodePoints` (SARIF's default is
UTF-16 code units). The output has no timestamps and no absolute paths of its own: relative
paths are given against the `%SRCROOT%` base, the folder mdlint ran in.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Literal, NotRequired, TypedDict
from urllib.parse import quote

from mdlint import __version__
from mdlint.findings import Finding, Severity
from mdlint.reporters.rule_statistics import rule_statistics
from mdlint.rule_engine.rule import Rule, find_rule
from mdlint.rule_engine.rulebook import rulebook_page

if TYPE_CHECKING:
    from mdlint.markdown.document import Document
    from mdlint.reporters.options import ReportOptions
    from mdlint.run.runner import FileError, RunResult

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "artifact_location", "build_log", "render"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SOURCE_ROOT = "%SRCROOT%"

Level = Literal["error", "warning", "note"]
_LEVELS: dict[Severity, Level] = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")
_LIST_ITEM = re.compile(r"^([-*+]|\d+[.)])\s")


class Message(TypedDict):
    text: str
    markdown: NotRequired[str]


class ArtifactContent(TypedDict):
    text: str


class ArtifactLocation(TypedDict):
    uri: str
    uriBaseId: NotRequired[str]


class Region(TypedDict):
    startLine: int
    startColumn: int
    endLine: int
    endColumn: int


class PhysicalLocation(TypedDict):
    artifactLocation: ArtifactLocation
    region: NotRequired[Region]


class Location(TypedDict):
    physicalLocation: PhysicalLocation


class Replacement(TypedDict):
    deletedRegion: Region
    insertedContent: NotRequired[ArtifactContent]


class ArtifactChange(TypedDict):
    artifactLocation: ArtifactLocation
    replacements: list[Replacement]


class SarifFix(TypedDict):
    description: Message
    artifactChanges: list[ArtifactChange]


class ReportingConfiguration(TypedDict):
    level: Level
    enabled: bool


class ReportingDescriptor(TypedDict):
    id: str
    name: str
    shortDescription: Message
    fullDescription: NotRequired[Message]
    help: NotRequired[Message]
    defaultConfiguration: NotRequired[ReportingConfiguration]
    properties: NotRequired[dict[str, Any]]


class Result(TypedDict):
    ruleId: str
    ruleIndex: int
    level: Level
    message: Message
    locations: list[Location]
    fixes: NotRequired[list[SarifFix]]
    properties: NotRequired[dict[str, Any]]


class Notification(TypedDict):
    level: Level
    message: Message
    locations: list[Location]


class Invocation(TypedDict):
    executionSuccessful: bool
    toolExecutionNotifications: list[Notification]


class ToolComponent(TypedDict):
    name: str
    version: str
    rules: list[ReportingDescriptor]


class Tool(TypedDict):
    driver: ToolComponent


class Run(TypedDict):
    tool: Tool
    invocations: list[Invocation]
    originalUriBaseIds: dict[str, dict[str, Message]]
    columnKind: Literal["unicodeCodePoints"]
    results: list[Result]
    properties: NotRequired[dict[str, Any]]


SarifLog = TypedDict("SarifLog", {"$schema": str, "version": str, "runs": list[Run]})


def render(result: RunResult, options: ReportOptions) -> str:
    """The SARIF log as indented JSON."""
    return json.dumps(build_log(result, options), ensure_ascii=False, indent=2) + "\n"


def build_log(result: RunResult, options: ReportOptions) -> SarifLog:
    """The SARIF log of a run, as JSON-ready dicts."""
    codes = sorted({finding.code for finding in result.findings})
    index = {code: position for position, code in enumerate(codes)}
    by_code = {finding.code: finding for finding in reversed(result.findings)}
    run: Run = {
        "tool": {
            "driver": {
                "name": "mdlint",
                "version": __version__,
                "rules": [_descriptor(by_code[code]) for code in codes],
            }
        },
        "invocations": [
            {
                "executionSuccessful": not result.errors,
                "toolExecutionNotifications": [_notification(error) for error in result.errors],
            }
        ],
        # No absolute path is written: a consumer resolves %SRCROOT% to its checkout.
        "originalUriBaseIds": {SOURCE_ROOT: {"description": {"text": "The folder mdlint ran in."}}},
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(finding, index[finding.code], result.documents.get(finding.path), options.unsafe_fixes)
            for finding in result.findings
        ],
    }
    if options.statistics:
        run["properties"] = {
            "statistics": [row.to_json() for row in rule_statistics(result.findings, options.unsafe_fixes)]
        }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def artifact_location(path: str) -> ArtifactLocation:
    """A reported path as a SARIF artifact location: a relative URI against %SRCROOT%, or a file URI."""
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/")}
    if _WINDOWS_DRIVE.match(path):
        return {"uri": "file:///" + quote(path, safe="/:")}
    return {"uri": quote(path, safe="/"), "uriBaseId": SOURCE_ROOT}


def _descriptor(finding: Finding) -> ReportingDescriptor:
    rule = find_rule(finding.code)
    if rule is None:
        # A finding whose rule is no longer registered still needs a descriptor for its index.
        return {
            "id": finding.code,
            "name": finding.rule,
            "shortDescription": {"text": finding.rule},
            "defaultConfiguration": {"level": _LEVELS[finding.severity], "enabled": True},
            "properties": {},
        }
    descriptor: ReportingDescriptor = {"id": rule.code, "name": rule.name, "shortDescription": {"text": rule.summary}}
    page = rulebook_page(rule)
    if page is not None:
        what = page.sections().get("What it does", "").strip()
        if what:
            descriptor["fullDescription"] = {"text": _unwrap(what), "markdown": what}
        descriptor["help"] = {"text": page.text, "markdown": page.text}
    descriptor["defaultConfiguration"] = {"level": _LEVELS[rule.severity], "enabled": not rule.opt_in}
    descriptor["properties"] = _rule_properties(rule)
    return descriptor


def _rule_properties(rule: Rule) -> dict[str, Any]:
    # helpUri must be an absolute URI and the project has no published home, so the rulebook
    # page is named relative to the source tree instead.
    properties: dict[str, Any] = {"rulebook": f"rules/{rule.name}.md"}
    # "network" was once a tag of its own; SARIF consumers keep seeing it for such rules.
    tags = [*rule.tags, "network"] if rule.uses_network else list(rule.tags)
    if tags:
        properties["tags"] = tags
    return properties


def _unwrap(markdown: str) -> str:
    """Paragraphs and list items as single lines, so plain-text viewers can wrap them themselves."""
    lines: list[str] = []
    joinable = False
    for line in markdown.splitlines():
        stripped = line.strip()
        if joinable and stripped and not _LIST_ITEM.match(stripped):
            lines[-1] += " " + stripped
        else:
            lines.append(stripped)
        joinable = bool(stripped)
    return "\n".join(lines)


def _result(finding: Finding, rule_index: int, document: Document | None, unsafe_fixes: bool) -> Result:
    location = artifact_location(finding.path)
    result: Result = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": location,
                    "region": {
                        "startLine": finding.line,
                        "startColumn": finding.column,
                        "endLine": finding.end_line,
                        "endColumn": finding.end_column,
                    },
                }
            }
        ],
    }
    if finding.fix is not None and document is not None:
        result["fixes"] = [_fix(finding, document, location)]
    result["properties"] = {**finding.extra, "rule": finding.rule, "fixable": finding.fixable_with(unsafe_fixes)}
    return result


def _fix(finding: Finding, document: Document, location: ArtifactLocation) -> SarifFix:
    assert finding.fix is not None
    replacements: list[Replacement] = []
    for edit in sorted(finding.fix.edits):
        start_line, start_column = document.position(edit.start)
        end_line, end_column = document.position(edit.end)
        replacement: Replacement = {
            "deletedRegion": {
                "startLine": start_line,
                "startColumn": start_column,
                "endLine": end_line,
                "endColumn": end_column,
            }
        }
        if edit.replacement:
            replacement["insertedContent"] = {"text": edit.replacement}
        replacements.append(replacement)
    safety = "safe" if finding.fix.applicability == "safe" else "unsafe: review before applying"
    return {
        "description": {"text": f"{finding.rule} fix ({safety})"},
        "artifactChanges": [{"artifactLocation": location, "replacements": replacements}],
    }


def _notification(error: FileError) -> Notification:
    return {
        "level": "error",
        "message": {"text": f"{error.path}: {error.message}"},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(error.path)}}],
    }
