"""front-matter-mismatch: file name, permalink and title dates against `date`; trailing slashes."""

from __future__ import annotations

from pathlib import Path

from mdlint.findings import Severity
from mdlint.testing import apply_fixes, lint_text
from tests.front_matter_helpers import lint_folder, write_files

RULE = "front-matter-mismatch"


def _where(text: str, path: str = "test.md", **options: object) -> list[tuple[int, int, str]]:
    findings = lint_text(text, RULE, path=path, options={RULE: options})
    return [(f.line, f.column, f.message) for f in findings]


def test_file_name_date_reported_at_the_date_value() -> None:
    text = "---\ntitle: x\ndate: 2026-02-28 10:00:00 +09:00\n---\n"
    assert _where(text, "_posts/2026-03-01-spring.md") == [
        (3, 7, "date 2026-02-28 is not the date in the file name 2026-03-01-spring.md (2026-03-01)")
    ]
    assert _where(text, "_posts/2026-03-01-spring.md", filename_date=False) == []


def test_dates_are_compared_as_written_whatever_the_offset() -> None:
    text = "---\ndate: 2025-11-19 23:30:00 -0500\n---\n"
    assert _where(text, "_posts/2025-11-19-late-night.md") == []
    assert len(_where(text, "_posts/2025-11-20-late-night.md")) == 1
    toml = "+++\ndate = 2025-11-19T23:30:00-05:00\n+++\n"
    assert _where(toml, "_posts/2025-11-19-late-night.md") == []


def test_permalink_segments() -> None:
    text = "---\ndate: 2025-11-19\npermalink: /posts/2025/12/x/\n---\n"
    assert _where(text) == [(3, 12, "permalink says 2025/12 but date is 2025-11-19")]
    assert _where(text, permalink_date=False) == []
    assert _where("---\ndate: 2025-11-19\npermalink: /2025/11/18/x/\n---\n") == [
        (3, 12, "permalink says 2025/11/18 but date is 2025-11-19")
    ]
    assert _where("---\ndate: 2025-11-19\npermalink: /posts/x-2025-11-18/\n---\n") == [
        (3, 12, "permalink says 2025-11-18 but date is 2025-11-19")
    ]
    assert _where("---\ndate: 2025-11-19\npermalink: /posts/2025/11/x-2025-11-19/\n---\n") == []
    assert _where("---\ndate: 2025-11-19\npermalink: /:year/:month/:title/\n---\n") == []


def test_title_stamp_reported_at_the_stamp() -> None:
    text = "---\r\ntitle: 'AI 주간 Picks(20251203)'\r\ndate: 2025-12-04\r\n---\r\n"
    findings = lint_text(text, RULE)
    assert [(f.line, f.column, f.end_column, f.message) for f in findings] == [
        (2, 21, 29, "title says 2025-12-03 (20251203) but date is 2025-12-04")
    ]
    assert _where(text, title_date=False) == []
    assert _where("---\ntitle: Notes 2025.12.3\ndate: 2025-12-03\n---\n") == []
    assert _where("---\ntitle: Top 12345678 tips\ndate: 2025-12-03\n---\n") == []


def test_invalid_date_is_left_to_front_matter_invalid() -> None:
    assert _where("---\ndate: 2025-11-14 00:00:00+0900+0900\npermalink: /2024/x/\n---\n", "2025-11-15-x.md") == []


def _slash_folder(root: Path, odd: str) -> None:
    files = {
        f"_posts/2025-11-{day:02d}-p.md": f"---\ntitle: p\ndate: 2025-11-{day:02d}\npermalink: /p{day}/\n---\n"
        for day in range(1, 6)
    }
    files["_posts/2025-11-09-odd.md"] = odd
    write_files(root, files)


def test_trailing_slash_majority_with_unsafe_fix(tmp_path: Path) -> None:
    odd = "---\r\ntitle: odd\r\npermalink: '/posts/odd'\r\n---\r\n"
    _slash_folder(tmp_path, odd)
    findings = lint_folder(tmp_path, RULE)
    found = findings.pop("_posts/2025-11-09-odd.md")
    assert [(f.line, f.column, f.severity) for f in found] == [(3, 12, Severity.WARNING)]
    assert found[0].message.startswith("permalink has no trailing `/`, unlike 5 of 6 permalinks in ")
    assert found[0].fix is not None and found[0].fix.applicability == "unsafe"
    fixed = apply_fixes(odd, found, unsafe=True)
    assert fixed == "---\r\ntitle: odd\r\npermalink: '/posts/odd/'\r\n---\r\n"
    assert all(not f for f in findings.values())
    (tmp_path / "_posts/2025-11-09-odd.md").write_text(fixed, newline="")
    assert lint_folder(tmp_path, RULE)["_posts/2025-11-09-odd.md"] == []


def test_trailing_slash_removed_when_the_folder_has_none(tmp_path: Path) -> None:
    files = {
        f"_posts/2025-11-{day:02d}-p.md": f"---\ndate: 2025-11-{day:02d}\npermalink: /p{day}\n---\n"
        for day in range(1, 6)
    }
    files["_posts/2025-11-09-odd.md"] = odd = "---\npermalink: /odd//\n---\n"
    write_files(tmp_path, files)
    found = lint_folder(tmp_path, RULE)["_posts/2025-11-09-odd.md"]
    assert apply_fixes(odd, found, unsafe=True) == "---\npermalink: /odd\n---\n"


def test_trailing_slash_needs_a_clear_majority(tmp_path: Path) -> None:
    _slash_folder(tmp_path, "---\npermalink: /feed.xml\n---\n")
    assert lint_folder(tmp_path, RULE)["_posts/2025-11-09-odd.md"] == []
    _slash_folder(tmp_path, "---\npermalink: /odd\n---\n")
    assert lint_folder(tmp_path, RULE, options={"trailing-slash": False})["_posts/2025-11-09-odd.md"] == []
    assert lint_folder(tmp_path, RULE, options={"min-documents": 7})["_posts/2025-11-09-odd.md"] == []
