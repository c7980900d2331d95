"""The rule engine: parse once, run every configured rule on the shared parse, collect findings.

It knows no rule by name; it only calls `Rule.check` and `Rule.check_run`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mdlint.findings import Finding
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import ConfiguredRule, Rule, RuleContext, RunContext
from mdlint.rule_engine.suppressions import Suppressions, find_suppressions
from mdlint.site.workspace import Workspace

if TYPE_CHECKING:
    from mdlint.links.results import RemoteLinkChecker

__all__ = [
    "DocumentResult",
    "LintedFile",
    "RuleFailedError",
    "check_document",
    "check_run",
    "describe_exception",
    "lint_document",
    "sort_findings",
]


def describe_exception(error: BaseException) -> str:
    """`ExcType: message` on one line (and not endless): for an error line on standard error."""
    message = " ".join(str(error).split())
    if len(message) > 300:
        message = message[:300] + "…"
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


class RuleFailedError(Exception):
    """A rule raised instead of returning findings: a bug in the rule (or mdlint), not in the file."""

    def __init__(self, rule: Rule, error: Exception) -> None:
        super().__init__(f"internal error in {rule.name}: {describe_exception(error)}")
        self.rule = rule


@dataclass
class DocumentResult:
    """Everything the per-document pass learns about one document; picklable, so it can come
    from a worker process or the result cache."""

    findings: list[Finding] = field(default_factory=list)
    suppressions: Suppressions | None = None
    # Rule code -> what `Rule.collect` returned for this document.
    facts: dict[str, Any] = field(default_factory=dict)
    # Why the document could not be checked (e.g. nesting too deep), or None.
    error: str | None = None
    # What fixing will need of this parse (a `mdlint.fixing.safety.FixBasis`), taken while the
    # tree was at hand; None when no fix is to be made. Never stored in the result cache.
    fix_basis: Any = None


@dataclass
class LintedFile:
    """A document and the rules that apply to it."""

    document: Document
    rules: list[ConfiguredRule]
    findings: list[Finding] = field(default_factory=list)
    suppressions: Suppressions | None = None
    # Seconds parsing and checking this document may take; None: no limit.
    time_limit: float | None = None
    # MiB the process may hold while parsing and checking this document; None: no limit.
    memory_limit: int | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    # The file on disk this document was read from; None for standard input.
    source: Path | None = None


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in the one order every output uses: path, line, column, rule."""
    return sorted(findings, key=lambda f: f.sort_key)


def check_document(document: Document, rules: Sequence[ConfiguredRule], workspace: Workspace) -> list[Finding]:
    """Run each rule's per-document check on one document; suppressions are not applied yet."""
    findings: list[Finding] = []
    for configured in rules:
        check = configured.rule.check
        if check is None or configured.rule.after_suppressions or not _runs(configured.rule, workspace):
            continue
        context = RuleContext(configured.rule, configured.options, configured.severity, document, workspace)
        try:
            findings.extend(check(document, context))
        except (RecursionError, MemoryError):
            raise  # nested too deep, or over the memory limit: the caller says so
        except Exception as error:
            raise RuleFailedError(configured.rule, error) from error
    return findings


def lint_document(
    document: Document,
    rules: Sequence[ConfiguredRule],
    workspace: Workspace,
    findings: list[Finding] | None = None,
) -> DocumentResult:
    """The per-document pass: each rule's check and collect, and the suppression comments.

    `findings`, when given, are what `check_document` returned for this text already (fixing
    re-checks every text it makes): the checks are not run again.
    """
    facts: dict[str, Any] = {}
    for configured in rules:
        collect = configured.rule.collect
        if collect is not None:
            context = RuleContext(configured.rule, configured.options, configured.severity, document, workspace)
            try:
                facts[configured.rule.code] = collect(document, context)
            except (RecursionError, MemoryError):
                raise
            except Exception as error:
                raise RuleFailedError(configured.rule, error) from error
    if findings is None:
        findings = check_document(document, rules, workspace)
    return DocumentResult(findings, find_suppressions(document), facts)


