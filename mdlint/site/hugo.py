"""Hugo sites: configuration, content mounts, languages, the URL of each page, `ref` lookups, render hooks.

Hugo decides what a link in a content file points at: where content comes from (`contentDir`,
per-language content folders, `[[module.mounts]]`), which URL each page gets (sections,
`_index.md`, page bundles, `url`/`slug`/`aliases`, `permalinks`, `uglyURLs`, language prefixes),
how `ref`/`relref` and `.GetPage` find a page from a path, and whether a render hook rewrites
Markdown links. What is modelled here was checked against the pages Hugo 0.111 writes
(`tests/sites/test_hugo_site.py`); where later versions differ (heading ids, the base folder of
a page-relative lookup from a bundle) both readings are accepted unless the site's
`module.hugoVersion` says which applies.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from mdlint.site.config_files import HUGO_CONFIG_FILES, HUGO_FOLDERS
from mdlint.site.field_values import string_list
from mdlint.source.decoding import UnreadableFileError, read_head, read_regular_file
from mdlint.source.front_matter_block import front_matter_text
from mdlint.source.paths import is_dir, is_file
from mdlint.source.yaml_loading import yaml_value

__all__ = [
    "HeadingIds",
    "HugoPage",
    "HugoSite",
    "build_hugo_site",
    "content_dirs",
    "heading_ids",
    "load_config",
]

_CONTENT_SUFFIXES = frozenset(
    {".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".html", ".htm", ".adoc", ".asciidoc", ".ad", ".pandoc", ".pdc"}
    | {".org", ".rst"}
)
# Heading ids come from the heading's plain text since Hugo 0.144, from its source line before.
_TEXT_IDS_SINCE = (0, 144, 0)
_EMBEDDED_HOOK_SINCE = (0, 148, 0)
_NOT_RENDERED = frozenset({"never", "false", "link"})
# Configurations read, by site folder, with the names, sizes and times of their files: every
# folder of a run asks whether it is (in) a Hugo site, and a changed file is read again.
_CONFIGS: dict[Path, tuple[tuple[tuple[str, int, int], ...], dict[str, Any]]] = {}

PageKind = Literal["home", "section", "page"]


def _read_data(path: Path) -> dict[str, Any]:
    try:
        text = read_regular_file(path).decode("utf-8-sig")
    except (UnreadableFileError, UnicodeDecodeError):
        return {}
    try:
        if path.suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml_value(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """`over` merged into `base` (tables merged key by key, other values replaced), in place."""
    for key, value in over.items():
        old = base.get(key)
        if isinstance(old, dict) and isinstance(value, Mapping):
            _merge(old, value)
        else:
            base[key] = dict(value) if isinstance(value, Mapping) else value
    return base


def load_config(folder: Path) -> dict[str, Any] | None:
    """The Hugo configuration of a site rooted at `folder`, merged as Hugo reads it; None if it has none.

    The root file (`hugo.*`, else `config.*`) and `config/_default/`: its `hugo.*`/`config.*` file
    is more configuration, any other file is the table named like it (`params.toml` is `[params]`,
    `menus.en.toml` is `[languages.en.menus]`).
    """
    root_file = next((folder / name for name in HUGO_CONFIG_FILES if is_file(folder / name)), None)
    config_dir = folder / "config" / "_default"
    has_dir = is_dir(config_dir)
    if root_file is None and not has_dir:
        return None
    if (root_file is None or root_file.name.startswith("config.")) and not any(
        is_dir(folder / name) for name in HUGO_FOLDERS
    ):
        return None
    files = ([root_file] if root_file is not None else []) + (sorted(config_dir.iterdir()) if has_dir else [])
    signature = tuple(_stat(path) for path in files)
    cached = _CONFIGS.get(folder)
    if cached is not None and cached[0] == signature:
        return cached[1]
    config = _read_config(root_file, config_dir if has_dir else None)
    if len(_CONFIGS) >= _DERIVED_LIMIT:
        _CONFIGS.pop(next(iter(_CONFIGS)))
    _CONFIGS[folder] = (signature, config)
    return config


def _stat(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (path.name, -1, -1)
    return (path.name, stat.st_size, stat.st_mtime_ns)


def _read_config(root_file: Path | None, config_dir: Path | None) -> dict[str, Any]:
    config: dict[str, Any] = _read_data(root_file) if root_file is not None else {}
    if config_dir is not None:
        for path in sorted(config_dir.iterdir()):
            if path.suffix not in (".toml", ".yaml", ".yml", ".json") or not is_file(path):
                continue
            data = _read_data(path)
            parts = path.stem.split(".")
            if parts[0] in ("hugo", "config"):
                _merge(config, data)
            elif len(parts) == 1:
                _merge(config, {parts[0]: data})
            else:
                _merge(config, {"languages": {parts[1]: {parts[0]: data}}})
    return config


# Settings derived from a configuration, by the identity of the configuration object (kept alive
# by the entry itself, so the identity is not reused): a run asks for them once per file.
_DERIVED: dict[int, tuple[Mapping[str, Any], dict[Any, Any]]] = {}
_DERIVED_LIMIT = 64


def _derived(config: Mapping[str, Any]) -> dict[Any, Any]:
    entry = _DERIVED.get(id(config))
    if entry is None or entry[0] is not config:
        if len(_DERIVED) >= _DERIVED_LIMIT:
            _DERIVED.pop(next(iter(_DERIVED)))
        entry = (config, {"lowered": _lower_keys(config)})
        _DERIVED[id(config)] = entry
    return entry[1]


def _lowered(config: Mapping[str, Any] | None) -> dict[str, Any]:
    if not config:
        return {}
    lowered: dict[str, Any] = _derived(config)["lowered"]
    return lowered


def _lower_keys(value: Any) -> Any:
    """Hugo's configuration keys are case-insensitive: the same value with every key lowercased."""
    if isinstance(value, Mapping):
        return {str(key).lower(): _lower_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_lower_keys(item) for item in value]
    return value


