"""Network faults (issue 7): each fault, served for real on 127.0.0.1, ends in its class, and the
checker leaves no socket, task or thread behind and stays inside its time budget.

Every check runs through `_run`, which fails the test if the run outlives three times its budget
(a hang guard, not a performance claim) and if a socket, asyncio task or thread the checker made
is still open afterwards. Connections the checker dials are recorded with an audit hook, so "refused
without connecting" is observed, not inferred from timing.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import trustme

from mdlint.links.remote import CheckerSettings, CheckResult, HostSettings, check_urls
from mdlint.links.urls import normalise_url
from tests.links.fault_servers import ENDLESS_LENGTH, FaultServers, running_fault_servers

# The trickling server sends a byte a second, so httpx's per-read timeout (the same 1.5 s) never
# trips: only the whole-request deadline can end those checks.
SETTINGS = CheckerSettings(timeout=1.5, budget=5.0, retries=0, max_redirects=3, allow_private=["127.0.0.1"])
HANG_FACTOR = 3

_dialled: list[tuple[Any, ...]] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.connect" and _dialled is not None:
        _dialled.append(tuple(args[1]) if isinstance(args[1], tuple) else (args[1],))


# Audit hooks cannot be removed; this one costs a comparison per event and records only inside `_run`.
sys.addaudithook(_audit)


@pytest.fixture(scope="module")
def tls_context() -> ssl.SSLContext:
    """A server context with a certificate for 127.0.0.1 from a throwaway CA nobody trusts."""
    certificate = trustme.CA().issue_cert("127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    return context


@pytest.fixture(scope="module")
def module_servers(tls_context: ssl.SSLContext) -> Iterator[FaultServers]:
    with running_fault_servers(tls_context) as servers:
        yield servers


@pytest.fixture
def servers(module_servers: FaultServers) -> FaultServers:
    module_servers.reset()
    return module_servers


def _sockets() -> dict[int, int]:
    """Socket inode -> file descriptor, for every socket this process holds open."""
    sockets = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            sockets[int(target[8:-1])] = int(fd)
    return sockets


def _new_client_sockets(before: set[int], server_ports: set[int]) -> set[int]:
    """Sockets opened since `before` that are not a test server's (listener or accepted).

    The local port tells the sides apart; it is read from a duplicate of the descriptor because a
    server socket the client has just reset is gone from /proc/net/tcp while its fd is still open.
    """
    leaked = set()
    for inode, fd in _sockets().items():
        if inode in before:
            continue
        try:
            with socket.socket(fileno=os.dup(fd)) as duplicate:
                address = duplicate.getsockname()
        except OSError:
            continue  # closed meanwhile, or not a socket any more
        if not (isinstance(address, tuple) and address[1] in server_ports):
            leaked.add(inode)
    return leaked


@dataclass
class _Outcome:
    results: dict[str, CheckResult]
    dialled: list[tuple[Any, ...]] = field(default_factory=list)

    def one(self) -> CheckResult:
        assert len(self.results) == 1
        return next(iter(self.results.values()))


def _run(servers: FaultServers, urls: list[str], settings: CheckerSettings = SETTINGS) -> _Outcome:
    """Check `urls` in a fresh loop on a worker thread; fail on a hang or on anything left open."""
    global _dialled
    threads_before = set(threading.enumerate())
    sockets_before = set(_sockets())
    box: dict[str, Any] = {}

    async def checked() -> dict[str, CheckResult]:
        results = await check_urls(urls, settings)
        box["tasks"] = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        return results

    def work() -> None:
        try:
            box["results"] = asyncio.run(checked())
        except BaseException as error:
            box["error"] = error

    worker = threading.Thread(target=work, name="fault-check")
    dialled: list[tuple[Any, ...]] = []
    _dialled = dialled
    try:
        worker.start()
        worker.join(HANG_FACTOR * settings.budget)
    finally:
        _dialled = None
    assert not worker.is_alive(), f"the check was still running after {HANG_FACTOR}x its {settings.budget} s budget"
    if "error" in box:
        raise box["error"]
    assert box["tasks"] == [], "asyncio tasks outlived the check"
    assert set(threading.enumerate()) - threads_before == set(), "threads outlived the check"
    assert _new_client_sockets(sockets_before, servers.ports) == set(), "client sockets outlived the check"
    return _Outcome(box["results"], dialled)


def _origin_only(outcome: _Outcome, port: int) -> bool:
    """The checker dialled the origin (so the hook saw it) and nothing else."""
    return bool(outcome.dialled) and all(address[:2] == ("127.0.0.1", port) for address in outcome.dialled)


# --- connection reset --------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "link_class", "status"), [("/page", "ok", 200), ("/gone", "dead", 404)])
def test_reset_mid_body_keeps_the_status(servers: FaultServers, path: str, link_class: str, status: int) -> None:
    # The status line is the answer; a body cut short by an RST does not change it.
    fault = servers.faults["reset"]
    result = _run(servers, [fault.url(path)]).one()
    assert (result.link_class, result.status) == (link_class, status)
    assert fault.requests == [f"HEAD {path} HTTP/1.1", f"GET {path} HTTP/1.1"]


def test_reset_before_the_headers_end_is_unreachable(servers: FaultServers) -> None:
    fault = servers.faults["reset"]
    result = _run(servers, [fault.url("/cut-head")]).one()
    assert (result.link_class, result.reason) == ("unreachable", "connection dropped (reset by the server)")


# --- silence and trickle -----------------------------------------------------------------------


def test_accept_and_never_answer_ends_at_the_request_timeout(servers: FaultServers) -> None:
    fault = servers.faults["silent"]
    result = _run(servers, [fault.url("/")]).one()
    assert (result.link_class, result.reason) == ("unreachable", "no complete response within 1.5 s")
    assert fault.connections == 1


def test_tls_port_that_never_says_hello_times_out(servers: FaultServers) -> None:
    result = _run(servers, [servers.faults["tls-silent"].url("/")]).one()
    assert result.link_class == "unreachable"
    assert result.status is None


def test_trickled_head_hits_the_whole_request_deadline(servers: FaultServers) -> None:
    # httpx's own read timeout would say "timed out (ReadTimeout)"; this reason is the deadline's.
    fault = servers.faults["trickle"]
    result = _run(servers, [fault.url("/head")]).one()
    assert (result.link_class, result.reason) == ("unreachable", "no complete response within 1.5 s")


def test_trickled_body_after_the_status_keeps_the_status(servers: FaultServers) -> None:
    fault = servers.faults["trickle"]
    result = _run(servers, [fault.url("/body")]).one()
    assert (result.link_class, result.status) == ("ok", 200)


# --- redirects ---------------------------------------------------------------------------------


def test_endless_redirect_chain_stops_at_max_redirects(servers: FaultServers) -> None:
    fault = servers.faults["redirects"]
    result = _run(servers, [fault.url("/hop/0")]).one()
    assert (result.link_class, result.reason) == ("unreachable", "more than 3 redirects")
    assert result.final_url == fault.url("/hop/4")
    assert fault.requests == [f"HEAD /hop/{hop} HTTP/1.1" for hop in range(4)]


def test_redirect_loop_is_recognised(servers: FaultServers) -> None:
    fault = servers.faults["redirects"]
    result = _run(servers, [fault.url("/ping")]).one()
    assert (result.link_class, result.reason) == ("unreachable", "redirect loop")
    assert len(fault.requests) == 2


def test_redirect_to_file_is_not_followed(servers: FaultServers) -> None:
    fault = servers.faults["redirects"]
    outcome = _run(servers, [fault.url("/to?url=file:///etc/passwd")])
    result = outcome.one()
    assert (result.link_class, result.reason) == ("blocked", "not checked: it redirects to a file: URL")
    assert result.final_url == "file:///etc/passwd"
    assert len(fault.requests) == 1
    assert _origin_only(outcome, fault.port)


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a non-public address"),
        ("http://10.0.0.1/admin", "10.0.0.1 is a non-public address"),
        ("http://[::ffff:169.254.169.254]/", "::ffff:169.254.169.254 is a non-public address"),
        ("http://[::1]:{port}/", "::1 is a non-public address"),
        ("http://0.0.0.0:{port}/", "0.0.0.0 is a non-public address"),
        # Resolved to 127.0.0.1 or ::1, whichever the resolver lists first.
        ("http://localhost:{port}/", "localhost resolves to the non-public address "),
        # 127.0.0.1 written as one decimal number: the resolver's answer is checked, not the spelling.
        ("http://2130706433:{port}/", "2130706433 resolves to the non-public address 127.0.0.1"),
    ],
)
def test_redirect_to_a_non_public_address_is_refused_without_connecting(
    servers: FaultServers, target: str, why: str
) -> None:
    # The origin 127.0.0.1 is declared public (allow-private lists it) so the redirect is the test.
    fault = servers.faults["redirects"]
    target = target.format(port=fault.port)
    outcome = _run(servers, [fault.url(f"/to?url={target}")])
    result = outcome.one()
    assert result.link_class == "blocked"
    assert result.reason.startswith(f"not checked: {why}")
    assert result.reason.endswith(" (set [rules.link-dead] allow-private to check it)")
    assert result.final_url == target
    assert _origin_only(outcome, fault.port)
    assert fault.connections == 1


def test_redirect_to_an_allowed_host_is_followed(servers: FaultServers) -> None:
    # The control for the refusals above: same chain, a target the settings allow.
    fault = servers.faults["redirects"]
    result = _run(servers, [fault.url(f"/to?url=http://127.0.0.1:{fault.port}/landing")]).one()
    assert (result.link_class, result.final_url) == ("ok", fault.url("/landing"))


# --- huge body, bad TLS ------------------------------------------------------------------------


def test_endless_body_is_not_downloaded(servers: FaultServers) -> None:
    fault = servers.faults["endless"]
    result = _run(servers, [fault.url("/big")]).one()
    assert (result.link_class, result.status) == ("ok", 200)
    # The server notices the closed connection shortly after; wait (bounded) for its count to settle.
    sent, end = fault.body_bytes, time.monotonic() + 3.0
    while time.monotonic() < end:
        time.sleep(0.1)
        if fault.body_bytes == sent:
            break
        sent = fault.body_bytes
    # What the socket buffers held, at most a few MB, of the 5 GiB the server announced.
    assert sent < 8 * 1024 * 1024 < ENDLESS_LENGTH


def test_endless_header_line_is_refused_early(servers: FaultServers) -> None:
    fault = servers.faults["endless"]
    result = _run(servers, [fault.url("/headers")]).one()
    assert (result.link_class, result.reason) == ("unreachable", "invalid response (the headers do not end)")
    # httpx's parser gives up on an unfinished header block after a few tens of KB.
    assert fault.body_bytes < 8 * 1024 * 1024


def test_self_signed_certificate_is_a_tls_error(servers: FaultServers) -> None:
    fault = servers.faults["bad-tls"]
    result = _run(servers, [fault.url("/")]).one()
    assert (result.link_class, result.reason) == ("unreachable", "TLS error: CERTIFICATE_VERIFY_FAILED")
    assert fault.requests == []


# --- the run's budget --------------------------------------------------------------------------


def test_links_left_when_the_budget_runs_out_are_not_checked(servers: FaultServers) -> None:
    # One request at a time to a silent server: the first uses its whole timeout, the second is
    # cut by the budget, the rest never start.
    fault = servers.faults["silent"]
    settings = CheckerSettings(
        timeout=1.0,
        budget=1.5,
        retries=0,
        allow_private=["127.0.0.1"],
        hosts={"127.0.0.1": HostSettings(concurrency=1)},
    )
    urls = [fault.url(f"/{i}") for i in range(5)]
    results = _run(servers, urls, settings).results
    reasons = [results[url].reason for url in urls]
    assert {results[url].link_class for url in urls} == {"unreachable"}
    assert reasons[0] == "no complete response within 1 s"
    assert reasons[1] in ("no complete response before the time budget ran out", "not checked: the time budget ran out")
    assert reasons[2:] == ["not checked: the time budget ran out"] * 3


def _every_fault(servers: FaultServers) -> dict[str, tuple[str, str]]:
    """URL -> (class, reason) for one link per fault."""
    faults = servers.faults
    redirects = faults["redirects"]
    return {
        faults["reset"].url("/gone"): ("dead", "HTTP 404"),
        faults["reset"].url("/cut-head"): ("unreachable", "connection dropped (reset by the server)"),
        faults["silent"].url("/"): ("unreachable", "no complete response within 1.5 s"),
        faults["trickle"].url("/head"): ("unreachable", "no complete response within 1.5 s"),
        redirects.url("/hop/0"): ("unreachable", "more than 3 redirects"),
        redirects.url("/ping"): ("unreachable", "redirect loop"),
        redirects.url("/to?url=file:///etc/passwd"): ("blocked", "not checked: it redirects to a file: URL"),
        redirects.url("/to?url=http://169.254.169.254/latest/meta-data/"): (
            "blocked",
            "not checked: 169.254.169.254 is a non-public address (set [rules.link-dead] allow-private to check it)",
        ),
        faults["endless"].url("/big"): ("ok", "HTTP 200"),
        faults["bad-tls"].url("/"): ("unreachable", "TLS error: CERTIFICATE_VERIFY_FAILED"),
    }


def test_every_fault_in_one_run(servers: FaultServers) -> None:
    expected = _every_fault(servers)
    outcome = _run(servers, list(expected))
    assert {url: (r.link_class, r.reason) for url, r in outcome.results.items()} == expected


# --- end to end --------------------------------------------------------------------------------


def test_cli_reports_every_fault(servers: FaultServers, tmp_path: Path) -> None:
    expected = _every_fault(servers)
    lines = [f"- <{url}>" for url in expected]
    (tmp_path / "notes.md").write_text("# Faults\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    options = {"allow-private": '["127.0.0.1"]', "timeout": 1.5, "budget": 5.0, "retries": 0, "max-redirects": 3}
    config = "[rules.link-dead]\n" + "".join(f"{key} = {value}\n" for key, value in options.items())
    (tmp_path / ".mdlint.toml").write_text(config, encoding="utf-8")
    command = [sys.executable, "-m", "mdlint", "--format", "json", "--select", "link-dead"]
    command += ["--cache-dir", str(tmp_path / "cache"), "notes.md"]
    # Interpreter start-up on a busy machine is not the checker's time: a few seconds on top.
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=HANG_FACTOR * 5.0 + 10)
    assert done.returncode == 1, done.stderr  # the 404 is an error; every other class a warning
    findings = [
        (f["line"], f["column"], f["end_column"], f["severity"], f["class"], f["message"])
        for f in json.loads(done.stdout)["findings"]
    ]
    redirects = servers.faults["redirects"]
    after = " (after redirects, at {})".format
    messages = [
        "dead link: HTTP 404",
        "link unreachable: connection dropped (reset by the server)",
        "link unreachable: no complete response within 1.5 s",
        "link unreachable: no complete response within 1.5 s",
        "link unreachable: more than 3 redirects" + after(redirects.url("/hop/4")),
        "link unreachable: redirect loop" + after(redirects.url("/ping")),
        "link not checked: it redirects to a file: URL" + after("file:///etc/passwd"),
        "link not checked: 169.254.169.254 is a non-public address (set [rules.link-dead] allow-private to check it)"
        + after("http://169.254.169.254/latest/meta-data/"),
        "link unreachable: TLS error: CERTIFICATE_VERIFY_FAILED",
    ]
    # Line 3 onwards, one link a line, each starting in column 4 after "- <"; the endless body is fine.
    flagged = [(line, url, link_class) for line, (url, (link_class, _)) in enumerate(expected.items(), 3)]
    flagged = [entry for entry in flagged if entry[2] != "ok"]
    # Each message names its URL (normalised) after the label: "dead link URL: HTTP 404".
    wanted = [
        (
            line,
            4,
            4 + len(url),
            "error" if link_class == "dead" else "warning",
            link_class,
            message.replace(": ", f" {normalise_url(url)}: ", 1),
        )
        for (line, url, link_class), message in zip(flagged, messages, strict=True)
    ]
    assert findings == wanted
