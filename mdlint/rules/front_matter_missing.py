"""front-matter-missing: a front-matter field the config requires, or that nearly every other file in
the same folder sets, is absent; files without front matter among siblings that have it are reported too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import Field

from mdlint.findings import Finding, Severity
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions
from mdlint.site.front_matter import (
    SIBLING_SUFFIXES,
    FolderSummary,
    find_stray_front_matter,
    folder_summary,
    front_matter_of,
    is_index_page,
)

__all__ = ["RULE"]


class _Options(RuleOptions):
    required: list[str] = Field(default_factory=list, description="top-level keys every file must set")
    posts_need_front_matter: bool = Field(
        default=True, description="a file in a Jekyll `_posts/` or `_drafts/` folder must have front matter"
    )
    infer: bool = Field(default=True, description="also report keys that nearly all files of the folder set")
    threshold: float = Field(default=0.8, gt=0, le=1, description="share of the folder's files that sets a key")
    min_documents: int = Field(default=5, ge=2, description="files with front matter a folder needs to infer")


def _folder_label(document: Document) -> str:
    parent = Path(document.path).parent.as_posix()
    return "this folder" if parent in ("", ".") else f"{parent}/"


def _inferred_severity(context: RuleContext[_Options]) -> Severity:
    # Inferred fields are a guess from the siblings: a warning, unless the user chose a severity.
    return Severity.WARNING if context.severity == Severity.ERROR else context.severity


def _check(document: Document, context: RuleContext[_Options]) -> Iterable[Finding]:
    options = context.options
    parsed = front_matter_of(document, context.workspace)
    if parsed is None:
        if find_stray_front_matter(document) is None:  # a misplaced block is front-matter-invalid's
            yield from _no_front_matter(document, context)
        return
    if parsed.error is not None:
        return
    fence = (parsed.block.start, parsed.block.start + 3)
    reported = set()
    for key in options.required:
        entry = parsed.entries.get(key)
        if entry is None or entry.value is None:
            reported.add(key)
            state = "is missing" if entry is None else "is empty"
            yield context.finding(*fence, f"required front-matter field `{key}` {state}")
    if not options.infer:
        return
    summary = folder_summary(document, context.workspace)
    if summary is None or summary.with_front_matter < options.min_documents:
        return
    for key, count in sorted(summary.key_counts.items()):
        if key in parsed.entries or key in reported or count < options.threshold * summary.with_front_matter:
            continue
        yield context.finding(
            *fence,
            f"`{key}` is set in {count} of {summary.with_front_matter} files in {_folder_label(document)} but not here",
            severity=_inferred_severity(context),
        )


def _no_front_matter(document: Document, context: RuleContext[_Options]) -> Iterator[Finding]:
    options = context.options
    end = len(document.lines[0]) if document.lines else 0
    if options.required:
        yield context.finding(0, end, f"no front matter; required fields: {', '.join(options.required)}")
        return
    if options.posts_need_front_matter and _is_jekyll_post(document):
        yield context.finding(
            0,
            end,
            "no front matter: Jekyll copies a post without it as a static file instead of publishing it",
        )
        return
    if not options.infer:
        return
    summary = folder_summary(document, context.workspace)
    if summary is None or not _most_have_front_matter(summary, options):
        return
    yield context.finding(
        0,
        end,
        f"no front matter, but {summary.with_front_matter} of {summary.total} files in "
        f"{_folder_label(document)} have one",
        severity=_inferred_severity(context),
    )


def _is_jekyll_post(document: Document) -> bool:
    path = Path(document.path)
    if path.suffix.lower() not in SIBLING_SUFFIXES or is_index_page(path):
        return False
    return bool({"_posts", "_drafts"} & set(path.parts[:-1]))


def _most_have_front_matter(summary: FolderSummary, options: _Options) -> bool:
    return (
        summary.with_front_matter >= options.min_documents
        and summary.with_front_matter >= options.threshold * summary.total
    )


RULE = Rule(
    code="MDL011",
    name="front-matter-missing",
    summary="A required front-matter field, or one nearly all files of the folder set, is missing",
    check=_check,
    options=_Options,
    tags=("front-matter",),
    # Folder inference compares the document with its siblings.
    depends_on="folder",
)
