"""Hugo sites, with the real Hugo as the oracle: URL map, dead and live links, `ref`/`relref`, heading ids.

The fixture `tests/fixtures/sites/hugo/site` mounts `content/en` and `content/de` as content of
two languages and has a section with `_index.md`, a page bundle with resources, `url`, `slug`
and `aliases`, a `permalinks` pattern, a render hook for the `docs` section, custom heading ids,
a repeated heading, definition terms with `autoDefinitionTermID`, and text included by a
shortcode. `tests/fixtures/sites/hugo/dead-refs` holds the `ref`s Hugo fails the build on.

Every page ends with the findings it must produce (`<!-- expected … -->`, as in tests/fixtures).
Every link's text is a label: the built HTML says where each link really goes. Labels starting
with `hook:` are left to the render hook (mdlint reports nothing, and checks nothing of them);
`dt:` links name definition-term ids, which Hugo has since 0.144 (the installed 0.111 predates
`autoDefinitionTermID`, so for those the built HTML can only confirm the dead ones).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from mdlint.findings import Finding
from mdlint.links.local import anchor_ids
from mdlint.markdown.dialect import Dialect
from mdlint.markdown.document import Document
from mdlint.run.config import RuleSelection, config_from_table
from mdlint.run.runner import RunOptions, run
from mdlint.site.model import SiteRoot, build_site_map, find_site_root, url_key
from mdlint.site.workspace import RunSettings
from tests.conftest import REPO
from tests.generators import build_hugo, built_pages, goldmark_html, require_generator

FIXTURES = REPO / "tests" / "fixtures" / "sites" / "hugo"
_EXPECTED = re.compile(r"<!-- expected\n(?P<body>.*?)-->", re.S)
_ENTRY = re.compile(r"(?P<line>\d+):(?P<column>\d+) link-dead: (?P<fragment>.*)")
_MARKDOWN_LINK = re.compile(r"!?\[(?P<label>[^\]]+)\]\((?P<destination>\{\{.*?\}\}[^)\s]*|[^)\s]+)\)")
_HTML_LINK = re.compile(r"""<a href="(?P<destination>[^"]+)">(?P<label>[^<]+)</a>""")

# (file relative to the site, line, column, message fragment)
Entry = tuple[str, int, int, str]


def _copy(name: str, tmp_path: Path, prepend: str = "") -> Path:
    """A copy of a fixture site (Hugo writes a lock file into its source), its config prefixed."""
    site = tmp_path / name
    shutil.copytree(FIXTURES / name, site)
    if prepend:
        config = site / "hugo.toml"
        config.write_text(prepend + config.read_text(encoding="utf-8"), encoding="utf-8")
    return site


def _lint(site: Path) -> list[Finding]:
    options = RunOptions(
        paths=(str(site),), selection=RuleSelection(select=("link-dead",)), settings=RunSettings(offline=True)
    )
    return run(options, config=config_from_table({})).findings


def _relative(site: Path, finding: Finding) -> str:
    return Path(finding.path).resolve().relative_to(site.resolve()).as_posix()


def _expected(site: Path) -> list[Entry]:
    entries = []
    for path in sorted(site.rglob("*.md")):
        match = _EXPECTED.search(path.read_text(encoding="utf-8"))
        assert match, f"{path} must end with an `<!-- expected … -->` comment"
        for line in filter(None, map(str.strip, match.group("body").splitlines())):
            entry = _ENTRY.fullmatch(line)
            assert entry, f"not `LINE:COLUMN link-dead: message`: {line!r}"
            relative = path.relative_to(site).as_posix()
            entries.append((relative, int(entry["line"]), int(entry["column"]), entry["fragment"]))
    return sorted(entries)


@pytest.mark.parametrize("name", ["site", "dead-refs"])
def test_findings_are_exactly_the_expected_ones(name: str, tmp_path: Path) -> None:
    site = _copy(name, tmp_path)
    expected = _expected(site)
    found = [(_relative(site, f), f.line, f.column, f.message) for f in _lint(site)]
    assert all(f.startswith("dead link: ") for *_, f in found)
    wanted = {entry[:3]: entry[3] for entry in expected}
    assert sorted(place for *place, _ in found) == sorted(place for *place, _ in expected)
    for *place, message in found:
        assert wanted[tuple(place)] in message, (place, message)  # type: ignore[index]