def _table(config: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    value: Any = config
    for key in keys:
        value = value.get(key) if isinstance(value, Mapping) else None
    return dict(value) if isinstance(value, Mapping) else {}


def _flag(value: Any, default: bool = False) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "1")
    return default if value is None else bool(value)


def _version(text: Any) -> tuple[int, ...] | None:
    match = re.match(r"v?(\d+)\.(\d+)(?:\.(\d+))?", str(text or "").strip())
    if match is None:
        return None
    return tuple(int(part or 0) for part in match.groups())


@dataclass(frozen=True, slots=True)
class HeadingIds:
    """How Goldmark, as Hugo configures it, gives headings (and definition terms) their ids."""

    auto_heading: bool = True
    # `autoHeadingIDType` / `autoIDType`: "github", "github-ascii" or "blackfriday".
    id_type: str = "github"
    definition_terms: bool = False
    # Which text an auto id is made from: the heading's source line (Hugo < 0.144), its plain
    # text (Hugo >= 0.144), or "both" when the site does not say which Hugo builds it.
    text: Literal["source", "plain", "both"] = "both"


def heading_ids(config: Mapping[str, Any] | None) -> HeadingIds:
    """The heading-id settings of a Hugo configuration (`markup.goldmark.parser`, `module.hugoVersion`)."""
    if not config:
        return HeadingIds()
    derived = _derived(config)
    if "heading ids" not in derived:
        derived["heading ids"] = _heading_ids(derived["lowered"])
    found: HeadingIds = derived["heading ids"]
    return found


def _heading_ids(lowered: Mapping[str, Any]) -> HeadingIds:
    parser = _table(lowered, "markup", "goldmark", "parser")
    id_type = str(parser.get("autoidtype") or parser.get("autoheadingidtype") or "github").lower()
    versions = _table(lowered, "module", "hugoversion")
    low, high = _version(versions.get("min")), _version(versions.get("max"))
    text: Literal["source", "plain", "both"] = "both"
    if low is not None and low >= _TEXT_IDS_SINCE:
        text = "plain"
    elif high is not None and high < _TEXT_IDS_SINCE:
        text = "source"
    return HeadingIds(
        auto_heading=_flag(parser.get("autoheadingid"), True),
        id_type=id_type if id_type in ("github", "github-ascii", "blackfriday") else "github",
        definition_terms=_flag(parser.get("autodefinitiontermid")),
        text=text,
    )


@dataclass(frozen=True, slots=True)
class _Source:
    """A folder mounted as content: where it is, where it goes under `content/`, for which language."""

    folder: Path
    target: str  # "" or a sub-path of the content root, without slashes around it
    language: str | None


@dataclass(frozen=True, slots=True)
class _Language:
    code: str
    prefix: str  # "" or "/de"


def _languages(config: Mapping[str, Any]) -> tuple[str, list[str]]:
    default = str(config.get("defaultcontentlanguage") or "en").lower()
    table = _table(config, "languages")
    disabled = {str(code).lower() for code in config.get("disablelanguages") or []}

    def weight(code: str) -> tuple[int, str]:
        settings = table.get(code)
        value = settings.get("weight") if isinstance(settings, Mapping) else None
        return (int(value) if isinstance(value, int) else 0, code)

    codes = sorted((str(code).lower() for code in table if str(code).lower() not in disabled), key=weight)
    if default not in codes:
        codes.insert(0, default)
    return default, codes


