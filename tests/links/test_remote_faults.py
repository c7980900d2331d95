"""The remote checker against a real loopback server: each fault ends in the right class.

Timeouts are small (about half a second) so every case finishes quickly by construction; no test
asserts how long something took.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterable

import pytest

from mdlint.links.remote import CheckerSettings, CheckResult, HostSettings, check_urls
from tests.links.conftest import LoopbackServer

FAST = CheckerSettings(timeout=0.5, budget=5.0, retries=1, allow_private=True)


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _fds_settle(limit: int) -> int:
    # The server thread closes its side lazily; poll (bounded) rather than sleep blindly.
    end = time.monotonic() + 3.0
    count = _open_fds()
    while count > limit and time.monotonic() < end:
        time.sleep(0.05)
        count = _open_fds()
    return count


def check(urls: Iterable[str], settings: CheckerSettings = FAST) -> dict[str, CheckResult]:
    """Run the checker in a fresh loop and prove it left no task or socket behind."""

    async def run() -> dict[str, CheckResult]:
        results = await check_urls(urls, settings)
        leftover = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        assert leftover == []
        return results

    before = _open_fds()
    results = asyncio.run(run())
    assert _fds_settle(before) <= before
    return results


def one(url: str, settings: CheckerSettings = FAST) -> CheckResult:
    results = check([url], settings)
    assert len(results) == 1
    return next(iter(results.values()))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/ok/a", "ok"),
        ("/dead/a", "dead"),
        ("/gone/a", "dead"),
        ("/forbidden/a", "blocked"),
        ("/botwall/a", "blocked"),
        ("/linkedin/a", "blocked"),
        ("/headrefused/a", "ok"),
        ("/chain/3", "ok"),
    ],
)
def test_status_classes(server: LoopbackServer, path: str, expected: str) -> None:
    assert one(server.url(path)).link_class == expected


def test_head_refused_falls_back_to_get(server: LoopbackServer) -> None:
    one(server.url("/headrefused/x"))
    assert [(hit.method, hit.path) for hit in server.hits] == [("HEAD", "/headrefused/x"), ("GET", "/headrefused/x")]


def test_redirect_chain_reports_final_url(server: LoopbackServer) -> None:
    result = one(server.url("/chain/3"))
    assert result.final_url == server.url("/ok/end-of-chain")
    assert server.count("/chain/") == 3


def test_redirect_loop_is_unreachable(server: LoopbackServer) -> None:
    result = one(server.url("/loop/a"))
    assert (result.link_class, result.reason) == ("unreachable", "redirect loop")
    assert server.count() == 2


def test_redirect_limit(server: LoopbackServer) -> None:
    settings = CheckerSettings(timeout=0.5, budget=5.0, max_redirects=2, allow_private=True)
    result = one(server.url("/chain/5"), settings)
    assert result.link_class == "unreachable"
    assert "more than 2 redirects" in result.reason
    assert server.count() == 3


def test_each_url_once_per_run(server: LoopbackServer) -> None:
    base = server.url("/ok/same")
    variants = [base, base + "#frag", base.replace("http://", "HTTP://"), base.replace("127.0.0.1", "127.0.0.1:80")]
    results = check(variants[:3])
    assert len(results) == 1
    assert server.count() == 1


def test_slow_response_times_out_after_retries(server: LoopbackServer) -> None:
    result = one(server.url("/slow"))
    assert result.link_class == "unreachable"
    assert server.count("/slow") == 2  # the request and one retry


def test_accept_and_never_answer(server: LoopbackServer) -> None:
    result = one(server.url("/never"))
    assert result.link_class == "unreachable"
    assert "within 0.5 s" in result.reason


def test_trickle_one_byte_a_second_hits_the_whole_request_deadline(server: LoopbackServer) -> None:
    # httpx's read timeout restarts with every byte; only a whole-request deadline stops this.
    result = one(server.url("/trickle"))
    assert result.link_class == "unreachable"


def test_reset_before_response_is_unreachable(server: LoopbackServer) -> None:
    result = one(server.url("/reset-before"))
    assert result.link_class == "unreachable"
    assert server.count("/reset-before") == 2
    assert "connection dropped" in result.reason


def test_reset_mid_body_keeps_the_status(server: LoopbackServer) -> None:
    # The status line arrived before the reset, and a few KB of body is all the checker wants.
    result = one(server.url("/reset-mid-body"))
    assert result.link_class == "ok"


def test_endless_body_is_not_downloaded(server: LoopbackServer) -> None:
    result = one(server.url("/endless"))
    assert result.link_class == "ok"
    end = time.monotonic() + 3.0
    sent = server.body_bytes.get("/endless", 0)
    while time.monotonic() < end:  # the server notices the closed connection shortly after
        time.sleep(0.1)
        if server.body_bytes.get("/endless", 0) == sent:
            break
        sent = server.body_bytes.get("/endless", 0)
    # Socket buffers hold at most a few MB; the advertised body is 5 GB.
    assert sent < 8 * 1024 * 1024


def test_redirect_to_file_scheme_is_refused(server: LoopbackServer) -> None:
    result = one(server.url("/to-file"))
    assert result.link_class == "blocked"
    assert "file:" in result.reason


def test_private_address_refused_by_default(server: LoopbackServer) -> None:
    settings = CheckerSettings(timeout=0.5, budget=5.0)
    result = one(server.url("/ok/secret"), settings)
    assert result.link_class == "blocked"
    assert (
        result.reason
        == "not checked: 127.0.0.1 is a non-public address (set [rules.link-dead] allow-private to check it)"
    )
    assert server.count() == 0


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "http://[::ffff:10.0.0.1]/", "http://0.0.0.0:9/"]
)
def test_metadata_and_private_literals_refused(url: str) -> None:
    result = one(url, CheckerSettings(timeout=0.5, budget=2.0))
    assert result.link_class == "blocked"


def test_redirect_to_private_host_refused(server: LoopbackServer) -> None:
    # 127.0.0.1 is allowed by name; `localhost` resolves to the same loopback address but is not.
    settings = CheckerSettings(timeout=0.5, budget=5.0, allow_private=["127.0.0.1"])
    result = one(server.url("/to-localhost"), settings)
    assert result.link_class == "blocked"
    assert "localhost resolves to the non-public address" in result.reason
    assert server.count("/ok/private-target") == 0


def test_invalid_tls_is_unreachable(https_server: LoopbackServer) -> None:
    result = one(https_server.url("/ok/tls"))
    assert result.link_class == "unreachable"
    assert "TLS" in result.reason or "certificate" in result.reason.lower()


def test_connection_refused_is_unreachable() -> None:
    # Port 9 (discard) on loopback: nobody listens in a test environment.
    result = one("http://127.0.0.1:9/x")
    assert result.link_class == "unreachable"


def test_retry_after_blocks_the_whole_host_and_success_does_not_clear_it(server: LoopbackServer) -> None:
    settings = CheckerSettings(
        timeout=2.0, budget=8.0, allow_private=True, hosts={"127.0.0.1": HostSettings(concurrency=2)}
    )
    urls = [server.url("/ratelimit/a?after=1"), server.url("/ok/slow?delay=0.3")]
    urls += [server.url(f"/ok/{i}") for i in range(4)]
    results = check(urls, settings)
    assert {r.link_class for r in results.values()} == {"ok"}
    limited = next(hit for hit in server.hits if hit.path == "/ratelimit/a")
    # The in-flight slow request succeeds after the 429; every request that arrives later still
    # waited for the Retry-After second (a lower bound the checker guarantees by construction).
    later = [hit for hit in server.hits if hit.time > limited.time + 0.01]
    assert len(later) >= 5
    assert all(hit.time >= limited.time + 0.95 for hit in later if hit.path != "/ok/slow")


def test_retry_after_http_date(server: LoopbackServer) -> None:
    result = one(server.url("/ratelimit/d?after=date:1"), CheckerSettings(timeout=1.0, budget=6.0, allow_private=True))
    assert result.link_class == "ok"


def test_retry_after_past_the_budget_is_rate_limited_without_waiting(server: LoopbackServer) -> None:
    settings = CheckerSettings(timeout=0.5, budget=3.0, allow_private=True)
    results = check([server.url("/ratelimit/long?after=3600"), server.url("/ok/after-limit")], settings)
    classes = sorted(r.link_class for r in results.values())
    assert "rate-limited" in classes


def test_budget_bounds_the_run(server: LoopbackServer) -> None:
    settings = CheckerSettings(timeout=5.0, budget=1.0, retries=0, allow_private=True)
    results = check([server.url(f"/slow?{i}") for i in range(3)], settings)
    assert {r.link_class for r in results.values()} == {"unreachable"}


def test_configured_headers_stay_with_their_host(server: LoopbackServer) -> None:
    settings = CheckerSettings(
        timeout=0.5, budget=5.0, allow_private=True, hosts={"example.invalid": HostSettings(headers={"X-T": "1"})}
    )
    assert one(server.url("/ok/h"), settings).link_class == "ok"