# Configuration variants the URL map must follow, each checked against what Hugo writes.
_VARIANTS = {
    "as is": "",
    "ugly URLs": "uglyURLs = true\n",
    "default language in a subfolder": "defaultContentLanguageInSubdir = true\n",
    "paths not lowercased": "disablePathToLower = true\n",
}


@pytest.mark.parametrize("variant", sorted(_VARIANTS))
def test_url_map_is_what_hugo_writes(variant: str, tmp_path: Path) -> None:
    site = _copy("site", tmp_path, _VARIANTS[variant])
    output = build_hugo(site, tmp_path / "public")
    root = find_site_root(site / "content" / "en" / "_index.md")
    assert root is not None and root.kind == "hugo"
    site_map = build_site_map(root)
    assert set(site_map.pages) == {url_key(page) for page in built_pages(output)}
    assert site_map.hugo is not None
    published = {
        "/" + path.relative_to(output).as_posix()
        for path in output.rglob("*")
        if path.is_file() and path.suffix != ".html"
    }
    static = {
        "/" + path.relative_to(site / "static").as_posix() for path in (site / "static").rglob("*") if path.is_file()
    }
    assert set(site_map.hugo.files) | static == published


def test_url_map_of_a_config_folder_site_with_language_folders(tmp_path: Path) -> None:
    site = tmp_path / "multi"
    files = {
        "config/_default/hugo.yaml": "baseURL: https://example.org/\ndisableKinds: [taxonomy, term, RSS, sitemap]\n",
        "config/_default/languages.toml": '[en]\nweight = 1\ncontentDir = "content/english"\n'
        '[fr]\nweight = 2\ncontentDir = "content/french"\n',
        "config/_default/permalinks.json": '{"posts": "/:year/:month/:filename/"}',
        "layouts/_default/single.html": "<main>{{ .Content }}</main>",
        "layouts/_default/list.html": "<main>{{ .Content }}</main>",
        "content/english/posts/first Post.md": "---\ntitle: First\ndate: 2023-02-03\n---\n",
        "content/english/about.md": "---\ntitle: About\n---\n",
        "content/english/about.fr.md": "---\ntitle: À propos\n---\n",
        "content/french/posts/premier.md": "---\ntitle: Premier\ndate: 2023-04-05\n---\n",
        "content/french/posts/brouillon.md": "---\ntitle: Brouillon\ndraft: true\n---\n",
    }
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    output = build_hugo(site, tmp_path / "public")
    root = find_site_root(site / "content" / "english" / "about.md")
    assert root is not None and root.kind == "hugo"
    pages = set(build_site_map(root).pages)
    assert pages == {url_key(page) for page in built_pages(output)}
    assert {"/2023/02/first-post", "/fr/2023/04/premier", "/fr/about"} <= pages


@pytest.mark.parametrize("languages", ["", "[languages.en]\nweight = 1\n[languages.de]\nweight = 2\n"])
def test_url_map_has_taxonomies_feeds_and_sitemaps(languages: str, tmp_path: Path) -> None:
    site = _write_site(
        tmp_path / "site",
        {
            "hugo.toml": 'baseURL = "https://example.org/"\nenableRobotsTXT = true\n'
            '[taxonomies]\ntag = "tags"\nseries = "series"\n' + languages,
            "layouts/_default/single.html": "<main>{{ .Content }}</main>",
            "layouts/_default/list.html": "<main>{{ .Content }}</main>",
            "content/posts/a.md": '---\ntitle: A\ntags: ["Hello World", "C++", "Ünïcode", "a/b"]\n---\nText.\n',
            "content/posts/b.md": "---\ntitle: B\ncategories: [not a taxonomy here]\n---\nText.\n",
        },
    )
    output = build_hugo(site, tmp_path / "public")
    root = find_site_root(site / "content" / "posts" / "a.md")
    assert root is not None
    written = {url_key("/" + path.relative_to(output).as_posix()) for path in output.rglob("*") if path.is_file()}
    assert set(build_site_map(root).pages) == written
    assert {"/tags/hello-world", "/tags/c++", "/tags/ünïcode", "/series", "/robots.txt"} <= written


