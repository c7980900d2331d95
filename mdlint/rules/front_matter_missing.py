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
    FileFacts,
    FolderSummary,
    Kind,
    PageView,
    file_facts,
    find_stray_front_matter,
    folder_summary,
    front_matter_of,
    is_index_page,
    page_view_of,
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


# Fields that name or alias one page: each page's value is its own, and the generator derives
# one from the file's place when it is absent. Never inferred from the siblings.
_ADDRESS_FIELDS = frozenset({"permalink", "url", "slug", "aliases", "redirect_from", "redirect_to"})
# Fields the generator fills from another field or from the content when absent (Hugo `linkTitle`
# from `title`, `lastmod` and `publishDate` from `date`; Jekyll `excerpt`, Hugo `summary` from the
# text): a page sets them only when it needs something else. Never inferred either.
_DERIVED_FIELDS = frozenset({"linktitle", "lastmod", "last_modified_at", "publishdate", "excerpt", "summary"})


def _never_inferred(key: str) -> bool:
    # Keys starting with `_` are private by convention (Hugo's `_build`, `_comment` notes).
    lowered = key.lower()
    return key.startswith("_") or lowered in _ADDRESS_FIELDS or lowered in _DERIVED_FIELDS


def _check(document: Document, context: RuleContext[_Options]) -> Iterable[Finding]:
    options = context.options
    view = page_view_of(document, context.workspace)
    # GitHub's templates (their front matter is GitHub's) and Hugo content that is never rendered
    # are not pages of the site: no field is missing from them.
    if not view.is_site_page:
        return
    parsed = front_matter_of(document, context.workspace)
    if parsed is None:
        if find_stray_front_matter(document) is None:  # a misplaced block is front-matter-invalid's
            yield from _no_front_matter(document, context)
        return
    if parsed.error is not None:
        return
    fence = (parsed.block.start, parsed.block.start + 3)
    facts = file_facts(document, context.workspace)
    reported = set()
    for key in options.required:
        entry = parsed.entries.get(key)
        if (entry is None or entry.value is None) and not _supplied(view, key):
            reported.add(key)
            state = "is missing" if entry is None else "is empty"
            yield context.finding(*fence, f"required front-matter field `{key}` {state}")
    if not options.infer or facts.status != "ok":
        return
    summary = folder_summary(document, context.workspace)
    if summary is None or summary.with_front_matter < options.min_documents:
        return
    for key_id, count in sorted(summary.key_counts.items()):
        key = summary.spelling.get(key_id, key_id)
        if facts.has(key) or key in reported or _never_inferred(key):
            continue
        if count < options.threshold * summary.with_front_matter:
            continue
        expected = _expected_of_kind(summary, facts, key_id, options)
        if expected is None:
            continue
        share, kind = expected
        where = _folder_label(document) + (f" {kind}" if kind else "")
        hint = _other_number(parsed.data, key)
        yield context.finding(
            *fence,
            f"`{key}` is set in {share[0]} of {share[1]} files in {where} but not here{hint}",
            severity=_inferred_severity(context),
        )


def _supplied(view: PageView, key: str) -> bool:
    wanted = key.lower() if view.fold_case else key
    return any(
        (name.lower() if view.fold_case else name) == wanted and value is not None
        for name, value in view.supplied.items()
    )


def _expected_of_kind(
    summary: FolderSummary, facts: FileFacts, key_id: str, options: _Options
) -> tuple[tuple[int, int], str] | None:
    """((files that set it, files compared), which files) when the page should set the key, else None.

    A key that one kind of page in the folder (two files or more sharing their `categories`,
    `type` and `layout`) hardly ever sets goes with the other kinds: it is expected only of a page
    whose own kind mostly sets it. `version` on release notes is not missing from a community post.
    Otherwise the whole folder is compared.
    """
    counts = summary.by_kind(key_id)
    if not any(total >= 2 and found <= (1 - options.threshold) * total for total, found in counts.values()):
        return (summary.key_counts[key_id], summary.with_front_matter), ""
    own = facts.kind_without(key_id)
    total, found = counts.get(own, (1, 0))
    if total < 2 or found < options.threshold * total:
        return None
    return (found, total), _describe_kind(own)


def _describe_kind(kind: Kind) -> str:
    parts = [f"{name} {', '.join(f'`{value}`' for value in sorted(values))}" for name, values in kind if values]
    if parts:
        return "with " + " and ".join(parts)
    names = [name for name, _values in kind]
    return "without " + (", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names))


def _other_number(data: dict[str, object], key: str) -> str:
    """A hint when the page sets the key's singular or plural (`categories` for `category`)."""
    forms = {key + "s", key[:-1] + "ies" if key.endswith("y") else "", key[:-3] + "y" if key.endswith("ies") else ""}
    if key.endswith("s"):
        forms.add(key[:-1])
    present = sorted(name for name in data if name in forms - {"", key})
    return f" (this page has `{present[0]}`)" if present else ""


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
