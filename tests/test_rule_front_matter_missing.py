"""front-matter-missing: required fields from config, fields inferred from a folder, fields the site supplies."""

from __future__ import annotations

from pathlib import Path

import pytest

import mdlint.site.front_matter
from mdlint.findings import Severity
from mdlint.markdown.document import read_document
from mdlint.site.front_matter import page_view_of
from mdlint.site.workspace import Workspace
from mdlint.testing import lint_text
from tests.front_matter_helpers import lint_folder, write_files
from tests.generators import build_hugo, build_jekyll

RULE = "front-matter-missing"


def _post(day: int, *, categories: bool = True, newline: str = "\n") -> str:
    lines = ["---", f"title: Post {day}", f"date: 2025-11-{day:02d}"]
    if categories:
        lines.append("categories: [Misc]")
    return newline.join([*lines, "---", "", "Body.", ""])


def _posts_folder(root: Path, count: int = 6) -> None:
    files = {f"_posts/2025-11-{day:02d}-post.md": _post(day) for day in range(1, count)}
    write_files(root, files)


def test_required_fields_are_errors_at_the_opening_fence() -> None:
    findings = lint_text("---\ntitle: x\n---\n", RULE, options={RULE: {"required": ["title", "date", "tags"]}})
    assert [(f.line, f.column, f.end_column, f.severity, f.message) for f in findings] == [
        (1, 1, 4, Severity.ERROR, "required front-matter field `date` is missing"),
        (1, 1, 4, Severity.ERROR, "required front-matter field `tags` is missing"),
    ]


def test_required_field_with_empty_value() -> None:
    findings = lint_text("---\ntitle:\n---\n", RULE, options={RULE: {"required": ["title"]}})
    assert [f.message for f in findings] == ["required front-matter field `title` is empty"]


def test_required_without_any_front_matter() -> None:
    findings = lint_text("# Post\n", RULE, options={RULE: {"required": ["title", "date"]}})
    assert [(f.line, f.column, f.message) for f in findings] == [
        (1, 1, "no front matter; required fields: title, date")
    ]


def test_jekyll_post_without_front_matter() -> None:
    findings = lint_text("# Post\r\n\r\nText.\r\n", RULE, path="_posts/2025-11-19-post.md")
    assert [(f.line, f.column, f.end_column, f.severity) for f in findings] == [(1, 1, 7, Severity.ERROR)]
    assert findings[0].message.startswith("no front matter: Jekyll copies a post without it")
    assert lint_text("# Post\n", RULE, path="notes/post.md") == []
    options = {RULE: {"posts-need-front-matter": False}}
    assert lint_text("# Post\n", RULE, path="_posts/2025-11-19-post.md", options=options) == []


def test_required_per_override_glob(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            ".mdlint.toml": '[[overrides]]\npaths = ["_posts/**"]\n'
            '[overrides.rules.front-matter-missing]\nrequired = ["title", "date", "permalink"]\n',
            "_posts/2025-11-01-a.md": "---\ntitle: a\ndate: 2025-11-01\n---\n",
            "notes/a.md": "---\ntitle: a\n---\n",
        },
    )
    findings = lint_folder(tmp_path, RULE)
    assert [f.message for f in findings["_posts/2025-11-01-a.md"]] == [
        "required front-matter field `permalink` is missing"
    ]
    assert findings["notes/a.md"] == []


def test_inferred_field_is_a_warning_with_the_share(tmp_path: Path) -> None:
    _posts_folder(tmp_path)
    write_files(tmp_path, {"_posts/2025-11-09-odd.md": _post(9, categories=False, newline="\r\n")})
    findings = lint_folder(tmp_path, RULE)
    odd = findings.pop("_posts/2025-11-09-odd.md")
    assert [(f.line, f.column, f.severity) for f in odd] == [(1, 1, Severity.WARNING)]
    assert odd[0].message == f"`categories` is set in 5 of 6 files in {tmp_path.as_posix()}/_posts/ but not here"
    assert all(not found for found in findings.values())


def test_no_front_matter_among_posts_that_have_it(tmp_path: Path) -> None:
    _posts_folder(tmp_path)
    write_files(tmp_path, {"_posts/2025-11-09-bare.md": "# Forgot the front matter\n"})
    options = {"posts-need-front-matter": False}  # otherwise that error is reported instead
    bare = lint_folder(tmp_path, RULE, options=options)["_posts/2025-11-09-bare.md"]
    assert [(f.line, f.column, f.severity) for f in bare] == [(1, 1, Severity.WARNING)]
    assert bare[0].message.startswith("no front matter, but 5 of 6 files in ")


