"""front-matter-mismatch: file name, permalink and title dates (and ranges) against `date`; trailing slashes."""

from __future__ import annotations

from pathlib import Path

from mdlint.findings import Severity
from mdlint.testing import apply_fixes, lint_text
from tests.front_matter_helpers import lint_folder, write_files
from tests.generators import build_jekyll

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


# --- Date ranges ------------------------------------------------------------------------------


def test_title_with_a_date_range_agrees_with_any_day_in_it_or_the_day_after() -> None:
    title = "---\ntitle: 'AI Weekly Picks(2026-02-01~02-07)'\ndate: {date}\n---\n"
    for date in ("2026-02-01", "2026-02-04", "2026-02-07", "2026-02-08"):
        assert _where(title.format(date=date)) == [], date
    assert _where(title.format(date="2026-02-09")) == [
        (2, 25, "title says 2026-02-01 to 2026-02-07 (2026-02-01~02-07) but date is 2026-02-09")
    ]
    assert _where(title.format(date="2026-01-31")) == [
        (2, 25, "title says 2026-02-01 to 2026-02-07 (2026-02-01~02-07) but date is 2026-01-31")
    ]


def test_range_forms() -> None:
    agreeing = [
        ("Picks(2025-07-13-19)", "2025-07-20"),
        ("Picks 2025-12-28-2026-01-03", "2026-01-04"),
        ("Picks (2025-12-28~01-03)", "2026-01-02"),  # ends in the next year
        ("Picks 20250713~20250719", "2025-07-19"),
        ("Picks 20250713-0719", "2025-07-14"),
        ("Picks 2025.07.13 ~ 07.19", "2025-07-20"),
        ("Picks 2025.07.13 – 2025.07.19", "2025-07-13"),
        ("Picks 2025-07-01 to 2025-07-31", "2025-08-01"),
    ]
    for title, date in agreeing:
        assert _where(f"---\ntitle: '{title}'\ndate: {date}\n---\n") == [], title
    # Not ranges: a day before the start, or a span longer than a quarter, is a plain date.
    assert _where("---\ntitle: 'Picks 2025-07-13-02'\ndate: 2025-07-14\n---\n") == [
        (2, 15, "title says 2025-07-13 (2025-07-13) but date is 2025-07-14")
    ]
    assert _where("---\ntitle: 'Year 2025-01-01~2025-12-31'\ndate: 2025-06-01\n---\n") == [
        (2, 14, "title says 2025-01-01 (2025-01-01) but date is 2025-06-01")
    ]
    assert _where("---\ntitle: '2025-07-01 - 15 tips'\ndate: 2025-07-05\n---\n") == [
        (2, 9, "title says 2025-07-01 (2025-07-01) but date is 2025-07-05")
    ]
    assert _where("---\ntitle: 'Picks 2025-07-01 - 07-15'\ndate: 2025-07-05\n---\n") == []


def test_permalink_with_a_date_range() -> None:
    text = "---\ndate: {date}\npermalink: /posts/2025/07/ai-weekly-picks-2025-07-13-19/\n---\n"
    assert _where(text.format(date="2025-07-20")) == []
    assert _where(text.format(date="2025-07-21")) == [
        (3, 12, "permalink says 2025-07-13-19 (2025-07-13 to 2025-07-19) but date is 2025-07-21")
    ]
    across = "---\ndate: 2026-01-04\npermalink: /posts/{folder}/picks-2025-12-28-2026-01-03/\n---\n"
    assert _where(across.format(folder="2025/12")) == []  # the folder follows the range's first day
    assert _where(across.format(folder="2026/01")) == []
    assert _where(across.format(folder="2025/11")) == [(3, 12, "permalink says 2025/11 but date is 2026-01-04")]


# --- The date the site shows ------------------------------------------------------------------


def _timezone_site(root: Path) -> None:
    write_files(
        root,
        {
            "_config.yml": "timezone: America/Los_Angeles\npermalink: /:year/:month/:day/:title/\n",
            "_layouts/show.html": "{{ page.date | date: '%Y-%m-%d' }}\n",
            # 09:50 in UTC+3 is 23:50 the day before in Los Angeles: the file name's day.
            "_posts/2016-08-24-admin.md": '---\nlayout: show\ndate: "2016-08-25 09:50:00 +0300"\n---\n',
            # 02:12 in UTC+2 is the 5th in Los Angeles, not the 6th of the file name.
            "_posts/2013-05-06-release.md": '---\nlayout: show\ndate: "2013-05-06 02:12:52 +0200"\n---\n',
            "_posts/2014-11-06-crisis.md": "---\nlayout: show\ndate: 2014-11-05 10:48:22 -0800\n---\n",
        },
    )


def test_file_name_date_against_the_date_in_the_sites_time_zone(tmp_path: Path) -> None:
    _timezone_site(tmp_path)
    findings = {path: found for path, found in lint_folder(tmp_path, RULE).items() if found}
    assert {path: [(f.line, f.column, f.message) for f in found] for path, found in findings.items()} == {
        "_posts/2013-05-06-release.md": [
            (
                3,
                7,
                "date 2013-05-06 is 2013-05-05 in the site's time zone (America/Los_Angeles), "
                "not the date in the file name 2013-05-06-release.md (2013-05-06)",
            )
        ],
        "_posts/2014-11-06-crisis.md": [
            (3, 7, "date 2014-11-05 is not the date in the file name 2014-11-06-crisis.md (2014-11-06)")
        ],
    }


def test_jekyll_dates_posts_in_the_sites_time_zone(tmp_path: Path) -> None:
    """The day mdlint compares is the day the real Jekyll gives the post (its URL and `page.date`)."""
    source = tmp_path / "site"
    _timezone_site(source)
    output = build_jekyll(source, tmp_path / "out")
    assert (output / "2016/08/24/admin/index.html").read_text().strip() == "2016-08-24"
    assert (output / "2013/05/05/release/index.html").read_text().strip() == "2013-05-05"
    assert (output / "2014/11/05/crisis/index.html").read_text().strip() == "2014-11-05"


def test_github_templates_are_not_compared() -> None:
    text = "---\nname: Weekly\ntitle: 'Picks 2025-01-01'\ndate: 2025-02-01\n---\n"
    assert _where(text, ".github/ISSUE_TEMPLATE/2025-03-01-weekly.md") == []
