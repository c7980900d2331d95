"""mdlint.site.front_matter: entries with offsets, dates as written, stray blocks, the parse cache."""

from __future__ import annotations

import datetime as dt

import pytest

from mdlint.markdown.document import Document
from mdlint.site.front_matter import (
    find_stray_front_matter,
    front_matter_of,
    parse_date,
    parse_front_matter,
    trailing_slash_style,
    written_date,
)
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
