"""Local link targets: files, site pages and fragments, checked without the network.

Relative paths must name an existing file with exactly that case, even on a case-insensitive
file system. Root-relative paths (`/about/`) resolve against the site root: the nearest folder
with Jekyll's `_config.yml` or Hugo's configuration, or the `site-root` option. A URL is alive
when a file sits there or some page produces it (front-matter `permalink`/`url`, Jekyll's
permalink pattern for posts and collections, `redirect_from`/`aliases`); the site map is built
once per run. Fragments must match an id the file's renderer gives a heading (GitHub's, kramdown's
or Goldmark's), a `{#id}`, an `<a name>` or any HTML `id`.

A Hugo page is linked as Hugo writes it: a relative destination is relative to the page's URL,
not its source file; a render hook may find a page by its content path (`.GetPage`) or a
resource; `ref`/`relref` find a page as Hugo does and fail the build when they cannot.
"""

from __future__ import annotations

import errno
import os
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

import regex

from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import Node
from mdlint.site.hugo import HeadingIds, HugoPage, HugoSite, heading_ids
from mdlint.site.jekyll import find_post
from mdlint.site.model import SiteMap, SiteRoot, build_site_map, find_site_root, url_key
from mdlint.source.decoding import UnreadableFileError, read_regular_file
from mdlint.source.paths import is_dir, is_file, path_exists

__all__ = [
    "AnchorStyle",
    "LinkVia",
    "LocalChecker",
    "anchor_ids",
    "heading_slug",
]

# "auto" follows the file's renderer; the others force one way of making ids for every file.
AnchorStyle = Literal["auto", "github", "kramdown", "goldmark"]
# What carries a destination: a Markdown link, a Markdown image (both pass Hugo's render hooks)
# or an HTML attribute (which no hook sees).
LinkVia = Literal["link", "image", "html"]

_GITHUB_DROP = regex.compile(r"[^\p{Word}\- ]")
_KRAMDOWN_LEAD = re.compile(r"^[^a-zA-Z]+")
_KRAMDOWN_DROP = re.compile(r"[^a-zA-Z0-9 -]")
_ATTRIBUTE_ID = re.compile(r"\{:?\s*#([^\s}]+)[^}]*\}")
_HTML_ID = re.compile(r"<[A-Za-z][^<>]*?\s(?:id|name)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))")
_TRAILING_ATTRIBUTES = re.compile(r"\s*\{:?\s*#[^}]*\}\s*$")
# Goldmark's heading attributes: `## Title {#id .class key=value}` at the end of the heading.
_GOLDMARK_ATTRIBUTES = re.compile(
    r"""\s*\{(?P<body>(?:\s*(?:[#.][^\s{}]+|[\w-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s{}]+)))+)\s*\}\s*$"""
)
_GOLDMARK_ID = re.compile(r"""(?:^|\s)(?:#([^\s{}]+)|id\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s{}]+)))""")
_ATX_OPEN = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
# A shortcode whose first argument is a content path: `{{% include "/_common/x.md" %}}`.
_SHORTCODE_PATH = re.compile(
    r"""\{\{[<%]\s*[\w./-]+\s+(?:"([^"\s]*[/.][^"\s]*)"|`([^`\s]*[/.][^`\s]*)`|([^\s"`>%]*[/.][^\s"`>%]*))"""
)
# kramdown's block IAL on the line below a heading: `{: #id}`.
_IAL_LINE = re.compile(r"[ \t]*\{:?[ \t]*#([^\s}]+)[^}\n]*\}[ \t]*(?:\n|$)")
_DEFINITION = re.compile(r" {0,3}:[ \t]")


def _inline_text(node: Node) -> str:
    if node.type in ("text", "codespan"):
        return node.raw
    if node.type in ("inline_html", "softbreak", "linebreak"):
        return " " if node.type != "inline_html" else ""
    return "".join(_inline_text(child) for child in node.children)


