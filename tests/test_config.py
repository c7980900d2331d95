"""Configuration files: discovery, the public shape, overrides, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdlint.findings import Severity
from mdlint.run.config import ConfigError, ConfigFile, RuleSelection, find_config, load_config


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_nearest_config_wins_and_pyproject_needs_a_tool_table(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(tmp_path / "a.md") is None
    _write(tmp_path / "pyproject.toml", "[tool.mdlint]\nignore = ['link-dead']\n")
    assert find_config(tmp_path / "docs" / "a.md") == (tmp_path / "pyproject.toml").resolve()
    nearer = _write(tmp_path / "docs" / ".mdlint.toml", "")
    assert find_config(tmp_path / "docs" / "a.md") == nearer.resolve()


def test_public_shape(tmp_path: Path) -> None:
    config = load_config(
        _write(
            tmp_path / ".mdlint.toml",
            """
select = ["all"]
ignore = ["MDL005"]
exclude = ["vendor/**"]
[rules.link-missing-scheme]
severity = "warning"
[[overrides]]
paths = ["_posts/**"]
ignore = ["details-unbalanced"]
[overrides.rules.MDL004]
severity = "info"
""",
        )
    )
    names = {c.rule.name: c for c in config.rules_for(tmp_path / "notes" / "a.md")}
    assert "link-local-path" not in names
    assert names["link-missing-scheme"].severity is Severity.WARNING
    post = {c.rule.name: c for c in config.rules_for(tmp_path / "_posts" / "2025-01-01-a.md")}
    assert post["link-missing-scheme"].severity is Severity.INFO
    assert "details-unbalanced" not in post
    assert config.excludes(tmp_path / "vendor" / "x.md")
    assert not config.excludes(tmp_path / "notes" / "x.md")


def test_command_line_selection_wins(tmp_path: Path) -> None:
    config = ConfigFile(None)
    chosen = config.rules_for(tmp_path / "a.md", RuleSelection(select=("MDL004",), ignore=()))
    assert [c.rule.name for c in chosen] == ["link-missing-scheme"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("selct = ['all']\n", "selct: unknown key"),
        ("select = ['no-such-rule']\n", "select: unknown rule 'no-such-rule'"),
        ("[rules.no-such-rule]\n", "rules.no-such-rule: unknown rule"),
        ("[rules.link-missing-scheme]\nseverity = 'fatal'\n", "severity: 'fatal' is not one of error, warning, info"),
        ("[rules.link-missing-scheme]\ncolour = 1\n", "colour: unknown key"),
        ("select = 'all'\n", "select: Input should be a valid list"),
        ("select = [\n", "TOML syntax error"),
        ("[[overrides]]\npaths = []\n", "overrides.0.paths"),
    ],
)
def test_errors_name_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path / ".mdlint.toml", text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_bad_config_exits_two_with_one_line(tmp_path: Path) -> None:
    from mdlint.cli import main

    _write(tmp_path / ".mdlint.toml", "[rules.link-missing-scheme]\nseverity = 'fatal'\n")
    _write(tmp_path / "a.md", "# a\n")
    assert main([str(tmp_path / "a.md")]) == 2
