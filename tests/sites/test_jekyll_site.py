"""Jekyll sites: mdlint's URL map and its verdicts on links, checked against a real `jekyll build`.

The fixture sites in tests/fixtures/sites/jekyll/ are built with Debian's Jekyll 4.3 (offline,
no Gemfile): the URLs mdlint derives must be exactly the files the build writes, every link
link-dead calls dead must be missing from the build output, and every local link it accepts
must be there (with its fragment's id). Dead `{% link %}` and `{% post_url %}` make Jekyll
fail; those are in their own fixture, built one page at a time.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mdlint.findings import Finding
from mdlint.links.urls import ClassifiedDestination, classify_destination
from mdlint.markdown.document import read_document
from mdlint.markdown.link_targets import link_targets
from mdlint.site import jekyll
from mdlint.site.jekyll import defaults_for, find_post
from mdlint.site.model import SiteMap, SiteRoot, build_site_map, find_site_root, url_key
from mdlint.site.workspace import Workspace
from mdlint.testing import lint_text
from tests.generators import build_jekyll, built_pages, require_generator

SITES = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "jekyll"
_STYLES = ["pretty", "date", "ordinal", "none", "weekdate", "/:categories/:title/", "/:year/:slug:output_ext"]


def _root(folder: Path) -> SiteRoot:
    found = find_site_root(folder / "_config.yml")
    assert found is not None and found.kind == "jekyll"
    return found


def _site_map(folder: Path) -> SiteMap:
    return build_site_map(_root(folder))


def _written(output: Path) -> set[str]:
    # Sass source maps are the Sass converter's business, not a page anyone links.
    return {url_key("/" + path.relative_to(output).as_posix()) for path in output.rglob("*") if path.is_file()} - {
        url_key(path) for path in ("/assets/site.css.map",)
    }


def _model(site_map: SiteMap) -> set[str]:
    return set(site_map.pages) | set(site_map.static)


@pytest.fixture(scope="module")
def main_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_jekyll(SITES / "main", tmp_path_factory.mktemp("main") / "_site")


def test_url_map_is_what_the_build_writes(main_build: Path) -> None:
    site_map = _site_map(SITES / "main")
    assert {url_key(url) for url in built_pages(main_build)} == {
        key for key in _model(site_map) if not re.search(r"\.(?!html$)\w+$", key)
    }
    assert _model(site_map) == _written(main_build)
    # The cases the fixture is made of, as the build wrote them.
    assert {
        "/",
        "/about",  # permalink in front matter
        "/contact",  # a page in .html, pretty style
        "/manual/setup",  # permalink from defaults, scope path
        "/manual/index",  # the same default wins over index.html's own `/:path/`
        "/cook/soup",  # permalink from defaults, scope type
        "/bread",  # its own permalink wins over the defaults
        "/docs/guide/install",  # collection permalink /:collection/:path/
        "/docs/index",
        "/news/2024/03/05/hello-world",  # posts' permalink under `collections:`
        "/news/2024/03/05/late-night",  # dated 10:30 -0800 on the 4th: the 5th in Asia/Seoul
        "/news/2024/02/01/Custom-Slug",  # `slug` in a subfolder of _posts, cased as Jekyll keeps it
        "/news/2023/12/31/old-news",  # archive/_posts
        "/feed.xml",  # jekyll-feed
    } <= set(site_map.pages)
    assert {"/plain.md", "/notes.txt", "/img/logo.png", "/docs/diagram.svg"} <= set(site_map.static)
    missing = {"/notes/secret", "/news/2999/01/01/future", "/scripts/tool", "/node_modules/pkg/readme", "/about-us"}
    assert not missing & _model(site_map)


@pytest.mark.parametrize("style", _STYLES)
def test_permalink_styles(style: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "styles", site)
    config = site / "_config.yml"
    config.write_text(
        re.sub(r"(?m)^permalink: .*$", f'permalink: "{style}"', config.read_text(encoding="utf-8")), encoding="utf-8"
    )
    output = build_jekyll(site, tmp_path / "_site")
    assert _model(_site_map(site)) == _written(output)


def test_collections_dir(tmp_path: Path) -> None:
    output = build_jekyll(SITES / "collections-dir", tmp_path / "_site")
    site_map = _site_map(SITES / "collections-dir")
    assert _model(site_map) == _written(output)
    assert "/reference/start" in site_map.pages  # defaults scoped by `content/_docs`
    assert not any("ignored" in url for url in site_map.pages)  # _posts outside collections_dir


def test_redirect_from_needs_its_plugin(tmp_path: Path) -> None:
    # jekyll-redirect-from is not installed here, so this is checked against the model only.
    site = tmp_path / "site"
    shutil.copytree(SITES / "main", site)
    assert "/about-us" not in _site_map(site).pages
    config = site / "_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - jekyll-feed\n", "  - jekyll-feed\n  - jekyll-redirect-from\n"),
        encoding="utf-8",
    )
    pages = _site_map(site).pages
    assert pages["/about-us"] == site / "about.md"
    assert "/redirects.json" in pages


def test_github_pages_plugins(tmp_path: Path) -> None:
    # The github-pages gem turns on optional front matter and README indexes (model only).
    site = tmp_path / "site"
    for name, text in {
        "_config.yml": "title: x\n",
        "Gemfile": 'source "https://rubygems.org"\ngem "github-pages", group: :jekyll_plugins\n',
        "notes.md": "# Notes\n",
        "docs/README.md": "# Docs\n",
        "LICENSE.md": "MIT\n",
    }.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    site_map = _site_map(site)
    assert {"/notes", "/docs"} <= set(site_map.pages)
    assert "/LICENSE.md" in site_map.static


def _variables(site: SiteRoot, page: Path) -> dict[str, str]:
    variables = dict(site.liquid_variables)
    variables.update({"page.next_page": "/manual/setup/", "page.gone_page": "/manual/gone/"})
    return variables


def _built_url(site_map: SiteMap, page_url: str, target: ClassifiedDestination) -> str | None:
    """Where the build put the target of a link on the page at `page_url`, by mdlint's own model."""
    if target.kind == "post":
        post = find_post(site_map.posts, target.path)
        return None if post is None else post.url
    if target.source_file:
        return site_map.files.get(target.path) or site_map.files.get("/" + target.path)
    path = target.path
    if not path.startswith("/"):
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page_url), path)) + (
            "/" if path.endswith("/") else ""
        )
    base = site_map.root.baseurl
    return path[len(base) :] or "/" if base and path.startswith(base + "/") else path


