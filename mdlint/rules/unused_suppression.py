"""unused-suppression: a suppression comment, or a rule named in one, that switched nothing off.

Only what this run can judge is reported: a rule that did not run for the file (not selected,
or checking only part of its work under `--offline`) may still need its comment, and a
`markdownlint-…` comment without rule names also switches markdownlint's own rules off.
"""

from __future__ import annotations

from collections.abc import Iterator

from mdlint.findings import Finding, Severity
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions, all_rules, find_rule
from mdlint.rule_engine.suppressions import ALL, Suppression

__all__ = ["RULE"]

_DISABLING = frozenset({"disable", "disable-line", "disable-next-line", "disable-file"})


def _check(document: Document, context: RuleContext[RuleOptions]) -> Iterator[Finding]:
    suppressions = context.suppressions
    if suppressions is None:
        return
    # A rule cannot vouch for itself: its own findings are filtered after it has judged. Under
    # `--offline` the engine leaves rules that use the network out of `rules_run`.
    judged = {rule for rule in context.rules_run if rule is not context.rule}
    judges_all = all(rule in judged for rule in all_rules() if not rule.opt_in)
    for comment in suppressions.comments:
        if comment.action not in _DISABLING:
            continue
        used = suppressions.used_names.get(comment, set())
        spelling = f"{comment.tool}-{comment.action}"
        if ALL in comment.rules:
            if comment.tool == "mdlint" and judges_all and not used:
                yield context.finding(comment.start, comment.end, f"{spelling} comment suppresses nothing; remove it")
            continue
        yield from _named(comment, used, judged, spelling, context)


def _named(
    comment: Suppression, used: set[str], judged: set[Rule], spelling: str, context: RuleContext[RuleOptions]
) -> Iterator[Finding]:
    for key, start, end in comment.named:
        rule = find_rule(key)
        name = context.document.text[start:end]
        if rule is None:
            # In a markdownlint comment, an unknown name is one of markdownlint's own rules.
            if comment.tool == "mdlint":
                yield context.finding(
                    start, end, f"{name} is not an mdlint rule, so {spelling} suppresses nothing for it"
                )
        elif rule in judged and key not in used:
            yield context.finding(start, end, f"{spelling} {name} suppresses nothing; remove {name}")


RULE = Rule(
    code="MDL050",
    name="unused-suppression",
    summary="A suppression comment (or a rule named in it) that switches no finding off",
    check=_check,
    severity=Severity.WARNING,
    opt_in=True,
    after_suppressions=True,
    tags=("suppressions",),
)
