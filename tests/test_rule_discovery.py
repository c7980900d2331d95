"""Rules are discovered, never listed by hand: built-ins and the `mdlint.rules` entry-point group."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from mdlint.rule_engine.rule import all_rules, find_rule
from mdlint.testing import lint_text
from tests.plugins import plugin_importable, write_plugin


@pytest.fixture
def plugin_on_path(tmp_path: Path) -> Iterator[None]:
    """A real installed-looking distribution whose entry point adds one rule."""
    source = textwrap.dedent(
        """
            from mdlint.rule_engine.rule import Rule

            def check(document, context):
                start = document.text.find("TODO")
                if start != -1:
                    yield context.finding(start, start + 4, "a TODO is left in the text")

            RULE = Rule(code="XTD001", name="todo-left", summary="TODO markers", check=check)
            """
    )
    write_plugin(tmp_path, "todo_rule", source, "todo-left")
    with plugin_importable(tmp_path, "todo_rule"):
        yield


def test_builtin_rules_have_unique_codes_and_kebab_case_names() -> None:
    rules = all_rules()
    assert len({rule.code for rule in rules}) == len(rules)
    for rule in rules:
        assert rule.name == rule.name.lower() and " " not in rule.name and "_" not in rule.name
        assert find_rule(rule.code) is rule and find_rule(rule.name.upper()) is rule


def test_a_plugin_rule_is_found_through_its_entry_point(plugin_on_path: None) -> None:
    rule = find_rule("todo-left")
    assert rule is not None and rule.code == "XTD001"
    findings = lint_text("# Notes\n\nTODO: write\n", "XTD001")
    assert [(f.line, f.column, f.rule) for f in findings] == [(3, 1, "todo-left")]
