"""CommonMark emphasis delimiter runs, matched the way GitHub (cmark-gfm) matches them.

`find_broken_emphasis` scans the inline source of one block (a paragraph, heading or table
cell), pairs `*` and `_` delimiter runs with the CommonMark algorithm twice -- once with the
real left/right-flanking rules and once with rules relaxed where a run touches a CJK letter --
and returns the pairs only the relaxed reading matches: emphasis the writer meant but GitHub
prints as literal stars. The scanner skips what CommonMark skips (backslash escapes, code
spans, autolinks, inline HTML, link destinations, GFM bare URLs) and processes emphasis inside
link text first, as cmark does, so a pair never crosses a link boundary.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from typing import Literal

from mdlint.markdown.extended_autolinks import www_link_end

__all__ = [
    "BrokenEmphasis",
    "CommonMarkReading",
    "DelimiterRun",
    "EmphasisMatch",
    "InlineSource",
    "Reading",
    "find_broken_emphasis",
    "is_cjk_letter",
    "is_punctuation",
    "is_whitespace",
    "match_emphasis",
    "match_strikethrough",
    "normalize_label",
]

# "gfm": GitHub's cmark-gfm, which counts ASCII punctuation and Unicode P* as punctuation (spec
# 0.29). "goldmark": Hugo's Goldmark, the same punctuation without cmark-gfm's `~` quirks.
# "commonmark": spec 0.31.2, which adds the Unicode S* (symbol) categories. "kramdown": Jekyll's
# renderer, which pairs delimiters its own way (see `mdlint.markdown.kramdown_spans`).
Reading = Literal["gfm", "goldmark", "commonmark", "kramdown"]
CommonMarkReading = Literal["gfm", "goldmark", "commonmark"]

_ASCII_PUNCTUATION = frozenset(string.punctuation)
_CJK_LETTER = re.compile(
    "["
    "\u1100-\u11ff"  # Hangul Jamo
    "\u2e80-\u2fdf"  # CJK radicals, Kangxi radicals
    "\u3005\u3007\u3021-\u3029\u3038-\u303b"  # ideographic iteration marks, Hangzhou numerals
    "\u3041-\u3096\u309d-\u309f"  # Hiragana
    "\u30a1-\u30fa\u30fc-\u30ff"  # Katakana (with the prolonged sound mark)
    "\u3105-\u312f\u31a0-\u31bf"  # Bopomofo
    "\u3131-\u318e"  # Hangul compatibility Jamo
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf\u4e00-\u9fff"  # CJK unified ideographs and extension A
    "\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"  # Hangul syllables and Jamo extensions
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\uff66-\uff9f\uffa0-\uffdc"  # halfwidth Katakana and Hangul
    "\U00020000-\U0003134f"  # CJK extensions B-H
    "]"
)


def is_whitespace(char: str) -> bool:
    """Unicode whitespace as CommonMark defines it: Zs, tab, line feed, form feed, carriage return."""
    return char in "\t\n\f\r " or unicodedata.category(char) == "Zs"


def is_punctuation(char: str, reading: CommonMarkReading = "gfm") -> bool:
    """Whether a character counts as punctuation for flanking, for this reading."""
    if char in _ASCII_PUNCTUATION:
        return True
    category = unicodedata.category(char)
    return category.startswith("P") or (reading == "commonmark" and category.startswith("S"))


def is_cjk_letter(char: str) -> bool:
    """Han, Hangul, Hiragana, Katakana or Bopomofo letter (not CJK punctuation)."""
    return _CJK_LETTER.match(char) is not None


def normalize_label(label: str) -> str:
    """A link label as CommonMark compares it: case-folded, inner whitespace collapsed."""
    return " ".join(label.split()).casefold()


@dataclass(frozen=True, slots=True)
class InlineSource:
    """The inline content of one block: `text[start:end]`, with container prefixes masked.

    `masked` holds (start, end) offsets -- block-quote markers and indentation at the start of
    continuation lines -- that cmark strips before inline parsing; they read as whitespace.
    `definitions` holds the normalised labels of the document's link reference definitions.
    """

    text: str
    start: int
    end: int
    masked: tuple[tuple[int, int], ...] = ()
    definitions: frozenset[str] = frozenset()

    def subject(self) -> str:
        """The inline source with masked ranges replaced by spaces (offsets preserved)."""
        chars = list(self.text[self.start : self.end])
        for mask_start, mask_end in self.masked:
            for offset in range(max(mask_start, self.start), min(mask_end, self.end)):
                chars[offset - self.start] = " "
        return "".join(chars)


@dataclass(slots=True, eq=False)
class DelimiterRun:
    """A run of `*` or `_` and whether it can open or close emphasis."""

    char: str
    start: int  # offsets into the document text
    end: int
    can_open: bool
    can_close: bool
    left_flanking: bool
    right_flanking: bool
    # The characters not yet used by a match; cmark consumes openers from the end and closers
    # from the start, so what is left is always one contiguous span.
    left: int = 0
    right: int = 0
    active: bool = True

    def __post_init__(self) -> None:
        self.left, self.right = self.start, self.end

    @property
    def remaining(self) -> int:
        return self.right - self.left


@dataclass(frozen=True, slots=True)
class EmphasisMatch:
    """One emphasis or strong pair: the delimiter characters used on each side."""

    opener: DelimiterRun
    closer: DelimiterRun
    opener_span: tuple[int, int]
    closer_span: tuple[int, int]

    @property
    def strong(self) -> bool:
        return self.opener_span[1] - self.opener_span[0] == 2


@dataclass(frozen=True, slots=True)
class BrokenEmphasis:
    """A pair the writer meant as emphasis that the renderer leaves as literal characters.

    `failing` is the run that cannot open or close (the place to report); `reason` names the
    rule that stops it.
    """

    # (opener characters, closer characters) of each pair the run spoils: two for `***`.
    pairs: tuple[tuple[tuple[int, int], tuple[int, int]], ...]
    failing: tuple[int, int]
    failing_side: Literal["opener", "closer"]
    reason: str
    char: str
    # Both runs are left wholly literal by the renderer, so the pair can be rewritten alone.
    literal: bool


@dataclass(slots=True)
class _Bracket:
    position: int  # offset of "[" (or "!" for images)
    label_start: int  # offset just after "["
    image: bool
    delimiter_count: int  # how many delimiter runs existed when it was pushed
    active: bool = True


@dataclass(slots=True)
class _Scan:
    reading: CommonMarkReading
    runs: list[DelimiterRun] = field(default_factory=list)
    matches: list[EmphasisMatch] = field(default_factory=list)
    # GFM strikethrough pairs: (opener, closer) offsets of the tildes of each `<del>`.
    strikes: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


_Flanking = Callable[[str, str, str], tuple[bool, bool, bool, bool]]

_AUTOLINK = re.compile(
    r"<[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*>|<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)
_ATTRIBUTE = r"""(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)"""
_INLINE_HTML = re.compile(
    rf"<[A-Za-z][A-Za-z0-9-]*{_ATTRIBUTE}*\s*/?>"
    r"|</[A-Za-z][A-Za-z0-9-]*\s*>"
    r"|<!-->|<!--->|<!--[\s\S]*?-->"
    r"|<\?[\s\S]*?\?>"
    r"|<![A-Za-z][^>]*>"
    r"|<!\[CDATA\[[\s\S]*?\]\]>"
)
# GFM's autolink extension: bare URLs and www. links, whose `_` and `*` are part of the URL.
_BARE_URL = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s<]*", re.IGNORECASE)
_BARE_URL_TRAILING = "?!.,:*_~'\""
# Goldmark's linkify takes fewer characters: no `*`, `|` or non-ASCII letter ends a URL's path.
_GOLDMARK_URL = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-z]+(?::\d+)?"
    r"(?:[/#?][-a-zA-Z0-9@:%_+.~#$!?&/=();,'\">^{}\[\]`]*)?"
)
_GOLDMARK_URL_TRAILING = "?!.,:*_~"
_SWALLOWED_DELIMITER = re.compile(r"(?:\*+|_+)(?=" + _CJK_LETTER.pattern + "|[\u3000-\u303f\uff00-\uffef])")


def _strict_flanking(reading: CommonMarkReading) -> _Flanking:
    def flanking(char: str, before: str, after: str) -> tuple[bool, bool, bool, bool]:
        before_space, after_space = is_whitespace(before), is_whitespace(after)
        before_punct, after_punct = is_punctuation(before, reading), is_punctuation(after, reading)
        left = not after_space and (not after_punct or before_space or before_punct)
        right = not before_space and (not before_punct or after_space or after_punct)
        if char == "*":
            return left, right, left, right
        return left and (not right or before_punct), right and (not left or after_punct), left, right

    return flanking


def _relaxed_flanking(reading: CommonMarkReading) -> _Flanking:
    """Flanking as a CJK writer reads it: a CJK letter next to the run counts as a boundary."""

    def flanking(char: str, before: str, after: str) -> tuple[bool, bool, bool, bool]:
        before_space, after_space = is_whitespace(before), is_whitespace(after)
        before_punct, after_punct = is_punctuation(before, reading), is_punctuation(after, reading)
        before_cjk, after_cjk = is_cjk_letter(before), is_cjk_letter(after)
        left = not after_space and (not after_punct or before_space or before_punct or before_cjk)
        right = not before_space and (not before_punct or after_space or after_punct or after_cjk)
        if char == "*":
            return left, right, left, right
        can_open = left and (not right or before_punct or before_cjk)
        can_close = right and (not left or after_punct or after_cjk)
        return can_open, can_close, left, right

    return flanking


def _skip_code_span(subject: str, index: int) -> int:
    """Index after a code span starting at `index`, or after the backtick run when unclosed."""
    run_end = index
    while run_end < len(subject) and subject[run_end] == "`":
        run_end += 1
    length = run_end - index
    search = run_end
    while True:
        found = subject.find("`" * length, search)
        if found == -1:
            return run_end
        end = found + length
        if (found == 0 or subject[found - 1] != "`") and (end >= len(subject) or subject[end] != "`"):
            return end
        search = found + 1
        while search < len(subject) and subject[search] == "`":
            search += 1


def _bare_url_end(subject: str, index: int, reading: CommonMarkReading) -> int:
    goldmark = reading == "goldmark"
    match = (_GOLDMARK_URL if goldmark else _BARE_URL).match(subject, index)
    if match is None:
        return index
    end = match.end()
    if not goldmark and subject.startswith("www.", index):
        # GitHub makes a `www.` link only of a valid domain (`www.~~x~~` is text and its
        # tildes strike).
        www_end = www_link_end(subject, index)
        return index if www_end is None else www_end
    trailing = _GOLDMARK_URL_TRAILING if goldmark else _BARE_URL_TRAILING
    while end > index:
        last = subject[end - 1]
        unbalanced = last == ")" and subject.count("(", index, end) < subject.count(")", index, end)
        if last in trailing or unbalanced:
            end -= 1
        elif not goldmark and last == ";" and re.search(r"&[A-Za-z0-9]+;$", subject[index:end]):
            end = subject.rfind("&", index, end)
        else:
            break
    return end


def _skip_spaces(subject: str, index: int, allow_newline: bool = True) -> int:
    seen_newline = False
    while index < len(subject) and subject[index] in " \t\n":
        if subject[index] == "\n":
            if seen_newline or not allow_newline:
                break
            seen_newline = True
        index += 1
    return index


def _inline_link_end(subject: str, index: int) -> int | None:
    """Given the index of "(" after "]", the index after the closing ")" of an inline link."""
    position = _skip_spaces(subject, index + 1)
    if position < len(subject) and subject[position] == "<":
        position += 1
        while position < len(subject) and subject[position] not in "<>\n":
            position += 2 if subject[position] == "\\" else 1
        if position >= len(subject) or subject[position] != ">":
            return None
        position += 1
    else:
        depth = 0
        while position < len(subject):
            char = subject[position]
            if char == "\\" and position + 1 < len(subject) and subject[position + 1] in _ASCII_PUNCTUATION:
                position += 2
                continue
            if is_whitespace(char) or ord(char) < 0x20:
                break
            if char == "(":
                depth += 1
                if depth > 32:
                    return None
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            position += 1
        if depth != 0:
            return None
    before_title = position
    position = _skip_spaces(subject, position)
    if position < len(subject) and subject[position] in "\"'(" and position > before_title:
        closing = ")" if subject[position] == "(" else subject[position]
        position += 1
        while position < len(subject) and subject[position] != closing:
            if subject[position] == "\\":
                position += 1
            elif closing == ")" and subject[position] == "(":
                return None
            position += 1
        if position >= len(subject):
            return None
        position = _skip_spaces(subject, position + 1)
    if position < len(subject) and subject[position] == ")":
        return position + 1
    return None


def _link_label_end(subject: str, index: int) -> int | None:
    """Given the index of "[", the index of its closing "]" when it is a valid link label."""
    position = index + 1
    while position < len(subject) and position - index <= 1000:
        char = subject[position]
        if char == "\\" and position + 1 < len(subject):
            position += 2
            continue
        if char == "[":
            return None
        if char == "]":
            return position
        position += 1
    return None


def _neighbours(subject: str, start: int, end: int, reading: CommonMarkReading) -> tuple[str, str]:
    """The characters cmark looks at on each side of a delimiter run; "\\n" at the edges.

    cmark-gfm registers `~` as an emphasis-like character and looks through it: it walks over
    `~` on both sides, and a side that is nothing but `~` reads as a line end.
    """
    before_position, after_position = start - 1, end
    if reading == "gfm":
        while before_position > 0 and subject[before_position] == "~":
            before_position -= 1
        while after_position < len(subject) and subject[after_position] == "~":
            after_position += 1
    before = subject[before_position] if before_position >= 0 else "\n"
    after = subject[after_position] if after_position < len(subject) else "\n"
    if reading == "gfm" and before == "~":
        before = "\n"
    return before, after


def _scan(source: InlineSource, reading: CommonMarkReading, *, relaxed: bool = False) -> _Scan:
    """Find the delimiter runs of one block's inline source and pair them like cmark (or Goldmark)."""
    subject = source.subject()
    base = source.start
    scan = _Scan(reading)
    flanking = _relaxed_flanking(reading) if relaxed else _strict_flanking(reading)
    stack: list[DelimiterRun] = []  # the delimiter stack: runs still able to take part
    brackets: list[_Bracket] = []
    index = 0
    while index < len(subject):
        char = subject[index]
        if char == "\\":
            index += 2 if index + 1 < len(subject) and subject[index + 1] in _ASCII_PUNCTUATION else 1
        elif char == "`":
            index = _skip_code_span(subject, index)
        elif char == "<":
            match = _AUTOLINK.match(subject, index) or _INLINE_HTML.match(subject, index)
            index = match.end() if match else index + 1
        elif char in "hHfFwW" and (index == 0 or not subject[index - 1].isalnum()):
            end = _bare_url_end(subject, index, reading)
            if relaxed:
                # `**https://example.com**와`: GitHub runs the bare URL on through `**와`; the
                # writer meant the URL to end before the stars.
                swallowed = _SWALLOWED_DELIMITER.search(subject, index, end)
                end = swallowed.start() if swallowed else end
            index = end if end > index else index + 1
        elif char in "*_":
            run_end = index
            while run_end < len(subject) and subject[run_end] == char:
                run_end += 1
            before, after = _neighbours(subject, index, run_end, reading)
            can_open, can_close, left, right = flanking(char, before, after)
            run = DelimiterRun(char, base + index, base + run_end, can_open, can_close, left, right)
            scan.runs.append(run)
            if can_open or can_close:
                stack.append(run)
            index = run_end
        elif char == "~" and reading != "commonmark":
            run_end = index
            while run_end < len(subject) and subject[run_end] == "~":
                run_end += 1
            before, after = _neighbours(subject, index, run_end, reading)
            _, _, left, right = _strict_flanking(reading)("*", before, after)
            # Strikethrough: cmark-gfm takes runs of one or two tildes, Goldmark runs of two or more.
            length = run_end - index
            if (left or right) and (length <= 2 if reading == "gfm" else length >= 2):
                stack.append(DelimiterRun("~", base + index, base + run_end, left, right, left, right))
            index = run_end
        elif char == "[" or (char == "!" and subject.startswith("[", index + 1)):
            image = char == "!"
            label_start = index + (2 if image else 1)
            brackets.append(_Bracket(base + index, base + label_start, image, len(stack)))
            index = label_start
        elif char == "]":
            index = _close_bracket(subject, index, base, source.definitions, brackets, stack, scan)
        else:
            index += 1
    _process_emphasis(stack, 0, scan)
    return scan


