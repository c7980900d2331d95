"""The site a file belongs to: its generator, its configuration and the URLs its pages get.

A Markdown file in a Jekyll or Hugo site is a page, not a README: the generator decides its
URL, the URLs its links point at and the front-matter fields it gets. The nearest folder with a
generator's configuration file is the site's root; the site map (every page's URL) is built
once per run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urlsplit

from mdlint.markdown.dialect import DEFAULT_DIALECT, Dialect
from mdlint.site.config_files import HUGO_CONFIG_FILES, JEKYLL_CONFIG_FILES
from mdlint.source.decoding import UnreadableFileError, read_regular_file
from mdlint.source.yaml_loading import yaml_value

if TYPE_CHECKING:
    from mdlint.site.hugo import HugoSite
    from mdlint.site.jekyll import JekyllPost

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


@dataclass(frozen=True)
class SiteRoot:
    """A static site's root folder and how it maps URLs to files."""

    path: Path
    kind: Literal["jekyll", "hugo", "plain"]
    baseurl: str = ""
    config: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @cached_property
    def liquid_variables(self) -> dict[str, str]:
        """The configuration's scalars as Liquid prints them (`site.baseurl`, `site.url`, …); Jekyll only."""
        if self.kind != "jekyll":
            return {}
        from mdlint.site import jekyll

        return jekyll.site_variables(self.config)


@dataclass
class SiteMap:
    """URL paths that pages produce (normal form, see `url_key`) and the source file of each.

    `static` holds the files a Jekyll build copies as they are (same normal form); `files` the
    source paths Jekyll's `{% link %}` accepts, with their URLs; `urls` each rendered source
    file's URL as the generator writes it (by resolved path); `posts` Jekyll's published posts;
    `hugo` Hugo's own model (content paths for `ref` and `.GetPage`, published files, hooks).
    """

    root: SiteRoot
    pages: dict[str, Path] = field(default_factory=dict)
    posts: list[JekyllPost] = field(default_factory=list)
    static: dict[str, Path] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    urls: dict[Path, str] = field(default_factory=dict)
    # Hugo's model of the site (pages, lookups, published files, render hooks); None for Jekyll.
    hugo: HugoSite | None = None

    def page(self, url_path: str) -> Path | None:
        """The source file producing this URL path, if a page does."""
        return self.pages.get(url_key(url_path))


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
        data = yaml_value(read_regular_file(path).decode("utf-8"), pure_python=True)
    except (UnreadableFileError, ValueError):  # UnicodeDecodeError is a ValueError
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
    for name in JEKYLL_CONFIG_FILES:
        if (folder / name).is_file():
            config = _load_yaml(folder / name)
            baseurl = str(config.get("baseurl") or "").rstrip("/")
            return SiteRoot(folder, "jekyll", baseurl, config)
    # Hugo's module is loaded only for a folder that may be a Hugo site: most runs meet none.
    if not any((folder / name).is_file() for name in HUGO_CONFIG_FILES) and not (folder / "config").is_dir():
        return None
    from mdlint.site.hugo import load_config

    hugo_config = load_config(folder)
    if hugo_config is not None:
        return SiteRoot(folder, "hugo", _hugo_base_path(hugo_config), hugo_config)
    return None


def _hugo_base_path(config: Mapping[str, Any]) -> str:
    """The path of Hugo's `baseURL` (`/docs` for `https://example.org/docs/`), "" at a host's root."""
    value = next((config[key] for key in config if str(key).lower() == "baseurl"), "")
    path = urlsplit(str(value or "")).path
    return path.rstrip("/")


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
    from mdlint.site import jekyll

    found = jekyll.read_site(site.root.path, site.root.config)
    for url, source in [*found.pages.items(), *found.redirects.items()]:
        _add(site, url, source)
    for url, source in found.static.items():
        site.static.setdefault(url_key(url), source)
    site.posts.extend(found.posts)
    site.files.update(found.files)
    site.urls.update(found.urls)


def _map_hugo(site: SiteMap) -> None:
    from mdlint.site.hugo import build_hugo_site

    hugo = build_hugo_site(site.root.path, site.root.config)
    site.hugo = hugo
    for url, source in hugo.urls():
        _add(site, url, source)
    for page in hugo.pages:
        if page.url is not None:
            site.urls.setdefault(page.source, page.url)


def front_matter_defaults(site: SiteRoot, path: Path, collection: str | None) -> dict[str, Any]:
    """The front-matter values Jekyll's `defaults` give the page at `path` (of this collection).

    The most specific matching scope wins, as in Jekyll (see `jekyll.defaults_for`); a page's own
    front matter wins over all.
    """
    if site.kind != "jekyll":
        return {}
    try:
        relative = path.resolve().relative_to(site.path.resolve()).as_posix()
    except ValueError:
        return {}
    collections_dir = str(site.config.get("collections_dir") or "").strip("/")
    if collection is not None and collections_dir and relative.startswith(collections_dir + "/"):
        # Documents are scoped by their path inside `collections_dir`.
        relative = relative[len(collections_dir) + 1 :]
    from mdlint.site import jekyll

    return jekyll.defaults_for(site.config, relative, collection or "pages")


def collection_of(site: SiteRoot, path: Path) -> str | None:
    """The Jekyll collection (`posts`, or a configured one) a file belongs to, or None for a page."""
    try:
        relative = path.resolve().relative_to(site.path.resolve())
    except ValueError:
        return None
    from mdlint.site import jekyll

    return jekyll.collection_of(site.path, site.config, relative)


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
        kramdown = site.config.get("kramdown")
        parse_block_html = isinstance(kramdown, Mapping) and kramdown.get("parse_block_html") is True
        return Dialect("kramdown", "liquid", github_view=True, parse_block_html=parse_block_html)
    from mdlint.site.hugo import content_dirs

    resolved = path.resolve()
    for folder in content_dirs(site.path, site.config):
        if resolved.is_relative_to(folder):
            return Dialect("goldmark", "hugo", github_view=True)
    return DEFAULT_DIALECT
