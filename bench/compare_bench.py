"""mdlint against markdownlint-cli2, rumdl and pymarkdownlnt on the same folders, in the same run.

    python -m bench.compare_bench                      # hugo-docs and 500 copies of the study archive
    python -m bench.compare_bench --folder PATH --copies 0 --pymarkdown-sample 10
    python -m bench.compare_bench --copies 100 --fix-copies 20 --skip pymarkdown   # a shorter run

Installs the other tools into bench/.tools/ (git-ignored) when they are missing: markdownlint-cli2
0.22.x with npm (newer releases need Node 22), pymarkdownlnt and rumdl with pip, each into its own
venv. Each run is a fresh process measured by `/usr/bin/time -v` (or `os.wait4` where that is
missing): wall time, MB/s of Markdown, peak resident memory of the largest process, and the
largest sum of resident memory over the run's whole process tree (workers included), sampled.
mdlint runs offline with all default rules, `--jobs` = CPU count, first with an empty result
cache (cold), then again with the same cache (warm), then serially without a cache; rumdl cold
and warm likewise. The parse floor is mistune alone (its AST renderer) parsing every file in one
process. pymarkdownlnt is slow, so it lints a sample of each folder and its time is extrapolated
to the whole folder (marked `~`). Then: one archive file and one small file per tool, mdlint's
`--version`, `--help` and `--list-rules`, and `--fix` on copies of the archive against a check of
the same copies. The goals of issue 16 are printed with each ratio. The machine is shared, so
compare the ratios printed at the end of the same run, not absolute times across runs.
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
RUMDL = TOOLS / "rumdl" / "bin" / "rumdl"
# Sampling interval of the process tree's memory.
_MEMORY_POLL = 0.05


@dataclass(frozen=True)
class Measurement:
    """One tool run: wall seconds, peak RSS in MB, exit code; `estimated` when extrapolated."""

    tool: str
    wall: float
    peak_mb: float
    returncode: int
    estimated: bool = False
    note: str = ""
    # Largest sum of resident memory over the process and its children, MB (0: not sampled).
    tree_mb: float = 0.0


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line of this benchmark."""
    parser = argparse.ArgumentParser(description="mdlint vs markdownlint-cli2 vs pymarkdownlnt")
    parser.add_argument("--folder", type=Path, action="append", help=f"folders to lint (default: {HUGO_DOCS})")
    parser.add_argument("--copies", type=int, default=500, help="also lint N copies of the study archive (0: no)")
    parser.add_argument("--pymarkdown-sample", type=int, default=20, help="files pymarkdownlnt lints per folder")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before a tool run is stopped")
    parser.add_argument("--jobs", type=int, default=0, help="mdlint --jobs (default: CPU count)")
    parser.add_argument("--fix-copies", type=int, default=50, help="copies of the archive for --fix vs check (0: no)")
    parser.add_argument("--skip", action="append", default=[], choices=["markdownlint", "pymarkdown", "rumdl"])
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
        with tempfile.TemporaryFile("w+", errors="replace") as stderr:
            process = subprocess.Popen(
                [str(time_v), "-v", *command], cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True
            )
            tree = _TreeMemory(process.pid)
            while process.poll() is None:
                if time.perf_counter() - started > timeout:
                    os.killpg(process.pid, 9)
                    process.wait()
                    return Measurement(
                        tool, time.perf_counter() - started, 0.0, -1, note=f"stopped after {timeout:.0f} s"
                    )
                tree.sample()
                time.sleep(_MEMORY_POLL)
            stderr.seek(0)
            output = stderr.read()
        parsed = parse_time_v(output)
        if parsed is not None:
            # /usr/bin/time reports the command's exit code as its own.
            return Measurement(
                tool, parsed[0], parsed[1], process.returncode, note=crash_note(output), tree_mb=tree.peak_mb
            )
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return Measurement(tool, time.perf_counter() - started, usage.ru_maxrss / 1024, child.returncode)


class _TreeMemory:
    """The largest total resident memory seen over a session's processes (Linux /proc)."""

    def __init__(self, session: int) -> None:
        self.session = session
        self.peak_mb = 0.0
        self._page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def sample(self) -> None:
        total = 0
        proc = Path("/proc")
        if not proc.is_dir():
            return
        for entry in proc.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                # Fields after the command name (which may hold spaces) start at the last ")".
                fields = stat[stat.rindex(")") + 2 :].split()
                if int(fields[3]) != self.session:  # field 6 of stat: the session id
                    continue
                total += int((entry / "statm").read_text().split()[1]) * self._page
            except (OSError, ValueError, IndexError):
                continue
        self.peak_mb = max(self.peak_mb, total / 2**20)


def crash_note(stderr: str) -> str:
    """`XError, crashed` when a tool's output shows it stopped on an exception, else ""."""
    match = re.search(r"\b(\w+Error)\b", stderr)
    return f"crashed: {match.group(1)}" if match else ""


