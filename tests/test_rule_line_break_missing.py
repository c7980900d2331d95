"""line-break-missing: lines that start alike but render as one run-on line; the fix uses the document's break."""

from __future__ import annotations

from pathlib import Path

from mdlint.findings import PARAGRAPH_SPLIT, Edit, Finding, Fix, Severity
from mdlint.fixing.safety import FixGuard
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import ConfiguredRule, Rule
from mdlint.testing import fix_text, lint_text
from tests.conftest import require_corpus

RULE = "line-break-missing"
LEGEND = "📜: Paper link\n🗞️: News\n🤪: Interesting\n"


def _found(
    text: str, path: str = "test.md", options: dict[str, object] | None = None
) -> list[tuple[int, int, int, int, str]]:
    findings = lint_text(text, RULE, path=path, options={RULE: options} if options else None)
    return [(f.line, f.column, f.end_line, f.end_column, f.message) for f in findings]


def test_a_legend_without_breaks_is_one_finding_spanning_the_run() -> None:
    assert _found(LEGEND + "\n# Archive\n") == [
        (
            1,
            1,
            3,
            15,
            "3 consecutive lines that each start with an emoji render as one run-on line; end each with a line "
            "break or put blank lines between them (fix: blank lines, this document has no hard line breaks)",
        )
    ]


def test_key_value_and_bullet_lines() -> None:
    text = "Intro line.\n\n**Model**: 8B\n**Context**: 128K\n**License**: MIT\n\n→ first\n→ second\n→ third\n"
    assert [(line, column, message.split(" render")[0]) for line, column, _, _, message in _found(text)] == [
        (3, 1, "3 consecutive lines that each start with `key: value`"),
        (7, 1, "3 consecutive lines that each start with a bullet-like character"),
    ]


def test_hard_breaks_and_blank_lines_are_fine() -> None:
    text = "📜: Paper link  \n🗞️: News\\\n🤪: Interesting<br>\n🔥: Hot\n\n📜: a\n\n🗞️: b\n\n🤪: c\n"
    assert _found(text) == []


def test_a_partly_broken_run_says_how_many_ends_are_missing() -> None:
    [finding] = _found("📜: Paper link<br>\n🗞️: News\n🤪: Interesting<br>\n🔥: Hot\n")
    assert finding[4].startswith(
        "4 consecutive lines that each start with an emoji run together at 1 of their 3 line ends"
    )
    assert finding[4].endswith("(fix: `<br>`, as elsewhere in this document)")


def test_no_finding_below_the_thresholds() -> None:
    assert _found("📜: Paper link\n🗞️: News\n") == []
    assert _found("📜: Paper link\n🗞️: News\n", options={"min-lines": 2}) != []
    # A wrapped paragraph where three of eight lines start with `Note:` is prose.
    prose = "Note: a\nNote: b\nNote: c\n" + "more words here\n" * 5
    assert _found(prose) == []
    assert _found(prose, options={"agreement": 0.3}) != []


def test_footnote_definitions_and_html_attributes_are_not_keys() -> None:
    # Consecutive footnote definitions are one footnote each (GitHub, goldmark, kramdown).
    footnotes = "Text[^1] and[^2] and[^3].\n\n[^1]: One note.\n[^2]: Two notes.\n[^3]: Three notes.\n"
    assert _found(footnotes) == []
    assert _found(footnotes, options={"min-lines": 2}) == []
    spans = '<span style="color: red">a</span>\n<span style="color: blue">b</span>\n<span style="top: 0">c</span>\n'
    assert _found(spans) == []
    assert [line for line, *_ in _found("Note: a\nExample: b\nSee: c\n")] == [1]


def test_prose_code_and_templates_are_not_lines() -> None:
    text = (
        "This is wrapped prose that goes on\nfor several lines without any\nstructure at all.\n\n"
        "```\n📜: a\n🗞️: b\n🤪: c\n```\n\n"
        "url: {{ page.url }}\ndate: {{ page.date }}\nid: {{ page.id }}\n\n"
        "See https://example.com:\nhttps://example.org:\nhttps://example.net:\n"
    )
    assert _found(text) == []


