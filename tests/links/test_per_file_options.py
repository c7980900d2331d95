"""Remote links are checked with the options of the files that link them, not the first file's."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from mdlint.links.results import CheckerSettings
from mdlint.run.config import RuleSelection
from mdlint.run.remote_links import RemoteLinks, remote_links_for
from mdlint.run.runner import RunOptions, run
from mdlint.site.workspace import RunSettings
from tests.links.conftest import LoopbackServer

_COMMON = "timeout = 0.5\nbudget = 5.0\nretries = 0\n"


def test_each_config_scope_checks_its_own_links(
    server: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The root scope (whose file comes first) refuses private addresses and excludes one URL; the
    # nested scope (an override of the root config: only the run's root config may widen network
    # reach) allows them and excludes nothing, so its links must still reach the server.
    (tmp_path / ".mdlint.toml").write_text(
        '[rules.link-dead]\nallow-private = false\nexclude = ["/dead/excluded-at-root$"]\n'
        + _COMMON
        + '[[overrides]]\npaths = ["nested/**"]\n[overrides.rules.link-dead]\nallow-private = true\nexclude = []\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    nested = tmp_path / "nested"
    nested.mkdir()
    both, excluded = server.url("/dead/both"), server.url("/dead/excluded-at-root")
    for folder in (tmp_path, nested):
        (folder / "a.md").write_text(f"# A\n\n[x]({both}) [y]({excluded})\n", encoding="utf-8")

    options = RunOptions(
        paths=(str(tmp_path),),
        selection=RuleSelection(select=("link-dead",)),
        settings=RunSettings(cache_dir=tmp_path / "cache"),
    )
    found = sorted(
        (Path(f.path).parent.name, f.extra["url"], f.extra["class"], f.message) for f in run(options).findings
    )

    refused = (
        f"link not checked {both}: 127.0.0.1 is a non-public address (set [rules.link-dead] allow-private to check it)"
    )
    assert found == [
        ("nested", both, "dead", f"dead link {both}: HTTP 404"),
        ("nested", excluded, "dead", f"dead link {excluded}: HTTP 404"),
        (tmp_path.name, both, "blocked", refused),
    ]
    # The nested scope's check of each URL: HEAD, then GET; the root scope connects nowhere.
    assert server.count("/dead/both") == 2
    assert server.count("/dead/excluded-at-root") == 2


def test_an_offline_run_has_no_remote_checker(tmp_path: Path) -> None:
    assert remote_links_for(RunSettings(offline=True, cache_dir=tmp_path)) is None
    assert remote_links_for(RunSettings(cache_dir=tmp_path)) is not None


def test_groups_share_the_largest_budget(server: LoopbackServer, tmp_path: Path) -> None:
    checker = RemoteLinks(RunSettings(cache_dir=tmp_path))
    slow = CheckerSettings(timeout=5.0, budget=1.0, retries=0, allow_private=True)
    other = CheckerSettings(timeout=5.0, budget=1.0, retries=0, allow_private=("127.0.0.1",))
    started = time.monotonic()
    first, second = checker.check([(slow, {server.url("/ok/a?delay=3")}), (other, {server.url("/ok/b")})])
    # The first group spends the run's whole budget, so the second is not started, not waited for.
    assert time.monotonic() - started < 2.5
    assert [(r.link_class, r.reason) for r in first.values()] == [
        ("unreachable", "no complete response before the time budget ran out")
    ]
    assert [r.reason for r in second.values()] == ["not checked: the time budget ran out"]
    assert server.count("/ok/b") == 0
