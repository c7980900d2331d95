"""`--list-rules` reads a generated table of the built-in rules instead of importing them; the table
equals the rules, and a plugin's rule is still listed."""

from __future__ import annotations

import contextlib
import io
import json
import textwrap
from pathlib import Path

from mdlint import cli
from mdlint.rule_engine.rule import all_rules
from mdlint.rules import _listing
from tests.plugins import plugin_importable, write_plugin


def _cli_output(*arguments: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(list(arguments)) == 0
    return out.getvalue()


def test_the_generated_table_is_the_rules_modules() -> None:
    assert _listing.listed() == _listing.BUILTIN_RULES
    assert _listing.main(["--check"]) == 0


def test_list_rules_shows_every_rule_as_the_rules_describe_themselves() -> None:
    rules = all_rules()
    lines = _cli_output("--list-rules").splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "SUMMARY"]
    assert len(lines) == len(rules) + 1
    for line, rule in zip(lines[1:], rules, strict=True):
        name = rule.name + (" (opt-in)" if rule.opt_in else "")
        assert line.split(maxsplit=1)[0] == rule.code
        assert f"  {name}  " in line
        assert line.endswith(f"  {rule.summary}")
        assert f"  {rule.severity.value}  " in line
    listed = json.loads(_cli_output("--list-rules", "--format", "json"))
    assert listed == [
        {
            "code": rule.code,
            "name": rule.name,
            "severity": rule.severity.value,
            "summary": rule.summary,
            "fixes": sorted(rule.fixes),
            "opt-in": rule.opt_in,
            "tags": list(rule.tags),
        }
        for rule in rules
    ]


def test_a_plugin_rule_is_listed(tmp_path: Path) -> None:
    source = textwrap.dedent(
        """
        from mdlint.rule_engine.rule import Rule

        RULE = Rule(code="XLS001", name="listed-plugin", summary="A plugin's rule", check=lambda d, c: [])
        """
    )
    write_plugin(tmp_path, "listed_plugin", source, "listed-plugin")
    assert not cli._plugins_installed()
    with plugin_importable(tmp_path, "listed_plugin"):
        assert cli._plugins_installed()
        text = _cli_output("--list-rules")
        listed = json.loads(_cli_output("--list-rules", "--format", "json"))
    assert "XLS001  listed-plugin" in text
    assert text.rstrip("\n").endswith("A plugin's rule")
    assert [rule["code"] for rule in listed][-1] == "XLS001"
    assert len(listed) == len(_listing.BUILTIN_RULES) + 1


def test_only_an_entry_in_the_rules_group_counts_as_a_plugin() -> None:
    assert cli._declares_rules("[mdlint.rules]\ntodo = todo_rule\n")
    assert cli._declares_rules("[console_scripts]\nx = y:z\n\n[ mdlint.rules ]\n  todo = todo_rule\n")
    assert not cli._declares_rules("[mdlint.rules]\n# nothing yet\n\n[console_scripts]\nmdlint = mdlint.cli:main\n")
    assert not cli._declares_rules("[console_scripts]\nmdlint = mdlint.cli:main\n")
    assert not cli._declares_rules("")
