"""A real HTTP server on 127.0.0.1 for link-checker tests, with routes for each network fault.

The server runs its own asyncio loop in a daemon thread; it logs every request (arrival time,
method, path) and the body bytes each route sent, so tests can count requests and prove a huge
body was not downloaded.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import socket
import ssl
import struct
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
import trustme

_REASONS = {200: "OK", 301: "Moved", 302: "Found", 404: "Not Found", 405: "Not Allowed", 410: "Gone", 429: "Slow Down"}


@dataclass
class Hit:
    time: float
    method: str
    path: str


@dataclass
class LoopbackServer:
    """Handle on the running server: its base URL, request log and byte counters."""

    port: int
    scheme: str = "http"
    hits: list[Hit] = field(default_factory=list)
    body_bytes: dict[str, int] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, prefix: str = "/") -> int:
        with self.lock:
            return sum(1 for hit in self.hits if hit.path.startswith(prefix))

    def reset(self) -> None:
        with self.lock:
            self.hits.clear()
            self.body_bytes.clear()
            self.seen.clear()


def _abort(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset (SO_LINGER 0) rather than a clean FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _handle(server: LoopbackServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        # A small send buffer keeps "bytes sent" close to "bytes the client accepted".
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            method, target, _ = head.decode("latin-1").split("\r\n", 1)[0].split(" ", 2)
            parts = urlsplit(target)
            with server.lock:
                server.hits.append(Hit(time.monotonic(), method, parts.path))
            keep = await _route(server, method, parts.path, parse_qs(parts.query), reader, writer)
            if not keep:
                return
    except (asyncio.IncompleteReadError, ConnectionError, ValueError, asyncio.LimitOverrunError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def _send(
    writer: asyncio.StreamWriter, method: str, status: int, headers: dict[str, str] | None = None, body: bytes = b""
) -> bool:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'X')}", f"Content-Length: {len(body)}"]
    lines += [f"{key}: {value}" for key, value in (headers or {}).items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (b"" if method == "HEAD" else body))
    await writer.drain()
    return True


async def _route(
    server: LoopbackServer,
    method: str,
    path: str,
    query: dict[str, list[str]],
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
) -> bool:
    kind = path.strip("/").split("/")[0]
    rest = path.strip("/").split("/")[1:]
    if kind == "ok":
        delay = float(query.get("delay", ["0"])[0])
        if delay:
            await asyncio.sleep(delay)
        return await _send(writer, method, 200, {"Content-Type": "text/html"}, b"<p>ok</p>")
    if kind == "dead":
        return await _send(writer, method, 404, body=b"not found")
    if kind == "gone":
        return await _send(writer, method, 410)
    if kind == "forbidden":
        return await _send(writer, method, 403, body=b"no")
    if kind == "botwall":
        return await _send(writer, method, 403, body=b"<title>Just a moment...</title>")
    if kind == "linkedin":
        return await _send(writer, method, 999)
    if kind == "chain":
        hops = int(rest[0])
        location = f"/chain/{hops - 1}" if hops > 1 else "/ok/end-of-chain"
        return await _send(writer, method, 301, {"Location": location})
    if kind == "loop":
        return await _send(writer, method, 302, {"Location": "/loop/b" if rest[0] == "a" else "/loop/a"})
    if kind == "headrefused":
        return await _send(writer, method, 405 if method == "HEAD" else 200, body=b"get works")
    if kind == "ratelimit":
        with server.lock:
            server.seen[path] = server.seen.get(path, 0) + 1
            first = server.seen[path] == 1
        if first:
            after = query.get("after", ["1"])[0]
            if after.startswith("date:"):
                after = email.utils.formatdate(time.time() + float(after[5:]), usegmt=True)
            return await _send(writer, method, 429, {"Retry-After": after})
        return await _send(writer, method, 200)
    if kind == "slow":
        # Answer after 30 s, unless the client hangs up first.
        with contextlib.suppress(TimeoutError):
            if await asyncio.wait_for(reader.read(1), 30) == b"":
                return False
        return await _send(writer, method, 200)
    if kind == "never":
        # Accept, read the request, never answer; leave when the client gives up.
        await reader.read()
        return False
    if kind == "trickle":
        for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
            writer.write(bytes([byte]))
            await writer.drain()
            with contextlib.suppress(TimeoutError):
                if await asyncio.wait_for(reader.read(1), 1.0) == b"":
                    return False
        return True
    if kind == "reset-before":
        _abort(writer)
        return False
    if kind == "reset-mid-body":
        if method == "HEAD":
            return await _send(writer, method, 405)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 100)
        await writer.drain()
        await asyncio.sleep(0.05)
        _abort(writer)
        return False
    if kind == "endless":
        if method == "HEAD":
            return await _send(writer, method, 405)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5000000000\r\nContent-Type: text/html\r\n\r\n")
        chunk = b"x" * 16384
        try:
            while True:
                writer.write(chunk)
                await writer.drain()
                with server.lock:
                    server.body_bytes[path] = server.body_bytes.get(path, 0) + len(chunk)
        except (ConnectionError, OSError):
            return False
    if kind == "to-file":
        return await _send(writer, method, 302, {"Location": "file:///etc/passwd"})
    if kind == "to-localhost":
        return await _send(writer, method, 302, {"Location": f"http://localhost:{server.port}/ok/private-target"})
    return await _send(writer, method, 404, body=b"no route")


def _start(server: LoopbackServer, ssl_context: ssl.SSLContext | None) -> Callable[[], None]:
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict[str, asyncio.Server] = {}

    async def start() -> None:
        def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> Awaitable[None]:
            return _handle(server, reader, writer)

        holder["server"] = await asyncio.start_server(handler, "127.0.0.1", 0, ssl=ssl_context)
        server.port = holder["server"].sockets[0].getsockname()[1]
        ready.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True, name="test-http-server")
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop)
    ready.wait(5)

    def stop() -> None:
        async def shutdown() -> None:
            holder["server"].close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)

    return stop


@pytest.fixture(scope="module")
def http_server() -> Iterator[LoopbackServer]:
    """A plain HTTP server on 127.0.0.1 (module-wide; counters reset per test)."""
    server = LoopbackServer(0)
    stop = _start(server, None)
    yield server
    stop()


@pytest.fixture
def server(http_server: LoopbackServer) -> LoopbackServer:
    http_server.reset()
    return http_server


@pytest.fixture(scope="module")
def https_server() -> Iterator[LoopbackServer]:
    """An HTTPS server whose certificate comes from a throwaway CA nobody trusts (trustme)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(context)
    server = LoopbackServer(0, scheme="https")
    stop = _start(server, context)
    yield server
    stop()
