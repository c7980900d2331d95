"""Invisible characters that change how text behaves without showing up in the editor: no-break
spaces, zero-width spaces and joiners outside emoji sequences, soft hyphens, a byte-order mark in
mid-file and control characters -- reported outside code -- and bidirectional embedding, override
and isolate controls (Trojan Source), which are an error everywhere, code included. Consecutive
characters of one kind are one finding.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from mdlint.findings import FRONT_MATTER, LINK_DESTINATIONS, TEXT, Applicability, Finding, Fix, Severity
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

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
    """What the applicability checks need to know about a line, computed once per line, so a line
    of 100k invisible characters stays linear: the line with the removable characters taken out
    ("clean"), where its non-space text starts and ends, its marker prefix, its angle brackets
    and its whitespace."""

    def __init__(self, document: Document) -> None:
        self._document = document
        self._lines: dict[int, _CleanLine] = {}
        self._right_to_left: dict[int, bool] = {}
        self._destinations: tuple[list[int], list[int]] | None = None

    def _index(self, offset: int) -> int:
        return self._document.position(offset)[0] - 1

    def right_to_left(self, offset: int) -> bool:
        """Whether the line holding `offset` has right-to-left letters."""
        index = self._index(offset)
        if index not in self._right_to_left:
            self._right_to_left[index] = bool(_RIGHT_TO_LEFT.search(self._document.lines[index]))
        return self._right_to_left[index]

    def around(self, offset: int) -> tuple[_CleanLine, int, int]:
        """The clean line of `offset`, and where the text before it ends and the text after it
        starts in that clean line (equal when the character itself is removable)."""
        index = self._index(offset)
        line = self._lines.get(index)
        if line is None:
            line = self._lines[index] = _CleanLine(self._document.lines[index])
        column = offset - self._document.line_starts[index]
        before_end = line.clean_index(column)
        after_start = line.clean_index(column + 1)
        return line, before_end, after_start

    def in_destination(self, offset: int) -> bool:
        """Whether `offset` lies in a link's, an image's or a link definition's destination."""
        if self._destinations is None:
            spans = sorted(
                (node.attrs["destination_start"], node.attrs["destination_end"])
                for node in self._document.nodes("link", "image", "link_definition")
                if "destination_start" in node.attrs and "destination_end" in node.attrs
            )
            starts = [start for start, _ in spans]
            furthest: list[int] = []
            for _, end in spans:
                furthest.append(max(end, furthest[-1]) if furthest else end)
            self._destinations = (starts, furthest)
        starts, furthest = self._destinations
        position = bisect.bisect_right(starts, offset)
        return position > 0 and furthest[position - 1] > offset


class _CleanLine:
    """One line without the characters the fixes remove, with indexes into it."""

    def __init__(self, line: str) -> None:
        self.text = line.translate(_WITHOUT_REMOVED)
        # removed_before[i]: removable characters among line[:i].
        self._removed_before = [0]
        for char in line:
            self._removed_before.append(self._removed_before[-1] + (char in _REMOVED))
        stripped = self.text.lstrip(_SPACES)
        self.content_start = len(self.text) - len(stripped)
        self.content_end = len(self.text.rstrip(_SPACES))
        marker_run = _MARKER_RUN.match(self.text)
        self.marker_end = marker_run.end() if marker_run else 0
        self.opening_angles = [i for i, char in enumerate(self.text) if char == "<"]
        self.closing_angles = [i for i, char in enumerate(self.text) if char == ">"]
        self.spaces = [i for i, char in enumerate(self.text) if char.isspace()]
        # GitHub ends an autolink at ASCII whitespace only: a no-break space stays inside it.
        self.ascii_spaces = [i for i, char in enumerate(self.text) if char in " \t\r\n\f"]

    def clean_index(self, column: int) -> int:
        """Where `line[column:]` starts in the clean text."""
        column = min(column, len(self._removed_before) - 1)
        return column - self._removed_before[column]

    def only_markers_before(self, end: int) -> bool:
        """Whether the clean text before `end` is nothing but container and block markers."""
        if end > self.marker_end:
            return False
        # A marker prefix this long is deep nesting; judging it exactly would cost a scan per
        # character, so it counts as markers (the unsafe answer).
        return end > _LONGEST_JUDGED_PREFIX or _BLOCK_MARKERS.fullmatch(self.text[:end]) is not None

    def inside_angle_brackets(self, end: int) -> bool:
        """Whether a `<` before `end` is still open there (an HTML tag or an autolink)."""
        opening = bisect.bisect_left(self.opening_angles, end)
        if opening == 0:
            return False
        closing = bisect.bisect_left(self.closing_angles, end)
        return closing == 0 or self.closing_angles[closing - 1] < self.opening_angles[opening - 1]

    def in_bare_url(self, end: int) -> bool:
        """Whether the word before `end` is a URL (holds `://` or starts like `www.`)."""
        space = bisect.bisect_left(self.spaces, end)
        word = self.text[self.spaces[space - 1] + 1 if space else 0 : end]
        return "://" in word or "www." in word

    def in_autolink_word(self, before_end: int, after_start: int) -> bool:
        """Whether the word around a character could be (or become) a GitHub autolink: a URL or an email.

        Where such a link ends and where it points depend on every character of the word.
        """
        spaces = self.ascii_spaces
        space = bisect.bisect_left(spaces, before_end)
        start = spaces[space - 1] + 1 if space else 0
        following = bisect.bisect_left(spaces, after_start)
        end = spaces[following] if following < len(spaces) else len(self.text)
        word = self.text[start:end]
        return "://" in word or "www." in word or "@" in word


