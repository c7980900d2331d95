"""Fixtures of the icon, link-duplicate and image-alt-missing rules: each file states its findings.

The lead's generic runner covers every rule folder; this one keeps these rules checked on this
branch until it lands (and can be dropped then).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from mdlint.testing import lint_text

_FOLDERS = ("icon-variant", "icon-unknown", "icon-missing", "icon-category", "link-duplicate", "image-alt-missing")
_ROOT = Path(__file__).parent / "fixtures"
_EXPECTED = re.compile(r"<!-- expected\s*(.*?)-->", re.DOTALL)
_CASES = sorted(path for folder in _FOLDERS for path in (_ROOT / folder).glob("*.md"))


def expected_findings(text: str) -> set[str]:
    """The `LINE:COLUMN rule` lines of the fixture's last `<!-- expected -->` block."""
    blocks = _EXPECTED.findall(text)
    assert blocks, "fixture has no <!-- expected --> block"
    return {line.strip() for line in blocks[-1].splitlines() if line.strip()}


@pytest.mark.parametrize("path", _CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture(path: Path) -> None:
    rule = path.parent.name
    text = path.read_text(encoding="utf-8")
    options_path = path.with_suffix(".toml")
    options = {rule: tomllib.loads(options_path.read_text(encoding="utf-8"))} if options_path.exists() else None
    found = {f"{f.line}:{f.column} {f.rule}" for f in lint_text(text, rule, path=path.name, options=options)}
    assert found == expected_findings(text)


_PAGE_SECTION = re.compile(r"^## (.+)$", re.MULTILINE)
_MARKDOWN_BLOCK = re.compile(r"^(`{3,})markdown\n(.*?)^\1$", re.DOTALL | re.MULTILINE)


def _examples(rule: str) -> list[tuple[str, str]]:
    page = (Path(__file__).parent.parent / "rules" / f"{rule}.md").read_text(encoding="utf-8")
    examples: list[tuple[str, str]] = []
    sections = list(_PAGE_SECTION.finditer(page))
    for index, section in enumerate(sections):
        end = sections[index + 1].start() if index + 1 < len(sections) else len(page)
        for block in _MARKDOWN_BLOCK.finditer(page, section.end(), end):
            examples.append((section.group(1), block.group(2)))
    return examples


@pytest.mark.parametrize("rule", _FOLDERS)
def test_rulebook_examples(rule: str) -> None:
    examples = _examples(rule)
    assert {"Example", "Use instead"} <= {section for section, _ in examples}
    for section, text in examples:
        found = [f for f in lint_text(text, rule) if f.rule == rule]
        if section == "Example":
            assert found, f"{rule}: Example block raises nothing:\n{text}"
        elif section == "Use instead":
            assert not found, f"{rule}: Use instead block raises {found}"
