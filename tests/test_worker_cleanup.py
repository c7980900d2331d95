"""A parallel run that is killed leaves no worker process behind (SIGTERM and SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid`, read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name (field 2) may hold spaces and parentheses; the parent pid follows the last ')'.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"  # a zombie has exited; only its entry is left


@pytest.mark.parametrize("kill_signal", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_parallel_run_leaves_no_worker(tmp_path: Path, kill_signal: signal.Signals) -> None:
    # Enough files, each long enough, that the run is still linting when it is killed.
    paragraph = "Some text with a [link](https://example.com/) and *emphasis* here.\n\n"
    for index in range(48):
        (tmp_path / f"file{index:02}.md").write_text(f"# File {index}\n\n" + paragraph * 3000, encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    process = subprocess.Popen(
        [sys.executable, "-m", "mdlint", "--offline", "--no-cache", "--jobs", "2", "--select", "all", "."],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            workers = _children(process.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the run never started its two workers"
        time.sleep(0.3)  # let the workers take their first files
        assert process.poll() is None, "the run finished before it could be killed; give it more work"
        process.send_signal(kill_signal)
        process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if _alive(pid)], f"workers outlived a {kill_signal.name} of their parent"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_worker_whose_parent_is_already_gone_exits() -> None:
    # The parent can die between the fork and prctl; the worker must notice and not wait forever.
    code = "from mdlint.run.parallel import _exit_with_parent; _exit_with_parent(2**22 + 1); print('survived')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert "survived" not in result.stdout


# The worker: pretends not to be on Linux, so only the watchdog thread can notice its parent dying.
_WATCHED_WORKER = """
import os, sys, time
sys.platform = "darwin"
from mdlint.run.parallel import _exit_with_parent
_exit_with_parent(os.getppid())
print("ready", flush=True)
time.sleep(60)
"""
# Its parent: starts the worker, waits until the watchdog runs, prints the worker's pid and dies.
_DYING_PARENT = """
import subprocess, sys
worker = subprocess.Popen(
    [sys.executable, "-c", sys.argv[1]], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
)
assert worker.stdout is not None and worker.stdout.readline() == "ready\\n"
print(worker.pid, flush=True)
"""


def test_watchdog_ends_a_worker_without_prctl() -> None:
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    parent = subprocess.run(
        [sys.executable, "-c", _DYING_PARENT, _WATCHED_WORKER],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        check=True,
    )
    worker = int(parent.stdout.strip())
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(worker):
        os.kill(worker, signal.SIGKILL)
        pytest.fail("the watchdog did not end a worker whose parent died")
