"""`--list-rules --format json` and `--color` with NO_COLOR / FORCE_COLOR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdlint.rule_engine.rule import all_rules
from tests.conftest import RunCli

BAD_LINK = "- [paper](arxiv.org/abs/2412.19437)\n"
ESCAPE = "\x1b["


def test_list_rules_json_describes_every_rule(run_cli: RunCli) -> None:
    result = run_cli("--list-rules", "--format", "json")
    assert result.returncode == 0, result.stderr
    rules = json.loads(result.stdout)
    assert [rule["code"] for rule in rules] == [rule.code for rule in all_rules()]
    by_name = {rule["name"]: rule for rule in rules}
    assert set(by_name["link-missing-scheme"]) == {"code", "name", "severity", "summary", "fixes", "opt-in", "tags"}
    assert by_name["link-missing-scheme"]["code"] == "MDL004"
    assert by_name["link-missing-scheme"]["fixes"] == ["safe"]
    assert by_name["link-missing-scheme"]["opt-in"] is False
    assert by_name["unused-suppression"]["opt-in"] is True
    assert by_name["icon-unknown"]["severity"] == "warning"
    assert all(isinstance(rule["tags"], list) for rule in rules)


def test_list_rules_refuses_other_formats(run_cli: RunCli) -> None:
    result = run_cli("--list-rules", "--format", "sarif")
    assert result.returncode == 2
    assert "--list-rules prints text or json" in result.stderr


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    (tmp_path / "a.md").write_text(BAD_LINK, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ((), {"NO_COLOR": ""}, False),  # auto: a pipe is no terminal
        ((), {"NO_COLOR": "", "FORCE_COLOR": "1"}, True),
        ((), {"NO_COLOR": "", "FORCE_COLOR": "0"}, False),
        ((), {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),  # NO_COLOR wins in auto
        (("--color", "always"), {"NO_COLOR": "1"}, True),  # the flag wins over both
        (("--color", "never"), {"NO_COLOR": "", "FORCE_COLOR": "1"}, False),
    ],
    ids=["auto-pipe", "force", "force-zero", "no-color-wins", "always", "never"],
)
def test_color_choice(
    run_cli: RunCli, bad_file: Path, args: tuple[str, ...], env: dict[str, str], coloured: bool
) -> None:
    result = run_cli("--select", "link-missing-scheme", *args, "a.md", cwd=bad_file, env=env)
    assert result.returncode == 1
    assert (ESCAPE in result.stdout) is coloured
    # Colour changes nothing but the escapes: the same text underneath.
    plain = run_cli("--select", "link-missing-scheme", "--color", "never", "a.md", cwd=bad_file)
    stripped = result.stdout
    for code in ("\x1b[1m", "\x1b[31m", "\x1b[0m"):
        stripped = stripped.replace(code, "")
    assert stripped == plain.stdout


def test_color_in_output_file_only_when_always(run_cli: RunCli, bad_file: Path) -> None:
    env = {"NO_COLOR": "", "FORCE_COLOR": "1"}
    run_cli("--select", "link-missing-scheme", "--output-file", "auto.txt", "a.md", cwd=bad_file, env=env)
    run_cli("--select", "link-missing-scheme", "--color", "always", "--output-file", "always.txt", "a.md", cwd=bad_file)
    assert ESCAPE not in (bad_file / "auto.txt").read_text(encoding="utf-8")
    assert ESCAPE in (bad_file / "always.txt").read_text(encoding="utf-8")


def test_color_rejects_unknown_choice(run_cli: RunCli, bad_file: Path) -> None:
    assert run_cli("--color", "sometimes", "a.md", cwd=bad_file).returncode == 2
