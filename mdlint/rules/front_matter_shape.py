"""front-matter-shape: a front-matter value written unlike the same key in nearly all sibling files.

The files of one folder (a Jekyll `_posts`, a Hugo section) are written from one template, so each
key's values share a shape that no generator enforces: the separator between the words of a
permalink slug, the format of a date (time, seconds, offset), the quoting of a key's values, a
list or a single value for `tags`, and which of two spellings names a key (`category` or
`categories`, `Tags` or `tags`). A file that breaks a clear majority of its siblings is reported,
naming the majority. Only what the file writes counts: values a site supplies (Jekyll `defaults`,
Hugo `cascade`) are not written there. A list inside a list (`tags:` then `- [Review]`) is
reported whatever the siblings do: no taxonomy holds lists.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from mdlint.findings import Finding, Severity
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions
from mdlint.site.front_matter import (
    Entry,
    front_matter_of,
    is_index_page,
    page_view_of,
    parse_date,
    sibling_documents,
)
from mdlint.site.workspace import Workspace
from mdlint.source.yaml_loading import yaml_value

__all__ = ["RULE"]


class _Options(RuleOptions):
    min_siblings: int = Field(
        default=4, ge=2, description="sibling files that must write a key before its majority counts"
    )
    agreement: float = Field(
        default=0.9, gt=0.5, le=1, description="share of those siblings that must write the key in one shape"
    )
    keys: list[str] = Field(
        default_factory=list,
        description="keys whose values are compared (empty: every key); key spellings are compared for all",
    )
    slug_keys: list[str] = Field(
        default_factory=lambda: ["permalink", "slug", "url"],
        description="keys whose last path segment is a slug of words joined by `-` or `_`",
    )
    list_keys: list[str] = Field(
        default_factory=lambda: ["tags", "categories", "keywords", "aliases"],
        description="keys whose values are lists (taxonomies): a single value or a list in a list is a shape",
    )
    key_aliases: list[list[str]] = Field(
        default_factory=lambda: [["categories", "category"], ["tags", "tag"]],
        description="groups of keys that name one field; a folder should use one spelling",
    )
    quoting: bool = Field(
        default=False, description="also compare how a key's values are quoted (style only: no generator reads it)"
    )


_SUFFIXES = frozenset({".md", ".markdown"})
_TEMPLATE = re.compile(r"\{[{%]|:\w+")
# A separator between two words of a slug, next to a letter on one side at least, so that the
# dashes of a date (`2025-12-03`) do not count.
_SLUG_SEPARATOR = re.compile(r"(?<=[^\W\d_])[-_](?=[^\W_])|(?<=[^\W_])[-_](?=[^\W\d_])")
_DATE_PARTS = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:(?P<t>[Tt]|[ \t]+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?P<fraction>\.\d+)?)?"
    r"(?P<space>[ \t]*)(?P<offset>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?"
)
_NESTED_ITEM = re.compile(r"^[ \t]*-[ \t]+(?=\[|-[ \t])", re.MULTILINE)
_ASPECT_ORDER = ("alias", "separator", "list", "date", "quote")


@dataclass(frozen=True, slots=True)
class _Shape:
    """One aspect of how a file writes one key: `key` names the field (lower case for aliases)."""

    aspect: str
    key: str
    shape: str
    start: int
    end: int
    name: str  # the key as written


def _date_format(text: str) -> str | None:
    """How a date is written, as a pattern: `YYYY-MM-DD`, `YYYY-MM-DDThh:mm:ss±hh:mm`, …"""
    match = _DATE_PARTS.fullmatch(text.strip())
    if match is None or parse_date(text) is None:
        return None
    out = ["YYYY-", "MM" if len(match["month"]) == 2 else "M", "-", "DD" if len(match["day"]) == 2 else "D"]
    if match["hour"] is not None:
        out += ["T" if match["t"] in "Tt" else " ", "hh" if len(match["hour"]) == 2 else "h", ":mm"]
        if match["second"] is not None:
            out.append(":ss" + (".s" if match["fraction"] else ""))
        offset = match["offset"]
        if offset is not None:
            out.append(" " if match["space"] else "")
            if offset in "Zz":
                out.append("Z")
            else:
                out.append("±hh:mm" if ":" in offset else "±hhmm" if len(offset) == 5 else "±hh")
    return "".join(out)


def _written(document: Document, entry: Entry) -> tuple[str, str] | None:
    """(the scalar as written without its quotes, its quote character) or None for lists and tables."""
    if entry.text is not None:
        return entry.text, entry.quote
    if isinstance(entry.value, list | dict):
        return None
    source = document.text[entry.value_start : entry.value_end]  # TOML: strings are always quoted
    if len(source) >= 2 and source[0] == source[-1] and source[0] in "'\"" and isinstance(entry.value, str):
        return source[1:-1], source[0]
    return source, ""


def _quote_needed(text: str, value: object, majority: str) -> bool:
    """Whether the value could not be written with the majority's quoting and mean the same."""
    if majority == "":
        try:
            plain = yaml_value(f"k: {text}")
        except (ValueError, TypeError, RecursionError):
            return True  # `2025-02-30` fails as a timestamp: whatever it reads as, keep the quotes
        unquoted = plain.get("k") if isinstance(plain, dict) else None
        if isinstance(unquoted, dt.date) and isinstance(value, str) and parse_date(value) is not None:
            return False  # Jekyll and Hugo read a date written as a string like a date
        return bool(unquoted != value)
    if majority == "'":
        return "'" in text or not text.isprintable()
    return '"' in text or "\\" in text


