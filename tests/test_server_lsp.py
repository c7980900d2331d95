"""`mdlint server` end to end: a real LSP client (pytest-lsp) drives the server over stdio.

Each test starts the server as a user's editor would (`python -m mdlint server`), in a workspace
folder of its own, and speaks to it only through the protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient as BaseLanguageClient
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from tests.conftest import REPO, SHARED
from tests.links.conftest import LoopbackServer, http_server

__all__ = ["http_server"]  # the loopback HTTP server's fixture, used here as in the link tests

pytestmark = pytest.mark.xdist_group("lsp")

# The emoji are several code points and UTF-16 code units each: 🧑🏻‍💻 is 4 code points (7 UTF-16
# units), 📜 one code point (2 units); Hangul syllables are one of each.
LINE = "🧑🏻‍💻 📜 한국어 노트 [link](example.com/notes)"
TEXT = f"# Notes\n\n{LINE}\n"
WAIT = 20.0


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _server_env(tmp_path: Path) -> dict[str, str]:
    own = {"PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    return {**os.environ, **own}


async def _start(client: LanguageClient, root: Path, spec: str = "visual-studio-code", encoding: str = "") -> None:
    registrations: list[types.RegistrationParams] = []

    def register(params: types.RegistrationParams) -> None:
        registrations.append(params)

    client.feature(types.CLIENT_REGISTER_CAPABILITY)(register)
    client.registrations = registrations  # type: ignore[attr-defined]
    capabilities = client_capabilities(spec)
    if encoding:
        capabilities.general = types.GeneralClientCapabilities(position_encodings=[encoding])
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(root.as_uri(), root.name)],
        )
    )
    assert result.capabilities.code_action_provider is not None
    assert result.capabilities.position_encoding == (encoding or "utf-16")


def _recording_client() -> LanguageClient:
    """pytest-lsp's client that also keeps every diagnostics notification, in order (`published`)."""
    client = LanguageClient(converter_factory=default_converter)
    published: list[types.PublishDiagnosticsParams] = []

    def publish_diagnostics(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        published.append(params)

    register_lsp_features(
        client, {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish_diagnostics}
    )
    client.published = published  # type: ignore[attr-defined]
    return client


def _config(tmp_path: Path, offline: bool = True) -> ClientServerConfig:
    command = [sys.executable, "-m", "mdlint", "server", *(["--offline"] if offline else [])]
    return ClientServerConfig(
        server_command=command, server_env=_server_env(tmp_path), client_factory=_recording_client
    )


@contextlib.asynccontextmanager
async def _session(
    tmp_path: Path, spec: str = "visual-studio-code", encoding: str = "", offline: bool = True
) -> AsyncIterator[LanguageClient]:
    """A server started in `tmp_path` as its workspace folder, initialized; shut down at the end."""
    client = await _config(tmp_path, offline).start()
    assert isinstance(client, LanguageClient)
    try:
        await _start(client, tmp_path, spec, encoding)
        yield client
        await client.shutdown_session()
    finally:
        # After a failed assertion too: a server never told to exit would keep `stop` waiting.
        server = getattr(client, "_server", None)
        if server is not None and server.returncode is None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.shutdown_session(), WAIT)
            if server.returncode is None:
                server.kill()
        await client.stop()  # type: ignore[no-untyped-call]


async def _diagnostics(
    client: LanguageClient, uri: str, ready: Callable[[Sequence[types.Diagnostic]], bool]
) -> Sequence[types.Diagnostic]:
    """The diagnostics of `uri` once `ready` holds for them (polled: publishes may come before we wait)."""
    deadline = asyncio.get_running_loop().time() + WAIT
    while True:
        found = client.diagnostics.get(uri)
        if found is not None and ready(found):
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"diagnostics of {uri} never became ready; last: {found}")
        await asyncio.sleep(0.02)


def _open(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "markdown", version, text))
    )
    return uri


def _change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version, uri),
            [types.TextDocumentContentChangeWholeDocument(text)],
        )
    )