def heading_slug(text: str, style: AnchorStyle) -> str:
    """The id a heading's text gets in GitHub's, kramdown's or Goldmark's style (before de-duplication)."""
    if style == "kramdown":
        slug = _KRAMDOWN_LEAD.sub("", text)
        slug = _KRAMDOWN_DROP.sub("", slug).replace(" ", "-").lower()
        return slug or "section"
    if style == "goldmark":
        return _goldmark_slug(text, "github")
    return _GITHUB_DROP.sub("", text.strip().lower()).replace(" ", "-")


def _goldmark_slug(text: str, id_type: str) -> str:
    """Hugo's id for a heading text (`autoHeadingIDType`), "" when nothing is left of it."""
    if id_type == "blackfriday":
        out: list[str] = []
        dash = False
        for char in text:
            if char.isalpha() or char.isnumeric():
                if dash and out:
                    out.append("-")
                dash = False
                out.append(char.lower())
            else:
                dash = True
        return "".join(out)
    ascii_only = id_type == "github-ascii"
    if ascii_only:
        decomposed = unicodedata.normalize("NFD", text)
        text = unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))
    kept: list[str] = []
    for char in text.strip():
        if ascii_only and ord(char) > 127:
            continue
        if char in "- ":
            kept.append("-")
        elif char == "_" or char.isalpha() or char.isdecimal():
            kept.append(char.lower())
    return "".join(kept)


@dataclass(frozen=True, slots=True)
class _Anchor:
    """Something Goldmark gives an id, in document order: a heading or a definition term."""

    offset: int
    kind: Literal["heading", "term"]
    explicit: str | None
    source: str  # the heading's last source line (what Hugo < 0.144 made the id of)
    plain: str  # its text without markup (Hugo >= 0.144)


def _goldmark_ids(document: Document, settings: HeadingIds) -> set[str]:
    anchors = [_heading_anchor(document, heading) for heading in document.nodes("heading")]
    if settings.definition_terms:
        anchors += _definition_terms(document)
    anchors.sort(key=lambda anchor: anchor.offset)
    ids: set[str] = set()
    readings = ("source", "plain") if settings.text == "both" else (settings.text,)
    for reading in readings:
        used: set[str] = set()
        for anchor in anchors:
            if anchor.explicit is not None:
                used.add(anchor.explicit)
                continue
            # Definition terms have ids only since Hugo 0.144, made from their plain text.
            text = anchor.plain if reading == "plain" or anchor.kind == "term" else anchor.source
            if anchor.kind == "heading" and not settings.auto_heading:
                continue
            base = _goldmark_slug(text, settings.id_type) or anchor.kind
            candidate = base
            number = 0
            while candidate in used:
                number += 1
                candidate = f"{base}-{number}"
            used.add(candidate)
        ids |= used
    return ids


def _heading_anchor(document: Document, heading: Node) -> _Anchor:
    source = document.text[heading.start : heading.end]
    if heading.attrs.get("style") == "setext":
        lines = source.splitlines()[:-1] or [""]
        line = lines[-1].strip()
    else:
        line = _ATX_CLOSE.sub("", _ATX_OPEN.sub("", source.splitlines()[0] if source else "")).strip()
    plain = _inline_text(heading).rsplit("\n", 1)[-1]
    attributes = _GOLDMARK_ATTRIBUTES.search(line)
    explicit = None
    if attributes is not None:
        line = line[: attributes.start()]
        plain = _GOLDMARK_ATTRIBUTES.sub("", plain)
        found = _GOLDMARK_ID.search(attributes.group("body"))
        if found is not None:
            explicit = next(group for group in found.groups() if group is not None)
    if heading.attrs.get("style") == "setext":
        # Only the last line of a multi-line heading makes its id.
        last = [child for child in heading.children if child.type in ("softbreak", "linebreak")]
        if last:
            plain = "".join(_inline_text(child) for child in heading.children if child.start >= last[-1].end)
    return _Anchor(heading.start, "heading", explicit, line, plain.strip())