def _classify(text: str, offset: int, lines: _LineFacts) -> _Kind | None:
    """What the invisible character at `offset` is, or None when it is legitimate there."""
    char = text[offset]
    if char in _BIDI_CONTROLS:
        return _Kind("bidirectional control character", True, Severity.ERROR, "", "unsafe")
    if char in _BIDI_MARKS:
        if lines.right_to_left(offset):
            return None
        return _Kind("directional mark outside right-to-left text", False, None, "", _drop_applicability(offset, lines))
    if char == "\u00a0":
        return _Kind("no-break space", False, None, " ", _space_applicability(offset, lines))
    if char == "\u00ad":
        return _Kind("soft hyphen", False, None, "", _drop_applicability(offset, lines))
    if char in _ZERO_WIDTH or char in _JOINERS:
        if char in _JOINERS and (_in_emoji_sequence(text, offset) or _between_joining_letters(text, offset)):
            return None
        if char == "\ufeff":
            label = "byte-order mark in mid-file"
        elif char in _JOINERS:
            label = "joiner outside an emoji sequence"
        else:
            label = "zero-width character"
        return _Kind(label, False, None, "", _drop_applicability(offset, lines))
    return _Kind("control character", False, None, "", "unsafe")


def _space_applicability(offset: int, lines: _LineFacts) -> Applicability:
    line, before_end, after_start = lines.around(offset)
    # A no-break space in a line's leading or trailing whitespace becomes indentation (an
    # indented code block, a nested list) or a hard line break once it is a plain space.
    if before_end <= line.content_start or after_start >= line.content_end:
        return "unsafe"
    # After `1.`, `-` or `#` at the start of a line a plain space makes a list or a heading; in a
    # destination or an HTML tag or autolink it ends it; next to a delimiter it can make a
    # thematic break (`-\u00a0-\u00a0-`) or change emphasis.
    if line.only_markers_before(before_end) or line.inside_angle_brackets(before_end) or line.in_bare_url(before_end):
        return "unsafe"
    if line.in_autolink_word(before_end, after_start):
        return "unsafe"
    if "[" in line.text[:before_end] and "]" in line.text[after_start:]:
        # Inside brackets it may be a link label: GitHub matches `[RE2<U+00A0>syntax]` to a
        # definition by its characters, and a plain space there can make or break the match.
        return "unsafe"
    if _neighbours(line, before_end, after_start) & _SPACE_SENSITIVE or lines.in_destination(offset):
        return "unsafe"
    return "safe"


def _drop_applicability(offset: int, lines: _LineFacts) -> Applicability:
    # `**(a)\u200b**와` is a known trick to make the stars render; dropping it next to a
    # delimiter run can change emphasis. Next to other punctuation, dropping it can join
    # characters into Markdown (`-\u200b-\u200b-`, `[a]\u200b(b)`, `&\u200bamp;`), and at the
    # start of a line it can make a heading or a list (`\u200b# Title`).
    line, before_end, after_start = lines.around(offset)
    if _neighbours(line, before_end, after_start) & _JOIN_SENSITIVE or line.only_markers_before(before_end):
        return "unsafe"
    if line.in_autolink_word(before_end, after_start):
        return "unsafe"  # part of a `www.`, `https://` or email autolink: dropping it moves the link
    if _ENTITY_BEFORE.search(line.text, 0, before_end) and _ENTITY_AFTER.match(line.text, after_start):
        return "unsafe"  # `&n\u2060bsp;` would become the entity `&nbsp;`
    if after_start >= line.content_end and before_end > 0 and line.text[before_end - 1] in _SPACES:
        return "unsafe"  # the spaces before it would end the line: a hard line break
    return "safe"


def _neighbours(line: _CleanLine, before_end: int, after_start: int) -> set[str]:
    return set(line.text[before_end - 1 : before_end] if before_end else "") | set(
        line.text[after_start : after_start + 1]
    )


_SPACES = " \t\u00a0"
_ENTITY_BEFORE = re.compile(r"&#?[A-Za-z0-9]*$")
_ENTITY_AFTER = re.compile(r"[A-Za-z0-9]*;")
# Characters whose meaning depends on what stands right next to them.
_SPACE_SENSITIVE = frozenset("*_~`-+#=\\<>")
_JOIN_SENSITIVE = frozenset("*_~`-+#=\\<>[]()!.:;&|/")
_BLOCK_MARKERS = re.compile(r"(?:[ \t>]|[-+*]|\d{1,9}[.)]|#{1,6})*")
_MARKER_RUN = re.compile(r"[ \t>\-+*#0-9.)]*")
_LONGEST_JUDGED_PREFIX = 200

# Characters the fixes remove: when judging one, the others next to it are as good as gone.
_REMOVED = "\u200b\u2060\ufeff\u200c\u200d\u00ad\u200e\u200f\u061c"
_WITHOUT_REMOVED = str.maketrans("", "", _REMOVED)


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


def _check(document: Document, context: RuleContext[RuleOptions]) -> Iterator[Finding]:
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
    fixes=frozenset({"safe", "unsafe"}),
)
