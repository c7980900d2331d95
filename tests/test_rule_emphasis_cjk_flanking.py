"""emphasis-cjk-flanking: the rule fires exactly when GitHub (cmark-gfm) prints the delimiters."""

from __future__ import annotations

import itertools
import random
import re

import cmarkgfm
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdlint.markdown.dialect import Dialect
from mdlint.markdown.emphasis_flanking import InlineSource, find_broken_emphasis, is_cjk_letter, is_punctuation
from mdlint.testing import apply_fixes, lint_text

RULE = "emphasis-cjk-flanking"


def _github_html(text: str) -> str:
    html: str = cmarkgfm.github_flavored_markdown_to_html(text, options=cmarkgfm.Options.CMARK_OPT_UNSAFE)
    return html


def _visible_delimiters(html: str, hidden: tuple[str, ...] = ()) -> bool:
    """Whether `*` or `_` is printed outside code, tags and the given literal strings."""
    text = re.sub(r"<code>.*?</code>", "", html, flags=re.S)
    text = re.sub(r"<[^>]*>", "", text)
    for literal in hidden:
        text = text.replace(literal, "")
    return "*" in text or "_" in text


_URL = "https://example.com/a_b"
_PREFIXES = ["", "한", "は", "中", " ", "(", "「", "“", "이것은 ", "、"]
_DELIMITERS = ["**", "*", "__", "_", "***"]
_INNERS = [
    "모델",
    "(error bars)",
    "오차 막대(error bars)",
    "「引用」",
    "“quote”",
    "[링크](https://x.y/a)",
    "`co*de`",
    "重要",
    "*중첩*(a)",
    "a",
    "<b>x</b>",
    _URL,
    "漢字。",
]
_SUFFIXES = ["", "와", "を", "的", " ", ".", ")", "」", "을 제안", "、"]
_GENERATED = [p + d + i + d + s for p, d, i, s in itertools.product(_PREFIXES, _DELIMITERS, _INNERS, _SUFFIXES)]
_HANDWRITTEN = [
    "**오차 막대(error bars)**와 같은",
    "**모델**을 학습한다",
    "Aghajohari 등은 **마르코프 사상(Markovian Thinking)**을 제안하며",
    "항상 **고정된 크기의 상태(state)**만 보도록",
    "이를 “**초기 경험(early experience)**”이라고 부릅니다.",
    "**텐서 로직(Tensor Logic)**( [paper](https://arxiv.org/abs/2405.14590) )을 제안합니다.",
    "これは**「重要」**です。",
    "这是**“重要”**的。",
    "这是**重要**的。",
    "__모델__을 쓴다",
    "_(괄호)_는",
    "**[논문](https://arxiv.org/abs/1)**을 보라",
    "**오차 *막대*(error)**와",
    "**a *(b)*와**",
    "~~취소(a)~~와 **굵게(b)**를",
    "**굵게 ~~(취소)~~**와",
    "**첫째(a)**와 **둘째(b)**를",
    "**(a)**\n와",
    "**`코드(a)`**와",
    "<b>**(a)**</b>와",
    "[**(a)**와](https://x.y)",
    "**https://example.com/a**와",
]


@pytest.mark.parametrize("text", _GENERATED + _HANDWRITTEN)
def test_fires_exactly_when_github_prints_the_delimiters(text: str) -> None:
    fires = bool(lint_text(text, RULE))
    assert fires == _visible_delimiters(_github_html(text), (_URL,))


@pytest.mark.parametrize("text", ["foo**(bar)**baz", "**(foo)**bar", "x_(y)_z", "**a.**b"])
def test_latin_neighbours_are_out_of_scope(text: str) -> None:
    # GitHub prints these stars too, but English puts a space there; the rule is about CJK text.
    assert _visible_delimiters(_github_html(text))
    assert lint_text(text, RULE) == []


def test_emulation_leaves_the_same_literal_delimiters_as_cmark_gfm() -> None:
    """Random inline soup: the characters left literal are those cmark-gfm prints."""
    from mdlint.markdown.emphasis_flanking import _scan

    alphabet = ["*", "**", "_", "__", "한", "は", "中", "a", " ", "(", ")", "「", "」", ".", "~", "€", "!"]
    alphabet += ["[", "](u)", "`", "<b>"]
    generator = random.Random(7)
    checked = 0
    for _ in range(3000):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(1, 12))).strip()
        if not text or "![" in text:
            continue
        html = _github_html(text)
        if not html.startswith("<p>") or html.count("<p>") != 1 or "<code>" in html or "`" in text:
            continue
        scan = _scan(InlineSource(text, 0, len(text)), "gfm")
        in_runs = sum(run.end - run.start for run in scan.runs)
        literal = sum(run.remaining for run in scan.runs) + text.count("*") + text.count("_") - in_runs
        printed = re.sub(r"<[^>]*>", "", html)
        assert printed.count("*") + printed.count("_") == literal, text
        checked += 1
    assert checked > 1000


def test_reports_the_run_that_cannot_close() -> None:
    text = "Aghajohari 등은 **마르코프 사상(Markovian Thinking)**을 제안하며"
    [finding] = lint_text(text, RULE)
    column = text.index(")**") + 2
    assert (finding.line, finding.column, finding.end_column) == (1, column, column + 2)
    assert "')' and '을' cannot close" in finding.message


