"""image-alt-missing: Markdown images and <img> tags."""

from __future__ import annotations

from mdlint.testing import lint_text


def test_positions_and_messages() -> None:
    text = '![](a.png)\n\n<div>\n  <img src="b.png"\n       width="3">\n</div>\n'
    first, second = lint_text(text, "image-alt-missing")
    assert (first.line, first.column, first.end_column) == (1, 1, 11)
    assert first.message.startswith("image has no alt text")
    assert (second.line, second.column, second.end_line) == (4, 3, 5)
    assert second.message.startswith("<img> has no alt attribute")


def test_empty_alt_attribute_is_decorative() -> None:
    assert lint_text('<img src="d.png" alt="">\n\ntext <img alt src="e.png">\n', "image-alt-missing") == []


def test_code_and_comments_are_ignored() -> None:
    text = '```\n![](a.png)\n<img src="x">\n```\n\n`![](b.png)`\n\n<!-- <img src="c.png"> -->\n'
    assert lint_text(text, "image-alt-missing") == []