def _apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    """`text` with LSP text edits (UTF-16 positions) applied, as an editor applies a workspace edit."""
    lines = text.splitlines(keepends=True)

    def offset(position: types.Position) -> int:
        before = sum(len(line) for line in lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        units = 0
        for index, character in enumerate(line):
            if units >= position.character:
                return before + index
            units += _units(character)
        return before + len(line)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
        lines = text.splitlines(keepends=True)
    return text


def _rules(diagnostics: Sequence[types.Diagnostic]) -> list[str]:
    return sorted(str(diagnostic.code) for diagnostic in diagnostics)


@pytest.mark.asyncio
async def test_shutdown_and_exit_end_the_server_with_exit_code_0_and_nothing_on_stderr(tmp_path: Path) -> None:
    # pygls's own client: pytest-lsp's reads the server's standard error itself.
    client = BaseLanguageClient("mdlint-test", "1")
    command = [sys.executable, "-m", "mdlint", "server", "--offline"]
    await client.start_io(*command, cwd=str(tmp_path), env=_server_env(tmp_path))
    try:
        await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
        client.initialized(types.InitializedParams())
        await client.shutdown_async(None)
        client.exit(None)
        server = client._server
        assert server is not None and server.stderr is not None
        errors = await asyncio.wait_for(server.stderr.read(), WAIT)
        assert await asyncio.wait_for(server.wait(), WAIT) == 0
        assert errors.decode() == ""
    finally:
        await client.stop()  # type: ignore[no-untyped-call]


@pytest.mark.asyncio
async def test_diagnostics_count_utf16_units_on_a_line_with_emoji_and_hangul(tmp_path: Path) -> None:
    async with _session(tmp_path) as client:
        uri = _open(client, tmp_path / "notes.md", TEXT)
        (diagnostic,) = await _diagnostics(client, uri, lambda found: bool(found))
        assert diagnostic.code == "link-missing-scheme"
        assert diagnostic.source == "mdlint"
        assert diagnostic.severity == types.DiagnosticSeverity.Error
        assert diagnostic.code_description is not None
        assert diagnostic.code_description.href.endswith("link-missing-scheme.md")
        before = LINE[: LINE.index("[link]")]
        assert diagnostic.range.start == types.Position(2, _units(before))
        assert diagnostic.range.end == types.Position(2, _units(before + "[link](example.com/notes)"))
        # 14 code points but 18 UTF-16 units before the link: a server counting code points is off by 4.
        assert (len(before), _units(before)) == (14, 18)

        # An edit after the emoji moves the finding; the new range is counted the same way.
        changed = TEXT.replace("노트", "노트 더")
        _change(client, uri, 2, changed)
        (moved,) = await _diagnostics(client, uri, lambda found: bool(found) and found[0].range != diagnostic.range)
        assert moved.range.start == types.Position(2, _units(before) + 2)


@pytest.mark.asyncio
async def test_a_client_that_counts_utf8_bytes_gets_byte_columns(tmp_path: Path) -> None:
    # A client may offer UTF-8 (Neovim does); the server counts in what was agreed at initialize.
    async with _session(tmp_path, "neovim", encoding="utf-8") as client:
        uri = _open(client, tmp_path / "notes.md", TEXT)
        (diagnostic,) = await _diagnostics(client, uri, lambda found: bool(found))
        before = LINE[: LINE.index("[link]")]
        assert diagnostic.range.start.character == len(before.encode("utf-8"))


SAMPLE = (
    "---\ntitle: Notes\ntitle: again\n---\n\n"
    f"# Notes\n\n{LINE}\n\n"
    "A\u00a0no-break space, **강조**입니다 and [dead](missing.md).\n\n"
    "<details>\n<summary>Open</summary>\n\n- [a](https://example.com/a)\n- [b](https://example.com/a)\n"
)


@pytest.mark.asyncio
@pytest.mark.parametrize("source", ["sample", "study-archive"])
async def test_diagnostics_equal_what_the_command_line_reports(tmp_path: Path, source: str) -> None:
    if source == "sample":
        body = SAMPLE
    else:
        archive = SHARED / "corpus" / "study-archive" / "README.md"
        if not archive.is_file():
            pytest.skip("the shared corpus is not here")
        body = archive.read_text(encoding="utf-8")
    async with _session(tmp_path) as client:
        uri = _open(client, tmp_path / "page.md", body)
        published = await _diagnostics(client, uri, lambda found: bool(found))
    report = subprocess.run(
        [sys.executable, "-m", "mdlint", "--offline", "--no-cache", "--format", "json", "page.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=_server_env(tmp_path),
        check=False,
    )
    findings = json.loads(report.stdout)["findings"]
    assert len(findings) >= 5
    lines = body.splitlines()

    def position(line: int, column: int) -> tuple[int, int]:
        return line - 1, _units(lines[line - 1][: column - 1]) if line <= len(lines) else 0

    expected = [
        (
            f["rule"],
            f["message"],
            f["severity"],
            position(f["line"], f["column"]),
            position(f["end_line"], f["end_column"]),
        )
        for f in findings
    ]
    names = {1: "error", 2: "warning", 3: "information"}
    got = [
        (
            str(d.code),
            d.message,
            names[int(d.severity or 1)].replace("information", "info"),
            (d.range.start.line, d.range.start.character),
            (d.range.end.line, d.range.end.character),
        )
        for d in published
    ]
    assert got == expected


@pytest.mark.asyncio
async def test_quick_fix_suppression_and_fix_all_are_edits_that_clear_the_diagnostics(tmp_path: Path) -> None:
    text = f"# Notes\n\n{LINE}\n\nSee [b](example.org/b) and [c](example.net/c).\n"
    async with _session(tmp_path) as client:
        uri = _open(client, tmp_path / "notes.md", text)
        found = await _diagnostics(client, uri, lambda found: len(found) == 3)
        first = found[0]
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri), first.range, types.CodeActionContext(diagnostics=[first])
            )
        )
        assert actions is not None
        by_title = {action.title: action for action in actions if isinstance(action, types.CodeAction)}
        assert set(by_title) == {
            "Fix link-missing-scheme",
            "Disable link-missing-scheme for this line",
            "Fix all safe mdlint fixes in this file",
        }
        assert by_title["Fix all safe mdlint fixes in this file"].kind == "source.fixAll.mdlint"
        fix = by_title["Fix link-missing-scheme"]
        assert fix.is_preferred and fix.kind == types.CodeActionKind.QuickFix
        assert fix.edit is not None and fix.edit.changes is not None

        # The quick fix: the editor applies the edit and sends the new text.
        fixed = _apply(text, fix.edit.changes[uri])
        assert "(https://example.com/notes)" in fixed
        _change(client, uri, 2, fixed)
        found = await _diagnostics(client, uri, lambda found: len(found) == 2)
        assert all(diagnostic.range.start.line == 4 for diagnostic in found)

        # Disable for this line: a suppression comment the fix guard accepted.
        second = found[0]
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri), second.range, types.CodeActionContext(diagnostics=[second])
            )
        )
        assert actions is not None
        (disable,) = [a for a in actions if isinstance(a, types.CodeAction) and a.title.startswith("Disable")]
        assert disable.edit is not None and disable.edit.changes is not None
        suppressed = _apply(fixed, disable.edit.changes[uri])
        assert "<!-- mdlint-disable-line link-missing-scheme -->" in suppressed
        _change(client, uri, 3, suppressed)
        await _diagnostics(client, uri, lambda found: not found)

        # Fix all: the source action a client runs on save.
        _change(client, uri, 4, text)
        await _diagnostics(client, uri, lambda found: len(found) == 3)
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri),
                types.Range(types.Position(0, 0), types.Position(0, 0)),
                types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
            )
        )
        assert actions is not None
        (fix_all,) = actions
        assert isinstance(fix_all, types.CodeAction) and fix_all.kind == "source.fixAll.mdlint"
        assert fix_all.edit is not None and fix_all.edit.changes is not None
        all_fixed = _apply(text, fix_all.edit.changes[uri])
        assert all_fixed.count("https://") == 3
        _change(client, uri, 5, all_fixed)
        await _diagnostics(client, uri, lambda found: not found)


