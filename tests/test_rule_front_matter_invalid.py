"""front-matter-invalid: messages, exact positions (CRLF, BOM, wide characters), options, fixes."""

from __future__ import annotations

import codecs
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mdlint.testing import apply_fixes, lint_text
from tests.front_matter_helpers import lint_folder, write_files

RULE = "front-matter-invalid"


def _where(text: str, **kwargs: object) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.message) for f in lint_text(text, RULE, **kwargs)]  # type: ignore[arg-type]


def test_doubled_offset_is_not_a_date() -> None:
    text = "---\ntitle: x\ndate: 2025-11-14 00:00:00+0900+0900\n---\n"
    assert _where(text) == [
        (
            3,
            7,
            "`date` must be a date or timestamp such as 2025-11-14 or 2025-11-14 09:00:00 +09:00, "
            "got '2025-11-14 00:00:00+0900+0900'",
        )
    ]


def test_accepted_date_forms() -> None:
    dates = [
        "2025-11-14",
        "2025-11-14 09:00:00",
        "2025-11-14 09:00:00 +09:00",
        "2025-11-14 09:00:00 +0900",
        "2025-11-14T09:00:00Z",
        '"2025-11-14 09:00:00 -0500"',
        "2025-11-14 09:00",
    ]
    for value in dates:
        assert _where(f"---\ndate: {value}\n---\n") == [], value


def test_rejected_date_forms() -> None:
    for value in ("2025-02-30", "2025-13-01", "yesterday", "2025-11-14 25:00:00", "20251114", "[2025-11-14]"):
        findings = _where(f"---\ndate: {value}\n---\n")
        assert [(line, column) for line, column, _ in findings] == [(2, 7)], value


def test_wrong_types_name_what_was_expected() -> None:
    text = "---\ntitle: 404\ntags: [a, 1]\npermalink: posts/x/\ncategories:\n---\n"
    assert _where(text) == [
        (2, 8, "`title` must be a non-empty string (quote numbers, dates and yes/no), got the number 404"),
        (3, 7, "`tags` must be a string or a list of strings, got a list whose item 2 is the number 1"),
        (4, 12, "`permalink` must be a path starting with `/`, got 'posts/x/'"),
    ]


def test_empty_title_is_reported_at_the_key() -> None:
    assert _where("---\ntitle:\n---\n") == [
        (2, 1, "`title` must be a non-empty string (quote numbers, dates and yes/no), got an empty value")
    ]


def test_types_option_adds_and_switches_off_keys() -> None:
    text = "---\npermalink: relative/\ndraft: maybe\n---\n"
    options = {RULE: {"types": {"permalink": "any", "draft": "boolean"}}}
    assert _where(text, options=options) == [(3, 8, "`draft` must be true or false, got 'maybe'")]


def test_types_per_override_glob(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            ".mdlint.toml": '[[overrides]]\npaths = ["docs/**"]\n'
            '[overrides.rules.front-matter-invalid]\ntypes = { permalink = "any" }\n',
            "docs/page.md": "---\npermalink: relative/\n---\n",
            "posts/page.md": "---\npermalink: relative/\n---\n",
        },
    )
    findings = lint_folder(tmp_path, RULE)
    assert findings["docs/page.md"] == []
    assert [(f.line, f.column) for f in findings["posts/page.md"]] == [(2, 12)]


def test_duplicate_keys_at_every_level() -> None:
    text = "---\ntitle: a\nparams:\n  x: 1\n  x: 2\ntitle: b\n---\n"
    assert _where(text) == [
        (5, 3, "duplicate key `x` (first set on line 4); only the last value is used"),
        (6, 1, "duplicate key `title` (first set on line 2); only the last value is used"),
    ]


def test_yaml_error_at_the_parsers_position() -> None:
    assert _where("---\ntitle: x\n  bad: indent\n---\n") == [
        (3, 6, "front matter is not valid YAML: mapping values are not allowed in this context")
    ]


def test_toml_error_at_the_parsers_position() -> None:
    assert _where("+++\ntitle = 'x'\ndate = = 1\n+++\n") == [(3, 8, "front matter is not valid TOML: Invalid value")]


def test_toml_wrong_type_at_the_value() -> None:
    assert _where("+++\r\ntitle = 'x'\r\ntags = 3 # note\r\n+++\r\n") == [
        (3, 8, "`tags` must be a string or a list of strings, got the number 3")
    ]


def test_crlf_and_wide_characters_keep_exact_columns() -> None:
    text = "---\r\ntitle: '한국어 😀'\r\nsummary: 제목\r\ndate: 2025-1-1x\r\n---\r\n"
    assert [(line, column) for line, column, _ in _where(text)] == [(4, 7)]


def test_bom_file_through_the_engine(tmp_path: Path) -> None:
    body = "---\r\ntitle: 'x'\r\ndate: 2025-11-14 00:00:00+0900+0900\r\n---\r\n"
    write_files(tmp_path, {"post.md": codecs.BOM_UTF8 + body.encode("utf-8")})
    findings = lint_folder(tmp_path, RULE)["post.md"]
    assert [(f.line, f.column, f.end_line, f.end_column) for f in findings] == [(3, 7, 3, 36)]


