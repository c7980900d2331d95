"""Misbehaving servers on 127.0.0.1 for the network-fault tests: one listener per fault.

All listeners share one asyncio loop in one daemon thread, so a fault costs a task, not a thread,
and stopping the loop ends every connection: nothing outlives the fixture. Each fault counts the
connections it accepted, the request lines it read and the body bytes it sent, so a test can prove
that the checker hung up early, or never connected at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import struct
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

__all__ = ["Fault", "FaultServers", "running_fault_servers"]

# How often a trickling server sends its next byte.
TRICKLE_INTERVAL = 1.0
# What an endless body claims to be: 5 GiB.
ENDLESS_LENGTH = 5 * 1024**3


@dataclass
class Fault:
    """One listener: its address and what it saw."""

    name: str
    scheme: str = "http"
    port: int = 0
    connections: int = 0
    requests: list[str] = field(default_factory=list)
    body_bytes: int = 0

    def url(self, path: str = "/") -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    def reset(self) -> None:
        self.connections = 0
        self.requests.clear()
        self.body_bytes = 0


Behaviour = Callable[[Fault, asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _request(fault: Fault, reader: asyncio.StreamReader) -> tuple[str, str] | None:
    """The next request's method and target; None when the client hung up."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        return None
    line = head.split(b"\r\n", 1)[0].decode("latin-1")
    fault.requests.append(line)
    method, target, _version = line.split(" ", 2)
    return method, target


