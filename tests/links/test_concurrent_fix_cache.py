"""Two `mdlint --fix` processes on one tree with one link cache at once: both finish, all is intact."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from mdlint.run.link_cache import CACHE_FILE_NAME
from tests.conftest import REPO
from tests.links.conftest import LoopbackServer

_CONFIG = "[rules.link-dead]\nallow-private = true\ntimeout = 2.0\nbudget = 30.0\nretries = 0\n"


def _page(server: LoopbackServer, index: int) -> str:
    links = "".join(
        f"- [{kind} {index}-{n}]({server.url(f'/{kind}/p{index}-{n}')})\n"
        for n, kind in enumerate(["ok", "ok", "dead", "ok"])
    )
    return f"# Page {index}\n\nSee [paper](arxiv.org/abs/{index}) and\u00a0more.\n\n{links}"


def test_two_fix_runs_share_the_link_cache(server: LoopbackServer, tmp_path: Path) -> None:
    tree = tmp_path / "notes"
    tree.mkdir()
    (tree / ".mdlint.toml").write_text(_CONFIG, encoding="utf-8")
    for index in range(30):
        (tree / f"page{index:02}.md").write_text(_page(server, index), encoding="utf-8")
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "mdlint", "--fix", "--cache-dir", str(cache), "--quiet", str(tree)]
    runs = [
        # Run from the tree: its config is then the run's root config, which may allow private addresses.
        subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode in (1, 2), err  # the dead links are errors; 2 when the other run wrote first
        assert "Traceback" not in err
        assert all(
            line.endswith("changed on disk while mdlint was fixing it; not written") for line in err.splitlines()
        )
        assert out.count(": HTTP 404") == out.count("link-dead dead link http://127.0.0.1:") == 30
    for index in range(30):
        text = (tree / f"page{index:02}.md").read_text(encoding="utf-8")
        assert text == _page(server, index).replace("(arxiv.org", "(https://arxiv.org").replace("\u00a0", " ")
    connection = sqlite3.connect(cache / CACHE_FILE_NAME)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = dict(connection.execute("SELECT url, class FROM links_v1").fetchall())
    finally:
        connection.close()
    # The fixed arxiv.org links are checked too, after the fix; what they give depends on this
    # machine's network (an unreachable result is kept for an hour as well), so only the loopback
    # links are counted.
    rows = {url: kind for url, kind in rows.items() if url.startswith(server.url("/"))}
    assert len(rows) == 120
    assert sorted(set(rows.values())) == ["dead", "ok"]
    assert all((kind == "dead") == ("/dead/" in url) for url, kind in rows.items())
