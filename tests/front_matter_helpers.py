"""Helpers for the front-matter rule tests: lint a folder of files through the engine, apply fixes."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mdlint.findings import Finding
from mdlint.markdown.document import read_document
from mdlint.rule_engine.engine import LintedFile, check_document, check_run
from mdlint.run.config import ConfigFile, RuleSelection, _ConfigModel, load_config
from mdlint.site.workspace import RunSettings, Workspace

__all__ = ["lint_folder", "write_files"]


def write_files(root: Path, files: Mapping[str, str | bytes]) -> list[Path]:
    """Write `files` (relative path -> text or bytes) under `root`; return their paths."""
    paths = []
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        paths.append(path)
    return paths


def lint_folder(
    root: Path,
    rule: str,
    *,
    options: Mapping[str, Any] | None = None,
    workspace: Workspace | None = None,
) -> dict[str, list[Finding]]:
    """Lint every Markdown file under `root` with one rule, as one run; findings by relative path.

    A `.mdlint.toml` in `root` is used when there is one; otherwise `options` is the rule's table.
    """
    config_path = root / ".mdlint.toml"
    if config_path.exists():
        config = load_config(config_path)
    else:
        config = ConfigFile(config_path, _ConfigModel.model_validate({"rules": {rule: dict(options or {})}}))
        config.validate_rules()
    paths = sorted(p for p in root.rglob("*") if p.suffix in (".md", ".markdown", ".html"))
    workspace = workspace or Workspace(RunSettings(offline=True), paths=[p.resolve() for p in paths])
    linted = []
    for path in paths:
        document = read_document(path, str(path))
        workspace.add_document(path, document)
        configured = config.rules_for(path, RuleSelection(select=(rule,)))
        linted.append(LintedFile(document, configured, check_document(document, configured, workspace)))
    check_run(linted, workspace)
    return {Path(item.document.path).relative_to(root).as_posix(): item.findings for item in linted}