def _lines_of(node: Node) -> list[list[Node]]:
    lines: list[list[Node]] = [[]]
    for child in node.children:
        if child.type in ("softbreak", "linebreak"):
            lines.append([])
        else:
            lines[-1].append(child)
    return [line for line in lines if line]


def _definition_terms(document: Document) -> list[_Anchor]:
    """Goldmark's definition terms: the lines of a paragraph just above a `: definition` line."""
    terms: list[_Anchor] = []
    text = document.text
    previous: tuple[Node, bool] | None = None
    for node in document.nodes("paragraph", "block_text"):
        lines = _lines_of(node)
        starts = [line[0].start for line in lines]
        definition = [_DEFINITION.match(text, text.rfind("\n", 0, start) + 1) is not None for start in starts]
        first = definition.index(True) if True in definition else None
        candidates: list[list[Node]] = []
        if first is not None and first > 0:
            candidates = lines[:first]
        elif first == 0 and previous is not None:
            above, above_defines = previous
            if not above_defines and not text[above.end : node.start].strip():
                candidates = _lines_of(above)
        for line in candidates:
            plain = "".join(_inline_text(child) for child in line).strip()
            terms.append(_Anchor(line[0].start, "term", None, plain, plain))
        previous = (node, first is not None)
    return terms


def _style_for(document: Document, config: Mapping[str, Any] | None) -> AnchorStyle:
    renderer = document.dialect.renderer
    if renderer == "goldmark":
        return "goldmark"
    if renderer == "kramdown":
        # Jekyll parses with kramdown's GFM parser unless told otherwise; it makes GitHub's ids.
        settings = (config or {}).get("kramdown")
        wanted = str(settings.get("input") or "GFM") if isinstance(settings, Mapping) else "GFM"
        return "github" if wanted.lower() == "gfm" else "kramdown"
    return "github"


def anchor_ids(document: Document, style: AnchorStyle = "auto", site: SiteRoot | None = None) -> frozenset[str]:
    """Every fragment a link into this document may name.

    `style` "auto" follows the file's renderer (`document.dialect`) and its site's settings:
    Goldmark as Hugo configures it, kramdown (GitHub's ids with its GFM parser), or GitHub.
    """
    config = site.config if site is not None else None
    if style == "auto":
        style = _style_for(document, config)
    ids: set[str] = set()
    if style == "goldmark":
        ids |= _goldmark_ids(document, heading_ids(config if site is not None and site.kind == "hugo" else None))
    else:
        ids |= _heading_ids(document, style, kramdown=style == "kramdown" or document.dialect.renderer == "kramdown")
    ids.update(_html_ids(document.text))
    ids.update(match.group(1) for match in _ATTRIBUTE_ID.finditer(document.text))
    return frozenset(ids)


def _heading_ids(document: Document, style: AnchorStyle, *, kramdown: bool) -> set[str]:
    """GitHub's or kramdown's heading ids; with kramdown, a `{#id}` or an IAL below replaces the auto id."""
    ids: set[str] = set()
    seen: dict[str, int] = {}
    text_of = document.text
    for heading in document.nodes("heading"):
        text = _inline_text(heading)
        explicit = _ATTRIBUTE_ID.search(text)
        if explicit and _TRAILING_ATTRIBUTES.search(text):
            ids.add(explicit.group(1))
            if kramdown:
                continue
            text = _TRAILING_ATTRIBUTES.sub("", text)
        if kramdown:
            below = _IAL_LINE.match(text_of, heading.end + (1 if text_of.startswith("\n", heading.end) else 0))
            if below is not None:
                ids.add(below.group(1))
                continue
        if style == "kramdown":
            # kramdown's own parser makes the id from the heading as written, link targets and all.
            text = _TRAILING_ATTRIBUTES.sub("", _heading_anchor(document, heading).source)
        slug = heading_slug(text, style)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        ids.add(slug if count == 0 else f"{slug}-{count}")
    return ids


def _html_ids(text: str) -> set[str]:
    return {next(group for group in match.groups() if group is not None) for match in _HTML_ID.finditer(text)}


