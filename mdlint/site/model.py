"""The site a file belongs to: its generator, its configuration and the URLs its pages get.

A Markdown file in a Jekyll or Hugo site is a page, not a README: the generator decides its
URL, the URLs its links point at and the front-matter fields it gets. The nearest folder with a
generator's configuration file is the site's root; the site map (every page's URL) is built
once per run.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

import regex
import yaml

from mdlint.markdown.dialect import DEFAULT_DIALECT, Dialect
from mdlint.site.hugo import HugoSite, build_hugo_site, content_dirs, load_config
from mdlint.source.text import SourceText

__all__ = [
    "SiteMap",
    "SiteRoot",
    "build_site_map",
    "collection_of",
    "dialect_for",
    "find_site_root",
    "front_matter_defaults",
    "url_key",
]

_JEKYLL_CONFIG = ("_config.yml", "_config.yaml")
_PAGE_SUFFIXES = (".md", ".markdown", ".html", ".htm")
_SKIP_DIRS = frozenset({".git", "node_modules", "_site", "public", "vendor", ".jekyll-cache", "resources"})
_BUILTIN_PERMALINKS = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_POST_FILE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")


@dataclass(frozen=True)
class SiteRoot:
    """A static site's root folder and how it maps URLs to files."""

    path: Path
    kind: Literal["jekyll", "hugo", "plain"]
    baseurl: str = ""
    config: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class SiteMap:
    """URL paths that pages produce (normal form, see `url_key`) and the source file of each."""

    root: SiteRoot
    pages: dict[str, Path] = field(default_factory=dict)
    posts: dict[str, Path] = field(default_factory=dict)
    # Hugo's model of the site (pages, lookups, published files, render hooks); None for Jekyll.
    hugo: HugoSite | None = None
    _urls_by_source: dict[str, str] | None = field(default=None, repr=False)

    def page(self, url_path: str) -> Path | None:
        """The source file producing this URL path, if a page does."""
        return self.pages.get(url_key(url_path))

    def url_of(self, source: Path) -> str | None:
        """The URL path (normal form) of the page made from `source` (an absolute path), if any."""
        if self._urls_by_source is None:
            # One pass over the map, so a lookup per link costs a dictionary access.
            found: dict[str, str] = {}
            for url, page_source in self.pages.items():
                found.setdefault(os.path.abspath(page_source), url)
            self._urls_by_source = found
        return self._urls_by_source.get(os.path.abspath(source))


