#!/usr/bin/env python3
"""Benchmark mdlint's link checker against lychee on the loopback corpus of ../shared/linkbench.

Starts the linkbench server (50 ms latency), generates 2,000 links (100 dead, 40 redirects),
then runs, each as a child process measured with os.wait4 (CPU seconds, peak RSS):

- mdlint cold (empty cache), mdlint warm (same cache), through `python -m mdlint --format json`;
- lychee with its defaults, and with its per-host limits lifted.

Requests are counted by the server (/__stats). Usage:

    /work/venv/bin/python bench/links_bench.py [--linkbench ../shared/linkbench] [--lychee PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    name: str
    wall: float
    cpu: float
    requests: int
    peak_mib: float
    dead_found: int
    false_alarms: int

    def row(self) -> str:
        per_request = f"{1000 * self.cpu / self.requests:.2f}" if self.requests else "-"
        return (
            f"{self.name:<28} {self.wall:7.2f} {self.cpu:7.2f} {self.requests:8d} {per_request:>9} "
            f"{self.peak_mib:8.1f} {self.dead_found:5d} {self.false_alarms:6d}"
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=5) as response:
        data: dict[str, object] = json.loads(response.read() or b"{}") if "stats" in url else {}
        return data


def _measure(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, float, str]:
    """Run a child; return wall seconds, CPU seconds (user+sys), peak RSS MiB, stdout."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
        _pid, _status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = 0
        out.seek(0)
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read()


def _mdlint_dead(output: str) -> set[str]:
    findings = json.loads(output)["findings"]
    return {f["url"] for f in findings if f["rule"] == "link-dead"}


def _lychee_dead(output: str) -> set[str]:
    report = json.loads(output)
    failing: set[str] = set()
    for entries in report.get("error_map", report.get("fail_map", {})).values():
        for entry in entries:
            failing.add(entry["url"])
    return failing


def pool_experiment(base: str, corpus: Path) -> None:
    """In-process: CPU per request with 4-connection pools against one big pool, same concurrency."""
    import re

    import mdlint.links.remote as remote
    from mdlint.links.results import CheckerSettings

    urls = {m.group(0) for f in corpus.glob("*.md") for m in re.finditer(re.escape(base) + r"/[^\s)>]+", f.read_text())}
    default_pool = remote._POOL_SIZE
    for pool, start in [(default_pool, 6), (18, 6), (default_pool, 43), (128, 43)]:
        remote._POOL_SIZE = pool
        _get(base + "/__reset")
        started, cpu_started = time.perf_counter(), time.process_time()
        settings = CheckerSettings(allow_private=True, concurrency=start, max_concurrency=256)
        remote.check_urls_sync(urls, settings)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        requests = int(_get(base + "/__stats")["n"])  # type: ignore[call-overload]
        print(
            f"pool size {pool:3d}, host ceiling {3 * start:3d}: wall {wall:5.2f} s, cpu {cpu:5.2f} s, "
            f"{1000 * cpu / requests:.2f} ms cpu per request"
        )
    remote._POOL_SIZE = default_pool


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--linkbench", type=Path, default=ROOT.parent / "shared" / "linkbench")
    parser.add_argument("--lychee", default=shutil.which("lychee") or str(Path(sys.executable).parent / "lychee"))
    parser.add_argument("--delay-ms", type=float, default=50.0)
    parser.add_argument("--pools", action="store_true", help="also compare connection-pool sizes in-process")
    args = parser.parse_args()
    linkbench: Path = args.linkbench.resolve()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, str(linkbench / "server.py"), "--port", str(port), "--delay-ms", str(args.delay_ms),
         "--lifetime", "900"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="links-bench-"))
    try:
        for _ in range(100):
            try:
                _get(base + "/__stats")
                break
            except OSError:
                time.sleep(0.05)
        corpus = work / "corpus"
        subprocess.run(
            [sys.executable, str(linkbench / "gen.py"), "--out", str(corpus), "--port", str(port)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        truth = json.loads((corpus / "truth.json").read_text())
        dead = set(truth["dead"])
        (corpus / "truth.json").unlink()
        (work / ".mdlint.toml").write_text('select = ["link-dead"]\n[rules.link-dead]\nallow-private = true\n')
        # This checkout first; a PYTHONPATH given to the bench stays behind it (a package not installed yet).
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        runs: list[Run] = []

        def run(name: str, command: list[str], parse: str) -> None:
            _get(base + "/__reset")
            wall, cpu, peak, output = _measure(command, env, work)
            requests = int(_get(base + "/__stats")["n"])  # type: ignore[call-overload]
            found = _mdlint_dead(output) if parse == "mdlint" else _lychee_dead(output)
            runs.append(Run(name, wall, cpu, requests, peak, len(found & dead), len(found - dead)))

        mdlint = [sys.executable, "-m", "mdlint", "--format", "json", "--cache-dir", str(work / "cache"), "corpus"]
        run("mdlint cold", mdlint, "mdlint")
        run("mdlint warm (cache)", mdlint, "mdlint")
        if Path(args.lychee).exists():
            lychee = [args.lychee, "--no-progress", "--format", "json", "corpus"]
            run("lychee defaults", lychee, "lychee")
            lifted = [*lychee[:-1], "--host-concurrency", "128", "--host-request-interval", "0ms", "corpus"]
            run("lychee host limits lifted", lifted, "lychee")
        print(f"{len(truth['dead'])} dead of {truth['distinct']} distinct links, {args.delay_ms:g} ms latency")
        print(f"{'run':<28} {'wall s':>7} {'cpu s':>7} {'requests':>8} {'cpu ms/req':>9} {'peak MiB':>8} "
              f"{'dead':>5} {'false':>6}")  # fmt: skip
        for item in runs:
            print(item.row())
        by_name = {item.name: item for item in runs}
        cold = by_name["mdlint cold"]
        for other in ("lychee defaults", "lychee host limits lifted"):
            if other in by_name:
                theirs = by_name[other]
                print(
                    f"mdlint cold / {other}: wall x{cold.wall / theirs.wall:.2f}, cpu x{cold.cpu / theirs.cpu:.2f}, "
                    f"requests x{cold.requests / max(1, theirs.requests):.2f}, "
                    f"memory x{cold.peak_mib / theirs.peak_mib:.2f}"
                )
        if args.pools:
            sys.path.insert(0, str(ROOT))
            pool_experiment(base, corpus)
        return 0
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(5)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