def _built_file(output: Path, url: str) -> Path | None:
    for candidate in (
        output / url.lstrip("/"),
        output / url.lstrip("/") / "index.html",
        output / f"{url.strip('/')}.html",
    ):
        if candidate.is_file():
            return candidate
    return None


def test_link_dead_agrees_with_the_build(main_build: Path) -> None:
    site = _root(SITES / "main")
    site_map = build_site_map(site)
    page = SITES / "main" / "links.md"
    page_url = site_map.urls[page]
    findings = lint_text(page.read_text(encoding="utf-8"), "link-dead", path=str(page))
    dead = {finding.extra["url"] for finding in findings}
    # Read as the run reads it: a page of a Jekyll site, its Liquid masked.
    document = Workspace().prepare(read_document(page), page)
    checked = 0
    for link in link_targets(document):
        target = classify_destination(link.url, _variables(site, page))
        if target.kind not in ("local", "post"):
            continue
        url = _built_url(site_map, page_url, target)
        built = None if url is None else _built_file(main_build, url)
        alive = built is not None
        if alive and built is not None and target.fragment and built.suffix == ".html":
            alive = f'id="{target.fragment}"' in built.read_text(encoding="utf-8")
        assert (link.url in dead) == (not alive), (link.url, url)
        checked += 1
    assert checked == 38
    assert len(dead) == 14


