"""Issue 13, item 19: a link cache from elsewhere, a redirect to an impossible port, an odd Retry-After.

Each through the real command line, against real HTTP servers on 127.0.0.1.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mdlint.run.link_cache import CACHE_FILE_NAME
from tests.conftest import RunCli
from tests.links.conftest import LoopbackServer

_CONFIG = "[rules.link-dead]\nallow-private = true\ntimeout = 2.0\nbudget = 20.0\nretries = {retries}\n"
HEALTHY = "# Healthy\n\n[b](nope.md)\n"
HEALTHY_FINDING = "ok.md:3:5: error MDL040 link-dead dead link: `nope.md` does not exist"
_EXPECTED_COLUMNS = ["url", "class", "status", "final_url", "reason", "checked", "expires"]


def _folder(tmp_path: Path, text: str, retries: int = 0) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "links.md").write_text(text, encoding="utf-8")
    (tmp_path / "docs" / "ok.md").write_text(HEALTHY, encoding="utf-8")
    (tmp_path / "trusted.toml").write_text(_CONFIG.format(retries=retries), encoding="utf-8")
    return tmp_path / "docs"


def _lint(run_cli: RunCli, docs: Path, cache: Path) -> tuple[int, list[str], str]:
    done = run_cli("--config", docs.parent / "trusted.toml", "--cache-dir", cache, ".", cwd=docs)
    return done.returncode, done.stdout.splitlines(), done.stderr


def _columns(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [row[1] for row in db.execute("PRAGMA table_info(links_v1)")]


def test_a_cache_table_of_another_shape_with_a_null_reason_is_started_afresh(
    server: LoopbackServer, tmp_path: Path, run_cli: RunCli
) -> None:
    url = server.url("/dead/other-shape")
    cache = tmp_path / "cache"
    cache.mkdir()
    with sqlite3.connect(cache / CACHE_FILE_NAME) as db:
        # The same column names as mdlint's, without NOT NULL: another build's table, say.
        db.execute(
            "CREATE TABLE links_v1 (url TEXT PRIMARY KEY, class TEXT, status INTEGER, final_url TEXT,"
            " reason TEXT, checked REAL, expires REAL)"
        )
        db.execute("INSERT INTO links_v1 VALUES (?, 'ok', 200, NULL, NULL, 0, 1e12)", (url,))
    docs = _folder(tmp_path, f"[a]({url})\n")
    code, lines, errors = _lint(run_cli, docs, cache)
    assert (code, errors) == (1, "")
    assert lines[:2] == [f"links.md:1:5: error MDL040 link-dead dead link {url}: HTTP 404", HEALTHY_FINDING]
    assert _columns(cache / CACHE_FILE_NAME) == _EXPECTED_COLUMNS


def test_cache_rows_of_the_wrong_types_are_misses(server: LoopbackServer, tmp_path: Path, run_cli: RunCli) -> None:
    url = server.url("/dead/odd-row")
    cache = tmp_path / "cache"
    cache.mkdir()
    docs = _folder(tmp_path, f"[a]({url})\n")
    assert _lint(run_cli, docs, cache)[0] == 1  # creates the cache with its own table
    with sqlite3.connect(cache / CACHE_FILE_NAME) as db:
        # SQLite keeps what it is given whatever the declared type: text status, numeric URL.
        db.execute("UPDATE links_v1 SET class = 'ok', status = 'two hundred', reason = x'00' WHERE url = ?", (url,))
        db.execute("INSERT INTO links_v1 VALUES (12, 'ok', 200, NULL, 'HTTP 200', 0, 1e12)")
    server.reset()
    code, lines, errors = _lint(run_cli, docs, cache)
    assert (code, errors) == (1, "")
    assert lines[:2] == [f"links.md:1:5: error MDL040 link-dead dead link {url}: HTTP 404", HEALTHY_FINDING]
    assert server.count("/dead/odd-row") > 0  # checked again, not taken from the bad row


def test_clear_cache_removes_a_file_that_is_no_database(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / CACHE_FILE_NAME).write_bytes(b"not a database" * 100)
    done = run_cli("--cache-dir", tmp_path, "--clear-cache", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "mdlint: link cache cleared (0 entries); result cache cleared (0 entries)\n"
    assert not (tmp_path / CACHE_FILE_NAME).exists()


class _Redirects(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        self.send_response(302)
        self.send_header("Location", "http://127.0.0.1:99999/x")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def redirecting() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Redirects)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/moved"
    finally:
        server.shutdown()
        server.server_close()


def test_a_redirect_to_port_99999_is_an_invalid_redirect_target(
    redirecting: str, tmp_path: Path, run_cli: RunCli
) -> None:
    docs = _folder(tmp_path, f"[a]({redirecting})\n")
    code, lines, errors = _lint(run_cli, docs, tmp_path / "cache")
    assert (code, errors) == (1, "")
    assert lines[:2] == [
        f"links.md:1:5: error MDL040 link-dead dead link {redirecting}: it redirects to an invalid URL"
        " (Port out of range 0-65535)",
        HEALTHY_FINDING,
    ]


def test_a_retry_after_of_superscript_two_is_no_python_error(
    server: LoopbackServer, tmp_path: Path, run_cli: RunCli
) -> None:
    # `²` is a digit to str.isdigit but not to float(): the header is ignored, the retry still happens.
    docs = _folder(tmp_path, f"[a]({server.url('/ratelimit/odd?after=%C2%B2')})\n", retries=1)
    code, lines, errors = _lint(run_cli, docs, tmp_path / "cache")
    assert (code, errors) == (1, "")
    assert lines == [HEALTHY_FINDING, "Found 1 finding (1 error, 0 warnings) in 2 files."]
