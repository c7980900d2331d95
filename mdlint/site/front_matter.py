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
import zoneinfo
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mdlint.markdown.document import Document
from mdlint.site.field_values import string_list
from mdlint.site.hugo import load_config as load_hugo_config
from mdlint.site.model import SiteRoot, collection_of, front_matter_defaults
from mdlint.site.workspace import Workspace
from mdlint.source.front_matter_block import FrontMatter

if TYPE_CHECKING:
    import yaml

__all__ = [
    "KIND_FIELDS",
    "SIBLING_SUFFIXES",
    "Duplicate",
    "Entry",
    "FileFacts",
    "FolderSummary",
    "PageView",
    "ParsedFrontMatter",
    "StrayFrontMatter",
    "SyntaxProblem",
    "file_facts",
    "find_stray_front_matter",
    "folder_summary",
    "front_matter_of",
    "is_index_page",
    "page_date",
    "page_view",
    "page_view_of",
    "parse_date",
    "parse_front_matter",
    "sibling_documents",
    "trailing_slash_style",
    "written_date",
    "written_moment",
]

SIBLING_SUFFIXES = frozenset({".md", ".markdown", ".html"})


@lru_cache(maxsize=1)
def _loader_class() -> type[yaml.SafeLoader]:
    """SafeLoader that keeps an impossible timestamp (`2025-02-30`) as its text instead of raising.

    Made on first use, so that PyYAML loads only for a run that meets YAML front matter.
    """
    import yaml

    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _Loader(base):  # type: ignore[valid-type,misc]
        pass

    _Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
    return _Loader


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    import yaml

    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


