"""The Language Server Protocol side of `mdlint server`, on pygls and lsprotocol.

Lints run on one worker thread (`mdlint.server.worker`), one at a time: the workspace index is not
shared between threads, so everything that reads or changes it runs there too. The event loop
only speaks the protocol, so hover and code-action requests are answered while a long lint runs.
A lint that a newer version of its buffer makes pointless is interrupted.

An edit is linted at once when the buffer was idle; an edit that follows another within the
debounce interval waits for it, so a burst of keystrokes costs one lint at its end. Only the network
checks of remote links run elsewhere (another thread), after a save.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from mdlint import __version__
from mdlint.findings import Finding, Severity
from mdlint.links.results import CheckResult
from mdlint.rule_engine.rule import find_rule
from mdlint.rule_engine.rulebook import rulebook_page, rulebook_path
from mdlint.run.time_limit import TimeLimitExceeded
from mdlint.server.index import BufferChange, is_config_file
from mdlint.server.linting import BufferLinter, LintOutcome, Suppression
from mdlint.server.positions import UTF16, PositionMap
from mdlint.server.related import related_places
from mdlint.server.remote import CachedRemoteLinks, Groups, check_remote_links
from mdlint.server.worker import Interruption, LintThread, Superseded
from mdlint.site.workspace import RunSettings

__all__ = ["FIX_ALL_KIND", "MdlintLanguageServer", "ServerOptions", "build_server"]

_log = logging.getLogger(__name__)

FIX_ALL_KIND = "source.fixAll.mdlint"
SOURCE = "mdlint"
_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
# Files whose change on disk may change findings in open buffers.
_WATCHED = ("**/*.md", "**/*.markdown", "**/.mdlint.toml", "**/pyproject.toml", "**/_config.*", "**/hugo.*")


_WARM_UP = (
    "---\ntitle: Warm-up\n---\n\n# Warm-up\n\n- [link](https://example.com) **강조** 📜\n\n<details>\n</details>\n"
)


@dataclass(frozen=True)
class ServerOptions:
    """How `mdlint server` was started."""

    offline: bool = False
    config_path: Path | None = None
    cache_dir: Path | None = None
    # Seconds an edit that follows another this soon waits before linting, so that a burst of
    # keystrokes costs one lint (an edit to an idle buffer waits for nothing).
    debounce: float = 0.03
    # Other open files are linted again a little later than the edited one, which comes first.
    sibling_delay: float = 0.2


@dataclass
class _Linted:
    """The last lint of an open buffer: its text, outcome and the diagnostics published for it."""

    version: int | None
    outcome: LintOutcome
    diagnostics: list[tuple[types.Diagnostic, Finding]] = field(default_factory=list)
    # Code actions of this version, by the diagnostics they answer (computing one parses the text).
    actions: dict[tuple[Any, ...], list[types.CodeAction]] = field(default_factory=dict)
    # Remote links the link cache could not answer for this lint: checked on the network after a save.
    missing: Groups = field(default_factory=list)


@dataclass
class _Lint:
    """A lint of one text of a buffer, on the lint thread or waiting for it."""

    uri: str
    text: str
    version: int | None
    interruption: Interruption = field(default_factory=Interruption)
    task: asyncio.Future[_Linted | None] | None = None
    # What setting this text as the buffer changed for other files (set on the lint thread).
    change: BufferChange | None = None


def _merged(first: BufferChange | None, second: BufferChange | None) -> BufferChange | None:
    if first is None or second is None:
        return first or second
    return BufferChange(first.front_matter or second.front_matter, first.anchors or second.anchors)


class MdlintLanguageServer(LanguageServer):
    """A language server whose diagnostics are mdlint's findings."""

    def __init__(self, options: ServerOptions) -> None:
        super().__init__("mdlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.options = options
        # Lints never touch the network; remote links are served from the link cache (see `remote`).
        settings = RunSettings(offline=options.offline, cache_dir=options.cache_dir, show_progress=False)
        self.linter = BufferLinter(settings, options.config_path)
        self._online = RunSettings(offline=False, cache_dir=options.cache_dir, show_progress=False)
        self.linted: dict[str, _Linted] = {}
        self.lint_thread = LintThread()
        self._pending: dict[str, asyncio.TimerHandle] = {}
        self._lints: dict[str, _Lint] = {}
        self._forced: set[str] = set()
        self._last_edit: dict[str, float] = {}
        # Changes to a buffer that other files may notice, from lints that were superseded.
        self._untold: dict[str, BufferChange] = {}
        self._tasks: set[asyncio.Future[Any]] = set()
        self._after_save: set[str] = set()
        self._checking: set[asyncio.Future[list[dict[str, CheckResult]]]] = set()

    # Paths and positions

    def path_of(self, uri: str) -> Path:
        """The file a document stands for; an unsaved buffer is a file in the working folder."""
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path is None:
            name = uri.rsplit("/", 1)[-1] or "untitled.md"
            return Path.cwd() / name
        return Path(path)

    def positions(self, text: str) -> PositionMap:
        """Positions in `text` counted in the unit agreed at initialize."""
        encoding = self.workspace.position_encoding or UTF16
        # An lsprotocol enum member or a plain string: its value is the unit's name ("utf-16").
        return PositionMap(text, str(getattr(encoding, "value", encoding)))

    def _offsets_range(self, positions: PositionMap, start: int, end: int) -> types.Range:
        return _range(positions.position(start), positions.position(end))

    # Linting

    def changed(self, uri: str) -> None:
        """The buffer was edited: lint it now, or after the debounce interval if it was edited just before."""
        now = asyncio.get_running_loop().time()
        recent = now - self._last_edit.get(uri, -self.options.debounce - 1) < self.options.debounce
        self._last_edit[uri] = now
        self.schedule(uri, self.options.debounce if recent else 0)

    def schedule(self, uri: str, delay: float, *, force: bool = False) -> None:
        """Lint `uri` after `delay` seconds, replacing a lint already scheduled for it.

        `force`: lint it even if its text was linted already (something it depends on changed).
        """
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        if force:
            self._forced.add(uri)
        running = self._lints.get(uri)
        if running is not None and (force or running.text != self._buffer_text(uri)):
            self.lint_thread.supersede(running.interruption)
        self._pending[uri] = asyncio.get_running_loop().call_later(delay, self._lint_later, uri)

    def _buffer_text(self, uri: str) -> str | None:
        if uri not in self.workspace.text_documents:
            return None
        return self.workspace.get_text_document(uri).source

    def _lint_later(self, uri: str) -> None:
        self._pending.pop(uri, None)
        task = asyncio.ensure_future(self.lint_now(uri))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def lint_now(self, uri: str) -> _Linted | None:
        """The lint of the open buffer `uri` as it is now (linted and published unless it was)."""
        while True:
            pending = self._pending.pop(uri, None)
            if pending is not None:
                pending.cancel()
            if uri not in self.workspace.text_documents:
                return None
            buffer = self.workspace.get_text_document(uri)
            text = buffer.source
            known = self.linted.get(uri)
            if known is not None and known.outcome.text == text and uri not in self._forced:
                return known
            lint = self._lints.get(uri)
            if lint is None or lint.text != text or lint.interruption.superseded:
                if lint is not None:
                    self.lint_thread.supersede(lint.interruption)
                self._forced.discard(uri)
                lint = _Lint(uri, text, buffer.version)
                self._lints[uri] = lint
                lint.task = asyncio.ensure_future(self._run_lint(lint))
            assert lint.task is not None
            # Shielded: a code-action request cancelled by the client must not cancel the lint it awaits.
            linted = await asyncio.shield(lint.task)
            if linted is not None:
                return linted
            # Superseded by a newer text or a forced lint: the loop lints (or joins) that one.

    async def _run_lint(self, lint: _Lint) -> _Linted | None:
        try:
            linted = await self.lint_thread.submit(lambda: self._lint_on_thread(lint))
        except Superseded:
            linted = None
        except Exception as error:  # a failing lint costs one diagnostic, not the server (nor a retry loop)
            _log.exception("linting %s failed", lint.uri)
            outcome = LintOutcome(lint.text, problem=f"mdlint failed on this file: {type(error).__name__}: {error}")
            linted = _Linted(lint.version, outcome, self._diagnostics(lint.uri, outcome))
        finally:
            if self._lints.get(lint.uri) is lint:
                del self._lints[lint.uri]
        change = lint.change
        if linted is None or lint.interruption.superseded:
            untold = _merged(self._untold.get(lint.uri), change)
            if untold is not None:
                # What this text changed for other files is told with the next lint's change.
                self._untold[lint.uri] = untold
            return None
        known = self.linted.get(lint.uri)
        self.linted[lint.uri] = linted
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(lint.uri, [diagnostic for diagnostic, _ in linted.diagnostics], lint.version)
        )
        change = _merged(self._untold.pop(lint.uri, None), change)
        if known is not None and change is not None and (change.front_matter or change.anchors):
            # Siblings compare their front matter with this file's, and other files link to its
            # headings: their findings may change (they are linted after this one, which comes first).
            path = self.path_of(lint.uri)
            for other in self._open_uris():
                if other != lint.uri and (change.anchors or self.path_of(other).parent == path.parent):
                    self.schedule(other, self.options.sibling_delay, force=True)
        self._check_remote_links(lint.uri, linted.missing)
        return linted

    def _lint_on_thread(self, lint: _Lint) -> _Linted:
        interruption = lint.interruption
        if interruption.superseded:
            raise Superseded
        path = self.path_of(lint.uri)
        lint.change = self.linter.index.set_buffer(path, lint.text)
        if self.linter.excluded(path):
            outcome = LintOutcome(lint.text)
        else:
            limit = self.linter.time_limit(path)
            try:
                outcome = self.lint_thread.interruptible(interruption, limit, lambda: self.linter.lint(path, lint.text))
            except TimeLimitExceeded as error:  # raised outside the runner's own limit (run-level checks)
                outcome = LintOutcome(lint.text, problem=str(error))
        missing = self.linter.remote.take_missing() if self.linter.remote is not None else []
        if interruption.superseded:
            raise Superseded
        return _Linted(lint.version, outcome, self._diagnostics(lint.uri, outcome), missing=missing)

    def _open_uris(self) -> list[str]:
        return list(self.workspace.text_documents)

    def relint_all(self, delay: float) -> None:
        """Lint every open buffer again (configuration or files on disk changed)."""
        for uri in self._open_uris():
            self.schedule(uri, delay, force=True)

    def _check_remote_links(self, uri: str, missing: Groups) -> None:
        # Only a save checks remote links on the network; lints otherwise use the cache alone.
        remote = self.linter.remote
        if remote is None or uri not in self._after_save:
            return
        self._after_save.discard(uri)
        if not missing:
            return
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(None, check_remote_links, missing, self._online)
        self._checking.add(future)

        def done(finished: asyncio.Future[list[dict[str, CheckResult]]]) -> None:
            self._checking.discard(finished)
            if finished.cancelled():
                return
            if finished.exception() is not None:
                _log.warning("checking remote links failed: %s", finished.exception())
                return
            task = asyncio.ensure_future(self._remember(uri, remote, finished.result()))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        future.add_done_callback(done)

    async def _remember(self, uri: str, remote: CachedRemoteLinks, results: list[dict[str, CheckResult]]) -> None:
        # On the lint thread, which reads what `remote` remembers.
        await self.lint_thread.submit(lambda: remote.remember(results))
        if uri in self.workspace.text_documents:
            self.schedule(uri, 0, force=True)

    def _diagnostics(self, uri: str, outcome: LintOutcome) -> list[tuple[types.Diagnostic, Finding]]:
        if outcome.problem is not None:
            problem = types.Diagnostic(
                range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                message=f"mdlint could not lint this file: {outcome.problem}",
                severity=types.DiagnosticSeverity.Error,
                source=SOURCE,
            )
            marker = Finding("", 1, 1, 1, 1, "mdlint", "", Severity.ERROR, outcome.problem)
            return [(problem, marker)]
        positions = self.positions(outcome.text)
        found = []
        for finding in outcome.findings:
            start, end = positions.finding_range(finding)
            diagnostic = types.Diagnostic(
                range=_range(start, end),
                message=finding.message,
                severity=_SEVERITIES[finding.severity],
                code=finding.rule,
                code_description=_code_description(finding.rule),
                source=SOURCE,
                related_information=self._related(uri, finding, outcome, positions) or None,
                data={"code": finding.code, "fix": finding.fix.applicability if finding.fix else None},
            )
            found.append((diagnostic, finding))
        return found

    def _related(
        self, uri: str, finding: Finding, outcome: LintOutcome, own: PositionMap
    ) -> list[types.DiagnosticRelatedInformation]:
        if outcome.document is None:
            return []
        try:
            places = related_places(finding, outcome.document, self.linter.index)
        except Exception:  # related places are a courtesy: never worth losing the diagnostics
            _log.exception("related places of %s", finding.rule)
            return []
        related = []
        for place in places:
            if place.path is None:
                positions, place_uri = own, uri
            else:
                positions, place_uri = self.positions(place.document.text), from_fs_path(str(place.path))
            if place_uri is None:
                continue
            location = types.Location(place_uri, self._offsets_range(positions, place.start, place.end))
            related.append(types.DiagnosticRelatedInformation(location, place.message))
        return related

    # Code actions

    async def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        # The buffer as it is now: an edit whose lint is still pending or running is linted first,
        # so that the edits are ranges of the text the editor holds.
        linted = await self.lint_now(uri)
        if linted is None or linted.outcome.document is None:
            return []
        limit = linted.outcome.time_limit

        def actions() -> list[types.CodeAction]:
            # The fix guard parses the fixed text: within the file's time limit, as the lint.
            return self.lint_thread.interruptible(Interruption(), limit, lambda: self._actions(uri, linted, params))

        try:
            return await self.lint_thread.submit(actions)
        except TimeLimitExceeded:
            return []

    def _actions(self, uri: str, linted: _Linted, params: types.CodeActionParams) -> list[types.CodeAction]:
        wanted = params.context.only
        actions: list[types.CodeAction] = []
        if _wanted(types.CodeActionKind.QuickFix, wanted):
            for diagnostic in params.context.diagnostics:
                finding = self._finding_for(linted, diagnostic)
                if finding is not None:
                    actions.extend(self._quick_fixes(uri, linted, finding, diagnostic))
        if _wanted(FIX_ALL_KIND, wanted) and any(f.fixable_with(False) for _, f in linted.diagnostics):
            fix_all = self._fix_all(uri, linted)
            if fix_all is not None:
                actions.append(fix_all)
        return actions

    def _finding_for(self, linted: _Linted, diagnostic: types.Diagnostic) -> Finding | None:
        if diagnostic.source != SOURCE:
            return None
        for published, finding in linted.diagnostics:
            if (published.range, published.code, published.message) == (
                diagnostic.range,
                diagnostic.code,
                diagnostic.message,
            ):
                return finding if finding.rule != "mdlint" else None
        return None

    def _quick_fixes(
        self, uri: str, linted: _Linted, finding: Finding, diagnostic: types.Diagnostic
    ) -> list[types.CodeAction]:
        key = ("quick", finding)
        if key in linted.actions:
            return linted.actions[key]
        outcome = linted.outcome
        positions = self.positions(outcome.text)
        actions: list[types.CodeAction] = []
        if finding.fix is not None:
            safe = finding.fix.applicability == "safe"
            title = f"Fix {finding.rule}" + ("" if safe else " (unsafe: check the result)")
            refusal = self.linter.fix_refusal(outcome, finding)
            action = types.CodeAction(
                title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic], is_preferred=safe
            )
            if refusal is None:
                edits = [
                    types.TextEdit(self._offsets_range(positions, edit.start, edit.end), edit.replacement)
                    for edit in finding.fix.edits
                ]
                action.edit = types.WorkspaceEdit(changes={uri: edits})
                actions.append(action)
            elif self._disabled_supported():
                reason = f"mdlint's fix guard rolls this fix back: it would {refusal}"
                action.disabled = types.CodeActionDisabled(reason)
                action.is_preferred = None
                actions.append(action)
        suppression = self.linter.suppression(outcome, finding)
        if isinstance(suppression, Suppression):
            edit = suppression.edit
            text_edit = types.TextEdit(self._offsets_range(positions, edit.start, edit.end), edit.replacement)
            actions.append(
                types.CodeAction(
                    title=suppression.title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=types.WorkspaceEdit(changes={uri: [text_edit]}),
                )
            )
        elif self._disabled_supported():
            actions.append(
                types.CodeAction(
                    title=f"Disable {finding.rule} for this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    disabled=types.CodeActionDisabled(suppression),
                )
            )
        linted.actions[key] = actions
        return actions

    def _fix_all(self, uri: str, linted: _Linted) -> types.CodeAction | None:
        key = ("fix-all",)
        if key in linted.actions:
            return linted.actions[key][0] if linted.actions[key] else None
        outcome = linted.outcome
        fixed = self.linter.fix_all(self.path_of(uri), outcome.text)
        actions = []
        if fixed is not None:
            original = outcome.text.removeprefix("\ufeff")
            start, end, replacement = _changed_span(original, fixed)
            positions = self.positions(outcome.text)
            edit = types.TextEdit(self._offsets_range(positions, start, end), replacement)
            actions.append(
                types.CodeAction(
                    title="Fix all safe mdlint fixes in this file",
                    kind=FIX_ALL_KIND,
                    edit=types.WorkspaceEdit(changes={uri: [edit]}),
                )
            )
        linted.actions[key] = actions
        return actions[0] if actions else None

    def _disabled_supported(self) -> bool:
        capabilities = self.client_capabilities.text_document
        code_action = capabilities.code_action if capabilities is not None else None
        return bool(code_action is not None and code_action.disabled_support)

    # Hover

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        linted = self.linted.get(params.text_document.uri)
        if linted is None:
            return None
        position = params.position
        pages = []
        for diagnostic, finding in linted.diagnostics:
            if not _contains(diagnostic.range, position):
                continue
            rule = find_rule(finding.rule)
            page = rulebook_page(rule) if rule is not None else None
            if page is not None and page.text not in pages:
                pages.append(page.text)
        if not pages:
            return None
        content = types.MarkupContent(types.MarkupKind.Markdown, "\n\n---\n\n".join(pages))
        return types.Hover(content)

    def warm_up(self) -> asyncio.Future[LintOutcome]:
        """Lint a small page that is nowhere on disk and publish nothing."""

        def lint() -> LintOutcome:
            outcome = self.linter.lint(Path.cwd() / "mdlint-warm-up.md", _WARM_UP)
            if self.linter.remote is not None:
                self.linter.remote.take_missing()  # its links are nobody's to check
            return outcome

        return self.lint_thread.submit(lint)

    # Files

    async def files_changed(self, changes: Sequence[types.FileEvent]) -> None:
        events = [(self.path_of(change.uri), change.type != types.FileChangeType.Changed) for change in changes]
        config_changed = any(is_config_file(path) for path, _ in events)

        def forget() -> None:
            for path, created_or_deleted in events:
                self.linter.index.file_changed(path, created_or_deleted=created_or_deleted)
            if config_changed:
                self.linter.configs.forget()

        # Queued before the lints below; a lint that runs now read the files as they were: done again.
        forgotten = self.lint_thread.submit(forget)
        self.relint_all(0 if config_changed else self.options.sibling_delay)
        await forgotten

    async def saved(self, uri: str) -> None:
        path = self.path_of(uri)

        def forget() -> None:
            self.linter.index.file_changed(path)
            if is_config_file(path):
                self.linter.configs.forget()

        # Queued before the lints below, which see the file as saved.
        forgotten = self.lint_thread.submit(forget)
        self._after_save.add(uri)
        self.schedule(uri, 0, force=True)
        for other in self._open_uris():
            if other != uri:
                self.schedule(other, self.options.sibling_delay, force=True)
        await forgotten

    async def closed(self, uri: str) -> None:
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        lint = self._lints.pop(uri, None)
        if lint is not None:
            self.lint_thread.supersede(lint.interruption)
        self.linted.pop(uri, None)
        self._forced.discard(uri)
        self._last_edit.pop(uri, None)
        self._untold.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))
        path = self.path_of(uri)
        await self.lint_thread.submit(lambda: self.linter.index.close_buffer(path))

    async def watch_files(self) -> None:
        """Ask the client to report changes to Markdown and configuration files, when it can."""
        workspace = self.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace is not None else None
        if watched is None or not watched.dynamic_registration:
            return
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=pattern) for pattern in _WATCHED]
        )
        registration = types.Registration("mdlint-watched-files", types.WORKSPACE_DID_CHANGE_WATCHED_FILES, options)
        try:
            await self.client_register_capability_async(types.RegistrationParams([registration]))
        except Exception as error:  # the client may refuse; files are then re-read on save only
            _log.warning("the client did not register file watching: %s", error)


