"""mdlint.site.front_matter: entries with offsets, dates as written, stray blocks, the parse cache."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest

from mdlint.markdown.document import Document
from mdlint.site.front_matter import (
    _hugo_glob,
    find_stray_front_matter,
    front_matter_of,
    page_date,
    parse_date,
    parse_front_matter,
    trailing_slash_style,
    written_date,
    written_moment,
)
from mdlint.site.model import collection_of, find_site_root, front_matter_defaults
from mdlint.site.workspace import Workspace


def test_entries_locate_keys_and_values_in_the_file() -> None:
    text = "---\r\ntitle: '한국어 😀'\r\ntags:\r\n  - a\r\n  - b\r\ndate: 2025-11-19\r\n---\r\nbody\r\n"
    document = Document("x.md", text)
    parsed = parse_front_matter(document)
    assert parsed is not None and parsed.error is None
    spans = {
        key: (text[e.key_start : e.key_end], text[e.value_start : e.value_end]) for key, e in parsed.entries.items()
    }
    assert spans == {
        "title": ("title", "'한국어 😀'"),
        "tags": ("tags", "- a\r\n  - b"),
        "date": ("date", "2025-11-19"),
    }
    assert parsed.entries["title"].quote == "'" and parsed.entries["title"].text == "한국어 😀"
    assert parsed.data["date"] == dt.date(2025, 11, 19)


def test_toml_entries() -> None:
    text = '+++\ntitle = "C# notes" # comment\n"quoted key" = 1\n[params]\ntitle = 2\n+++\n'
    parsed = parse_front_matter(Document("x.md", text))
    assert parsed is not None
    assert {k: text[e.value_start : e.value_end] for k, e in parsed.entries.items()} == {
        "title": '"C# notes"',
        "quoted key": "1",
    }


def test_impossible_timestamp_stays_text() -> None:
    parsed = parse_front_matter(Document("x.md", "---\ndate: 2025-02-30\n---\n"))
    assert parsed is not None and parsed.data == {"date": "2025-02-30"}


def test_parsed_once_per_workspace() -> None:
    document = Document("x.md", "---\ntitle: x\n---\n")
    workspace = Workspace()
    assert front_matter_of(document, workspace) is front_matter_of(document, workspace)
    other = Document("x.md", "---\ntitle: y\n---\n")  # same path, other text: its own parse
    parsed = front_matter_of(other, workspace)
    assert parsed is not None and parsed.data == {"title": "y"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11-19", dt.date(2025, 11, 19)),
        ("2025-11-19 23:30:00 -0500", dt.date(2025, 11, 19)),
        ("2025-11-19T23:30:00.5+09:00", dt.date(2025, 11, 19)),
        ("2025-11-14 00:00:00+0900+0900", None),
        ("2025-02-29", None),
        ("2025-11-19 24:00", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_written_date_keeps_the_wall_clock_date() -> None:
    late = dt.datetime(2025, 11, 19, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert written_date(late) == dt.date(2025, 11, 19)
    assert written_date(3) is None


@pytest.mark.parametrize(
    ("permalink", "style"),
    [("/a/b/", True), ("/a/b", False), ("/feed.xml", None), ("/", None), ("a/b/", None), (3, None), ("/:title", None)],
)
def test_trailing_slash_style(permalink: object, style: bool | None) -> None:
    assert trailing_slash_style(permalink) is style


def test_stray_front_matter_kinds() -> None:
    late = find_stray_front_matter(Document("x.md", "\r\n\r\n---\r\ntitle: x\r\n---\r\n"))
    assert late is not None and (late.kind, late.fence_line, late.blank_lines_before) == ("late", 3, 2)
    toml = find_stray_front_matter(Document("x.md", "\n+++\ntitle = 'x'\n+++\n"))
    assert toml is not None and toml.fence_line == 2
    assert find_stray_front_matter(Document("x.md", "---\ntitle: x\n---\n")) is None


@pytest.mark.parametrize(
    ("value", "zone", "expected"),
    [
        ("2016-08-25 09:50:00 +0300", "America/Los_Angeles", dt.date(2016, 8, 24)),
        ("2016-08-25 09:50:00 +0300", None, dt.date(2016, 8, 25)),
        ("2016-08-25T09:50:00Z", "Asia/Seoul", dt.date(2016, 8, 25)),
        ("2016-08-25 23:50:00Z", "Asia/Seoul", dt.date(2016, 8, 26)),
        ("2016-08-25 23:50:00", "Asia/Seoul", dt.date(2016, 8, 25)),  # no offset: the site's own time
        (dt.date(2016, 8, 25), "Asia/Seoul", dt.date(2016, 8, 25)),
        ("someday", "Asia/Seoul", None),
    ],
)
def test_page_date_in_the_sites_time_zone(value: object, zone: str | None, expected: dt.date | None) -> None:
    assert page_date(value, zoneinfo.ZoneInfo(zone) if zone else None) == expected


def test_written_moment_keeps_the_offset() -> None:
    moment = written_moment("2025-11-19 23:30:00 -0530")
    assert moment == dt.datetime(2025, 11, 19, 23, 30, tzinfo=dt.timezone(-dt.timedelta(hours=5, minutes=30)))
    assert written_moment("2025-11-19") == dt.date(2025, 11, 19)


def test_jekyll_default_scopes(tmp_path: Path) -> None:
    config = (
        "collections: {docs: {output: true}}\ndefaults:\n"
        "  - {scope: {path: 'guides/*.md'}, values: {a: 1}}\n"
        "  - {scope: {path: 'notes/**/*.md'}, values: {b: 1}}\n"
        "  - {scope: {path: '', type: posts}, values: {c: 1}}\n"
        "  - {scope: {path: '_docs', type: docs}, values: {d: 1}}\n"
        "  - {scope: {path: '', type: pages}, values: {e: 1}}\n"
    )
    (tmp_path / "_config.yml").write_text(config)
    site = find_site_root(tmp_path / "x.md")
    assert site is not None

    def supplied(name: str) -> set[str]:
        path = tmp_path / name
        return set(front_matter_defaults(site, path, collection_of(site, path)))

    assert supplied("guides/a.md") == {"a", "e"}
    assert supplied("guides/a.markdown") == {"e"}
    assert supplied("x/guides/a.md") == {"e"}  # globs are anchored at the site's root
    assert supplied("notes/a.md") == {"b", "e"}  # `**/` is zero folders or more
    assert supplied("notes/2025/11/a.md") == {"b", "e"}
    assert supplied("_posts/2025-11-19-a.md") == {"c"}
    assert supplied("_drafts/a.md") == {"c"}  # Jekyll reads drafts into the posts collection
    assert supplied("_docs/a.md") == {"d"}


def test_hugo_glob() -> None:
    assert _hugo_glob("{/functions/**,/methods/**}").fullmatch("/functions/strings/trim")
    assert not _hugo_glob("{/functions/**,/methods/**}").fullmatch("/about/functions")
    assert _hugo_glob("/blog/*").fullmatch("/blog/a")
    assert not _hugo_glob("/blog/*").fullmatch("/blog/a/b")
    assert _hugo_glob("{home,section}").fullmatch("section")
    assert not _hugo_glob("{home,section}").fullmatch("page")