def install_tools(skip: Sequence[str]) -> None:
    """Install markdownlint-cli2, pymarkdownlnt and rumdl into bench/.tools/ when missing."""
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
    if "rumdl" not in skip and not RUMDL.exists():
        print(f"installing rumdl into {TOOLS / 'rumdl'}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS / "rumdl")], check=True)
        subprocess.run(
            [str(TOOLS / "rumdl" / "bin" / "pip"), "install", "-q", "rumdl"], check=True, stdout=subprocess.DEVNULL
        )


def _mdlint(*args: str) -> list[str]:
    return [sys.executable, "-m", "mdlint", "--offline", "--quiet", *args]


# mistune alone, with the plugins mdlint enables, parsing every file of a folder: the floor a
# pure-Python linter on mistune cannot go below.
_PARSE_FLOOR = """
import sys, pathlib, mistune
markdown = mistune.create_markdown(renderer=None, plugins=["table", "strikethrough"])
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    markdown(path.read_text(encoding="utf-8", errors="replace"))
"""


@dataclass
class Goal:
    """One goal of issue 16 and what this run measured for it."""

    text: str
    measured: str
    met: bool | None  # None: not measured


_GOALS: list[Goal] = []


def _goal(text: str, measured: str, met: bool | None) -> None:
    _GOALS.append(Goal(text, measured, met))


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
        measure("mistune parse floor (serial)", [sys.executable, "-c", _PARSE_FLOOR, str(folder)], ROOT, args.timeout),
    ]
    if "markdownlint" not in args.skip:
        runs.append(measure("markdownlint-cli2", [str(MARKDOWNLINT), "**/*.md"], folder, args.timeout))
    if "rumdl" not in args.skip:
        rumdl_cache = scratch / f"rumdl-cache-{name}"
        rumdl = [str(RUMDL), "check", "--cache-dir", str(rumdl_cache), "--color", "never", "."]
        runs.append(measure("rumdl cold", rumdl, folder, args.timeout))
        runs.append(measure("rumdl warm", rumdl, folder, args.timeout))
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
    _folder_goals(name, runs)
    return runs


def _find(runs: list[Measurement], tool: str) -> Measurement | None:
    return next((run for run in runs if run.tool == tool), None)


def _folder_goals(name: str, runs: list[Measurement]) -> None:
    cold, warm, serial, floor = runs[0], runs[1], runs[2], runs[3]
    markdownlint = _find(runs, "markdownlint-cli2")
    if markdownlint is not None and not markdownlint.note:
        speedup = markdownlint.wall / cold.wall if cold.wall else 0.0
        _goal(f"{name}: cold >= 4x faster than markdownlint-cli2", f"{speedup:.1f}x", speedup >= 4)
    over_floor = serial.wall / floor.wall if floor.wall else 0.0
    _goal(f"{name}: serial <= 1.5x the mistune parse floor", f"{over_floor:.2f}x", over_floor <= 1.5)
    memory = max(cold.tree_mb, serial.tree_mb)
    _goal(f"{name}: peak memory <= 150 MB, workers included", f"{memory:.0f} MB", memory <= 150)
    limit = 0.15 if "hugo" in name else 0.3
    _goal(f"{name}: warm run <= {limit} s", f"{warm.wall:.2f} s", warm.wall <= limit)
    rumdl_warm = _find(runs, "rumdl warm")
    if rumdl_warm is not None:
        _goal(
            f"{name}: warm as fast as rumdl's warm",
            f"{ratio(warm.wall, rumdl_warm.wall)}",
            warm.wall <= rumdl_warm.wall,
        )


def _print_table(name: str, folder: Path, files: int, megabytes: float, runs: list[Measurement]) -> None:
    print(f"\n## {name}: {folder} ({files} files, {megabytes:.2f} MB)")
    print(f"{'tool':<44} {'seconds':>9} {'MB/s':>7} {'peak MB':>8} {'tree MB':>8} {'exit':>4}  note")
    for run in runs:
        shown = f"~{run.wall:.2f}" if run.estimated else f"{run.wall:.2f}"
        speed = megabytes / run.wall if run.wall else 0.0
        tree = f"{run.tree_mb:8.0f}" if run.tree_mb else f"{'-':>8}"
        print(f"{run.tool:<44} {shown:>9} {speed:7.2f} {run.peak_mb:8.0f} {tree} {run.returncode:>4}  {run.note}")
    cold, warm, serial, floor = runs[0], runs[1], runs[2], runs[3]
    print(f"mdlint cold / warm: {ratio(cold.wall, warm.wall)}")
    print(f"mdlint serial without cache / cold: {ratio(serial.wall, cold.wall)}")
    print(f"mdlint serial without cache / mistune parse floor: {ratio(serial.wall, floor.wall)}")
    for run in runs[4:]:
        # A tool that crashed did not lint the folder; its time says nothing about its speed.
        if run.tool == "rumdl warm":
            print(f"mdlint warm / rumdl warm: {ratio(warm.wall, run.wall)}")
            continue
        shown = f"n/a ({run.note})" if run.note else ratio(run.wall, cold.wall)
        print(f"{run.tool} / mdlint cold: {shown}")