# Dates as Jekyll (Ruby `Time.parse`) and Hugo accept them in practice: a calendar date, then an
# optional time and an optional offset written `Z`, `+09:00` or `+0900`. A second offset, as in
# `2025-11-14 00:00:00+0900+0900`, makes the whole value unparseable.
_DATE_TEXT = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:(?:[Tt]|[ \t]+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"(?:[ \t]*(?P<offset>[Zz]|[+-]\d{2}(?::?\d{2})?))?)?"
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
    """The document's parsed front matter, parsed once per run however many rules ask.

    A folder scan reads each sibling again as a new document; the run's memo, keyed by the block
    and its text (what the parse depends on, not the path), parses it once for all of them.
    """

    def parse() -> ParsedFrontMatter | None:
        block = document.front_matter
        if block is None:
            return None
        found: ParsedFrontMatter | None = workspace.memo(
            "front-matter-parse", (block, block.content(document.text)), lambda: parse_front_matter(document)
        )
        return found

    return document.memo("front-matter", parse)


def _parse_yaml(document: Document, block: FrontMatter) -> ParsedFrontMatter:
    content = block.content(document.text)
    import yaml

    from mdlint.source.bounded_yaml import YamlRefusedError, check_yaml_node

    base = block.content_start
    loader = _loader_class()(content)
    try:
        root = loader.get_single_node()
        if root is None:
            return ParsedFrontMatter(block)
        if not isinstance(root, yaml.MappingNode):
            what = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
            message = f"front matter is {what}; expected `key: value` lines"
            return ParsedFrontMatter(block, error=SyntaxProblem(base + root.start_mark.index, message))
        # Before anything walks or constructs the values: an alias may make them endless or huge.
        check_yaml_node(root)
        # Before merge keys (`<<: *defaults`) are flattened, which would look like duplicates.
        duplicates = tuple(_yaml_duplicates(root, base))
        loader.flatten_mapping(root)
        data: dict[str, Any] = {}
        entries: dict[str, Entry] = {}
        for key_node, value_node in root.value:
            key = str(loader.construct_object(key_node, deep=True))
            data[key] = loader.construct_object(value_node, deep=True)
            entries[key] = _yaml_entry(content, base, key, data[key], key_node, value_node)
    except RecursionError:
        # Only PyYAML's Python parser recurses per level (libyaml stops at 1,000 levels itself).
        message = "front matter cannot be read: values are nested too deep"
        return ParsedFrontMatter(block, error=SyntaxProblem(block.content_start, message))
    except YamlRefusedError as error:
        offset = base + error.problem_mark.index if error.problem_mark is not None else block.content_start
        message = f"front matter cannot be read: {error.problem}"
        return ParsedFrontMatter(block, error=SyntaxProblem(min(offset, block.content_end), message))
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
    import yaml  # already loaded by `_parse_yaml`, the only caller

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


def _yaml_duplicates(root: yaml.Node, base: int) -> Iterator[Duplicate]:
    import yaml  # already loaded by `_parse_yaml`, the only caller

    # In document order, each node once: an aliased mapping is written (and its duplicates
    # reported) in one place. A stack rather than recursion: nesting is bounded, not small.
    visited = {id(root)}
    stack: list[tuple[dict[Any, int] | None, Iterator[tuple[yaml.Node | None, yaml.Node]]]] = []

    def enter(node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode):
            stack.append(({}, iter(node.value)))
        elif isinstance(node, yaml.SequenceNode):
            stack.append((None, ((None, item) for item in node.value)))

    enter(root)
    while stack:
        seen, pairs = stack[-1]
        pair = next(pairs, None)
        if pair is None:
            stack.pop()
            continue
        key_node, value_node = pair
        if seen is not None and isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
            identity = (key_node.tag, key_node.value)
            start = base + key_node.start_mark.index
            if identity in seen:
                yield Duplicate(str(key_node.value), start, base + key_node.end_mark.index, seen[identity])
            else:
                seen[identity] = start
        if id(value_node) not in visited:
            visited.add(id(value_node))
            enter(value_node)


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


def written_moment(value: Any) -> dt.datetime | dt.date | None:
    """A front-matter date as written: a datetime (aware when an offset is written) or a date."""
    if isinstance(value, dt.datetime | dt.date):
        return value
    if not isinstance(value, str):
        return None
    day = parse_date(value)
    match = _DATE_TEXT.fullmatch(value.strip())
    if day is None or match is None or match["hour"] is None:
        return day
    offset = match["offset"]
    zone: dt.tzinfo | None = None
    if offset is not None:
        digits = offset[1:].replace(":", "") if offset not in "Zz" else ""
        sign = -1 if offset.startswith("-") else 1
        minutes = int(digits[:2] or 0) * 60 + int(digits[2:4] or 0)
        zone = dt.timezone(sign * dt.timedelta(minutes=minutes))
    time = dt.time(int(match["hour"]), int(match["minute"]), int(match["second"] or 0))
    return dt.datetime.combine(day, time, zone)


def page_date(value: Any, timezone: dt.tzinfo | None) -> dt.date | None:
    """The calendar date the generator gives a page whose `date` is `value`.

    Jekyll shows a date written with an offset in the site's `timezone`: `2016-08-25 09:50 +0300`
    is the 24th on a site in Los Angeles. Without a time zone (or an offset), the date as written.
    """
    moment = written_moment(value)
    if isinstance(moment, dt.datetime):
        if timezone is not None and moment.tzinfo is not None:
            return moment.astimezone(timezone).date()
        return moment.date()
    return moment


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


# --- What the generator adds to a page -------------------------------------------------------


@dataclass(frozen=True)
class PageView:
    """A file as its generator sees it, beyond its own front matter."""

    site: SiteRoot | None
    # Fields the site gives the page: Jekyll `defaults`, Hugo `cascade` (own front matter wins).
    supplied: Mapping[str, Any] = field(default_factory=dict)
    # Under `.github/`: GitHub's issue and pull-request templates and repository documents, whose
    # front matter (`name`, `about`, `title: ''`) is GitHub's, not a site page's.
    repository_file: bool = False
    # False for Hugo content that is never rendered (`build: {render: never}`, or `_build` as
    # Hugo before 0.123 spells it, own or cascaded; `headless: true` on a leaf bundle).
    rendered: bool = True
    # Jekyll's `timezone`: the zone a page's date is shown in (None: unknown or not Jekyll).
    timezone: dt.tzinfo | None = None

    @property
    def is_site_page(self) -> bool:
        """Whether the file becomes a page the site's conventions apply to."""
        return self.rendered and not self.repository_file

    @property
    def fold_case(self) -> bool:
        """Hugo reads front-matter keys without regard to case (`linkTitle` is `linktitle`)."""
        return self.site is not None and self.site.kind == "hugo"


def page_view(path: Path, data: Mapping[str, Any], workspace: Workspace) -> PageView:
    """What the site of the file at `path`, whose front matter is `data`, makes of it."""
    repository_file = ".github" in path.absolute().parts
    site = workspace.site_for(path)
    if site is None or site.kind == "plain":
        return PageView(site, repository_file=repository_file)
    if site.kind == "jekyll":
        supplied = front_matter_defaults(site, path, collection_of(site, path))
        return PageView(site, supplied, repository_file, timezone=_site_timezone(site, workspace))
    cascaded = _hugo_cascade(site, path, workspace)
    merged = {**cascaded, **data}
    return PageView(site, cascaded, repository_file, rendered=not _never_rendered(merged, path))


def _site_timezone(site: SiteRoot, workspace: Workspace) -> dt.tzinfo | None:
    def load() -> dt.tzinfo | None:
        name = site.config.get("timezone")
        if not isinstance(name, str) or not name.strip():
            return None
        try:
            return zoneinfo.ZoneInfo(name.strip())
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None

    zone: dt.tzinfo | None = workspace.memo("front-matter-timezone", site.path, load)
    return zone


def _never_rendered(data: Mapping[str, Any], path: Path) -> bool:
    # `headless` applies to a leaf bundle's `index.md` only; Hugo renders other pages that set it.
    if data.get("headless") is True and path.stem.split(".")[0] == "index":
        return True
    for key in ("build", "_build"):
        options = data.get(key)
        if isinstance(options, Mapping) and options.get("render") in ("never", False, "false"):
            return True
    return False


_SECTION_STEM = "_index"


def _content_roots(root: Path, settings: Mapping[str, Any]) -> list[tuple[Path, str]]:
    """(folder, path prefix) of each folder mounted as content, most specific first."""
    roots: list[tuple[Path, str]] = []
    module = settings.get("module")
    mounts = module.get("mounts") if isinstance(module, Mapping) else None
    for mount in mounts if isinstance(mounts, list) else []:
        if not isinstance(mount, Mapping) or not mount.get("source"):
            continue
        target = str(mount.get("target") or "").strip("/")
        if target == "content" or target.startswith("content/"):
            roots.append((root / str(mount["source"]), target[len("content") :]))
    roots.append((root / str(settings.get("contentDir") or "content"), ""))
    return sorted(roots, key=lambda item: len(item[0].parts), reverse=True)


@lru_cache(maxsize=256)
def _hugo_glob(pattern: str) -> re.Pattern[str]:
    """A Hugo (gobwas) glob as a regular expression: `**` crosses `/`, `*` does not, `{a,b}`."""
    out: list[str] = []
    index = 0
    depth = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "{":
            out.append("(?:")
            depth += 1
        elif char == "}" and depth:
            out.append(")")
            depth -= 1
        elif char == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(char))
        index += 1
    return re.compile("".join(out) + ")" * depth, re.IGNORECASE)


