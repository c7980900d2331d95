"""icon-missing: a list item at the level where its section's icon entries live has no icon."""

from __future__ import annotations

from collections.abc import Iterator

from mdlint.conventions.icons import IconRuleOptions, icon_model
from mdlint.findings import Finding, Severity
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import Rule, RuleContext

__all__ = ["RULE"]


def _check(document: Document, context: RuleContext[IconRuleOptions]) -> Iterator[Finding]:
    model = icon_model(document, context)
    if not model.active:
        return
    known = model.legend.listing()
    for entry in model.entries:
        if entry.at_entry_level and entry.icon is None:
            yield context.finding(
                entry.content_start,
                entry.content_start,
                f"entry has no type icon; the other entries of this list start with one ({known})",
            )


RULE = Rule(
    code="MDL022",
    name="icon-missing",
    summary="Entry at the level of its section's icon entries has no icon",
    check=_check,
    severity=Severity.WARNING,
    options=IconRuleOptions,
    tags=("icons",),
)
