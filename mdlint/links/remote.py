"""The remote link checker: every URL once, politely, within a time budget, classified.

Each host gets an adaptive concurrency limit (it grows on success and halves on 429/503) and a
"not before" time from `Retry-After` that only ever moves later. Requests go HEAD first, then a
streamed GET that reads a few KB at most when HEAD fails or is refused. Redirects are followed by
hand so every hop passes the same safety checks: http/https only, no credentials or configured
headers carried to another origin (scheme, host and port), and no connection to loopback, private,
link-local or metadata addresses unless allowed, also when an IPv6 address embeds such an IPv4
one. The address check runs at connect time, on the addresses actually dialled, so DNS rebinding
cannot slip past it; name lookups run in threads of their own under the request's deadline, so a
lookup that never returns cannot hold the run past its budget.

Each host has a few small connection pools sharing one SSL context: httpcore's pool bookkeeping
grows with the pool size, and measured on 2,000 loopback links small pools cost far less CPU per
request than one large pool (see bench/links_bench.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import ipaddress
import random
import select
import socket
import ssl
import threading
from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NoReturn
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpcore
import httpx

from mdlint.links.results import (
    DEFAULT_USER_AGENT,
    NOT_CHECKED,
    CheckerSettings,
    CheckResult,
    HostSettings,
    LinkClass,
)
from mdlint.links.urls import configured_origin, normalise_url, strip_userinfo, url_origin

__all__ = [
    "DEFAULT_USER_AGENT",
    "CheckResult",
    "CheckerSettings",
    "HostSettings",
    "LinkClass",
    "Resolver",
    "check_urls",
    "check_urls_sync",
    "system_resolver",
]

# Connections per pool: small pools keep httpcore's per-request bookkeeping cheap. Measured
# (bench/links_bench.py --pools, 2,140 loopback requests): 4-connection pools 0.94 ms CPU per
# request against 3.94 ms for one 128-connection pool at the same concurrency.
_POOL_SIZE = 4
# Bytes of a GET body read at most (enough to recognise a bot-wall page).
_READ_LIMIT = 8192
_BOT_WALL_MARKERS = (
    b"cf-chl",
    b"just a moment...",
    b"attention required! | cloudflare",
    b"captcha",
    b"px-captcha",
    b"ddos-guard",
    b"are you a robot",
    b"unusual traffic",
)


# Where the user allows it: the config table and key, as written in .mdlint.toml.
_ALLOW_PRIVATE = "set [rules.link-dead] allow-private to check it"


class _AddressRefused(Exception):
    """The host resolves to an address the checker must not connect to."""


class _DnsFailed(Exception):
    """The host name does not resolve."""


class _RateLimited(Exception):
    """The host asked us to wait longer than the run's budget allows."""


class _BudgetSpent(Exception):
    """The run's time budget is used up."""


class _Transient(Exception):
    """A failure worth retrying (timeout, reset, dropped connection)."""


@dataclass(frozen=True, slots=True)
class _Response:
    status: int
    location: str | None
    retry_after: float | None
    bot_wall: bool


# IPv6 prefixes whose last 32 bits are an IPv4 address a gateway or the host itself dials:
# NAT64 (RFC 6052) and the deprecated IPv4-compatible form (`::a.b.c.d`).
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
# Local-use NAT64 (RFC 8215): translated by a site's own gateway, so never a public address.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo, NAT64, IPv4-compatible)."""
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def _non_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    # `is_global` is False for loopback, private, link-local (cloud metadata at 169.254.169.254),
    # shared (100.64/10), reserved and unspecified addresses.
    return not ip.is_global or ip.is_multicast


class _AddressPolicy:
    def __init__(self, allow: bool | Collection[str]) -> None:
        self._allow_all = allow is True
        self._allowed_hosts = frozenset() if isinstance(allow, bool) else frozenset(h.lower() for h in allow)

    def check(self, host: str, address: str) -> None:
        """Refuse `address` (one that `host` resolved to) unless it is public or allowed.

        An IPv6 address is judged by the IPv4 address it embeds too: `[::ffff:127.0.0.1]`,
        `[64:ff9b::a9fe:a9fe]` (NAT64), `[2002:7f00:1::]` (6to4) and `[::127.0.0.1]` all reach an
        IPv4 host that a plain IPv4 link could not.
        """
        if self._allow_all or host.lower().strip("[]") in self._allowed_hosts:
            return
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        refused: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ip if _non_public(ip) else None
        if isinstance(ip, ipaddress.IPv6Address):
            if refused is None and ip in _LOCAL_NAT64:
                refused = ip
            for embedded in _embedded_ipv4(ip):
                if refused is None and _non_public(embedded):
                    refused = embedded
        if refused is None:
            return
        literal = _literal_address(host)
        embeds = f" (it embeds {refused})" if refused != ip else ""
        if literal is not None and literal == ip:
            raise _AddressRefused(f"{host} is a non-public address{embeds} ({_ALLOW_PRIVATE})")
        raise _AddressRefused(f"{host} resolves to the non-public address {ip}{embeds} ({_ALLOW_PRIVATE})")


