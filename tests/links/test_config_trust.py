"""Settings that widen network reach come only from the run's root config (issue 13, item 8).

A pull request that adds `docs/.mdlint.toml` with `allow-private = true` and a header must not make
CI fetch an internal URL. Each case is a real folder tree in tmp_path, run from its top (the
working directory decides the root config) through `main()`, against a real server on 127.0.0.1
that counts what reached it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mdlint.cli import main
from mdlint.run.config import ConfigError, ConfigTrust, find_config, load_config
from tests.links.conftest import LoopbackServer

_FAST = "timeout = 1.0\nbudget = 5.0\nretries = 0\n"
# What the hostile pull request adds: private addresses allowed and a metadata header.
_HOSTILE = (
    "[rules.link-dead]\nallow-private = true\n"
    '[rules.link-dead.hosts."http://127.0.0.1"]\nheaders = { Metadata-Flavor = "Google" }\n'
)


def _tree(tmp_path: Path, server: LoopbackServer, docs_config: str | None, root_config: str | None = None) -> Path:
    if root_config is not None:
        (tmp_path / ".mdlint.toml").write_text(root_config, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    if docs_config is not None:
        (docs / ".mdlint.toml").write_text(docs_config, encoding="utf-8")
    (docs / "a.md").write_text(f"# A\n\n[internal]({server.url('/ok/internal')})\n", encoding="utf-8")
    return docs


def _lint(tmp_path: Path, *arguments: str) -> int:
    return main(["--select", "link-dead", "--format", "json", "--cache-dir", str(tmp_path / "cache"), *arguments])


def test_a_deeper_config_may_not_allow_private_addresses_or_add_headers(
    server: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = _tree(tmp_path, server, _HOSTILE, root_config="[rules.link-dead]\n" + _FAST)
    monkeypatch.chdir(tmp_path)
    assert _lint(tmp_path, "docs") == 2
    output = capsys.readouterr()
    assert output.out == ""
    assert output.err.splitlines() == [
        f"mdlint: error: {docs / '.mdlint.toml'}: [rules.link-dead] allow-private: widens network reach, so only "
        f"the run's root config or --config may set it (the run's root config is {tmp_path / '.mdlint.toml'}; "
        "see README, Settings that widen network reach)"
    ]
    assert server.count() == 0


@pytest.mark.parametrize(
    ("docs_config", "where", "key"),
    [
        ('[rules.link-dead.hosts."127.0.0.1"]\nheaders = { X = "1" }\n', "rules.link-dead", "hosts"),
        ("[rules.MDL040]\nbudget = 600.0\n", "rules.MDL040", "budget"),
        ("[rules.link-dead]\nallow_private = true\n", "rules.link-dead", "allow_private"),
        ("[rules.link-dead]\nmax-concurrency = 500\n", "rules.link-dead", "max-concurrency"),
        (
            "[[overrides]]\npaths = ['**']\n[overrides.rules.link-dead]\nallow-private = ['127.0.0.1']\n",
            "overrides[0].rules.link-dead",
            "allow-private",
        ),
    ],
)
def test_every_network_option_and_spelling_is_refused_deeper(
    server: LoopbackServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    docs_config: str,
    where: str,
    key: str,
) -> None:
    docs = _tree(tmp_path, server, docs_config)
    monkeypatch.chdir(tmp_path)
    # No root config at all: the run trusts nothing in the tree.
    assert _lint(tmp_path, "docs") == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"mdlint: error: {docs / '.mdlint.toml'}: [{where}] {key}: widens network reach")
    assert lines[0].endswith("(the run has no root config; see README, Settings that widen network reach)")
    assert server.count() == 0


def test_a_deeper_config_extending_its_own_file_cannot_launder_the_setting(
    server: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = _tree(tmp_path, server, "extend = 'base.toml'\n")
    (docs / "base.toml").write_text(_HOSTILE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _lint(tmp_path, "docs") == 2
    assert capsys.readouterr().err.startswith(f"mdlint: error: {docs / 'base.toml'}: [rules.link-dead] allow-private")
    assert server.count() == 0


def test_the_root_config_and_its_extend_chain_may_widen_reach(
    server: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The root config extends a shared base that allows the loopback server; the docs config
    # extends the root and only narrows local matters (an exclude), which any config may.
    (tmp_path / "shared.toml").write_text(
        "[rules.link-dead]\nallow-private = ['127.0.0.1']\n" + _FAST, encoding="utf-8"
    )
    _tree(tmp_path, server, "extend = '../.mdlint.toml'\n[rules.link-dead]\nexclude = ['/excluded$']\n")
    (tmp_path / ".mdlint.toml").write_text("extend = 'shared.toml'\n", encoding="utf-8")
    with (tmp_path / "docs" / "a.md").open("a", encoding="utf-8") as page:
        page.write(f"\n[dead]({server.url('/dead/x')}) [skipped]({server.url('/dead/excluded')})\n")
    monkeypatch.chdir(tmp_path)
    assert _lint(tmp_path, "docs") == 1
    assert capsys.readouterr().err == ""
    assert (server.count("/ok/internal"), server.count("/dead/x"), server.count("/dead/excluded")) == (1, 2, 0)


def test_run_from_the_docs_folder_its_config_is_the_root(
    server: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = _tree(tmp_path, server, _HOSTILE.replace("allow-private = true\n", "allow-private = true\n" + _FAST))
    monkeypatch.chdir(docs)
    assert _lint(tmp_path, ".") == 0
    assert capsys.readouterr().err == ""
    assert server.count("/ok/internal") == 1


def test_an_explicit_config_is_trusted(
    server: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = _tree(tmp_path, server, _HOSTILE.replace("allow-private = true\n", "allow-private = true\n" + _FAST))
    monkeypatch.chdir(tmp_path)
    assert _lint(tmp_path, "--config", str(docs / ".mdlint.toml"), "docs") == 0
    assert capsys.readouterr().err == ""
    assert server.count("/ok/internal") == 1


def test_trust_follows_the_extend_chain_of_the_root(tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text("[rules.link-dead]\nbudget = 10.0\n", encoding="utf-8")
    (tmp_path / ".mdlint.toml").write_text("extend = 'base.toml'\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / ".mdlint.toml").write_text("[rules.link-dead]\nbudget = 10.0\n", encoding="utf-8")
    trust = ConfigTrust.of(find_config(tmp_path))
    assert trust.files == {(tmp_path / ".mdlint.toml").resolve(), (tmp_path / "base.toml").resolve()}
    load_config(tmp_path / ".mdlint.toml", trust)
    with pytest.raises(ConfigError, match=r"docs/\.mdlint\.toml: \[rules\.link-dead\] budget: widens network reach"):
        load_config(tmp_path / "docs" / ".mdlint.toml", trust)
    # Without a trust policy (a caller that picked the file itself), nothing is refused.
    load_config(tmp_path / "docs" / ".mdlint.toml")