def _cascade_values(value: Any, page_path: str, kind: str) -> dict[str, Any]:
    """The fields a `cascade` value (one table or a list of them) gives this page."""
    values: dict[str, Any] = {}
    for item in value if isinstance(value, list) else [value]:
        if not isinstance(item, Mapping):
            continue
        target = item.get("_target", item.get("target"))
        if isinstance(target, Mapping):
            path_glob, kind_glob = target.get("path"), target.get("kind")
            if path_glob and not _hugo_glob(str(path_glob)).fullmatch(page_path):
                continue
            if kind_glob and not _hugo_glob(str(kind_glob)).fullmatch(kind):
                continue
        # `lang` and `environment` targets are taken to apply: they name builds, not pages.
        _merge(values, {key: item[key] for key in item if key not in ("_target", "target")})
    return values


def _merge(values: dict[str, Any], more: Mapping[str, Any]) -> None:
    # Hugo merges tables such as `params` and `build` key by key; the later value wins per key.
    for key, value in more.items():
        previous = values.get(key)
        values[key] = {**previous, **value} if isinstance(previous, Mapping) and isinstance(value, Mapping) else value


def _section_cascade(folder: Path, workspace: Workspace) -> Any:
    """The `cascade` of the section page (`_index.md`) in `folder`, or None."""

    def load() -> Any:
        for suffix in (".md", ".markdown", ".html"):
            candidate = folder / f"{_SECTION_STEM}{suffix}"
            if candidate.is_file():
                section = workspace.document(candidate, keep=False)
                parsed = parse_front_matter(section) if section is not None else None
                return parsed.data.get("cascade") if parsed is not None else None
        return None

    return workspace.memo("front-matter-section-cascade", folder, load)