def _best(tool: str, command: list[str], cwd: Path, args: argparse.Namespace, times: int = 5) -> Measurement:
    return min((measure(tool, command, cwd, args.timeout) for _ in range(times)), key=lambda m: m.wall)


def one_file(args: argparse.Namespace, scratch: Path) -> None:
    """Start-up: each tool on one small file and on one archive file (best of five)."""
    folder = scratch / "one"
    folder.mkdir(parents=True, exist_ok=True)
    small = folder / "note.md"
    small.write_text("# A note\n\nSome text with a [link](https://example.com).\n", encoding="utf-8")
    archive = folder / "archive.md"
    shutil.copyfile(STUDY_ARCHIVE, archive)
    for file in (small, archive):
        tools = {"mdlint": _mdlint("--no-cache", file.name)}
        if "markdownlint" not in args.skip:
            tools["markdownlint-cli2"] = [str(MARKDOWNLINT), file.name]
        if "rumdl" not in args.skip:
            tools["rumdl"] = [str(RUMDL), "check", "--no-cache", "--color", "never", file.name]
        if "pymarkdown" not in args.skip:
            tools["pymarkdownlnt"] = [str(PYMARKDOWN), "scan", file.name]
        print(f"\n## one file: {file.name} ({file.stat().st_size / 1e3:.0f} kB, best of 5)")
        for tool, command in tools.items():
            best = _best(tool, command, folder, args)
            print(f"{tool:<44} {best.wall:9.3f} s {best.peak_mb:8.0f} MB")
            if tool == "mdlint" and file is archive:
                _goal("one archive file <= 0.2 s cold", f"{best.wall:.3f} s", best.wall <= 0.2)
    print("\n## mdlint start-up (best of 5)")
    bare = _best("python -c pass", [sys.executable, "-c", "pass"], folder, args)
    print(f"{'python -c pass':<44} {bare.wall:9.3f} s")
    for flag in ("--version", "--help", "--list-rules"):
        best = _best(f"mdlint {flag}", [sys.executable, "-m", "mdlint", flag], folder, args)
        print(f"{'mdlint ' + flag:<44} {best.wall:9.3f} s {best.peak_mb:8.0f} MB")
        _goal(f"mdlint {flag} <= 0.08 s", f"{best.wall:.3f} s", best.wall <= 0.08)


def fix_against_check(args: argparse.Namespace, scratch: Path) -> None:
    """`--fix` on N archive copies (serial and with workers) against a check of the same copies."""
    copies = args.fix_copies
    jobs = str(args.jobs or os.cpu_count() or 1)

    def fresh(label: str) -> Path:
        folder = scratch / f"fix-{label}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for index in range(copies):
            shutil.copyfile(STUDY_ARCHIVE, folder / f"copy{index:04}.md")
        return folder

    runs = [
        measure("check --jobs 1", _mdlint("--jobs", "1", "--no-cache", str(fresh("check"))), ROOT, args.timeout),
        measure(
            "--fix --jobs 1", _mdlint("--fix", "--jobs", "1", "--no-cache", str(fresh("serial"))), ROOT, args.timeout
        ),
        measure(
            f"--fix --jobs {jobs}",
            _mdlint("--fix", "--jobs", jobs, "--no-cache", str(fresh("workers"))),
            ROOT,
            args.timeout,
        ),
    ]
    print(f"\n## --fix on {copies} archive copies")
    for run in runs:
        print(f"{run.tool:<44} {run.wall:9.2f} s {run.peak_mb:8.0f} MB {run.returncode:>4}")
    check, serial, workers = runs
    print(f"--fix serial / check serial: {ratio(serial.wall, check.wall)}")
    print(f"--fix workers / --fix serial: {ratio(workers.wall, serial.wall)}")
    over = serial.wall / check.wall if check.wall else 0.0
    _goal(f"--fix on {copies} copies <= 2x a check", f"{over:.1f}x", over <= 2)
    _goal("--fix with workers faster than serial", ratio(workers.wall, serial.wall), workers.wall < serial.wall)


def _print_goals() -> None:
    print("\n## goals of issue 16")
    for goal in _GOALS:
        verdict = "-" if goal.met is None else ("met" if goal.met else "NOT met")
        print(f"{goal.text:<60} {goal.measured:>10}  {verdict}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison and print the tables."""
    args = parse_args(argv)
    # `python -m mdlint` runs this checkout's mdlint from any folder, not an installed one.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
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
        if args.fix_copies:
            fix_against_check(args, scratch)
        _print_goals()
        print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
