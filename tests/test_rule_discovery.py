"""Rules are discovered, never listed by hand: built-ins and the `mdlint.rules` entry-point group."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from mdlint.rule import all_rules, find_rule
from mdlint.testing import lint_text


@pytest.fixture
def plugin_on_path(tmp_path: Path) -> Iterator[None]:
    """A real installed-looking distribution whose entry point adds one rule."""
    (tmp_path / "todo_rule.py").write_text(
        textwrap.dedent(
            """
            from mdlint.rule import Rule

            def check(document, context):
                start = document.text.find("TODO")
                if start != -1:
                    yield context.finding(start, start + 4, "a TODO is left in the text")

            RULE = Rule(code="XTD001", name="todo-left", summary="TODO markers", check=check)
            """
        ),
        encoding="utf-8",
    )
    dist_info = tmp_path / "todo_rule-0.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: todo-rule\nVersion: 0.1\n", encoding="utf-8")
    (dist_info / "entry_points.txt").write_text("[mdlint.rules]\ntodo-left = todo_rule\n", encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    all_rules.cache_clear()
    try:
        yield
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("todo_rule", None)
        all_rules.cache_clear()


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
