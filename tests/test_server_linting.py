"""The server's lint of a buffer: the runner's findings, the kept workspace index, suppressions and
fixes checked by the fix guard, remote links served from the link cache. In-process, no LSP."""

from __future__ import annotations

import re
import threading
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from mdlint.links.results import CheckResult
from mdlint.markdown import parser
from mdlint.markdown.syntax_tree import Node
from mdlint.run.link_cache import LinkCache
from mdlint.server.index import BY_FOLDER, BY_SITE, LAYOUT, BufferChange, WorkspaceIndex
from mdlint.server.linting import BufferLinter, Suppression
from mdlint.server.related import related_places
from mdlint.server.watch import watch
from mdlint.site.workspace import RunSettings
from mdlint.testing import lint_text

PACKAGE = Path(__file__).resolve().parents[1] / "mdlint"
# Memo namespaces the index drops before every run, as a fresh workspace would not have them.
PER_RUN = {
    # Keyed by a document's identity: an id may be reused once the document is gone.
    "link-dead.anchors",
    # Keyed by a site map's identity, or answered from a site map that a save may rebuild.
    "link-dead.hugo-page",
    "link-dead.own-url",
    # Sizes and times of the `_index.md` files above a folder: any of them may be saved.
    "section-signature",
    # Parsed front matter keyed by its text: never stale, but a long-lived index would keep every
    # version of every block an editor ever held.
    "front-matter-parse",
}


def _linter(tmp_path: Path, offline: bool = True) -> BufferLinter:
    return BufferLinter(RunSettings(offline=offline, cache_dir=tmp_path / "cache"))


def test_every_memo_namespace_is_either_kept_with_a_reason_to_forget_it_or_dropped_per_run() -> None:
    # A new namespace must be classified here: kept wrongly, the server would report stale findings.
    used = set()
    for path in PACKAGE.rglob("*.py"):
        # The workspace's memo (`document.memo` is the document's own and goes with it).
        used.update(re.findall(r"(?<!document)\.memo\(\s*\"([\w.-]+)\"", path.read_text(encoding="utf-8")))
    assert used, "the scan finds the memo calls"
    assert used == (BY_FOLDER | BY_SITE | LAYOUT | PER_RUN)


def test_a_buffer_is_linted_as_the_command_line_lints_the_same_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = "# T\n\nSee [x](example.com/a), a\u00a0space and **강조**입니다.\n"
    outcome = _linter(tmp_path).lint(tmp_path / "page.md", text)
    assert outcome.problem is None
    assert outcome.findings == lint_text(text, path="page.md")
    assert [finding.path for finding in outcome.findings] == ["page.md"] * len(outcome.findings)