def test_misplaced_front_matter_is_left_to_front_matter_invalid(tmp_path: Path) -> None:
    _posts_folder(tmp_path)
    write_files(tmp_path, {"_posts/2025-11-09-late.md": "\n---\ntitle: x\ndate: 2025-11-09\n---\n"})
    assert lint_folder(tmp_path, RULE)["_posts/2025-11-09-late.md"] == []


def test_below_min_documents_nothing_is_inferred(tmp_path: Path) -> None:
    _posts_folder(tmp_path, count=4)  # three posts with categories, four with front matter
    write_files(tmp_path, {"_posts/2025-11-09-odd.md": _post(9, categories=False)})
    assert lint_folder(tmp_path, RULE)["_posts/2025-11-09-odd.md"] == []
    options = {"min-documents": 4, "threshold": 0.75}
    assert len(lint_folder(tmp_path, RULE, options=options)["_posts/2025-11-09-odd.md"]) == 1


def test_threshold_option(tmp_path: Path) -> None:
    _posts_folder(tmp_path)
    write_files(tmp_path, {"_posts/2025-11-09-odd.md": _post(9, categories=False)})
    assert lint_folder(tmp_path, RULE, options={"threshold": 0.9})["_posts/2025-11-09-odd.md"] == []
    assert lint_folder(tmp_path, RULE, options={"infer": False})["_posts/2025-11-09-odd.md"] == []


def test_index_pages_are_not_compared(tmp_path: Path) -> None:
    _posts_folder(tmp_path)
    write_files(tmp_path, {"_posts/_index.md": "---\ntitle: Posts\n---\n", "_posts/README.md": "# About\n"})
    findings = lint_folder(tmp_path, RULE)
    assert findings["_posts/_index.md"] == [] and findings["_posts/README.md"] == []


def test_subfolders_are_separate_folders(tmp_path: Path) -> None:
    _posts_folder(tmp_path)
    write_files(tmp_path, {"_posts/archive/2024-01-01-old.md": "---\ntitle: old\n---\n"})
    assert lint_folder(tmp_path, RULE)["_posts/archive/2024-01-01-old.md"] == []


def test_a_folder_is_scanned_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _posts_folder(tmp_path, count=12)
    scans: list[Path] = []
    original = mdlint.site.front_matter._scan_folder

    def counting(folder: Path, workspace: Workspace) -> mdlint.site.front_matter.FolderSummary:
        scans.append(folder)
        return original(folder, workspace)

    monkeypatch.setattr(mdlint.site.front_matter, "_scan_folder", counting)
    lint_folder(tmp_path, RULE)
    assert scans == [(tmp_path / "_posts").resolve()]


def test_text_that_is_not_a_file_has_no_folder() -> None:
    assert lint_text("---\ntitle: x\n---\n", RULE, path="does/not/exist.md") == []


# --- What the generator supplies --------------------------------------------------------------

_JEKYLL_DEFAULTS = """\
show_drafts: true
collections:
  docs:
    output: true
defaults:
  - scope: {path: ""}
    values: {layout: show}
  - scope: {path: "", type: posts}
    values: {author: poster}
  - scope: {path: "guides/*.md"}
    values: {category: guide}
  - scope: {path: "", type: docs}
    values: {version: "1.0"}
"""


def _jekyll_defaults_site(root: Path) -> None:
    files: dict[str, str] = {
        "_config.yml": _JEKYLL_DEFAULTS,
        "_layouts/show.html": "author={{ page.author }}|category={{ page.category }}|version={{ page.version }}\n",
        "_posts/2025-11-09-supplied.md": "---\ntitle: s\ndate: 2025-11-09\n---\n",
        "_drafts/draft.md": "---\ntitle: d\n---\n",
        "guides/supplied.md": "---\ntitle: s\n---\n",
        "guides/not-matched.markdown": "---\ntitle: n\n---\n",
        "x/guides/anchored.md": "---\ntitle: a\n---\n",
        "_docs/supplied.md": "---\ntitle: s\n---\n",
    }
    for n in range(1, 6):
        files[f"_posts/2025-11-0{n}-p.md"] = f"---\ntitle: p\ndate: 2025-11-0{n}\nauthor: someone\n---\n"
        files[f"guides/g{n}.md"] = "---\ntitle: g\ncategory: guide\n---\n"
        files[f"_docs/d{n}.md"] = "---\ntitle: d\nversion: '0.9'\n---\n"
    write_files(root, files)


def test_jekyll_defaults_supply_fields(tmp_path: Path) -> None:
    _jekyll_defaults_site(tmp_path)
    findings = {path: found for path, found in lint_folder(tmp_path, RULE).items() if found}
    assert {path: [(f.line, f.column, f.message) for f in found] for path, found in findings.items()} == {
        # `guides/*.md` does not match a `.markdown` file: Jekyll gives it no category.
        "guides/not-matched.markdown": [
            (1, 1, f"`category` is set in 6 of 7 files in {tmp_path.as_posix()}/guides/ but not here")
        ]
    }