async def _answer(writer: asyncio.StreamWriter, status: int, headers: dict[str, str] | None = None) -> None:
    lines = [f"HTTP/1.1 {status} X", "Content-Length: 0", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    await writer.drain()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST (SO_LINGER 0) instead of a FIN."""
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _client_gone(reader: asyncio.StreamReader, wait: float) -> bool:
    """Wait up to `wait` seconds; True as soon as the client has closed its end."""
    try:
        return await asyncio.wait_for(reader.read(1), wait) == b""
    except TimeoutError:
        return False
    except ConnectionError:
        return True


async def reset_mid_body(fault: Fault, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """HEAD: 405 (so the checker must GET). GET: status, 1 KB of a 1 MB body, then RST.

    `/gone…` answers 404, `/cut-head…` resets halfway through the status line's headers.
    """
    while (request := await _request(fault, reader)) is not None:
        method, target = request
        if method == "HEAD":
            await _answer(writer, 405)
            continue
        if target.startswith("/cut-head"):
            writer.write(b"HTTP/1.1 200 OK\r\nContent-")
        else:
            status = 404 if target.startswith("/gone") else 200
            writer.write(f"HTTP/1.1 {status} X\r\nContent-Length: 1000000\r\n\r\n".encode() + b"x" * 1024)
        await writer.drain()
        # Let the bytes reach the client before the reset; a reset does not discard data already read.
        await asyncio.sleep(0.05)
        _reset(writer)
        return


async def silent(fault: Fault, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Accept, swallow whatever arrives, never send a byte; leave only when the client does."""
    while await reader.read(65536):
        pass


async def trickle(fault: Fault, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """One byte a second: of the status line and headers (`/head…`), or of the body after a fast
    head (`/body…`, with HEAD refused so the checker must GET)."""
    while (request := await _request(fault, reader)) is not None:
        method, target = request
        if target.startswith("/body") and method == "HEAD":
            await _answer(writer, 405)
            continue
        if target.startswith("/body"):
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
            slow = b"x" * 100000
        else:
            slow = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        for byte in slow:
            writer.write(bytes([byte]))
            await writer.drain()
            if await _client_gone(reader, TRICKLE_INTERVAL):
                return


async def redirects(fault: Fault, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """`/hop/N` -> `/hop/N+1` forever; `/ping` <-> `/pong`; `/to?url=U` -> U; anything else 200."""
    while (request := await _request(fault, reader)) is not None:
        parts = urlsplit(request[1])
        if parts.path.startswith("/hop/"):
            await _answer(writer, 302, {"Location": f"/hop/{int(parts.path[5:]) + 1}"})
        elif parts.path in ("/ping", "/pong"):
            await _answer(writer, 302, {"Location": "/pong" if parts.path == "/ping" else "/ping"})
        elif parts.path == "/to":
            await _answer(writer, 302, {"Location": parse_qs(parts.query)["url"][0]})
        else:
            await _answer(writer, 200)


async def endless(fault: Fault, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """HEAD: 405. GET: a 5 GiB Content-Length and body bytes as fast as the client takes them;
    or, for `/headers…`, one header line that never ends."""
    # A small send buffer keeps "bytes sent" close to "bytes the client accepted".
    writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
    while (request := await _request(fault, reader)) is not None:
        method, target = request
        if target.startswith("/headers"):
            writer.write(b"HTTP/1.1 200 OK\r\nX-Endless: ")
            chunk = b"y" * 16384
        elif method == "HEAD":
            await _answer(writer, 405)
            continue
        else:
            writer.write(f"HTTP/1.1 200 OK\r\nContent-Length: {ENDLESS_LENGTH}\r\n\r\n".encode())
            chunk = b"x" * 16384
        while True:
            writer.write(chunk)
            await writer.drain()
            fault.body_bytes += len(chunk)


async def fine(fault: Fault, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """200 to everything (behind TLS, the certificate is the fault)."""
    while await _request(fault, reader) is not None:
        await _answer(writer, 200)


class FaultServers:
    """The listeners and their loop; `add` one per fault, `stop` ends them all."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="fault-servers")
        self._servers: list[asyncio.Server] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self.faults: dict[str, Fault] = {}
        self._thread.start()

    def add(self, name: str, behaviour: Behaviour, tls: ssl.SSLContext | None = None) -> Fault:
        fault = Fault(name, scheme="https" if tls else "http")

        async def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            fault.connections += 1
            task = asyncio.current_task()
            assert task is not None
            self._tasks.add(task)
            try:
                await behaviour(fault, reader, writer)
            except (ConnectionError, OSError, ssl.SSLError, asyncio.CancelledError):
                # Cancelled only by `stop`; swallowing it spares asyncio's "exception never retrieved" noise.
                pass
            finally:
                self._tasks.discard(task)
                with contextlib.suppress(Exception):
                    writer.transport.abort()

        async def listen() -> None:
            if tls is None:
                server = await asyncio.start_server(connected, "127.0.0.1", 0)
            else:
                server = await asyncio.start_server(connected, "127.0.0.1", 0, ssl=tls, ssl_handshake_timeout=5.0)
            self._servers.append(server)
            fault.port = server.sockets[0].getsockname()[1]

        asyncio.run_coroutine_threadsafe(listen(), self._loop).result(5)
        self.faults[name] = fault
        return fault

    @property
    def ports(self) -> set[int]:
        return {fault.port for fault in self.faults.values()}

    def reset(self) -> None:
        for fault in self.faults.values():
            fault.reset()

    def stop(self) -> None:
        async def shutdown() -> None:
            for server in self._servers:
                server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()


@contextlib.contextmanager
def running_fault_servers(tls: ssl.SSLContext) -> Iterator[FaultServers]:
    """Every fault listening: `reset`, `silent`, `trickle`, `redirects`, `endless`, `bad-tls`, `tls-silent`."""
    servers = FaultServers()
    try:
        servers.add("reset", reset_mid_body)
        servers.add("silent", silent)
        servers.add("trickle", trickle)
        servers.add("redirects", redirects)
        servers.add("endless", endless)
        servers.add("bad-tls", fine, tls)
        # A TLS port that accepts and never says hello: the handshake itself must time out.
        servers.add("tls-silent", silent)
        servers.faults["tls-silent"].scheme = "https"
        yield servers
    finally:
        servers.stop()