def _literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


Resolver = Callable[[str, int], Sequence[str]]
"""A blocking name lookup: (host, port) to the addresses to dial; raises `socket.gaierror` when none."""


def system_resolver(host: str, port: int) -> list[str]:
    """The operating system's lookup (`getaddrinfo`), addresses in its order without repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves names itself and dials only addresses the policy accepts.

    Each lookup runs in a daemon thread of its own rather than the loop's executor: a lookup that
    never returns is abandoned at the request's deadline, and nothing waits for its thread when
    the loop closes (`asyncio.run` joins the default executor's threads, which held a run with a
    5 s budget alive for the resolver's 30 s). Concurrent lookups of one name share one thread.
    """

    def __init__(self, policy: _AddressPolicy, resolve: Resolver) -> None:
        self._policy = policy
        self._resolve = resolve
        self._lookups: dict[tuple[str, int], asyncio.Future[Sequence[str]]] = {}
        self._threads: list[tuple[threading.Thread, asyncio.Future[Sequence[str]]]] = []

    def _lookup(self, host: str, port: int) -> asyncio.Future[Sequence[str]]:
        key = (host, port)
        pending = self._lookups.get(key)
        if pending is not None:
            return pending
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Sequence[str]] = loop.create_future()
        self._lookups[key] = future
        future.add_done_callback(lambda done: self._lookup_done(key, done))

        def settle(addresses: Sequence[str] | None, error: BaseException | None) -> None:
            if future.done():
                return
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(addresses or ())

        def work() -> None:
            try:
                addresses, error = self._resolve(host, port), None
            except BaseException as raised:
                addresses, error = None, raised
            # The loop may be closed by now: the run ended without this answer.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(settle, addresses, error)

        thread = threading.Thread(target=work, name="mdlint-name-lookup", daemon=True)
        thread.start()
        self._threads.append((thread, future))
        return future

    def _lookup_done(self, key: tuple[str, int], future: asyncio.Future[Sequence[str]]) -> None:
        self._lookups.pop(key, None)
        # Retrieved here: a failed lookup whose requests all gave up must not be logged as unretrieved.
        if not future.cancelled():
            future.exception()

    def forget_lookups(self) -> None:
        """Join the lookup threads that have answered (they are ending); leave blocked ones behind."""
        for thread, future in self._threads:
            if future.done():
                thread.join(1.0)
            else:
                future.cancel()
        self._threads.clear()

    async def _addresses(self, host: str, port: int, timeout: float | None) -> list[str]:
        if _literal_address(host) is not None:
            return [host.strip("[]")]
        try:
            async with asyncio.timeout(timeout):
                # Shielded: one request giving up must not cancel the lookup others share.
                found = await asyncio.shield(self._lookup(host, port))
        except socket.gaierror as error:
            raise _DnsFailed(f"DNS lookup failed for {host}: {error.strerror}") from None
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"DNS lookup timed out for {host}") from None
        except OSError as error:
            raise _DnsFailed(f"DNS lookup failed for {host}: {error.strerror or error}") from None
        return list(dict.fromkeys(found))

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._addresses(host, port, timeout)
        for address in addresses:
            self._policy.check(host, address)
        last_error: Exception = _DnsFailed(f"no address for {host}")
        for address in addresses:
            try:
                stream = await _connect_tcp(address, port, timeout, local_address, socket_options)
                return _HandshakeClosingStream(stream)
            except httpcore.ConnectError as error:
                last_error = error
        raise last_error

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def _socket_readable(sock: Any) -> bool:
    """Whether `sock` has data (or its end) waiting, or is gone."""
    fd = -1 if sock is None else sock.fileno()
    if fd < 0:
        # Gone: the next read would return the end of the stream.
        return True
    if not hasattr(select, "poll"):
        return bool(select.select([fd], [], [], 0)[0])
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    return bool(poll.poll(0))


