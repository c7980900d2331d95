"""duplicate-paragraph: messages, options and what counts as the same text."""

from __future__ import annotations

from mdlint.testing import lint_text

RULE = "duplicate-paragraph"
_PARAGRAPH = "메타와 협력자들의 연구는 LLM을 위한 강화 학습 확장의 예측 가능성을 보여줍니다."


def test_reported_at_the_repeat_naming_the_first_line() -> None:
    text = f"{_PARAGRAPH}\n\n다른 문단.\n\n{_PARAGRAPH}\n"
    [finding] = lint_text(text, RULE)
    assert (finding.line, finding.column, finding.end_line) == (5, 1, 5)
    assert finding.message == "paragraph repeats the text first written on line 1"
    assert finding.extra["first_line"] == 1
    assert finding.fix is None


def test_each_later_repeat_names_the_first() -> None:
    text = "\n\n".join([_PARAGRAPH] * 3) + "\n"
    assert [(f.line, f.extra["first_line"]) for f in lint_text(text, RULE)] == [(3, 1), (5, 1)]


def test_whitespace_and_container_prefixes_do_not_matter() -> None:
    wrapped = _PARAGRAPH.replace(" LLM을", "\n>    LLM을")
    text = f"- {_PARAGRAPH}\n\n> {wrapped}\n"
    [finding] = lint_text(text, RULE)
    assert finding.line == 3 and "first written on line 1" in finding.message


def test_a_list_item_is_compared_without_its_nested_list() -> None:
    text = f"- {_PARAGRAPH}\n  - 하위 A\n- {_PARAGRAPH}\n  - 하위 B\n"
    [finding] = lint_text(text, RULE)
    assert finding.message.startswith("list item repeats")


def test_min_length_option() -> None:
    text = "짧은 문단은 반복해도 된다.\n\n짧은 문단은 반복해도 된다.\n"
    assert lint_text(text, RULE) == []
    assert len(lint_text(text, RULE, options={RULE: {"min-length": 10}})) == 1


def test_code_blocks_are_not_paragraphs() -> None:
    text = f"```\n{_PARAGRAPH}\n```\n\n```\n{_PARAGRAPH}\n```\n"
    assert lint_text(text, RULE) == []


def test_near_copies_of_long_paragraphs() -> None:
    first = " ".join([_PARAGRAPH] * 10)
    second = first.replace("예측 가능성", "예측 능력", 3)
    text = f"{first}\n\n{second}\n"
    [finding] = lint_text(text, RULE)
    assert "near copy" in finding.message and finding.extra["similarity"] < 1.0
    assert lint_text(text, RULE, options={RULE: {"similarity": 1.0}}) == []
    assert lint_text(text, RULE, options={RULE: {"near-min-length": 10_000}}) == []
