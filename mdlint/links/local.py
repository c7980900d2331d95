"""Local link targets: files, site pages and fragments, checked without the network.

Relative paths must name an existing file with exactly that case, even on a case-insensitive
file system. Root-relative paths (`/about/`) resolve against the site root: the nearest folder
with Jekyll's `_config.yml` or Hugo's `hugo.toml`/`hugo.yaml`/`config.toml` (whose `static/` is
served at `/`), or the `site-root` option. A URL is alive when a file sits there or some page
produces it (front-matter `permalink`/`url`, Jekyll's permalink pattern for posts and collections,
`redirect_from`/`aliases`); the site map is built once per run. Fragments must match a heading id
(GitHub's or kramdown's slugs), a `{#id}`, an `<a name>` or any HTML `id`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

import regex
import yaml

from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import Node
from mdlint.source.text import SourceText

__all__ = [
    "AnchorStyle",
    "LocalChecker",
    "SiteMap",
    "SiteRoot",
    "anchor_ids",
    "build_site_map",
    "find_site_root",
    "heading_slug",
]

AnchorStyle = Literal["github", "kramdown"]

_JEKYLL_CONFIG = ("_config.yml", "_config.yaml")
_HUGO_CONFIG = ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml")
_PAGE_SUFFIXES = (".md", ".markdown", ".html", ".htm")
_SKIP_DIRS = frozenset({".git", "node_modules", "_site", "public", "vendor", ".jekyll-cache", "resources"})
_BUILTIN_PERMALINKS = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_POST_FILE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")
_GITHUB_DROP = regex.compile(r"[^\p{Word}\- ]")
_KRAMDOWN_LEAD = re.compile(r"^[^a-zA-Z]+")
_KRAMDOWN_DROP = re.compile(r"[^a-zA-Z0-9 -]")
_ATTRIBUTE_ID = re.compile(r"\{:?\s*#([^\s}]+)[^}]*\}")
_HTML_ID = re.compile(r"<[A-Za-z][^<>]*?\s(?:id|name)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))")
_TRAILING_ATTRIBUTES = re.compile(r"\s*\{:?\s*#[^}]*\}\s*$")


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
    for name in _HUGO_CONFIG:
        if (folder / name).is_file():
            return SiteRoot(folder, "hugo")
    return None


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
    content = site.root.path / "content"
    if not content.is_dir():
        return
    for path in _walk_files(content):
        if path.suffix.lower() not in _PAGE_SUFFIXES:
            continue
        relative = path.relative_to(content)
        data = _front_matter(path)
        if data.get("url"):
            _add(site, str(data["url"]), path)
        for alias in _as_list(data.get("aliases")):
            _add(site, alias, path)
        parts = list(relative.with_suffix("").parts)
        if parts[-1] in ("index", "_index"):
            parts.pop()
        elif data.get("slug"):
            parts[-1] = str(data["slug"])
        url = "/" + "/".join(parts) + "/"
        _add(site, url, path)
        _add(site, url.lower(), path)


def _inline_text(node: Node) -> str:
    if node.type in ("text", "codespan"):
        return node.raw
    if node.type in ("inline_html", "softbreak", "linebreak"):
        return " " if node.type != "inline_html" else ""
    return "".join(_inline_text(child) for child in node.children)


def heading_slug(text: str, style: AnchorStyle) -> str:
    """The id a heading's text gets in GitHub's or kramdown's style (before de-duplication)."""
    if style == "kramdown":
        slug = _KRAMDOWN_LEAD.sub("", text)
        slug = _KRAMDOWN_DROP.sub("", slug).replace(" ", "-").lower()
        return slug or "section"
    return _GITHUB_DROP.sub("", text.strip().lower()).replace(" ", "-")


