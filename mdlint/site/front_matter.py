"""Front matter as data with positions: parsed once per document, summarised once per folder.

`Document.front_matter` only finds the block. This module parses it (YAML with PyYAML, using the
C loader when it is available, or TOML with `tomllib`) into top-level entries that remember
where their key and value are in `document.text`, finds duplicate keys (which both parsers would
silently resolve), finds front matter that is misplaced or never closed, and summarises each
folder so rules can compare a file with its siblings without rescanning the folder per file.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from mdlint.markdown.document import Document
from mdlint.site.workspace import Workspace
from mdlint.source.front_matter_block import FrontMatter

__all__ = [
    "SIBLING_SUFFIXES",
    "Duplicate",
    "Entry",
    "FileFacts",
    "FolderSummary",
    "ParsedFrontMatter",
    "StrayFrontMatter",
    "SyntaxProblem",
    "find_stray_front_matter",
    "folder_summary",
    "front_matter_of",
    "is_index_page",
    "parse_date",
    "parse_front_matter",
    "trailing_slash_style",
    "written_date",
]

SIBLING_SUFFIXES = frozenset({".md", ".markdown", ".html"})

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that keeps an impossible timestamp (`2025-02-30`) as its text instead of raising."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

# Dates as Jekyll (Ruby `Time.parse`) and Hugo accept them in practice: a calendar date, then an
# optional time and an optional offset written `Z`, `+09:00` or `+0900`. A second offset, as in
# `2025-11-14 00:00:00+0900+0900`, makes the whole value unparseable.
_DATE_TEXT = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:(?:[Tt]|[ \t]+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"(?:[ \t]*(?:[Zz]|[+-]\d{2}(?::?\d{2})?))?)?"
)
_TOML_ERROR_AT = re.compile(r"\(at line (\d+), column (\d+)\)$")
_TOML_KEY_LINE = re.compile(
    r"^[ \t]*(?P<key>[A-Za-z0-9_-]+|\"[^\"\r\n]*\"|'[^'\r\n]*')[ \t]*=[ \t]*"
    r"(?P<value>\"(?:[^\"\\\r\n]|\\.)*\"|'[^'\r\n]*'|[^#\r\n]*?)[ \t]*(?:#[^\r\n]*)?\r?$",
    re.MULTILINE,
)
_TOML_TABLE_LINE = re.compile(r"^[ \t]*\[", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Entry:
    """One top-level key of the front matter, its value, and where both are written."""

    key: str
    value: Any
    key_start: int
    key_end: int
    value_start: int  # equal to value_end when the value is empty (`title:`)
    value_end: int
    # The scalar exactly as written, quotes removed; None for lists, tables and TOML values.
    text: str | None = None
    # The quote character of a quoted YAML scalar ("" for plain scalars and TOML values).
    quote: str = ""


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A key written twice in one mapping; `start`/`end` locate the later occurrence."""

    key: str
    start: int
    end: int
    first_start: int


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """Where the YAML or TOML parser gave up, and its reason."""

    offset: int
    message: str


@dataclass(frozen=True)
class ParsedFrontMatter:
    """A parsed front-matter block; `error` is set (and `entries` empty) when it does not parse."""

    block: FrontMatter
    data: dict[str, Any] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    duplicates: tuple[Duplicate, ...] = ()
    error: SyntaxProblem | None = None


def parse_front_matter(document: Document) -> ParsedFrontMatter | None:
    """Parse the document's front matter; None when the file has none. Not cached: see `front_matter_of`."""
    block = document.front_matter
    if block is None:
        return None
    if block.kind == "toml":
        return _parse_toml(document, block)
    return _parse_yaml(document, block)


def front_matter_of(document: Document, workspace: Workspace) -> ParsedFrontMatter | None:
    """The document's parsed front matter, parsed once per run however many rules ask."""
    # Keyed by the document itself (identity), not by its path: two documents read under
    # different display paths, or built in tests with the same name, must not share a parse.
    # Kept with the document rather than in the run's memo, which would keep every document.
    return document.memo("front-matter", lambda: parse_front_matter(document))


