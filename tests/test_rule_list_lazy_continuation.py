"""list-lazy-continuation: lines that start something new but join the list item above."""

from __future__ import annotations

from mdlint.testing import lint_text
from tests.conftest import require_corpus

RULE = "list-lazy-continuation"


def _found(text: str, options: dict[str, object] | None = None) -> list[tuple[int, int, int, str]]:
    findings = lint_text(text, RULE, options={RULE: options} if options else None)
    return [(f.line, f.column, f.end_column, f.message) for f in findings]


def test_an_arrow_left_of_the_nested_item_text() -> None:
    text = "- 📜 [paper](https://arxiv.org/abs/1)\n  - 첫 번째 요점\n  → 결과\n"
    assert _found(text) == [
        (
            3,
            3,
            7,
            "line joins the text of the list item above as a lazy continuation (`→` starts a new line here): it "
            "starts at column 3, left of the item's text at column 5; make it an item, or end the line above "
            "with a line break and indent it",
        )
    ]


def test_bullet_characters_at_the_margin() -> None:
    text = "1. Step one\n• detail\n▶ more\n"
    assert [(line, column) for line, column, _, _ in _found(text)] == [(2, 1), (3, 1)]


def test_an_emoji_line_where_the_list_opens_items_with_emoji() -> None:
    items = "".join(f"- 📜 [p{n}](https://arxiv.org/abs/{n})\n" for n in range(3))
    text = items + "- 🗞️ [news](https://example.com/n)\n🤪 [fun](https://example.com/f)\n"
    [(line, column, _, message)] = _found(text)
    assert (line, column) == (5, 1)
    assert "(it opens with an emoji, like 4 of 4 items of this list)" in message


def test_no_emoji_finding_without_a_majority_of_emoji_items() -> None:
    text = "- 📜 [a](https://a.example)\n- [b](https://b.example)\n- [c](https://c.example)\n🤪 fun\n"
    assert _found(text) == []
    assert _found(text, {"min-siblings": 1, "agreement": 0.51}) == []  # 1 of 3 is no majority
    many = "".join(f"- 📜 [{n}](https://x.example/{n})\n" for n in range(3)) + "- [d](https://d.example)\n🤪 fun\n"
    assert _found(many) == []  # 3 of 4 = 0.75 < 0.8
    assert len(_found(many, {"agreement": 0.75})) == 1


def test_wrapped_prose_and_indented_lines_are_fine() -> None:
    text = (
        "* [jekyll-toc](https://github.com/toshimaru/jekyll-toc) - Generates a table of\ncontent.\n"
        "* Note that\nNote: wrapped prose may start with a key.\n"
        "- item\n  → indented to the item's text: a plain continuation\n"
        "> - quoted item\n> → in a quote\n"
        "- code `x\n→ y` span\n"
    )
    assert _found(text) == []


def test_the_archive_arrow() -> None:
    text = (require_corpus() / "study-archive" / "README.md").read_text(encoding="utf-8")
    assert [(f.line, f.column) for f in lint_text(text, RULE)] == [(303, 3)]
