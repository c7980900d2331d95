"""Helpers for testing rules: lint a string with chosen rules and options."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from mdlint.findings import Finding
from mdlint.fixing.edits import apply_edits, fixable_edits
from mdlint.markdown.document import Document
from mdlint.rule_engine.engine import LintedFile, check_document, check_run
from mdlint.run.config import ConfigFile, RuleSelection
from mdlint.run.remote_links import remote_links_for
from mdlint.site.workspace import RunSettings, Workspace

__all__ = ["apply_fixes", "lint_text"]


def lint_text(
    text: str,
    *rules: str,
    path: str = "test.md",
    options: Mapping[str, Mapping[str, Any]] | None = None,
    settings: RunSettings | None = None,
) -> list[Finding]:
    """Lint `text` as if it were the file `path`, with only `rules` (all when none are named).

    `options` maps a rule name to its config table, as `[rules.NAME]` would in `.mdlint.toml`.
    """
    from mdlint.run.config import _ConfigModel

    model = _ConfigModel.model_validate({"rules": {k: dict(v) for k, v in (options or {}).items()}})
    config = ConfigFile(None, model)
    config.validate_rules()
    selection = RuleSelection(select=tuple(rules) if rules else None)
    configured = config.rules_for(Path(path), selection)
    workspace = Workspace(settings or RunSettings(offline=True))
    document = Document(path, text)
    linted = LintedFile(document, configured, check_document(document, configured, workspace))
    check_run([linted], workspace, remote_links_for(workspace.settings))
    return linted.findings


def apply_fixes(text: str, findings: Iterable[Finding], *, unsafe: bool = False) -> str:
    """`text` after one pass of `--fix` (`--unsafe-fixes` with `unsafe`) over the fixes of `findings`."""
    return apply_edits(Document("test.md", text), fixable_edits(findings, unsafe)).text