def anchor_ids(document: Document, style: AnchorStyle) -> frozenset[str]:
    """Every fragment a link into this document may name."""
    ids: set[str] = set()
    seen: dict[str, int] = {}
    for heading in document.nodes("heading"):
        text = _inline_text(heading)
        explicit = _ATTRIBUTE_ID.search(text)
        if explicit and _TRAILING_ATTRIBUTES.search(text):
            ids.add(explicit.group(1))
            if style == "kramdown":
                continue
            text = _TRAILING_ATTRIBUTES.sub("", text)
        slug = heading_slug(text, style)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        ids.add(slug if count == 0 else f"{slug}-{count}")
    ids.update(_html_ids(document.text))
    ids.update(match.group(1) for match in _ATTRIBUTE_ID.finditer(document.text))
    return frozenset(ids)


def _html_ids(text: str) -> set[str]:
    return {next(group for group in match.groups() if group is not None) for match in _HTML_ID.finditer(text)}


@dataclass
class LocalChecker:
    """Checks local link targets for one run; directory listings and site maps are kept per run."""

    memo: Callable[[str, Any, Callable[[], Any]], Any]
    load: Callable[[Path], Document | None]
    site_root_override: Path | None = None
    anchor_style: AnchorStyle = "github"
    check_fragments: bool = True
    _listings: dict[Path, frozenset[str] | None] = field(default_factory=dict, repr=False)

    def problem(self, document: Document, path: str, fragment: str | None, source_file: bool = False) -> str | None:
        """Why the local target `path#fragment` linked from `document` is missing, or None when it exists."""
        here = Path(document.path)
        if not path:
            return self._fragment_problem(document, fragment, "this file")
        site = self._site(here)
        if source_file:
            if site is None:
                return None
            return self._file_problem(site.path / path.lstrip("/"), path, fragment)
        if path.startswith("/"):
            return self._site_problem(site, path, fragment)
        target = Path(os.path.normpath(here.parent / path))
        if self._exists(target):
            return self._target_fragment_problem(target, path, fragment)
        if site is not None and site.kind != "plain":
            # Pages are linked relative to their URL, not their source file.
            own_url = self._own_url(site, here)
            if own_url is not None:
                resolved = (
                    os.path.normpath(own_url.rstrip("/") + "/../" + path)
                    if not own_url.endswith("/")
                    else (os.path.normpath(own_url + path))
                )
                if self._site_target(site, resolved) is not None:
                    return None
        return self._missing_message(target, path)

    def post_problem(self, document: Document, name: str) -> str | None:
        """Why `{% post_url name %}` names no post, or None when the post exists (or no site is known)."""
        site = self._site(Path(document.path))
        if site is None or site.kind != "jekyll":
            return None
        stem = name.rsplit("/", 1)[-1]
        stem = stem.rsplit(".", 1)[0] if stem.endswith((".md", ".markdown", ".html")) else stem
        if stem in self._site_map(site).posts:
            return None
        return f"no post `{name}` in _posts/"

    def _site(self, here: Path) -> SiteRoot | None:
        # Memoised by the folder as written first: resolving it for every link is slow.
        found: SiteRoot | None = self.memo(
            "link-dead.site-root-as-given", (here.parent, self.site_root_override), lambda: self._site_resolved(here)
        )
        return found

    def _site_resolved(self, here: Path) -> SiteRoot | None:
        folder = here.resolve().parent
        found: SiteRoot | None = self.memo(
            "link-dead.site-root",
            (folder, self.site_root_override),
            lambda: find_site_root(here, self.site_root_override),
        )
        return found

    def _site_map(self, site: SiteRoot) -> SiteMap:
        found: SiteMap = self.memo("link-dead.site-map", site.path, lambda: build_site_map(site))
        return found

    def _own_url(self, site: SiteRoot, here: Path) -> str | None:
        resolved = here.resolve()
        for url, source in self._site_map(site).pages.items():
            if source.resolve() == resolved:
                return url + "/"
        return None

    def _site_target(self, site: SiteRoot, url_path: str) -> Path | None:
        path = unquote(url_path)
        if site.baseurl and (path == site.baseurl or path.startswith(site.baseurl + "/")):
            path = path[len(site.baseurl) :] or "/"
        page = self._site_map(site).page(path)
        if page is not None:
            return page
        bases = [site.path / "static", site.path / "content"] if site.kind == "hugo" else [site.path]
        relative = path.lstrip("/")
        stem = relative.rstrip("/")
        for base in bases:
            candidates: list[Path] = []
            if stem:
                candidates += [base / stem, base / f"{stem}.html", base / f"{stem}.md", base / f"{stem}.markdown"]
                if stem.endswith((".html", ".htm")):
                    source = stem.rsplit(".", 1)[0]
                    candidates += [base / f"{source}.md", base / f"{source}.markdown"]
            candidates += [base / stem / name for name in ("index.html", "index.md", "_index.md", "README.md")]
            for candidate in candidates:
                if self._exists(candidate) and not candidate.is_dir():
                    return candidate
            if self._exists(base / stem):
                return base / stem
        return None

    def _site_problem(self, site: SiteRoot | None, path: str, fragment: str | None) -> str | None:
        if site is None:
            # Without a site root a root-relative path cannot be resolved; say nothing.
            return None
        target = self._site_target(site, path)
        if target is None:
            return f"no file or page produces `{path}` under the site root {site.path.name}/"
        if target.is_dir():
            return None
        return self._target_fragment_problem(target, path, fragment)

    def _file_problem(self, target: Path, shown: str, fragment: str | None) -> str | None:
        if not self._exists(target):
            return self._missing_message(target, shown)
        return self._target_fragment_problem(target, shown, fragment)

    def _missing_message(self, target: Path, shown: str) -> str:
        near = self._case_variant(target)
        if near is not None:
            return f"`{shown}` does not exist (names are case-sensitive; found `{near}`)"
        return f"`{shown}` does not exist"

    def _target_fragment_problem(self, target: Path, shown: str, fragment: str | None) -> str | None:
        if not fragment or not self.check_fragments or target.is_dir():
            return None
        if target.suffix.lower() in (".html", ".htm"):
            try:
                text = target.read_text(encoding="utf-8", errors="replace")
            except OSError:
                return None
            return (
                None
                if _fragment_matches(fragment, frozenset(_html_ids(text)))
                else (f"no id `#{fragment}` in `{shown}`")
            )
        if target.suffix.lower() not in (".md", ".markdown"):
            return None
        document = self.load(target)
        if document is None:
            return None
        return self._fragment_problem(document, fragment, f"`{shown}`")

    def _fragment_problem(self, document: Document, fragment: str | None, where: str) -> str | None:
        if not fragment or not self.check_fragments or fragment == "top":
            return None
        ids: frozenset[str] = self.memo(
            "link-dead.anchors", (id(document), self.anchor_style), lambda: anchor_ids(document, self.anchor_style)
        )
        if _fragment_matches(fragment, ids):
            return None
        return f"no heading or id `#{fragment}` in {where}"

    def _listing(self, folder: Path) -> frozenset[str] | None:
        if folder not in self._listings:
            try:
                self._listings[folder] = frozenset(os.listdir(folder))
            except OSError:
                self._listings[folder] = None
        return self._listings[folder]

    def _exists(self, target: Path) -> bool:
        """Whether `target` exists with exactly this spelling, even on a case-insensitive file system."""
        if not target.exists():
            return False
        absolute = Path(os.path.abspath(target))
        for part in [absolute, *absolute.parents][:-1]:
            listing = self._listing(part.parent)
            if listing is not None and part.name not in listing:
                return False
        return True

    def _case_variant(self, target: Path) -> str | None:
        listing = self._listing(Path(os.path.abspath(target.parent)))
        if not listing:
            return None
        lowered = target.name.lower()
        for name in sorted(listing):
            if name.lower() == lowered:
                return name
        return None


def _fragment_matches(fragment: str, ids: frozenset[str]) -> bool:
    wanted = unquote(fragment)
    return wanted in ids or wanted.lower() in ids or wanted in {i.lower() for i in ids}
