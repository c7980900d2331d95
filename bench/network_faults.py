#!/usr/bin/env python3
"""Time each network fault of tests/links/test_network_faults.py through the remote checker.

Starts the loopback fault servers, checks one link per fault (each in its own run, then all in
one run), and prints class, reason and wall seconds. Figures for reports, not for tests. Usage:

    .venv/bin/python -m bench.network_faults [--timeout 1.5] [--budget 5]
"""

from __future__ import annotations

import argparse
import asyncio
import ssl
import time

import trustme

from mdlint.links.remote import CheckerSettings, check_urls
from tests.links.fault_servers import FaultServers, running_fault_servers


def _cases(servers: FaultServers) -> list[tuple[str, str]]:
    faults = servers.faults
    redirects = faults["redirects"]
    return [
        ("reset mid-body (200)", faults["reset"].url("/page")),
        ("reset mid-body (404)", faults["reset"].url("/gone")),
        ("reset mid-headers", faults["reset"].url("/cut-head")),
        ("accept, never answer", faults["silent"].url("/")),
        ("TLS port, never says hello", faults["tls-silent"].url("/")),
        ("trickle 1 byte/s (head)", faults["trickle"].url("/head")),
        ("trickle 1 byte/s (body)", faults["trickle"].url("/body")),
        ("endless redirects", redirects.url("/hop/0")),
        ("redirect loop", redirects.url("/ping")),
        ("redirect to file:", redirects.url("/to?url=file:///etc/passwd")),
        ("redirect to 169.254.169.254", redirects.url("/to?url=http://169.254.169.254/latest/meta-data/")),
        ("redirect to 10.0.0.1", redirects.url("/to?url=http://10.0.0.1/")),
        ("5 GiB body", faults["endless"].url("/big")),
        ("endless header line", faults["endless"].url("/headers")),
        ("self-signed TLS", faults["bad-tls"].url("/")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=1.5)
    parser.add_argument("--budget", type=float, default=5.0)
    args = parser.parse_args()
    settings = CheckerSettings(
        timeout=args.timeout, budget=args.budget, retries=0, max_redirects=3, allow_private=["127.0.0.1"]
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(context)
    with running_fault_servers(context) as servers:
        cases = _cases(servers)
        print(f"{'fault':<30} {'class':<12} {'seconds':>7}  reason")
        for name, url in cases:
            start = time.monotonic()
            (result,) = asyncio.run(check_urls([url], settings)).values()
            seconds = time.monotonic() - start
            print(f"{name:<30} {result.link_class:<12} {seconds:7.2f}  {result.reason}")
        start = time.monotonic()
        results = asyncio.run(check_urls([url for _, url in cases], settings))
        seconds = time.monotonic() - start
        print(f"{'all ' + str(len(results)) + ' in one run':<30} {'':<12} {seconds:7.2f}  budget {args.budget:g} s")
        print(f"5 GiB body: {servers.faults['endless'].body_bytes} bytes sent before the checker hung up")


if __name__ == "__main__":
    main()