# Bytes a connection holds unread before it stops reading from its socket (a body is read to
# _READ_LIMIT at most, then the connection is dropped).
_RECEIVE_BUFFER = 65536


class _Receiver(asyncio.Protocol):
    """What a connection received and nobody has read yet, whether it ended, and why."""

    def __init__(self) -> None:
        self.transport: asyncio.BaseTransport | None = None
        self.chunks: deque[bytes] = deque()
        self.buffered = 0
        self.ended = False
        self.error: BaseException | None = None
        self.reader: asyncio.Future[None] | None = None
        self.writer: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)
        self.buffered += len(data)
        if self.buffered > _RECEIVE_BUFFER and isinstance(self.transport, asyncio.ReadTransport):
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> None:
        self.ended = True
        self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        self.ended = True
        if exc is not None:
            self.error = exc
        self._wake()
        if self.writer is not None and not self.writer.done():
            self.writer.set_result(None)

    def pause_writing(self) -> None:
        if self.writer is None or self.writer.done():
            self.writer = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self.writer is not None and not self.writer.done():
            self.writer.set_result(None)

    def _wake(self) -> None:
        if self.reader is not None and not self.reader.done():
            self.reader.set_result(None)


def _raise_from(error_class: type[Exception], cause: BaseException) -> NoReturn:
    """Raise `error_class` for a failure the connection stored, as handled (its `__context__`).

    httpcore re-raises with `from None`, which drops a `__cause__`; a context stays, and the
    reasons look for a reset there.
    """
    try:
        raise cause
    except BaseException as caught:
        raise error_class("") from caught


class _AsyncioStream(httpcore.AsyncNetworkStream):
    """A TCP (or TLS) connection on asyncio's own transports.

    AnyIO's streams, which httpcore uses by default, open a cancel scope for each read and write
    and pause and resume the socket around each read: measured on loopback links, a fifth of
    the checker's CPU. Failures are raised as AnyIO's were, with the same messages and causes.
    The connection reads as data comes, so a keep-alive connection the server closed is known
    as such before a request is put on it.
    """

    def __init__(self, transport: asyncio.Transport, receiver: _Receiver, tls: bool = False) -> None:
        self._transport = transport
        self._receiver = receiver
        self._tls = tls
        self._socket: Any = transport.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        receiver = self._receiver
        if not receiver.chunks and not receiver.ended:
            receiver.reader = asyncio.get_running_loop().create_future()
            try:
                async with asyncio.timeout(timeout):
                    await receiver.reader
            except TimeoutError as error:
                raise httpcore.ReadTimeout(str(error)) from error
            finally:
                receiver.reader = None
        if receiver.chunks:
            chunk = receiver.chunks.popleft()
            if len(chunk) > max_bytes:
                receiver.chunks.appendleft(chunk[max_bytes:])
                chunk = chunk[:max_bytes]
            before = receiver.buffered
            receiver.buffered -= len(chunk)
            if before > _RECEIVE_BUFFER >= receiver.buffered and not self._transport.is_closing():
                self._transport.resume_reading()
            return chunk
        if receiver.error is not None:
            _raise_from(httpcore.ReadError, receiver.error)
        return b""

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        receiver = self._receiver
        if receiver.error is not None:
            _raise_from(httpcore.WriteError, receiver.error)
        self._transport.write(buffer)
        if receiver.writer is not None and not receiver.writer.done():
            try:
                async with asyncio.timeout(timeout):
                    await receiver.writer
            except TimeoutError as error:
                raise httpcore.WriteTimeout(str(error)) from error
            if receiver.error is not None:
                _raise_from(httpcore.WriteError, receiver.error)

    async def aclose(self) -> None:
        transport = self._transport
        if transport.is_closing():
            return
        if self._tls:
            # Dropped without a TLS close_notify, as before: a check does not wait on the server.
            transport.abort()
            return
        with contextlib.suppress(OSError):
            transport.write_eof()
        transport.close()
        await asyncio.sleep(0)
        transport.abort()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(
                    self._transport, self._receiver, ssl_context, server_hostname=server_hostname
                )
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(str(error)) from error
        except ConnectionResetError as error:
            # The server hung up during the handshake (AnyIO's end of stream): no words for it.
            raise httpcore.ConnectError("") from error
        except OSError as error:
            raise httpcore.ConnectError(str(error)) from error
        if transport is None:
            raise httpcore.ConnectError("")
        self._receiver.transport = transport
        return _AsyncioStream(transport, self._receiver, tls=True)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            receiver = self._receiver
            return bool(receiver.chunks) or receiver.ended or _socket_readable(self._socket)
        if info == "socket":
            return self._socket
        if info == "ssl_object":
            return self._transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._transport.get_extra_info("sockname")
        if info == "server_addr":
            return self._transport.get_extra_info("peername")
        return None