def test_jekyll_defaults_as_jekyll_applies_them(tmp_path: Path) -> None:
    """The fields mdlint takes as supplied are the ones the real Jekyll gives each page."""
    source = tmp_path / "site"
    _jekyll_defaults_site(source)
    output = build_jekyll(source, tmp_path / "out")
    built = {
        "_posts/2025-11-09-supplied.md": "2025/11/09/supplied.html",
        "_drafts/draft.md": next(path.relative_to(output).as_posix() for path in output.rglob("draft.html")),
        "guides/supplied.md": "guides/supplied.html",
        "guides/not-matched.markdown": "guides/not-matched.html",
        "x/guides/anchored.md": "x/guides/anchored.html",
        "_docs/supplied.md": "docs/supplied.html",
    }
    workspace = Workspace()
    for name, page in built.items():
        printed = dict(item.split("=", 1) for item in (output / page).read_text().strip().split("|"))
        shown = {key for key, value in printed.items() if value}
        document = read_document(source / name)
        assert set(page_view_of(document, workspace).supplied) - {"layout"} == shown, name


_HUGO_CONFIG = """\
baseURL = "https://example.org/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
[[cascade]]
  banner = "docs"
  [cascade._target]
    path = "{/docs/**}"
    kind = "page"
[[cascade]]
  banner = "sections"
  [cascade._target]
    kind = "{home,section}"
"""


def _hugo_cascade_site(root: Path) -> None:
    files: dict[str, str] = {
        "hugo.toml": _HUGO_CONFIG,
        "layouts/_default/single.html": "series={{ .Params.series }}|banner={{ .Params.banner }}\n",
        "layouts/_default/list.html": "list\n",
        "content/blog/_index.md": "---\ntitle: Blog\ncascade:\n  series: notes\n---\n",
        "content/blog/supplied.md": "---\ntitle: s\n---\n",
        "content/docs/supplied.md": "---\ntitle: s\n---\n",
        "content/notes/lacking.md": "---\ntitle: l\n---\n",
        # Never rendered: Hugo 0.111 reads `_build`; later versions read `build` as well.
        "content/snippets/_index.md": "---\ncascade:\n  _build: {render: never, list: never}\n---\n",
        "content/snippets/lacking.md": "---\ntitle: l\n---\n",
    }
    for n in range(1, 6):
        files[f"content/blog/b{n}.md"] = "---\ntitle: b\nseries: notes\n---\n"
        files[f"content/docs/d{n}.md"] = "---\ntitle: d\nbanner: docs\n---\n"
        files[f"content/notes/n{n}.md"] = "---\ntitle: n\nbanner: notes\n---\n"
        files[f"content/snippets/s{n}.md"] = "---\ntitle: s\nweight: 1\n---\n"
    write_files(root, files)


def test_hugo_cascade_supplies_fields(tmp_path: Path) -> None:
    _hugo_cascade_site(tmp_path)
    findings = {path: found for path, found in lint_folder(tmp_path, RULE).items() if found}
    assert {path: [(f.line, f.column, f.message) for f in found] for path, found in findings.items()} == {
        "content/notes/lacking.md": [
            (1, 1, f"`banner` is set in 5 of 6 files in {tmp_path.as_posix()}/content/notes/ but not here")
        ]
    }


def test_hugo_cascade_as_hugo_applies_it(tmp_path: Path) -> None:
    source = tmp_path / "site"
    _hugo_cascade_site(source)
    output = build_hugo(source, tmp_path / "out")
    workspace = Workspace()
    for name in ("blog/supplied", "docs/supplied", "notes/lacking"):
        printed = dict(item.split("=", 1) for item in (output / name / "index.html").read_text().strip().split("|"))
        view = page_view_of(read_document(source / "content" / f"{name}.md"), workspace)
        assert set(view.supplied) == {key for key, value in printed.items() if value}, name
        assert view.rendered
    assert not (output / "snippets" / "lacking").exists()
    assert not page_view_of(read_document(source / "content/snippets/lacking.md"), workspace).rendered


# --- Fields that are never inferred -----------------------------------------------------------


def test_address_derived_private_and_empty_fields_are_not_missing(tmp_path: Path) -> None:
    page = (
        "---\ntitle: p\npermalink: /p{n}/\naliases: [/old{n}/]\nredirect_from: [/r{n}/]\nslug: p{n}\n"
        "linkTitle: P\nlastmod: 2025-01-01\n_comment: x\ncategories: []\nkeywords: ''\n---\n"
    )
    files = {f"notes/p{n}.md": page.format(n=n) for n in range(1, 6)}
    files["notes/bare.md"] = "---\ntitle: bare\n---\n"
    write_files(tmp_path, files)
    assert lint_folder(tmp_path, RULE)["notes/bare.md"] == []