def _hugo_cascade(site: SiteRoot, path: Path, workspace: Workspace) -> dict[str, Any]:
    def load() -> tuple[dict[str, Any], list[tuple[Path, str]]]:
        settings = load_hugo_config(site.path) or {}
        roots = [(folder.resolve(), prefix) for folder, prefix in _content_roots(site.path, settings)]
        return settings, roots

    settings, roots = workspace.memo("front-matter-hugo-settings", site.path, load)
    real = path.resolve()
    for content, prefix in roots:
        try:
            relative = real.relative_to(content)
        except ValueError:
            continue
        parts = list(relative.parts)
        stem = Path(parts[-1]).stem.split(".")[0]  # `_index.en.md` is the section page too
        is_section = stem == _SECTION_STEM
        logical = [*parts[:-1]] if is_section or stem == "index" else [*parts[:-1], stem]
        page_path = (prefix + "/" + "/".join(logical)).lower() if logical or prefix else "/"
        kind = ("home" if len(parts) == 1 else "section") if is_section else "page"
        values = _cascade_values(settings.get("cascade"), page_path, kind)
        # A section's cascade reaches the section page and its descendants; the nearest wins.
        folders = [content.joinpath(*parts[:depth]) for depth in range(len(parts))]
        for folder in folders:
            _merge(values, _cascade_values(_section_cascade(folder, workspace), page_path, kind))
        return values
    return {}


def _page_view_of(document: Document, data: Mapping[str, Any], workspace: Workspace) -> PageView:
    return document.memo("front-matter-page-view", lambda: page_view(Path(document.path), data, workspace))


# --- What a folder's files have in common ---------------------------------------------------

# Fields that sort pages into kinds (`category: release`, `type: docs`); Jekyll merges `category`
# into `categories`. A field that goes with one kind of page is expected only of that kind.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "categories": ("categories", "category"),
    "type": ("type",),
    "layout": ("layout",),
}


# What KIND_FIELDS say of one file: (field, its values) pairs.
Kind = tuple[tuple[str, frozenset[str]], ...]


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict | tuple) and not value)


def _kind_values(value: Any) -> frozenset[str]:
    return frozenset(item.lower() for item in string_list(value, split=True))


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What a folder summary needs to know about one file."""

    # no front matter / does not parse / parsed / not a site page (never rendered, `.github/`)
    status: Literal["none", "broken", "ok", "not-page"]
    # Keys the file sets or its site supplies (as written), and those of them with a value.
    keys: frozenset[str] = frozenset()
    filled: frozenset[str] = frozenset()
    # (kind field, its values) for each of KIND_FIELDS, own or supplied.
    kind: Kind = ()
    trailing_slash: bool | None = None
    fold_case: bool = False

    def key_id(self, key: str) -> str:
        """The key as the generator tells keys apart."""
        return key.lower() if self.fold_case else key

    def has(self, key: str) -> bool:
        """Whether the file sets the key or its site supplies it."""
        wanted = self.key_id(key)
        return any(self.key_id(name) == wanted for name in self.keys)

    def fills(self, key_id: str) -> bool:
        """Whether the file (or its site) gives the key a value."""
        return any(self.key_id(name) == key_id for name in self.filled)

    def kind_without(self, key_id: str) -> Kind:
        """The file's kind, leaving out the kind field the key belongs to."""
        return tuple(item for item in self.kind if key_id.lower() not in KIND_FIELDS[item[0]])


