"""icon-unknown: an entry starts with an emoji that the legend does not define."""

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
        # Below the entry level an emoji opens an explanation ("📊 5 data sets ...") unless the
        # item also links somewhere, the shape of a nested entry.
        if entry.icon is None or not (entry.at_entry_level or entry.link is not None):
            continue
        if model.legend.resolve(entry.icon.sequence) is not None:
            continue
        yield context.finding(
            entry.icon.start,
            entry.icon.end,
            f'icon "{entry.icon.sequence}" is not in the legend ({known})',
        )


RULE = Rule(
    code="MDL021",
    name="icon-unknown",
    summary="Entry starts with an emoji that the legend does not define",
    check=_check,
    severity=Severity.WARNING,
    options=IconRuleOptions,
    tags=("icons",),
)
