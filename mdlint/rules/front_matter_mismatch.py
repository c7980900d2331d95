"""front-matter-mismatch: front-matter values that contradict each other or the file: a `date` that is
not the day in a Jekyll post's file name, a permalink or title whose date disagrees with `date`, and a
permalink whose trailing-slash style differs from nearly all others in its folder.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from mdlint.findings import FRONT_MATTER, Finding, Fix, Severity
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions
from mdlint.site.front_matter import (
    Entry,
    PageView,
    folder_summary,
    front_matter_of,
    page_date,
    page_view_of,
    trailing_slash_style,
    written_date,
)

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
# A date range: a full first date, then the last day as a full date, a month and day, or a day:
# `2025-07-13-19`, `(2026-02-01~02-07)`, `2025-12-28-2026-01-03`, `20250713~0719`, `2025.07.13 ~ 07.19`.
_RANGE_START = re.compile(r"(?<!\d)(?:(\d{4})([-./])(\d{1,2})\2(\d{1,2})|(\d{4})(\d{2})(\d{2}))")
_RANGE_TO = re.compile(r"[ \t]*(?:[~〜～–—]|to\b)[ \t]*|[ \t]*-[ \t]*")
_RANGE_ENDS = (
    re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?!\d)|(\d{4})(\d{2})(\d{2})(?!\d)"),  # year, month, day
    re.compile(r"(\d{1,2})[-./](\d{1,2})(?![\d.])|(\d{2})(\d{2})(?!\d)"),  # month and day
    re.compile(r"(\d{2})(?!\d)|(\d)(?![\d.-])"),  # day
)
_LONGEST_RANGE = dt.timedelta(days=92)  # a week, a month, a quarter: longer is not one range


@dataclass(frozen=True, slots=True)
class _Range:
    """A span of days written in a title or permalink; the day after it counts too (a recap)."""

    first: dt.date
    last: dt.date
    start: int
    end: int

    def holds(self, day: dt.date) -> bool:
        return self.first <= day <= self.last + dt.timedelta(days=1)

    def describe(self) -> str:
        return f"{self.first.isoformat()} to {self.last.isoformat()}"


def _date(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    try:
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if 1900 <= value.year <= 2200 else None


def _date_ranges(text: str) -> list[_Range]:
    """The date ranges written in `text`, left to right."""
    ranges: list[_Range] = []
    position = 0
    while (match := _RANGE_START.search(text, position)) is not None:
        position = match.end()
        groups = match.groups()
        first = _date(*groups[0:1], *groups[2:4]) if groups[0] else _date(*groups[4:7])
        to = _RANGE_TO.match(text, match.end())
        if first is None or to is None:
            continue
        # `2025-07-01 - 15 tips` is a date and a number: a spaced hyphen needs a month and day.
        spaced_hyphen = to.group().strip() == "-" and to.group() != "-"
        found = _range_end(text, to.end(), first, with_day=not spaced_hyphen)
        if found is not None:
            last, end = found
            ranges.append(_Range(first, last, match.start(), end))
            position = end
    return ranges


def _range_end(text: str, offset: int, first: dt.date, *, with_day: bool) -> tuple[dt.date, int] | None:
    for form, pattern in enumerate(_RANGE_ENDS if with_day else _RANGE_ENDS[:2]):
        match = pattern.match(text, offset)
        if match is None:
            continue
        numbers = [int(group) for group in match.groups() if group is not None]
        if form == 0:
            last = _date(*numbers)
        elif form == 1:
            last = _date(first.year, *numbers)
            if last is not None and last <= first:  # `2025-12-28~01-03` ends in the next year
                last = _date(first.year + 1, *numbers)
        else:
            last = _date(first.year, first.month, numbers[0])
        if last is not None and first < last <= first + _LONGEST_RANGE:
            return last, match.end()
        return None
    return None


def _check(document: Document, context: RuleContext[_Options]) -> Iterable[Finding]:
    options = context.options
    parsed = front_matter_of(document, context.workspace)
    if parsed is None or parsed.error is not None:
        return
    view = page_view_of(document, context.workspace)
    if view.repository_file:  # GitHub's templates: their front matter is GitHub's, not a page's
        return
    date_entry = parsed.entries.get("date")
    date = written_date(date_entry.value) if date_entry else None
    # The dates the page may claim: the one written and the one the site shows (its time zone).
    shown = page_date(date_entry.value, view.timezone) if date_entry else None
    dates = frozenset(day for day in (date, shown) if day is not None)
    permalink = parsed.entries.get("permalink")
    title = parsed.entries.get("title")
    if date_entry is not None and date is not None and shown is not None and options.filename_date:
        yield from _filename_date(document, context, date_entry, date, shown, view)
    if permalink is not None and isinstance(permalink.value, str):
        if date is not None and options.permalink_date:
            yield from _permalink_date(context, permalink, date, dates)
        if options.trailing_slash:
            yield from _trailing_slash(document, context, permalink)
    if title is not None and isinstance(title.value, str) and date is not None and options.title_date:
        yield from _title_date(document, context, title, date, dates)


def _filename_date(
    document: Document,
    context: RuleContext[_Options],
    entry: Entry,
    date: dt.date,
    shown: dt.date,
    view: PageView,
) -> Iterator[Finding]:
    name = Path(document.path).name
    match = _POST_NAME.match(name)
    named = _date(*match.groups()) if match else None
    if named is None or named == shown:
        return
    if shown != date:
        message = (
            f"date {date.isoformat()} is {shown.isoformat()} in the site's time zone ({view.timezone}), "
            f"not the date in the file name {name} ({named.isoformat()})"
        )
    else:
        message = f"date {date.isoformat()} is not the date in the file name {name} ({named.isoformat()})"
    yield context.finding(entry.value_start, entry.value_end, message)


def _permalink_dates(permalink: str, skip: list[_Range]) -> Iterator[tuple[str, dt.date | tuple[int, ...]]]:
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
        inside = any(span.start <= match.start() < span.end for span in skip)
        if stated is not None and not inside:
            yield match.group(0), stated


def _permalink_date(
    context: RuleContext[_Options], entry: Entry, date: dt.date, dates: frozenset[dt.date]
) -> Iterator[Finding]:
    ranges = _date_ranges(entry.value)
    for span in ranges:
        if not any(span.holds(day) for day in dates):
            written = entry.value[span.start : span.end]
            yield context.finding(
                entry.value_start,
                entry.value_end,
                f"permalink says {written} ({span.describe()}) but date is {date.isoformat()}",
            )
            return
    # Folders such as `/2025/12/` may follow any day of a range the date falls in.
    agreed = set(dates)
    for span in ranges:
        agreed.update(span.first + dt.timedelta(days=n) for n in range((span.last - span.first).days + 2))
    for written, stated in _permalink_dates(entry.value, ranges):
        parts = (stated.year, stated.month, stated.day) if isinstance(stated, dt.date) else stated
        if not any(parts == (day.year, day.month, day.day)[: len(parts)] for day in agreed):
            yield context.finding(
                entry.value_start,
                entry.value_end,
                f"permalink says {written} but date is {date.isoformat()}",
            )
            return


def _title_date(
    document: Document, context: RuleContext[_Options], entry: Entry, date: dt.date, dates: frozenset[dt.date]
) -> Iterator[Finding]:
    ranges = _date_ranges(entry.value)
    for span in ranges:
        if not any(span.holds(day) for day in dates):
            written = entry.value[span.start : span.end]
            yield _title_finding(document, context, entry, written, f"{span.describe()} ({written})", date)
            return
    for pattern in _TITLE_STAMPS:
        for match in pattern.finditer(entry.value):
            stated = _date(*match.groups())
            if stated is None or stated in dates or any(span.start <= match.start() < span.end for span in ranges):
                continue
            written = match.group(0)
            yield _title_finding(document, context, entry, written, f"{stated.isoformat()} ({written})", date)
            return


def _title_finding(
    document: Document, context: RuleContext[_Options], entry: Entry, written: str, says: str, date: dt.date
) -> Finding:
    start, end = entry.value_start, entry.value_end
    # Point at the stamp itself when the title is written as it reads (no escapes, one line).
    found = document.text.find(written, start, end)
    if found != -1:
        start, end = found, found + len(written)
    return context.finding(start, end, f"title says {says} but date is {date.isoformat()}")


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
