"""Where the link checker may go and what it carries there (issue 13, items 7, 10 and 11).

Against real servers on 127.0.0.1: configured headers reach their own origin (scheme, host, port)
and no other, also after a redirect; IPv6 addresses that embed a loopback, link-local or private
IPv4 address are refused like it, directly and after a redirect; a name lookup that never returns
ends with the run's budget.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from urllib.parse import quote

import pytest

from mdlint.links.remote import CheckerSettings, CheckResult, HostSettings, check_urls, check_urls_sync
from mdlint.links.urls import configured_origin, url_origin
from tests.links.fault_servers import Fault, FaultServers


async def _recording(fault: Fault, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Keep each request's whole head in `fault.requests`; `/to?url=U` redirects to U, else 200."""
    while True:
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            return
        fault.requests.append(head)
        target = head.split(" ", 2)[1]
        if target.startswith("/to?url="):
            location = target.removeprefix("/to?url=")
            writer.write(f"HTTP/1.1 302 X\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode("latin-1"))
        else:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()


@pytest.fixture(scope="module")
def module_servers() -> Iterator[FaultServers]:
    servers = FaultServers()
    try:
        servers.add("first", _recording)
        servers.add("second", _recording)
        yield servers
    finally:
        servers.stop()


@pytest.fixture
def servers(module_servers: FaultServers) -> FaultServers:
    module_servers.reset()
    return module_servers


def _check(urls: list[str], settings: CheckerSettings) -> dict[str, CheckResult]:
    return asyncio.run(check_urls(urls, settings))


def _one(url: str, settings: CheckerSettings) -> CheckResult:
    results = _check([url], settings)
    assert len(results) == 1
    return next(iter(results.values()))


def _secret_seen(fault: Fault) -> list[bool]:
    return ["x-secret: s3cret" in head.lower() for head in fault.requests]


# --- item 7: headers by origin ------------------------------------------------------------------


def test_origins_of_keys_and_urls() -> None:
    assert configured_origin("Example.com") == ("https://example.com", "example.com")
    assert configured_origin("http://example.com:8082") == ("http://example.com:8082", "example.com")
    assert configured_origin("https://example.com:443") == ("https://example.com", "example.com")
    assert url_origin("https://example.com:8443/a?b") == "https://example.com:8443"
    assert url_origin("http://example.com/a") == "http://example.com"
    for bad in ("ftp://example.com", "https://user@example.com", "https://example.com/path", ""):
        with pytest.raises(ValueError, match="neither a host name nor an origin"):
            configured_origin(bad)


def test_headers_do_not_follow_a_redirect_to_another_port_of_the_same_host(servers: FaultServers) -> None:
    first, second = servers.faults["first"], servers.faults["second"]
    settings = CheckerSettings(
        timeout=2.0,
        budget=6.0,
        retries=0,
        allow_private=["127.0.0.1"],
        hosts={first.url("").rstrip("/"): HostSettings(headers={"X-Secret": "s3cret"})},
    )
    result = _one(first.url("/to?url=" + quote(second.url("/landing"), safe=":/")), settings)
    assert (result.link_class, result.final_url) == ("ok", second.url("/landing"))
    assert _secret_seen(first) == [True]
    assert _secret_seen(second) == [False]


def test_a_bare_host_key_means_its_https_origin_only(servers: FaultServers) -> None:
    # `127.0.0.1` stands for https://127.0.0.1:443: plain http on another port gets nothing.
    first = servers.faults["first"]
    settings = CheckerSettings(
        timeout=2.0,
        budget=6.0,
        retries=0,
        allow_private=["127.0.0.1"],
        hosts={"127.0.0.1": HostSettings(headers={"X-Secret": "s3cret"})},
    )
    assert _one(first.url("/page"), settings).link_class == "ok"
    assert _secret_seen(first) == [False]


def test_a_redirect_to_another_origin_drops_the_links_credentials(servers: FaultServers) -> None:
    first, second = servers.faults["first"], servers.faults["second"]
    settings = CheckerSettings(timeout=2.0, budget=6.0, retries=0, allow_private=["127.0.0.1"])
    link = first.url("/to?url=" + quote(second.url("/landing"), safe=":/")).replace("://", "://user:pw@")
    assert _one(link, settings).link_class == "ok"
    assert ["authorization: basic" in head.lower() for head in first.requests] == [True]
    assert ["authorization" in head.lower() for head in second.requests] == [False]


# --- item 10: IPv6 forms of non-public IPv4 addresses -------------------------------------------

EMBEDDING = [
    ("[64:ff9b::a9fe:a9fe]", "169.254.169.254"),  # NAT64 of the cloud metadata address
    ("[2002:7f00:1::]", "127.0.0.1"),  # 6to4
    ("[::127.0.0.1]", "127.0.0.1"),  # IPv4-compatible
    ("[::ffff:127.0.0.1]", None),  # IPv4-mapped (already not global as a whole)
    ("[2001:0:4136:e378:8000:63bf:3fff:fdd2]", None),  # Teredo
    ("[64:ff9b:1::a00:1]", None),  # local-use NAT64
]


@pytest.mark.parametrize(("host", "embedded"), EMBEDDING)
def test_ipv6_literals_embedding_non_public_ipv4_are_refused(host: str, embedded: str | None) -> None:
    result = _one(f"http://{host}:9/x", CheckerSettings(timeout=1.0, budget=3.0, retries=0))
    assert result.link_class == "blocked"
    assert result.reason.startswith(f"not checked: {host.strip('[]')} is a non-public address")
    if embedded is not None:
        assert f"(it embeds {embedded})" in result.reason


def test_a_public_nat64_address_is_not_refused_by_the_guard() -> None:
    # 64:ff9b::808:808 embeds 8.8.8.8: the guard lets it through (this machine cannot dial it).
    result = _one("http://[64:ff9b::808:808]:9/x", CheckerSettings(timeout=0.5, budget=2.0, retries=0))
    assert result.link_class == "unreachable"


@pytest.mark.parametrize(("host", "embedded"), [e for e in EMBEDDING if e[1] is not None])
def test_a_redirect_to_an_embedding_ipv6_literal_is_refused(servers: FaultServers, host: str, embedded: str) -> None:
    first = servers.faults["first"]
    settings = CheckerSettings(timeout=1.0, budget=4.0, retries=0, allow_private=["127.0.0.1"])
    result = _one(first.url(f"/to?url=http://{host}:{first.port}/inner"), settings)
    assert result.link_class == "blocked"
    assert result.final_url == f"http://{host}:{first.port}/inner"
    assert f"(it embeds {embedded})" in result.reason
    assert len(first.requests) == 1


def test_a_name_resolving_to_an_embedding_address_is_refused() -> None:
    # Resolved addresses are judged like literals: the resolver seam answers with a NAT64 address.
    def resolve(host: str, port: int) -> Sequence[str]:
        return ["64:ff9b::7f00:1"]

    results = asyncio.run(
        check_urls(["http://internal.example/x"], CheckerSettings(timeout=1.0, budget=3.0), resolve=resolve)
    )
    result = next(iter(results.values()))
    assert result.link_class == "blocked"
    assert result.reason == (
        "not checked: internal.example resolves to the non-public address 64:ff9b::7f00:1 (it embeds 127.0.0.1) "
        "(set [rules.link-dead] allow-private to check it)"
    )


# --- item 11: a name lookup that never returns ---------------------------------------------------


def test_a_blocking_name_lookup_ends_with_the_budget() -> None:
    release = threading.Event()
    calls: list[str] = []

    def never_answers(host: str, port: int) -> Sequence[str]:
        calls.append(host)
        # A real blocking call, as a resolver without an answer is; released when the test ends.
        release.wait(60)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    settings = CheckerSettings(timeout=30.0, budget=2.0, retries=1)
    started = time.monotonic()
    try:
        results = check_urls_sync(
            ["http://stalls.example/a", "http://stalls.example/b", "http://other.example/"],
            settings,
            resolve=never_answers,
        )
    finally:
        elapsed = time.monotonic() - started
        release.set()
    # A hang guard, not a timing claim: before, the run waited for the lookup thread (30 s here).
    assert elapsed < settings.budget + 5
    assert {r.link_class for r in results.values()} == {"unreachable"}
    assert all("time budget" in r.reason or "DNS lookup timed out" in r.reason for r in results.values())
    # Lookups of one name are shared: the retry and the second URL did not start another.
    assert sorted(set(calls)) == ["other.example", "stalls.example"]