@pytest.mark.asyncio
async def test_hover_on_a_diagnostic_shows_the_rule_page(tmp_path: Path) -> None:
    async with _session(tmp_path) as client:
        uri = _open(client, tmp_path / "notes.md", TEXT)
        (diagnostic,) = await _diagnostics(client, uri, lambda found: bool(found))
        hover = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), diagnostic.range.start)
        )
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert hover.contents.kind == types.MarkupKind.Markdown
        assert "link-missing-scheme" in hover.contents.value
        assert "## Fix safety" in hover.contents.value or "Fix safety" in hover.contents.value
        elsewhere = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 0))
        )
        assert elsewhere is None


@pytest.mark.asyncio
async def test_a_config_change_updates_the_diagnostics(tmp_path: Path) -> None:
    async with _session(tmp_path) as client:
        registrations = client.registrations  # type: ignore[attr-defined]
        uri = _open(client, tmp_path / "notes.md", TEXT)
        await _diagnostics(client, uri, lambda found: _rules(found) == ["link-missing-scheme"])
        assert registrations, "the server asks to be told about changed files"

        config = tmp_path / ".mdlint.toml"
        config.write_text('[rules.link-missing-scheme]\nseverity = "warning"\n', encoding="utf-8")
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams([types.FileEvent(config.as_uri(), types.FileChangeType.Created)])
        )
        (warning,) = await _diagnostics(
            client, uri, lambda found: bool(found) and found[0].severity == types.DiagnosticSeverity.Warning
        )
        assert warning.code == "link-missing-scheme"

        config.write_text('ignore = ["link-missing-scheme"]\n', encoding="utf-8")
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams([types.FileEvent(config.as_uri(), types.FileChangeType.Changed)])
        )
        await _diagnostics(client, uri, lambda found: not found)

        # A broken configuration is one diagnostic, not a crash; fixing it brings the findings back.
        config.write_text('ignore = ["no-such-rule"]\n', encoding="utf-8")
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams([types.FileEvent(config.as_uri(), types.FileChangeType.Changed)])
        )
        (problem,) = await _diagnostics(client, uri, lambda found: bool(found) and "no-such-rule" in found[0].message)
        assert problem.message.startswith("mdlint could not lint this file: configuration error")
        config.unlink()
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams([types.FileEvent(config.as_uri(), types.FileChangeType.Deleted)])
        )
        await _diagnostics(client, uri, lambda found: _rules(found) == ["link-missing-scheme"])


