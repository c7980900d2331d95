"""The rule over the network and the link cache: classes, severities, once-per-run, cache reuse."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from mdlint.findings import Finding, Severity
from mdlint.links.remote import CheckResult
from mdlint.run.link_cache import CACHE_FILE_NAME, LinkCache, clear_cache
from mdlint.site.workspace import RunSettings
from mdlint.testing import lint_text
from tests.links.conftest import LoopbackServer

OPTIONS = {"allow-private": True, "timeout": 0.5, "budget": 5.0, "retries": 0}


def lint(text: str, cache_dir: Path, strict: bool = False, offline: bool = False, **extra: Any) -> list[Finding]:
    settings = RunSettings(offline=offline, strict=strict, cache_dir=cache_dir)
    return lint_text(text, "link-dead", options={"link-dead": {**OPTIONS, **extra}}, settings=settings)


def test_classes_severities_and_extra(server: LoopbackServer, tmp_path: Path) -> None:
    text = f"[a]({server.url('/dead/1')}) <{server.url('/forbidden/1')}> [c]({server.url('/ok/1')})\n"
    findings = lint(text, tmp_path)
    assert [(f.extra["class"], f.severity) for f in findings] == [
        ("dead", Severity.ERROR),
        ("blocked", Severity.WARNING),
    ]
    assert findings[0].message == f"dead link {server.url('/dead/1')}: HTTP 404"
    assert findings[0].extra["status"] == 404
    # The finding spans exactly the URL, also inside an autolink's angle brackets.
    spans = [text[f.column - 1 : f.end_column - 1] for f in findings]
    assert spans == [server.url("/dead/1"), server.url("/forbidden/1")]
    strict = lint(text, tmp_path / "other", strict=True)
    assert {f.severity for f in strict} == {Severity.ERROR}


def test_offline_checks_only_local_links(server: LoopbackServer, tmp_path: Path) -> None:
    findings = lint(f"[a]({server.url('/dead/2')}) [b](#nowhere)\n", tmp_path, offline=True)
    assert [f.extra["url"] for f in findings] == ["#nowhere"]
    assert server.count() == 0


def test_exclude_and_same_url_once(server: LoopbackServer, tmp_path: Path) -> None:
    text = f"[a]({server.url('/dead/3')}) [b]({server.url('/dead/3#x')}) [c]({server.url('/dead/skip')})\n"
    findings = lint(text, tmp_path, exclude=["/skip$"])
    assert len(findings) == 2
    assert server.count() == 2  # HEAD then GET for the one distinct URL


def test_second_run_sends_no_request_for_fresh_entries(server: LoopbackServer, tmp_path: Path) -> None:
    text = "".join(f"- [x]({server.url(path)})\n" for path in ("/ok/c1", "/ok/c2", "/dead/c3", "/forbidden/c4"))
    first = lint(text, tmp_path)
    sent = server.count()
    assert sent > 0
    server.reset()
    second = lint(text, tmp_path)
    # ok and dead come from the cache; a blocked result is not trusted and is checked again.
    assert [h.path for h in server.hits if h.method == "HEAD"] == ["/forbidden/c4"]
    assert [f.message for f in second] == [f.message for f in first]
    assert clear_cache(tmp_path) == 3
    assert clear_cache(tmp_path / "never-created") == 0


def test_cache_ttl_per_outcome(tmp_path: Path) -> None:
    cache = LinkCache.open(tmp_path)
    assert cache is not None
    with cache:
        now = 1_000_000.0
        cache.store(
            [
                CheckResult("https://a.org/", "ok", 200, None, "HTTP 200"),
                CheckResult("https://a.org/dead", "dead", 404, None, "HTTP 404"),
                CheckResult("https://a.org/slow", "unreachable", None, None, "timed out"),
                CheckResult("https://a.org/late", "unreachable", None, None, "not checked: the time budget ran out"),
                CheckResult("https://a.org/busy", "rate-limited", 429, None, "HTTP 429 after retries"),
            ],
            now=now,
        )
        urls = [
            "https://a.org/",
            "https://a.org/dead",
            "https://a.org/slow",
            "https://a.org/late",
            "https://a.org/busy",
        ]
        # A timeout is remembered for about an hour, so the next runs of the afternoon do not wait
        # on that host again; a link left unchecked and a 429 are not remembered.
        assert set(cache.fresh(urls, now=now + 60)) == {"https://a.org/", "https://a.org/dead", "https://a.org/slow"}
        assert set(cache.fresh(urls, now=now + 2 * 3600)) == {"https://a.org/", "https://a.org/dead"}
        assert set(cache.fresh(urls, now=now + 2 * 86400)) == {"https://a.org/"}
        assert set(cache.fresh(urls, now=now + 9 * 86400)) == set()


def test_unusable_cache_means_no_cache(server: LoopbackServer, tmp_path: Path) -> None:
    (tmp_path / CACHE_FILE_NAME).write_bytes(b"this is not a database" * 100)
    findings = lint(f"[a]({server.url('/dead/broken-cache')})\n", tmp_path)
    assert [f.extra["class"] for f in findings] == ["dead"]


_CHILD = """
import sys
from pathlib import Path
from mdlint.testing import lint_text
from mdlint.site.workspace import RunSettings
base, cache = sys.argv[1], Path(sys.argv[2])
text = "".join(f"- [x]({base}/{'dead' if i % 5 == 0 else 'ok'}/p{i})\\n" for i in range(60))
options = {"link-dead": {"allow-private": True, "timeout": 2.0, "budget": 20.0}}
findings = lint_text(text, "link-dead", options=options, settings=RunSettings(cache_dir=cache))
print(len(findings))
"""


def test_two_processes_share_the_cache(server: LoopbackServer, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, server.base, str(tmp_path)], stdout=subprocess.PIPE, text=True, env=env
        )
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=60)[0].strip() for child in children]
    assert [child.returncode for child in children] == [0, 0]
    assert outputs == ["12", "12"]
    connection = sqlite3.connect(tmp_path / CACHE_FILE_NAME)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM links_v1").fetchone() == (60,)
    finally:
        connection.close()
    server.reset()
    assert lint("".join(f"- [x]({server.url(f'/ok/p{i}')})\n" for i in range(1, 60) if i % 5), tmp_path) == []
    assert server.count() == 0