class _Links(HTMLParser):
    """`<a href>` and `<img src>` of one built page, by their text (or `alt`)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a":
            self._open = values.get("href") or ""
        elif tag == "img":
            self.found.append((values.get("alt") or "", values.get("src") or ""))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.found.append((data, self._open))
            self._open = None


def _page_url(output: Path, page: Path) -> str:
    relative = page.relative_to(output).as_posix()
    return "/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def _alive(output: Path, page_url: str, href: str) -> bool:
    """Whether a browser on `page_url` following `href` finds a file there (and the fragment in it)."""
    target = urlsplit(urljoin("https://example.org" + page_url, href))
    assert target.hostname == "example.org", href
    path = output / unquote(target.path).lstrip("/")
    if target.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    if not path.is_file():
        return False
    if not target.fragment:
        return True
    return re.search(rf'\bid="{re.escape(target.fragment)}"', path.read_text(encoding="utf-8")) is not None


def test_dead_links_are_dead_and_accepted_links_resolve_in_the_build(tmp_path: Path) -> None:
    site = _copy("site", tmp_path)
    output = build_hugo(site, tmp_path / "public")
    hrefs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for page in output.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for label, href in parser.found:
            hrefs[label].append((_page_url(output, page), href))
    reported = {(_relative(site, f), f.line, f.column) for f in _lint(site)}
    checked = 0
    for source in sorted((site / "content").rglob("*.md")):
        text = source.read_text(encoding="utf-8")
        for pattern in (_MARKDOWN_LINK, _HTML_LINK):
            for link in pattern.finditer(text):
                label = link.group("label")
                if label.startswith("hook:") or not label.startswith(("L", "dt:")):
                    continue
                start = link.start("destination")
                line = text.count("\n", 0, start) + 1
                column = start - text.rfind("\n", 0, start)
                is_reported = (source.relative_to(site).as_posix(), line, column) in reported
                assert len(hrefs[label]) == 1, f"{label} is written once in the build: {hrefs[label]}"
                alive = _alive(output, *hrefs[label][0])
                if is_reported:
                    assert not alive, f"{label} is reported dead but resolves: {hrefs[label][0]}"
                elif not label.startswith("dt:"):
                    assert alive, f"{label} is accepted but dead in the build: {hrefs[label][0]}"
                checked += 1
    assert checked > 50


def test_dead_refs_fail_the_build_where_mdlint_reports_them(tmp_path: Path) -> None:
    hugo = require_generator("hugo")
    site = _copy("dead-refs", tmp_path)
    completed = subprocess.run(
        [hugo, "--source", str(site), "--destination", str(tmp_path / "public")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode != 0
    errors = completed.stdout + completed.stderr
    # Hugo names each failing ref and, for a missing or ambiguous page, where it is written.
    located = {
        (int(line), int(column))
        for line, column in re.findall(r'REF_NOT_FOUND: Ref "[^"]+": "[^"]+page\.md:(\d+):(\d+)"', errors)
    }
    assert located == {(4, 6), (4, 41)}
    assert 'no site found with lang "fr"' in errors
    findings = [f for f in _lint(site) if "Hugo fails the build" in f.message]
    assert {(f.line, f.column) for f in findings} == {(4, 6), (4, 41), (5, 10)}


_HEADINGS = """## The `foo` _method_ & [link](https://example.com/a)

## Foo {#custom}

## Foo

## Foo

## foo-1

## 한국어 제목 (소개)

## Ünïcödé Straße