def url_key(url_path: str) -> str:
    """A URL path in the form pages are compared in: no `index.html`, `.html` or trailing `/`."""
    path = "/" + unquote(url_path).lstrip("/")
    for suffix in ("/index.html", "/index.htm"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    if path.endswith(".html"):
        path = path[: -len(".html")]
    return path.rstrip("/") or "/"


def _load_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def find_site_root(start: Path, override: Path | None = None) -> SiteRoot | None:
    """The site root for a file at `start`: `override`, else the nearest Jekyll or Hugo folder."""
    if override is not None:
        return _site_root_at(override.resolve()) or SiteRoot(override.resolve(), "plain")
    folder = start.resolve().parent
    for candidate in [folder, *folder.parents]:
        found = _site_root_at(candidate)
        if found is not None:
            return found
    return None


def _site_root_at(folder: Path) -> SiteRoot | None:
    for name in _JEKYLL_CONFIG:
        if (folder / name).is_file():
            config = _load_yaml(folder / name)
            baseurl = str(config.get("baseurl") or "").rstrip("/")
            return SiteRoot(folder, "jekyll", baseurl, config)
    hugo_config = load_config(folder)
    if hugo_config is not None:
        return SiteRoot(folder, "hugo", _hugo_base_path(hugo_config), hugo_config)
    return None


def _hugo_base_path(config: Mapping[str, Any]) -> str:
    """The path of Hugo's `baseURL` (`/docs` for `https://example.org/docs/`), "" at a host's root."""
    value = next((config[key] for key in config if str(key).lower() == "baseurl"), "")
    path = urlsplit(str(value or "")).path
    return path.rstrip("/")


def _front_matter(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(65536)
    except OSError:
        return {}
    # Most pages have none: no need to index their lines to learn it.
    block = SourceText(str(path), head).front_matter if head.startswith("---") else None
    # Permalinks and redirects are read from YAML only, as Jekyll writes them.
    if block is None or block.kind != "yaml":
        return {}
    try:
        data = yaml.safe_load(block.content(head))
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list | tuple):
        return [str(item) for item in value if item is not None]
    return [str(value)]


def _walk_files(folder: Path) -> Iterable[Path]:
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            yield Path(current) / name


def build_site_map(root: SiteRoot) -> SiteMap:
    """Scan the site once: every page's URL from permalinks, patterns and redirects."""
    site = SiteMap(root)
    if root.kind == "hugo":
        _map_hugo(site)
    else:
        _map_jekyll(site)
    return site


def _add(site: SiteMap, url: str, source: Path) -> None:
    key = url_key(url)
    site.pages.setdefault(key, source)
    base = site.root.baseurl
    if base and key.startswith(base + "/"):
        site.pages.setdefault(url_key(key[len(base) :]), source)


def _map_jekyll(site: SiteMap) -> None:
    root = site.root.path
    config = site.root.config
    collections = config.get("collections") or {}
    if not isinstance(collections, dict):
        collections = {name: {} for name in _as_list(collections)}
    for path in _walk_files(root):
        if path.suffix.lower() not in _PAGE_SUFFIXES:
            continue
        relative = path.relative_to(root)
        data = _front_matter(path)
        top = relative.parts[0] if len(relative.parts) > 1 else ""
        for alias in _as_list(data.get("redirect_from")):
            _add(site, alias, path)
        permalink = data.get("permalink")
        if "_posts" in relative.parts:
            site.posts.setdefault(path.stem, path)
            pattern = permalink or _default_permalink(config, "posts") or "date"
            _add(site, _expand_post(str(pattern), path, relative, data), path)
        elif top.startswith("_") and top[1:] in collections:
            name = top[1:]
            settings = collections[name] if isinstance(collections[name], dict) else {}
            if not settings.get("output", False):
                continue
            pattern = permalink or settings.get("permalink") or "/:collection/:path:output_ext"
            _add(site, _expand_post(str(pattern), path, relative, data, name), path)
        elif permalink:
            _add(site, str(permalink), path)


def _default_permalink(config: dict[str, Any], kind: str) -> str | None:
    for entry in config.get("defaults") or []:
        if not isinstance(entry, dict):
            continue
        scope = entry.get("scope") or {}
        values = entry.get("values") or {}
        if (
            isinstance(scope, dict)
            and isinstance(values, dict)
            and scope.get("type") == kind
            and values.get("permalink")
        ):
            return str(values["permalink"])
    value = config.get("permalink")
    return str(value) if value else None


def _slugify(text: str) -> str:
    # Jekyll's "pretty" slug mode, cased: keep letters, digits and a few URL-safe characters.
    slug = regex.sub(r"[^\p{L}\p{N}._~!$&'()+,;=@-]+", "-", text)
    return slug.strip("-")


def _expand_post(pattern: str, path: Path, relative: Path, data: dict[str, Any], collection: str = "posts") -> str:
    pattern = _BUILTIN_PERMALINKS.get(pattern, pattern)
    match = _POST_FILE.match(path.stem)
    title = match.group(4) if match else path.stem
    moment: date | None = None
    if match:
        try:
            moment = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            moment = None
    front_date = data.get("date")
    if isinstance(front_date, datetime):
        moment = front_date.date()
    elif isinstance(front_date, date):
        moment = front_date
    categories = [c.lower() for c in _as_list(data.get("categories")) + _as_list(data.get("category"))]
    slug = _slugify(str(data.get("slug") or title))
    inner = relative.parts[1:] if relative.parts[0].startswith("_") else relative.parts
    values = {
        "collection": collection,
        "path": "/".join((*inner[:-1], path.stem)),
        "name": _slugify(path.stem),
        "basename": path.stem,
        "title": slug,
        "slug": slug,
        "categories": "/".join(dict.fromkeys(categories)),
        "output_ext": ".html",
        "year": f"{moment.year:04d}" if moment else "",
        "short_year": f"{moment.year % 100:02d}" if moment else "",
        "month": f"{moment.month:02d}" if moment else "",
        "i_month": str(moment.month) if moment else "",
        "day": f"{moment.day:02d}" if moment else "",
        "i_day": str(moment.day) if moment else "",
        "y_day": f"{moment.timetuple().tm_yday:03d}" if moment else "",
    }
    names = sorted(values, key=len, reverse=True)
    placeholder = re.compile(":(" + "|".join(names) + ")")
    url = placeholder.sub(lambda m: values[m.group(1)], pattern)
    return re.sub(r"/{2,}", "/", "/" + url)


def _map_hugo(site: SiteMap) -> None:
    hugo = build_hugo_site(site.root.path, site.root.config)
    site.hugo = hugo
    for url, source in hugo.urls():
        _add(site, url, source)


def front_matter_defaults(site: SiteRoot, path: Path, collection: str | None) -> dict[str, Any]:
    """The front-matter values Jekyll's `defaults` give the page at `path` (of this collection).

    Later entries win over earlier ones, as in Jekyll; a page's own front matter wins over all.
    """
    if site.kind != "jekyll":
        return {}
    try:
        relative = PurePosixPath(path.resolve().relative_to(site.path.resolve()).as_posix())
    except ValueError:
        return {}
    values: dict[str, Any] = {}
    for entry in site.config.get("defaults") or []:
        if not isinstance(entry, Mapping):
            continue
        scope = entry.get("scope") or {}
        given = entry.get("values") or {}
        if not isinstance(scope, Mapping) or not isinstance(given, Mapping):
            continue
        scope_path = str(scope.get("path") or "").strip("/")
        if scope_path and not _in_scope(relative, scope_path):
            continue
        scope_type = scope.get("type")
        if scope_type and scope_type != (collection or "pages"):
            continue
        values.update(given)
    return values


def _in_scope(relative: PurePosixPath, scope_path: str) -> bool:
    if "*" in scope_path:
        # Jekyll globs the pattern from the site's root (`Dir.glob`) and applies the default to a
        # file that is a match or lies under one: anchored, `*` within a folder, `**` across them.
        pattern = tuple(part for part in scope_path.split("/") if part)
        return any(_glob_parts(relative.parts[:length], pattern) for length in range(1, len(relative.parts) + 1))
    return relative.as_posix() == scope_path or relative.as_posix().startswith(scope_path + "/")


def _glob_parts(parts: tuple[str, ...], pattern: tuple[str, ...]) -> bool:
    if not pattern:
        return not parts
    if pattern[0] == "**":
        return any(_glob_parts(parts[skip:], pattern[1:]) for skip in range(len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], pattern[0]) and _glob_parts(parts[1:], pattern[1:])


def collection_of(site: SiteRoot, path: Path) -> str | None:
    """The Jekyll collection (`posts`, or a configured one) a file belongs to, or None for a page."""
    try:
        relative = path.resolve().relative_to(site.path.resolve())
    except ValueError:
        return None
    # Jekyll reads drafts into the posts collection: `type: posts` defaults apply to them too.
    if "_posts" in relative.parts or "_drafts" in relative.parts:
        return "posts"
    top = relative.parts[0] if len(relative.parts) > 1 else ""
    collections = site.config.get("collections") or {}
    names = collections if isinstance(collections, Mapping) else _as_list(collections)
    if top.startswith("_") and top[1:] in names:
        return top[1:]
    return None


def dialect_for(site: SiteRoot | None, path: Path, text: str) -> Dialect:
    """How the file at `path` becomes a page: by its site, its place in it and its front matter.

    Jekyll renders only files with front matter (others are copied as they are) and runs Liquid
    on them first; GitHub shows the repository's own files (README, `.github/`) with cmark-gfm.
    """
    if site is None or site.kind == "plain":
        return DEFAULT_DIALECT
    try:
        relative = path.resolve().relative_to(site.path.resolve())
    except ValueError:
        return DEFAULT_DIALECT
    if (relative.parts and relative.parts[0] == ".github") or (
        path.stem.lower() == "readme" and len(relative.parts) == 1
    ):
        return DEFAULT_DIALECT
    if site.kind == "jekyll":
        if not text.startswith("---"):
            return DEFAULT_DIALECT
        markdown = str(site.config.get("markdown") or "kramdown").lower()
        if markdown != "kramdown":
            return Dialect("gfm", "liquid", github_view=True)
        return Dialect("kramdown", "liquid", github_view=True)
    resolved = path.resolve()
    for folder in content_dirs(site.path, site.config):
        if resolved.is_relative_to(folder):
            return Dialect("goldmark", "hugo", github_view=True)
    return DEFAULT_DIALECT