def test_a_file_that_cannot_be_linted_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    linter = _linter(tmp_path)
    assert linter.lint(tmp_path / "a.md", "a\x00b").problem is not None
    (tmp_path / ".mdlint.toml").write_text("select = [", encoding="utf-8")
    linter.configs.forget()  # as a watched-file event makes the server do
    problem = linter.lint(tmp_path / "b.md", "# B\n").problem
    assert problem is not None and problem.startswith("configuration error:")
    # Remembered until the configuration changes, then read again.
    (tmp_path / ".mdlint.toml").write_text('exclude = ["b.md"]\n', encoding="utf-8")
    assert linter.lint(tmp_path / "b.md", "# B\n").problem is not None
    linter.configs.forget()
    assert linter.lint(tmp_path / "b.md", "# B\n").problem is None
    assert linter.excluded(tmp_path / "b.md") and not linter.excluded(tmp_path / "c.md")


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the parser is given from now on, in order."""
    bodies: list[str] = []
    real = parser.parse_text

    def parse_text(body: str, *args: Any) -> Node:
        bodies.append(body)
        return real(body, *args)

    monkeypatch.setattr(parser, "parse_text", parse_text)
    return bodies


def test_a_buffer_over_max_file_size_is_one_problem_and_is_not_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    # `max-memory` cannot bound the lint thread (it limits the whole process); `max-file-size`
    # does bound what the server parses, as it bounds the command line.
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".mdlint.toml").write_text("max-file-size = 64\n", encoding="utf-8")
    linter = _linter(tmp_path)
    outcome = linter.lint(tmp_path / "a.md", "# A\n\n" + "word " * 20 + "\n")
    assert outcome.problem == "standard input is over the 6.10352e-05 MiB limit (option max-file-size)"
    assert outcome.findings == [] and parsed == []
    assert linter.lint(tmp_path / "a.md", "# A\n\nShort.\n").problem is None
    assert parsed == ["# A\n\nShort.\n"]


def test_a_sibling_buffer_stands_in_for_its_file_and_only_front_matter_edits_make_the_folder_stale(
    tmp_path: Path,
) -> None:
    for name in "bcdef":
        (tmp_path / f"{name}.md").write_text(f"---\ntitle: {name}\ndate: 2024-01-01\n---\n", encoding="utf-8")
    linter = _linter(tmp_path)
    a = tmp_path / "a.md"
    text = "---\ntitle: a\n---\n"
    a.write_text(text, encoding="utf-8")  # a buffer of a file not on disk has no folder
    assert [f.rule for f in linter.lint(a, text).findings] == ["front-matter-missing"]
    index = linter.index
    # Opening a file as it is on disk, and body edits, keep the folder's summary; a front-matter edit drops it.
    b = tmp_path / "b.md"
    assert index.set_buffer(b, "---\ntitle: b\ndate: 2024-01-01\n---\n") == BufferChange(False, False)
    assert index.set_buffer(b, "---\ntitle: b\ndate: 2024-01-01\n---\n\nbody\n") == BufferChange(False, False)
    # A heading is something other files link to.
    assert index.set_buffer(b, "---\ntitle: b\ndate: 2024-01-01\n---\n\n## Notes\nbody\n") == BufferChange(False, True)
    assert index.set_buffer(b, "---\ntitle: b\n---\n\n## Notes\nbody\n") == BufferChange(True, False)
    assert linter.lint(a, text).findings == []
    index.close_buffer(tmp_path / "b.md")
    assert [f.rule for f in linter.lint(a, text).findings] == ["front-matter-missing"]


def test_the_index_keeps_folder_summaries_between_runs_until_a_file_changes(tmp_path: Path) -> None:
    index = WorkspaceIndex(RunSettings(offline=True))
    calls: list[str] = []
    folder = tmp_path.resolve()
    index.memo("front-matter-folder", folder, lambda: calls.append("scan"))
    index.begin_run()
    index.memo("front-matter-folder", folder, lambda: calls.append("scan"))
    index.memo("link-dead.anchors", 1, lambda: calls.append("anchors"))
    index.begin_run()
    index.memo("link-dead.anchors", 1, lambda: calls.append("anchors"))
    assert calls == ["scan", "anchors", "anchors"]
    index.file_changed(folder / "x.md")
    index.memo("front-matter-folder", folder, lambda: calls.append("scan"))
    assert calls[-1] == "scan"


def test_a_folder_summary_keyed_by_its_folder_and_options_is_forgotten_with_the_folder(tmp_path: Path) -> None:
    index = WorkspaceIndex(RunSettings(offline=True))
    calls: list[str] = []
    folder = tmp_path.resolve()
    for _ in range(2):
        index.memo("front-matter-shape-folder", (folder, "{}"), lambda: calls.append("scan"))
        index.begin_run()
    assert calls == ["scan"]
    index.file_changed(tmp_path / "other" / "x.md")
    index.memo("front-matter-shape-folder", (folder, "{}"), lambda: calls.append("scan"))
    assert calls == ["scan"]
    index.file_changed(folder / "x.md")
    index.memo("front-matter-shape-folder", (folder, "{}"), lambda: calls.append("scan"))
    assert calls == ["scan", "scan"]


def test_related_places_of_an_inferred_field_are_the_siblings_that_set_it(tmp_path: Path) -> None:
    for name in "bcdef":
        (tmp_path / f"{name}.md").write_text(f"---\ntitle: {name}\ndate: 2024-01-01\n---\n", encoding="utf-8")
    linter = _linter(tmp_path)
    (tmp_path / "a.md").write_text("---\ntitle: a\n---\n", encoding="utf-8")
    outcome = linter.lint(tmp_path / "a.md", "---\ntitle: a\n---\n")
    assert outcome.document is not None
    (finding,) = outcome.findings
    places = related_places(finding, outcome.document, linter.index)
    assert [(place.path.name if place.path else None, place.message) for place in places] == [
        (f"{name}.md", f"{name}.md sets `date`") for name in "bcdef"
    ]
    first = places[0]
    assert first.document.text[first.start : first.end] == "date: 2024-01-01"


def _suppress(linter: BufferLinter, path: Path, text: str, rule: str) -> tuple[Suppression | str, str]:
    outcome = linter.lint(path, text)
    finding = next(f for f in outcome.findings if f.rule == rule)
    suppression = linter.suppression(outcome, finding)
    if isinstance(suppression, str):
        return suppression, text
    edit = suppression.edit
    return suppression, text[: edit.start] + edit.replacement + text[edit.end :]


def test_disable_for_this_line_goes_at_the_end_of_the_line_and_switches_the_finding_off(tmp_path: Path) -> None:
    linter = _linter(tmp_path)
    path = tmp_path / "a.md"
    text = "# T\n\n- one [x](example.com/a)  \n  two\n"
    suppression, fixed = _suppress(linter, path, text, "link-missing-scheme")
    assert isinstance(suppression, Suppression)
    assert suppression.title == "Disable link-missing-scheme for this line"
    # Before the trailing spaces, so the hard line break stays.
    assert "[x](example.com/a)<!-- mdlint-disable-line link-missing-scheme -->  \n" in fixed
    assert linter.lint(path, fixed).findings == []


def test_where_an_end_of_line_comment_would_change_the_page_it_goes_on_a_line_of_its_own(tmp_path: Path) -> None:
    # After a backslash, `<` is escaped: the comment would be text. The guard says so; the next
    # place (a line of its own before) is checked instead.
    linter = _linter(tmp_path)
    path = tmp_path / "a.md"
    text = "# T\r\n\r\n> See [x](example.com/a)\\\r\n"
    suppression, fixed = _suppress(linter, path, text, "link-missing-scheme")
    assert isinstance(suppression, Suppression), suppression
    assert "> <!-- mdlint-disable-next-line link-missing-scheme -->\r\n> See" in fixed
    assert linter.lint(path, fixed).findings == []


def test_a_finding_in_front_matter_is_switched_off_for_the_file(tmp_path: Path) -> None:
    linter = _linter(tmp_path)
    path = tmp_path / "2024-01-02-post.md"
    text = "---\ntitle: Post\ndate: 2024-01-01\n---\n\n# Post\n"
    suppression, fixed = _suppress(linter, path, text, "front-matter-mismatch")
    assert isinstance(suppression, Suppression), suppression
    assert suppression.title == "Disable front-matter-mismatch for this file"
    assert fixed.startswith(
        "---\ntitle: Post\ndate: 2024-01-01\n---\n<!-- mdlint-disable-file front-matter-mismatch -->\n"
    )
    assert [f.rule for f in linter.lint(path, fixed).findings] == []


def test_a_fix_goes_through_the_guard_and_fix_all_is_the_command_lines_fix(tmp_path: Path) -> None:
    linter = _linter(tmp_path)
    path = tmp_path / "a.md"
    text = "# T\n\nSee [x](example.com/a) and [y](example.org/b).\n"
    outcome = linter.lint(path, text)
    assert all(linter.fix_refusal(outcome, finding) is None for finding in outcome.findings)
    assert linter.fix_all(path, text) == text.replace("(example", "(https://example")
    assert linter.fix_all(path, "# T\n") is None


def test_the_fix_guard_compares_with_the_lints_own_parse_and_parses_only_the_fixed_text(
    tmp_path: Path, parsed: list[str]
) -> None:
    linter = _linter(tmp_path)
    text = "# T\n\nSee [x](example.com/a).\n"
    outcome = linter.lint(tmp_path / "a.md", text)
    assert parsed == [text]
    (finding,) = outcome.findings
    assert linter.fix_refusal(outcome, finding) is None
    assert parsed == [text, text.replace("(example", "(https://example")]


def test_remote_links_come_from_the_link_cache_and_a_lint_never_waits_on_the_network(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cache = LinkCache.open(cache_dir)
    assert cache is not None
    cache.store([CheckResult("https://dead.invalid/gone", "dead", 404, None, "HTTP 404")])
    cache.close()
    linter = _linter(tmp_path, offline=False)
    text = "# T\n\n[gone](https://dead.invalid/gone) and [new](https://unknown.invalid/x).\n"
    started = time.perf_counter()
    outcome = linter.lint(tmp_path / "a.md", text)
    assert time.perf_counter() - started < 10
    assert [(f.rule, f.message) for f in outcome.findings] == [
        ("link-dead", "dead link https://dead.invalid/gone: HTTP 404")
    ]
    assert linter.remote is not None
    ((_settings, missing),) = linter.remote.take_missing()
    assert missing == {"https://unknown.invalid/x"}
    assert linter.remote.take_missing() == []
    # What a check after a save found is shown too, even an outcome the cache does not keep.
    unreachable = CheckResult("https://unknown.invalid/x", "unreachable", None, None, "timed out")
    linter.remote.remember([{unreachable.url: unreachable}])
    messages = [f.message for f in linter.lint(tmp_path / "a.md", text).findings]
    assert messages == [
        "dead link https://dead.invalid/gone: HTTP 404",
        "link unreachable https://unknown.invalid/x: timed out",
    ]


def test_watch_lints_again_when_a_file_changes(tmp_path: Path) -> None:
    page = tmp_path / "a.md"
    page.write_text("# A\n", encoding="utf-8")
    rounds: list[float] = []
    done = threading.Event()
    out = StringIO()

    def lint() -> int:
        rounds.append(time.monotonic())
        return len(rounds)

    thread = threading.Thread(
        target=watch, args=([str(tmp_path)], lint), kwargs={"interval": 0.05, "out": out, "stop": done.is_set}
    )
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not rounds and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)
        assert len(rounds) == 1, "nothing changed yet"
        page.write_text("# A changed\n", encoding="utf-8")
        while len(rounds) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        done.set()
        thread.join(10)
    assert len(rounds) == 2
    assert f"changed: {page}" in out.getvalue()
