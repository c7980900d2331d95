"""mdlint against markdownlint-cli2 and pymarkdownlnt on the same folders, in the same run.

    python -m bench.compare_bench                      # hugo-docs and 500 copies of the study archive
    python -m bench.compare_bench --folder PATH --copies 0 --pymarkdown-sample 10

Installs the other tools into bench/.tools/ (git-ignored) when they are missing: markdownlint-cli2
0.22.x with npm (newer releases need Node 22), pymarkdownlnt with pip into its own venv. Each run
is a fresh process measured by `/usr/bin/time -v` (or `os.wait4` where that is missing): wall time,
MB/s of Markdown, peak resident memory of the largest process. mdlint runs offline with all
default rules, `--jobs` = CPU count, first with an empty result cache (cold), then again with the
same cache (warm), then serially without a cache. pymarkdownlnt is slow, so it lints a sample of
each folder and its time is extrapolated to the whole folder (marked `~`). The machine is shared,
so compare the ratios printed at the end of the same run, not absolute times across runs.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "bench" / ".tools"
SHARED = next((folder / "shared" for folder in ROOT.parents if (folder / "shared").is_dir()), ROOT.parent / "shared")
HUGO_DOCS = SHARED / "corpus" / "perf" / "hugo-docs"
STUDY_ARCHIVE = SHARED / "corpus" / "study-archive" / "README.md"
MARKDOWNLINT_VERSION = "0.22"
MARKDOWNLINT = TOOLS / "npm" / "node_modules" / ".bin" / "markdownlint-cli2"
PYMARKDOWN = TOOLS / "pymarkdown" / "bin" / "pymarkdown"


@dataclass(frozen=True)
class Measurement:
    """One tool run: wall seconds, peak RSS in MB, exit code; `estimated` when extrapolated."""

    tool: str
    wall: float
    peak_mb: float
    returncode: int
    estimated: bool = False
    note: str = ""


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line of this benchmark."""
    parser = argparse.ArgumentParser(description="mdlint vs markdownlint-cli2 vs pymarkdownlnt")
    parser.add_argument("--folder", type=Path, action="append", help=f"folders to lint (default: {HUGO_DOCS})")
    parser.add_argument("--copies", type=int, default=500, help="also lint N copies of the study archive (0: no)")
    parser.add_argument("--pymarkdown-sample", type=int, default=20, help="files pymarkdownlnt lints per folder")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before a tool run is stopped")
    parser.add_argument("--jobs", type=int, default=0, help="mdlint --jobs (default: CPU count)")
    parser.add_argument("--skip", action="append", default=[], choices=["markdownlint", "pymarkdown"])
    parser.add_argument("--no-install", action="store_true", help="do not install missing tools")
    args = parser.parse_args(argv)
    if not args.folder:
        args.folder = [HUGO_DOCS]
    return args


def markdown_files(folder: Path) -> list[Path]:
    """The Markdown files below `folder`, sorted."""
    return sorted(p for p in folder.rglob("*") if p.suffix in (".md", ".markdown") and p.is_file())


def parse_time_v(stderr: str) -> tuple[float, float] | None:
    """(wall seconds, peak RSS MB) from `/usr/bin/time -v` output, or None when absent."""
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)", stderr)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    if wall is None or peak is None:
        return None
    hours, minutes, seconds = wall.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds), int(peak.group(1)) / 1024


def ratio(slow: float, fast: float) -> str:
    """`slow / fast` as `12.3x`, or `-` when it cannot be computed."""
    return f"{slow / fast:.1f}x" if fast > 0 and slow > 0 else "-"


def measure(tool: str, command: list[str], cwd: Path, timeout: float) -> Measurement:
    """Run `command` once in a fresh process; its output is discarded."""
    time_v = Path("/usr/bin/time")
    if time_v.exists():
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [str(time_v), "-v", *command],
                cwd=cwd,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                errors="replace",
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Measurement(tool, time.perf_counter() - started, 0.0, -1, note=f"stopped after {timeout:.0f} s")
        parsed = parse_time_v(done.stderr)
        if parsed is not None:
            return Measurement(tool, parsed[0], parsed[1], done.returncode, note=crash_note(done.stderr))
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return Measurement(tool, time.perf_counter() - started, usage.ru_maxrss / 1024, process.returncode)


def crash_note(stderr: str) -> str:
    """`XError, crashed` when a tool's output shows it stopped on an exception, else ""."""
    match = re.search(r"\b(\w+Error)\b", stderr)
    return f"crashed: {match.group(1)}" if match else ""


