"""The link-check progress bar, seen on a real terminal (a pseudo-terminal): done / total, the
hosts in flight and the URL the run has waited on longest, so a bar at 100 % says what it waits for."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO
from tests.links.conftest import LoopbackServer


def _read_terminal(command: list[str], cwd: Path, environment: dict[str, str], seconds: float) -> tuple[str, int]:
    """Standard error of `command` as a terminal shows it (a pseudo-terminal), and its exit code."""
    main, secondary = pty.openpty()
    process = subprocess.Popen(command, cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=secondary)
    os.close(secondary)
    chunks = []
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(main, 65536)
                except OSError:  # the other end closed: the process is done
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            elif process.poll() is not None:
                break
        code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(main)
    return b"".join(chunks).decode("utf-8", "replace"), code


def test_the_bar_names_the_slowest_url_in_flight(server: LoopbackServer, tmp_path: Path) -> None:
    slow = server.url("/ok/waited-on?delay=3")
    fast = [server.url(f"/ok/fast-{index}") for index in range(3)]
    links = "".join(f"- [l{index}]({url})\n" for index, url in enumerate([*fast, slow]))
    (tmp_path / "a.md").write_text("# Links\n\n" + links, encoding="utf-8")
    (tmp_path / ".mdlint.toml").write_text("[rules.link-dead]\nallow-private = true\ntimeout = 10.0\n")
    environment = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "250", "TERM": "xterm"}
    environment.pop("NO_COLOR", None)
    command = [sys.executable, "-m", "mdlint", "--select", "link-dead", "--cache-dir", str(tmp_path / "c"), "a.md"]
    shown, code = _read_terminal(command, tmp_path, environment, seconds=60)  # a hang guard
    assert code == 0, shown
    assert "3/4" in shown
    assert f"1 host in flight, slowest {slow}" in shown


def test_hosts_in_flight_and_the_longest_wait_follow_starts_and_finishes() -> None:
    from mdlint.run.remote_links import _InFlight

    flight = _InFlight()
    assert flight.describe() == ""
    for url in ("http://a.org/1", "http://b.org/2", "http://a.org/3"):
        flight.start(url)
    assert flight.describe().startswith("2 hosts in flight, slowest http://a.org/1 (")
    flight.finish("http://a.org/1")
    assert flight.describe().startswith("2 hosts in flight, slowest http://b.org/2 (")
    flight.finish("http://b.org/2")
    assert flight.describe().startswith("1 host in flight, slowest http://a.org/3 (")
    # Started again (a later group of the run): it has waited least now.
    flight.start("http://b.org/2")
    flight.start("http://a.org/3")
    assert flight.describe().startswith("2 hosts in flight, slowest http://b.org/2 (")
    flight.finish("http://a.org/3")
    flight.finish("http://b.org/2")
    flight.finish("http://never.org/started")
    assert flight.describe() == ""