def check_run(
    files: Sequence[LintedFile],
    workspace: Workspace,
    remote_links: RemoteLinkChecker | None = None,
    limit: Callable[[Rule, Document], AbstractContextManager[None]] | None = None,
) -> list[tuple[str | None, str]]:
    """Run run-level checks, apply suppressions, then the rules that judge the suppression comments.

    `remote_links` is the run's remote link checker, None when the run may not use the network.
    `limit` bounds a run-level check's work for one document (see `RunContext.limit`).
    Returns (path, `internal error in RULE …`) for each check that raised, path None for a
    run-level check; the other checks still run, and a failed run-level check keeps the findings
    it gave before it raised.
    """
    failures: list[tuple[str | None, str]] = []
    by_rule: dict[Rule, list[LintedFile]] = {}
    for linted in files:
        for configured in linted.rules:
            if configured.rule.check_run is not None:
                by_rule.setdefault(configured.rule, []).append(linted)
    for rule, linted_files in sorted(by_rule.items(), key=lambda item: item[0].code):
        assert rule.check_run is not None
        settings = {id(linted.document): next(c for c in linted.rules if c.rule is rule) for linted in linted_files}
        facts = {id(linted.document): linted.facts.get(rule.code) for linted in linted_files}
        first = settings[id(linted_files[0].document)]
        context = RunContext(
            rule,
            first.options,
            first.severity,
            workspace,
            options_for=lambda document, settings=settings: settings[id(document)].options,  # type: ignore[misc]
            severity_for=lambda document, settings=settings: settings[id(document)].severity,  # type: ignore[misc]
            facts_for=lambda document, facts=facts: facts.get(id(document)),  # type: ignore[misc]
            remote_links=remote_links if rule.uses_network else None,
            limit=_no_limit if limit is None else lambda document, rule=rule: limit(rule, document),  # type: ignore[misc]
        )
        by_path = {linted.document.path: linted for linted in linted_files}
        try:
            for finding in rule.check_run([linted.document for linted in linted_files], context):
                by_path[finding.path].findings.append(finding)
        except Exception as error:  # RecursionError too: no one file is to blame here
            failures.append((None, f"internal error in {rule.name} (run-level check): {describe_exception(error)}"))
    for linted in files:
        suppressions = linted.suppressions if linted.suppressions is not None else find_suppressions(linted.document)
        kept = suppressions.filter(linted.findings)
        try:
            late = suppressions.filter(_check_after_suppressions(linted, suppressions, workspace))
        except RuleFailedError as error:
            failures.append((linted.document.path, str(error)))
            late = []
        linted.suppressions = suppressions
        linted.findings = sort_findings(kept + late)
    return failures


def _no_limit(_document: Document) -> AbstractContextManager[None]:
    return nullcontext()


def _runs(rule: Rule, workspace: Workspace) -> bool:
    # Offline, a rule that uses the network does only part of its work (its run-level check gets
    # no remote checker) or, for a per-document check, none: it is not counted as having run.
    return not (rule.uses_network and workspace.settings.offline)


def _check_after_suppressions(linted: LintedFile, suppressions: Suppressions, workspace: Workspace) -> list[Finding]:
    """Findings of the rules that look at the suppressions, once the others' findings are filtered."""
    ran = tuple(configured.rule for configured in linted.rules if _runs(configured.rule, workspace))
    findings: list[Finding] = []
    for configured in linted.rules:
        rule = configured.rule
        if rule.check is None or not rule.after_suppressions or rule not in ran:
            continue
        context = RuleContext(
            rule, configured.options, configured.severity, linted.document, workspace, suppressions, ran
        )
        try:
            findings.extend(rule.check(linted.document, context))
        except Exception as error:
            raise RuleFailedError(rule, error) from error
    return findings
