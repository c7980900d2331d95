"""The baseline file: findings a repository has accepted, so only new ones are reported.

A finding is recorded by its fingerprint: the file (relative to the baseline's folder), the rule,
the message with line numbers blanked, and a hash of the text it points at. The line number is
not part of it, so edits elsewhere that move the finding up or down keep it matched; editing the
offending text, or renaming the file, makes it new. Identical fingerprints are counted: with two
recorded and three found, one is reported.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mdlint.findings import Finding
from mdlint.markdown.document import Document
from mdlint.source.decoding import UnreadableFileError, read_regular_file

__all__ = [
    "BASELINE_VERSION",
    "Baseline",
    "BaselineError",
    "Fingerprint",
    "SourceText",
    "fingerprint",
    "load_baseline",
    "source_reader",
    "write_baseline",
]

BASELINE_VERSION = 1
# A baseline is read whole; this bounds what a path such as /dev/zero or a huge file can cost.
_MAX_BASELINE_BYTES = 256 * 1024 * 1024

# The lines of a linted file by its display path; None for a file the run did not lint.
SourceText = Callable[[str], Sequence[str] | None]

# Messages that quote a line ("first written on line 12") would stop matching whenever lines move.
_LINE_NUMBER = re.compile(r"\b(lines?|columns?) \d+(?:[-–]\d+)?")


class BaselineError(Exception):
    """The baseline file cannot be used; the message is one line naming the file."""


@dataclass(frozen=True, order=True, slots=True)
class Fingerprint:
    """What identifies a finding across edits that move lines."""

    path: str
    rule: str
    message: str
    context: str


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    rule: str
    message: str
    context: str
    count: int = Field(default=1, ge=1)


class _BaselineFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    findings: list[_Entry]


class Baseline:
    """The recorded fingerprints of one baseline file, with their counts."""

    def __init__(self, root: Path, counts: Mapping[Fingerprint, int]) -> None:
        self.root = root
        self.counts = Counter(counts)

    @classmethod
    def from_findings(cls, root: Path, findings: Iterable[Finding], source: SourceText) -> Baseline:
        """The baseline that records exactly `findings`; paths are made relative to `root`."""
        return cls(root, Counter(fingerprint(finding, root, source) for finding in findings))

    def new_findings(self, findings: Iterable[Finding], source: SourceText) -> list[Finding]:
        """The findings beyond what the baseline records, in the order given."""
        remaining = Counter(self.counts)
        new = []
        for finding in findings:
            key = fingerprint(finding, self.root, source)
            if remaining[key] > 0:
                remaining[key] -= 1
            else:
                new.append(finding)
        return new

    def to_json(self) -> str:
        """The file's text: sorted entries, one key order, LF line breaks, so the bytes are stable."""
        entries = [
            {"path": key.path, "rule": key.rule, "message": key.message, "context": key.context, "count": count}
            for key, count in sorted(self.counts.items())
            if count > 0
        ]
        return json.dumps({"version": BASELINE_VERSION, "findings": entries}, ensure_ascii=False, indent=2) + "\n"


def fingerprint(finding: Finding, root: Path, source: SourceText) -> Fingerprint:
    """The finding's fingerprint; `root` is the folder of the baseline file."""
    digest = hashlib.sha256(_offending_text(finding, source).encode("utf-8")).hexdigest()[:16]
    return Fingerprint(
        _relative_path(finding.path, root), finding.rule, _LINE_NUMBER.sub(r"\1 N", finding.message), digest
    )


def _offending_text(finding: Finding, source: SourceText) -> str:
    """The span when it lies on one line, else the finding's first line; whitespace collapsed."""
    lines = source(finding.path)
    if lines is None or not 1 <= finding.line <= len(lines):
        return ""
    line = lines[finding.line - 1]
    if finding.end_line == finding.line:
        span = " ".join(line[finding.column - 1 : finding.end_column - 1].split())
        if span:
            return span
    return " ".join(line.split())


def _relative_path(display: str, root: Path) -> str:
    if display == "-":
        return display
    path = Path(display).resolve()
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def source_reader(texts: Mapping[str, str]) -> SourceText:
    """Lines by display path, from the texts the run linted (standard input and fixes included)."""
    cache: dict[str, list[str] | None] = {}

    def read(display: str) -> list[str] | None:
        if display not in cache:
            text = texts.get(display)
            cache[display] = None if text is None else Document(display, text).lines
        return cache[display]

    return read


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; raise `BaselineError` with a one-line reason when it is unusable."""
    try:
        data = read_regular_file(path, max_bytes=_MAX_BASELINE_BYTES)
    except UnreadableFileError as error:
        raise BaselineError(f"{path}: cannot read: {error} (create it with --write-baseline)") from None
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: not valid UTF-8") from None
    except RecursionError:
        raise BaselineError(f"{path}: not valid JSON: nested too deep") from None
    except json.JSONDecodeError as error:
        raise BaselineError(
            f"{path}: not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    try:
        model = _BaselineFile.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or '(top level)'}: {item['msg']}" for item in error.errors()
        )
        raise BaselineError(f"{path}: not an mdlint baseline (version {BASELINE_VERSION}): {problems}") from None
    counts: Counter[Fingerprint] = Counter()
    for entry in model.findings:
        counts[Fingerprint(entry.path, entry.rule, entry.message, entry.context)] += entry.count
    return Baseline(path.parent, counts)


def write_baseline(path: Path, findings: Iterable[Finding], source: SourceText) -> Baseline:
    """Record `findings` in the baseline file at `path` (UTF-8, LF) and return what was written."""
    baseline = Baseline.from_findings(path.parent, findings, source)
    try:
        path.write_bytes(baseline.to_json().encode("utf-8"))
    except OSError as error:
        raise BaselineError(f"{path}: cannot write: {error.strerror or error}") from None
    return baseline