def test_reports_the_run_that_cannot_open() -> None:
    [finding] = lint_text("これは**「重要」**です", RULE)
    assert (finding.column, finding.end_column) == (4, 6)
    assert "cannot open" in finding.message


def test_position_on_a_later_line_of_a_block_quote() -> None:
    text = "> 첫 줄\n> 둘째 **모델(model)**을 본다\n"
    [finding] = lint_text(text, RULE)
    assert (finding.line, finding.column) == (2, text.splitlines()[1].index(")**") + 2)


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("**오차 막대(error bars)**와 같은", "<strong>오차 막대(error bars)</strong>와 같은"),
        ("これは**「重要」**です", "これは<strong>「重要」</strong>です"),
        ("*(기울임)*을", "<em>(기울임)</em>을"),
        ("***(둘 다)***를", "<em><strong>(둘 다)</strong></em>를"),
        ("__모델__을 쓴다", "**모델**을 쓴다"),
        ("__(괄호)__를", "<strong>(괄호)</strong>를"),
    ],
)
def test_fix_renders_what_the_writer_meant(text: str, fixed: str) -> None:
    [finding] = lint_text(text, RULE)
    assert finding.fix is not None and finding.fix.applicability == "unsafe"
    result = apply_fixes(text, [finding], unsafe=True)
    assert result == fixed
    assert not _visible_delimiters(_github_html(result))
    assert lint_text(result, RULE) == []


@pytest.mark.parametrize("text", _HANDWRITTEN + _GENERATED[::7])
def test_every_fix_makes_github_render_the_emphasis(text: str) -> None:
    for finding in lint_text(text, RULE):
        if finding.fix is None:
            continue
        result = apply_fixes(text, [finding], unsafe=True)
        assert lint_text(result, RULE) == [] or len(lint_text(result, RULE)) < len(lint_text(text, RULE))


def test_no_fix_when_github_pairs_the_runs_differently() -> None:
    [finding] = lint_text("**a *(b)*와**", RULE)
    assert finding.fix is None


def test_escaped_delimiters_are_literal_on_purpose() -> None:
    assert lint_text("\\*\\*(a)\\*\\*와 \\**(b)**와", RULE) == []


def test_code_and_link_destinations_are_skipped() -> None:
    assert lint_text("`**(a)**와` 그리고 [x](https://a.b/**(c)**와)", RULE) == []
    assert lint_text("```\n**(a)**와\n```\n", RULE) == []


def test_commonmark_renderer_counts_symbols_as_punctuation() -> None:
    text = "**가격 €**은"
    assert lint_text(text, RULE) == []
    assert lint_text(text, RULE, options={RULE: {"renderer": "commonmark"}}) != []


def test_character_classes() -> None:
    assert is_cjk_letter("한") and is_cjk_letter("は") and is_cjk_letter("中") and is_cjk_letter("ー")
    assert not is_cjk_letter("「") and not is_cjk_letter("a") and not is_cjk_letter("。")
    assert is_punctuation("「") and is_punctuation("~") and not is_punctuation("€")
    assert is_punctuation("€", "commonmark")


def test_reference_links_are_links() -> None:
    text = "**[논문][p]**와\n\n[p]: https://arxiv.org\n"
    [finding] = lint_text(text, RULE)
    assert finding.column == text.index("]**") + 2
    sources = InlineSource(text, 0, text.index("\n"), definitions=frozenset({"p"}))
    assert find_broken_emphasis(sources)


_SOUP = st.lists(
    st.sampled_from(["**", "*", "__", "_", "한", "を", "的", "a", " ", "(", ")", "「", "」", "\n", "> ", "`"]),
    max_size=20,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_SOUP)
def test_findings_point_at_a_delimiter_run_github_prints(text: str) -> None:
    lines = text.splitlines()
    for finding in lint_text(text, RULE):
        run = lines[finding.line - 1][finding.column - 1 : finding.end_column - 1]
        assert run and set(run) <= {"*", "_"} and len(set(run)) == 1
        assert finding.fix is None or finding.fix.applicability == "unsafe"


def test_renderer_follows_the_file_unless_an_option_forces_one() -> None:
    jekyll_page = Dialect("kramdown", "liquid", github_view=True)
    text = "**오차 막대(error bars)**와"
    # kramdown renders it: on a Jekyll page only GitHub's view of the file prints the stars.
    assert [f.severity.value for f in lint_text(text, RULE, dialect=jekyll_page)] == ["info"]
    forced = lint_text(text, RULE, dialect=jekyll_page, options={RULE: {"renderer": "github"}})
    assert [f.severity.value for f in forced] == ["error"]
    assert "GitHub prints the `**`" in forced[0].message


def test_the_kramdown_reading_reports_underscores_touching_cjk_letters() -> None:
    from mdlint.markdown.kramdown_spans import find_broken_kramdown_emphasis

    def broken(text: str) -> list[tuple[int, int]]:
        return [item.failing for item in find_broken_kramdown_emphasis(InlineSource(text, 0, len(text)))]

    assert broken("_강조(x)_를") == [(6, 7)]  # the closer is read as inside a word
    assert broken("이것은_강조_ 이다") == [(3, 4)]  # the opener follows a letter
    assert broken("**오차(x)**와 *강조(x)*를 __모델__ 을") == []
    assert broken("snake_case_name") == []  # Latin words: not this rule's business