@dataclass(frozen=True)
class FolderSummary:
    """Counts over the Markdown and HTML files of one folder (each file counted once)."""

    files: dict[Path, FileFacts]
    with_front_matter: int
    without_front_matter: int
    # Files that set each key with a value (`categories: []` says no more than its absence).
    key_counts: Counter[str]
    slash_counts: Counter[bool]
    # The spelling most files use for a key, by key id (Hugo keys differ only in case).
    spelling: dict[str, str] = field(default_factory=dict)
    _by_kind: dict[str, dict[Kind, tuple[int, int]]] = field(default_factory=dict, compare=False, repr=False)

    def by_kind(self, key_id: str) -> dict[Kind, tuple[int, int]]:
        """(files, files that set the key with a value) per kind of page, the key's own field left out.

        A kind is what KIND_FIELDS say of a file; the field the key belongs to (`categories` for
        `category`) is left out, so a page is not sorted by the very field it lacks.
        """
        if key_id not in self._by_kind:
            counts: dict[Kind, tuple[int, int]] = {}
            for facts in self.files.values():
                if facts.status == "ok":
                    kind = facts.kind_without(key_id)
                    total, found = counts.get(kind, (0, 0))
                    counts[kind] = (total + 1, found + facts.fills(key_id))
            self._by_kind[key_id] = counts
        return self._by_kind[key_id]

    @staticmethod
    def of(files: dict[Path, FileFacts]) -> FolderSummary:
        keys: Counter[str] = Counter()
        spellings: Counter[tuple[str, str]] = Counter()
        slashes: Counter[bool] = Counter()
        with_front_matter = without = 0
        for facts in files.values():
            if facts.status == "none":
                without += 1
            elif facts.status == "ok":
                with_front_matter += 1
                ids = {facts.key_id(name): name for name in sorted(facts.filled)}
                keys.update(ids.keys())
                spellings.update(ids.items())
                if facts.trailing_slash is not None:
                    slashes[facts.trailing_slash] += 1
        spelling: dict[str, str] = {}
        for (key, name), _count in spellings.most_common():
            spelling.setdefault(key, name)
        return FolderSummary(files, with_front_matter, without, keys, slashes, spelling)

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
    view = _page_view_of(document, parsed.data, workspace)
    if not view.is_site_page:
        return FileFacts("not-page")
    merged = {**view.supplied, **parsed.data}
    fold = view.fold_case
    lowered = {key.lower() if fold else key: value for key, value in merged.items()}
    kind = tuple(
        (name, frozenset().union(*(_kind_values(lowered.get(member)) for member in members)))
        for name, members in KIND_FIELDS.items()
    )
    permalink = parsed.entries.get("permalink")
    return FileFacts(
        "ok",
        frozenset(merged),
        frozenset(key for key, value in merged.items() if not _is_empty(value)),
        kind,
        trailing_slash_style(permalink.value) if permalink else None,
        fold,
    )


def sibling_documents(
    folder: Path, workspace: Workspace, suffixes: frozenset[str] = SIBLING_SUFFIXES
) -> Iterator[tuple[Path, Document]]:
    """The readable pages of `folder` with these suffixes, index pages left out, in name order.

    Each is read and not kept: a folder scan needs each sibling once.
    """
    try:
        candidates = sorted(folder.iterdir())
    except OSError:
        return
    for path in candidates:
        if path.suffix.lower() not in suffixes or is_index_page(path) or not path.is_file():
            continue
        sibling = workspace.document(path, keep=False)
        if sibling is not None:
            yield path, sibling


def _scan_folder(folder: Path, workspace: Workspace) -> FolderSummary:
    """Facts about each sibling file, keyed by `folder / name` (`folder` is already resolved)."""
    return FolderSummary.of(
        {path: _facts(sibling, workspace) for path, sibling in sibling_documents(folder, workspace)}
    )


def file_facts(document: Document, workspace: Workspace) -> FileFacts:
    """What the folder comparison knows about this document, as it is in memory."""
    return document.memo("front-matter-facts", lambda: _facts(document, workspace))


def page_view_of(document: Document, workspace: Workspace) -> PageView:
    """The document as its generator sees it (see `page_view`)."""
    parsed = front_matter_of(document, workspace)
    data = parsed.data if parsed is not None else {}
    return _page_view_of(document, data, workspace)


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
    facts = file_facts(document, workspace)
    if summary.files.get(resolved) == facts:
        return summary
    # The text being linted differs from the file on disk (an editor buffer): count it instead.
    return FolderSummary.of({**summary.files, resolved: facts})
