"""Every fixture under tests/fixtures/<rule-name>/ lints to exactly the findings written in it.

A fixture ends with one comment listing what it must produce, one `LINE:COLUMN rule-name` a line:

    <!-- expected
    12:5 link-missing-scheme
    14:1 link-missing-scheme: no scheme
    -->

Each line is one finding: two findings at the same place are listed twice. Text after `rule-name:`
must occur in that finding's message. Findings are compared as sorted lists, so a missing, extra
or duplicated finding, or a message that says something else, fails the fixture.
The fixtures of an opt-in rule (unused-suppression) are linted with the default rules as well.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from mdlint.findings import Finding, Severity
from mdlint.rule_engine.rule import find_rule
from mdlint.testing import lint_text

FIXTURES = Path(__file__).parent / "fixtures"
_EXPECTED = re.compile(r"<!-- expected(?P<body>.*?)-->\s*\Z", re.S)
_ENTRY = re.compile(r"(?P<line>\d+):(?P<column>\d+) (?P<rule>[a-z0-9-]+)(?::\s*(?P<fragment>.*))?")

# (line, column, rule, message fragment; "" when the fixture names none)
Entry = tuple[int, int, str, str]


def _cases() -> list[Path]:
    return sorted(FIXTURES.glob("*/*.md"))


def expected_findings(text: str) -> list[Entry]:
    match = _EXPECTED.search(text)
    assert match, "a fixture must end with an `<!-- expected … -->` comment"
    entries = []
    for line in filter(None, map(str.strip, match.group("body").splitlines())):
        entry = _ENTRY.fullmatch(line)
        assert entry, f"not `LINE:COLUMN rule-name[: message fragment]`: {line!r}"
        fragment = entry["fragment"] or ""
        entries.append((int(entry["line"]), int(entry["column"]), entry["rule"], fragment.strip()))
    return sorted(entries)


def matched_findings(findings: list[Finding], expected: list[Entry]) -> list[Entry]:
    """The findings as `Entry`s, each message cut to the expected fragment it contains, if any.

    Pairs findings with expected entries one to one per (line, column, rule), longest fragment
    first, so equal lists mean equal counts and every fragment found in a different finding.
    """
    wanted: dict[tuple[int, int, str], list[str]] = {}
    for line, column, rule, fragment in expected:
        wanted.setdefault((line, column, rule), []).append(fragment)
    got: list[Entry] = []
    for finding in findings:
        key = (finding.line, finding.column, finding.rule)
        fragments = sorted(wanted.get(key, []), key=len, reverse=True)
        fragment = next((f for f in fragments if f in finding.message), finding.message)
        if fragment in wanted.get(key, []):
            wanted[key].remove(fragment)
        got.append((*key, fragment))
    return sorted(got)


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
    expected = expected_findings(text)
    assert matched_findings(findings, expected) == expected, "\n".join(
        f"{f.line}:{f.column} {f.rule}: {f.message}" for f in findings
    )


def test_duplicates_and_messages_count() -> None:
    """The comparison is not a set: a finding reported twice, or with another message, fails."""
    twice = [_finding(1, 1, "a rule said this"), _finding(1, 1, "a rule said this")]
    once: list[Entry] = [(1, 1, "link-dead", "")]
    assert matched_findings(twice, once) != once
    assert matched_findings(twice, once * 2) == once * 2
    said: list[Entry] = [(1, 1, "link-dead", "rule said")]
    assert matched_findings(twice[:1], said) == said
    assert matched_findings([_finding(1, 1, "something else")], said) != said


def _finding(line: int, column: int, message: str) -> Finding:
    return Finding("x.md", line, column, line, column + 1, "link-dead", "MD000", Severity.ERROR, message)


def test_every_fixture_folder_names_a_rule() -> None:
    for folder in FIXTURES.iterdir():
        # `sites/` holds whole generator sites, which tests/sites/ builds and lints.
        if folder.is_dir() and folder.name != "sites":
            assert find_rule(folder.name) is not None, f"tests/fixtures/{folder.name} names no rule"
