"""details-indent: closing tags and summaries indented unlike their partners and the majority."""

from __future__ import annotations

from mdlint.testing import fix_text, lint_text
from tests.conftest import require_corpus

RULE = "details-indent"


def _week(number: int, summary_indent: int = 2, close_indent: int = 0, indent: int = 0) -> str:
    return (
        " " * indent
        + "<details>\n"
        + " " * summary_indent
        + f"<summary>week {number}</summary>\n\n- 📜 [Lab] [Paper {number}](https://arxiv.org/abs/{number})\n"
        + " " * close_indent
        + "</details>\n"
    )


def _found(text: str, options: dict[str, object] | None = None) -> list[tuple[int, int, str]]:
    findings = lint_text(text, RULE, options={RULE: options} if options else None)
    return [(f.line, f.column, f.message) for f in findings]


def test_a_summary_indented_unlike_the_others() -> None:
    text = "".join(_week(n) for n in range(4)) + _week(4, summary_indent=4)
    assert _found(text) == [
        (
            22,
            5,
            "<summary> is indented 4 columns past its <details>, unlike 4 of 5 <summary> tags under a "
            "<details> at column 1, which are indented 2 columns",
        )
    ]
    fixed = fix_text(text, RULE, unsafe_fixes=True)
    assert fixed == "".join(_week(n) for n in range(5))
    assert fix_text(text, RULE) == text  # the fix is unsafe


def test_a_closing_tag_at_another_indent() -> None:
    text = "".join(_week(n) for n in range(4)) + _week(4, close_indent=1)
    assert _found(text) == [
        (
            25,
            2,
            "</details> starts at column 2, its <details> (line 21) at column 1; 4 of 5 <details> blocks in "
            "this document close at the column they open at",
        )
    ]
    [finding] = lint_text(text, RULE)
    assert finding.fix is None


def test_no_finding_without_enough_pairs_or_a_clear_majority() -> None:
    few = "".join(_week(n) for n in range(3)) + _week(3, summary_indent=4)
    assert _found(few) == []
    assert len(_found(few, {"min-siblings": 4, "agreement": 0.75})) == 1
    mixed = "".join(_week(n) for n in range(3)) + "".join(_week(n, summary_indent=4) for n in range(3, 5))
    assert _found(mixed) == []  # 3 of 5 is no clear majority


def test_a_neighbourhood_with_its_own_convention_is_left_alone() -> None:
    inner = "    <details>\n      <summary>x</summary>\n\n    text\n    </details>\n"
    odd = "    <details>\n        <summary>x</summary>\n\n    text\n    </details>\n"
    # Five blocks place their summary 2 columns in; the last week places all of its own 4 in.
    text = "<details>\n  <summary>a</summary>\n\n" + inner * 5 + "</details>\n"
    text += "<details>\n  <summary>b</summary>\n\n" + odd * 2 + "</details>\n"
    assert _found(text) == []


def test_tags_that_do_not_open_their_line_and_inline_summaries() -> None:
    text = "".join(_week(n) for n in range(5)) + "text <details><summary>x</summary>y</details>\n"
    text += "<details><summary>inline</summary>\n\nz\n</details>\n"
    assert _found(text) == []


def test_the_archive() -> None:
    text = (require_corpus() / "study-archive" / "README.md").read_text(encoding="utf-8")
    findings = lint_text(text, RULE)
    assert [(f.line, f.column) for f in findings] == [(184, 5), (290, 7), (305, 7), (314, 7), (429, 5), (580, 11)]
    fixed = fix_text(text, RULE, unsafe_fixes=True)
    assert [(f.line, f.column) for f in lint_text(fixed, RULE)] == [(429, 5)]
    assert fix_text(fixed, RULE, unsafe_fixes=True) == fixed
