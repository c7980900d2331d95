"""One run of mdlint: find files and configs, lint, run cross-file checks, apply fixes.

Nothing here prints or exits; the CLI turns a `RunResult` into output and an exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mdlint.config import ConfigFile, RuleSelection, find_config, load_config, validate_selection
from mdlint.document import Document, UnreadableFileError, decode, read_document
from mdlint.engine import LintedFile, check_document, check_run, sort_findings
from mdlint.files import InputFile, collect_files
from mdlint.findings import Finding
from mdlint.fix_safety import FixGuard
from mdlint.fixes import (
    NotWrittenError,
    encode,
    fixable_edits,
    remove_stale_temporaries,
    unified_diff,
    write_atomically,
)
from mdlint.workspace import RunSettings, Workspace

__all__ = ["FileError", "RunOptions", "RunResult", "run"]

MAX_FIX_PASSES = 10


@dataclass(frozen=True)
class RunOptions:
    """What the command line asked for."""

    paths: tuple[str, ...] = (".",)
    config_path: Path | None = None
    selection: RuleSelection = field(default_factory=RuleSelection)
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    stdin_filename: str | None = None
    settings: RunSettings = field(default_factory=RunSettings)


@dataclass(frozen=True)
class FileError:
    """A file that could not be linted, and the one-line reason."""

    path: str
    message: str
    # "unreadable" (not linted), "not-written" (a fix could not be saved) or "rolled-back" (a fix
    # whose effect went beyond its rule's scope was undone; the file was still linted).
    kind: str = "unreadable"


@dataclass
class RunResult:
    """Everything a run found and did."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files: int = 0
    fixes_applied: int = 0
    files_fixed: int = 0
    diffs: list[str] = field(default_factory=list)
    # With `-` and `--fix`, the fixed text goes to standard output.
    stdin_output: str | None = None


class ConfigResolver:
    """The configuration for each file: `--config`, or the nearest config file (read once each)."""

    def __init__(self, explicit: Path | None) -> None:
        self._explicit = load_config(explicit) if explicit is not None else None
        self._by_path: dict[Path | None, ConfigFile] = {}
        self._by_folder: dict[Path, ConfigFile] = {}

    def for_path(self, path: Path) -> ConfigFile:
        if self._explicit is not None:
            return self._explicit
        folder = (path if path.is_dir() else path.parent).resolve()
        if folder not in self._by_folder:
            found = find_config(folder)
            if found not in self._by_path:
                self._by_path[found] = load_config(found) if found is not None else ConfigFile(None)
            self._by_folder[folder] = self._by_path[found]
        return self._by_folder[folder]

    def excluded(self, path: Path) -> bool:
        return self.for_path(path).excludes(path)


def run(options: RunOptions, read_stdin: Callable[[], bytes] = lambda: sys.stdin.buffer.read()) -> RunResult:
    """Lint (and fix) what `options` names. Raises `ConfigError` for a bad configuration."""
    validate_selection(options.selection)
    resolver = ConfigResolver(options.config_path)
    settings = options.settings
    workspace = Workspace(settings)
    result = RunResult()
    linted: list[LintedFile] = []
    originals: dict[str, bytes] = {}
    inputs: dict[str, InputFile] = {}

    for given in options.paths:
        if given == "-":
            display = options.stdin_filename or "-"
            stand_in = Path(options.stdin_filename or "stdin.md")
            data = read_stdin()
            try:
                text, encoding, bom = decode(data)
            except UnreadableFileError as error:
                result.errors.append(FileError(display, str(error)))
                continue
            document = Document(display, text, encoding=encoding, bom=bom)
            originals[display] = data
            linted.append(_prepare(document, stand_in, resolver, options, workspace))
            continue
        if not Path(given).exists():
            result.errors.append(FileError(Path(given).as_posix(), "no such file or folder"))
            continue
        for item in collect_files([given], resolver.excluded):
            inputs[item.display] = item
            try:
                document = read_document(item.path, item.display, max_bytes=_max_bytes(resolver, item.path, settings))
            except UnreadableFileError as error:
                result.errors.append(FileError(item.display, str(error)))
                continue
            workspace.paths.append(item.path)
            workspace.add_document(item.path, document)
            linted.append(_prepare(document, item.path, resolver, options, workspace))

    _check_all(linted, workspace, result)
    if options.fix or options.diff:
        linted = _fix(linted, options, workspace, result, inputs, originals)
        _check_all(linted, workspace, result)
    result.files = len(linted)
    result.findings = sort_findings([finding for item in linted for finding in item.findings])
    result.errors.sort(key=lambda error: error.path)
    return result


def _max_bytes(resolver: ConfigResolver, path: Path, settings: RunSettings) -> int:
    configured = resolver.for_path(path).model.max_file_size
    return min(configured, settings.max_file_bytes) if settings.max_file_bytes else configured


def _prepare(
    document: Document, path: Path, resolver: ConfigResolver, options: RunOptions, workspace: Workspace
) -> LintedFile:
    rules = resolver.for_path(path).rules_for(path, options.selection)
    return LintedFile(document, rules)


def _check_all(linted: list[LintedFile], workspace: Workspace, result: RunResult) -> None:
    kept = []
    for item in linted:
        try:
            item.findings = check_document(item.document, item.rules, workspace)
        except RecursionError:
            result.errors.append(FileError(item.document.path, "nesting too deep to parse"))
            continue
        kept.append(item)
    linted[:] = kept
    check_run(linted, workspace)


def _fix(
    linted: list[LintedFile],
    options: RunOptions,
    workspace: Workspace,
    result: RunResult,
    inputs: dict[str, InputFile],
    originals: dict[str, bytes],
) -> list[LintedFile]:
    fixed: list[LintedFile] = []
    for item in linted:
        document = item.document
        findings = item.findings
        changed = False
        guard = FixGuard(item.rules)
        if options.fix and document.path in inputs:
            remove_stale_temporaries(inputs[document.path].path)
        for _ in range(MAX_FIX_PASSES):
            fixes = fixable_edits(findings, options.unsafe_fixes)
            if not fixes:
                break
            outcome = guard.apply(document, fixes)
            if outcome.applied == 0 or outcome.text == document.text:
                break
            result.fixes_applied += outcome.applied
            document = outcome.document or Document(
                document.path, outcome.text, encoding=document.encoding, bom=document.bom
            )
            findings = [f for f in check_document(document, item.rules, workspace) if f.fix is not None]
            changed = True
        result.errors.extend(FileError(document.path, message, "rolled-back") for message in guard.rolled_back)
        if changed:
            new_bytes = encode(document.text, document.encoding, document.bom)
            if options.diff:
                result.diffs.append(unified_diff(document.path, item.document.text, document.text))
            elif document.path in inputs:
                original = encode(item.document.text, item.document.encoding, item.document.bom)
                try:
                    write_atomically(inputs[document.path].path, new_bytes, original)
                    result.files_fixed += 1
                except NotWrittenError as error:
                    result.errors.append(FileError(document.path, str(error), "not-written"))
                    document = item.document
            else:
                result.stdin_output = document.text
                result.files_fixed += 1
            if options.diff:
                document = item.document
        elif document.path in originals:
            result.stdin_output = document.text if options.fix and not options.diff else None
        fixed.append(LintedFile(document, item.rules))
    return fixed
