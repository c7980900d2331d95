"""A run on a machine whose network is down: it notices, says so once, and does not wait per link.

Name resolution genuinely fails here: the links go to hosts under `.invalid`, a name reserved never
to resolve (RFC 2606), so these tests behave the same with and without internet.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from mdlint.links.network_probe import network_down, probe_hosts
from tests.conftest import RunCli

NOTICE = "mdlint: network unreachable: {} remote links not checked; --offline skips them"


def _page(count: int, hosts: int) -> str:
    links = [f"- [page {index}](https://host{index % hosts}.example.invalid/page/{index})" for index in range(count)]
    return "# Links\n\n" + "\n".join(links) + "\n"


def test_a_run_without_name_resolution_says_so_once_and_reports_no_link(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(_page(105, 7), encoding="utf-8")
    (tmp_path / "b.md").write_text("See [it](https://host0.example.invalid/page/0) and [x](https://other.invalid/).\n")
    started = time.monotonic()
    result = run_cli("--select", "link-dead", ".", cwd=tmp_path)
    # A hang guard, not a timing claim: before the probe this cost a failure (or a timeout) per link.
    assert time.monotonic() - started < 60
    assert result.stderr.splitlines() == [NOTICE.format(106)]
    assert result.stdout.splitlines() == ["Found 0 findings in 2 files."]
    assert result.returncode == 0


def test_fix_checks_links_twice_but_says_it_once(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(_page(4, 2) + "\n[x](arxiv.org/abs/1)\n", encoding="utf-8")
    result = run_cli("--select", "link-dead,link-missing-scheme", "--fix", "a.md", cwd=tmp_path)
    # The fixed link (https://arxiv.org/abs/1) is the fifth; the check after the fix does not probe again.
    assert result.stderr.splitlines() == [NOTICE.format(5)]
    assert result.stdout.splitlines()[-1] == "Found 0 findings in 1 file."
    assert result.returncode == 0


def test_offline_says_nothing_about_the_network(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(_page(10, 3), encoding="utf-8")
    result = run_cli("--offline", "a.md", cwd=tmp_path)
    assert (result.stderr, result.stdout, result.returncode) == ("", "Found 0 findings in 1 file.\n", 0)


def test_one_host_that_does_not_resolve_is_a_dead_host_not_a_dead_network(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(_page(3, 1), encoding="utf-8")
    result = run_cli("--select", "link-dead", "a.md", cwd=tmp_path)
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert [line.split(": DNS lookup failed for host0.example.invalid: ")[0] for line in lines[:3]] == [
        f"a.md:{row}:12: warning MDL040 link-dead link unreachable https://host0.example.invalid/page/{index}"
        for index, row in enumerate((3, 4, 5))
    ]
    assert lines[3] == "Found 3 findings (0 errors, 3 warnings) in 1 file."


# The probe with a resolver seam, for what the machine's resolver cannot be made to do.


def test_the_probe_resolves_the_most_linked_host_names_and_skips_ip_literals() -> None:
    urls = [
        "https://a.org/1",
        "https://b.org/1",
        "https://b.org/2",
        "http://127.0.0.1:8000/",
        "http://[::1]/x",
        "https://c.org/",
        "https://d.org/",
    ]
    assert probe_hosts(urls) == ["b.org", "a.org", "c.org"]
    assert probe_hosts(["http://127.0.0.1/", "http://10.0.0.1/"]) == []


def test_any_probed_host_that_resolves_means_the_network_is_up() -> None:
    urls = ["https://typo.invalid/", "https://typo.invalid/2", "https://real.org/"]
    assert network_down(urls, resolve=lambda host: host == "real.org") is False
    assert network_down(urls, resolve=lambda host: False) is True
    # One host alone proves nothing about the network: it may be a typo.
    assert network_down(["https://typo.invalid/", "https://typo.invalid/2"], resolve=lambda host: False) is False


def test_a_resolver_that_never_answers_costs_the_probe_time_only() -> None:
    never = threading.Event()

    def hang(host: str) -> bool:
        never.wait(30)
        return True

    started = time.monotonic()
    try:
        assert network_down(["https://a.org/", "https://b.org/"], seconds=0.2, resolve=hang) is True
        assert time.monotonic() - started < 20  # a hang guard; the probe gives up after 0.2 s
    finally:
        never.set()
