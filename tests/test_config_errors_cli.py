"""Bad configuration through the real command line: one stderr line naming the file and the key, exit 2.

Each case writes a real config file beside a Markdown file in tmp_path and runs `main()`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mdlint.cli import main

# (file name, content, what the one line must say besides the file's path)
_BAD_CONFIGS = [
    (".mdlint.toml", "select = 'all'\n", ["select: Input should be a valid list"]),
    (".mdlint.toml", "select = [1]\n", ["select.0: Input should be a valid string"]),
    (".mdlint.toml", "max-file-size = 'big'\n", ["max-file-size: Input should be a valid integer"]),
    (".mdlint.toml", "file-time-limit = -1\n", ["file-time-limit: Input should be greater than 0"]),
    (".mdlint.toml", "rules = 3\n", ["rules: Input should be a valid dictionary"]),
    (".mdlint.toml", "overrides = {}\n", ["overrides: Input should be a valid list"]),
    (".mdlint.toml", "[rules.link-dead]\ntimeout = 'fast'\n", ["[rules.link-dead] timeout: Input should be a valid"]),
    (".mdlint.toml", "[rules.icon-variant]\nlegend = 5\n", ["[rules.icon-variant] legend:"]),
    (".mdlint.toml", "[rules.link-missing-scheme]\nseverity = 'fatal'\n", ["severity: 'fatal' is not one of"]),
    (".mdlint.toml", "select = ['no-such-rule']\n", ["select: unknown rule 'no-such-rule'"]),
    (".mdlint.toml", "ignore = ['MDL999']\n", ["ignore: unknown rule 'MDL999'"]),
    (".mdlint.toml", "[rules.no-such-rule]\n", ["rules.no-such-rule: unknown rule"]),
    (".mdlint.toml", "[[overrides]]\npaths = ['x']\nselect = ['nope']\n", ["overrides[0].select: unknown rule 'nope'"]),
    (
        ".mdlint.toml",
        "[[overrides]]\npaths = ['x']\n[overrides.rules.nope]\n",
        ["overrides[0].rules.nope: unknown rule"],
    ),
    (".mdlint.toml", "selct = ['all']\n", ["selct: unknown key"]),
    (".mdlint.toml", "[rules.link-dead]\ncolour = 1\n", ["[rules.link-dead] colour: unknown key"]),
    (".mdlint.toml", "[[overrides]]\npaths = ['x']\nrulez = {}\n", ["overrides.0.rulez: unknown key"]),
    (".mdlint.toml", "exclude = ['vendor/**', '!']\n", ["exclude: invalid glob '!'"]),
    (".mdlint.toml", 'exclude = ["\\\\"]\n', ["exclude: invalid glob '\\\\'"]),
    # This one used to escape as a pathspec traceback when the first file was matched.
    (".mdlint.toml", "[[overrides]]\npaths = ['_posts/**', '!']\n", ["overrides.0.paths: invalid glob '!'"]),
    (".mdlint.toml", "[rules.link-dead]\nexclude = ['(unclosed']\n", ["[rules.link-dead] exclude:", "'(unclosed'"]),
    (
        ".mdlint.toml",
        "[[overrides]]\npaths = ['x']\n[overrides.rules.link-dead]\nexclude = ['[z-a]']\n",
        ["[overrides[0].rules.link-dead] exclude: invalid regular expression '[z-a]'"],
    ),
    (".mdlint.toml", "select = [\n", ["TOML syntax error", "(at end of document)"]),
    (".mdlint.toml", "select = ['all'\nexclude = []\n", ["TOML syntax error: Unclosed array (at line 2, column 1)"]),
    (".mdlint.toml", "x = \n", ["TOML syntax error: Invalid value (at line 1, column 5)"]),
    ("pyproject.toml", "[tool.mdlint]\nselect = 'all'\n", ["[tool.mdlint] select: Input should be a valid list"]),
    ("pyproject.toml", "[tool.mdlint]\nexclude = ['!']\n", ["[tool.mdlint] exclude: invalid glob '!'"]),
    ("pyproject.toml", "[tool]\nmdlint = 3\n", ["[tool.mdlint] should be a table, not 3"]),
    # A pyproject.toml that does not parse still has our table: reported, not skipped.
    ("pyproject.toml", "[project]\nname = 'x'\n[tool.mdlint]\nselect = [\n", ["TOML syntax error"]),
]


@pytest.mark.parametrize(
    ("name", "content", "expected"), _BAD_CONFIGS, ids=[f"{n}:{c.splitlines()[-1]}" for n, c, _ in _BAD_CONFIGS]
)
def test_bad_config_is_one_line_naming_the_file_and_key(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str,
    expected: list[str],
) -> None:
    config = tmp_path / name
    config.write_text(content, encoding="utf-8")
    (tmp_path / "a.md").write_text("# a\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["a.md"]) == 2
    output = capsys.readouterr()
    assert output.out == ""
    lines = output.err.splitlines()
    assert len(lines) == 1, output.err
    assert lines[0].startswith(f"mdlint: error: {config}: ")
    for part in expected:
        assert part in lines[0]


def test_a_pyproject_without_our_table_is_not_a_config_even_when_broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\nname = 'x'\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("# a\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["a.md"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "flags",
    [
        ["--select", "no-such-rule"],
        ["--ignore", "MDL999"],
        ["--max-file-size", "-5"],
        ["--max-file-size", "big"],
        ["--file-time-limit", "-1"],
        ["--config", "missing.toml"],
    ],
)
def test_bad_command_line_values_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], flags: list[str]
) -> None:
    (tmp_path / "a.md").write_text("# a\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        raise SystemExit(main([*flags, "a.md"]))
    assert exited.value.code == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mdlint: error: ")
