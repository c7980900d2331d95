"""The rule engine: parse once, run every configured rule on the shared parse, collect findings.

It knows no rule by name; it only calls `Rule.check` and `Rule.check_run`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mdlint.findings import Finding
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import ConfiguredRule, RunContext, SomeRule
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

    def __init__(self, rule: SomeRule, error: Exception) -> None:
        super().__init__(f"internal error in {rule.name}: {describe_exception(error)}")
        self.rule = rule


@dataclass
class DocumentResult:
    """Everything the per-document pass learns about one document; picklable, so it can come
    from a worker process or the result cache."""

    findings: list[Finding] = field(default_factory=list)
    suppressions: Suppressions | None = None
    # Rule code -> what `Rule.collect` returned for this document. Each rule's facts have their
    # own type (`Rule[..., FactsT]`); the run hands a rule only the facts its own collect returned.
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
        try:
            findings.extend(check(document, configured.context(document, workspace)))
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
            try:
                facts[configured.rule.code] = collect(document, configured.context(document, workspace))
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
    limit: Callable[[SomeRule, Document], AbstractContextManager[None]] | None = None,
) -> list[tuple[str | None, str]]:
    """Run run-level checks, apply suppressions, then the rules that judge the suppression comments.

    `remote_links` is the run's remote link checker, None when the run may not use the network.
    `limit` bounds a run-level check's work for one document (see `RunContext.limit`).
    Returns (path, `internal error in RULE …`) for each check that raised, path None for a
    run-level check; the other checks still run, and a failed run-level check keeps the findings
    it gave before it raised.
    """
    failures: list[tuple[str | None, str]] = []
    by_rule: dict[SomeRule, list[LintedFile]] = {}
    for linted in files:
        for configured in linted.rules:
            if configured.rule.check_run is not None:
                by_rule.setdefault(configured.rule, []).append(linted)
    for rule, linted_files in sorted(by_rule.items(), key=lambda item: item[0].code):
        by_path = {linted.document.path: linted for linted in linted_files}
        try:
            for finding in _check_run_of(rule, linted_files, workspace, remote_links, limit):
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


def _check_run_of(
    rule: SomeRule,
    linted_files: Sequence[LintedFile],
    workspace: Workspace,
    remote_links: RemoteLinkChecker | None,
    limit: Callable[[SomeRule, Document], AbstractContextManager[None]] | None,
) -> Iterable[Finding]:
    """One rule's run-level check over the documents it is configured for."""
    assert rule.check_run is not None
    settings = {id(linted.document): next(c for c in linted.rules if c.rule is rule) for linted in linted_files}
    facts = {id(linted.document): linted.facts.get(rule.code) for linted in linted_files}
    first = settings[id(linted_files[0].document)]

    def limit_of(document: Document) -> AbstractContextManager[None]:
        return nullcontext() if limit is None else limit(rule, document)

    context = RunContext(
        rule,
        first.options,
        first.severity,
        workspace,
        options_for=lambda document: settings[id(document)].options,
        severity_for=lambda document: settings[id(document)].severity,
        facts_for=lambda document: facts.get(id(document)),
        remote_links=remote_links if rule.uses_network else None,
        limit=limit_of,
    )
    return rule.check_run([linted.document for linted in linted_files], context)


def _runs(rule: SomeRule, workspace: Workspace) -> bool:
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
        context = configured.context(linted.document, workspace, suppressions, ran)
        try:
            findings.extend(rule.check(linted.document, context))
        except Exception as error:
            raise RuleFailedError(rule, error) from error
    return findings