def _close_bracket(
    subject: str,
    index: int,
    base: int,
    definitions: Collection[str],
    brackets: list[_Bracket],
    stack: list[DelimiterRun],
    scan: _Scan,
) -> int:
    if not brackets:
        return index + 1
    opener = brackets[-1]
    if not opener.active:
        brackets.pop()
        return index + 1
    after = index + 1
    end: int | None = None
    if after < len(subject) and subject[after] == "(":
        end = _inline_link_end(subject, after)
    if end is None:
        label = subject[opener.label_start - base : index]
        label_end = _link_label_end(subject, after) if after < len(subject) and subject[after] == "[" else None
        if label_end is not None and label_end > after + 1:
            if normalize_label(subject[after + 1 : label_end]) in definitions:
                end = label_end + 1
        elif normalize_label(label) in definitions:
            end = label_end + 1 if label_end is not None else after
    if end is None:
        brackets.pop()
        return index + 1
    # Emphasis inside the link text is settled before anything outside it, as in cmark.
    _process_emphasis(stack, opener.delimiter_count, scan)
    brackets.pop()
    if not opener.image:
        for earlier in brackets:
            earlier.active = False
    return end


def _process_emphasis(stack: list[DelimiterRun], bottom: int, scan: _Scan) -> None:
    """cmark's `process_emphasis` over `stack[bottom:]`; consumed runs leave the stack."""
    github = scan.reading == "gfm"
    # Goldmark keeps no lower bound per kind of closer: it looks down to `bottom` every time.
    goldmark = scan.reading == "goldmark"
    # Per kind of closer, the source offset below which no opener was found last time.
    openers_bottom: dict[tuple[str, bool, int], int] = {}
    # `stack[bottom:]` as the runs passed (below the closer being looked at) and the runs to
    # come (nearest last): every removal is then at the end of one list. Removing from the
    # middle of one list moved its whole tail each time, quadratic on `*a*a*a…`.
    passed: list[DelimiterRun] = []
    coming = stack[bottom:][::-1]
    del stack[bottom:]
    while coming:
        closer = coming[-1]
        if not closer.can_close:
            passed.append(coming.pop())
            continue
        closer_length = closer.end - closer.start
        # cmark-gfm keys this by character and length only; the 0.31.2 spec adds can-open.
        key = (closer.char, False if github else closer.can_open, closer_length % 3)
        floor = -1 if goldmark else openers_bottom.get(key, -1)
        opener_position = len(passed) - 1
        while opener_position >= 0 and passed[opener_position].start >= floor:
            opener = passed[opener_position]
            if opener.char == closer.char and opener.can_open:
                opener_length = opener.end - opener.start
                both = closer.can_open or opener.can_close
                sum_ok = (opener_length + closer_length) % 3 != 0
                if github or goldmark:
                    allowed = not both or closer_length % 3 == 0 or sum_ok
                else:
                    allowed = not both or sum_ok or (opener_length % 3 == 0 and closer_length % 3 == 0)
                if allowed:
                    break
            opener_position -= 1
        else:
            openers_bottom[key] = closer.start
            coming.pop()
            if closer.can_open:
                passed.append(closer)
            continue
        opener = passed[opener_position]
        if closer.char == "~":
            # GFM strikethrough: equal runs make `<del>`; either way the pair and everything
            # between leave the stack.
            if opener.remaining == closer.remaining:
                scan.strikes.append(((opener.left, opener.right), (closer.left, closer.right)))
                opener.right = opener.left
                closer.left = closer.right
            del passed[opener_position:]
            coming.pop()
            continue
        used = 2 if opener.remaining >= 2 and closer.remaining >= 2 else 1
        opener_span = (opener.right - used, opener.right)
        closer_span = (closer.left, closer.left + used)
        opener.right -= used
        closer.left += used
        scan.matches.append(EmphasisMatch(opener, closer, opener_span, closer_span))
        # The runs between the pair can no longer match; the closer is looked at again.
        del passed[opener_position + 1 :]
        if opener.remaining == 0:
            passed.pop()
        if closer.remaining == 0:
            coming.pop()


