"""Helpers for testing rules: lint or fix a string with chosen rules and options, the CLI's way.

Both go through the runner's own steps (`mdlint.run.runner`), as `mdlint --stdin-filename PATH -`
does: decoding, each rule's config, the engine's document checks, the run-level `collect` and
`check_run`, suppressions, sorting and, for `fix_text`, the fix passes and their safety guard.
Only the configuration differs: it comes from `options`, never from a config file on disk, so a
test does not depend on the folder it runs in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mdlint.findings import Finding
from mdlint.fixing.edits import apply_edits, fixable_edits
from mdlint.markdown.dialect import Dialect
from mdlint.markdown.document import Document
from mdlint.run.config import RuleSelection, config_from_table
from mdlint.run.runner import RunOptions, RunResult, run
from mdlint.site.workspace import RunSettings, Workspace

__all__ = ["LintError", "apply_fixes", "fix_text", "lint_text", "run_text"]


class LintError(AssertionError):
    """The runner could not lint the text (time limit, nesting too deep, undecodable bytes)."""


@dataclass
class _GivenDialect(Workspace):
    """A workspace in which every file is rendered in one dialect, as if its site said so."""

    dialect: Dialect = field(default_factory=Dialect)

    def dialect_for(self, path: Path, text: str) -> Dialect:
        return self.dialect


def run_text(
    text: str | bytes,
    *rules: str,
    path: str = "test.md",
    options: Mapping[str, Mapping[str, Any]] | None = None,
    settings: RunSettings | None = None,
    fix: bool = False,
    unsafe_fixes: bool = False,
    dialect: Dialect | None = None,
) -> RunResult:
    """One run of the runner over `text` as the file `path`; see `lint_text` for the arguments.

    With `fix`, the fixed text is `result.stdin_output` and `result.findings` what is left after it.
    """
    config = config_from_table({"rules": {name: dict(table) for name, table in (options or {}).items()}})
    run_options = RunOptions(
        paths=("-",),
        selection=RuleSelection(select=tuple(rules) if rules else None),
        fix=fix,
        unsafe_fixes=unsafe_fixes,
        stdin_filename=path,
        settings=settings or RunSettings(offline=True),
    )
    data = text.encode("utf-8") if isinstance(text, str) else text
    # Standard input's path through the runner: the document is not on disk, so no worker, no cache.
    workspace = None if dialect is None else _GivenDialect(run_options.settings, dialect=dialect)
    return run(run_options, lambda: data, config=config, workspace=workspace)


def lint_text(
    text: str | bytes,
    *rules: str,
    path: str = "test.md",
    options: Mapping[str, Mapping[str, Any]] | None = None,
    settings: RunSettings | None = None,
    dialect: Dialect | None = None,
) -> list[Finding]:
    """The findings for `text` as if it were the file `path`, with only `rules` (all when none are named).

    `options` maps a rule name to its config table, as `[rules.NAME]` would in `.mdlint.toml`.
    Findings come sorted as the CLI reports them. Raises `LintError` when the text is not linted.
    `dialect`, when given, replaces the one the file's site would give it.
    """
    result = run_text(text, *rules, path=path, options=options, settings=settings, dialect=dialect)
    _raise_errors(result)
    return result.findings


def fix_text(
    text: str | bytes,
    *rules: str,
    path: str = "test.md",
    options: Mapping[str, Mapping[str, Any]] | None = None,
    settings: RunSettings | None = None,
    unsafe_fixes: bool = False,
    dialect: Dialect | None = None,
) -> str:
    """`text` after `--fix` (with `unsafe_fixes`, `--unsafe-fixes`) with only `rules`; see `lint_text`.

    A fix the safety guard rolls back is not applied, as on the command line.
    """
    result = run_text(
        text,
        *rules,
        path=path,
        options=options,
        settings=settings,
        fix=True,
        unsafe_fixes=unsafe_fixes,
        dialect=dialect,
    )
    _raise_errors(result, allowed=("rolled-back",))
    assert result.stdin_output is not None, "a --fix run over standard input returns the text"
    return result.stdin_output


def _raise_errors(result: RunResult, allowed: tuple[str, ...] = ()) -> None:
    errors = [error for error in result.errors if error.kind not in allowed]
    if errors:
        raise LintError("; ".join(f"{error.path}: {error.message}" for error in errors))


def apply_fixes(text: str, findings: Iterable[Finding], *, unsafe: bool = False) -> str:
    """`text` after one pass of `--fix` (`--unsafe-fixes` with `unsafe`) over the fixes of `findings`."""
    return apply_edits(Document("test.md", text), fixable_edits(findings, unsafe)).text
