"""duplicate-paragraph: messages, options, what counts as the same text, and what is not compared."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mdlint.testing import lint_text
from tests.generators import goldmark_html, kramdown_html

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
    assert lint_text(text, RULE, options={RULE: {"min-length": 10, "min-words": 3}})[0].line == 3


def test_min_words_option() -> None:
    # Nine words: a stock phrase, repeated on purpose in parallel sections.
    text = "You must capitalize each identifier exactly as shown above.\n\n" * 2
    assert lint_text(text, RULE) == []
    [finding] = lint_text(text, RULE, options={RULE: {"min-words": 9}})
    assert (finding.line, finding.column, finding.message) == (
        3,
        1,
        "paragraph repeats the text first written on line 1",
    )


def _found(text: str, path: str = "test.md") -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.message) for f in lint_text(text, RULE, path=path)]


_LEAD_IN = "In the example above, note that the generator did these things:"


def test_a_lead_in_is_compared_with_what_it_introduces() -> None:
    different = f"{_LEAD_IN}\n\n- it wrote a page\n\n{_LEAD_IN}\n\n- it wrote no page\n"
    assert _found(different) == []
    same = f"{_LEAD_IN}\n\n- it wrote a page\n\n{_LEAD_IN}\n\n- it wrote a page\n"
    assert _found(same) == [(5, 1, "paragraph repeats the text first written on line 1")]
    # A lead-in that ends its container introduces nothing: it is compared alone.
    alone = f"> {_LEAD_IN}\n\n> {_LEAD_IN}\n"
    assert _found(alone) == [(3, 3, "paragraph repeats the text first written on line 1")]


def test_a_list_item_lead_in_is_compared_with_its_code() -> None:
    item = "1. Add the following two settings to the project configuration file:\n\n   ```toml\n   {}\n   ```\n"
    assert _found(item.format("a = 1") + "\n" + item.format("b = 2")) == []
    assert _found(item.format("a = 1") + "\n" + item.format("a = 1")) == [
        (7, 4, "list item repeats the text first written on line 1")
    ]


@pytest.fixture
def hugo_page(tmp_path: Path) -> str:
    (tmp_path / "hugo.toml").write_text("baseURL = 'https://example.org/'\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    return str(tmp_path / "content" / "page.md")


def test_blocks_the_templates_replace_are_not_compared(hugo_page: str) -> None:
    include = '{{% include "/_common/filter-sort-group-and-the-rest-of-a-long-path.md" %}}\n\n'
    toggle = (
        "{{< code-toggle file=hugo >}}\n[markup.goldmark.extensions]\nstrikethrough = false\n{{< /code-toggle >}}\n\n"
    )
    lead = "Set the build options in front matter, using the `cascade` keyword to cascade them down.\n\n"
    text = include + toggle + lead + toggle.replace("false", "true") + include + toggle + lead + toggle
    assert _found(text, hugo_page) == []


def test_a_shortcode_inside_a_sentence_is_part_of_it(hugo_page: str) -> None:
    sentence = 'This paragraph mentions {{< param "title" >}} in the middle of a sentence of many words.\n\n'
    assert _found(sentence * 2, hugo_page) == [(3, 1, "paragraph repeats the text first written on line 1")]


def test_liquid_blocks_are_not_compared(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("title: x\n", encoding="utf-8")
    block = (
        "{% highlight ruby %}\n"
        "puts 'the same example code, printed as code by Liquid and not as Markdown'\n"
        "{% endhighlight %}\n\n"
    )
    assert _found("---\ntitle: x\n---\n" + block * 2, str(tmp_path / "page.md")) == []


def test_definition_lists_are_not_compared() -> None:
    definition = "`disable`\n: (`bool`) Whether to disable this service entirely for every page of the site.\n\n"
    assert _found(definition * 2) == []
    # Only blocks indented under the definition continue it.
    after = "This paragraph follows the definition list and repeats itself word for word.\n\n"
    assert _found(definition + after + definition + after) == [
        (9, 1, "paragraph repeats the text first written on line 4")
    ]


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


_DEFINITIONS = Path(__file__).parent / "fixtures" / "duplicate-paragraph" / "definition-lists.md"
_REPEATED = "If the answer is yes, either change the field values or use one of the command line flags."


@pytest.mark.parametrize("renderer", ["kramdown", "goldmark"])
def test_definition_lists_as_the_generators_read_them(renderer: str, tmp_path: Path) -> None:
    """The blocks left out as definitions are those kramdown and Goldmark put in a `<dl>`."""
    markdown = _DEFINITIONS.read_text(encoding="utf-8").split("<!-- expected")[0]
    html = kramdown_html(markdown) if renderer == "kramdown" else goldmark_html(markdown, tmp_path)
    outside = re.sub(r"<dl>.*?</dl>", "", html, flags=re.S)
    assert re.findall(r"<p>(.*?)</p>", outside) == [_REPEATED, _REPEATED]
    assert html.count(_REPEATED) == 4
    assert _found(markdown) == [(24, 1, "paragraph repeats the text first written on line 22")]
