"""What a run lints: git's ignore sources, the default excludes, `--show-files` and `--show-settings`."""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.conftest import RunCli


def _tree(root: Path, *files: str) -> None:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# Title\n", encoding="utf-8")


def _isolated_git(tmp_path: Path) -> dict[str, str]:
    """An environment where git reads no user or system config but the test's own."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "GIT_CONFIG_NOSYSTEM": "1"}


def _git_init(root: Path, environment: dict[str, str]) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True, env=environment)


def _shown(run_cli: RunCli, root: Path, *args: str, env: dict[str, str] | None = None) -> list[str]:
    result = run_cli("--show-files", *args, cwd=root, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_default_excludes_skip_generator_output_and_environments(run_cli: RunCli, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _tree(
        site,
        "docs/a.md",
        "_site/a.md",
        "node_modules/pkg/README.md",
        ".venv/lib/a.md",
        "venv/lib/a.md",
        ".tox/py/a.md",
        ".jekyll-cache/a.md",
        "resources/_gen/a.md",
        "resources/notes.md",
        "public/a.md",
    )
    # Without a Hugo config beside it, public/ is somebody's documentation and is linted.
    assert _shown(run_cli, site) == ["docs/a.md", "public/a.md", "resources/notes.md"]
    (site / "hugo.toml").write_text('title = "x"\n', encoding="utf-8")
    assert _shown(run_cli, site) == ["docs/a.md", "resources/notes.md"]


def test_files_named_on_the_command_line_are_linted_even_in_default_excludes(run_cli: RunCli, tmp_path: Path) -> None:
    _tree(tmp_path, "node_modules/pkg/README.md", "_site/x/a.md")
    assert _shown(run_cli, tmp_path, "node_modules/pkg/README.md", "_site") == [
        "node_modules/pkg/README.md",
        "_site/x/a.md",
    ]


def test_git_info_exclude_is_honoured(run_cli: RunCli, tmp_path: Path) -> None:
    environment = _isolated_git(tmp_path)
    repository = tmp_path / "repo"
    _git_init(repository, environment)
    _tree(repository, "a.md", "drafts/b.md", "notes/private.md")
    (repository / ".git" / "info").mkdir(exist_ok=True)
    (repository / ".git" / "info" / "exclude").write_text("drafts/\n/notes/private.md\n", encoding="utf-8")
    assert _shown(run_cli, repository, env=environment) == ["a.md"]
    # Walking a subfolder still matches the patterns against the repository root.
    assert _shown(run_cli, repository, "notes", env=environment) == []


def test_global_excludes_file_default_location(run_cli: RunCli, tmp_path: Path) -> None:
    environment = _isolated_git(tmp_path)
    repository = tmp_path / "repo"
    _git_init(repository, environment)
    _tree(repository, "a.md", "scratch.md")
    ignore = Path(environment["XDG_CONFIG_HOME"]) / "git" / "ignore"
    ignore.parent.mkdir(parents=True)
    ignore.write_text("scratch.md\n", encoding="utf-8")
    assert _shown(run_cli, repository, env=environment) == ["a.md"]


def test_global_excludes_file_from_core_excludes_file(run_cli: RunCli, tmp_path: Path) -> None:
    environment = _isolated_git(tmp_path)
    repository = tmp_path / "repo"
    _git_init(repository, environment)
    _tree(repository, "a.md", "todo.md")
    (Path(environment["HOME"]) / ".gitconfig").write_text("[core]\n\texcludesFile = ~/my-ignores\n", encoding="utf-8")
    (Path(environment["HOME"]) / "my-ignores").write_text("todo.md\n", encoding="utf-8")
    assert _shown(run_cli, repository, env=environment) == ["a.md"]


def test_global_excludes_do_not_apply_outside_a_repository(run_cli: RunCli, tmp_path: Path) -> None:
    environment = _isolated_git(tmp_path)
    folder = tmp_path / "plain"
    _tree(folder, "a.md", "scratch.md")
    ignore = Path(environment["XDG_CONFIG_HOME"]) / "git" / "ignore"
    ignore.parent.mkdir(parents=True)
    ignore.write_text("scratch.md\n", encoding="utf-8")
    assert _shown(run_cli, folder, env=environment) == ["a.md", "scratch.md"]


def test_show_files_honours_config_exclude_and_reports_missing_paths(run_cli: RunCli, tmp_path: Path) -> None:
    _tree(tmp_path, "a.md", "vendor/b.md")
    (tmp_path / ".mdlint.toml").write_text('exclude = ["vendor/**"]\n', encoding="utf-8")
    assert _shown(run_cli, tmp_path) == ["a.md"]
    result = run_cli("--show-files", "a.md", "missing.md", cwd=tmp_path)
    assert result.stdout == "a.md\n"
    assert "missing.md: error: no such file or folder" in result.stderr
    assert result.returncode == 2


CONFIG = """\
select = ["link-missing-scheme", "language-mismatch"]
exclude = ["vendor/**"]
[rules.link-missing-scheme]
severity = "warning"
[[overrides]]
paths = ["posts/**"]
[overrides.rules.language-mismatch]
min-letters = 20
"""


def test_show_settings_toml_is_the_effective_configuration(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / ".mdlint.toml").write_text(CONFIG, encoding="utf-8")
    _tree(tmp_path, "posts/a.md")
    result = run_cli("--show-settings", "posts/a.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    settings = tomllib.loads(result.stdout)
    assert settings["config-file"] == str((tmp_path / ".mdlint.toml").resolve())
    assert settings["select"] == ["link-missing-scheme", "language-mismatch"]
    assert settings["exclude"] == ["vendor/**"]
    assert settings["rules"]["link-missing-scheme"] == {"severity": "warning"}
    assert settings["rules"]["language-mismatch"]["min-letters"] == 20
    assert settings["excluded"] is False


def test_show_settings_json_and_command_line_selection(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / ".mdlint.toml").write_text(CONFIG, encoding="utf-8")
    result = run_cli("--show-settings", "vendor/x.md", "--ignore", "MDL035", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["excluded"] is True
    assert list(settings["rules"]) == ["link-missing-scheme"]
    assert "min-letters" not in json.dumps(settings)  # the override matches posts/ only


def test_show_settings_without_a_config_file(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("--show-settings", "a.md", "--select", "MDL004", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# config-file: none")
    assert tomllib.loads(result.stdout)["rules"] == {"link-missing-scheme": {"severity": "error"}}


@pytest.mark.parametrize("flag", ["--show-files", "--show-settings"])
def test_show_flags_report_a_bad_config(run_cli: RunCli, tmp_path: Path, flag: str) -> None:
    (tmp_path / ".mdlint.toml").write_text('select = ["no-such-rule"]\n', encoding="utf-8")
    _tree(tmp_path, "a.md")
    result = run_cli(flag, *(["a.md"] if flag == "--show-settings" else []), cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown rule 'no-such-rule'" in result.stderr