def _post(title: str, date: bool = True) -> str:
    fields = f"title: {title}\n" + ("date: 2024-01-01\n" if date else "")
    return f"---\n{fields}---\n\n# {title}\n"


@pytest.mark.asyncio
async def test_a_siblings_front_matter_edit_updates_the_other_files_diagnostics(tmp_path: Path) -> None:
    # Five of six files set `date`: the sixth is told so (front-matter-missing infers from the folder).
    for name in "bcdef":
        (tmp_path / f"{name}.md").write_text(_post(name), encoding="utf-8")
    async with _session(tmp_path) as client:
        a = _open(client, tmp_path / "a.md", _post("a", date=False))
        (missing,) = await _diagnostics(client, a, lambda found: bool(found))
        assert missing.code == "front-matter-missing"
        assert missing.message.startswith("`date` is set in 5 of 6 files")
        # The siblings that set the field, at the field.
        assert missing.related_information is not None
        places = [
            (Path(info.location.uri).name, info.location.range.start.line) for info in missing.related_information
        ]
        assert places == [(f"{name}.md", 2) for name in "bcdef"]

        # Editing b's front matter in the editor (unsaved) changes a's findings: 4 of 6 is too few.
        b = _open(client, tmp_path / "b.md", _post("b"))
        await _diagnostics(client, b, lambda found: not found)
        _change(client, b, 2, _post("b", date=False))
        await _diagnostics(client, a, lambda found: not found)
        # And back.
        _change(client, b, 3, _post("b"))
        await _diagnostics(client, a, lambda found: _rules(found) == ["front-matter-missing"])


@pytest.mark.asyncio
async def test_a_file_that_cannot_be_linted_is_one_diagnostic_and_the_server_goes_on(tmp_path: Path) -> None:
    async with _session(tmp_path) as client:
        broken = _open(client, tmp_path / "binary.md", "text\x00with a NUL\n")
        (problem,) = await _diagnostics(client, broken, lambda found: bool(found))
        assert problem.message.startswith("mdlint could not lint this file")
        assert problem.range.start == types.Position(0, 0)
        uri = _open(client, tmp_path / "notes.md", TEXT)
        await _diagnostics(client, uri, lambda found: _rules(found) == ["link-missing-scheme"])


@pytest.mark.asyncio
async def test_a_heading_added_in_another_buffer_satisfies_a_link_to_it(tmp_path: Path) -> None:
    # link-dead reads the target from the workspace index, where an open buffer stands in for its file.
    (tmp_path / "b.md").write_text("# B\n\nNo notes yet.\n", encoding="utf-8")
    async with _session(tmp_path) as client:
        a = _open(client, tmp_path / "a.md", "# A\n\nSee [the notes](b.md#notes).\n")
        (dead,) = await _diagnostics(client, a, lambda found: bool(found))
        assert dead.code == "link-dead"
        b = _open(client, tmp_path / "b.md", "# B\n\nNo notes yet.\n")
        await _diagnostics(client, b, lambda found: not found)
        _change(client, b, 2, "# B\n\n## Notes\n\nSome notes.\n")
        await _diagnostics(client, a, lambda found: not found)


