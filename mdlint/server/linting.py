"""Linting and fixing one editor buffer through the runner, as `mdlint --stdin-filename PATH -` does.

Everything here speaks mdlint's terms (findings, edits, code-point offsets); `mdlint.server.protocol`
turns them into LSP messages.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mdlint.findings import HTML_BLOCK_SPLIT, INLINE_MARKUP, Edit, Finding, Fix
from mdlint.fixing.safety import FixGuard
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import ConfiguredRule, Rule
from mdlint.rule_engine.suppressions import find_suppressions
from mdlint.run.config import ConfigError, ConfigFile, RuleSelection
from mdlint.run.runner import RunOptions, RunResult, run
from mdlint.run.time_limit import TimeLimitExceeded, time_limit
from mdlint.server.index import ConfigIndex, WorkspaceIndex
from mdlint.server.remote import CachedRemoteLinks
from mdlint.site.workspace import RunSettings

__all__ = ["BufferLinter", "LintOutcome", "Suppression"]

_log = logging.getLogger(__name__)


@dataclass
class LintOutcome:
    """What one lint of a buffer found; `problem` says why it could not be linted at all."""

    text: str
    findings: list[Finding] = field(default_factory=list)
    document: Document | None = None
    rules: list[ConfiguredRule] = field(default_factory=list)
    problem: str | None = None
    time_limit: float | None = None


@dataclass(frozen=True)
class Suppression:
    """A suppression comment that switches one finding off, ready to insert."""

    title: str
    edit: Edit


def _suppression_rule(name: str, scope: str) -> Rule:
    # The fix guard checks an edit against the scope its rule declares. A suppression comment is
    # not a rule's fix, so it gets a rule of its own that declares what inserting it may change.
    return Rule(
        code="MDL000", name=name, summary="a suppression comment", check=lambda _d, _c: (), fix_scope=frozenset({scope})
    )


# A comment at the end of the line adds inline HTML and nothing else; one on a line of its own
# adds an HTML block, which may split what surrounds it (the guard sees when it would).
_END_OF_LINE = _suppression_rule("suppression-end-of-line", INLINE_MARKUP)
_OWN_LINE = _suppression_rule("suppression-own-line", HTML_BLOCK_SPLIT)
_LINE_PREFIX = re.compile(r"[ \t]*(?:>[ \t]?)*")


class BufferLinter:
    """Lints buffers with a workspace index and configuration kept between runs."""

    def __init__(self, settings: RunSettings, config_path: Path | None = None) -> None:
        self.settings = settings
        self.index = WorkspaceIndex(settings)
        self.configs = ConfigIndex(config_path)
        self.remote = None if settings.offline else CachedRemoteLinks(settings.cache_dir)

    def display_path(self, path: Path) -> str:
        """The path findings name: relative to the working folder when inside it, as the CLI run there."""
        try:
            return Path(os.path.relpath(path)).as_posix() if path.is_relative_to(Path.cwd()) else path.as_posix()
        except ValueError:  # another drive (Windows)
            return path.as_posix()

    def config(self, path: Path) -> ConfigFile:
        """The file's configuration; raises `ConfigError`."""
        return self.configs.for_path(path)

    def excluded(self, path: Path) -> bool:
        """Whether the configuration's `exclude` leaves this file out (a broken config excludes nothing)."""
        try:
            return self.config(path).excludes(path)
        except ConfigError:
            return False

    def time_limit(self, path: Path) -> float | None:
        """Seconds a lint of this file may take, as its configuration says (None: no limit)."""
        settings = self.settings.file_time_limit
        if settings is not None:
            return settings
        try:
            return self.config(path).model.file_time_limit
        except ConfigError:
            return None

    def _run(self, path: Path, text: str, fix: bool = False) -> tuple[RunResult, ConfigFile, str]:
        config = self.config(path)
        display = self.display_path(path)
        # A lint keeps its tree: the fix guard compares every quick fix with it.
        options = RunOptions(paths=("-",), stdin_filename=display, settings=self.settings, fix=fix, keep_trees=not fix)
        data = text.encode("utf-8", "surrogatepass")
        self.index.begin_run()
        result = run(options, lambda: data, config=config, workspace=self.index, remote_links=self.remote)
        return result, config, display

    def lint(self, path: Path, text: str) -> LintOutcome:
        """The findings for `text` as the file `path`; never raises."""
        outcome = LintOutcome(text)
        try:
            result, config, display = self._run(path, text)
        except ConfigError as error:
            outcome.problem = f"configuration error: {error}"
            return outcome
        except Exception as error:  # a failing rule must cost one diagnostic, not the server
            _log.exception("linting %s failed", path)
            outcome.problem = f"mdlint failed on this file: {type(error).__name__}: {error}"
            return outcome
        unreadable = [error for error in result.errors if error.kind == "unreadable"]
        if unreadable:
            outcome.problem = unreadable[0].message
            return outcome
        outcome.findings = result.findings
        outcome.document = result.documents.get(display)
        outcome.rules = config.rules_for(Path(display), RuleSelection())
        outcome.time_limit = config.model.file_time_limit
        return outcome

    def fix_all(self, path: Path, text: str) -> str | None:
        """The text after `mdlint --fix` (safe fixes only, through the fix guard); None when unchanged."""
        try:
            result, _config, _display = self._run(path, text, fix=True)
        except Exception:
            _log.exception("fixing %s failed", path)
            return None
        fixed = result.stdin_output
        return fixed if fixed is not None and fixed != text.removeprefix("\ufeff") else None

    def fix_refusal(self, outcome: LintOutcome, finding: Finding) -> str | None:
        """Why the fix guard refuses this finding's fix on its own; None when it goes in."""
        assert finding.fix is not None
        return self._refusal(outcome, outcome.rules, [(finding, finding.fix.edits)])[0]

    def _refusal(
        self,
        outcome: LintOutcome,
        rules: list[ConfiguredRule],
        fixes: list[tuple[Finding, tuple[Edit, ...]]],
        accepted: Callable[[Document], bool] = lambda _document: True,
    ) -> tuple[str | None, Document | None]:
        document = outcome.document
        if document is None:
            return "apply to a file that could not be linted", None
        guard = FixGuard(rules)
        try:
            # The guard parses the fixed text: the same limit as the lint itself.
            with time_limit(outcome.time_limit):
                applied = guard.apply(document, fixes)
                if applied.applied == 0:
                    reasons = guard.rolled_back
                    # Phrased to follow "it would": the guard's own words, or why it took nothing.
                    return (reasons[0].split(": it would ", 1)[-1] if reasons else "touch code"), None
                fixed = applied.document or Document(document.path, applied.text)
                fixed.dialect = document.dialect
                if not accepted(fixed):
                    return "not switch the finding off", None
        except (RecursionError, TimeLimitExceeded):
            return "take too long to check", None
        return None, fixed

    def suppression(self, outcome: LintOutcome, finding: Finding) -> Suppression | str:
        """A comment that switches `finding` off for its line (or, failing that, the file), checked by
        the fix guard; or why none fits."""
        document = outcome.document
        if document is None:
            return "the file could not be linted"
        lines = document.lines
        content = lines[finding.line - 1] if finding.line <= len(lines) else ""
        line_start = document.line_index.offset(finding.line, 1)
        newline = _line_ending(document.text, line_start + len(content))
        candidates: list[tuple[str, Rule, Edit, int]] = []
        end = line_start + len(content.rstrip())
        if content.strip():
            comment = f"<!-- mdlint-disable-line {finding.rule} -->"
            candidates.append((f"Disable {finding.rule} for this line", _END_OF_LINE, Edit(end, end, comment), 0))
        prefix = _LINE_PREFIX.match(content)
        indent = prefix.group() if prefix else ""
        comment = f"{indent}<!-- mdlint-disable-next-line {finding.rule} -->{newline}"
        own_line = Edit(line_start, line_start, comment)
        candidates.append((f"Disable {finding.rule} for this line", _OWN_LINE, own_line, 1))
        # Where no line can take a comment (front matter, a code block), the file can.
        body = document.body_start
        comment = f"<!-- mdlint-disable-file {finding.rule} -->{newline}"
        candidates.append((f"Disable {finding.rule} for this file", _OWN_LINE, Edit(body, body, comment), 1))
        reason = "touch code"
        for title, rule, edit, lines_added in candidates:
            marker = Finding(
                finding.path,
                finding.line,
                finding.column,
                finding.line,
                finding.column,
                rule.name,
                rule.code,
                finding.severity,
                title,
                Fix((edit,)),
            )
            moved = dataclasses.replace(
                finding,
                line=finding.line + lines_added,
                end_line=finding.end_line + lines_added,
            )
            configured = [ConfiguredRule(rule, rule.options(), finding.severity)]
            refusal, _fixed = self._refusal(
                outcome,
                configured,
                [(marker, (edit,))],
                lambda fixed, moved=moved: find_suppressions(fixed).suppressing(moved) is not None,  # type: ignore[misc]
            )
            if refusal is None:
                return Suppression(title, edit)
            reason = refusal
        return f"no suppression comment fits here: it would {reason}"


def _line_ending(text: str, offset: int) -> str:
    """The line break at `offset` (where a line ends), or LF at the end of the text."""
    if text.startswith("\r\n", offset):
        return "\r\n"
    if text.startswith("\r", offset):
        return "\r"
    return "\n"