def test_link_dead_findings_on_the_fixture() -> None:
    page = SITES / "main" / "links.md"
    findings = lint_text(page.read_text(encoding="utf-8"), "link-dead", path=str(page))
    assert [(f.line, f.column, f.message) for f in findings] == [
        (23, 12, "dead link: no heading or id `#nope` in `about.md`"),
        (23, 54, "dead link: no file or page produces `/blog/nowhere/` under the site root main/"),
        (24, 11, "dead link: no file or page produces `/blog/docs/guide/missing/` under the site root main/"),
        (24, 68, "dead link: no file or page produces `/manual/gone/` under the site root main/"),
        (25, 16, "dead link: no file or page produces `/blog/notes/secret/` under the site root main/"),
        (25, 70, "dead link: no file or page produces `/blog/news/2024/03/06/unpublished/` under the site root main/"),
        (26, 10, "dead link: no file or page produces `/blog/news/2999/01/01/future/` under the site root main/"),
        (26, 50, "dead link: no file or page produces `/blog/news/2024/01/01/a-draft/` under the site root main/"),
        (27, 19, "dead link: no file or page produces `/blog/plain/` under the site root main/"),
        (27, 45, "dead link: no file or page produces `/blog/scripts/tool/` under the site root main/"),
        (27, 85, "dead link: no file or page produces `/blog/node_modules/pkg/readme/` under the site root main/"),
        (28, 31, "dead link: no file or page produces `/blog/about-us/` under the site root main/"),
        (28, 62, "dead link: `docs/pages/team.md` does not exist"),
        (28, 92, "dead link: no file or page produces `/blog/img/` under the site root main/"),
    ]
    # Lines 8-19 (live Liquid and plain links), 30-31 (left alone) and 33-43 (raw, include,
    # markdown="1", IAL, definition list): no finding.
    assert all(23 <= f.line <= 28 for f in findings)


def test_link_malformed_on_the_fixture() -> None:
    page = SITES / "main" / "links.md"
    findings = lint_text(page.read_text(encoding="utf-8"), "link-malformed", path=str(page))
    assert [(f.line, f.column, f.message) for f in findings] == [
        (45, 24, "whitespace in link destination — not a link: (https://example.org/a b); write %20 or use <…>"),
    ]


def test_liquid_is_never_a_malformed_link_outside_liquid_pages() -> None:
    # A post without front matter, a README: the Liquid is not masked, the rule still says nothing.
    text = "[a]({% link about.md %}) [b]({{ '/x/' | relative_url }}) [c]({{ site.url }}/x)\n"
    assert lint_text(text, "link-malformed") == []


_DEAD_TAGS = {
    "missing-link.md": (6, 17, "no page, document or static file `guide.md` in the site", "guide.md"),
    "missing-post.md": (6, 25, "no published post `2024-01-02-exists` in _posts/", "2024-01-02-exists"),
    "quoted-link.md": (6, 43, 'no page, document or static file `"_posts/2024-01-01-exists.md"`', "_posts/2024"),
    "unpublished-link.md": (6, 27, "no page, document or static file `draft.md` in the site", "draft.md"),
}


def _lint(page: Path, rule: str) -> list[Finding]:
    return lint_text(page.read_text(encoding="utf-8"), rule, path=str(page))


