"""link-reference-undefined: full and collapsed references without a definition, glued tags."""

from __future__ import annotations

from mdlint.findings import Finding
from mdlint.markdown.dialect import Dialect
from mdlint.testing import fix_text, lint_text
from tests.conftest import require_corpus

RULE = "link-reference-undefined"

SPACED = (
    "- 📜 [Google] [a](https://a.example)\n- 📜 [Meta] [b](https://b.example)\n- 📜 [Mistral] [c](https://c.example)\n"
)
GLUED = "- 📜 [Fudan][d](https://d.example)\n"


def _found(text: str, **options: object) -> list[tuple[int, int, int, str]]:
    findings = lint_text(text, RULE, options={RULE: options} if options else None)
    return [(f.line, f.column, f.end_column, f.message) for f in findings]


def _only(text: str) -> Finding:
    [finding] = lint_text(text, RULE)
    return finding


def test_glued_tag_names_the_majority_and_its_fix_is_safe() -> None:
    finding = _only(SPACED + GLUED)
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (4, 5, 4, 15)
    assert finding.message == (
        "`[Fudan]` is glued to the link after it: `[Fudan][d]` reads as a reference to an undefined label, "
        "so `[Fudan]` shows with its brackets and no space; 3 of 4 tags before a link in this document have the space"
    )
    assert finding.fix is not None and finding.fix.applicability == "safe"
    fixed = fix_text(SPACED + GLUED, RULE)
    assert fixed == SPACED + "- 📜 [Fudan] [d](https://d.example)\n"
    assert fix_text(fixed, RULE) == fixed


def test_glued_tag_without_a_majority_gets_an_unsafe_fix_and_no_majority_in_the_message() -> None:
    text = "- 📜 [Google] [a](https://a.example)\n" + GLUED
    finding = _only(text)
    assert (finding.line, finding.column) == (2, 5)
    assert finding.message.endswith("shows with its brackets and no space")
    assert finding.fix is not None and finding.fix.applicability == "unsafe"
    assert fix_text(text, RULE) == text
    assert (
        fix_text(text, RULE, unsafe_fixes=True)
        == "- 📜 [Google] [a](https://a.example)\n- 📜 [Fudan] [d](https://d.example)\n"
    )


def test_thresholds_are_options() -> None:
    finding = lint_text(SPACED + GLUED, RULE, options={RULE: {"min-siblings": 4}})[0]
    assert finding.fix is not None and finding.fix.applicability == "unsafe"
    finding = lint_text(SPACED + GLUED * 2, RULE, options={RULE: {"agreement": 0.7}})[0]
    assert finding.fix is not None and finding.fix.applicability == "unsafe"


def test_full_and_collapsed_references_without_definition() -> None:
    text = "See the [notes][rel] and the [History][] page, ![logo][img].\n\n[other]: https://x.example\n"
    assert _found(text) == [
        (1, 9, 21, "reference link label `rel` is not defined: `[notes][rel]` shows as plain text"),
        (1, 30, 41, "reference link label `History` is not defined: `[History][]` shows as plain text"),
        (1, 48, 60, "reference image label `img` is not defined: `![logo][img]` shows as plain text"),
    ]


def test_defined_labels_compare_case_folded_and_whitespace_collapsed() -> None:
    text = "See [notes][Release  Notes] and [HISTORY][].\n\n[release notes]: https://x.example\n[history]: /h\n"
    assert _found(text) == []


def test_what_is_not_a_reference_is_not_reported() -> None:
    text = (
        "- 📜 [Google] [a](https://a.example) shortcut [tags] alone\n"
        "- matrix a[i][j] and f()[0][1] index\n"
        "- escaped \\[x\\][y] and \\[x][y]\n"
        "- footnote [note][^1] and blank [x][ ]\n"
        "- code `[x][y]` and <span>[x]</span>\n"
    )
    assert _found(text) == []


def test_code_blocks_are_not_read() -> None:
    assert _found("```\n[x][y]\n```\n\n    [a][]\n") == []


def test_templated_definitions_in_a_jekyll_page() -> None:
    from mdlint.markdown.document import Document
    from mdlint.rule_engine.rule import RuleContext, find_rule
    from mdlint.site.workspace import Workspace

    rule = find_rule(RULE)
    assert rule is not None and rule.check is not None
    text = "Fixes [#1081][].\n\n{% for n in issues %}\n[#{{ n }}]: https://example.com/issues/{{ n }}\n{% endfor %}\n"
    document = Document("post.md", text)
    document.dialect = Dialect(renderer="kramdown", templates="liquid")
    context = RuleContext(rule, rule.options(), rule.severity, document, Workspace())
    assert list(rule.check(document, context)) == []
    document.dialect = Dialect()
    assert [f.message for f in rule.check(document, context)] == [
        "reference link label `#1081` is not defined: `[#1081][]` shows as plain text"
    ]


def test_the_archive_has_four_glued_tags() -> None:
    text = (require_corpus() / "study-archive" / "README.md").read_text(encoding="utf-8")
    findings = lint_text(text, RULE)
    assert [(f.line, f.column) for f in findings] == [(42, 9), (138, 9), (142, 7), (526, 9)]
    assert all(f.fix is not None and f.fix.applicability == "safe" for f in findings)
    assert all("75 of 79 tags before a link" in f.message for f in findings)
    fixed = fix_text(text, RULE)
    assert lint_text(fixed, RULE) == []
    assert fix_text(fixed, RULE) == fixed
