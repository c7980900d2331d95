"""Jekyll's URL space: which files a build writes, at which URLs, as Jekyll 4.3 decides it.

The model follows Jekyll's own reader, not its documentation: the folders it walks (`exclude`,
`include`, and the special `_`, `.`, `#`, `~` names), pages (any file with front matter),
static files (the rest, copied as they are), posts (`_posts/` under any folder walked, or
under `collections_dir`), collections (`output`, `permalink`), permalink styles and their
placeholders, front-matter `defaults` (scope path and type, most specific first), drafts,
`published: false` and future dates. Plugins that add pages are modelled when the site declares
them: jekyll-redirect-from (`redirect_from`), jekyll-feed, jekyll-sitemap, and GitHub Pages'
jekyll-optional-front-matter and jekyll-readme-index. Tests check this model against
`jekyll build`.
"""

from __future__ import annotations

import fnmatch
import math
import os
import re
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

import regex

from mdlint.site.field_values import string_list
from mdlint.source.decoding import UnreadableFileError, read_head, read_regular_file
from mdlint.source.front_matter_block import front_matter_text
from mdlint.source.paths import is_dir, is_file
from mdlint.source.yaml_loading import yaml_value

__all__ = [
    "BUILTIN_PERMALINKS",
    "JekyllPost",
    "JekyllSite",
    "collection_of",
    "defaults_for",
    "find_post",
    "liquid_text",
    "read_site",
    "site_variables",
    "slugify",
]

# Jekyll's `permalink` styles (Configuration::STYLE_TO_PERMALINK).
BUILTIN_PERMALINKS = {
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}
_DEFAULT_EXCLUDES = (
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
)
_SPECIAL_LEADING = (".", "_", "#", "~")
_DATE_FILE = re.compile(r"^(?:.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$")
_DATELESS_FILE = re.compile(r"^(?:.+/)*(.*)(\.[^.]+)$")
_HEADER = re.compile(rb"\A---\s*\r?\n")
_PLACEHOLDER = re.compile(r":([a-z_]+)")
_SLUG_DEFAULT = regex.compile(r"[^\p{M}\p{L}\p{Nd}]+")
_SLUG_PRETTY = regex.compile(r"[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+")
_WHEN = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[Tt ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?\s*$"
)
_HTML_EXTENSIONS = (".html", ".xhtml", ".htm")
_SASS = (".scss", ".sass")
# Variables the site drop computes itself: a config key of the same name is not what they print.
_COMPUTED_SITE_VARIABLES = frozenset(
    {"time", "pages", "posts", "data", "documents", "categories", "tags", "static_files", "html_pages", "collections"}
)
# GitHub Pages' own plugins, active wherever the `github-pages` gem builds the site.
_GITHUB_PAGES_PLUGINS = frozenset({"jekyll-optional-front-matter", "jekyll-readme-index", "jekyll-relative-links"})
# Files jekyll-optional-front-matter leaves alone (its FILENAME_BLACKLIST).
_NOT_OPTIONAL_PAGES = frozenset(
    {
        "readme",
        "license",
        "licence",
        "copying",
        "code_of_conduct",
        "contributing",
        "issue_template",
        "pull_request_template",
    }
)
_README = re.compile(r"^readme\.(?:md|markdown|mkdown|mkdn|mkd)$", re.I)


@dataclass(frozen=True)
class JekyllPost:
    """A published post: its path as `{% post_url %}` matches it, its file and its URL."""

    relative_path: str
    source: Path
    url: str
    slug: str
    day: date | None