async def _connect_tcp(
    host: str, port: int, timeout: float | None, local_address: str | None, socket_options: Iterable[Any] | None
) -> _AsyncioStream:
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            transport, receiver = await loop.create_connection(
                _Receiver, host, port, local_addr=None if local_address is None else (local_address, 0)
            )
    except TimeoutError as error:
        raise httpcore.ConnectTimeout(str(error)) from error
    except OSError as error:
        # AnyIO's words, which reasons have shown so far.
        raise httpcore.ConnectError("All connection attempts failed") from error
    for option in socket_options or ():
        transport.get_extra_info("socket").setsockopt(*option)
    return _AsyncioStream(transport, receiver)


class _HandshakeClosingStream(httpcore.AsyncNetworkStream):
    """A TCP stream that is closed when its TLS handshake is cancelled.

    A server that accepts and never says hello meets the whole-request deadline, which cancels
    the handshake: without this, each such server could keep a socket open until garbage collection.
    """

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        try:
            return await self._inner.start_tls(ssl_context, server_hostname, timeout)
        except BaseException:
            await self._inner.aclose()
            raise

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedTransport(httpx.AsyncHTTPTransport):
    def __init__(self, ssl_context: ssl.SSLContext, backend: _GuardedBackend) -> None:
        super().__init__(verify=ssl_context, trust_env=False)
        # httpx does not expose httpcore's network backend; the pool is replaced with one that
        # dials through the address guard.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=_POOL_SIZE,
            max_keepalive_connections=_POOL_SIZE,
            keepalive_expiry=5.0,
            network_backend=backend,
        )


