"""text-stray-ascii: ASCII symbols between two CJK letters, outside code, URLs, HTML and math."""

from __future__ import annotations

from mdlint.testing import fix_text, lint_text
from tests.conftest import require_corpus

RULE = "text-stray-ascii"


def _found(text: str, options: dict[str, object] | None = None) -> list[tuple[int, int, int, str]]:
    findings = lint_text(text, RULE, options={RULE: options} if options else None)
    return [(f.line, f.column, f.end_column, f.message) for f in findings]


def test_symbols_inside_a_word() -> None:
    text = "성능 저하를 방>지하고\n\n- 모델|을 고른다\n\n| a |\n| - |\n| 데이터\\셋 |\n"
    assert _found(text) == [
        (1, 9, 10, "`>` inside the word `방>지하고`: a typing slip?"),
        (3, 5, 6, "`|` inside the word `모델|을`: a typing slip?"),
        (7, 6, 7, "`\\` inside the word `데이터\\셋`: a typing slip?"),
    ]


def test_japanese_and_chinese_words() -> None:
    assert [(line, column) for line, column, _, _ in _found("日本>語と中文|字\n")] == [(1, 3), (1, 8)]


def test_usual_patterns_are_left_alone() -> None:
    text = "입력/출력, 1~3개, 학습&추론, 인코더-디코더, 등)과, '효과'와, 한국어,영어, 값=값\n"
    assert _found(text) == []


def test_code_urls_html_math_templates_and_escapes_are_not_text() -> None:
    text = (
        "`방>지` and\n\n```\n방>지\n```\n\n"
        "<https://例え.jp/方>向> and https://例え.jp/方|向\n\n"
        "<div>방>지</div>\n\n"
        "수식 $가>나$ 이다\n\n"
        "별표 방\\;지\n"
    )
    assert _found(text) == []


def test_the_characters_are_an_option() -> None:
    assert _found("값=값\n", {"characters": "="}) == [(1, 2, 3, "`=` inside the word `값=값`: a typing slip?")]
    assert _found("방>지\n", {"characters": ""}) == []


def test_the_fix_removes_the_symbol_and_is_unsafe() -> None:
    assert fix_text("방>지\n", RULE) == "방>지\n"
    assert fix_text("방>지\n", RULE, unsafe_fixes=True) == "방지\n"


def test_the_blog_post_slip() -> None:
    path = require_corpus() / "blog" / "_posts" / "2025-12-03-ai-weekly-picks.md"
    findings = lint_text(path.read_text(encoding="utf-8"), RULE, path="_posts/2025-12-03-ai-weekly-picks.md")
    assert [(f.line, f.column, f.message) for f in findings] == [
        (17, 280, "`>` inside the word `방>지하고`: a typing slip?")
    ]
