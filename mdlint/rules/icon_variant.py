"""icon-variant: a type icon spelled with a different code-point sequence than the legend's, or not as
a valid emoji sequence at all (a missing zero-width joiner or U+FE0F); the fix writes the standard
sequence everywhere."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mdlint.conventions.icons import (
    IconModel,
    IconRuleOptions,
    IconToken,
    canonical_spelling,
    code_points,
    icon_model,
    skeleton,
    standard_form,
)
from mdlint.findings import TEXT, Applicability, Edit, Finding, Fix
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import Rule, RuleContext

__all__ = ["RULE"]


@dataclass(frozen=True)
class _Occurrence:
    token: IconToken
    target: str
    in_legend: bool


def _target(model: IconModel, sequence: str) -> str:
    legend_icon = model.legend.resolve(sequence)
    if legend_icon is not None:
        return canonical_spelling(legend_icon.sequence)
    return standard_form(sequence) or sequence


def _occurrences(model: IconModel) -> Iterator[_Occurrence]:
    for token in model.legend_tokens:
        yield _Occurrence(token, _target(model, token.sequence), in_legend=True)
    for entry in model.entries:
        if entry.icon is not None:
            yield _Occurrence(entry.icon, _target(model, entry.icon.sequence), in_legend=False)


def _message(occurrence: _Occurrence) -> str:
    token, target = occurrence.token, occurrence.target
    written = f'"{token.sequence}" ({code_points(token.sequence)})'
    if standard_form(token.sequence) != target:
        return f'icon {written} is the legend\'s "{target}" written differently; write {code_points(target)}'
    pictures = len(token.clusters)
    shows = f"shows as {pictures} pictures" if pictures > 1 else "may show as a text symbol"
    where = "legend icon" if occurrence.in_legend else "icon"
    return (
        f"{where} {written} is not a valid emoji sequence and {shows}; the standard sequence is {code_points(target)}"
    )


def _check(document: Document, context: RuleContext[IconRuleOptions]) -> Iterator[Finding]:
    model = icon_model(document, context)
    if not model.active:
        return
    wrong = [o for o in _occurrences(model) if o.token.sequence != o.target]
    # When the legend itself is respelled, the legend and every entry change in one fix, so the
    # document never ends up half old, half new.
    respelled_legend = {o.target for o in wrong if o.in_legend}
    group_edits: dict[str, tuple[Edit, ...]] = {
        target: tuple(Edit(o.token.start, o.token.end, o.target) for o in wrong if o.target == target)
        for target in respelled_legend
    }
    for occurrence in wrong:
        token = occurrence.token
        # A different skin tone is a different picture: only the user can say it was a slip.
        applicability: Applicability = "safe" if skeleton(token.sequence) == skeleton(occurrence.target) else "unsafe"
        edits = group_edits.get(occurrence.target, (Edit(token.start, token.end, occurrence.target),))
        yield context.finding(
            token.start,
            token.end,
            _message(occurrence),
            fix=Fix(edits, applicability),
            extra={"expected": occurrence.target},
        )


RULE = Rule(
    code="MDL020",
    name="icon-variant",
    summary="Type icon spelled with a different code-point sequence than the legend or the emoji standard",
    check=_check,
    options=IconRuleOptions,
    tags=("icons",),
    fix_scope=frozenset({TEXT}),
    fixes=frozenset({"safe", "unsafe"}),
)