class _Host:
    """Concurrency and timing state of one host.

    Waiters queue in FIFO order and a freed slot is handed to exactly one of them: waking every
    waiter on each release costs quadratic CPU with thousands of links on one host.
    """

    def __init__(self, start: int, ceiling: int, deadline: float) -> None:
        self.limit = float(min(start, ceiling))
        self.ceiling = ceiling
        self.deadline = deadline
        self.in_flight = 0
        self.not_before = 0.0
        self.waiters: deque[asyncio.Future[None]] = deque()
        self.timer: asyncio.TimerHandle | None = None
        # One timer ends every wait at the deadline they share: a timeout per waiter costs a timer
        # each, pushed on and pulled off the loop's heap, with thousands of links on one host.
        self.expiry: asyncio.TimerHandle | None = None
        self.pools: list[_GuardedTransport] = []
        self.pool_load: list[int] = []

    def _free_slots(self) -> int:
        return max(1, int(self.limit)) - self.in_flight

    async def acquire(self) -> None:
        loop = asyncio.get_running_loop()
        if self.not_before > self.deadline:
            raise _RateLimited("the host's Retry-After reaches past the run's time budget")
        now = loop.time()
        if not self.waiters and self.not_before <= now and self._free_slots() > 0:
            self.in_flight += 1
            return
        if now >= self.deadline:
            raise _BudgetSpent()
        waiter: asyncio.Future[None] = loop.create_future()
        self.waiters.append(waiter)
        if self.expiry is None:
            self.expiry = loop.call_at(self.deadline, self._expire)
        self._wake()
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                # The slot was granted just as the wait ended (the task was cancelled): give it back.
                self.in_flight -= 1
                self._wake()
            elif not waiter.done():
                waiter.cancel()
            raise

    def _expire(self) -> None:
        self.expiry = None
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_exception(_BudgetSpent())

    def _wake(self) -> None:
        loop = asyncio.get_running_loop()
        if self.not_before > self.deadline:
            while self.waiters:
                waiter = self.waiters.popleft()
                if not waiter.done():
                    waiter.set_exception(_RateLimited("the host's Retry-After reaches past the run's time budget"))
            return
        if self.not_before > loop.time():
            if self.timer is None:
                self.timer = loop.call_at(self.not_before, self._timer_fired)
            return
        while self.waiters and self._free_slots() > 0:
            waiter = self.waiters.popleft()
            if waiter.done():
                continue
            self.in_flight += 1
            waiter.set_result(None)

    def _timer_fired(self) -> None:
        self.timer = None
        self._wake()

    def release(self, slowed: bool, retry_after: float | None) -> None:
        self.in_flight -= 1
        if slowed:
            self.limit = max(1.0, self.limit / 2)
        else:
            self.limit = min(float(self.ceiling), self.limit + 0.5)
        if retry_after is not None:
            # Only ever later: a success elsewhere on the host must not shorten the wait.
            later = asyncio.get_running_loop().time() + retry_after
            if later > self.not_before:
                self.not_before = later
                if self.timer is not None:
                    self.timer.cancel()
                    self.timer = None
        self._wake()

    def close(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.expiry is not None:
            self.expiry.cancel()
            self.expiry = None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    # str.isdigit accepts `²` and other digits float() refuses; delay-seconds is ASCII digits.
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _invalid_redirect(target: str) -> str | None:
    """Why a redirect's `Location` is no URL a browser could follow (a port over 65535), or None."""
    try:
        parts = urlsplit(target)
        port = parts.port
        httpx.URL(target)
    except (ValueError, httpx.InvalidURL) as error:
        return " ".join(str(error).split()) or "not a URL"
    if not parts.hostname:
        return "no host"
    if port == 0:
        return "port 0"
    return None


def _cause_chain(error: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class _Checker:
    def __init__(
        self,
        settings: CheckerSettings,
        on_result: Callable[[CheckResult], None] | None,
        resolve: Resolver,
        on_start: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self.on_result = on_result
        self.on_start = on_start
        self.ssl_context = httpx.create_ssl_context()
        self.backend = _GuardedBackend(_AddressPolicy(settings.allow_private), resolve)
        self.hosts: dict[str, _Host] = {}
        # Headers belong to one origin (scheme, host, port); a host's concurrency to its name.
        self.origin_headers: dict[str, dict[str, str]] = {}
        self.host_concurrency: dict[str, int] = {}
        self.headers_by_origin: dict[str | None, tuple[httpx.Headers, httpx.Headers]] = {}
        # Requests go to the transports directly: `AsyncClient.send` costs about a third of the CPU of
        # a loopback request (auth and redirect flows, cookie jar, event hooks, logging), none of it
        # used here. The client is kept for its default headers, which requests still carry.
        self.client_headers = httpx.AsyncClient(transport=httpx.AsyncBaseTransport(), trust_env=False).headers
        self.timeout = httpx.Timeout(settings.timeout).as_dict()
        for key, configured in settings.hosts.items():
            origin, host_name = configured_origin(key)
            self.origin_headers.setdefault(origin, {}).update(configured.headers)
            if configured.concurrency is not None:
                self.host_concurrency[host_name] = configured.concurrency
        self.global_slots = asyncio.Semaphore(max(1, settings.max_concurrency))
        self.deadline = asyncio.get_running_loop().time() + settings.budget

    def host(self, name: str) -> _Host:
        if name not in self.hosts:
            configured = self.host_concurrency.get(name)
            start = max(1, self.settings.concurrency)
            ceiling = 3 * start
            if configured is not None:
                start = ceiling = max(1, configured)
            self.hosts[name] = _Host(start, ceiling, self.deadline)
        return self.hosts[name]

    def pool(self, host: _Host) -> tuple[int, _GuardedTransport]:
        # Least-loaded pool; a new small pool once all existing ones are full.
        index = min(range(len(host.pools)), key=host.pool_load.__getitem__, default=-1)
        if index < 0 or (host.pool_load[index] >= _POOL_SIZE and len(host.pools) * _POOL_SIZE < host.ceiling):
            host.pools.append(_GuardedTransport(self.ssl_context, self.backend))
            host.pool_load.append(0)
            index = len(host.pools) - 1
        return index, host.pools[index]

    def headers(self, url: str) -> tuple[httpx.Headers, httpx.Headers]:
        """The HEAD and GET headers for `url`: configured ones only when its origin is the configured one.

        Each hop of a redirect chain is looked up anew, so headers meant for `https://h` never
        follow a redirect to `http://h` or `https://h:8443`. Built once per origin, on httpx's
        client defaults as `AsyncClient` merged them, and copied by each request.
        """
        origin = url_origin(url)
        built = self.headers_by_origin.get(origin)
        if built is None:
            ours = {"User-Agent": self.settings.user_agent, "Accept": "text/html,*/*;q=0.8"}
            if origin is not None:
                ours.update(self.origin_headers.get(origin, {}))
            head = httpx.Headers(self.client_headers)
            head.update(ours)
            get = httpx.Headers(self.client_headers)
            get.update(dict(ours, **{"Accept-Encoding": "identity"}))
            built = self.headers_by_origin[origin] = (head, get)
        return built

    async def close(self) -> None:
        for host in self.hosts.values():
            host.close()
            for pool in host.pools:
                await pool.aclose()
        self.backend.forget_lookups()

    async def run(self, urls: Mapping[str, str]) -> dict[str, CheckResult]:
        """Results by request URL; `urls` maps each request URL to its normal form."""
        tasks = {asyncio.create_task(self.check(url, key)): url for url, key in urls.items()}
        results: dict[str, CheckResult] = {}
        try:
            if tasks:
                remaining = self.deadline - asyncio.get_running_loop().time()
                # Every request's timeout already ends at the deadline; the grace only covers closing.
                _done, pending = await asyncio.wait(tasks, timeout=max(0.0, remaining) + 1.0)
                for task in pending:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            for task, url in tasks.items():
                if task.cancelled() or task.exception() is not None:
                    result = CheckResult(url, "unreachable", None, None, f"{NOT_CHECKED}the time budget ran out")
                else:
                    result = task.result()
                results[url] = result
        finally:
            await self.close()
        return results

    async def check(self, url: str, key: str) -> CheckResult:
        if self.on_start is not None:
            self.on_start(key)
        result = await self.follow(url, key)
        if self.on_result is not None:
            self.on_result(result)
        return result

    async def follow(self, url: str, key: str) -> CheckResult:
        current = url
        seen = {key}
        for _hop in range(self.settings.max_redirects + 1):
            try:
                response = await self.fetch(current)
            except _RateLimited as error:
                return CheckResult(key, "rate-limited", 429, None, str(error))
            except _BudgetSpent:
                return CheckResult(key, "unreachable", None, None, f"{NOT_CHECKED}the time budget ran out")
            except _AddressRefused as error:
                # After a redirect, say where the chain was stopped: the link itself looks harmless.
                stopped_at = None if current == url else strip_userinfo(current)
                return CheckResult(key, "blocked", None, stopped_at, f"{NOT_CHECKED}{error}")
            except _Transient as error:
                return CheckResult(key, "unreachable", None, None, str(error))
            except _DnsFailed as error:
                return CheckResult(key, "unreachable", None, None, str(error))
            except httpx.HTTPError as error:
                return CheckResult(key, "unreachable", None, None, _unreachable_reason(error))
            except (httpx.InvalidURL, httpx.CookieConflict, ValueError, OSError) as error:
                return CheckResult(key, "unreachable", None, None, _describe(error))
            if 300 <= response.status < 400 and response.location:
                target = urljoin(current, response.location)
                scheme = urlsplit(target).scheme.lower()
                if scheme not in ("http", "https"):
                    return CheckResult(
                        key,
                        "blocked",
                        response.status,
                        strip_userinfo(target),
                        f"{NOT_CHECKED}it redirects to a {scheme}: URL",
                    )
                invalid = _invalid_redirect(target)
                if invalid is not None:
                    return CheckResult(
                        key, "dead", response.status, None, f"it redirects to an invalid URL ({invalid})"
                    )
                if url_origin(target) != url_origin(current):
                    # Credentials in the link were meant for its own origin only.
                    target = strip_userinfo(target)
                target_key = normalise_url(target) or target
                if target_key in seen:
                    return CheckResult(key, "unreachable", response.status, target_key, "redirect loop")
                seen.add(target_key)
                current = target
                continue
            return _classify(key, response, None if current == url else strip_userinfo(current))
        return CheckResult(
            key,
            "unreachable",
            None,
            strip_userinfo(current),
            f"more than {self.settings.max_redirects} redirects",
        )

    async def fetch(self, url: str) -> _Response:
        """One hop: HEAD (then GET), retried with backoff and jitter on transient failures."""
        loop = asyncio.get_running_loop()
        host_name = (urlsplit(url).hostname or "").lower()
        host = self.host(host_name)
        attempt = 0
        while True:
            await host.acquire()
            response: _Response | None = None
            failure: _Transient | None = None
            try:
                async with self.global_slots:
                    response = await self.exchange(url, host)
            except _Transient as error:
                failure = error
            finally:
                slowed = response is not None and (response.status in (429, 503))
                host.release(slowed or failure is not None, response.retry_after if response else None)
            if response is not None and not _is_transient(response):
                return response
            if attempt >= self.settings.retries:
                if response is not None:
                    return response
                assert failure is not None
                raise failure
            attempt += 1
            delay = random.uniform(0.5, 1.5) * 0.25 * 2**attempt
            if loop.time() + delay >= self.deadline:
                if response is not None:
                    return response
                assert failure is not None
                raise failure
            await asyncio.sleep(delay)

    async def exchange(self, url: str, host: _Host) -> _Response:
        index, pool = self.pool(host)
        host.pool_load[index] += 1
        try:
            head_headers, get_headers = self.headers(url)
            response = await self.request(pool, "HEAD", url, head_headers)
            if 200 <= response.status < 400 or response.status == 429:
                return response
            # Many servers refuse or mishandle HEAD; GET decides.
            return await self.request(pool, "GET", url, get_headers)
        finally:
            host.pool_load[index] -= 1

    def build(self, method: str, url: str, headers: httpx.Headers) -> httpx.Request:
        request = httpx.Request(method, url, headers=headers, extensions={"timeout": self.timeout})
        if "@" in url and (request.url.username or request.url.password):
            # As httpx's client does: credentials in the link go as Basic authentication.
            basic = httpx.BasicAuth(request.url.username, request.url.password)
            request = next(basic.sync_auth_flow(request))
        return request

    async def request(self, pool: _GuardedTransport, method: str, url: str, headers: httpx.Headers) -> _Response:
        loop = asyncio.get_running_loop()
        remaining = self.deadline - loop.time()
        if remaining <= 0:
            raise _BudgetSpent()
        cut_by_budget = remaining < self.settings.timeout
        end = loop.time() + min(self.settings.timeout, remaining)
        try:
            # A whole-request deadline: httpx's timeouts are per read, which a server trickling
            # one byte a second never trips.
            async with asyncio.timeout_at(end) as whole:
                request = self.build(method, url, headers)
                response = await pool.handle_async_request(request)
                response.request = request
                try:
                    if method == "HEAD":
                        await response.aread()
                        return _response(response, b"")
                    # The status is in and it is the answer; the body is only read to recognise a
                    # bot wall, so a body that stalls or breaks off ends the read, not the result.
                    whole.reschedule(None)
                    body = await _read_head(response, end)
                    return _response(response, body)
                finally:
                    # Closing drops the connection of a GET rather than downloading the rest of
                    # its body; closing a socket does not wait.
                    await response.aclose()
        except TimeoutError:
            if cut_by_budget:
                raise _Transient("no complete response before the time budget ran out") from None
            raise _Transient(f"no complete response within {self.settings.timeout:g} s") from None
        except httpx.TimeoutException as error:
            raise _Transient(f"timed out ({_describe(error)})") from None
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as error:
            raise _Transient(_dropped_reason(error)) from None
        except httpx.ConnectError as error:
            for cause in _cause_chain(error):
                if isinstance(cause, _AddressRefused | _DnsFailed):
                    raise cause from None
            raise


async def _read_head(response: httpx.Response, end: float) -> bytes:
    """Up to `_READ_LIMIT` bytes of the body, read until `end` at the latest."""
    head = bytearray()
    with contextlib.suppress(TimeoutError, httpx.ReadError, httpx.RemoteProtocolError, httpx.ReadTimeout):
        async with asyncio.timeout_at(end):
            async for chunk in response.aiter_raw():
                head += chunk
                if len(head) >= _READ_LIMIT:
                    break
    return bytes(head[:_READ_LIMIT])


def _dropped_reason(error: httpx.HTTPError) -> str:
    for cause in _cause_chain(error):
        if isinstance(cause, ConnectionResetError):
            return "connection dropped (reset by the server)"
    text = str(error).rstrip(".")
    if isinstance(error, httpx.RemoteProtocolError) and text:
        if text.startswith("Server disconnected"):
            return "connection dropped (closed by the server before a complete response)"
        # h11's words for a header block that does not end within its limit.
        if "buffer too long" in text:
            return "invalid response (the headers do not end)"
        return f"invalid response ({text})"
    return f"connection dropped ({_describe(error)})"


def _response(response: httpx.Response, body: bytes) -> _Response:
    lowered = body.lower()
    bot_wall = response.headers.get("cf-mitigated", "").lower() == "challenge" or (
        response.status_code in (403, 429, 503) and any(marker in lowered for marker in _BOT_WALL_MARKERS)
    )
    return _Response(
        status=response.status_code,
        location=response.headers.get("location"),
        retry_after=_retry_after(response.headers.get("retry-after")) if response.status_code in (429, 503) else None,
        bot_wall=bot_wall,
    )


def _is_transient(response: _Response) -> bool:
    return not response.bot_wall and (response.status == 429 or 500 <= response.status < 600)


def _unreachable_reason(error: httpx.HTTPError) -> str:
    for cause in _cause_chain(error):
        if isinstance(cause, ssl.SSLError):
            return f"TLS error: {cause.reason or cause}"
    text = str(error)
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text:
        return f"TLS error: {text}"
    if isinstance(error, httpx.ConnectError):
        return f"connection failed: {text or 'refused'}"
    return _describe(error)


def _classify(url: str, response: _Response, final_url: str | None) -> CheckResult:
    status = response.status
    if 200 <= status < 300:
        return CheckResult(url, "ok", status, final_url, f"HTTP {status}")
    if status in (404, 410):
        return CheckResult(url, "dead", status, final_url, f"HTTP {status}")
    if response.bot_wall:
        return CheckResult(url, "blocked", status, final_url, f"HTTP {status}, a bot-protection page")
    if status == 429:
        return CheckResult(url, "rate-limited", status, final_url, "HTTP 429 after retries")
    if 500 <= status < 600:
        return CheckResult(url, "unreachable", status, final_url, f"HTTP {status} after retries")
    if 300 <= status < 400:
        return CheckResult(url, "unreachable", status, final_url, f"HTTP {status} without a Location")
    return CheckResult(url, "blocked", status, final_url, f"HTTP {status}, the server refuses the checker")


async def check_urls(
    urls: Iterable[str],
    settings: CheckerSettings,
    on_result: Callable[[CheckResult], None] | None = None,
    on_start: Callable[[str], None] | None = None,
    *,
    resolve: Resolver = system_resolver,
) -> dict[str, CheckResult]:
    """Check each URL (deduplicated by normal form) and return results keyed by normal form.

    URLs that are not http(s) are not checked and not in the result. `resolve` is the name lookup
    (the system's by default), a blocking function called in a thread of its own and abandoned at
    the request's deadline: the seam through which a test makes a lookup hang.
    """
    request_urls: dict[str, str] = {}
    for url in urls:
        key = normalise_url(url)
        if key is not None and key not in request_urls:
            parts = urlsplit(url.strip())
            # Keep credentials of the link for the request itself; the key never carries them.
            userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
            request_urls[key] = _with_userinfo(key, userinfo)
    checker = _Checker(settings, on_result, resolve, on_start)
    by_request = await checker.run({request: key for key, request in request_urls.items()})
    return {key: _rekey(by_request[request], key) for key, request in request_urls.items()}


def _with_userinfo(key: str, userinfo: str) -> str:
    if not userinfo:
        return key
    parts = urlsplit(key)
    return urlunsplit(parts._replace(netloc=f"{userinfo}@{parts.netloc}"))


def _rekey(result: CheckResult, key: str) -> CheckResult:
    return (
        result
        if result.url == key
        else CheckResult(key, result.link_class, result.status, result.final_url, result.reason)
    )


def check_urls_sync(
    urls: Iterable[str],
    settings: CheckerSettings,
    on_result: Callable[[CheckResult], None] | None = None,
    on_start: Callable[[str], None] | None = None,
    *,
    resolve: Resolver = system_resolver,
) -> dict[str, CheckResult]:
    """`check_urls` for synchronous callers; runs in a private event loop (own thread if one is running)."""
    url_list = list(urls)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(check_urls(url_list, settings, on_result, on_start, resolve=resolve))
    outcome: dict[str, dict[str, CheckResult]] = {}
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome["value"] = asyncio.run(check_urls(url_list, settings, on_result, on_start, resolve=resolve))
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=run, name="mdlint-link-check")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome["value"]
