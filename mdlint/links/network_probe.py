"""Is the network down? Resolve the most-linked host names before checking any link.

A machine without network fails every link the same way (no name resolves), slowly (a lookup may
wait for the resolver's timeout) and loudly (one warning per link). The probe resolves the most-linked
host names (IP literals need no lookup) at once; when at least two are probed and none resolves
within the probe time, the network is taken to be down. One misspelt host cannot trip it, and a
machine without network pays the probe time instead of a failure per link. It needs no HTTP
library, so a run that finds the network down never imports one.
"""

from __future__ import annotations

import ipaddress
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

__all__ = ["PROBE_HOSTS", "PROBE_SECONDS", "Resolver", "network_down", "probe_hosts"]

PROBE_HOSTS = 3
PROBE_SECONDS = 1.5

Resolver = Callable[[str], bool]


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


def _resolves(host: str) -> bool:
    try:
        return bool(socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM))
    except (OSError, UnicodeError):
        return False


def probe_hosts(urls: Iterable[str]) -> list[str]:
    """The host names the probe resolves: the most-linked ones, ties by name."""
    counts: dict[str, int] = {}
    for url in urls:
        try:
            host = (urlsplit(url.strip()).hostname or "").lower()
        except ValueError:
            continue
        if host and not _is_ip_literal(host):
            counts[host] = counts.get(host, 0) + 1
    return sorted(counts, key=lambda host: (-counts[host], host))[:PROBE_HOSTS]


def network_down(urls: Iterable[str], seconds: float = PROBE_SECONDS, resolve: Resolver = _resolves) -> bool:
    """Whether none of the most-linked host names of `urls` (two at least) resolves within `seconds`."""
    hosts = probe_hosts(urls)
    if len(hosts) < 2:
        return False
    answers: queue.SimpleQueue[bool] = queue.SimpleQueue()
    for host in hosts:
        # Daemon threads: a lookup still waiting on the resolver when the probe gives up must not
        # keep the process alive.
        threading.Thread(
            target=lambda name=host: answers.put(resolve(name)), name="mdlint-network-probe", daemon=True
        ).start()
    deadline = time.monotonic() + seconds
    for _ in hosts:
        try:
            if answers.get(timeout=max(0.0, deadline - time.monotonic())):
                return False
        except queue.Empty:
            break
    return True