def _content_sources(root: Path, config: Mapping[str, Any], default: str, codes: list[str]) -> list[_Source]:
    sources: list[_Source] = []
    for mount in _table(config, "module").get("mounts") or []:
        if not isinstance(mount, Mapping):
            continue
        target = str(mount.get("target") or "").strip("/")
        if target != "content" and not target.startswith("content/"):
            continue
        folder = root / str(mount.get("source") or "")
        language = mount.get("lang")
        matrix = _table(mount, "sites", "matrix").get("languages")
        inner = target[len("content") :].strip("/")
        if isinstance(matrix, list) and matrix:
            sources.extend(_Source(folder, inner, str(code).lower()) for code in matrix)
        else:
            sources.append(_Source(folder, inner, str(language).lower() if language else None))
    languages = _table(config, "languages")
    per_language = {
        code: str(settings["contentdir"])
        for code, settings in ((str(c).lower(), s) for c, s in languages.items())
        if isinstance(settings, Mapping) and settings.get("contentdir") and code in codes
    }
    # Mounting content replaces the default content folder, not the languages' own folders.
    if not sources:
        main = str(config.get("contentdir") or "content")
        if per_language:
            sources.extend(_Source(root / main, "", code) for code in codes if code not in per_language)
        else:
            sources.append(_Source(root / main, "", None))
    sources.extend(_Source(root / folder, "", code) for code, folder in per_language.items())
    seen: set[tuple[Path, str, str | None]] = set()
    unique = []
    for source in sources:
        key = (source.folder, source.target, source.language)
        if key not in seen:
            seen.add(key)
            unique.append(source)
    return unique


def content_dirs(root: Path, config: Mapping[str, Any] | None) -> list[Path]:
    """The folders whose files are the site's content (mounted, per language, or `content/`)."""
    derived = _derived(config) if config else {"lowered": {}}
    key = ("content dirs", root)
    if key not in derived:
        lowered = derived["lowered"]
        default, codes = _languages(lowered)
        derived[key] = [source.folder for source in _content_sources(root, lowered, default, codes)]
    folders: list[Path] = derived[key]
    return folders


def _mounted(root: Path, config: Mapping[str, Any], component: str) -> list[tuple[str, Path]]:
    """(URL prefix, folder) of a component (`static`, `assets`): its mounts, else its default folder."""
    found: list[tuple[str, Path]] = []
    for mount in _table(config, "module").get("mounts") or []:
        if not isinstance(mount, Mapping):
            continue
        target = str(mount.get("target") or "").strip("/")
        if target == component or target.startswith(component + "/"):
            found.append((target[len(component) :].strip("/"), root / str(mount.get("source") or "")))
    if not found:
        folder = str(config.get(f"{component}dir") or component)
        found.append(("", root / folder))
    return found


def _sanitize(path: str) -> str:
    """Hugo's `UnicodeSanitize`: spaces become `-`, characters not allowed in a path are dropped."""
    out: list[str] = []
    prepend = was_hyphen = False
    length = len(path)
    for index, char in enumerate(path):
        allowed = (
            char in "./\\_#+~-@"
            or char.isalpha()
            or char.isdecimal()
            or unicodedata.category(char).startswith("M")
            or (
                char == "%"
                and index + 2 < length
                and all(c in "0123456789abcdefABCDEF" for c in path[index + 1 : index + 3])
            )
        )
        if allowed:
            was_hyphen = char == "-"
            if prepend:
                if not was_hyphen:
                    out.append("-")
                prepend = False
            out.append(char)
        elif out and not was_hyphen and char.isspace():
            prepend = True
    return "".join(out)


@dataclass(slots=True)
class HugoPage:
    """A content file that is a page (regular page, leaf bundle, section or home) in one language."""

    source: Path
    language: str
    # The page's content path in Hugo's lookups: lowercase, no extension: "/", "/docs", "/docs/start".
    key: str
    kind: PageKind
    leaf_bundle: bool
    # The URL path the page is written at, or None when Hugo does not render it.
    url: str | None
    aliases: list[str]
    type: str
    # Where a page-relative lookup starts: the content folder of the page ("/docs" for docs/a.md).
    folder_key: str
    # The folder a section's own files (section resources) are in; None for a leaf bundle.
    section_folder: Path | None


@dataclass(slots=True)
class _Front:
    data: dict[str, Any]
    title: str
    date: date | None


def _front_matter(path: Path) -> dict[str, Any]:
    head = read_head(path)
    if head is None:
        return {}
    block = front_matter_text(head)
    try:
        if block is not None:
            kind, content = block
            data: Any = tomllib.loads(content) if kind == "toml" else yaml_value(content)
        elif head.lstrip().startswith("{"):
            data, _ = json.JSONDecoder().raw_decode(head.lstrip())
        else:
            return {}
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, ValueError):
        return {}
    return _lower_keys(data) if isinstance(data, dict) else {}


def _build_options(data: Mapping[str, Any]) -> dict[str, Any] | None:
    for key in ("_build", "build"):
        value = data.get(key)
        if isinstance(value, Mapping):
            return dict(value)
    return None


def _glob(pattern: str) -> re.Pattern[str]:
    """Hugo's path globs: `*` within a segment, `**` across segments, `{a,b}` alternatives."""
    out = ""
    index = 0
    depth = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**", index):
            out += ".*"
            index += 2
            continue
        if char == "*":
            out += "[^/]*"
        elif char == "?":
            out += "[^/]"
        elif char == "{":
            out += "(?:"
            depth += 1
        elif char == "}" and depth:
            out += ")"
            depth -= 1
        elif char == "," and depth:
            out += "|"
        else:
            out += re.escape(char)
        index += 1
    return re.compile(out + ")" * depth + r"\Z")


