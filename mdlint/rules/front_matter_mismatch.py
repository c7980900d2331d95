"""front-matter-mismatch: front-matter values that contradict each other or the file: a `date` that is
not the day in a Jekyll post's file name, a permalink or title whose date disagrees with `date`, and a
permalink whose trailing-slash style differs from nearly all others in its folder.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import Field

from mdlint.findings import FRONT_MATTER, Finding, Fix, Severity
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions
from mdlint.site.front_matter import Entry, folder_summary, front_matter_of, trailing_slash_style, written_date

__all__ = ["RULE"]


class _Options(RuleOptions):
    filename_date: bool = Field(default=True, description="compare `date` with a YYYY-MM-DD- file name")
    permalink_date: bool = Field(default=True, description="compare the permalink's date segments with `date`")
    title_date: bool = Field(default=True, description="compare a date stamp in the title with `date`")
    trailing_slash: bool = Field(default=True, description="compare the permalink's trailing `/` with the folder")
    threshold: float = Field(default=0.8, gt=0.5, le=1, description="share of permalinks that makes a majority")
    min_documents: int = Field(default=5, ge=2, description="permalinks a folder needs before it has a majority")


_POST_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})-.")
_SEGMENT_NUMBER = re.compile(r"\d{1,4}")
_DASHED_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_TITLE_STAMPS = (
    re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"),  # 20251203
    re.compile(r"(?<!\d)(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?!\d)"),  # 2025-12-03, 2025.12.3
)


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if 1900 <= value.year <= 2200 else None


def _check(document: Document, context: RuleContext[_Options]) -> Iterable[Finding]:
    options = context.options
    parsed = front_matter_of(document, context.workspace)
    if parsed is None or parsed.error is not None:
        return
    date_entry = parsed.entries.get("date")
    date = written_date(date_entry.value) if date_entry else None
    permalink = parsed.entries.get("permalink")
    title = parsed.entries.get("title")
    if date_entry is not None and date is not None and options.filename_date:
        yield from _filename_date(document, context, date_entry, date)
    if permalink is not None and isinstance(permalink.value, str):
        if date is not None and options.permalink_date:
            yield from _permalink_date(context, permalink, date)
        if options.trailing_slash:
            yield from _trailing_slash(document, context, permalink)
    if title is not None and isinstance(title.value, str) and date is not None and options.title_date:
        yield from _title_date(document, context, title, date)


def _filename_date(
    document: Document, context: RuleContext[_Options], entry: Entry, date: dt.date
) -> Iterator[Finding]:
    name = Path(document.path).name
    match = _POST_NAME.match(name)
    named = _date(*match.groups()) if match else None
    if named is not None and named != date:
        yield context.finding(
            entry.value_start,
            entry.value_end,
            f"date {date.isoformat()} is not the date in the file name {name} ({named.isoformat()})",
        )


def _permalink_dates(permalink: str) -> Iterator[tuple[str, dt.date | tuple[int, ...]]]:
    """(as written, what it says) for the date parts of a permalink: `/2025/11/` or `-2025-11-19`."""
    segments = permalink.split("?", 1)[0].split("#", 1)[0].split("/")
    for index, segment in enumerate(segments):
        if len(segment) == 4 and segment.isdigit() and 1900 <= int(segment) <= 2200:
            parts = [segment]
            for following in segments[index + 1 : index + 3]:
                if not (_SEGMENT_NUMBER.fullmatch(following) and len(following) <= 2):
                    break
                parts.append(following)
            yield "/".join(parts), tuple(int(part) for part in parts)
            break
    for match in _DASHED_DATE.finditer(permalink):
        stated = _date(*match.groups())
        if stated is not None:
            yield match.group(0), stated


def _permalink_date(context: RuleContext[_Options], entry: Entry, date: dt.date) -> Iterator[Finding]:
    for written, stated in _permalink_dates(entry.value):
        parts = (stated.year, stated.month, stated.day) if isinstance(stated, dt.date) else stated
        if parts != (date.year, date.month, date.day)[: len(parts)]:
            yield context.finding(
                entry.value_start,
                entry.value_end,
                f"permalink says {written} but date is {date.isoformat()}",
            )
            return


def _title_date(document: Document, context: RuleContext[_Options], entry: Entry, date: dt.date) -> Iterator[Finding]:
    for pattern in _TITLE_STAMPS:
        for match in pattern.finditer(entry.value):
            stated = _date(*match.groups())
            if stated is None or stated == date:
                continue
            start, end = entry.value_start, entry.value_end
            # Point at the stamp itself when the title is written as it reads (no escapes, one line).
            found = document.text.find(match.group(0), start, end)
            if found != -1:
                start, end = found, found + len(match.group(0))
            yield context.finding(
                start,
                end,
                f"title says {stated.isoformat()} ({match.group(0)}) but date is {date.isoformat()}",
            )
            return


def _trailing_slash(document: Document, context: RuleContext[_Options], entry: Entry) -> Iterator[Finding]:
    options = context.options
    style = trailing_slash_style(entry.value)
    if style is None:
        return
    summary = folder_summary(document, context.workspace)
    if summary is None:
        return
    total = summary.slash_counts[True] + summary.slash_counts[False]
    others = summary.slash_counts[not style]
    if total < options.min_documents or others < options.threshold * total:
        return
    folder = Path(document.path).parent.as_posix()
    where = "this folder" if folder in ("", ".") else f"{folder}/"
    if style:
        message = f"permalink ends with `/`, unlike {others} of {total} permalinks in {where}"
    else:
        message = f"permalink has no trailing `/`, unlike {others} of {total} permalinks in {where}"
    yield context.finding(
        entry.value_start,
        entry.value_end,
        message,
        fix=_slash_fix(document, entry, add=not style),
        severity=Severity.WARNING if context.severity == Severity.ERROR else context.severity,
    )


def _slash_fix(document: Document, entry: Entry, *, add: bool) -> Fix | None:
    value: str = entry.value
    start, end = entry.value_start, entry.value_end
    source = document.text[start:end]
    if source != value:
        quoted = len(source) >= 2 and source[0] == source[-1] and source[0] in "'\""
        if not (quoted and source[1:-1] == value):
            return None  # escapes or folded lines: the written form is not the value
        end -= 1
    if "?" in value or "#" in value:
        return None
    # Unsafe: the page moves to another URL, and links to the old one may break.
    if add:
        return Fix.replace(end, end, "/", "unsafe")
    stripped = len(value) - len(value.rstrip("/"))
    return Fix.replace(end - stripped, end, "", "unsafe")


RULE = Rule(
    code="MDL012",
    name="front-matter-mismatch",
    summary="Front-matter date, file name, permalink and title that contradict each other",
    check=_check,
    options=_Options,
    tags=("front-matter",),
    # Folder inference compares the document with its siblings.
    depends_on="folder",
    fix_scope=frozenset({FRONT_MATTER}),
    fixes=frozenset({"unsafe"}),
)