Setext *heading*
second line
---
"""


@pytest.mark.parametrize("id_type", ["github", "github-ascii", "blackfriday"])
def test_heading_ids_are_goldmarks(id_type: str, tmp_path: Path) -> None:
    config = f'[markup.goldmark.parser]\nautoHeadingIDType = "{id_type}"\n'
    html = goldmark_html(_HEADINGS, tmp_path, config=config)
    built = set(re.findall(r'<h\d id="([^"]+)"', html))
    document = Document("content/page.md", _HEADINGS)
    document.dialect = Dialect("goldmark", "hugo")
    # Hugo 0.111 makes an id from the heading's source line; declared, mdlint follows that reading only.
    parser = {"autoHeadingIDType": id_type}
    site = SiteRoot(
        tmp_path,
        "hugo",
        "",
        {"markup": {"goldmark": {"parser": parser}}, "module": {"hugoVersion": {"max": "0.143.0"}}},
    )
    assert anchor_ids(document, "auto", site) == built


def test_heading_ids_since_hugo_0_144_come_from_the_text() -> None:
    document = Document("content/page.md", "## The _method_ [link](https://example.com/)\n")
    document.dialect = Dialect("goldmark", "hugo")

    def ids(hugo_version: dict[str, str]) -> frozenset[str]:
        site = SiteRoot(Path("/site"), "hugo", "", {"module": {"hugoVersion": hugo_version}})
        return anchor_ids(document, "auto", site)

    assert ids({"min": "0.144.0"}) == {"the-method-link"}
    assert ids({"max": "0.143.0"}) == {"the-_method_-linkhttpsexamplecom"}
    # A site that does not say which Hugo builds it gets both readings.
    assert ids({}) == {"the-method-link", "the-_method_-linkhttpsexamplecom"}


def test_definition_term_ids_are_hugos() -> None:
    # Input and ids from Hugo's own test of `autoDefinitionTermID` (TestDescriptionListAutoID,
    # Hugo 0.144); the installed Hugo 0.111 predates the option.
    text = (
        "## Title with id set {#title-with-id}\n\n## Title with id set duplicate {#title-with-id}\n\n## My Title\n\n"
        "Base Name\n: Base name of the file.\n\nBase Name\n: Duplicate term name.\n\n"
        "My Title\n: Term with same name as title.\n\nFoo@Bar\n: The foo bar.\n\n"
        "foo [something](/a/b/) bar\n: A foo bar.\n\n良善天父\n: The good father.\n\n"
        "Ā ā Ă ă Ą ą Ć ć Ĉ ĉ Ċ ċ Č č Ď\n: Testing accents.\n\n"
        "Multiline set text header\nSecond line\n---------------\n\n"
        "## Example [hyperlink](https://example.com/) in a header\n"
    )
    document = Document("content/p1.md", text)
    document.dialect = Dialect("goldmark", "hugo")
    parser = {"autoHeadingID": True, "autoDefinitionTermID": True, "autoIDType": "github-ascii"}
    config = {"markup": {"goldmark": {"parser": parser}}, "module": {"hugoVersion": {"min": "0.144.0"}}}
    assert anchor_ids(document, "auto", SiteRoot(Path("/site"), "hugo", "", config)) == {
        "a-a-a-a-a-a-c-c-c-c-c-c-c-c-d",
        "base-name",
        "base-name-1",
        "example-hyperlink-in-a-header",
        "foo-something-bar",
        "foobar",
        "my-title",
        "my-title-1",
        "second-line",
        "term",
        "title-with-id",
    }


def test_anchor_style_option_still_forces_one_style(tmp_path: Path) -> None:
    site = _copy("site", tmp_path)
    config = config_from_table({"rules": {"link-dead": {"anchor-style": "github"}}})
    options = RunOptions(
        paths=(str(site / "content" / "en" / "docs" / "start.md"),),
        selection=RuleSelection(select=("link-dead",)),
        settings=RunSettings(offline=True),
    )
    messages = [f.message for f in run(options, config=config).findings]
    # GitHub's ids drop the underscores Goldmark keeps, and know no definition terms.
    assert "dead link: no heading or id `#using-_emphasis_-here` in this file" in messages
    assert "dead link: no heading or id `#term-one` in this file" in messages


def _write_site(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _messages(site: Path) -> list[tuple[str, int, str]]:
    return [(_relative(site, f), f.line, f.message.removeprefix("dead link: ")) for f in _lint(site)]


def test_base_url_path_is_the_sites_base(tmp_path: Path) -> None:
    site = _write_site(
        tmp_path,
        {
            "hugo.toml": 'baseURL = "https://example.org/docs/"\n',
            "content/a.md": "---\ntitle: A\n---\n",
            "content/b.md": "---\ntitle: B\n---\n[1](/docs/a/) [2](/a/) [3](/docs/gone/)\n",
        },
    )
    assert _messages(site) == [
        ("content/b.md", 4, f"no file or page produces `/docs/gone/` under the site root {site.name}/")
    ]


@pytest.mark.parametrize("theme", [True, False])
def test_a_themes_render_hook_leaves_bare_words_to_it(tmp_path: Path, theme: bool) -> None:
    files = {
        "hugo.toml": 'baseURL = "https://example.org/"\ntheme = "plain"\n',
        "content/a.md": "---\ntitle: A\n---\nA [term](g) and [gone](gone/).\n",
    }
    if theme:
        files["themes/plain/layouts/_default/_markup/render-link.html"] = '<a href="{{ .Destination }}">x</a>'
    site = _write_site(tmp_path, files)
    dead_term = ("content/a.md", 4, "no file or page produces `/a/g` (`g` from the page's URL `/a/`)")
    dead_folder = ("content/a.md", 4, "no file or page produces `/a/gone/` (`gone/` from the page's URL `/a/`)")
    assert _messages(site) == ([dead_folder] if theme else [dead_term, dead_folder])


def test_a_config_file_alone_makes_no_hugo_site(tmp_path: Path) -> None:
    _write_site(tmp_path, {"config.yaml": "name: tool\n", "docs/a.md": "# A\n"})
    assert find_site_root(tmp_path / "docs" / "a.md") is None
    _write_site(tmp_path, {"content/b.md": "# B\n"})
    found = find_site_root(tmp_path / "docs" / "a.md")
    assert found is not None and found.kind == "hugo"


def test_text_hugo_does_not_render_is_checked_only_where_it_can_be(tmp_path: Path) -> None:
    site = _write_site(
        tmp_path,
        {
            "hugo.toml": 'baseURL = "https://example.org/"\n',
            "content/_common/_index.md": "---\ncascade:\n  build:\n    render: never\n---\n",
            # Included into pages whose URLs and ids mdlint cannot see: only root-relative links count.
            "content/_common/part.md": "---\ntitle: Part\n---\n[1](../x/) [2](#elsewhere) [3](/gone/) [4](/_common/)\n",
        },
    )
    assert [message for *_, message in _messages(site)] == [
        f"no file or page produces `/gone/` under the site root {site.name}/",
        f"no file or page produces `/_common/` under the site root {site.name}/",
    ]


@pytest.mark.parametrize(
    ("version", "found"),
    [("", True), ('[module.hugoVersion]\nmax = "0.122.0"\n', True), ('[module.hugoVersion]\nmin = "0.123.0"\n', False)],
)
def test_a_hooks_page_lookup_follows_the_hugo_version(tmp_path: Path, version: str, found: bool) -> None:
    # Before Hugo 0.123 `.GetPage "other.md"` also finds a page by its base name anywhere.
    site = _write_site(
        tmp_path,
        {
            "hugo.toml": 'baseURL = "https://example.org/"\n' + version,
            "layouts/_default/_markup/render-link.html": '<a href="{{ .Destination }}">x</a>',
            "content/one/other.md": "---\ntitle: Other\n---\n",
            "content/two/page.md": "---\ntitle: Page\n---\n[other](other.md)\n",
        },
    )
    expected = [] if found else [("content/two/page.md", 4, "no file or page produces `/two/page/other.md`")]
    assert [(path, line, message.split(" (")[0]) for path, line, message in _messages(site)] == expected


def test_hugos_embedded_link_hook_resolves_content_paths(tmp_path: Path) -> None:
    files = {
        "hugo.toml": 'baseURL = "https://example.org/"\n',
        "content/docs/a.md": "---\ntitle: A\n---\n[b](b.md) [b's heading](b.md#part) [gone](b.md#gone)\n",
        "content/docs/b.md": "---\ntitle: B\n---\n## Part\n",
    }
    site = _write_site(tmp_path, files)
    assert [message.split(" (")[0] for *_, message in _messages(site)] == [
        "no file or page produces `/docs/a/b.md`",
        "no file or page produces `/docs/a/b.md`",
        "no file or page produces `/docs/a/b.md`",
    ]
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\n[markup.goldmark.renderHooks.link]\nenableDefault = true\n', encoding="utf-8"
    )
    assert [message for *_, message in _messages(site)] == ["no heading or id `#gone` in `b.md`"]