@dataclass
class JekyllSite:
    """What `jekyll build` writes for one site.

    URLs are as Jekyll makes them (unescaped, starting with `/`); `pages` are rendered files,
    `static` copied ones, `redirects` the pages jekyll-redirect-from writes, `files` the source
    paths `{% link %}` accepts (Jekyll's `relative_path` of each written file) with their URLs.
    """

    pages: dict[str, Path] = field(default_factory=dict)
    static: dict[str, Path] = field(default_factory=dict)
    redirects: dict[str, Path] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    posts: list[JekyllPost] = field(default_factory=list)
    # Each rendered source file's URL, for links relative to the page.
    urls: dict[Path, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Settings:
    root: Path
    config: Mapping[str, Any]
    collections: dict[str, dict[str, Any]]
    collections_dir: str
    style: str
    exclude: tuple[str, ...]
    include: tuple[str, ...]
    markdown_exts: frozenset[str]
    zone: tzinfo | None
    now: datetime
    future: bool
    unpublished: bool
    plugins: frozenset[str]

    @property
    def collections_path(self) -> Path:
        return self.root / self.collections_dir if self.collections_dir else self.root


@dataclass
class _Item:
    """One file Jekyll reads as a page or a document, with the data that decides its URL."""

    source: Path
    relative_path: str  # Jekyll's relative_path: to the source (pages) or collections folder (documents)
    data: dict[str, Any]


def site_variables(config: Mapping[str, Any]) -> dict[str, str]:
    """The site's `_config.yml` scalars as Liquid prints them, by name: `{"site.baseurl": "/blog", …}`.

    Nested mappings give dotted names (`site.author.name`). `site.baseurl` and `site.url` are
    always there ("" when unset, as Liquid prints nil); names set by plugins (`site.github`) and
    lists are not, so a destination using them stays unknown.
    """
    variables = {"site.baseurl": "", "site.url": ""}

    def walk(prefix: str, mapping: Mapping[Any, Any]) -> None:
        for key, value in mapping.items():
            if prefix == "site" and key in _COMPUTED_SITE_VARIABLES:
                continue
            name = f"{prefix}.{key}"
            if isinstance(value, Mapping):
                walk(name, value)
                continue
            text = liquid_text(value)
            if text is not None:
                variables[name] = text

    walk("site", config)
    return variables


def liquid_text(value: object) -> str | None:
    """How Liquid prints a scalar (`true`, `3`, "" for nil), or None for what it is not."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None


def read_site(root: Path, config: Mapping[str, Any]) -> JekyllSite:
    """Walk the site at `root` as `jekyll build` reads it and give every URL the build writes."""
    settings = _settings(root, config)
    site = JekyllSite()
    pages: list[_Item] = []
    _read_directory(settings, site, "", pages, set())
    _read_included_files(settings, site, pages)
    for item in pages:
        _add_page(settings, site, item)
    for label, metadata in settings.collections.items():
        if label not in ("posts", "data"):
            _read_collection(settings, site, label, metadata)
    _add_plugin_pages(settings, site)
    return site


def _settings(root: Path, config: Mapping[str, Any]) -> _Settings:
    collections = _collections(config)
    exclude = string_list(config.get("exclude", []))
    include = string_list(config.get("include", [".htaccess"]))
    markdown_ext = str(config.get("markdown_ext") or "markdown,mkdown,mkdn,mkd,md")
    zone = _zone(config.get("timezone"))
    now = _moment(config.get("time"), zone) or datetime.now(zone).astimezone(zone)
    return _Settings(
        root=root,
        config=config,
        collections=collections,
        collections_dir=str(config.get("collections_dir") or "").strip("/"),
        style=str(config.get("permalink") or "date"),
        exclude=tuple(dict.fromkeys([*exclude, *_DEFAULT_EXCLUDES])),
        include=tuple(include),
        markdown_exts=frozenset("." + ext.strip().lower() for ext in markdown_ext.split(",") if ext.strip()),
        zone=zone,
        now=now,
        future=bool(config.get("future", False)),
        unpublished=bool(config.get("unpublished", False)),
        plugins=_plugins(root, config),
    )


def _collections(config: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    raw = config.get("collections")
    if isinstance(raw, Mapping):
        found = {str(name): dict(value) if isinstance(value, Mapping) else {} for name, value in raw.items()}
    else:
        found = {name: {} for name in string_list(raw)}
    posts = found.setdefault("posts", {})
    posts["output"] = True
    style = str(config.get("permalink") or "date")
    posts.setdefault("permalink", BUILTIN_PERMALINKS.get(style, style))
    return found


def _plugins(root: Path, config: Mapping[str, Any]) -> frozenset[str]:
    names = set(string_list(config.get("plugins"))) | set(string_list(config.get("gems")))
    try:
        gemfile = read_regular_file(root / "Gemfile").decode("utf-8", errors="replace")
    except UnreadableFileError:
        gemfile = ""
    names.update(re.findall(r"""^\s*gem\s+["']([\w.-]+)["']""", gemfile, re.M))
    if "github-pages" in names:
        names |= _GITHUB_PAGES_PLUGINS
    return frozenset(names)


def _zone(name: object) -> tzinfo | None:
    if not isinstance(name, str) or not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _moment(value: object, zone: tzinfo | None) -> datetime | None:
    """A front-matter or file-name date as Jekyll reads it: parsed, then in the site's time zone."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        match = _WHEN.match(value)
        if match is None:
            return None
        year, month, day, hour, minute, second, offset = match.groups()
        try:
            moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
        except ValueError:
            return None
        if offset:
            moment = moment.replace(tzinfo=_offset(offset))
    else:
        return None
    if moment.tzinfo is None:
        # No offset: the time is the site's local time (Time.parse in the TZ Jekyll sets).
        return moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()
    return moment.astimezone(zone) if zone is not None else moment.astimezone()


def _offset(text: str) -> timezone:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _glob_match(patterns: Iterable[str], root: Path, entry: str) -> bool:
    """Jekyll's EntryFilter#glob_include?: fnmatch or prefix against `source/pattern`."""
    with_source = os.path.join(str(root), entry.lstrip("/"))
    is_directory: bool | None = None
    for pattern in patterns:
        pattern_with_source = os.path.join(str(root), pattern.lstrip("/"))
        if fnmatch.fnmatchcase(with_source, pattern_with_source) or with_source.startswith(pattern_with_source):
            return True
        if pattern_with_source.endswith("/"):
            if is_directory is None:
                is_directory = os.path.isdir(with_source)
            if is_directory and pattern_with_source == with_source + "/":
                return True
    return False


def _kept(settings: _Settings, entries: Iterable[str], base: str) -> Iterator[str]:
    """Jekyll's EntryFilter#filter: `entries` relative to the folder `base` (relative to the source)."""
    excluded_patterns = [pattern for pattern in settings.exclude if pattern not in settings.include]
    for entry in entries:
        if entry.endswith("."):
            continue
        name = entry.rsplit("/", 1)[-1]
        included = _glob_match(settings.include, settings.root, entry) or _glob_match(
            settings.include, settings.root, name
        )
        if not included and _glob_match(excluded_patterns, settings.root, f"{base}/{entry}"):
            continue
        if included:
            yield entry
            continue
        if entry.startswith(_SPECIAL_LEADING) or name.startswith(_SPECIAL_LEADING) or entry.endswith("~"):
            continue
        yield entry


def _has_header(path: Path) -> bool:
    try:
        head = read_regular_file(path, max_bytes=4096, head=True)
    except UnreadableFileError:
        return False
    return bool(_HEADER.match(head[: head.find(b"\n") + 1] if b"\n" in head else head))


def _front_matter(path: Path) -> dict[str, Any]:
    head = read_head(path)
    block = front_matter_text(head) if head is not None else None
    # Jekyll reads YAML front matter only.
    if block is None or block[0] != "yaml":
        return {}
    try:
        data = yaml_value(block[1], pure_python=True)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _read_directory(settings: _Settings, site: JekyllSite, directory: str, pages: list[_Item], seen: set[Path]) -> None:
    """Jekyll's Reader#read_directories: pages and static files here, posts, then subfolders."""
    base = settings.root / directory
    try:
        real = base.resolve()
        names = sorted(os.listdir(base))
    except OSError:
        return
    if real in seen:
        return
    seen.add(real)
    folders: list[str] = []
    for name in _kept(settings, names, "/" + directory if directory else ""):
        path = base / name
        relative = f"{directory}/{name}" if directory else name
        if is_dir(path):
            folders.append(relative)
        elif _has_header(path):
            pages.append(_Item(path, relative, _front_matter(path)))
        elif _optional_page(settings, name, directory):
            pages.append(_Item(path, relative, {}))
        else:
            _add_static(settings, site, path, "/" + relative)
    _read_posts(settings, site, directory)
    for folder in folders:
        _read_directory(settings, site, folder, pages, seen)


def _optional_page(settings: _Settings, name: str, directory: str) -> bool:
    """jekyll-optional-front-matter: a Markdown file without front matter is a page all the same."""
    if "jekyll-optional-front-matter" not in settings.plugins:
        return False
    stem, _, extension = name.rpartition(".")
    if "." + extension.lower() not in settings.markdown_exts:
        return False
    if _README.match(name) and "jekyll-readme-index" in settings.plugins:
        return not any(is_file(settings.root / directory / index) for index in ("index.md", "index.html"))
    return stem.lower() not in _NOT_OPTIONAL_PAGES


def _read_included_files(settings: _Settings, site: JekyllSite, pages: list[_Item]) -> None:
    """Jekyll's Reader#read_included_excludes: files named in `include` that the walk passed over."""
    known = {item.source for item in pages} | set(site.static.values())
    for entry in settings.include:
        path = settings.root / entry.lstrip("/")
        if not is_file(path) or path in known:
            continue
        relative = path.relative_to(settings.root).as_posix()
        if _has_header(path):
            pages.append(_Item(path, relative, _front_matter(path)))
        else:
            _add_static(settings, site, path, "/" + relative)


def _add_static(settings: _Settings, site: JekyllSite, path: Path, relative_path: str) -> None:
    # Jekyll's StaticFile#write? reads `published` from the defaults only.
    if defaults_for(settings.config, relative_path, None).get("published", True) is False:
        return
    stem, extension = _split_extension(path.name)
    folder = relative_path.rsplit("/", 1)[0]
    url = f"{folder}/{stem.rstrip('.')}{extension}"
    site.static[url] = path
    site.files[relative_path] = url


def _split_extension(name: str) -> tuple[str, str]:
    """Ruby's File.extname split: a leading dot does not start an extension."""
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or stem.endswith("/"):
        return name, ""
    return stem, "." + extension


def _output_extension(settings: _Settings, extension: str, permalink: object) -> str:
    if isinstance(permalink, str) and permalink and not permalink.endswith("/"):
        _, own = _split_extension(permalink.rsplit("/", 1)[-1])
        if own:
            return own
    lowered = extension.lower()
    if lowered in settings.markdown_exts:
        return ".html"
    if lowered in _SASS:
        return ".css"
    return extension


def _add_permalink_suffix(template: str, style: str) -> str:
    if style == "pretty":
        return template + "/"
    if style in ("date", "ordinal", "none"):
        return template + ":output_ext"
    if style.endswith("/"):
        return template + "/"
    if style.endswith(":output_ext"):
        return template + ":output_ext"
    return template


def _sanitize(url: str) -> str:
    """Jekyll's URL#sanitize_url: a leading `/`, no `..`, no `./`, no doubled `/`."""
    url = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub(r"/{2,}", "/", url)


def _fill(template: str, values: Mapping[str, str | None], *, drop: bool) -> str:
    """Replace `:placeholders` as Jekyll's URL does: a drop (documents) or a hash (pages, static files)."""
    if drop:

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            for key in (name, name[:-1]) if name.endswith("_") else (name,):
                if key in values:
                    value = values[key] or ""
                    return value + match.group(0)[len(key) + 1 :]
            return match.group(0)

        return _PLACEHOLDER.sub(replace, template)
    for key, value in values.items():
        if ":" not in template:
            break
        template = template.replace("/:" + key, "") if value is None else template.replace(":" + key, value)
    return template


def _add_page(settings: _Settings, site: JekyllSite, item: _Item) -> None:
    """Jekyll's Page: published unless its own front matter says no; `permalink` may come from defaults."""
    if item.data.get("published", True) is False and not settings.unpublished:
        return
    data = {**defaults_for(settings.config, item.relative_path, "pages"), **item.data}
    name = item.source.name
    stem, extension = _split_extension(name)
    basename = stem.rstrip(".")
    permalink = data.get("permalink")
    output_ext = _output_extension(settings, extension, permalink)
    directory = "/" + item.relative_path.rsplit("/", 1)[0] if "/" in item.relative_path else ""
    if output_ext not in _HTML_EXTENSIONS:
        template = "/:path/:basename:output_ext"
    elif basename == "index" or (_README.match(name) and not item.data and "jekyll-readme-index" in settings.plugins):
        template = "/:path/"
    else:
        template = _add_permalink_suffix("/:path/:basename", settings.style)
    values = {"path": directory, "basename": basename, "output_ext": output_ext}
    pattern = str(permalink) if isinstance(permalink, str | int) and permalink != "" else template
    url = _written(_sanitize(_fill(pattern, values, drop=False)), output_ext)
    site.pages[url] = item.source
    site.urls[item.source] = url
    site.files[item.relative_path] = url
    _add_redirects(settings, site, item.source, data)


def _written(url: str, output_ext: str) -> str:
    """The URL as the file written for it is served: `/a/` stays, `/a` gets the output extension."""
    if url.endswith("/") or url.endswith(output_ext):
        return url
    return url + output_ext


def _add_redirects(settings: _Settings, site: JekyllSite, source: Path, data: Mapping[str, Any]) -> None:
    if "jekyll-redirect-from" not in settings.plugins:
        return
    for alias in string_list(data.get("redirect_from")):
        url = "/" + alias.lstrip("/")
        site.redirects[url if url.endswith("/") or "." in url.rsplit("/", 1)[-1] else url + ".html"] = source


def _read_posts(settings: _Settings, site: JekyllSite, directory: str) -> None:
    """Jekyll's PostReader for `directory/_posts` (only inside `collections_dir` when it is set)."""
    if settings.collections_dir and not ("/" + directory).startswith("/" + settings.collections_dir):
        return
    folder = settings.root / directory / "_posts"
    if not is_dir(folder):
        return
    base = f"/{directory}/_posts" if directory else "/_posts"
    entries = sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )
    for entry in _kept(settings, entries, base):
        path = folder / entry
        if is_dir(path) or not _DATE_FILE.match(entry):
            continue
        relative = path.relative_to(settings.collections_path).as_posix()
        _add_document(settings, site, "posts", settings.collections["posts"], path, relative, True)


def _read_collection(settings: _Settings, site: JekyllSite, label: str, metadata: Mapping[str, Any]) -> None:
    """Jekyll's Collection#read: documents (files with front matter) and static files."""
    folder = settings.collections_path / f"_{label}"
    if not is_dir(folder):
        return
    entries = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*"))
    output = bool(metadata.get("output", False))
    for entry in _kept(settings, entries, f"_{label}"):
        path = folder / entry
        if is_dir(path):
            continue
        relative = f"_{label}/{entry}"
        if _has_header(path):
            _add_document(settings, site, label, metadata, path, relative, output)
        elif output:
            _add_collection_static(settings, site, label, metadata, path, relative)


def _add_collection_static(
    settings: _Settings, site: JekyllSite, label: str, metadata: Mapping[str, Any], path: Path, relative: str
) -> None:
    if defaults_for(settings.config, relative, label).get("published", True) is False:
        return
    stem, extension = _split_extension(relative)
    cleaned = stem.rstrip(".").replace(f"_{label}", "", 1)
    template = _collection_template(settings, label, metadata)
    values: dict[str, str | None] = {
        "collection": label,
        "path": cleaned,
        "output_ext": "",
        "name": _split_extension(path.name)[0].rstrip("."),
        "title": "",
    }
    url = _sanitize(_fill(template, values, drop=False)).rstrip("/") + extension
    site.static[url] = path
    site.files[relative] = url


def _collection_template(settings: _Settings, label: str, metadata: Mapping[str, Any]) -> str:
    permalink = metadata.get("permalink")
    if isinstance(permalink, str) and permalink:
        return permalink
    return _add_permalink_suffix("/:collection/:path", settings.style)


def _add_document(
    settings: _Settings,
    site: JekyllSite,
    label: str,
    metadata: Mapping[str, Any],
    path: Path,
    relative: str,
    output: bool,
) -> None:
    """Jekyll's Document: data from defaults, the path and the front matter; URL from its permalink."""
    data = _document_data(settings, label, relative, _front_matter(path))
    if data.get("published", True) is False and not settings.unpublished:
        return
    stem, extension = _split_extension(path.name)
    moment, slug = _date_and_slug(settings, relative, data, stem)
    if moment is not None and not settings.future and moment > settings.now:
        return
    if not output:
        return
    permalink = data.get("permalink")
    output_ext = _output_extension(settings, extension, permalink)
    pattern = str(permalink) if isinstance(permalink, str | int) and permalink != "" else None
    values = _document_placeholders(label, relative, extension, stem, slug, data, moment or settings.now, output_ext)
    template = pattern or _collection_template(settings, label, metadata)
    url = _written(_sanitize(_fill(template, values, drop=True)), output_ext)
    site.pages[url] = path
    site.urls[path] = url
    site.files[relative] = url
    if label == "posts":
        site.posts.append(JekyllPost(relative, path, url, slug, moment.date() if moment is not None else None))
    _add_redirects(settings, site, path, data)


def _document_data(settings: _Settings, label: str, relative: str, own: Mapping[str, Any]) -> dict[str, Any]:
    defaults = defaults_for(settings.config, relative, label)
    data: dict[str, Any] = {**defaults, **own}
    categories: list[str] = []
    if label == "posts":
        start = relative.find("_posts")
        if start > 0:
            categories += [part for part in relative[:start].split("/") if part and part != "_posts"]
    for source in (defaults, own):
        categories += string_list(source.get("categories"), split=True)
    singular = data.get("category")
    categories += string_list(singular) if singular is not None else string_list(data.get("categories"), split=True)
    data["categories"] = list(dict.fromkeys(str(category) for category in categories))
    return data


def _date_and_slug(
    settings: _Settings, relative: str, data: Mapping[str, Any], stem: str
) -> tuple[datetime | None, str]:
    match = _DATE_FILE.match(relative)
    if match:
        file_slug = match.group(2)
    else:
        dateless = _DATELESS_FILE.match(relative)
        file_slug = dateless.group(1) if dateless else stem
    file_slug = file_slug.rstrip(".")
    moment = _moment(data.get("date"), settings.zone) if "date" in data else None
    if moment is None and match:
        moment = _moment(match.group(1), settings.zone)
    slug = data.get("slug")
    return moment, str(slug) if slug is not None and slug != "" else file_slug


def _document_placeholders(
    label: str,
    relative: str,
    extension: str,
    stem: str,
    slug: str,
    data: Mapping[str, Any],
    when: datetime,
    output_ext: str,
) -> dict[str, str | None]:
    cleaned = (relative[: -len(extension)] if extension else relative).replace(f"_{label}", "", 1).rstrip(".")
    categories = list(dict.fromkeys(str(category).lower() for category in data.get("categories") or []))
    return {
        "collection": label,
        "path": cleaned,
        "output_ext": output_ext,
        "name": slugify(stem),
        "title": slugify(slug, pretty=True, cased=True) or slugify(stem, pretty=True, cased=True),
        "slug": slugify(slug) or slugify(stem),
        "categories": "/".join(categories),
        "slugified_categories": "/".join(dict.fromkeys(slugify(c) for c in data.get("categories") or [])),
        "year": when.strftime("%Y"),
        "month": when.strftime("%m"),
        "day": when.strftime("%d"),
        "hour": when.strftime("%H"),
        "minute": when.strftime("%M"),
        "second": when.strftime("%S"),
        "i_day": str(when.day),
        "i_month": str(when.month),
        "short_month": when.strftime("%b"),
        "long_month": when.strftime("%B"),
        "short_year": when.strftime("%y"),
        "w_year": when.strftime("%G"),
        "week": when.strftime("%V"),
        "w_day": str(when.isoweekday()),
        "short_day": when.strftime("%a"),
        "long_day": when.strftime("%A"),
        "y_day": when.strftime("%j"),
    }


def slugify(text: str, *, pretty: bool = False, cased: bool = False) -> str:
    """Jekyll's Utils.slugify in its `default` or `pretty` mode."""
    pattern = _SLUG_PRETTY if pretty else _SLUG_DEFAULT
    slug = pattern.sub("-", str(text)).strip("-")
    return slug if cased else slug.lower()


def _add_plugin_pages(settings: _Settings, site: JekyllSite) -> None:
    """Pages the declared plugins write: feeds, sitemaps, redirect lists, paginated indexes."""
    config = settings.config
    plugins = settings.plugins
    if "jekyll-feed" in plugins:
        feed = config.get("feed")
        path = feed.get("path") if isinstance(feed, Mapping) else None
        site.pages.setdefault("/" + str(path or "feed.xml").lstrip("/"), settings.root / "_config.yml")
    if "jekyll-sitemap" in plugins:
        site.pages.setdefault("/sitemap.xml", settings.root / "_config.yml")
        site.pages.setdefault("/robots.txt", settings.root / "_config.yml")
    if "jekyll-redirect-from" in plugins:
        site.pages.setdefault("/redirects.json", settings.root / "_config.yml")
    per_page = config.get("paginate")
    if ("jekyll-paginate" in plugins) and isinstance(per_page, int) and per_page > 0:
        path = str(config.get("paginate_path") or "/page:num")
        for number in range(2, math.ceil(len(site.posts) / per_page) + 1):
            site.pages.setdefault(_sanitize(path.replace(":num", str(number))) + "/", settings.root / "index.html")


def defaults_for(config: Mapping[str, Any], relative_path: str, kind: str | None) -> dict[str, Any]:
    """The values Jekyll's `defaults` give the file at `relative_path` of type `kind` ("pages", a collection).

    As Jekyll's FrontmatterDefaults#all: of the scopes that match (path prefix or glob, type),
    the more specific wins (a longer path; at equal length one with a type; else the later one).
    """
    sets = config.get("defaults")
    if not isinstance(sets, list):
        return {}
    collections_dir = str(config.get("collections_dir") or "")
    values: dict[str, Any] = {}
    old_scope: Mapping[str, Any] | None = None
    for entry in sets:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("values"), Mapping):
            continue
        scope = entry.get("scope")
        scope = scope if isinstance(scope, Mapping) else {}
        if not _applies(scope, relative_path, kind, collections_dir):
            continue
        if old_scope is None or _has_precedence(old_scope, scope):
            values = _deep_merge(values, entry["values"])
            old_scope = scope
        else:
            values = _deep_merge(dict(entry["values"]), values)
    return values


