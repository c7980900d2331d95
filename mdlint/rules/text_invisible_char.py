"""Invisible characters that change how text behaves without showing up in the editor: no-break
spaces, zero-width spaces and joiners outside emoji sequences, soft hyphens, a byte-order mark in
mid-file and control characters -- reported outside code -- and bidirectional embedding, override
and isolate controls (Trojan Source), which are an error everywhere, code included. Consecutive
characters of one kind are one finding.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from mdlint.document import Document
from mdlint.findings import Applicability, Finding, Fix, Severity
from mdlint.fix_safety import FRONT_MATTER, LINK_DESTINATIONS, TEXT
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


def _classify(text: str, offset: int, document: Document) -> _Kind | None:
    """What the invisible character at `offset` is, or None when it is legitimate there."""
    char = text[offset]
    if char in _BIDI_CONTROLS:
        return _Kind("bidirectional control character", True, Severity.ERROR, "", "unsafe")
    if char in _BIDI_MARKS:
        line = document.lines[document.position(offset)[0] - 1]
        if _RIGHT_TO_LEFT.search(line):
            return None
        return _Kind("directional mark outside right-to-left text", False, None, "", _drop_applicability(text, offset))
    if char == "\u00a0":
        return _Kind("no-break space", False, None, " ", _space_applicability(text, offset, document))
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


def _space_applicability(text: str, offset: int, document: Document) -> Applicability:
    # A no-break space in a line's leading or trailing whitespace becomes indentation (an
    # indented code block, a nested list) or a hard line break once it is a plain space.
    before, after = _line_around(text, offset)
    if not before.strip(" \t\u00a0") or not after.strip(" \t\u00a0"):
        return "unsafe"
    # After `1.`, `-` or `#` at the start of a line a plain space makes a list or a heading; in a
    # destination or an HTML tag or autolink it ends it; next to a delimiter it can make a
    # thematic break (`-\u00a0-\u00a0-`) or change emphasis.
    if _BLOCK_MARKERS.match(before) or _OPEN_ANGLE.search(before) or _URL_BEFORE.search(before):
        return "unsafe"
    if _neighbours(text, offset) & _SPACE_SENSITIVE or _in_destination(document, offset):
        return "unsafe"
    return "safe"


def _drop_applicability(text: str, offset: int) -> Applicability:
    # `**(a)\u200b**와` is a known trick to make the stars render; dropping it next to a
    # delimiter run can change emphasis. Next to other punctuation, dropping it can join
    # characters into Markdown (`-\u200b-\u200b-`, `[a]\u200b(b)`, `&\u200bamp;`), and at the
    # start of a line it can make a heading or a list (`\u200b# Title`).
    before, after = _line_around(text, offset)
    if _neighbours(text, offset) & _JOIN_SENSITIVE or _BLOCK_MARKERS.match(before):
        return "unsafe"
    if not after.strip(" \t\u00a0") and before.endswith((" ", "\t", "\u00a0")):
        return "unsafe"  # the spaces before it would end the line: a hard line break
    return "safe"


# Characters whose meaning depends on what stands right next to them.
_SPACE_SENSITIVE = frozenset("*_~`-+#=\\<>")
_JOIN_SENSITIVE = frozenset("*_~`-+#=\\<>[]()!.:;&|/")
_BLOCK_MARKERS = re.compile(r"^(?:[ \t>]|[-+*]|\d{1,9}[.)]|#{1,6})*$")
_OPEN_ANGLE = re.compile(r"<[^<>]*$")
_URL_BEFORE = re.compile(r"(?:://|www\.)\S*$")


# Characters the fixes remove: when judging one, the others next to it are as good as gone.
_REMOVED = "\u200b\u2060\ufeff\u200c\u200d\u00ad\u200e\u200f\u061c"
_WITHOUT_REMOVED = str.maketrans("", "", _REMOVED)


def _line_around(text: str, offset: int) -> tuple[str, str]:
    """The text of `offset`'s line before it and after it, without other removable characters."""
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    line_end = len(text)
    for newline in ("\n", "\r"):
        found = text.find(newline, offset)
        if found != -1:
            line_end = min(line_end, found)
    return text[line_start:offset].translate(_WITHOUT_REMOVED), text[offset + 1 : line_end].translate(_WITHOUT_REMOVED)


def _neighbours(text: str, offset: int) -> set[str]:
    before, after = _line_around(text, offset)
    return set(before[-1:] + after[:1])


def _in_destination(document: Document, offset: int) -> bool:
    return any(
        node.attrs.get("destination_start", node.end) <= offset < node.attrs.get("destination_end", node.start)
        for node in document.nodes("link", "image", "link_definition")
    )


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
    for match in _CANDIDATES.finditer(text):
        offset = match.start()
        kind = _classify(text, offset, document)
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
    fix_scope=frozenset({TEXT, LINK_DESTINATIONS, FRONT_MATTER}),
)