def match_emphasis(source: InlineSource, reading: CommonMarkReading = "gfm") -> list[EmphasisMatch]:
    """The emphasis pairs a CommonMark renderer makes of one block's inline source."""
    return _scan(source, reading).matches


def match_strikethrough(source: InlineSource) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The strikethrough pairs GitHub (cmark-gfm) makes of one block's inline source: the
    (start, end) offsets of the opening and the closing tildes of each."""
    return _scan(source, "gfm").strikes


def match_github_delimiters(
    source: InlineSource,
) -> tuple[list[EmphasisMatch], list[tuple[tuple[int, int], tuple[int, int]]]]:
    """`match_emphasis` and `match_strikethrough` for GitHub, from one scan."""
    scan = _scan(source, "gfm")
    return scan.matches, scan.strikes


def _reason(run: DelimiterRun, side: str, before: str, after: str) -> str:
    delimiter = run.char * (run.end - run.start)
    if run.char == "_" and run.left_flanking and run.right_flanking:
        return f"`{delimiter}` between {before!r} and {after!r} is read as part of a word"
    verb = "close" if side == "closer" else "open"
    return f"`{delimiter}` between {before!r} and {after!r} cannot {verb} emphasis"


def find_broken_emphasis(source: InlineSource, reading: CommonMarkReading = "gfm") -> list[BrokenEmphasis]:
    """Pairs that match only when a CJK letter next to a delimiter run counts as a boundary.

    A block is broken when the relaxed reading uses delimiter characters the renderer leaves
    literal. Each relaxed pair with a run whose flanking the relaxation changed is reported
    once, at that run (the opener when both changed).
    """
    strict = _scan(source, reading)
    relaxed = _scan(source, reading, relaxed=True)
    strict_runs = {run.start: run for run in strict.runs}
    relaxed_runs = {run.start: run for run in relaxed.runs}
    # The two readings need not find the same runs: where the relaxed one ends a bare URL early
    # (`www.*는\*`), the rest of the URL is read again as text, so a `\` there escapes a run the
    # strict reading found after the URL, and a backtick can open a code span over one.
    if strict_runs.keys() == relaxed_runs.keys() and not any(
        run.remaining > relaxed_runs[run.start].remaining for run in strict.runs
    ):
        return []
    subject = source.subject()
    broken: dict[int, BrokenEmphasis] = {}
    for match in relaxed.matches:
        opener = strict_runs.get(match.opener.start, match.opener)
        closer = strict_runs.get(match.closer.start, match.closer)
        culprits: list[tuple[DelimiterRun, Literal["opener", "closer"]]] = []
        if match.opener.start not in strict_runs or not opener.can_open:
            culprits.append((opener, "opener"))
        if match.closer.start not in strict_runs or not closer.can_close:
            culprits.append((closer, "closer"))
        if not culprits:
            continue
        run, side = culprits[0]
        swallowed = run.start not in strict_runs
        literal = opener.remaining == opener.end - opener.start and closer.remaining == closer.end - closer.start
        pair = (match.opener_span, match.closer_span)
        if run.start in broken:
            earlier = broken[run.start]
            broken[run.start] = replace(earlier, pairs=(*earlier.pairs, pair), literal=earlier.literal and literal)
            continue
        local_start, local_end = run.start - source.start, run.end - source.start
        before = subject[local_start - 1] if local_start > 0 else "\n"
        after = subject[local_end] if local_end < len(subject) else "\n"
        broken[run.start] = BrokenEmphasis(
            pairs=(pair,),
            failing=(run.start, run.end),
            failing_side=side,
            reason="the bare URL before it runs on through it" if swallowed else _reason(run, side, before, after),
            char=run.char,
            literal=literal,
        )
    return sorted(broken.values(), key=lambda item: item.failing)