@dataclass(frozen=True, slots=True)
class _Cascade:
    values: dict[str, Any]
    kinds: re.Pattern[str] | None
    path: re.Pattern[str] | None
    language: re.Pattern[str] | None

    def applies(self, kind: str, key: str, language: str) -> bool:
        return (
            (self.kinds is None or bool(self.kinds.match(kind)))
            and (self.path is None or bool(self.path.match(key)))
            and (self.language is None or bool(self.language.match(language)))
        )


def _cascades(value: Any) -> list[_Cascade]:
    entries = value if isinstance(value, list) else [value] if isinstance(value, Mapping) else []
    found = []
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        values = {key: item for key, item in entry.items() if key not in ("_target", "target")}
        target = entry.get("_target") or entry.get("target")
        target = target if isinstance(target, Mapping) else {}
        patterns = {
            name: _glob(str(target[name]).lower()) if target.get(name) else None for name in ("kind", "path", "lang")
        }
        found.append(_Cascade(values, patterns["kind"], patterns["path"], patterns["lang"]))
    return found


def _cascaded(cascades: list[_Cascade], own: dict[str, Any], kind: str, key: str, language: str) -> dict[str, Any]:
    """The page's front matter with what cascades from above filled in (`cascades` outermost first)."""
    merged = dict(own)
    for cascade in reversed(cascades):
        if cascade.applies(kind, key, language):
            for name, value in cascade.values.items():
                merged.setdefault(name, value)
    return merged


def _date_of(data: Mapping[str, Any]) -> date | None:
    for key in ("date", "publishdate", "pubdate", "published"):
        value = data.get(key)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
            except ValueError:
                continue
    return None


@dataclass
class _Pending:
    """A content file found by the walk, before its URL is known."""

    source: Path
    language: str
    key: str  # lowercase content path
    written: str  # the content path as written (case kept), for URLs
    kind: PageKind
    leaf_bundle: bool
    data: dict[str, Any]
    section: str  # top-level section, "" for the home page and root pages
    own_cascade: Any = None


@dataclass
class HugoSite:
    """What Hugo makes of a site: its pages with their URLs, published files, lookups and hooks."""

    root: Path
    default_language: str
    languages: list[str]
    pages: list[HugoPage] = field(default_factory=list)
    # URL path -> file Hugo publishes there from content (bundle resources, other files).
    files: dict[str, Path] = field(default_factory=dict)
    static_dirs: list[tuple[str, Path]] = field(default_factory=list)
    asset_dirs: list[Path] = field(default_factory=list)
    # Render-hook scopes: "" for every page, else a content type or section the hook is for.
    link_hooks: frozenset[str] = frozenset()
    image_hooks: frozenset[str] = frozenset()
    # Hugo's own link render hook (`renderHooks.link.enableDefault`/`useEmbedded`), whose lookups are known.
    embedded_link_hook: bool = False
    # Whether the site is built by Hugo 0.123 or later (`module.hugoVersion`), None when it does not say.
    hugo_0_123: bool | None = None
    extra_urls: list[tuple[str, Path]] = field(default_factory=list)
    _by_source: dict[str, list[HugoPage]] = field(default_factory=dict, repr=False)
    _by_key: dict[str, dict[str, HugoPage]] = field(default_factory=dict, repr=False)
    _by_name: dict[str, dict[str, HugoPage | None]] = field(default_factory=dict, repr=False)

    def page_for(self, path: Path) -> HugoPage | None:
        """The page a content file makes (its default-language page if it makes several), or None."""
        pages = self._by_source.get(os.path.abspath(path))
        if pages is None:
            try:
                pages = self._by_source.get(str(path.resolve()))
            except OSError:
                pages = None
        return pages[0] if pages else None

    def urls(self) -> Iterator[tuple[str, Path]]:
        """(URL path, source) of every page Hugo writes: pages, aliases, language redirects."""
        for page in self.pages:
            if page.url is None:
                continue
            yield page.url, page.source
            for alias in page.aliases:
                yield alias, page.source
        yield from self.extra_urls

    def has_hook(self, page: HugoPage, *, image: bool = False) -> bool:
        """Whether a custom render hook (links, or images) rewrites the Markdown links of this page."""
        scopes = self.image_hooks if image else self.link_hooks
        if not scopes:
            return False
        return "" in scopes or page.type in scopes or page.key.lstrip("/").split("/")[0] in scopes

    def lookup(
        self, context: HugoPage | None, reference: str, language: str | None = None, *, ref: bool = True
    ) -> tuple[HugoPage | None, str | None]:
        """The page a `ref`/`relref` (or, with `ref=False`, `.GetPage`) path names; else why not.

        As Hugo does: a path without a leading `/` is tried relative to the page's folder first
        (before Hugo 0.123 a leaf bundle's parent folder, since then the bundle itself), then from
        the content root, then as the base name of a single page (before 0.123 for `ref` and any
        relative path; since then for `ref` with a bare name or `/name`). When the site does not
        say which Hugo builds it, a path either reading finds counts as found.
        """
        code = (language or (context.language if context else self.default_language)).lower()
        keys = self._by_key.get(code, {})
        raw = reference.strip().replace("\\", "/").lower()
        old, new = self.hugo_0_123 in (False, None), self.hugo_0_123 in (True, None)
        candidates: list[str] = []
        if context is not None and not raw.startswith("/"):
            if context.leaf_bundle and old and not raw.startswith(".."):
                candidates.append(posixpath.join(posixpath.dirname(context.folder_key) or "/", raw))
            if new or not context.leaf_bundle or raw.startswith(".."):
                candidates.append(posixpath.join(context.folder_key, raw))
        if old or not raw.startswith("."):
            candidates.append("/" + raw.lstrip("/"))
        for candidate in candidates:
            found = keys.get(self._key(candidate, code))
            if found is not None:
                return found, None
        slashes = raw.count("/")
        by_name = (old and (ref or not raw.startswith("/"))) or (
            new and ref and (slashes == 0 or (slashes == 1 and raw.startswith("/")))
        )
        if by_name and candidates:
            name = posixpath.basename(self._key(candidates[-1], code))
            names = self._by_name.get(code, {})
            if name in names:
                single = names[name]
                if single is None:
                    return None, f"ambiguous: several pages are named `{name}`"
                return single, None
        return None, "page not found"

    def _key(self, path: str, language: str) -> str:
        """A lookup path in the form page keys have: no extension, language, `index` or slashes at the end."""
        path = posixpath.normpath("/" + path.lstrip("/")).rstrip("/")
        head, _, last = path.rpartition("/")
        if "." in last:
            last = last.rsplit(".", 1)[0]
        if last.endswith("." + language):
            last = last[: -len(language) - 1]
        if last in ("index", "_index"):
            return head or "/"
        return f"{head}/{last}" if last else (head or "/")

    def resource(self, page: HugoPage, path: str) -> Path | None:
        """The page resource, section resource or global asset a render hook may find at `path`."""
        clean = posixpath.normpath(path.lstrip("/"))
        if clean.startswith(".."):
            return None
        folders = [page.source.parent] if page.leaf_bundle else []
        if page.section_folder is not None and not page.leaf_bundle:
            folders.append(page.section_folder)
        folders += self.asset_dirs
        for folder in folders:
            candidate = folder / clean
            if is_file(candidate):
                return candidate
        return None