async def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = asyncio.get_running_loop().time() + WAIT
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"never happened: {what}")
        await asyncio.sleep(0.02)


@pytest.mark.asyncio
async def test_a_save_checks_remote_links_apart_and_pushes_what_the_check_found(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    http_server.reset()
    # The slow link answers after 6 s: the check of the save is still running when the edit comes.
    dead, slow = http_server.url("/dead/page"), http_server.url("/ok/slow?delay=6")
    (tmp_path / ".mdlint.toml").write_text("[rules.link-dead]\nallow-private = true\ntimeout = 30\n", encoding="utf-8")
    text = f"# Links\n\nA [dead]({dead}) link and a [slow]({slow}) one.\n"
    async with _session(tmp_path, offline=False) as client:
        uri = _open(client, tmp_path / "links.md", text)
        assert list(await _diagnostics(client, uri, lambda found: True)) == []
        assert http_server.count() == 0, "a lint never goes on the network"

        client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri)))
        await _until(lambda: http_server.count("/dead/") > 0 and http_server.count("/ok/slow") > 0, "both checked")
        # An edit while the check waits for the slow link: its diagnostics come without waiting.
        edited = text + "\nSee [the docs](example.com/docs).\n"
        _change(client, uri, 2, edited)
        found = await _diagnostics(client, uri, lambda found: bool(found))
        assert _rules(found) == ["link-missing-scheme"]
        assert found[0].range.start == types.Position(4, len("See "))

        # The check's results are pushed when they are in, with no further edit or save.
        found = await _diagnostics(client, uri, lambda found: "link-dead" in _rules(found))
        assert _rules(found) == ["link-dead", "link-missing-scheme"]
        (pushed,) = [diagnostic for diagnostic in found if diagnostic.code == "link-dead"]
        assert pushed.message == f"dead link {dead}: HTTP 404"
        assert pushed.severity == types.DiagnosticSeverity.Error
        assert (pushed.range.start, pushed.range.end) == (
            types.Position(2, len("A [dead](")),
            types.Position(2, len(f"A [dead]({dead}")),
        )
        published = client.published  # type: ignore[attr-defined]
        assert [params.version for params in published if params.uri == uri] == [1, 1, 2, 2]


def _big_page(entries: int) -> str:
    # About 80 characters an entry, each with a finding: linting 12,000 of them takes seconds.
    return "# Big\n\n" + "".join(
        f"- [entry {n}](example.com/{n}) with **강조** and more text\n" for n in range(entries)
    )


@pytest.mark.asyncio
async def test_hover_is_answered_during_a_long_lint_which_a_newer_version_supersedes(tmp_path: Path) -> None:
    async with _session(tmp_path) as client:
        small = _open(client, tmp_path / "notes.md", TEXT)
        (diagnostic,) = await _diagnostics(client, small, lambda found: bool(found))
        big = _open(client, tmp_path / "big.md", _big_page(12000))
        await asyncio.sleep(0.2)  # the long lint has begun
        hover = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(small), diagnostic.range.start)
        )
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert "link-missing-scheme" in hover.contents.value
        assert big not in client.diagnostics, "the hover was answered while the big page was being linted"

        # A new version while version 1 is linted: version 1's findings are never published.
        _change(client, big, 2, "# Big\n\nNow [one entry](example.com/one).\n")
        (found,) = await _diagnostics(client, big, lambda found: bool(found))
        assert (found.code, found.range.start) == ("link-missing-scheme", types.Position(2, len("Now ")))
        published = client.published  # type: ignore[attr-defined]
        assert [params.version for params in published if params.uri == big] == [2]


@pytest.mark.asyncio
async def test_the_file_time_limit_holds_on_the_lint_thread(tmp_path: Path) -> None:
    (tmp_path / ".mdlint.toml").write_text("file-time-limit = 0.1\n", encoding="utf-8")
    async with _session(tmp_path) as client:
        big = _open(client, tmp_path / "big.md", _big_page(12000))
        (problem,) = await _diagnostics(client, big, lambda found: bool(found))
        assert problem.message == "mdlint could not lint this file: took longer than 0.1 s"
        assert problem.range.start == types.Position(0, 0)
        # The server goes on: a small file within the limit is linted.
        uri = _open(client, tmp_path / "notes.md", TEXT)
        await _diagnostics(client, uri, lambda found: _rules(found) == ["link-missing-scheme"])
