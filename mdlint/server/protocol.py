"""The Language Server Protocol side of `mdlint server`, on pygls and lsprotocol.

Every lint runs on the event loop's thread, one at a time: the workspace index is not shared
between threads, and the runner's per-file time limit (a SIGALRM timer) works only in the main
thread. Edits are debounced, so a burst of keystrokes costs one lint; a lint already scheduled for
a buffer is cancelled when a newer edit arrives. Only the network checks of remote links run in
a background thread, after a save.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
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
from mdlint.server.index import is_config_file
from mdlint.server.linting import BufferLinter, LintOutcome, Suppression
from mdlint.server.positions import UTF16, PositionMap
from mdlint.server.related import related_places
from mdlint.server.remote import check_remote_links
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
    # Seconds to wait after an edit before linting, so that a burst of keystrokes costs one lint.
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
        self._pending: dict[str, asyncio.TimerHandle] = {}
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

    def schedule(self, uri: str, delay: float, *, force: bool = False) -> None:
        """Lint `uri` after `delay` seconds, replacing a lint already scheduled for it."""
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        if force:
            self.linted.pop(uri, None)
        self._pending[uri] = asyncio.get_running_loop().call_later(delay, self.lint_now, uri)

    def lint_now(self, uri: str) -> _Linted | None:
        """Lint the open buffer `uri` unless its text was linted already; publish the diagnostics."""
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        if uri not in self.workspace.text_documents:
            return None
        buffer = self.workspace.get_text_document(uri)
        text = buffer.source
        known = self.linted.get(uri)
        if known is not None and known.outcome.text == text:
            return known
        path = self.path_of(uri)
        change = self.linter.index.set_buffer(path, text)
        outcome = LintOutcome(text) if self.linter.excluded(path) else self.linter.lint(path, text)
        linted = _Linted(buffer.version, outcome, self._diagnostics(uri, outcome))
        self.linted[uri] = linted
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri, [diagnostic for diagnostic, _ in linted.diagnostics], buffer.version)
        )
        if known is not None and (change.front_matter or change.anchors):
            # Siblings compare their front matter with this file's, and other files link to its
            # headings: their findings may change (they are linted after this one, which comes first).
            for other in self._open_uris():
                if other != uri and (change.anchors or self.path_of(other).parent == path.parent):
                    self.schedule(other, self.options.sibling_delay, force=True)
        self._check_remote_links(uri)
        return linted

    def _open_uris(self) -> list[str]:
        return list(self.workspace.text_documents)

    def relint_all(self, delay: float) -> None:
        """Lint every open buffer again (configuration or files on disk changed)."""
        for uri in self._open_uris():
            self.schedule(uri, delay, force=True)

    def _check_remote_links(self, uri: str) -> None:
        # Only a save checks remote links on the network; lints otherwise use the cache alone.
        remote = self.linter.remote
        if remote is None:
            return
        missing = remote.take_missing()
        if uri not in self._after_save:
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
            remote.remember(finished.result())
            if uri in self.workspace.text_documents:
                self.schedule(uri, 0, force=True)

        future.add_done_callback(done)

    def _diagnostics(self, uri: str, outcome: LintOutcome) -> list[tuple[types.Diagnostic, Finding]]:
        positions = self.positions(outcome.text)
        if outcome.problem is not None:
            problem = types.Diagnostic(
                range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                message=f"mdlint could not lint this file: {outcome.problem}",
                severity=types.DiagnosticSeverity.Error,
                source=SOURCE,
            )
            marker = Finding("", 1, 1, 1, 1, "mdlint", "", Severity.ERROR, outcome.problem)
            return [(problem, marker)]
        found = []
        for finding in outcome.findings:
            start, end = positions.finding_range(finding)
            rule = find_rule(finding.rule)
            page = rulebook_path(rule) if rule is not None else None
            diagnostic = types.Diagnostic(
                range=_range(start, end),
                message=finding.message,
                severity=_SEVERITIES[finding.severity],
                code=finding.rule,
                code_description=types.CodeDescription(page.as_uri()) if page is not None and page.is_file() else None,
                source=SOURCE,
                related_information=self._related(uri, finding, outcome) or None,
                data={"code": finding.code, "fix": finding.fix.applicability if finding.fix else None},
            )
            found.append((diagnostic, finding))
        return found

    def _related(self, uri: str, finding: Finding, outcome: LintOutcome) -> list[types.DiagnosticRelatedInformation]:
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
                positions, place_uri = self.positions(outcome.text), uri
            else:
                positions, place_uri = self.positions(place.document.text), from_fs_path(str(place.path))
            if place_uri is None:
                continue
            location = types.Location(place_uri, self._offsets_range(positions, place.start, place.end))
            related.append(types.DiagnosticRelatedInformation(location, place.message))
        return related

    # Code actions

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        # The buffer as it is now: an edit whose lint is still pending is linted first.
        linted = self.lint_now(uri)
        if linted is None or linted.outcome.document is None:
            return []
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

    def warm_up(self) -> None:
        """Lint a small page that is nowhere on disk and publish nothing."""
        self.linter.lint(Path.cwd() / "mdlint-warm-up.md", _WARM_UP)

    # Files

    def files_changed(self, changes: Sequence[types.FileEvent]) -> None:
        config_changed = False
        for change in changes:
            path = self.path_of(change.uri)
            if is_config_file(path):
                config_changed = True
            self.linter.index.file_changed(path, created_or_deleted=change.type != types.FileChangeType.Changed)
        if config_changed:
            self.linter.configs.forget()
        self.relint_all(0 if config_changed else self.options.sibling_delay)

    def saved(self, uri: str) -> None:
        path = self.path_of(uri)
        self.linter.index.file_changed(path)
        if is_config_file(path):
            self.linter.configs.forget()
        self._after_save.add(uri)
        self.schedule(uri, 0, force=True)
        for other in self._open_uris():
            if other != uri:
                self.schedule(other, self.options.sibling_delay, force=True)

    def closed(self, uri: str) -> None:
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self.linted.pop(uri, None)
        self.linter.index.close_buffer(self.path_of(uri))
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))

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
        asyncio.get_running_loop().call_soon(server.warm_up)
        await server.watch_files()

    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, 0)

    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, options.debounce)

    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        server.saved(params.text_document.uri)

    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        server.closed(params.text_document.uri)

    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        server.files_changed(params.changes)

    def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        return server.code_actions(params)

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
    ]
    for name, handler, feature_options in features:
        server.feature(name, feature_options)(handler)
    return server
