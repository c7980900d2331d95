"""The README's *Output formats* examples are real output: each command written there is run on the
fixture written there, and its output must equal the example block that follows it."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import REPO, RunCli

_SECTION = re.compile(r"^### Output formats\n(.*?)^## ", re.S | re.M)
# A paragraph that names a command in backticks and ends with a colon, then the fenced block.
_EXAMPLE = re.compile(r"`(mdlint [^`]+)`[^\n`]*(?:\n[^\n`]*)?:\n\n```(\w+)\n(.*?)^```", re.S | re.M)
_FIXTURE = re.compile(r"`(notes/a\.md)`[^\n]*:\n\n```markdown\n(.*?)^```", re.S | re.M)


def _section() -> str:
    found = _SECTION.search((REPO / "README.md").read_text(encoding="utf-8"))
    assert found is not None, "README has no 'Output formats' section"
    return found.group(1)


def _examples() -> list[tuple[str, str, str]]:
    return [(command, language, block) for command, language, block in _EXAMPLE.findall(_section())]


def test_the_readme_shows_one_example_of_each_format() -> None:
    formats = []
    for command, _language, _block in _examples():
        arguments = shlex.split(command)
        formats.append(arguments[arguments.index("--format") + 1] if "--format" in arguments else "text")
    assert formats == ["text", "json", "sarif", "github", "junit"]


@pytest.mark.parametrize("index", range(5), ids=["text", "json", "sarif", "github", "junit"])
def test_each_readme_example_is_what_mdlint_prints(index: int, run_cli: RunCli, tmp_path: Path) -> None:
    fixture = _FIXTURE.search(_section())
    assert fixture is not None, "README shows no notes/a.md fixture"
    (tmp_path / "notes").mkdir()
    (tmp_path / fixture.group(1)).write_text(fixture.group(2), encoding="utf-8")
    (tmp_path / "notes" / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    command, _language, expected = _examples()[index]
    arguments = shlex.split(command)
    assert arguments[0] == "mdlint"
    result = run_cli(*arguments[1:], cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    if "--format" not in arguments or arguments[arguments.index("--format") + 1] in ("github", "junit"):
        assert result.stdout == expected
    elif "sarif" in arguments:
        # The README shows the first result; the rest of the log (rules with their rulebook pages) is long.
        assert json.loads(result.stdout)["runs"][0]["results"][0] == json.loads(expected)
    else:
        assert json.loads(result.stdout) == json.loads(expected)