def test_utf16_bom_file_through_the_engine(tmp_path: Path) -> None:
    body = "---\ntitle: x\ntitle: y\n---\n"
    write_files(tmp_path, {"post.md": codecs.BOM_UTF16_LE + body.encode("utf-16-le")})
    assert [(f.line, f.column) for f in lint_folder(tmp_path, RULE)["post.md"]] == [(3, 1)]


def test_front_matter_after_blank_lines_has_an_unsafe_fix() -> None:
    text = "\n\n---\ntitle: x\n---\nbody\n"
    findings = lint_text(text, RULE)
    assert [(f.line, f.column, f.message) for f in findings] == [
        (3, 1, "front matter starts on line 3 after 2 blank lines; it must start on line 1 or it is shown as text")
    ]
    assert findings[0].fix is not None and findings[0].fix.applicability == "unsafe"
    fixed = apply_fixes(text, findings, unsafe=True)
    assert fixed == "---\ntitle: x\n---\nbody\n"
    assert lint_text(fixed, RULE) == []


def test_front_matter_after_text_needs_two_known_keys_and_has_no_fix() -> None:
    findings = lint_text("Draft\n---\ntitle: x\ndate: 2025-11-14\n---\n", RULE)
    assert [(f.line, f.column, f.fix) for f in findings] == [(2, 1, None)]
    # One key after a paragraph is a setext heading, not front matter.
    assert lint_text("Draft\n---\ntitle: x\n---\n", RULE) == []


def test_indented_fence_on_line_one() -> None:
    findings = lint_text("  ---\ntitle: x\n---\n", RULE)
    assert [(f.line, f.column) for f in findings] == [(1, 3)]
    assert apply_fixes("  ---\ntitle: x\n---\n", findings, unsafe=True) == "---\ntitle: x\n---\n"


def test_unclosed_front_matter() -> None:
    assert _where("---\r\ntitle: x\r\ndate: 2025-11-14\r\n\r\nText.\r\n") == [
        (1, 1, "front matter opened on line 1 is never closed; add a `---` line after its last key")
    ]


def test_thematic_break_and_plain_text_are_not_front_matter() -> None:
    assert lint_text("---\n\nSome text: with a colon\n", RULE) == []
    assert lint_text("# Title\n\n---\n\nmore\n", RULE) == []
    assert lint_text("", RULE) == []


def test_template_front_matter_is_not_reported() -> None:
    assert lint_text("---\ntitle: {{ .Name }}\n---\n", RULE) == []


@settings(max_examples=60, deadline=None)
@given(
    padding=st.lists(
        st.sampled_from(["layout: post", "# comment", "note: '한국어 😀'", "list: [a, b]"]), max_size=4, unique=True
    ),
    newline=st.sampled_from(["\n", "\r\n"]),
    key=st.from_regex(r"k_[a-z_]{0,8}", fullmatch=True),
)
def test_duplicate_key_finding_points_at_the_key(padding: list[str], newline: str, key: str) -> None:
    lines = ["---", f"{key}: one", *padding, f"{key}: two", "---", ""]
    text = newline.join(lines)
    duplicates = [f for f in lint_text(text, RULE) if f.message.startswith("duplicate")]
    assert len(duplicates) == 1
    finding = duplicates[0]
    assert (finding.line, finding.column) == (len(padding) + 3, 1)
    assert text.split(newline)[finding.line - 1][finding.column - 1 : finding.end_column - 1] == key


def test_a_control_character_in_yaml_is_one_line_at_the_character() -> None:
    # Found by tests/test_hostile_input.py: PyYAML's reader error spans two lines, and libyaml
    # counts its position in bytes (the NEL before the bell is two bytes in UTF-8).
    findings = lint_text("---\ntitle: x\na: \x85\x07\n---\n", "front-matter-invalid")
    assert [(f.line, f.column, f.end_column, f.message) for f in findings] == [
        (3, 5, 6, "front matter is not valid YAML: character U+0007 is not allowed")
    ]


def test_github_issue_templates_keep_their_own_field_types() -> None:
    template = "---\nname: Bug\nabout: Report a bug\ntitle: ''\nlabels: bug\nassignees: ''\n---\n"
    assert _where(template, path=".github/ISSUE_TEMPLATE/bug.md") == []
    assert _where(template, path="docs/bug.md") == [
        (4, 8, "`title` must be a non-empty string (quote numbers, dates and yes/no), got ''")
    ]
    # GitHub parses the YAML all the same: what breaks it is still reported.
    assert _where("---\nname: a\nname: b\n---\n", path=".github/ISSUE_TEMPLATE/bug.md") == [
        (3, 1, "duplicate key `name` (first set on line 2); only the last value is used")
    ]
