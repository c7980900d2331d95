"""link-dead: options validation, severities and what fixtures cannot say (network tests: tests/links/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdlint.findings import Severity
from mdlint.rules.link_dead import RULE
from mdlint.run.config import ConfigError, load_config
from mdlint.site.workspace import RunSettings
from mdlint.testing import lint_text


def _config(tmp_path: Path, table: str) -> Path:
    path = tmp_path / ".mdlint.toml"
    path.write_text("[rules.link-dead]\n" + table, encoding="utf-8")
    return path


def test_bad_exclude_regex_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"link-dead.*exclude.*invalid regular expression '\(unclosed'"):
        load_config(_config(tmp_path, 'exclude = ["(unclosed"]\n'))


@pytest.mark.parametrize("key", ["https://github.com/path", "ftp://github.com", "https://user@github.com"])
def test_a_hosts_key_must_be_a_host_or_an_origin(tmp_path: Path, key: str) -> None:
    with pytest.raises(ConfigError, match=r"\[rules\.link-dead\] hosts: .* is neither a host name nor an origin"):
        load_config(_config(tmp_path, f'[rules.link-dead.hosts."{key}"]\nconcurrency = 2\n'))


def test_options_in_kebab_case(tmp_path: Path) -> None:
    table = (
        'allow-private = ["intranet.local"]\ntimeout = 2.5\nmax-redirects = 3\nanchor-style = "kramdown"\n'
        '[rules.link-dead.hosts."github.com"]\nconcurrency = 2\nheaders = { Authorization = "token x" }\n'
    )
    config = load_config(_config(tmp_path, table))
    options = next(c.options for c in config.rules_for(tmp_path / "a.md") if c.rule is RULE)
    assert isinstance(options, RULE.options)
    settings = options.checker_settings()
    assert settings.allow_private == ("intranet.local",)
    assert settings.hosts["github.com"].concurrency == 2
    assert settings.hosts["github.com"].headers == {"Authorization": "token x"}
    assert (settings.timeout, settings.max_redirects) == (2.5, 3)


@pytest.mark.parametrize("table", ['anchor-style = "pandoc"\n', "timeout = 0\n", "unknown-key = 1\n"])
def test_invalid_options(tmp_path: Path, table: str) -> None:
    with pytest.raises(ConfigError, match="link-dead"):
        load_config(_config(tmp_path, table))


def test_local_dead_link_is_an_error_and_strict_changes_nothing_for_it() -> None:
    for strict in (False, True):
        findings = lint_text("[a](#nope)\n", "link-dead", settings=RunSettings(offline=True, strict=strict))
        assert [(f.severity, f.extra["class"]) for f in findings] == [(Severity.ERROR, "dead")]


def test_configured_severity_applies_to_dead_links() -> None:
    findings = lint_text("[a](#nope)\n", "link-dead", options={"link-dead": {"severity": "warning"}})
    assert [f.severity for f in findings] == [Severity.WARNING]


def test_suppression_comment_silences_a_link() -> None:
    text = "<!-- mdlint-disable-next-line link-dead -->\n[a](#nope)\n"
    assert lint_text(text, "link-dead") == []