def _parse_yaml(document: Document, block: FrontMatter) -> ParsedFrontMatter:
    content = block.content(document.text)
    base = block.content_start
    loader = _Loader(content)
    try:
        root = loader.get_single_node()
        if root is None:
            return ParsedFrontMatter(block)
        if not isinstance(root, yaml.MappingNode):
            what = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
            message = f"front matter is {what}; expected `key: value` lines"
            return ParsedFrontMatter(block, error=SyntaxProblem(base + root.start_mark.index, message))
        # Before merge keys (`<<: *defaults`) are flattened, which would look like duplicates.
        duplicates = tuple(_yaml_duplicates(root, base))
        loader.flatten_mapping(root)
        data: dict[str, Any] = {}
        entries: dict[str, Entry] = {}
        for key_node, value_node in root.value:
            key = str(loader.construct_object(key_node, deep=True))
            data[key] = loader.construct_object(value_node, deep=True)
            entries[key] = _yaml_entry(content, base, key, data[key], key_node, value_node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        offset = base + mark.index if mark is not None else block.content_start
        reason = error.problem or error.context or "syntax error"
        message = f"front matter is not valid YAML: {reason}"
        return ParsedFrontMatter(block, error=SyntaxProblem(min(offset, block.content_end), message))
    except yaml.reader.ReaderError as error:
        # PyYAML refuses control characters before parsing; its message spans two lines, and
        # libyaml counts its position in bytes. The first such character is the one it refused.
        character = error.character if isinstance(error.character, int) else ord(error.character)
        offset = base + max(0, content.find(chr(character)))
        message = f"front matter is not valid YAML: character U+{character:04X} is not allowed"
        return ParsedFrontMatter(block, error=SyntaxProblem(offset, message))
    except (yaml.YAMLError, ValueError, TypeError) as error:
        # Unmarked constructor failures (an unhashable key, bad base64 in `!!binary`).
        message = "front matter cannot be read: " + " ".join(str(error).split())
        return ParsedFrontMatter(block, error=SyntaxProblem(block.content_start, message))
    finally:
        loader.dispose()
    return ParsedFrontMatter(block, data, entries, duplicates)


def _yaml_entry(content: str, base: int, key: str, value: Any, key_node: yaml.Node, value_node: yaml.Node) -> Entry:
    value_start, value_end = _node_span(content, value_node)
    is_scalar = isinstance(value_node, yaml.ScalarNode)
    style = getattr(value_node, "style", None) if is_scalar else None
    return Entry(
        key=key,
        value=value,
        key_start=base + key_node.start_mark.index,
        key_end=base + key_node.end_mark.index,
        value_start=base + value_start,
        value_end=base + value_end,
        text=str(value_node.value) if is_scalar else None,
        quote=style if style in ("'", '"') else "",
    )


def _node_span(content: str, node: yaml.Node) -> tuple[int, int]:
    start, end = node.start_mark.index, node.end_mark.index
    # Block values end after their last line break; stop at the last written character.
    while end > start and content[end - 1] in " \t\r\n":
        end -= 1
    return start, end


def _yaml_duplicates(node: yaml.Node, base: int) -> Iterator[Duplicate]:
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                identity = (key_node.tag, key_node.value)
                start = base + key_node.start_mark.index
                if identity in seen:
                    yield Duplicate(str(key_node.value), start, base + key_node.end_mark.index, seen[identity])
                else:
                    seen[identity] = start
            yield from _yaml_duplicates(value_node, base)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _yaml_duplicates(item, base)


def _parse_toml(document: Document, block: FrontMatter) -> ParsedFrontMatter:
    content = block.content(document.text)
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        at = _TOML_ERROR_AT.search(message)
        offset = block.content_end
        if at:
            offset = block.content_start + _toml_offset(content, int(at.group(1)), int(at.group(2)))
            message = message[: at.start()].rstrip()
        else:
            message = message.replace("(at end of document)", "").rstrip()
        return ParsedFrontMatter(
            block,
            error=SyntaxProblem(min(offset, block.content_end), f"front matter is not valid TOML: {message}"),
        )
    table = _TOML_TABLE_LINE.search(content)
    top_level = content[: table.start()] if table else content
    entries: dict[str, Entry] = {}
    for match in _TOML_KEY_LINE.finditer(top_level):
        key = match.group("key")
        if key[0] in "\"'":
            key = key[1:-1]
        if key in data and key not in entries:
            base = block.content_start
            entries[key] = Entry(
                key=key,
                value=data[key],
                key_start=base + match.start("key"),
                key_end=base + match.end("key"),
                value_start=base + match.start("value"),
                value_end=base + match.end("value"),
            )
    return ParsedFrontMatter(block, data, entries)


def _toml_offset(content: str, line: int, column: int) -> int:
    # tomllib counts lines by "\n" and columns from 1, in code points.
    start = 0
    for _ in range(line - 1):
        newline = content.find("\n", start)
        if newline == -1:
            return len(content)
        start = newline + 1
    return min(start + column - 1, len(content))


def parse_date(text: str) -> dt.date | None:
    """The calendar date of a date or timestamp written as text, as written; None when invalid."""
    match = _DATE_TEXT.fullmatch(text.strip())
    if match is None:
        return None
    try:
        day = dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
        if match["hour"] is not None:
            dt.time(int(match["hour"]), int(match["minute"]), int(match["second"] or 0))
    except ValueError:
        return None
    return day


def written_date(value: Any) -> dt.date | None:
    """The calendar date a front-matter value states, as written (no time-zone conversion)."""
    # Both PyYAML (6.0 and later) and tomllib keep an offset timestamp's wall-clock time as
    # written, so `.date()` is the date the author typed, whatever the offset.
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    return None


def trailing_slash_style(permalink: Any) -> bool | None:
    """Whether a folder-like permalink ends with `/`; None for files (`/feed.xml`), `/` and non-paths."""
    if not isinstance(permalink, str) or not permalink.startswith("/") or permalink.strip() == "/":
        return None
    path = permalink.split("?", 1)[0].split("#", 1)[0]
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if "." in last or ":" in last:  # a file name, or a Jekyll placeholder such as `:output_ext`
        return None
    return path.endswith("/")


# --- Front matter that is there but is not recognised as such -------------------------------

_KNOWN_KEYS = frozenset(
    {
        "title", "date", "layout", "permalink", "categories", "category", "tags", "description",
        "draft", "slug", "weight", "author", "authors", "excerpt", "aliases", "last_modified_at",
        "lastmod", "summary", "keywords", "published", "toc", "comments", "image", "sidebar",
    }
)  # fmt: skip
_YAML_KEY_LINE = re.compile(r"[A-Za-z_][\w.-]*[ \t]*:(?:[ \t]|$)")
_TOML_KEY = re.compile(r"[A-Za-z_][\w.-]*[ \t]*=")
_LOOK_AHEAD_LINES = 10  # how far down a misplaced opening fence is looked for
_MAX_BLOCK_LINES = 200


@dataclass(frozen=True, slots=True)
class StrayFrontMatter:
    """A block that is clearly front matter but that Jekyll and Hugo will show as text."""

    kind: Literal["late", "unclosed"]
    fence_start: int  # offset of the opening `---` or `+++`
    fence_line: int
    blank_lines_before: int
    text_lines_before: int


def find_stray_front_matter(document: Document) -> StrayFrontMatter | None:
    """A front-matter block that does not start on line 1 or is never closed; None otherwise."""
    if document.front_matter is not None:
        return None
    lines = document.lines
    index = next((i for i, line in enumerate(lines[:_LOOK_AHEAD_LINES]) if line.strip() in ("---", "+++")), None)
    if index is None:
        return None
    fence = lines[index].strip()
    text = sum(1 for line in lines[:index] if line.strip())
    blank = index - text
    kind = "yaml" if fence == "---" else "toml"
    closers = ("---", "...") if kind == "yaml" else ("+++",)
    known, closed = _key_lines(lines[index + 1 : index + 1 + _MAX_BLOCK_LINES], kind, closers)
    fence_start = document.line_starts[index] + (len(lines[index]) - len(lines[index].lstrip()))
    if not closed:
        if index == 0 and lines[0] == fence and known >= 2:
            return StrayFrontMatter("unclosed", fence_start, 1, 0, 0)
        return None
    moved = index > 0 or lines[0] != lines[0].lstrip()
    # Text before the fence could be a setext heading underlined by `---`: demand more evidence.
    if moved and known >= (2 if text else 1):
        return StrayFrontMatter("late", fence_start, index + 1, blank, text)
    return None


def _key_lines(lines: list[str], kind: str, closers: tuple[str, ...]) -> tuple[int, bool]:
    """How many known keys the block's lines set, and whether a closing fence ends them."""
    known = 0
    key_line = _YAML_KEY_LINE if kind == "yaml" else _TOML_KEY
    for line in lines:
        stripped = line.strip()
        if stripped in closers:
            return known, True
        if not stripped or stripped.startswith("#") or line[0] in " \t" or stripped.startswith("- "):
            continue
        if kind == "toml" and stripped.startswith("["):
            continue
        if not key_line.match(line):
            return known, False
        if re.split(r"[ \t]*[:=]", line, maxsplit=1)[0] in _KNOWN_KEYS:
            known += 1
    return known, False


# --- What a folder's files have in common ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What a folder summary needs to know about one file."""

    status: Literal["none", "broken", "ok"]  # no front matter / does not parse / parsed
    keys: frozenset[str] = frozenset()
    trailing_slash: bool | None = None


@dataclass(frozen=True)
class FolderSummary:
    """Counts over the Markdown and HTML files of one folder (each file counted once)."""

    files: dict[Path, FileFacts]
    with_front_matter: int
    without_front_matter: int
    key_counts: Counter[str]
    slash_counts: Counter[bool]

    @staticmethod
    def of(files: dict[Path, FileFacts]) -> FolderSummary:
        keys: Counter[str] = Counter()
        slashes: Counter[bool] = Counter()
        with_front_matter = without = 0
        for facts in files.values():
            if facts.status == "none":
                without += 1
            elif facts.status == "ok":
                with_front_matter += 1
                keys.update(facts.keys)
                if facts.trailing_slash is not None:
                    slashes[facts.trailing_slash] += 1
        return FolderSummary(files, with_front_matter, without, keys, slashes)

    @property
    def total(self) -> int:
        """Files with front matter that parses plus files without any."""
        return self.with_front_matter + self.without_front_matter


_INDEX_STEMS = frozenset({"_index", "index", "readme"})


def is_index_page(path: str | Path) -> bool:
    """Whether a file is its folder's landing page (Hugo `_index.md`, `index.md`, `README.md`).

    Landing pages describe the folder rather than being one of its pages, so they carry other
    fields; folder comparisons leave them out on both sides.
    """
    return Path(path).stem.lower() in _INDEX_STEMS


def _facts(document: Document, workspace: Workspace) -> FileFacts:
    parsed = front_matter_of(document, workspace)
    if parsed is None:
        return FileFacts("broken" if find_stray_front_matter(document) else "none")
    if parsed.error is not None:
        return FileFacts("broken")
    permalink = parsed.entries.get("permalink")
    return FileFacts("ok", frozenset(parsed.entries), trailing_slash_style(permalink.value) if permalink else None)


def _scan_folder(folder: Path, workspace: Workspace) -> FolderSummary:
    """Facts about each sibling file, keyed by `folder / name` (`folder` is already resolved)."""
    files: dict[Path, FileFacts] = {}
    try:
        candidates = sorted(folder.iterdir())
    except OSError:
        candidates = []
    for path in candidates:
        if path.suffix.lower() not in SIBLING_SUFFIXES or is_index_page(path) or not path.is_file():
            continue
        sibling = workspace.document(path, keep=False)
        if sibling is not None:
            files[path] = _facts(sibling, workspace)
    return FolderSummary.of(files)


def folder_summary(document: Document, workspace: Workspace) -> FolderSummary | None:
    """Counts over the document's folder, with this document as it is in memory.

    The folder is scanned once per run. None for a landing page (see `is_index_page`) and when
    the document is not a file on disk (text from stdin or a test): it then has no siblings.
    """
    path = Path(document.path)
    if is_index_page(path) or not path.is_file():
        return None
    # Resolving a path walks the file system; do it once per folder, not once per file and rule.
    folder = workspace.memo("front-matter-real-folder", path.parent, path.parent.resolve)
    resolved = folder / path.name
    summary = workspace.memo("front-matter-folder", folder, lambda: _scan_folder(folder, workspace))
    facts = _facts(document, workspace)
    if summary.files.get(resolved) == facts:
        return summary
    # The text being linted differs from the file on disk (an editor buffer): count it instead.
    return FolderSummary.of({**summary.files, resolved: facts})
