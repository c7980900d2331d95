"""details-unbalanced: the archive's 50 pairs balance; messages say what to add."""

from __future__ import annotations

from pathlib import Path

from mdlint.markdown.document import read_document
from mdlint.testing import lint_text


def test_the_archive_is_balanced(corpus: Path) -> None:
    document = read_document(corpus / "study-archive" / "README.md")
    opening = sum(1 for line in document.lines if "<details>" in line)
    assert opening == 50
    assert lint_text(document.text, "details-unbalanced") == []


def test_messages() -> None:
    findings = lint_text("<details>\n<summary>a\n</details>\n\n</summary>\n", "details-unbalanced")
    assert [(f.line, f.column, f.message) for f in findings] == [
        (2, 1, "<summary> is never closed: add </summary>"),
        (5, 1, "</summary> closes nothing: no <summary> is open here"),
    ]


def test_tags_split_across_html_blocks_and_inline_html_pair_up() -> None:
    text = "- item <details><summary>x</summary>\n\n  text\n\n  </details>\n"
    assert lint_text(text, "details-unbalanced") == []
