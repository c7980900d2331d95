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
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

import regex

from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import Node
from mdlint.site.jekyll import find_post
from mdlint.site.model import SiteMap, SiteRoot, build_site_map, find_site_root, url_key

__all__ = [
    "AnchorStyle",
    "LocalChecker",
    "anchor_ids",
    "heading_slug",
]

AnchorStyle = Literal["github", "kramdown"]

_GITHUB_DROP = regex.compile(r"[^\p{Word}\- ]")
_KRAMDOWN_LEAD = re.compile(r"^[^a-zA-Z]+")
_KRAMDOWN_DROP = re.compile(r"[^a-zA-Z0-9 -]")
_ATTRIBUTE_ID = re.compile(r"\{:?\s*#([^\s}]+)[^}]*\}")
_HTML_ID = re.compile(r"<[A-Za-z][^<>]*?\s(?:id|name)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))")
_TRAILING_ATTRIBUTES = re.compile(r"\s*\{:?\s*#[^}]*\}\s*$")


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
            if site.kind == "jekyll":
                return self._jekyll_file_problem(site, path, fragment)
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
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(own_url), path))
                if path.endswith("/") and not resolved.endswith("/"):
                    resolved += "/"
                if self._site_target(site, resolved) is not None:
                    return None
        return self._missing_message(target, path)

    def post_problem(self, document: Document, name: str, fragment: str | None = None) -> str | None:
        """Why `{% post_url name %}` names no post, or None when the post exists (or no site is known)."""
        site = self._site(Path(document.path))
        if site is None or site.kind != "jekyll":
            return None
        post = find_post(self._site_map(site).posts, name)
        if post is None:
            return f"no published post `{name}` in _posts/ (Jekyll fails the build)"
        return self._target_fragment_problem(post.source, name, fragment)

    def _jekyll_file_problem(self, site: SiteRoot, path: str, fragment: str | None) -> str | None:
        # `{% link %}` accepts the source path of a file the build writes, as Jekyll names it.
        files = self._site_map(site).files
        if path not in files and "/" + path not in files:
            return f"no page, document or static file `{path}` in the site (Jekyll fails the build)"
        return self._target_fragment_problem(site.path / path.lstrip("/"), path, fragment)

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
        """The URL of the page at `here`; a URL ending in `/` is a folder for its relative links."""
        resolved = here.resolve()
        site_map = self._site_map(site)
        if site.kind == "jekyll":
            written = site_map.urls.get(resolved)
            return None if written is None else written.removesuffix("index.html")
        for url, source in site_map.pages.items():
            if source.resolve() == resolved:
                return url + "/"
        return None

    def _site_target(self, site: SiteRoot, url_path: str) -> Path | None:
        path = unquote(url_path)
        if site.baseurl and (path == site.baseurl or path.startswith(site.baseurl + "/")):
            path = path[len(site.baseurl) :] or "/"
        site_map = self._site_map(site)
        page = site_map.page(path)
        if page is not None:
            return page
        if site.kind == "jekyll":
            # The build writes exactly the pages and files of the site map; nothing else is served.
            return site_map.static.get(url_key(path))
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
        try:
            if not target.exists():
                return False
        except OSError:  # a name too long for the file system, say: no such file
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
