"""Local targets: files (case-sensitive), site pages from permalinks and patterns, fragments."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from mdlint.findings import Finding
from mdlint.links.local import heading_slug
from mdlint.testing import lint_text


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lint_file(path: Path, text: str, **options: Any) -> list[Finding]:
    _write(path, text)
    return lint_text(text, "link-dead", path=str(path), options={"link-dead": options})


def messages(findings: list[Finding]) -> list[str]:
    return [finding.message for finding in findings]


@pytest.mark.parametrize(
    ("text", "style", "slug"),
    [
        ("Hello World", "github", "hello-world"),
        ("What's new in v2.0?", "github", "whats-new-in-v20"),
        ("한국어 제목 (소개)", "github", "한국어-제목-소개"),
        ("people & body", "github", "people--body"),
        ("snake_case `code`", "github", "snake_case-code"),
        ("1. Intro: Setup", "kramdown", "intro-setup"),
        ("한국어", "kramdown", "section"),
    ],
)
def test_heading_slug(text: str, style: Any, slug: str) -> None:
    assert heading_slug(text, style) == slug


def test_relative_files_and_case(tmp_path: Path) -> None:
    _write(tmp_path / "docs" / "Guide.md", "# Guide\n")
    findings = lint_file(tmp_path / "index.md", "[a](docs/Guide.md) [b](docs/guide.md) [c](docs/) [d](nope.png)\n")
    assert messages(findings) == [
        "dead link: `docs/guide.md` does not exist (names are case-sensitive; found `Guide.md`)",
        "dead link: `nope.png` does not exist",
    ]
    assert [f.column for f in findings] == [24, 54]
    assert all(f.extra["class"] == "dead" for f in findings)


def test_fragments_in_this_and_other_files(tmp_path: Path) -> None:
    _write(
        tmp_path / "other.md",
        '# Other Page\n\n## Setup {#custom-id}\n\n<a name="legacy"></a>\n\n<div id="box"></div>\n\n## Dup\n\n## Dup\n',
    )
    text = (
        "# Intro\n\n## Intro\n\n"
        "[1](#intro) [2](#intro-1) [3](#missing) [4](other.md#other-page) [5](other.md#custom-id)\n"
        "[6](other.md#legacy) [7](other.md#box) [8](other.md#dup-1) [9](other.md#dup-2) [10](#top)\n"
    )
    assert messages(lint_file(tmp_path / "a.md", text)) == [
        "dead link: no heading or id `#missing` in this file",
        "dead link: no heading or id `#dup-2` in `other.md`",
    ]


def test_kramdown_anchor_style(tmp_path: Path) -> None:
    text = "# 1. Getting Started\n\n[a](#getting-started) [b](#1-getting-started)\n"
    assert messages(lint_file(tmp_path / "a.md", text, **{"anchor-style": "kramdown"})) == [
        "dead link: no heading or id `#1-getting-started` in this file"
    ]
    assert messages(lint_file(tmp_path / "a.md", text)) == [
        "dead link: no heading or id `#getting-started` in this file"
    ]


def test_check_fragments_off(tmp_path: Path) -> None:
    assert lint_file(tmp_path / "a.md", "[a](#nowhere)\n", **{"check-fragments": False}) == []


def test_jekyll_site_pages(tmp_path: Path) -> None:
    _write(
        tmp_path / "_config.yml",
        "permalink: /:categories/:year/:month/:day/:title/\ncollections:\n  recipes:\n    output: true\n"
        "plugins: [jekyll-redirect-from]\n",
    )
    _write(tmp_path / "_posts" / "2025-12-03-weekly.md", "---\ntitle: W\ncategories: [AI]\n---\n# W\n")
    _write(
        tmp_path / "_posts" / "2025-11-19-picks.md",
        "---\npermalink: /posts/2025/11/picks/\nredirect_from: /old/picks/\n---\n# Picks\n",
    )
    _write(tmp_path / "_recipes" / "soup.md", "---\n---\n# Soup\n")
    _write(tmp_path / "about.md", "---\npermalink: /about-us/\n---\n# About\n")
    _write(tmp_path / "images" / "x.png", "")
    _write(tmp_path / "docs" / "index.html", '<h2 id="h">H</h2>')
    text = (
        "---\ntitle: Links\n---\n"
        "[1](/ai/2025/12/03/weekly/) [2](/posts/2025/11/picks/) [3](/old/picks/) [4](/recipes/soup.html)\n"
        "[5](/about-us/#about) [6](/images/x.png) [7](/docs/#h) [8](/docs/#nope) [9](/posts/2025/11/other/)\n"
        "[10]({{ '/about-us/' | relative_url }}) [11]({% link about.md %}) [12]({% post_url 2025-12-03-weekly %})\n"
        "[13]({% post_url 2020-01-01-missing %}) [14]({{ site.baseurl }}/whatever/)\n"
    )
    assert messages(lint_file(tmp_path / "pages" / "links.md", text)) == [
        "dead link: no id `#nope` in `/docs/`",
        "dead link: no file or page produces `/posts/2025/11/other/` under the site root " + tmp_path.name + "/",
        "dead link: no published post `2020-01-01-missing` in _posts/ (Jekyll fails the build)",
        "dead link: no file or page produces `/whatever/` under the site root " + tmp_path.name + "/",
    ]


def test_site_root_option_and_baseurl(tmp_path: Path) -> None:
    _write(tmp_path / "site" / "_config.yml", "baseurl: /blog\n")
    _write(tmp_path / "site" / "notes.md", "---\n---\n# Notes\n")
    text = "[a](/blog/notes.html) [b](/notes/) [c](/blog/missing/)\n"
    assert len(lint_file(tmp_path / "site" / "a.md", text)) == 1
    # Outside any site, root-relative links cannot be resolved and are left alone...
    assert lint_file(tmp_path / "loose" / "a.md", "[x](/nowhere/)\n") == []
    # ...unless `site-root` says where the site is.
    found = lint_file(tmp_path / "loose" / "a.md", "[x](/nowhere/)\n", **{"site-root": str(tmp_path / "site")})
    assert len(found) == 1


def test_hugo_static_and_content(tmp_path: Path) -> None:
    _write(tmp_path / "hugo.toml", "baseURL = 'https://example.org/'\n")
    _write(tmp_path / "static" / "img" / "a.png", "")
    _write(tmp_path / "content" / "commands" / "hugo.md", "---\ntitle: hugo\naliases: [/cmd/hugo/]\n---\n")
    _write(tmp_path / "content" / "about" / "_index.md", "# About\n")
    text = "[a](/img/a.png) [b](/commands/hugo/) [c](/cmd/hugo/) [d](/about/) [e](/commands/hugo_mod/)\n"
    assert messages(lint_file(tmp_path / "content" / "x.md", text)) == [
        "dead link: no file or page produces `/commands/hugo_mod/` under the site root " + tmp_path.name + "/"
    ]


def test_malformed_and_templated_links_are_left_to_other_rules(tmp_path: Path) -> None:
    text = "[a](file:///x.md) [b](/Users/me/x.md) [c](<a b.md>) [d]({{ page.url }}) [e](mailto:x@y.z)\n"
    assert lint_file(tmp_path / "a.md", text) == []


def test_code_is_not_checked(tmp_path: Path) -> None:
    assert lint_file(tmp_path / "a.md", "`[a](missing.md)`\n\n```\n[b](missing.md)\n```\n") == []


def test_reference_links_reported_at_the_definition(tmp_path: Path) -> None:
    findings = lint_file(tmp_path / "a.md", "[a][r] and [b][r]\n\n[r]: missing.md\n")
    assert [(f.line, f.column) for f in findings] == [(3, 6)]


def test_links_above_the_repository_root_are_github_pages(tmp_path: Path) -> None:
    repository = tmp_path / "repository"
    repository.mkdir()
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    findings = lint_file(
        repository / "README.md",
        "[contributors](../../graphs/contributors) [issues](../../issues) [gone](docs/gone.md) [up](../x.md)\n",
    )
    # `../x.md` leaves the repository as well: on GitHub it is a page of the repository, not a file.
    assert messages(findings) == ["dead link: `docs/gone.md` does not exist"]
    # Without a repository around it, a path that climbs out is still a path that does not exist.
    outside = lint_file(tmp_path / "plain" / "README.md", "[up](../../gone.md)\n")
    assert messages(outside) == ["dead link: `../../gone.md` does not exist"]


def test_liquid_links_where_jekyll_runs_liquid_on_a_file_read_unmasked(tmp_path: Path) -> None:
    # A post without front matter (Jekyll renders every post) and the site's README with front
    # matter (GitHub's view is the file's dialect): the links Liquid makes are checked too.
    _write(tmp_path / "_config.yml", "title: Home\n")
    _write(tmp_path / "_posts" / "2025-12-03-weekly.md", "---\n---\n# W\n")
    _write(tmp_path / "about.md", "---\n---\n# About\n")
    text = (
        "[1]({% post_url 2025-12-03-weekly %}) [2]({% post_url 2020-01-01-missing %})\n"
        "[3]({% link about.md %}) [4](/docs/{{ site.title }}/) [5][r]\n\n"
        "`[6]({% link gone.md %})`\n\n"
        "[r]: {% link missing.md %}\n"
    )
    expected = [
        (1, 43, "dead link: no published post `2020-01-01-missing` in _posts/ (Jekyll fails the build)"),
        (2, 30, "dead link: no file or page produces `/docs/Home/` under the site root " + tmp_path.name + "/"),
        (6, 6, "dead link: no page, document or static file `missing.md` in the site (Jekyll fails the build)"),
    ]
    post = lint_file(tmp_path / "_posts" / "2025-12-04-links.md", text)
    assert [(f.line, f.column, f.message) for f in post] == expected
    readme = lint_file(tmp_path / "README.md", "---\n---\n" + text)
    assert [(f.line, f.column, f.message) for f in readme] == [(line + 2, c, m) for line, c, m in expected]
