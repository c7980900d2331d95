"""What the checker puts on the wire, header by header: requests go to the connection pools
without httpx's client, and still carry what its client sent (its default headers, credentials
of the link as Basic authentication, configured headers for their origin only, no cookies)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest

from mdlint.links.remote import DEFAULT_USER_AGENT, CheckerSettings, HostSettings, check_urls_sync


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: ClassVar[list[tuple[str, str, list[tuple[str, str]]]]] = []

    def _answer(self) -> None:
        self.seen.append((self.command, self.path, list(self.headers.items())))
        # HEAD is refused so that the checker must GET; the GET sets a cookie no request carries back.
        self.send_response(405 if self.command == "HEAD" else 200)
        self.send_header("Content-Length", "0")
        if self.command == "GET":
            self.send_header("Set-Cookie", "session=1; Path=/")
        self.end_headers()

    do_HEAD = do_GET = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[tuple[str, str, list[tuple[str, str]]]]]]:
    seen: list[tuple[str, str, list[tuple[str, str]]]] = []
    handler = type("_Handler", (_Recorder,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_headers_are_httpx_client_defaults_merged_with_the_checkers(
    recorder: tuple[str, list[tuple[str, str, list[tuple[str, str]]]]],
) -> None:
    host, seen = recorder
    defaults = httpx.Client(trust_env=False).headers
    settings = CheckerSettings(
        timeout=5.0,
        budget=20.0,
        retries=0,
        allow_private=True,
        hosts={f"http://{host}": HostSettings(headers={"X-Token": "t"}, concurrency=1)},
    )
    results = check_urls_sync([f"http://user:p%40ss@{host}/first", f"http://{host}/second"], settings)
    assert {url: result.reason for url, result in results.items()} == {
        f"http://{host}/first": "HTTP 200",
        f"http://{host}/second": "HTTP 200",
    }
    # httpx's client merged its defaults with the request's headers: a replaced header moves to the end.
    head = [
        ("Host", host),
        ("Accept-Encoding", defaults["Accept-Encoding"]),
        ("Connection", "keep-alive"),
        ("User-Agent", DEFAULT_USER_AGENT),
        ("Accept", "text/html,*/*;q=0.8"),
        ("X-Token", "t"),
    ]
    get = [
        ("Host", host),
        ("Connection", "keep-alive"),
        ("User-Agent", DEFAULT_USER_AGENT),
        ("Accept", "text/html,*/*;q=0.8"),
        ("X-Token", "t"),
        ("Accept-Encoding", "identity"),
    ]
    basic = ("Authorization", "Basic dXNlcjpwQHNz")  # user:p@ss
    assert sorted(seen) == sorted(
        [
            ("HEAD", "/first", [*head, basic]),
            ("GET", "/first", [*get, basic]),
            ("HEAD", "/second", head),
            ("GET", "/second", get),
        ]
    )


def test_configured_headers_stay_with_their_origin(
    recorder: tuple[str, list[tuple[str, str, list[tuple[str, str]]]]],
) -> None:
    host, seen = recorder
    other_port = "https://" + host  # the same host and port under another scheme: another origin
    settings = CheckerSettings(
        timeout=5.0,
        budget=20.0,
        retries=0,
        allow_private=True,
        hosts={other_port: HostSettings(headers={"X-Token": "t"})},
    )
    check_urls_sync([f"http://{host}/plain"], settings)
    assert [method for method, _path, _headers in seen] == ["HEAD", "GET"]
    assert all("X-Token" not in dict(headers) for _method, _path, headers in seen)