def _hooks(root: Path, config: Mapping[str, Any], name: str) -> frozenset[str]:
    layouts = [root / str(config.get("layoutdir") or "layouts")]
    themes = string_list(config.get("theme"))
    theme_root = root / str(config.get("themesdir") or "themes")
    if themes:
        layouts += [theme_root / theme / "layouts" for theme in themes]
    elif is_dir(theme_root):
        layouts += sorted(path / "layouts" for path in theme_root.iterdir() if is_dir(path))
    scopes: set[str] = set()
    for folder in layouts:
        if not is_dir(folder):
            continue
        for current, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            if os.path.basename(current) != "_markup":
                continue
            if any(f == f"{name}.html" or (f.startswith(f"{name}.") and f.endswith(".html")) for f in files):
                scope = Path(current).parent.relative_to(folder).as_posix()
                scopes.add("" if scope in (".", "_default") else scope.lower())
    return frozenset(scopes)


class _Builder:
    """Walks the content folders once and works out each page's URL."""

    def __init__(self, root: Path, config: Mapping[str, Any]) -> None:
        self.root = root
        self.config = _lowered(config)
        self.default, self.codes = _languages(self.config)
        self.in_subdir = _flag(self.config.get("defaultcontentlanguageinsubdir"))
        self.lower = not _flag(self.config.get("disablepathtolower"))
        self.ugly = self.config.get("uglyurls")
        self.disabled = {str(kind).lower() for kind in self.config.get("disablekinds") or []}
        self.permalinks = self._permalinks()
        self.ignore = [
            re.compile(pattern) for pattern in string_list(self.config.get("ignorefiles")) if _compiles(pattern)
        ]
        self.pending: list[_Pending] = []
        self.loose_files: list[tuple[Path, str, str]] = []  # (file, language, content path as written)
        self.bundle_files: list[tuple[Path, _Pending, str]] = []  # (file, its bundle, path inside the bundle)
        self.top_sections: dict[str, set[tuple[str, str]]] = {}  # language -> (key, written)
        self.site_cascades = _cascades(self.config.get("cascade"))

    def _permalinks(self) -> dict[str, str]:
        table = _table(self.config, "permalinks")
        pages = table.get("page")
        patterns = dict(pages) if isinstance(pages, Mapping) else {}
        patterns.update({key: value for key, value in table.items() if isinstance(value, str)})
        return {str(key).strip("/").lower(): str(value) for key, value in patterns.items()}

    def language_of(self, name: str, mounted: str | None) -> tuple[str, str]:
        """(language, file name without its language suffix): `about.de.md` is German."""
        stem, dot, suffix = name.rpartition(".")
        base, _, code = stem.rpartition(".")
        if base and code.lower() in self.codes:
            return code.lower(), f"{base}{dot}{suffix}"
        return mounted or self.default, name

    def walk(self, source: _Source) -> None:
        if not is_dir(source.folder):
            return
        # Content path of a folder -> the cascades that reach its pages, outermost first.
        cascades: dict[str, list[_Cascade]] = {}
        for current, dirs, files in os.walk(source.folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            folder = Path(current)
            relative = folder.relative_to(source.folder).as_posix()
            written_dir = "/".join(part for part in (source.target, "" if relative == "." else relative) if part)
            inherited = (
                cascades.get(posixpath.dirname(written_dir), list(self.site_cascades))
                if written_dir
                else list(self.site_cascades)
            )
            names = sorted(f for f in files if not f.startswith(".") and not self._ignored(f"{written_dir}/{f}"))
            content = {name: self.language_of(name, source.language) for name in names if self._content(name)}
            stems = {name: plain.rsplit(".", 1)[0] for name, (_, plain) in content.items()}
            if written_dir and "index" in stems.values():
                self._bundle(folder, source, written_dir, [n for n in content if stems[n] == "index"], inherited)
                dirs[:] = []
                continue
            own = inherited
            for name in content:
                if stems[name] == "_index":
                    kind: PageKind = "section" if written_dir else "home"
                    page = self._add_page(folder / name, source, written_dir, kind, False, inherited)
                    if page is not None:
                        own = own + _cascades(page.own_cascade)
            for name in names:
                if name not in content:
                    self.loose_files.append((folder / name, source.language or self.default, f"{written_dir}/{name}"))
                elif stems[name] != "_index":
                    written = f"{written_dir}/{stems[name]}".lstrip("/")
                    self._add_page(folder / name, source, written, "page", False, own)
                    self._note_section(content[name][0], written_dir)
            cascades[written_dir] = own

    def _bundle(
        self, folder: Path, source: _Source, written_dir: str, index: list[str], cascades: list[_Cascade]
    ) -> None:
        """A leaf bundle: its index is the page; every other file below it, pages too, is a resource."""
        bundles = [self._add_page(folder / name, source, written_dir, "page", True, cascades) for name in index]
        for bundle in bundles:
            if bundle is not None:
                self._note_section(bundle.language, posixpath.dirname(written_dir))
        for current, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                path = Path(current) / name
                if name.startswith(".") or (name in index and path.parent == folder):
                    continue
                inside = path.relative_to(folder).as_posix()
                self.bundle_files.extend((path, bundle, inside) for bundle in bundles if bundle is not None)

    def _note_section(self, language: str, written_dir: str) -> None:
        if written_dir:
            top = written_dir.split("/")[0]
            self.top_sections.setdefault(language, set()).add((top.lower(), top))

    def _ignored(self, path: str) -> bool:
        return any(pattern.search(path) for pattern in self.ignore)

    @staticmethod
    def _content(name: str) -> bool:
        return os.path.splitext(name)[1].lower() in _CONTENT_SUFFIXES

    def _add_page(
        self, path: Path, source: _Source, written: str, kind: PageKind, leaf: bool, cascades: list[_Cascade]
    ) -> _Pending | None:
        language, _ = self.language_of(path.name, source.language)
        if language not in self.codes:
            return None
        key = "/" + written.lower() if written else "/"
        data = _front_matter(path)
        own_cascade = data.get("cascade")
        if kind != "page":
            # A section's cascade reaches the section itself as well as the pages below it.
            cascades = cascades + _cascades(own_cascade)
        merged = _cascaded(cascades, data, kind, key, language)
        if _flag(merged.get("draft")):
            return None
        section = written.split("/")[0] if "/" in written or kind == "section" else ""
        pending = _Pending(path, language, key, written, kind, leaf, merged, section, own_cascade)
        self.pending.append(pending)
        return pending

    def prefix(self, language: str) -> str:
        return f"/{language}" if language != self.default or self.in_subdir else ""

    def _ugly(self, section: str) -> bool:
        if isinstance(self.ugly, Mapping):
            return _flag(self.ugly.get(section))
        return _flag(self.ugly)

    def url_path(self, text: str) -> str:
        """A content path as Hugo writes it in a URL: sanitized, lowercased unless `disablePathToLower`."""
        clean = _sanitize(text)
        return clean.lower() if self.lower else clean

    def url_of(self, item: _Pending) -> str | None:
        data = item.data
        build = _build_options(data) or {}
        if str(build.get("render", "")).lower() in _NOT_RENDERED or _flag(data.get("headless")):
            return None
        if item.kind in self.disabled:
            return None
        prefix = self.prefix(item.language)
        if data.get("url") and item.kind != "home":
            url = str(data["url"]).strip()
            return url if url.startswith("/") else "/" + url
        if item.kind == "home":
            return prefix + "/"
        ugly = self._ugly(item.section)
        if item.kind == "section":
            path = self.url_path(item.written)
            return f"{prefix}/{path}.html" if ugly else f"{prefix}/{path}/"
        folder, _, name = item.written.rpartition("/")
        pattern = self.permalinks.get(item.section.lower()) if item.section else None
        if pattern:
            expanded = self._expand(pattern, item, folder, name)
            if expanded is not None:
                return prefix + expanded
        slug = str(data.get("slug") or "").strip() or name
        path = self.url_path(f"{folder}/{slug}" if folder else slug)
        return f"{prefix}/{path}.html" if ugly else f"{prefix}/{path}/"

    def _expand(self, pattern: str, item: _Pending, folder: str, name: str) -> str | None:
        data = item.data
        moment = _date_of(data)
        title = str(data.get("title") or name)
        slug = str(data.get("slug") or "").strip()
        sections = folder.split("/") if folder else []
        values: dict[str, str | None] = {
            "section": item.section,
            "sections": "/".join(sections),
            "title": title,
            "slug": slug or title,
            "filename": name,
            "contentbasename": name,
            "slugorfilename": slug or name,
            "slugorcontentbasename": slug or name,
            "year": f"{moment.year:04d}" if moment else None,
            "month": f"{moment.month:02d}" if moment else None,
            "monthname": moment.strftime("%B") if moment else None,
            "day": f"{moment.day:02d}" if moment else None,
            "weekday": str(moment.isoweekday() % 7) if moment else None,
            "weekdayname": moment.strftime("%A") if moment else None,
            "yearday": str(moment.timetuple().tm_yday) if moment else None,
        }
        unknown = False

        def replace(match: re.Match[str]) -> str:
            nonlocal unknown
            value = values.get(match.group(1).lower())
            if value is None:
                unknown = True
                return ""
            return value

        expanded = re.sub(r":(\w+)(?:\[[^\]]*\])?", replace, pattern)
        if unknown:
            return None
        expanded = re.sub(r"/{2,}", "/", "/" + self.url_path(expanded).lstrip("/"))
        if not expanded.endswith("/") and "." not in expanded.rsplit("/", 1)[-1]:
            expanded += ".html" if self._ugly(item.section) else "/"
        return expanded

    def aliases_of(self, item: _Pending) -> list[str]:
        aliases = []
        folder = posixpath.dirname(item.key) if item.kind == "page" else item.key
        for alias in string_list(item.data.get("aliases")):
            alias = alias.strip()
            if not alias or "://" in alias:
                continue
            if not alias.startswith("/"):
                alias = posixpath.join(self.prefix(item.language) + "/" + self.url_path(folder.lstrip("/")), alias)
            aliases.append(alias)
        return aliases


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def build_hugo_site(root: Path, config: Mapping[str, Any] | None) -> HugoSite:
    """Scan a Hugo site once: its pages (with URLs and lookup keys), published files and hooks."""
    builder = _Builder(root, config or {})
    lowered = builder.config
    site = HugoSite(root, builder.default, builder.codes)
    sources = _content_sources(root, lowered, builder.default, builder.codes)
    for source in sources:
        builder.walk(source)
    site.static_dirs = _mounted(root, lowered, "static")
    site.asset_dirs = [folder for _, folder in _mounted(root, lowered, "assets")]
    site.link_hooks = _hooks(root, lowered, "render-link")
    site.image_hooks = _hooks(root, lowered, "render-image")
    site.embedded_link_hook = _embedded_hook(lowered, len(builder.codes) > 1)
    site.hugo_0_123 = _at_least(lowered, (0, 123, 0))
    made: dict[tuple[str, str], HugoPage] = {}
    for item in builder.pending:
        url = builder.url_of(item)
        folder_key = item.key if item.kind != "page" or item.leaf_bundle else (posixpath.dirname(item.key) or "/")
        page = HugoPage(
            source=item.source,
            language=item.language,
            key=item.key,
            kind=item.kind,
            leaf_bundle=item.leaf_bundle,
            url=url,
            aliases=builder.aliases_of(item) if url is not None else [],
            type=str(item.data.get("type") or item.section or "page").lower(),
            folder_key=folder_key,
            section_folder=None if item.leaf_bundle else item.source.parent,
        )
        made.setdefault((item.language, item.key), page)
        site.pages.append(page)
    # Top-level folders are sections even without an `_index.md`; every language has a home page.
    for language, sections in sorted(builder.top_sections.items()):
        for key, written in sorted(sections):
            if (language, "/" + key) in made:
                continue
            folder = next((s.folder / written for s in sources if is_dir(s.folder / written)), root)
            item = _Pending(folder, language, "/" + key, written, "section", False, {}, key)
            page = HugoPage(
                folder, language, "/" + key, "section", False, builder.url_of(item), [], key, "/" + key, folder
            )
            made[(language, "/" + key)] = page
            site.pages.append(page)
    for code in builder.codes:
        if (code, "/") not in made:
            folder = next((s.folder for s in sources if s.language in (code, None) and is_dir(s.folder)), root)
            item = _Pending(folder, code, "/", "", "home", False, {}, "")
            page = HugoPage(folder, code, "/", "home", False, builder.url_of(item), [], "page", "/", folder)
            made[(code, "/")] = page
            site.pages.append(page)
    home = made.get((builder.default, "/"))
    if home is not None and home.url is not None:
        # The default language's other address redirects to its home page.
        if builder.in_subdir:
            site.extra_urls.append(("/", home.source))
        elif len(builder.codes) > 1:
            site.extra_urls.append((f"/{builder.default}/", home.source))
    site.extra_urls.extend(_generated_urls(builder, made))
    not_found = root / str(lowered.get("layoutdir") or "layouts") / "404.html"
    if is_file(not_found) and "404" not in builder.disabled:
        site.extra_urls.extend((builder.prefix(code) + "/404.html", not_found) for code in builder.codes)
    _index(site)
    _publish_files(site, builder, made)
    return site


def _generated_urls(builder: _Builder, made: dict[tuple[str, str], HugoPage]) -> list[tuple[str, Path]]:
    """Pages no content file makes: taxonomy and term lists, feeds, sitemaps, robots.txt."""
    config = builder.config
    configured = config.get("taxonomies")
    taxonomies = (
        [str(plural) for plural in configured.values()] if isinstance(configured, Mapping) else ["tags", "categories"]
    )
    urls: list[tuple[str, Path]] = []
    for code in builder.codes:
        home = made.get((code, "/"))
        if home is None:
            continue
        prefix = builder.prefix(code)
        lists: list[str] = []
        terms: set[str] = set()
        for item in builder.pending:
            if item.language != code:
                continue
            for plural in taxonomies:
                folder = builder.url_path(plural)
                terms.update(f"{folder}/{builder.url_path(term)}" for term in string_list(item.data.get(plural)))
        if "taxonomy" not in builder.disabled:
            lists += [f"{prefix}/{builder.url_path(plural)}/" for plural in taxonomies]
        if "term" not in builder.disabled:
            lists += [f"{prefix}/{term}/" for term in sorted(terms)]
        urls += [(url, home.source) for url in lists]
        if "sitemap" not in builder.disabled:
            # Several languages: one sitemap each in its folder, and an index of them at the root.
            multilingual = len(builder.codes) > 1
            urls.append((f"/{code}/sitemap.xml" if multilingual else f"{prefix}/sitemap.xml", home.source))
            if multilingual and code == builder.default:
                urls.append(("/sitemap.xml", home.source))
        if "rss" not in builder.disabled:
            # Every list page has a feed: home, sections, taxonomies and terms.
            feeds = lists + [p.url for p in made.values() if p.language == code and p.kind != "page" and p.url]
            urls += [(posixpath.join(_folder_url(url), "index.xml"), home.source) for url in feeds]
    robots = _flag(config.get("enablerobotstxt")) and "robotstxt" not in builder.disabled
    home = made.get((builder.default, "/"))
    if robots and home is not None:
        urls.append(("/robots.txt", home.source))
    return urls


def _folder_url(url: str) -> str:
    """The folder a page's URL names: `/a/b/` for `/a/b/` and for `/a/b.html`."""
    return url[: -len(".html")] + "/" if url.endswith(".html") else url


def _at_least(config: Mapping[str, Any], version: tuple[int, ...]) -> bool | None:
    """Whether `module.hugoVersion` says the site is built by this Hugo version or later; None if unknown."""
    versions = _table(config, "module", "hugoversion")
    low, high = _version(versions.get("min")), _version(versions.get("max"))
    if low is not None and low >= version:
        return True
    if high is not None and high < version:
        return False
    return None


def _embedded_hook(config: Mapping[str, Any], multilingual: bool) -> bool:
    settings = _table(config, "markup", "goldmark", "renderhooks", "link")
    if _flag(settings.get("enabledefault")):
        return True
    use = str(settings.get("useembedded") or "").lower()
    if use == "always":
        return True
    low = _version(_table(config, "module", "hugoversion").get("min"))
    # `auto` (the default since 0.148) turns it on for multilingual single-host sites.
    return use in ("", "auto") and multilingual and low is not None and low >= _EMBEDDED_HOOK_SINCE


def _index(site: HugoSite) -> None:
    for page in site.pages:
        if is_file(page.source):
            site._by_source.setdefault(os.path.abspath(page.source), []).append(page)
        keys = site._by_key.setdefault(page.language, {})
        keys.setdefault(page.key, page)
        names = site._by_name.setdefault(page.language, {})
        name = posixpath.basename(page.key)
        if name:
            names[name] = page if name not in names or names[name] is page else None
    # A file that makes pages in several languages answers for its default-language page first.
    for pages in site._by_source.values():
        pages.sort(key=lambda p: (p.language != site.default_language, site.languages.index(p.language)))


def _publish_files(site: HugoSite, builder: _Builder, made: dict[tuple[str, str], HugoPage]) -> None:
    for path, bundle, inside in builder.bundle_files:
        page = made.get((bundle.language, bundle.key))
        base = (
            page.url
            if page is not None and page.url is not None
            else builder.prefix(bundle.language) + "/" + builder.url_path(bundle.written) + "/"
        )
        if base.endswith(".html"):
            base = base[: -len(".html")] + "/"
        site.files.setdefault(posixpath.join(base if base.endswith("/") else base + "/", inside), path)
    for path, language, written in builder.loose_files:
        folder, _, name = written.rpartition("/")
        url = builder.prefix(language) + "/" + (builder.url_path(folder) + "/" if folder else "") + name
        site.files.setdefault(url, path)
