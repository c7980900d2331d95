"""front-matter-missing: required fields from config and fields inferred from a folder of posts."""

from __future__ import annotations

from pathlib import Path

import pytest

import mdlint.site.front_matter
from mdlint.findings import Severity
from mdlint.site.workspace import Workspace
from mdlint.testing import lint_text
from tests.front_matter_helpers import lint_folder, write_files

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
