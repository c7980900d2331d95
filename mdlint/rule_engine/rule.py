"""What a rule is, how rules are found, and what a rule's check receives.

The engine knows no rule by name: built-in rules are the modules of `mdlint.rules` that define
`RULE`, and other packages add rules through the `mdlint.rules` entry-point group.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict
from typing_extensions import TypeVar

from mdlint.findings import SCOPES, Applicability, Finding, Fix, Severity

if TYPE_CHECKING:
    from mdlint.links.results import RemoteLinkChecker
    from mdlint.markdown.document import Document
    from mdlint.rule_engine.suppressions import Suppressions
    from mdlint.site.workspace import Workspace

__all__ = [
    "ConfiguredRule",
    "Rule",
    "RuleContext",
    "RuleOptions",
    "RunContext",
    "SomeRule",
    "all_rules",
    "builtin_rules",
    "find_rule",
]


class RuleOptions(BaseModel):
    """Base of every rule's options model; unknown keys are an error."""

    # Options are written in kebab-case in TOML (`allow-private`), snake_case in Python.
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        alias_generator=lambda name: name.replace("_", "-"),
    )

    # Options (Python names) that widen where the run's requests go, what they carry or how many
    # there are: only a config the run trusts may set them (see `mdlint.run.config.ConfigTrust`).
    network_reach: ClassVar[frozenset[str]] = frozenset()


# A rule's own options model, so that its check reads `context.options` typed; and what its
# `collect` returns for one document, so that its run-level check reads `context.facts_for` typed.
# The defaults are those of a rule without options or facts.
OptionsT = TypeVar("OptionsT", bound=RuleOptions, default=RuleOptions)
FactsT = TypeVar("FactsT", default=None)


@dataclass(frozen=True)
class Rule(Generic[OptionsT, FactsT]):
    """A rule: its names, its default severity, its options model and its check.

    `Rule[MyOptions, MyFacts]`: mypy checks that `options`, the context type `check`,
    `check_run` and `collect` declare, and what `collect` returns agree.

    `check` looks at one document at a time. A rule that needs every document of the run at
    once (a site map, a shared link cache) sets `check_run` instead or as well.

    Per-document work may run in a worker process and its result may come from the result
    cache, so `check` and `collect` must depend only on the document's text, its path and the
    rule's options, or declare more with `depends_on`. `collect` gathers per-document facts for
    `check_run` (picklable values, e.g. a document's links) where the document is parsed, so the
    run-level check does not parse every document again in the parent process.
    """

    code: str
    name: str
    summary: str
    check: Callable[[Document, RuleContext[OptionsT]], Iterable[Finding]] | None = None
    check_run: Callable[[Sequence[Document], RunContext[OptionsT, FactsT]], Iterable[Finding]] | None = None
    severity: Severity = Severity.ERROR
    # The default serves rules without options (OptionsT = RuleOptions). A check that declares
    # its own model must name it here: mypy cannot tie the default to the check's type.
    options: type[OptionsT] = RuleOptions  # type: ignore[assignment]
    # Off unless selected by name or code (like `unused-suppression`); `all` does not include it.
    opt_in: bool = False
    # Rules that need the network say so, so `--offline` can be honoured without knowing them:
    # offline, their per-document check is skipped and their run-level check gets no remote
    # checker (`RunContext.remote_links`), which the run provides to these rules only.
    uses_network: bool = False
    # Checks the suppression comments themselves: `check` runs once the other rules' findings have
    # been filtered, with `context.suppressions` and `context.rules_run` filled in.
    after_suppressions: bool = False
    tags: tuple[str, ...] = field(default_factory=tuple)
    collect: Callable[[Document, RuleContext[OptionsT]], FactsT] | None = None
    # "folder": `check` also reads the other files of the document's folder; cached findings are
    # then keyed on that folder's listing as well.
    depends_on: Literal["document", "folder"] = "document"
    # What this rule's fixes may change (the vocabulary of `mdlint.fixing.safety`); a fix whose effect
    # reaches further is rolled back. Rules that declare nothing may change inline text only.
    fix_scope: frozenset[str] = frozenset({"text"})
    # The applicabilities of the fixes it offers, for the README's rule table; tests/test_rulebook.py
    # checks the fixes of the rulebook examples against it.
    fixes: frozenset[Applicability] = frozenset()

    def __post_init__(self) -> None:
        if self.check is None and self.check_run is None:
            raise ValueError(f"rule {self.name} has neither check nor check_run")
        unknown = sorted(self.fix_scope - SCOPES)
        if unknown:
            raise ValueError(f"rule {self.name} declares unknown fix scopes {unknown}; known: {sorted(SCOPES)}")


# Any rule, whatever its options and facts: what the engine, the run and the reporters hold. A
# rule's own types are checked where it is declared; the engine pairs a rule only with options
# its own model validated (`ConfiguredRule`) and facts its own `collect` returned.
SomeRule: TypeAlias = "Rule[Any, Any]"


