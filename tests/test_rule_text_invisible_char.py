"""text-invisible-char: messages, severities, fixes and their safety."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mdlint.findings import Severity
from mdlint.testing import apply_fixes, lint_text

RULE = "text-invisible-char"


def test_no_break_space_becomes_a_space() -> None:
    text = "- 📜\u00a0[Harvard] [Scaling Laws](https://arxiv.org/pdf/2411.04330)\n"
    [finding] = lint_text(text, RULE)
    assert (finding.line, finding.column, finding.end_column) == (1, 4, 5)
    assert finding.severity is Severity.WARNING
    assert "U+00A0 NO-BREAK SPACE" in finding.message
    assert apply_fixes(text, [finding]) == text.replace("\u00a0", " ")


def test_a_run_is_one_finding() -> None:
    [finding] = lint_text("공백\u200b\u200b\u200b끝\n", RULE)
    assert (finding.column, finding.end_column) == (3, 6)
    assert "3 × U+200B ZERO WIDTH SPACE" in finding.message


def test_leading_and_trailing_no_break_spaces_are_unsafe_to_replace() -> None:
    # Four leading spaces make an indented code block; two trailing ones a hard line break.
    findings = lint_text("\u00a0\u00a0\u00a0\u00a0문단\n끝\u00a0\u00a0\n", RULE)
    assert [f.fix.applicability for f in findings if f.fix] == ["unsafe", "unsafe"]


def test_zero_width_space_next_to_emphasis_is_unsafe_to_drop() -> None:
    # `**(a)\u200b**와` is the trick that makes GitHub render the bold; dropping it breaks it.
    [finding] = lint_text("**(a)\u200b**와\n", RULE)
    assert finding.fix is not None and finding.fix.applicability == "unsafe"


def test_emoji_joiners_are_part_of_the_emoji() -> None:
    assert lint_text("🧑🏻\u200d💻 👩\u200d👩\u200d👧 🏳\ufe0f\u200d🌈\n", RULE) == []
    [finding] = lint_text("🧑🏻\u200d 개발자\n", RULE)
    assert "joiner outside an emoji sequence" in finding.message
    assert apply_fixes("🧑🏻\u200d 개발자\n", [finding]) == "🧑🏻 개발자\n"


def test_joiners_in_scripts_that_need_them() -> None:
    assert lint_text("میخواهم\u200cرفتن क्\u200dष\n", RULE) == []


def test_directional_marks_are_fine_in_right_to_left_text_only() -> None:
    assert lint_text("שלום\u200f עולם\n", RULE) == []
    [finding] = lint_text("한국어\u200e 문장\n", RULE)
    assert finding.fix is not None and finding.fix.applicability == "safe"


def test_bidi_controls_are_errors_even_in_code_and_code_is_never_edited() -> None:
    text = '```python\naccess = "user\u202e \u2066# admin\u2069 \u2066"\n```\n\n본문\u202e글\n'
    findings = lint_text(text, RULE)
    assert [f.severity for f in findings] == [Severity.ERROR] * 5
    in_code, in_text = findings[:4], findings[4]
    assert all(f.fix is None and "in code" in f.message for f in in_code)
    assert in_text.fix is not None and in_text.fix.applicability == "unsafe"


def test_other_characters_are_left_alone_in_code() -> None:
    assert lint_text("`a\u00a0b\u200bc`\n\n    indented\u00a0code\n", RULE) == []


def test_control_characters_and_mid_file_bom() -> None:
    findings = lint_text("a\x07b\ufeffc\x85d\n", RULE)
    assert [(f.column, f.fix.applicability if f.fix else None) for f in findings] == [
        (2, "unsafe"),
        (4, "safe"),
        (6, "unsafe"),
    ]
    assert "byte-order mark in mid-file" in findings[1].message


def test_configured_severity_does_not_soften_bidi_controls() -> None:
    findings = lint_text("a\u00a0b \u202e\n", RULE, options={RULE: {"severity": "info"}})
    assert [f.severity for f in findings] == [Severity.INFO, Severity.ERROR]


_ALPHABET = st.sampled_from(
    ["a", "한", " ", "\n", "*", "`", "\u00a0", "\u200b", "\u200d", "\u00ad", "🧑", "\x07", "\u202e"]
)


@given(st.lists(_ALPHABET, max_size=30).map("".join))
# Dropping the zero-width space joined "`" and "`" into "``": the code span ended elsewhere.
@example("`\xa0`\u200b`")
@example("`\xa0`\xad`")
def test_safe_fixes_are_idempotent_and_positions_point_at_the_character(text: str) -> None:
    findings = lint_text(text, RULE)
    for finding in findings:
        offset = sum(len(line) + 1 for line in text.split("\n")[: finding.line - 1]) + finding.column - 1
        assert text[offset] in "\u00a0\u200b\u200d\u00ad\x07\u202e"
    fixed = apply_fixes(text, findings)
    assert not any(f.fixable_with(False) for f in lint_text(fixed, RULE))
    assert apply_fixes(fixed, lint_text(fixed, RULE)) == fixed


def test_a_long_line_of_no_break_spaces_is_one_finding_with_an_unsafe_fix() -> None:
    # The fix safety used to look at the whole line for each character: quadratic on 100k NBSP.
    text = "a" + "\u00a0" * 50_000 + "b\n\u00a0c\nd\u00a0\n"
    findings = lint_text(text, "text-invisible-char")
    assert [(f.line, f.column, f.end_column) for f in findings] == [(1, 2, 50_002), (2, 1, 2), (3, 2, 3)]
    assert [f.fix.applicability if f.fix else None for f in findings] == ["safe", "unsafe", "unsafe"]


def test_a_no_break_space_after_a_block_marker_has_an_unsafe_fix() -> None:
    # "#\u00a0Title" is a paragraph on GitHub; with a plain space it would become a heading.
    text = "#\u00a0Title\n> -\u00a0item\n1.\u00a0x\nC#\u00a0code\nIn 1.\u00a0x\n"
    findings = lint_text(text, "text-invisible-char")
    assert [(f.line, f.fix.applicability if f.fix else None) for f in findings] == [
        (1, "unsafe"),
        (2, "unsafe"),
        (3, "unsafe"),
        # Next to `#` anywhere is unsafe too: `# Title\u00a0#` would gain a closing sequence.
        (4, "unsafe"),
        # Not at the start of a line, `1.` is no list marker.
        (5, "safe"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "[RE2\u00a0syntax]\n\n[RE2 syntax]: https://example.com/re2\n",  # a label: the space makes it match
        "Visit www.example.org/b\u200bc today.\n",  # moves GitHub's autolink
        "Mail me@exa\u200bmple.org today.\n",  # makes an email autolink
        "https://b.org/x\u00a0\u00a0 word\n",  # GitHub's autolink runs past a no-break space
        "&n\u2060bsp; word\n",  # removing it makes the entity &nbsp;
    ],
)
def test_removals_that_change_links_or_entities_are_unsafe(text: str) -> None:
    findings = lint_text(text, "text-invisible-char")
    assert findings
    assert [finding.fix.applicability for finding in findings if finding.fix is not None] == ["unsafe"] * len(findings)