def test_hugo_shortcode_bodies_are_not_markdown(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    (tmp_path / "content").mkdir()
    text = "---\ntitle: t\n---\n\n{{< code-toggle file=hugo >}}\ntitle: a\ndate: b\ndraft: c\n{{< /code-toggle >}}\n"
    assert _found(text, path=str(tmp_path / "content" / "p.md")) == []
    # The same content outside any site is still Hugo's.
    assert _found(text) == []


def test_fix_uses_the_break_the_document_uses() -> None:
    assert fix_text(LEGEND, RULE) == LEGEND  # unsafe only
    assert fix_text(LEGEND, RULE, unsafe_fixes=True) == "📜: Paper link\n\n🗞️: News\n\n🤪: Interesting\n"
    spaces = "a  \nb\n\n" + LEGEND
    assert fix_text(spaces, RULE, unsafe_fixes=True) == "a  \nb\n\n📜: Paper link  \n🗞️: News  \n🤪: Interesting\n"
    backslash = "a\\\nb\n\n" + LEGEND
    assert fix_text(backslash, RULE, unsafe_fixes=True).endswith("📜: Paper link\\\n🗞️: News\\\n🤪: Interesting\n")
    br = "a<br/>\nb\n\n" + LEGEND
    assert fix_text(br, RULE, unsafe_fixes=True).endswith("📜: Paper link<br/>\n🗞️: News<br/>\n🤪: Interesting\n")


def test_fix_keeps_containers_and_is_idempotent() -> None:
    quoted = "> 📜: Paper link \n> 🗞️: News\n> 🤪: Interesting\n"
    fixed = fix_text(quoted, RULE, unsafe_fixes=True)
    assert fixed == "> 📜: Paper link\n>\n> 🗞️: News\n>\n> 🤪: Interesting\n"
    assert fix_text(fixed, RULE, unsafe_fixes=True) == fixed
    listed = "- legend\n\n  📜: Paper link\n  🗞️: News\n  🤪: Interesting\n"
    assert (
        fix_text(listed, RULE, unsafe_fixes=True) == "- legend\n\n  📜: Paper link\n\n  🗞️: News\n\n  🤪: Interesting\n"
    )


def test_no_blank_line_fix_for_lazy_lines() -> None:
    text = "- 📜: Paper link\n🗞️: News\n🤪: Interesting\n"
    [finding] = lint_text(text, RULE)
    assert finding.fix is None


def test_the_archive_legend() -> None:
    text = (require_corpus() / "study-archive" / "README.md").read_text(encoding="utf-8")
    findings = lint_text(text, RULE)
    assert [(f.line, f.column, f.end_line, f.end_column) for f in findings] == [(1, 1, 4, 15)]
    fixed = fix_text(text, RULE, unsafe_fixes=True)
    assert fixed.startswith(
        "📜: Paper link\n\n🧑🏻💻: Developer blog & Github link & HuggingFace\n\n🗞️: News\n\n🤪: Interesting\n"
    )
    assert lint_text(fixed, RULE) == []


# The `paragraph-split` fix scope, which this rule's blank-line fix declares.
_PARAGRAPH_SPLIT_RULE = Rule(
    code="XPS001", name="paragraph-split", summary="test", check=lambda d, c: (), fix_scope=frozenset({PARAGRAPH_SPLIT})
)


def _apply(text: str, *edits: Edit) -> tuple[int, list[str]]:
    document = Document("a.md", text)
    line, column = document.position(edits[0].start)
    finding = Finding(
        "a.md", line, column, line, column, "paragraph-split", "XPS001", Severity.WARNING, "m", Fix(edits)
    )
    guard = FixGuard([ConfiguredRule(_PARAGRAPH_SPLIT_RULE, _PARAGRAPH_SPLIT_RULE.options(), Severity.WARNING)])
    return guard.apply(document, [(finding, edits)]).applied, guard.rolled_back


def test_the_paragraph_split_scope_allows_a_split_and_nothing_else() -> None:
    text = "a\nb\n\n<details>\n<summary>s</summary>\n\nc\nd\n\n</details>\n"
    assert _apply(text, Edit(1, 1, "\n")) == (1, [])
    assert _apply(text, Edit(text.index("c\nd") + 1, text.index("c\nd") + 1, "\n")) == (1, [])
    applied, rolled_back = _apply(text, Edit(0, 1, "x"))  # the text changes
    assert applied == 0 and "change the text" in rolled_back[0]
    applied, rolled_back = _apply(text, Edit(1, 2, "\n- "))  # a list appears: more than a split
    assert applied == 0 and rolled_back