@dataclass(frozen=True)
class ConfiguredRule(Generic[OptionsT]):
    """A selected rule with its validated options and severity for one file."""

    rule: Rule[OptionsT, Any]
    options: OptionsT
    severity: Severity

    def context(
        self,
        document: Document,
        workspace: Workspace,
        suppressions: Suppressions | None = None,
        rules_run: tuple[SomeRule, ...] = (),
    ) -> RuleContext[OptionsT]:
        """What this rule's `check` and `collect` receive for `document`."""
        return RuleContext(self.rule, self.options, self.severity, document, workspace, suppressions, rules_run)


@dataclass
class RunContext(Generic[OptionsT, FactsT]):
    """What a run-level check receives: its options and the run's shared state."""

    rule: Rule[OptionsT, FactsT]
    options: OptionsT
    severity: Severity
    workspace: Workspace
    # A document's own options (its folder's configuration may differ from the run's).
    options_for: Callable[[Document], OptionsT | None] = field(repr=False, default=lambda _doc: None)
    severity_for: Callable[[Document], Severity] = field(repr=False, default=lambda _doc: Severity.ERROR)
    # What `Rule.collect` returned for a document, or None when it was not collected.
    facts_for: Callable[[Document], FactsT | None] = field(repr=False, default=lambda _doc: None)
    # For rules that declare `uses_network`, when the run may use the network: the remote checker.
    remote_links: RemoteLinkChecker | None = field(repr=False, default=None)
    # The time limit of the work done for one document: `with context.limit(document):` around
    # it. When the document's limit runs out the block ends early and the run reports the
    # document as not checked (and drops this rule's findings in it). Do not yield inside the
    # block: the limit would then run on while the engine has control.
    limit: Callable[[Document], AbstractContextManager[None]] = field(repr=False, default=lambda _doc: nullcontext())

    def finding(
        self,
        document: Document,
        start: int,
        end: int,
        message: str,
        *,
        fix: Fix | None = None,
        severity: Severity | None = None,
        extra: dict[str, object] | None = None,
    ) -> Finding:
        """A finding of this rule spanning `document.text[start:end]`."""
        return make_finding(
            self.rule, document, start, end, message, severity or self.severity_for(document), fix, extra
        )


@dataclass
class RuleContext(Generic[OptionsT]):
    """What a rule's check receives besides the document: options, severity, the workspace."""

    rule: Rule[OptionsT, Any]
    options: OptionsT
    severity: Severity
    document: Document
    workspace: Workspace
    # Only for rules that run after suppressions: the document's comments, and which rules ran.
    suppressions: Suppressions | None = None
    rules_run: tuple[SomeRule, ...] = ()

    def finding(
        self,
        start: int,
        end: int,
        message: str,
        *,
        fix: Fix | None = None,
        severity: Severity | None = None,
        extra: dict[str, object] | None = None,
    ) -> Finding:
        """A finding of this rule spanning `document.text[start:end]`."""
        return make_finding(self.rule, self.document, start, end, message, severity or self.severity, fix, extra)


def make_finding(
    rule: SomeRule,
    document: Document,
    start: int,
    end: int,
    message: str,
    severity: Severity,
    fix: Fix | None,
    extra: dict[str, object] | None,
) -> Finding:
    """Build a finding with 1-based positions computed from offsets into `document.text`."""
    line, column = document.position(start)
    end_line, end_column = document.position(max(start, end))
    return Finding(
        path=document.path,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        rule=rule.name,
        code=rule.code,
        severity=severity,
        message=message,
        fix=fix,
        extra=extra or {},
    )


def builtin_rules() -> list[SomeRule]:
    """The rules of `mdlint.rules`, without plugins."""
    # Found by name, like the entry-point rules: the engine has no import of any rule.
    package = importlib.import_module("mdlint.rules")

    found: list[SomeRule] = []
    for module_info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        rule = getattr(module, "RULE", None)
        if isinstance(rule, Rule):
            found.append(rule)
    return found


def _plugin_rules() -> list[SomeRule]:
    found: list[SomeRule] = []
    for entry_point in entry_points(group="mdlint.rules"):
        loaded = entry_point.load()
        rule = getattr(loaded, "RULE", loaded)
        if not isinstance(rule, Rule):
            raise TypeError(f"entry point {entry_point.name!r} in group mdlint.rules is not an mdlint Rule")
        found.append(rule)
    return found


@cache
def all_rules() -> tuple[SomeRule, ...]:
    """Every rule, built-in and from plugins, sorted by code; names and codes are unique."""
    rules = builtin_rules() + _plugin_rules()
    seen: dict[str, SomeRule] = {}
    for rule in rules:
        for key in (rule.code.lower(), rule.name.lower()):
            if key in seen and seen[key] is not rule:
                raise ValueError(f"two rules claim {key!r}: {seen[key].name} and {rule.name}")
            seen[key] = rule
    return tuple(sorted(rules, key=lambda rule: rule.code))


def find_rule(name_or_code: str) -> SomeRule | None:
    """The rule with this kebab-case name or code (case-insensitive)."""
    key = name_or_code.strip().lower()
    for rule in all_rules():
        if key in (rule.code.lower(), rule.name.lower()):
            return rule
    return None