def _bare_word(path: str) -> bool:
    """`g`, `glossary`: no folder, no file extension; a page-relative path only a render hook gives meaning."""
    return "/" not in path and "." not in path


@dataclass
class LocalChecker:
    """Checks local link targets for one run; directory listings and site maps are kept per run."""

    memo: Callable[[str, Any, Callable[[], Any]], Any]
    load: Callable[[Path], Document | None]
    site_root_override: Path | None = None
    anchor_style: AnchorStyle = "auto"
    check_fragments: bool = True
    _listings: dict[Path, frozenset[str] | None] = field(default_factory=dict, repr=False)

    def problem(
        self,
        document: Document,
        path: str,
        fragment: str | None,
        source_file: bool = False,
        via: LinkVia = "link",
    ) -> str | None:
        """Why the local target `path#fragment` linked from `document` is missing, or None when it exists."""
        try:
            return self._problem(document, path, fragment, source_file, via)
        except OSError as error:
            return _os_error_verdict(error, path)

    def _problem(
        self, document: Document, path: str, fragment: str | None, source_file: bool, via: LinkVia
    ) -> str | None:
        here = Path(document.path)
        site = self._site(here)
        if site is not None and site.kind == "hugo" and not source_file:
            hugo = self._site_map(site).hugo
            page = self._hugo_page(hugo, here) if hugo is not None else None
            if hugo is not None and page is not None:
                return self._hugo_problem(site, hugo, page, document, path, fragment, via)
        if not path:
            return self._fragment_problem(document, fragment, "this file")
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
        if self._outside_repository(here, target):
            # GitHub resolves `../../issues` from a file's view into the repository's own pages
            # (issues, graphs, wiki), which are no files: nothing here can say whether they exist.
            return None
        return self._missing_message(target, path)

    def _outside_repository(self, here: Path, target: Path) -> bool:
        folder = Path(os.path.abspath(here.parent))
        root: Path | None = self.memo("link-dead.repository-root", folder, lambda: _repository_root(folder))
        return root is not None and not Path(os.path.abspath(target)).is_relative_to(root)

    def post_problem(self, document: Document, name: str, fragment: str | None = None) -> str | None:
        """Why `{% post_url name %}` names no post, or None when the post exists (or no site is known)."""
        try:
            return self._post_problem(document, name, fragment)
        except OSError as error:
            return _os_error_verdict(error, name)

    def _post_problem(self, document: Document, name: str, fragment: str | None) -> str | None:
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

    def ref_problem(self, document: Document, reference: str, fragment: str | None, language: str | None) -> str | None:
        """Why Hugo's `ref`/`relref` to `reference#fragment` fails, or None when it finds the page.

        Outside a Hugo site's content nothing expands the shortcode, so nothing is reported.
        """
        try:
            return self._ref_problem(document, reference, fragment, language)
        except OSError as error:
            return _os_error_verdict(error, reference)

    def _ref_problem(
        self, document: Document, reference: str, fragment: str | None, language: str | None
    ) -> str | None:
        here = Path(document.path)
        site = self._site(here)
        hugo = self._site_map(site).hugo if site is not None and site.kind == "hugo" else None
        page = self._hugo_page(hugo, here) if hugo is not None else None
        if hugo is None or page is None or site is None:
            return None
        shown = f'ref "{reference}"' if reference else f'ref "#{fragment}"'
        if language is not None and language.lower() not in hugo.languages:
            return f"`{shown}` names the language `{language}`, which the site does not have (Hugo fails the build)"
        if not reference:
            target: HugoPage | None = page if language is None or language.lower() == page.language else None
            why: str | None = "page not found"
            if target is None:
                target, why = hugo.lookup(page, page.key, language)
        else:
            target, why = hugo.lookup(page, reference, language)
        if target is None:
            return f"`{shown}`: {why} (REF_NOT_FOUND; Hugo fails the build)"
        return self._page_fragment_problem(target, f"`{shown}`", fragment, document if target is page else None)

    def _hugo_problem(
        self,
        site: SiteRoot,
        hugo: HugoSite,
        page: HugoPage,
        document: Document,
        path: str,
        fragment: str | None,
        via: LinkVia,
    ) -> str | None:
        if not path:
            problem = self._fragment_problem(document, fragment, "this file")
            # A page Hugo does not render is text included in other pages, whose ids it cannot see.
            return problem if page.url is not None else None
        url: str | None = None
        if path.startswith("/"):
            url = path
        elif page.url is not None:
            base = page.url if page.url.endswith("/") else posixpath.dirname(page.url) + "/"
            url = posixpath.normpath(base + path) + ("/" if path.endswith("/") else "")
        if url is not None:
            target = self._site_target(site, url)
            if target is not None:
                return self._site_fragment_problem(target, path, fragment)
        hooked = via != "html" and hugo.has_hook(page, image=via == "image")
        if hooked or (via == "link" and hugo.embedded_link_hook):
            # A render hook may find a page by its content path, or a page, section or global resource.
            found, _ = hugo.lookup(page, path, ref=False)
            if found is not None:
                return self._page_fragment_problem(found, f"`{path}`", fragment)
            if hugo.resource(page, path) is not None:
                return None
        if url is None or (hooked and _bare_word(path)):
            # No URL to resolve against (text included elsewhere), or a word only the hook understands.
            return None
        if path.startswith("/"):
            return f"no file or page produces `{path}` under the site root {site.path.name}/"
        message = f"no file or page produces `{url}` (`{path}` from the page's URL `{page.url}`)"
        if self._exists(Path(os.path.normpath(Path(document.path).parent / path))):
            message += "; Hugo writes a link as it is, so a path relative to the source file does not work"
        return message

    def _hugo_page(self, hugo: HugoSite, here: Path) -> HugoPage | None:
        found: HugoPage | None = self.memo("link-dead.hugo-page", (id(hugo), here), lambda: hugo.page_for(here))
        return found

    def _page_fragment_problem(
        self, target: HugoPage, shown: str, fragment: str | None, document: Document | None = None
    ) -> str | None:
        if not fragment or not self.check_fragments or not is_file(target.source):
            return None
        if document is None:
            if target.source.suffix.lower() not in (".md", ".markdown"):
                return None
            document = self.load(target.source)
            if document is None:
                return None
        return self._fragment_problem(document, fragment, shown)

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

        def find() -> str | None:
            # The map holds each rendered source file's URL as written, by its resolved path.
            written = self._site_map(site).urls.get(here.resolve())
            return None if written is None else written.removesuffix("index.html")

        found: str | None = self.memo("link-dead.own-url", (site.path, here), find)
        return found

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
        if site_map.hugo is not None:
            return self._hugo_file(site_map.hugo, path)
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
                if self._exists(candidate) and not is_dir(candidate):
                    return candidate
            if self._exists(base / stem):
                return base / stem
        return None

    def _hugo_file(self, hugo: HugoSite, path: str) -> Path | None:
        """A file Hugo publishes at `path`: a bundle resource or other content file, or a static file."""
        stem = "/" + path.lstrip("/")
        found = hugo.files.get(stem) or hugo.files.get(stem.rstrip("/"))
        if found is not None:
            return found
        for prefix, folder in hugo.static_dirs:
            lead = "/" + prefix if prefix else ""
            if lead and not (stem == lead or stem.startswith(lead + "/")):
                continue
            inner = stem[len(lead) :].strip("/")
            candidate = folder / inner if inner else folder
            for option in (candidate, candidate / "index.html"):
                if self._exists(option) and is_file(option):
                    return option
        return None

    def _site_problem(self, site: SiteRoot | None, path: str, fragment: str | None) -> str | None:
        if site is None:
            # Without a site root a root-relative path cannot be resolved; say nothing.
            return None
        target = self._site_target(site, path)
        if target is None:
            return f"no file or page produces `{path}` under the site root {site.path.name}/"
        return self._site_fragment_problem(target, path, fragment)

    def _site_fragment_problem(self, target: Path, path: str, fragment: str | None) -> str | None:
        if is_dir(target):
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
        if not fragment or not self.check_fragments or is_dir(target):
            return None
        if target.suffix.lower() in (".html", ".htm"):
            try:
                text = read_regular_file(target).decode("utf-8", errors="replace")
            except UnreadableFileError:
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
        if _fragment_matches(fragment, self._anchors(document)):
            return None
        hugo_page = self._hugo_page_of(document)
        if hugo_page is not None:
            hugo, page = hugo_page
            if page.kind != "page":
                # A list page's template adds ids of its own (its children, their titles): unknowable.
                return None
            if any(_fragment_matches(fragment, ids) for ids in self._included_anchors(hugo, page, document)):
                return None
        return f"no heading or id `#{fragment}` in {where}"

    def _anchors(self, document: Document) -> frozenset[str]:
        ids: frozenset[str] = self.memo(
            "link-dead.anchors",
            (id(document), self.anchor_style),
            lambda: anchor_ids(document, self.anchor_style, self._site(Path(document.path))),
        )
        return ids

    def _hugo_page_of(self, document: Document) -> tuple[HugoSite, HugoPage] | None:
        here = Path(document.path)
        site = self._site(here)
        if site is None or site.kind != "hugo":
            return None
        hugo = self._site_map(site).hugo
        page = self._hugo_page(hugo, here) if hugo is not None else None
        return (hugo, page) if hugo is not None and page is not None else None

    def _included_anchors(
        self, hugo: HugoSite, page: HugoPage, document: Document, depth: int = 0
    ) -> Iterator[frozenset[str]]:
        """The ids of content files the page's shortcodes name (`{{% include "/_common/x.md" %}}`).

        Such a shortcode renders the named page inside this one, so its headings are this page's.
        """
        if depth > 3:
            return
        for span in document.template_spans:
            if span.kind != "shortcode":
                continue
            argument = _SHORTCODE_PATH.match(document.text, span.start, span.end)
            if argument is None:
                continue
            name = next(group for group in argument.groups() if group is not None)
            found, _ = hugo.lookup(page, name, ref=False)
            if found is None or found is page or found.source.suffix.lower() not in (".md", ".markdown"):
                continue
            included = self.load(found.source)
            if included is not None:
                yield self._anchors(included)
                yield from self._included_anchors(hugo, found, included, depth + 1)

    def _listing(self, folder: Path) -> frozenset[str] | None:
        if folder not in self._listings:
            try:
                self._listings[folder] = frozenset(os.listdir(folder))
            except OSError:
                self._listings[folder] = None
        return self._listings[folder]

    def _exists(self, target: Path) -> bool:
        """Whether `target` exists with exactly this spelling, even on a case-insensitive file system."""
        if not path_exists(target):  # False, too, for a name too long for the file system
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


# The file system's answers that mean "no file can be at this path": a name too long, a symlink
# loop, a file used as a folder, a name it cannot hold.
_CANNOT_EXIST = frozenset({errno.ENAMETOOLONG, errno.ELOOP, errno.ENOTDIR, errno.EINVAL})


def _os_error_verdict(error: OSError, shown: str) -> str | None:
    """What a link check that the file system refused says: dead when the path cannot exist,
    nothing when the answer is unknown (a folder that may not be read, say)."""
    if error.errno in _CANNOT_EXIST:
        return f"`{shown}` cannot exist ({error.strerror or error})"
    return None


def _fragment_matches(fragment: str, ids: frozenset[str]) -> bool:
    wanted = unquote(fragment)
    return wanted in ids or wanted.lower() in ids or wanted in {i.lower() for i in ids}


def _repository_root(folder: Path) -> Path | None:
    """The nearest folder at or above `folder` holding `.git` (a clone or a worktree), or None."""
    for candidate in [folder, *folder.parents]:
        if path_exists(candidate / ".git"):
            return candidate
    return None