def _slug_shape(value: str) -> str | None:
    path = value.split("?", 1)[0].split("#", 1)[0]
    segments = [segment for segment in path.split("/") if segment]
    if not segments or _TEMPLATE.search(value):
        return None
    slug = segments[-1].rsplit(".", 1)[0] if "." in segments[-1] else segments[-1]
    separators = "".join(sorted(set(_SLUG_SEPARATOR.findall(slug))))
    return separators or None


def _shapes(document: Document, workspace: Workspace, options: _Options) -> list[_Shape]:
    """Every shape aspect of the document's written front matter."""
    parsed = front_matter_of(document, workspace)
    if parsed is None or parsed.error is not None or not parsed.entries:
        return []
    if page_view_of(document, workspace).repository_file:
        return []
    wanted = {key.lower() for key in options.keys}
    slug_keys = {key.lower() for key in options.slug_keys}
    list_keys = {key.lower() for key in options.list_keys}
    alias_of = {member.lower(): group[0].lower() for group in options.key_aliases if group for member in group}
    shapes: list[_Shape] = []
    for key, entry in parsed.entries.items():
        lowered = key.lower()
        field = alias_of.get(lowered, lowered)
        # The spelling of the key: its case (Hugo ignores it, Jekyll does not) and its alias.
        shapes.append(_Shape("alias", field, key, entry.key_start, entry.key_end, key))
        if wanted and lowered not in wanted and field not in wanted:
            continue
        value = entry.value
        if value is None or value == "" or value == [] or value == {}:
            continue
        if lowered in list_keys or field in list_keys:
            if isinstance(value, list):
                nested = any(isinstance(item, list) for item in value)
                shapes.append(
                    _Shape("list", field, "nested" if nested else "list", entry.value_start, entry.value_end, key)
                )
            elif isinstance(value, str):
                shapes.append(_Shape("list", field, "single", entry.value_start, entry.value_end, key))
        written = _written(document, entry)
        if written is None:
            continue
        text, quote = written
        if lowered in slug_keys and isinstance(value, str):
            separator = _slug_shape(value)
            if separator is not None:
                shapes.append(_Shape("separator", lowered, separator, entry.value_start, entry.value_end, key))
        if isinstance(value, dt.date | str):
            date_format = _date_format(text)
            if date_format is not None:
                shapes.append(_Shape("date", lowered, date_format, entry.value_start, entry.value_end, key))
        if options.quoting and not isinstance(value, bool | int | float) and "\n" not in text:
            shapes.append(_Shape("quote", lowered, quote, entry.value_start, entry.value_end, key))
    return shapes


# Per sibling file, the (aspect, key, shape) triples it writes; and per (aspect, key), files by shape.
_FolderCounts = tuple[dict[Path, frozenset[tuple[str, str, str]]], dict[tuple[str, str], Counter[str]]]


def _folder_counts(folder: Path, workspace: Workspace, options: _Options) -> _FolderCounts:
    files = {
        path: frozenset((shape.aspect, shape.key, shape.shape) for shape in _shapes(sibling, workspace, options))
        for path, sibling in sibling_documents(folder, workspace, _SUFFIXES)
    }
    counts: dict[tuple[str, str], Counter[str]] = {}
    for seen in files.values():
        for aspect, key, shape in seen:
            counts.setdefault((aspect, key), Counter())[shape] += 1
    return files, counts