def test_a_field_of_one_kind_of_page_is_not_missing_from_another(tmp_path: Path) -> None:
    files = {
        f"_posts/2025-11-{n:02d}-release.md": f"---\ntitle: r\ncategory: release\nversion: 1.{n}\n---\n"
        for n in range(1, 17)
    }
    files["_posts/2025-11-24-meetup.md"] = "---\ntitle: m\ncategories: [community]\n---\n"
    files["_posts/2025-11-25-talk.md"] = "---\ntitle: t\ncategory: community\n---\n"
    files["_posts/2025-11-26-sticker.md"] = "---\ntitle: s\ncategories: [partners]\n---\n"
    files["_posts/2025-11-27-forgot.md"] = "---\ntitle: f\ncategory: release\n---\n"
    write_files(tmp_path, files)
    findings = {path: found for path, found in lint_folder(tmp_path, RULE).items() if found}
    folder = f"{tmp_path.as_posix()}/_posts/"
    assert {path: [(f.line, f.column, f.message) for f in found] for path, found in findings.items()} == {
        # 16 of 20 posts set `version`; it goes with release notes, not with community posts.
        "_posts/2025-11-27-forgot.md": [
            (1, 1, f"`version` is set in 16 of 17 files in {folder} with categories `release` but not here")
        ],
        # `category` goes with every kind: it is missing, and the page has the plural instead.
        "_posts/2025-11-24-meetup.md": [
            (1, 1, f"`category` is set in 18 of 20 files in {folder} but not here (this page has `categories`)")
        ],
        "_posts/2025-11-26-sticker.md": [
            (1, 1, f"`category` is set in 18 of 20 files in {folder} but not here (this page has `categories`)")
        ],
    }


def test_missing_date_among_posts_is_still_reported(tmp_path: Path) -> None:
    _posts_folder(tmp_path)
    write_files(tmp_path, {"_posts/2025-11-09-undated.md": "---\ntitle: u\ncategories: [Misc]\n---\n"})
    found = lint_folder(tmp_path, RULE)["_posts/2025-11-09-undated.md"]
    assert [(f.line, f.column, f.message) for f in found] == [
        (1, 1, f"`date` is set in 5 of 6 files in {tmp_path.as_posix()}/_posts/ but not here")
    ]


def test_github_templates_are_not_site_pages(tmp_path: Path) -> None:
    template = "---\nname: T{n}\nabout: a\ntitle: 'bug: '\nlabels: bug\nassignees: ''\n---\n"
    files = {f".github/ISSUE_TEMPLATE/t{n}.md": template.format(n=n) for n in range(1, 6)}
    files[".github/ISSUE_TEMPLATE/bare.md"] = "---\nname: Bare\nabout: b\ntitle: ''\n---\n"
    files[".github/PULL_REQUEST_TEMPLATE.md"] = "Describe the change.\n"
    write_files(tmp_path, files)
    options = {RULE: {"required": ["date"]}}
    assert all(not found for found in lint_folder(tmp_path, RULE, options=options[RULE]).values())


def test_a_required_field_the_site_supplies_is_not_missing(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "_config.yml": "defaults:\n  - scope: {path: _posts}\n    values: {layout: post}\n",
            "_posts/2025-11-19-a.md": "---\ntitle: a\n---\n",
            "notes/a.md": "---\ntitle: a\n---\n",
        },
    )
    findings = lint_folder(tmp_path, RULE, options={"required": ["layout"]})
    assert findings["_posts/2025-11-19-a.md"] == []
    assert [(f.line, f.column, f.message) for f in findings["notes/a.md"]] == [
        (1, 1, "required front-matter field `layout` is missing")
    ]


def test_a_page_of_no_kind_is_compared_with_the_pages_of_no_kind(tmp_path: Path) -> None:
    files = {f"notes/n{n:02d}.md": f"---\ntitle: n\nversion: {n}\n---\n" for n in range(12)}
    files.update({f"notes/misc{n}.md": "---\ntitle: m\ncategories: [misc]\n---\n" for n in range(2)})
    files["notes/forgot.md"] = "---\ntitle: f\n---\n"
    write_files(tmp_path, files)
    findings = {path: found for path, found in lint_folder(tmp_path, RULE).items() if found}
    assert {path: [(f.line, f.column, f.message) for f in found] for path, found in findings.items()} == {
        "notes/forgot.md": [
            (
                1,
                1,
                f"`version` is set in 12 of 13 files in {tmp_path.as_posix()}/notes/ "
                "without categories, type or layout but not here",
            )
        ]
    }
