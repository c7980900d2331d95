"""link-malformed: messages quote the destination as written; real links stay clean."""

from __future__ import annotations

from pathlib import Path

from mdlint.markdown.document import read_document
from mdlint.testing import lint_text


def test_doubled_url_in_the_archive(corpus: Path) -> None:
    document = read_document(corpus / "study-archive" / "README.md")
    findings = lint_text(document.text, "link-malformed")
    assert [(f.line, f.column) for f in findings] == [(628, 16)]
    assert "https://www.youtube.com/watch?v=SKBG1sqdyIU&ab_channel=OpenAI](https://arcprize.org/" in (
        findings[0].message
    )


def test_valid_links_with_parentheses_titles_and_brackets_are_clean() -> None:
    text = (
        "[wiki](https://en.wikipedia.org/wiki/Transformer_(deep_learning))\n"
        '[titled](https://example.com/a "A title") [angle](<https://example.com/a b>)\n'
        "[a [nested] text](https://example.com/) ![img](a.png)\n"
        "<https://example.com/auto> and https://example.com/bare\n"
    )
    assert lint_text(text, "link-malformed") == []


def test_space_before_parenthesis_needs_a_url_shape() -> None:
    assert lint_text("see [1] (2019) and [note] (below)\n", "link-malformed") == []
    (finding,) = lint_text("see [paper] (https://arxiv.org/abs/1)\n", "link-malformed")
    assert "[paper] (https://arxiv.org/abs/1)" in finding.message
