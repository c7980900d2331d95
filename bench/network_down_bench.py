#!/usr/bin/env python3
"""What a run costs when the network is down, against the same run with `--offline`.

Writes one page of links to hosts under `.invalid` (a name reserved never to resolve, so name
resolution fails as on a machine without network), then runs `python -m mdlint` on it and
`python -m mdlint --offline`, alternately, each with a fresh cache folder, and prints the median
wall and CPU seconds of each and the difference. Figures for reports, not for tests. Usage:

    .venv/bin/python -m bench.network_down_bench [--links 105] [--hosts 7] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(arguments: list[str], folder: Path, cache: Path) -> tuple[float, float, str]:
    environment = {**os.environ, "PYTHONPATH": str(_REPO), "NO_COLOR": "1"}
    environment.pop("GITHUB_ACTIONS", None)
    cpu = _cpu_of_children()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mdlint", "--cache-dir", str(cache), *arguments, "a.md"],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return time.perf_counter() - started, _cpu_of_children() - cpu, done.stderr.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--links", type=int, default=105)
    parser.add_argument("--hosts", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        links = [f"- [page {i}](https://host{i % args.hosts}.example.invalid/page/{i})" for i in range(args.links)]
        (folder / "a.md").write_text("# Links\n\n" + "\n".join(links) + "\n", encoding="utf-8")
        walls: dict[str, list[float]] = {"online": [], "offline": []}
        cpus: dict[str, list[float]] = {"online": [], "offline": []}
        said = ""
        for round_number in range(args.rounds):
            for name, extra in (("online", []), ("offline", ["--offline"])):
                wall, cpu, stderr = _time(extra, folder, folder / f"cache-{name}-{round_number}")
                walls[name].append(wall)
                cpus[name].append(cpu)
                said = stderr if name == "online" else said
        print(f"{args.links} links on {args.hosts} hosts that do not resolve, {args.rounds} rounds")
        print(f"network down says: {said}")
        for name in ("online", "offline"):
            print(
                f"{name:8} wall median {statistics.median(walls[name]):.2f} s "
                f"(min {min(walls[name]):.2f}), CPU median {statistics.median(cpus[name]):.2f} s"
            )
        extra_wall = statistics.median(walls["online"]) - statistics.median(walls["offline"])
        extra_cpu = statistics.median(cpus["online"]) - statistics.median(cpus["offline"])
        print(f"cost of the network-down run over --offline: wall {extra_wall:+.2f} s, CPU {extra_cpu:+.2f} s")


if __name__ == "__main__":
    main()
