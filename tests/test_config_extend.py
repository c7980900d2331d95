"""`extend = "../.mdlint.toml"`: the base file first, then this file's settings on top."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdlint.findings import Severity
from mdlint.run.config import ConfigError, load_config
from tests.conftest import RunCli

BASE = """\
select = ["link-missing-scheme", "language-mismatch", "icon-unknown"]
exclude = ["vendor/**"]
[rules.link-missing-scheme]
severity = "warning"
[rules.language-mismatch]
min-letters = 20
min-probability = 0.5
[[overrides]]
paths = ["posts/**"]
ignore = ["icon-unknown"]
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _rules(config_path: Path, file: Path) -> dict[str, tuple[Severity, dict[str, object]]]:
    config = load_config(config_path)
    return {
        configured.rule.name: (configured.severity, configured.options.model_dump(by_alias=True))
        for configured in config.rules_for(file)
    }


def test_extended_file_is_read_first_and_this_file_wins(tmp_path: Path) -> None:
    _write(tmp_path / ".mdlint.toml", BASE)
    child = _write(
        tmp_path / "docs" / ".mdlint.toml",
        'extend = "../.mdlint.toml"\n[rules.language-mismatch]\nmin-letters = 40\n',
    )
    rules = _rules(child, tmp_path / "docs" / "a.md")
    assert set(rules) == {"link-missing-scheme", "language-mismatch", "icon-unknown"}
    assert rules["link-missing-scheme"][0] is Severity.WARNING
    # Option by option: this file's min-letters, the base's min-probability.
    assert rules["language-mismatch"][1]["min-letters"] == 40
    assert rules["language-mismatch"][1]["min-probability"] == 0.5
    # The base's overrides and excludes come along; globs are relative to the extending file.
    assert "icon-unknown" not in _rules(child, tmp_path / "docs" / "posts" / "p.md")
    assert load_config(child).excludes(tmp_path / "docs" / "vendor" / "x.md")


def test_top_level_keys_replace_the_base(tmp_path: Path) -> None:
    _write(tmp_path / "shared" / "base.toml", BASE)
    child = _write(tmp_path / ".mdlint.toml", 'extend = "shared/base.toml"\nselect = ["link-missing-scheme"]\n')
    assert list(_rules(child, tmp_path / "a.md")) == ["link-missing-scheme"]


def test_a_rule_named_by_code_in_this_file_overrides_its_name_in_the_base(tmp_path: Path) -> None:
    _write(tmp_path / ".mdlint.toml", BASE)
    child = _write(tmp_path / "d" / ".mdlint.toml", 'extend = "../.mdlint.toml"\n[rules.MDL004]\nseverity = "info"\n')
    assert _rules(child, tmp_path / "d" / "a.md")["link-missing-scheme"][0] is Severity.INFO


def test_extend_chains_and_works_from_pyproject(tmp_path: Path) -> None:
    _write(tmp_path / "base.toml", BASE)
    _write(tmp_path / "middle.toml", 'extend = "base.toml"\n[rules.link-missing-scheme]\nseverity = "info"\n')
    child = _write(
        tmp_path / "p" / "pyproject.toml", '[tool.mdlint]\nextend = "../middle.toml"\nignore = ["icon-unknown"]\n'
    )
    rules = _rules(child, tmp_path / "p" / "a.md")
    assert set(rules) == {"link-missing-scheme", "language-mismatch"}
    assert rules["link-missing-scheme"][0] is Severity.INFO


def test_a_cycle_is_a_config_error_naming_the_chain(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.toml", 'extend = "b.toml"\n')
    _write(tmp_path / "b.toml", 'extend = "a.toml"\n')
    with pytest.raises(ConfigError) as raised:
        load_config(a)
    a_path, b_path = (tmp_path / "a.toml").resolve(), (tmp_path / "b.toml").resolve()
    assert f"cycle: {a_path} -> {b_path} -> {a_path}" in str(raised.value)


def test_a_file_extending_itself_is_a_cycle(tmp_path: Path) -> None:
    own = _write(tmp_path / ".mdlint.toml", 'extend = ".mdlint.toml"\n')
    with pytest.raises(ConfigError, match="cycle"):
        load_config(own)


@pytest.mark.parametrize(
    ("base", "child", "message"),
    [
        (None, 'extend = "missing.toml"\n', "extend: 'missing.toml': no such file"),
        (None, "extend = 3\n", "extend: should be the path of a config file, not 3"),
        ("slect = []\n", 'extend = "base.toml"\n', "base.toml: config slect: unknown key"),
        ('select = ["nope"]\n', 'extend = "base.toml"\n', "base.toml: select: unknown rule 'nope'"),
    ],
    ids=["missing", "not-a-string", "bad-key-in-base", "unknown-rule-in-base"],
)
def test_problems_name_the_file_that_has_them(tmp_path: Path, base: str | None, child: str, message: str) -> None:
    if base is not None:
        _write(tmp_path / "base.toml", base)
    own = _write(tmp_path / ".mdlint.toml", child)
    with pytest.raises(ConfigError) as raised:
        load_config(own)
    assert message in str(raised.value)


def test_cli_reports_an_extend_cycle_and_exits_two(run_cli: RunCli, tmp_path: Path) -> None:
    _write(tmp_path / ".mdlint.toml", 'extend = "other.toml"\n')
    _write(tmp_path / "other.toml", 'extend = ".mdlint.toml"\n')
    _write(tmp_path / "a.md", "# Title\n")
    result = run_cli("a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "extend: cycle:" in result.stderr
    assert "Traceback" not in result.stderr