def install_tools(skip: Sequence[str]) -> None:
    """Install markdownlint-cli2 and pymarkdownlnt into bench/.tools/ when missing."""
    if "markdownlint" not in skip and not MARKDOWNLINT.exists():
        print(f"installing markdownlint-cli2@{MARKDOWNLINT_VERSION} into {TOOLS / 'npm'}", file=sys.stderr)
        subprocess.run(
            [
                *("npm", "install", "--prefix", str(TOOLS / "npm"), "--no-audit", "--no-fund"),
                f"markdownlint-cli2@{MARKDOWNLINT_VERSION}",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if "pymarkdown" not in skip and not PYMARKDOWN.exists():
        print(f"installing pymarkdownlnt into {TOOLS / 'pymarkdown'}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS / "pymarkdown")], check=True)
        subprocess.run(
            [str(TOOLS / "pymarkdown" / "bin" / "pip"), "install", "-q", "pymarkdownlnt"],
            check=True,
            stdout=subprocess.DEVNULL,
        )


def _mdlint(*args: str) -> list[str]:
    return [sys.executable, "-m", "mdlint", "--offline", "--quiet", *args]


def bench_folder(name: str, folder: Path, args: argparse.Namespace, scratch: Path) -> list[Measurement]:
    """Every tool on one folder; prints and returns the measurements."""
    files = markdown_files(folder)
    megabytes = sum(path.stat().st_size for path in files) / 1e6
    jobs = str(args.jobs or os.cpu_count() or 1)
    cache = scratch / f"cache-{name}"
    runs = [
        measure("mdlint cold", _mdlint("--jobs", jobs, "--cache-dir", str(cache), str(folder)), ROOT, args.timeout),
        measure("mdlint warm", _mdlint("--jobs", jobs, "--cache-dir", str(cache), str(folder)), ROOT, args.timeout),
        measure("mdlint --jobs 1 --no-cache", _mdlint("--jobs", "1", "--no-cache", str(folder)), ROOT, args.timeout),
    ]
    if "markdownlint" not in args.skip:
        runs.append(measure("markdownlint-cli2", [str(MARKDOWNLINT), "**/*.md"], folder, args.timeout))
    if "pymarkdown" not in args.skip:
        sample = files[: args.pymarkdown_sample]
        # Relative names keep the command line short; the sample is the first files in sorted order.
        relative = [str(path.relative_to(folder)) for path in sample]
        run = measure("pymarkdownlnt", [str(PYMARKDOWN), "scan", *relative], folder, args.timeout)
        share = sum(path.stat().st_size for path in sample) / 1e6
        scale = megabytes / share if share else 0.0
        runs.append(
            Measurement(
                f"pymarkdownlnt (~{len(sample)} files, scaled x{scale:.0f})",
                run.wall * scale,
                run.peak_mb,
                run.returncode,
                estimated=True,
                note=run.note,
            )
        )
    _print_table(name, folder, len(files), megabytes, runs)
    return runs


def _print_table(name: str, folder: Path, files: int, megabytes: float, runs: list[Measurement]) -> None:
    print(f"\n## {name}: {folder} ({files} files, {megabytes:.2f} MB)")
    print(f"{'tool':<44} {'seconds':>9} {'MB/s':>7} {'peak MB':>8} {'exit':>4}  note")
    for run in runs:
        shown = f"~{run.wall:.2f}" if run.estimated else f"{run.wall:.2f}"
        speed = megabytes / run.wall if run.wall else 0.0
        print(f"{run.tool:<44} {shown:>9} {speed:7.2f} {run.peak_mb:8.0f} {run.returncode:>4}  {run.note}")
    cold, warm, serial = runs[0], runs[1], runs[2]
    print(f"mdlint cold / warm: {ratio(cold.wall, warm.wall)}")
    print(f"mdlint serial without cache / cold: {ratio(serial.wall, cold.wall)}")
    for run in runs[3:]:
        # A tool that crashed did not lint the folder; its time says nothing about its speed.
        shown = f"n/a ({run.note})" if run.note else ratio(run.wall, cold.wall)
        print(f"{run.tool} / mdlint cold: {shown}")


def one_file(args: argparse.Namespace, scratch: Path) -> None:
    """Start-up: each tool on one small file (best of five)."""
    small = scratch / "one" / "note.md"
    small.parent.mkdir(parents=True, exist_ok=True)
    small.write_text("# A note\n\nSome text with a [link](https://example.com).\n", encoding="utf-8")
    tools = {"mdlint": _mdlint("--no-cache", str(small))}
    if "markdownlint" not in args.skip:
        tools["markdownlint-cli2"] = [str(MARKDOWNLINT), "note.md"]
    if "pymarkdown" not in args.skip:
        tools["pymarkdownlnt"] = [str(PYMARKDOWN), "scan", "note.md"]
    print("\n## one small file (best of 5)")
    for tool, command in tools.items():
        best = min((measure(tool, command, small.parent, args.timeout) for _ in range(5)), key=lambda m: m.wall)
        print(f"{tool:<44} {best.wall:9.3f} s {best.peak_mb:8.0f} MB")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison and print the tables."""
    args = parse_args(argv)
    if not args.no_install:
        install_tools(args.skip)
    with tempfile.TemporaryDirectory(prefix="mdlint-bench-") as temporary:
        scratch = Path(temporary)
        print(f"mdlint bench: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
        for folder in args.folder:
            bench_folder(folder.name, folder.resolve(), args, scratch)
        if args.copies:
            copies = scratch / f"study-archive-x{args.copies}"
            copies.mkdir()
            for index in range(args.copies):
                shutil.copyfile(STUDY_ARCHIVE, copies / f"copy{index:04}.md")
            bench_folder(copies.name, copies, args, scratch)
        one_file(args, scratch)
        print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
