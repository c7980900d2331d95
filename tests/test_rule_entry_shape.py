"""entry-shape: entries shaped unlike a clear majority of their siblings, with the majority named."""

from __future__ import annotations

from mdlint.testing import lint_text
from tests.conftest import require_corpus

RULE = "entry-shape"


def _found(text: str, **options: object) -> list[tuple[int, int, str]]:
    findings = lint_text(text, RULE, options={RULE: options} if options else None)
    return [(f.line, f.column, f.message) for f in findings]


def _awesome(lines: list[str]) -> str:
    return "# Tools\n\n" + "".join(f"- {line}\n" for line in lines)


def _tagged(count: int) -> list[str]:
    return [f"📜 [Lab {n}] [Paper {n}](https://arxiv.org/abs/{n})" for n in range(count)]


def test_missing_tag_names_the_majority() -> None:
    text = _awesome([*_tagged(8), "📜 [Untagged paper](https://arxiv.org/abs/99)"])
    assert _found(text) == [(11, 5, "entry has no `[tag]` before its link, unlike 8 of 9 entries in this section")]


def test_a_glued_tag_is_a_tag() -> None:
    text = _awesome([*_tagged(8), "📜 [Fudan][Glued](https://arxiv.org/abs/99)"])
    assert _found(text) == []


def test_a_no_break_space_after_the_icon_or_the_tag_is_a_space() -> None:
    text = _awesome(
        [
            *_tagged(7),
            "📜\u00a0[Lab] [Nbsp after the icon](https://arxiv.org/abs/98)",
            "📜 [Untagged](https://x.org/99)",
        ]
    )
    assert _found(text) == [(11, 5, "entry has no `[tag]` before its link, unlike 8 of 9 entries in this section")]
    text = _awesome([*_tagged(8), "📜 [Lab]\u00a0[Nbsp after the tag](https://arxiv.org/abs/98)"])
    assert _found(text) == []


def test_missing_period_separator_and_description() -> None:
    lines = [f"[tool{n}](https://example.com/{n}) - Does thing {n}." for n in range(9)]
    lines += [
        "[bare](https://example.com/a) - Does another thing",
        "[colon](https://example.com/b): Does a thing.",
        "[nothing](https://example.com/c)",
        "[dated](https://example.com/d) (2019) - Does a thing.",
    ]
    assert _found(_awesome(lines)) == [
        (12, 53, "description does not end with a period, unlike 11 of 12 entries in this section"),
        (13, 33, "entry separates its description with `:`, not `-`, unlike 11 of 12 entries in this section"),
        (14, 35, "entry has no description after its link, unlike 12 of 13 entries in this section"),
    ]


def test_no_finding_without_a_clear_majority() -> None:
    lines = [*_tagged(6), *(f"📜 [Paper {n}](https://arxiv.org/abs/{n})" for n in range(3))]
    assert _found(_awesome(lines)) == []
    assert _found(_awesome(lines), agreement=0.6) != []


def test_no_finding_below_the_minimum_of_siblings() -> None:
    text = _awesome([*_tagged(6), "📜 [Untagged](https://arxiv.org/abs/99)"])
    assert _found(text) == []
    assert _found(text, **{"min-siblings": 5}) == [
        (9, 5, "entry has no `[tag]` before its link, unlike 6 of 7 entries in this section")
    ]


def test_small_sections_fall_back_to_the_document() -> None:
    sections = "".join(
        f"## Part {part}\n\n"
        + "".join(f"- [t{part}{n}](https://example.com/{part}/{n}) - Does {n}.\n" for n in range(3))
        + "\n"
        for part in range(3)
    )
    text = "# Tools\n\n" + sections + "## Last\n\n- [x](https://example.com/x) - Does x\n"
    assert _found(text) == [(23, 38, "description does not end with a period, unlike 9 of 10 entries in this document")]


def test_a_list_with_its_own_convention_is_left_alone() -> None:
    main = "".join(f"- [t{n}](https://example.com/{n}): Does {n}.\n" for n in range(9))
    guides = "- [Guide](https://example.com/g) is a guide.\n- [Cheats](https://example.com/c) is a sheet.\n"
    assert _found(main + "\nSee also\n\n" + guides) == []


def test_explanation_lists_and_plain_lists_are_not_entries() -> None:
    text = _awesome(
        [
            "📜 [Lab] [Paper](https://arxiv.org/abs/1)",
            "설명 문장입니다",
            "또 다른 설명 [Github](https://github.com/x/y)",
            "세 번째 설명",
        ]
        * 3
    )
    assert _found(text) == []


def test_the_archive_entries_without_a_source_tag() -> None:
    text = (require_corpus() / "study-archive" / "README.md").read_text(encoding="utf-8")
    findings = lint_text(text, RULE)
    assert [(f.line, f.column) for f in findings] == [
        (126, 9),
        (297, 7),
        (300, 5),
        (320, 6),
        (441, 5),
        (605, 7),
        (686, 7),
        (706, 5),
    ]
    assert findings[0].message == "entry has no `[tag]` before its link, unlike 37 of 38 entries in this section"
    assert findings[1].message == "entry has no `[tag]` before its link, unlike 30 of 37 entries in this section"