@cache
def _code_description(rule_name: str) -> types.CodeDescription | None:
    """The link to a rule's page: looked up once per rule, not once per finding of every lint."""
    rule = find_rule(rule_name)
    page = rulebook_path(rule) if rule is not None else None
    return types.CodeDescription(page.as_uri()) if page is not None and page.is_file() else None


def _range(start: tuple[int, int], end: tuple[int, int]) -> types.Range:
    return types.Range(types.Position(*start), types.Position(*end))


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    # Kinds are hierarchical: asking for `source` or `source.fixAll` includes `source.fixAll.mdlint`.
    return only is None or any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)


def _contains(span: types.Range, position: types.Position) -> bool:
    start, end = (span.start.line, span.start.character), (span.end.line, span.end.character)
    return start <= (position.line, position.character) <= end


def _changed_span(old: str, new: str) -> tuple[int, int, str]:
    """The one replacement that turns `old` into `new`: (start, end in `old`, new text)."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    return prefix, len(old) - suffix, new[prefix : len(new) - suffix]


def build_server(options: ServerOptions) -> MdlintLanguageServer:
    """The server with its LSP features registered."""
    server = MdlintLanguageServer(options)

    def initialize(params: types.InitializeParams) -> None:
        # Findings name paths relative to the working folder, as the CLI run at the project's root.
        folders = params.workspace_folders or []
        root = folders[0].uri if folders else params.root_uri
        root_path = to_fs_path(root) if root else None
        if root_path and os.path.isdir(root_path):
            os.chdir(root_path)

    async def initialized(_params: types.InitializedParams) -> None:
        # The first lint imports the parser and every rule and compiles their patterns: done now,
        # while the editor is still opening files, it does not delay the first diagnostics.
        # On the lint thread, queued before any lint.
        warm_up = server.warm_up()
        await server.watch_files()
        await warm_up

    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, 0)

    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        server.changed(params.text_document.uri)

    async def did_save(params: types.DidSaveTextDocumentParams) -> None:
        await server.saved(params.text_document.uri)

    async def did_close(params: types.DidCloseTextDocumentParams) -> None:
        await server.closed(params.text_document.uri)

    async def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        await server.files_changed(params.changes)

    async def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        return await server.code_actions(params)

    def shutdown(_params: None) -> None:
        server.lint_thread.shutdown()

    def hover(params: types.HoverParams) -> types.Hover | None:
        return server.hover(params)

    features: list[tuple[str, Any, Any]] = [
        (types.INITIALIZE, initialize, None),
        (types.INITIALIZED, initialized, None),
        (types.TEXT_DOCUMENT_DID_OPEN, did_open, None),
        (types.TEXT_DOCUMENT_DID_CHANGE, did_change, None),
        (types.TEXT_DOCUMENT_DID_SAVE, did_save, types.SaveOptions(include_text=False)),
        (types.TEXT_DOCUMENT_DID_CLOSE, did_close, None),
        (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, did_change_watched_files, None),
        (
            types.TEXT_DOCUMENT_CODE_ACTION,
            code_action,
            types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
        ),
        (types.TEXT_DOCUMENT_HOVER, hover, None),
        (types.SHUTDOWN, shutdown, None),
    ]
    for name, handler, feature_options in features:
        server.feature(name, feature_options)(handler)
    return server
