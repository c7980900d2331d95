"""Invisible characters that change how text behaves without showing up in the editor: no-break
spaces, zero-width spaces and joiners outside emoji sequences, soft hyphens, a byte-order mark in
mid-file and control characters -- reported outside code -- and bidirectional embedding, override
and isolate controls (Trojan Source), which are an error everywhere, code included. Consecutive
characters of one kind are one finding.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from mdlint.document import Document
from mdlint.findings import Applicability, Finding, Fix, Severity
from mdlint.rule import Rule, RuleContext

__all__ = ["RULE"]

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Marks that only matter next to right-to-left text; elsewhere they are leftovers of copy-paste.
_BIDI_MARKS = frozenset("\u200e\u200f\u061c")
_ZERO_WIDTH = frozenset("\u200b\u2060\ufeff")
_JOINERS = frozenset("\u200c\u200d")
_CANDIDATES = regex.compile(
    "[\u00a0\u00ad\u200b\u200c\u200d\u200e\u200f\u061c\u2060\ufeff"
    "\u202a-\u202e\u2066-\u2069\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
# Scripts whose spelling uses ZWJ/ZWNJ between letters (Persian, Hindi, Sinhala, …).
_JOINING_SCRIPT = regex.compile(
    r"[\p{Arabic}\p{Syriac}\p{Devanagari}\p{Bengali}\p{Gurmukhi}\p{Gujarati}\p{Oriya}\p{Tamil}"
    r"\p{Telugu}\p{Kannada}\p{Malayalam}\p{Sinhala}\p{Myanmar}\p{Khmer}\p{Mongolian}\p{Tibetan}]"
)
_RIGHT_TO_LEFT = regex.compile(r"[\p{Bidi_Class=R}\p{Bidi_Class=AL}]")
_PICTOGRAPHIC = regex.compile(r"\p{Extended_Pictographic}")
_GRAPHEME = regex.compile(r"\X")


@dataclass(frozen=True, slots=True)
class _Kind:
    label: str
    in_code: bool  # reported inside code spans and blocks too
    severity: Severity | None  # None: the rule's configured severity
    replacement: str | None  # None: no fix
    applicability: Applicability = "safe"


class _LineFacts:
    """Per-line facts, each computed once: a line of 100k no-break spaces stays linear."""

    def __init__(self, document: Document) -> None:
        self._document = document
        self._right_to_left: dict[int, bool] = {}
        self._content: dict[int, tuple[int, int]] = {}

    def right_to_left(self, offset: int) -> bool:
        """Whether the line holding `offset` has right-to-left letters."""
        index = self._document.position(offset)[0] - 1
        if index not in self._right_to_left:
            self._right_to_left[index] = bool(_RIGHT_TO_LEFT.search(self._document.lines[index]))
        return self._right_to_left[index]

    def line_start(self, offset: int) -> int:
        """Offset of the first character of the line holding `offset`."""
        return self._document.line_starts[self._document.position(offset)[0] - 1]

    def content(self, offset: int) -> tuple[int, int]:
        """Offsets of the first and just past the last character of the line that is not a space."""
        index = self._document.position(offset)[0] - 1
        if index not in self._content:
            line = self._document.lines[index]
            start = self._document.line_starts[index]
            self._content[index] = (
                start + len(line) - len(line.lstrip(_SPACES)),
                start + len(line.rstrip(_SPACES)),
            )
        return self._content[index]


_SPACES = " \t\u00a0"
# Container and block markers a line may start with: quotes, list markers, an ATX heading.
_BLOCK_MARKER_PREFIX = regex.compile(r"[ \t>]*(?:(?:[-+*]|[0-9]{1,9}[.)])[ \t]+)*(?:#{1,6}|[-+*]|[0-9]{1,9}[.)])")
_LONGEST_MARKER_PREFIX = 40


def _classify(text: str, offset: int, lines: _LineFacts) -> _Kind | None:
    """What the invisible character at `offset` is, or None when it is legitimate there."""
    char = text[offset]
    if char in _BIDI_CONTROLS:
        return _Kind("bidirectional control character", True, Severity.ERROR, "", "unsafe")
    if char in _BIDI_MARKS:
        if lines.right_to_left(offset):
            return None
        return _Kind("directional mark outside right-to-left text", False, None, "", _drop_applicability(text, offset))
    if char == "\u00a0":
        return _Kind("no-break space", False, None, " ", _space_applicability(text, offset, lines))
    if char == "\u00ad":
        return _Kind("soft hyphen", False, None, "", _drop_applicability(text, offset))
    if char in _ZERO_WIDTH or char in _JOINERS:
        if char in _JOINERS and (_in_emoji_sequence(text, offset) or _between_joining_letters(text, offset)):
            return None
        if char == "\ufeff":
            label = "byte-order mark in mid-file"
        elif char in _JOINERS:
            label = "joiner outside an emoji sequence"
        else:
            label = "zero-width character"
        return _Kind(label, False, None, "", _drop_applicability(text, offset))
    return _Kind("control character", False, None, "", "unsafe")


def _space_applicability(text: str, offset: int, lines: _LineFacts) -> Applicability:
    # A no-break space in a line's leading or trailing whitespace becomes indentation (an
    # indented code block, a nested list) or a hard line break once it is a plain space.
    first, last = lines.content(offset)
    if offset < first or offset >= last:
        return "unsafe"
    # Right after `#`, `-` or `1.` at the start of a line, a plain space makes a heading or a
    # list item of what GitHub shows as a paragraph.
    line_start = lines.line_start(offset)
    if offset - line_start <= _LONGEST_MARKER_PREFIX and _BLOCK_MARKER_PREFIX.fullmatch(text[line_start:offset]):
        return "unsafe"
    return "safe"


def _drop_applicability(text: str, offset: int) -> Applicability:
    # `**(a)\u200b**와` is a known trick to make the stars render; dropping it next to a
    # delimiter run can change emphasis, and next to a backtick it can join two backtick runs
    # into one and move where code spans start and end.
    neighbours = text[max(0, offset - 1) : offset] + text[offset + 1 : offset + 2]
    return "unsafe" if any(marker in neighbours for marker in "*_`") else "safe"


def _in_emoji_sequence(text: str, offset: int) -> bool:
    """A ZWJ inside one grapheme cluster between two pictographs (🧑🏻‍💻) belongs there."""
    if text[offset] != "\u200d":
        return False
    window_start = max(0, offset - 16)
    for match in _GRAPHEME.finditer(text, window_start, min(len(text), offset + 16)):
        if match.start() <= offset < match.end():
            cluster = match.group()
            position = offset - match.start()
            return bool(_PICTOGRAPHIC.search(cluster[:position])) and bool(
                _PICTOGRAPHIC.search(cluster[position + 1 :])
            )
    return False


def _between_joining_letters(text: str, offset: int) -> bool:
    before = text[offset - 1] if offset > 0 else ""
    after = text[offset + 1] if offset + 1 < len(text) else ""
    return bool(before and after and (_JOINING_SCRIPT.match(before) or _JOINING_SCRIPT.match(after)))


def _describe(chars: str) -> str:
    names = []
    for char in dict.fromkeys(chars):
        name = unicodedata.name(char, "") or "control character"
        names.append(f"U+{ord(char):04X} {name}")
    count = f"{len(chars)} × " if len(chars) > 1 else ""
    return count + ", ".join(names)


def _findings(document: Document) -> Iterator[tuple[int, int, _Kind]]:
    text = document.text
    run_start = run_end = -1
    run_kind: _Kind | None = None
    lines = _LineFacts(document)
    for match in _CANDIDATES.finditer(text):
        offset = match.start()
        kind = _classify(text, offset, lines)
        if kind is not None and not kind.in_code and document.in_code(offset):
            kind = None
        if kind is None:
            continue
        if run_kind == kind and offset == run_end and text[run_start] == text[offset]:
            run_end = offset + 1
            continue
        if run_kind is not None:
            yield run_start, run_end, run_kind
        run_start, run_end, run_kind = offset, offset + 1, kind
    if run_kind is not None:
        yield run_start, run_end, run_kind


def _check(document: Document, context: RuleContext) -> Iterator[Finding]:
    for start, end, kind in _findings(document):
        chars = document.text[start:end]
        fix = None
        if kind.replacement is not None and not document.in_code(start):
            fix = Fix.replace(start, end, kind.replacement * len(chars), kind.applicability)
        where = " in code" if document.in_code(start) else ""
        message = f"invisible {kind.label}{where}: {_describe(chars)}"
        yield context.finding(start, end, message, fix=fix, severity=kind.severity)


RULE = Rule(
    code="MDL031",
    name="text-invisible-char",
    summary="Invisible characters: no-break spaces, zero-width characters, controls, bidi overrides",
    check=_check,
    severity=Severity.WARNING,
)
