"""The rulebook in rules/ and the code agree: one page per rule, every example runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mdlint.cli import main
from mdlint.markdown.dialect import Dialect
from mdlint.rule_engine import rulebook
from mdlint.rule_engine.rule import Rule, all_rules, builtin_rules
from mdlint.rule_engine.rulebook import (
    REQUIRED_SECTIONS,
    RulebookPage,
    rulebook_folder,
    rulebook_page,
    with_options_table,
    with_readme_rule_table,
)
from mdlint.testing import lint_text

RULES = all_rules()
# `<!-- dialect: kramdown -->` on the line before an example's fence runs it as a page of that
# renderer's site (a Jekyll page, a Hugo page, seen on GitHub too); unmarked examples are GitHub's.
_MARKED_EXAMPLE = re.compile(
    r"^(?:<!-- dialect: (?P<dialect>\w+) -->\n)?(?P<fence>`{3,}|~{3,})markdown[ \t]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.M | re.S,
)
_PAGE_DIALECTS = {
    "gfm": Dialect(),
    "kramdown": Dialect("kramdown", "liquid", github_view=True),
    "goldmark": Dialect("goldmark", "hugo", github_view=True),
}


def _examples(page: RulebookPage, section: str) -> list[tuple[str, Dialect]]:
    """The ```markdown examples of a section, each with the dialect its marker names."""
    body = page.sections().get(section, "")
    found = [(m.group("body"), _PAGE_DIALECTS[m.group("dialect") or "gfm"]) for m in _MARKED_EXAMPLE.finditer(body)]
    assert [example for example, _ in found] == page.examples(section)
    return found


README = Path(__file__).resolve().parents[1] / "README.md"
REGENERATE = "stale: run python -m mdlint.rule_engine.rulebook"


def test_every_page_belongs_to_a_rule() -> None:
    names = {rule.name for rule in RULES}
    pages = {path.stem for path in rulebook_folder().glob("*.md")}
    assert pages - names == set(), "rulebook pages without a rule"
    assert names - pages == set(), "rules without a rulebook page"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_page_has_every_section(rule: Rule) -> None:
    page = rulebook_page(rule)
    assert page is not None
    assert page.title == f"{rule.name} ({rule.code})"
    sections = page.sections()
    assert list(sections) == list(REQUIRED_SECTIONS)
    assert page.examples("Example"), "the Example section needs a ```markdown block"
    assert page.examples("Use instead"), "the Use instead section needs a ```markdown block"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_examples_run(rule: Rule) -> None:
    page = rulebook_page(rule)
    assert page is not None
    # An opt-in rule runs as a user switches it on: beside the default rules (unused-suppression needs them).
    selection = ("all", rule.name) if rule.opt_in else (rule.name,)
    for example, dialect in _examples(page, "Example"):
        found = [
            f for f in lint_text(example, *selection, path="_posts/example.md", dialect=dialect) if f.rule == rule.name
        ]
        assert found, f"the Example of {rule.name} produces no finding:\n{example}"
    for example, dialect in _examples(page, "Use instead"):
        found = [
            f for f in lint_text(example, *selection, path="_posts/example.md", dialect=dialect) if f.rule == rule.name
        ]
        assert not found, f"the Use instead of {rule.name} produces findings: {found}"


def test_an_example_marked_with_a_dialect_runs_in_that_dialect() -> None:
    text = "## Example\n<!-- dialect: kramdown -->\n```markdown\n_강조(x)_를\n```\n\n```markdown\nplain\n```\n"
    page = RulebookPage(Path("x.md"), text)
    assert _examples(page, "Example") == [("_강조(x)_를\n", _PAGE_DIALECTS["kramdown"]), ("plain\n", Dialect())]


def test_explain_prints_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    rule = RULES[0]
    assert main(["--explain", rule.code]) == 0
    page = rulebook_page(rule)
    assert page is not None
    assert capsys.readouterr().out.rstrip("\n") == page.text.rstrip("\n")


def test_explain_unknown_rule_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--explain", "no-such-rule"]) == 2
    assert "unknown rule" in capsys.readouterr().err


def test_explain_without_the_page_fails_loudly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # An installation without its pages must not pass the summary off as the page.
    monkeypatch.setattr(rulebook, "rulebook_folder", lambda: tmp_path)
    assert main(["--explain", "link-dead"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("mdlint: error: no rulebook page for link-dead (MDL040)")


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_options_table_is_generated_from_the_options_model(rule: Rule) -> None:
    page = rulebook_page(rule)
    assert page is not None
    assert page.text == with_options_table(rule, page.text), REGENERATE


def test_readme_rule_table_is_generated_from_the_rules() -> None:
    text = README.read_text(encoding="utf-8")
    assert text == with_readme_rule_table(text, sorted(builtin_rules(), key=lambda rule: rule.code)), REGENERATE


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_examples_offer_only_the_fixes_the_rule_declares(rule: Rule) -> None:
    # `Rule.fixes` is what the README's fix column says: a fix of another kind would make it lie.
    page = rulebook_page(rule)
    assert page is not None
    selection = ("all", rule.name) if rule.opt_in else (rule.name,)
    for example, dialect in _examples(page, "Example"):
        for finding in lint_text(example, *selection, path="_posts/example.md", dialect=dialect):
            if finding.rule == rule.name and finding.fix is not None:
                assert finding.fix.applicability in rule.fixes, finding


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda rule: rule.name)
def test_every_option_is_described_in_its_model(rule: Rule) -> None:
    # The page's option table takes its descriptions from the model: the only place they are written.
    undescribed = [name for name, field in rule.options.model_fields.items() if not field.description]
    assert undescribed == []