def _describe(aspect: str, shape: str) -> str:
    if aspect == "separator":
        return " and ".join(f"`{char}`" for char in shape) + " between words"
    if aspect == "list":
        return {"list": "a list", "single": "a single value", "nested": "a list in a list"}[shape]
    if aspect == "quote":
        return {"": "unquoted", "'": "in single quotes", '"': "in double quotes"}[shape]
    return f"`{shape}`"


def _message(shape: _Shape, majority: str, count: int, total: int, where: str) -> str:
    unlike = f"unlike {count} of {total} other files in {where}"
    if shape.aspect == "alias":
        return f"key `{shape.shape}` is written `{majority}` by {count} of {total} other files in {where}"
    if shape.aspect == "separator":
        joined = f"unlike {count} of {total} other files in {where} that join words in their {shape.key}"
        written = " and ".join(f"`{char}`" for char in majority)
        return f"{shape.key} uses {_describe('separator', shape.shape)}, {joined}: {written}"
    if shape.aspect == "list":
        return f"{shape.key} is {_describe('list', shape.shape)}, {unlike}: {_describe('list', majority)}"
    if shape.aspect == "date":
        return f"{shape.key} is written {_describe('date', shape.shape)}, {unlike}: {_describe('date', majority)}"
    return f"{shape.key} is {_describe('quote', shape.shape)}, {unlike}: {_describe('quote', majority)}"


def _check(document: Document, context: RuleContext[_Options]) -> Iterator[Finding]:
    options = context.options
    path = Path(document.path)
    if path.suffix.lower() not in _SUFFIXES or is_index_page(path):
        return
    workspace = context.workspace
    mine = _shapes(document, workspace, options)
    # A list in a list is reported whatever the siblings do.
    for shape in mine:
        if shape.aspect == "list" and shape.shape == "nested":
            start, end = shape.start, shape.end
            # From the start of the value's line: `^` does not match in the middle of one.
            found = _NESTED_ITEM.search(document.text, document.text.rfind("\n", 0, start) + 1, end)
            if found is not None:
                start = found.end()
                end = document.text.find("\n", start, shape.end)
                end = shape.end if end == -1 else end
            yield context.finding(start, end, f"{shape.key} holds a list in a list: write its items as one list")
    if not mine or not path.is_file():
        return  # text from standard input or a test has no siblings
    folder = workspace.memo("front-matter-shape-real-folder", path.parent, path.parent.resolve)
    # Keyed by the options too: they decide which shapes a scan records.
    key = (folder, options.model_dump_json())
    scan = workspace.memo("front-matter-shape-folder", key, lambda: _folder_counts(folder, workspace, options))
    files, counts = scan
    # The folder's counts include this file as it is on disk: take it out.
    own: dict[tuple[str, str], list[str]] = {}
    for aspect, field, written in files.get(folder / path.name, frozenset()):
        own.setdefault((aspect, field), []).append(written)
    relative = path.parent.as_posix()
    where = "this folder" if relative in ("", ".") else f"{path.parent.name}/"
    reported: set[str] = set()
    for shape in sorted(mine, key=lambda shape: (_ASPECT_ORDER.index(shape.aspect), shape.start)):
        if shape.aspect == "list" and shape.shape == "nested":
            continue
        counter = counts.get((shape.aspect, shape.key))
        if counter is None:
            continue
        taken = own.get((shape.aspect, shape.key))
        if taken:
            counter = counter - Counter(taken)  # drops the shapes only this file wrote
            if not counter:
                continue
        total = sum(counter.values())
        majority, count = min(counter.items(), key=lambda item: (-item[1], item[0]))
        if total < options.min_siblings or count < options.agreement * total or majority == shape.shape:
            continue
        if shape.aspect == "quote" and _quote_needed(*_quoted(document, workspace, shape), majority):
            continue
        # One finding per key: `categories: [x]` among `category: x` is one slip, not two.
        if shape.name in reported:
            continue
        reported.add(shape.name)
        yield context.finding(shape.start, shape.end, _message(shape, majority, count, total, where))


def _quoted(document: Document, workspace: Workspace, shape: _Shape) -> tuple[str, object]:
    """(text as written without quotes, value) of the entry a quote shape belongs to."""
    parsed = front_matter_of(document, workspace)
    entry = parsed.entries[shape.name] if parsed is not None else None
    written = _written(document, entry) if entry is not None else None
    if entry is None or written is None:
        return "", None
    return written[0], entry.value


RULE = Rule(
    code="MDL013",
    name="front-matter-shape",
    summary="Front-matter value written unlike the same key in nearly all sibling files",
    check=_check,
    severity=Severity.WARNING,
    options=_Options,
    depends_on="folder",
    tags=("front-matter",),
)