def _deep_merge(base: Mapping[str, Any], overwrite: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overwrite.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


_DEPRECATED_TYPES = {"page": "pages", "post": "posts", "draft": "drafts"}


def _applies(scope: Mapping[str, Any], relative_path: str, kind: str | None, collections_dir: str) -> bool:
    if "type" in scope:
        wanted = str(scope["type"])
        if kind is None or _DEPRECATED_TYPES.get(wanted, wanted) != kind:
            return False
    scope_path = scope.get("path")
    if not isinstance(scope_path, str) or not scope_path:
        return True
    path = _scope_path(relative_path)
    scope_path = _scope_path(scope_path)
    if collections_dir and scope_path.startswith(collections_dir + "/"):
        scope_path = scope_path[len(collections_dir) + 1 :]
    if "*" in scope_path:
        return _glob_scope(path, scope_path)
    return path.startswith(scope_path)


def _scope_path(path: str) -> str:
    return path[1:].rstrip("/") if path.startswith("/") else path


def _glob_scope(path: str, pattern: str) -> bool:
    # Dir.glob matches whole names per folder level; the file is in scope below any match.
    wanted = pattern.rstrip("/").split("/")
    parts = path.split("/")
    return any(_glob_parts(parts[:length], wanted) for length in range(1, len(parts) + 1))


def _glob_parts(parts: list[str], wanted: list[str]) -> bool:
    if not wanted:
        return not parts
    if wanted[0] == "**":
        return any(_glob_parts(parts[index:], wanted[1:]) for index in range(len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], wanted[0]) and _glob_parts(parts[1:], wanted[1:])


def _has_precedence(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    old_path = _scope_path(str(old.get("path") or ""))
    new_path = _scope_path(str(new.get("path") or ""))
    if len(new_path) != len(old_path):
        return len(new_path) >= len(old_path)
    if "type" in new:
        return True
    return "type" not in old


def collection_of(root: Path, config: Mapping[str, Any], relative: Path) -> str | None:
    """The collection (`posts`, or a configured one) of the file at `relative` to the site root, or None."""
    parts = relative.parts
    collections_dir = str(config.get("collections_dir") or "").strip("/")
    if collections_dir:
        prefix = tuple(collections_dir.split("/"))
        if parts[: len(prefix)] != prefix:
            return None
        parts = parts[len(prefix) :]
    # Jekyll reads drafts into the posts collection too.
    if "_posts" in parts[:-1] or "_drafts" in parts[:-1]:
        return "posts"
    top = parts[0] if len(parts) > 1 else ""
    raw = config.get("collections")
    names = raw if isinstance(raw, Mapping) else string_list(raw)
    if top.startswith("_") and top[1:] in names and top[1:] not in ("posts", "data"):
        return top[1:]
    return None


def find_post(posts: Iterable[JekyllPost], name: str) -> JekyllPost | None:
    """The post `{% post_url name %}` links, or None (Jekyll then fails the build).

    As Jekyll's PostComparer: `[folders/]YYYY-MM-DD-slug` names `_posts/folders/…` or
    `folders/_posts/…`; failing that, a post with that slug and date anywhere.
    """
    match = re.match(r"^(.+/)*(\d+-\d+-\d+)-(.*)$", name.lstrip("/"))
    if match is None:
        return None
    folders, when, slug = match.group(1) or "", match.group(2), match.group(3)
    basename = f"{re.escape(when)}-{re.escape(slug)}\\.[^.]+"
    pattern = re.compile(f"^_posts/{re.escape(folders)}{basename}|^{re.escape(folders)}_posts/?{basename}")
    candidates = list(posts)
    for post in candidates:
        if pattern.match(post.relative_path):
            return post
    try:
        year, month, day = (int(part) for part in when.split("-"))
        wanted = date(year, month, day)
    except ValueError:
        return None
    for post in candidates:
        if post.slug == slug and post.day == wanted:
            return post
    return None
