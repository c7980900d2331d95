"""front-matter-invalid: front matter that does not parse, repeats a key, holds a value of the wrong
type for a known key, or sits where Jekyll and Hugo do not look for it (not on line 1, never closed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError, create_model

from mdlint.findings import FRONT_MATTER, FRONT_MATTER_PLACEMENT, Finding, Fix
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions
from mdlint.site.front_matter import (
    ParsedFrontMatter,
    StrayFrontMatter,
    find_stray_front_matter,
    front_matter_of,
    page_view_of,
    parse_date,
)

__all__ = ["RULE"]

TypeName = Literal["string", "date", "strings", "path", "boolean", "integer", "number", "list", "mapping", "any"]

# Jekyll and Hugo defaults; `types` in the config adds keys or replaces these per key.
_DEFAULT_TYPES: dict[str, TypeName] = {
    "title": "string",
    "date": "date",
    "last_modified_at": "date",
    "lastmod": "date",
    "tags": "strings",
    "categories": "strings",
    "permalink": "path",
}


class _Options(RuleOptions):
    types: dict[str, TypeName] = Field(
        default_factory=dict,
        description="expected type per top-level key, merged over the defaults; `any` turns a key off",
    )

    def effective_types(self) -> dict[str, TypeName]:
        return {**_DEFAULT_TYPES, **self.types}


def _describe(value: object) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dt.datetime | dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        wrong = next(((n, item) for n, item in enumerate(value, 1) if not isinstance(item, str)), None)
        return f"a list whose item {wrong[0]} is {_describe(wrong[1])}" if wrong else "a list"
    if isinstance(value, dict):
        return "a mapping"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def _expect(accepts: Callable[[object], bool], expected: str) -> Callable[[object], object]:
    def validate(value: object) -> object:
        if not accepts(value):
            raise ValueError(f"must be {expected}, got {_describe(value)}")
        return value

    return validate


def _is_date(value: object) -> bool:
    if isinstance(value, dt.date):  # datetime is a date too
        return True
    return isinstance(value, str) and parse_date(value) is not None


def _is_string(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


_CHECKS: dict[TypeName, tuple[Callable[[object], bool], str]] = {
    "string": (_is_string, "a non-empty string (quote numbers, dates and yes/no)"),
    "date": (_is_date, "a date or timestamp such as 2025-11-14 or 2025-11-14 09:00:00 +09:00"),
    "strings": (
        lambda v: v is None or isinstance(v, str) or (isinstance(v, list) and all(isinstance(i, str) for i in v)),
        "a string or a list of strings",
    ),
    # Jekyll and Hugo put the leading `/` in front of a relative permalink themselves.
    "path": (
        lambda v: isinstance(v, str) and bool(v.strip()) and not any(c.isspace() for c in v.strip()),
        "a URL path without spaces, such as /about/",
    ),
    "boolean": (lambda v: isinstance(v, bool), "true or false"),
    "integer": (lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number"),
    "number": (lambda v: isinstance(v, int | float) and not isinstance(v, bool), "a number"),
    "list": (lambda v: isinstance(v, list), "a list"),
    "mapping": (lambda v: isinstance(v, dict), "a mapping of keys to values"),
}


@cache
def _schema(types: tuple[tuple[str, TypeName], ...]) -> type[BaseModel]:
    """A pydantic model of the known keys; absent keys are the business of front-matter-missing."""
    fields: dict[str, Any] = {}
    for index, (key, type_name) in enumerate(types):
        if type_name == "any":
            continue
        accepts, expected = _CHECKS[type_name]
        # Keys are aliases: front-matter keys need not be Python identifiers (`last-modified`).
        fields[f"field_{index}"] = (
            Annotated[Any, PlainValidator(_expect(accepts, expected))],
            Field(default=None, alias=key),
        )
    model: type[BaseModel] = create_model(
        "FrontMatterSchema", __config__=ConfigDict(extra="ignore", populate_by_name=False), **fields
    )
    return model


def _type_problems(data: Mapping[str, object], types: dict[str, TypeName]) -> Iterator[tuple[str, str]]:
    """(key, problem) for each value of the wrong type."""
    schema = _schema(tuple(sorted(types.items())))
    try:
        schema.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            key = str(item["loc"][0])
            cause = item.get("ctx", {}).get("error")
            yield key, str(cause) if cause is not None else item["msg"]


def _check(document: Document, context: RuleContext[_Options]) -> Iterable[Finding]:
    parsed = front_matter_of(document, context.workspace)
    if parsed is None:
        stray = find_stray_front_matter(document)
        if stray is not None:
            yield _stray_finding(document, context, stray)
        return
    if parsed.error is not None:
        if _is_template(document, parsed):
            return
        offset = parsed.error.offset
        yield context.finding(offset, min(offset + 1, len(document.text)), parsed.error.message)
        return
    for duplicate in parsed.duplicates:
        first_line = document.position(duplicate.first_start)[0]
        yield context.finding(
            duplicate.start,
            duplicate.end,
            f"duplicate key `{duplicate.key}` (first set on line {first_line}); only the last value is used",
        )
    # GitHub's issue templates give `title` and the other keys their own meaning (`title: ''` is
    # an empty default issue title): the page types below are a site's, not theirs.
    if not page_view_of(document, context.workspace).repository_file:
        yield from _wrong_types(parsed, context)


def _is_template(document: Document, parsed: ParsedFrontMatter) -> bool:
    # Hugo archetypes and similar generators hold Go or Liquid templates that become YAML later.
    content = parsed.block.content(document.text)
    return "{{" in content or "{%" in content


def _wrong_types(parsed: ParsedFrontMatter, context: RuleContext[_Options]) -> Iterator[Finding]:
    options = context.options
    for key, problem in _type_problems(parsed.data, options.effective_types()):
        entry = parsed.entries.get(key)
        if entry is None:
            continue
        if entry.value_start == entry.value_end:  # `title:` with nothing after it
            yield context.finding(entry.key_start, entry.key_end, f"`{key}` {problem}")
        else:
            yield context.finding(entry.value_start, entry.value_end, f"`{key}` {problem}")


def _stray_finding(document: Document, context: RuleContext[_Options], stray: StrayFrontMatter) -> Finding:
    fence_end = document.line_end(stray.fence_line)
    if stray.kind == "unclosed":
        fence = document.text[stray.fence_start : fence_end].strip()
        return context.finding(
            stray.fence_start,
            fence_end,
            f"front matter opened on line 1 is never closed; add a `{fence}` line after its last key",
        )
    if stray.fence_line == 1:
        return context.finding(
            stray.fence_start,
            fence_end,
            "the front-matter fence on line 1 is indented; it must start at column 1 or it is shown as text",
            fix=Fix.replace(0, stray.fence_start, "", "unsafe"),
        )
    before = []
    if stray.blank_lines_before:
        before.append(f"{stray.blank_lines_before} blank line{'s' if stray.blank_lines_before > 1 else ''}")
    if stray.text_lines_before:
        before.append(f"{stray.text_lines_before} line{'s' if stray.text_lines_before > 1 else ''} of text")
    fix = None
    if not stray.text_lines_before:
        # Unsafe: it turns text that Jekyll and Hugo now print into metadata they act on.
        fix = Fix.replace(0, stray.fence_start, "", "unsafe")
    return context.finding(
        stray.fence_start,
        fence_end,
        f"front matter starts on line {stray.fence_line} after {' and '.join(before)}; "
        "it must start on line 1 or it is shown as text",
        fix=fix,
    )


RULE = Rule(
    code="MDL010",
    name="front-matter-invalid",
    summary="Front matter that does not parse, repeats a key, has a wrong-typed value or is misplaced",
    check=_check,
    options=_Options,
    tags=("front-matter",),
    fix_scope=frozenset({FRONT_MATTER, FRONT_MATTER_PLACEMENT}),
    fixes=frozenset({"unsafe"}),
)
