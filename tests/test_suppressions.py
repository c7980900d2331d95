"""Suppression comments, ours and markdownlint's spellings."""

from __future__ import annotations

from mdlint.testing import lint_text

BAD = "[p](arxiv.org/abs/1)"


def _lines(text: str) -> list[int]:
    return [f.line for f in lint_text(text, "link-missing-scheme")]


def test_disable_and_enable() -> None:
    text = (
        f"{BAD}\n<!-- mdlint-disable link-missing-scheme -->\n{BAD}\n"
        f"<!-- mdlint-enable link-missing-scheme -->\n{BAD}\n"
    )
    assert _lines(text) == [1, 5]


def test_disable_without_rules_means_all_and_codes_work() -> None:
    assert _lines(f"<!-- mdlint-disable -->\n{BAD}\n") == []
    assert _lines(f"<!-- mdlint-disable MDL004 -->\n{BAD}\n") == []
    assert _lines(f"<!-- mdlint-disable link-dead -->\n{BAD}\n") == [2]


def test_next_line_and_file() -> None:
    text = f"<!-- mdlint-disable-next-line link-missing-scheme -->\n{BAD}\n{BAD}\n"
    assert _lines(text) == [3]
    assert _lines(f"{BAD}\n\n<!-- mdlint-disable-file link-missing-scheme -->\n") == []


def test_markdownlint_spellings() -> None:
    assert _lines(f"<!-- markdownlint-disable-next-line -->\n{BAD}\n{BAD}\n") == [3]
    assert _lines(f"{BAD} <!-- markdownlint-disable-line -->\n{BAD}\n") == [2]


def test_comments_in_code_do_not_count() -> None:
    text = f"`<!-- mdlint-disable -->`\n\n{BAD}\n"
    assert _lines(text) == [3]