@pytest.mark.parametrize("name", sorted(_DEAD_TAGS))
def test_dead_liquid_tags_fail_the_build(name: str, tmp_path: Path) -> None:
    line, column, message, named = _DEAD_TAGS[name]
    findings = _lint(SITES / "dead-tags" / name, "link-dead")
    assert [(f.line, f.column) for f in findings] == [(line, column)]
    assert message in findings[0].message and "(Jekyll fails the build)" in findings[0].message
    assert _lint(SITES / "dead-tags" / name, "link-malformed") == []
    # The build, with only this page's dead tag in it, fails and names the page and the target.
    site = tmp_path / "site"
    shutil.copytree(SITES / "dead-tags", site)
    for other in _DEAD_TAGS:
        if other != name:
            (site / other).unlink()
    jekyll = require_generator("jekyll")
    completed = subprocess.run(
        [
            "env",
            "-u",
            "BUNDLE_GEMFILE",
            jekyll,
            "build",
            "--quiet",
            "--source",
            str(site),
            "--destination",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode != 0
    assert f"in {name}" in completed.stderr and named in completed.stderr


def test_site_variables() -> None:
    variables = _root(SITES / "main").liquid_variables
    assert variables["site.baseurl"] == "/blog"
    assert variables["site.url"] == "https://example.org"
    assert variables["site.repository"] == "https://github.com/example/fixture"
    assert "site.github" not in variables and "site.collections" not in variables


@pytest.mark.parametrize(
    ("destination", "expected"),
    [
        ("{{ site.baseurl }}/x/", ClassifiedDestination("local", path="/blog/x/")),
        ("{{ 'x/' | relative_url }}", ClassifiedDestination("local", path="/blog/x/")),
        ("{{ '/x/' | absolute_url }}#a", ClassifiedDestination("local", path="/blog/x/", fragment="a")),
        ("{{ site.url }}/x", ClassifiedDestination("local", path="/x")),
        (
            "{{ site.repository }}/issues/1",
            ClassifiedDestination("remote", url="https://github.com/example/fixture/issues/1"),
        ),
        ("{{ 'https://a.org/x' | relative_url }}", ClassifiedDestination("remote", url="https://a.org/x")),
        ("{{ '/x' | append: '/y/' | relative_url }}", ClassifiedDestination("local", path="/blog/x/y/")),
        ("{{ site.github.url }}/x", ClassifiedDestination("skip")),
        ("{{ '/x/' | upcase }}", ClassifiedDestination("skip")),
        ("{% link {{ page.x }} %}", ClassifiedDestination("skip")),
        ("{% if a %}/x/{% endif %}", ClassifiedDestination("skip")),
        ("{% post_url a/2016-04-19-x %}", ClassifiedDestination("post", path="a/2016-04-19-x")),
        (
            "{{ site.baseurl }}{% link x.md %}#y",
            ClassifiedDestination("local", path="x.md", fragment="y", source_file=True),
        ),
    ],
)
def test_liquid_destinations(destination: str, expected: ClassifiedDestination) -> None:
    assert classify_destination(destination, _root(SITES / "main").liquid_variables) == expected


@pytest.mark.parametrize(
    ("destination", "kind"),
    [("$BRANCH_URL", "skip"), ("${DOCS}/x.md", "skip"), ("$5-prices.md", "local"), ("$notes.md", "local")],
)
def test_placeholders_of_other_templates_are_not_paths(destination: str, kind: str) -> None:
    # A bot's or a script's placeholder (`[file]($BRANCH_URL)` in an issue template) names no file.
    assert classify_destination(destination).kind == kind


def test_defaults_most_specific_scope_wins() -> None:
    config = {
        "collections_dir": "content",
        "defaults": [
            {"scope": {"path": "docs/deep", "type": "pages"}, "values": {"layout": "deep"}},
            {"scope": {"path": "docs"}, "values": {"layout": "docs", "toc": True}},
            {"scope": {"path": "docs", "type": "pages"}, "values": {"layout": "typed"}},
            {"scope": {"path": "content/_guides/*"}, "values": {"layout": "guide"}},
            {"scope": {"type": "post"}, "values": {"layout": "post"}},
        ],
    }
    assert defaults_for(config, "docs/deep/a.md", "pages") == {"layout": "deep", "toc": True}
    assert defaults_for(config, "docs/a.md", "pages") == {"layout": "typed", "toc": True}
    assert defaults_for(config, "docs/a.md", "notes") == {"layout": "docs", "toc": True}
    assert defaults_for(config, "_guides/x/a.md", "guides") == {"layout": "guide"}
    assert defaults_for(config, "_posts/2024-01-01-a.md", "posts") == {"layout": "post"}


def test_collection_of_a_file() -> None:
    config = {"collections_dir": "content", "collections": {"docs": {"output": True}}}
    assert jekyll.collection_of(Path("."), config, Path("content/_docs/a.md")) == "docs"
    assert jekyll.collection_of(Path("."), config, Path("content/blog/_posts/2024-01-01-a.md")) == "posts"
    assert jekyll.collection_of(Path("."), config, Path("_docs/a.md")) is None
