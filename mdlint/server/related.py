"""The places a finding refers to besides its own: an earlier occurrence, the front-matter field it
contradicts, the sibling files whose majority it departs from (LSP `relatedInformation`).

Rules report these in their messages and `extra` fields; this module finds the places again, so the
JSON contract of findings stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from mdlint.findings import Finding
from mdlint.markdown.document import Document
from mdlint.site.front_matter import FileFacts, folder_summary, front_matter_of
from mdlint.site.workspace import Workspace

__all__ = ["MAX_SIBLINGS", "Related", "related_places"]

# An editor lists every related place; a handful of siblings makes the point.
MAX_SIBLINGS = 5

_INFERRED_KEY = re.compile(r"^`(?P<key>[^`]+)` is set in \d+ of \d+ files")
_NO_FRONT_MATTER = re.compile(r"^no front matter, but \d+ of \d+ files")
_TRAILING_SLASH = re.compile(r"^permalink (?P<style>ends with `/`|has no trailing `/`), unlike \d+ of \d+")


@dataclass(frozen=True)
class Related:
    """A place in `document` (the finding's own when `path` is None), from `start` to `end`."""

    path: Path | None
    document: Document
    start: int
    end: int
    message: str


def related_places(finding: Finding, document: Document, workspace: Workspace) -> list[Related]:
    """The places `finding` (in `document`) refers to; empty for most findings."""
    first_line = finding.extra.get("first_line")
    if isinstance(first_line, int) and 1 <= first_line <= len(document.lines):
        start = document.line_index.offset(first_line, 1)
        return [Related(None, document, start, document.line_index.line_end(first_line), "first occurrence")]
    if finding.rule == "front-matter-mismatch" and "but date is" in finding.message:
        parsed = front_matter_of(document, workspace)
        entry = parsed.entries.get("date") if parsed is not None else None
        if entry is not None:
            return [Related(None, document, entry.key_start, entry.value_end, "the front matter's date")]
        return []
    if (match := _INFERRED_KEY.match(finding.message)) and finding.rule == "front-matter-missing":
        key = match.group("key")
        return list(_siblings(document, workspace, lambda facts: key in facts.keys, key, f"sets `{key}`"))
    if _NO_FRONT_MATTER.match(finding.message) and finding.rule == "front-matter-missing":
        return list(_siblings(document, workspace, lambda facts: facts.status == "ok", None, "has front matter"))
    if (match := _TRAILING_SLASH.match(finding.message)) and finding.rule == "front-matter-mismatch":
        other = not match.group("style").startswith("ends")
        described = "ends with `/`" if other else "has no trailing `/`"
        return list(_siblings(document, workspace, lambda facts: facts.trailing_slash is other, "permalink", described))
    return []


def _siblings(
    document: Document, workspace: Workspace, wanted: Callable[[FileFacts], bool], key: str | None, what: str
) -> Iterator[Related]:
    """Up to `MAX_SIBLINGS` files of the document's folder whose facts are `wanted`, at `key`."""
    summary = folder_summary(document, workspace)
    if summary is None:
        return
    own = Path(document.path).resolve()
    shown = 0
    for path, facts in sorted(summary.files.items()):
        if shown == MAX_SIBLINGS:
            return
        if path == own or not wanted(facts):
            continue
        sibling = workspace.document(path)
        if sibling is None:
            continue
        parsed = front_matter_of(sibling, workspace)
        entry = parsed.entries.get(key) if parsed is not None and key is not None else None
        start, end = (entry.key_start, entry.value_end) if entry is not None else (0, 0)
        shown += 1
        yield Related(path, sibling, start, end, f"{path.name} {what}")
