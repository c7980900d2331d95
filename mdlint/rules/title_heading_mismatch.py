"""title-heading-mismatch: a first `#` heading unlike the front-matter title, where siblings repeat it.

Some folders write each page's `title` again as its first `#` heading (a weekly post series, a
notes folder rendered on GitHub); there, a first heading that says something else is a title
changed in one place only. Siblings are the files of the same series (same file name once a
Jekyll date prefix is removed) when there are enough of them, else of the same folder. Nothing
is reported where the siblings do not clearly repeat their titles, except a heading that is the
title with other numbers (`Picks(20251119)` under the title `Picks(20251203)`): a heading copied
from the previous post, whatever the siblings do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from mdlint.findings import Finding, Severity
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions
from mdlint.site.front_matter import front_matter_of, is_index_page, sibling_documents
from mdlint.site.workspace import Workspace

__all__ = ["RULE"]


class _Options(RuleOptions):
    min_siblings: int = Field(
        default=3, ge=2, description="titled sibling files that must repeat their title before a mismatch counts"
    )
    agreement: float = Field(
        default=0.8, gt=0.5, le=1, description="share of the titled siblings that must repeat their title"
    )


_SUFFIXES = frozenset({".md", ".markdown"})
_DATE_PREFIX = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}-")
_MARKUP = re.compile(r"[*_`]")
_TEMPLATE = re.compile(r"\{[{%]")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class _Facts:
    """A file's title and first `#` heading: (start and end offsets of its text, text), or None."""

    title: str | None
    heading: tuple[int, int, str] | None

    @property
    def repeats(self) -> bool:
        return self.title is not None and self.heading is not None and _same(self.title, self.heading[2])


def _normal(text: str) -> str:
    return " ".join(_MARKUP.sub("", text).split())


def _same(title: str, heading: str) -> bool:
    return _normal(title) == _normal(heading)


def _numbers_differ(title: str, heading: str) -> bool:
    """Whether the two are the same words with other numbers: a heading copied from another post."""
    return _DIGITS.sub("0", _normal(title)) == _DIGITS.sub("0", _normal(heading))


def _first_heading(document: Document) -> tuple[int, int, str] | None:
    """The first level-1 heading of the body that has text: (start and end offsets of its text, the text).

    A heading of several lines (setext) is given as one line.
    """
    for node in document.root.children:
        if node.type == "heading" and node.attrs.get("level") == 1 and node.children:
            start, end = node.children[0].start, node.children[-1].end
            text = " ".join(line.strip() for line in document.text[start:end].splitlines())
            if text:
                return start, end, text
    return None


def _facts(document: Document, workspace: Workspace) -> _Facts:
    parsed = front_matter_of(document, workspace)
    title = None
    if parsed is not None and parsed.error is None:
        value = parsed.data.get("title")
        if isinstance(value, str) and value.strip():
            title = value.strip()
    return _Facts(title, _first_heading(document) if title is not None else None)


def _series(path: Path) -> str:
    return _DATE_PREFIX.sub("", path.stem)


def _scan(folder: Path, workspace: Workspace) -> dict[Path, _Facts]:
    return {path: _facts(sibling, workspace) for path, sibling in sibling_documents(folder, workspace, _SUFFIXES)}


def _check(document: Document, context: RuleContext[_Options]) -> Iterator[Finding]:
    options = context.options
    path = Path(document.path)
    if path.suffix.lower() not in _SUFFIXES or is_index_page(path):
        return
    workspace = context.workspace
    mine = _facts(document, workspace)
    if mine.title is None or mine.heading is None or mine.repeats:
        return
    if _TEMPLATE.search(mine.title) or _TEMPLATE.search(mine.heading[2]):
        return  # what a template prints is not known here
    start, end, text = mine.heading
    if _numbers_differ(mine.title, text):
        yield context.finding(
            start,
            end,
            f"first heading `{text}` repeats the front-matter title `{mine.title}` with other numbers: "
            "copied from another file?",
        )
        return
    if not path.is_file():
        return  # text from standard input or a test has no siblings
    folder = workspace.memo("title-heading-real-folder", path.parent, path.parent.resolve)
    siblings = dict(workspace.memo("title-heading-folder", folder, lambda: _scan(folder, workspace)))
    siblings.pop(folder / path.name, None)
    series = _series(path)
    in_series = {other: facts for other, facts in siblings.items() if _series(other) == series}
    for group, where in ((in_series, f"of the series `{series}`"), (siblings, "in this folder")):
        titled = [facts for facts in group.values() if facts.title is not None]
        repeating = sum(1 for facts in titled if facts.repeats)
        if len(titled) < options.min_siblings:
            continue
        if repeating >= options.min_siblings and repeating >= options.agreement * len(titled):
            yield context.finding(
                start,
                end,
                f"first heading `{text}` is not the front-matter title `{mine.title}`; {repeating} of "
                f"{len(titled)} other files {where} repeat their title as their first heading",
            )
        return


RULE = Rule(
    code="MDL015",
    name="title-heading-mismatch",
    summary="First `#` heading differs from the front-matter title where sibling files repeat theirs",
    check=_check,
    severity=Severity.WARNING,
    options=_Options,
    depends_on="folder",
    tags=("front-matter",),
)
