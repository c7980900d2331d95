"""Every fixture under tests/fixtures/<rule-name>/ lints to exactly the findings written in it.

A fixture ends with one comment listing what it must produce, one `LINE:COLUMN rule-name` a line:

    <!-- expected
    12:5 link-missing-scheme
    -->

The fixtures of an opt-in rule (unused-suppression) are linted with the default rules as well.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from mdlint.rule_engine.rule import find_rule
from mdlint.testing import lint_text

FIXTURES = Path(__file__).parent / "fixtures"
_EXPECTED = re.compile(r"<!-- expected(?P<body>.*?)-->\s*\Z", re.S)


def _cases() -> list[Path]:
    return sorted(FIXTURES.glob("*/*.md"))


def expected_findings(text: str) -> set[str]:
    match = _EXPECTED.search(text)
    assert match, "a fixture must end with an `<!-- expected … -->` comment"
    return {line.strip() for line in match.group("body").splitlines() if line.strip()}


@pytest.mark.parametrize("fixture", _cases(), ids=lambda path: f"{path.parent.name}/{path.name}")
def test_fixture(fixture: Path) -> None:
    rule = fixture.parent.name
    data = fixture.read_bytes()
    text = data.decode("utf-8-sig")
    options_file = fixture.with_suffix(".toml")
    options = {rule: tomllib.loads(options_file.read_text(encoding="utf-8"))} if options_file.exists() else None
    # An opt-in rule runs beside the default rules, whose findings its fixtures then list too.
    found = find_rule(rule)
    selection = ("all", rule) if found is not None and found.opt_in else (rule,)
    findings = lint_text(text, *selection, path=f"{fixture.parent.name}/{fixture.name}", options=options)
    got = {f"{f.line}:{f.column} {f.rule}" for f in findings}
    assert got == expected_findings(text), "\n".join(f"{f.line}:{f.column} {f.message}" for f in findings)


def test_every_fixture_folder_names_a_rule() -> None:
    for folder in FIXTURES.iterdir():
        if folder.is_dir():
            assert find_rule(folder.name) is not None, f"tests/fixtures/{folder.name} names no rule"
