"""Emphasis as kramdown (Jekyll's renderer, with or without its GFM parser) pairs it.

kramdown does not use CommonMark's delimiter runs and flanking rules. It reads a paragraph left
to right; at `*`, `**`, `_` or `__` it tries to parse an emphasis element up to the first
matching delimiter that may close it, recursing into nested spans, and prints the delimiter as
text when none is found (kramdown 2.4, `parser/kramdown/emphasis.rb`):

- an opener may not be followed by whitespace, and `_`/`__` may not follow a letter (or a
  letter and a hyphen): `이것은_강조_` stays literal;
- a closer may not follow whitespace, `_`/`__` may not be followed by a letter or digit
  (`_강조(x)_를` stays literal), an `*` closer may not be the start of `**`, and the element
  may not be empty;
- emphasis does not nest in emphasis of the same kind; `**` that finds no closer is retried
  as `*`.

Punctuation plays no part, so `**오차 막대(error bars)**와` renders in kramdown while GitHub
prints its stars. `kramdown_emphasis` emulates this reading, skipping what kramdown's other span
parsers consume (code spans, autolinks, HTML tags, links, math, extensions, escapes, GFM
strikethrough). `find_broken_kramdown_emphasis` reports the pairs a CJK letter next to an
underscore spoils, as `find_broken_emphasis` does for CommonMark renderers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from mdlint.markdown.emphasis_flanking import BrokenEmphasis, InlineSource, is_cjk_letter, normalize_label

__all__ = [
    "BLOCK_ELEMENTS",
    "ELEMENTS_WITHOUT_BODY",
    "SPAN_ELEMENTS",
    "Budget",
    "content_model",
    "find_broken_kramdown_emphasis",
    "kramdown_emphasis",
    "markdown_attribute",
]

Span = tuple[int, int]
Pair = tuple[Span, Span]

# kramdown reads delimiters by trial and backtracking, quadratic in the worst case: a block
# longer than this (no paragraph a person writes) is not emulated, and nesting is bounded.
_MAX_EMULATED = 20_000
_MAX_DEPTH = 64
# Where a span parser may start: the only places kramdown's reading can change.
_CANDIDATE = re.compile(r"[*_`<\[!$\\{~]")
# Ruby's `\s`: ASCII whitespace only (a no-break or ideographic space is not a boundary).
_WHITESPACE = frozenset(" \t\n\r\f\v")
_EMPHASIS_START = re.compile(r"\*\*?|__?")
_CODESPAN = re.compile(r"`+")
_AUTOLINK = re.compile(r"<((?:mailto|https?|ftps?):.+?|[\w\-.]+?@[\w\-.]+?)>")
_NAME = r"[A-Za-z_:][\w:.\-]*"
_HTML_SPAN_START = re.compile(rf"<(?:{_NAME}|!--|/)")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HTML_TAG = re.compile(
    rf"<({_NAME})\s*((?:\s+{_NAME}(?:\s*=\s*(?:\w+|(\"|').*?\3))?)*)\s*(/)?>",
    re.S,
)
_HTML_CLOSE = re.compile(rf"</({_NAME})\s*>", re.S)
_MARKDOWN_ATTRIBUTE = re.compile(r"""\bmarkdown\s*=\s*(?:"([^"]*)"|'([^']*)'|(\w+))""", re.I)
_FOOTNOTE_MARKER = re.compile(r"\[\^\w[\w-]*\]")
_LINK_START = re.compile(r"!?\[(?=[^^])")
_LINK_BRACKET_STOP = re.compile(r"(\])|!?\[")
_LINK_INLINE_ID = re.compile(r"\s*?\[([^\]]+)?\]")
_LINK_PAREN_STOP = re.compile(r"(\()|(\))|\s(?=['\"])")
_LINK_INLINE_TITLE = re.compile(r"\s*?([\"'])(.+?)\1\s*?\)", re.S)
_INLINE_MATH = re.compile(r"\$\$(.*?)\$\$", re.S)
_EXTENSION_START = re.compile(r"\{::(\w+)(?:\s[^}]*?|)(/)?\}")
_IAL_SPAN = re.compile(r"\{:(?:[^}\\]|\\.)+\}")
_ESCAPED = re.compile(r"\\[\\.*_+`<>()\[\]{}#!:|\"'$=\-~]")
_STRIKETHROUGH = re.compile(r"~~(?!\s|~).*?[^\s~]~~", re.S)

# kramdown's HTML element lists (parser/html.rb): span-level tags, tags without a body, and
# the content model of each tag (what `markdown="1"` switches on).
SPAN_ELEMENTS = frozenset(
    "a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label mark option q rb rbc "  # noqa: SIM905
    "rp rt rtc ruby samp select small span strong sub sup tt u var".split()
)
BLOCK_ELEMENTS = frozenset(
    "address article aside applet body blockquote caption col colgroup dd div dl dt fieldset figcaption "  # noqa: SIM905
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr html head iframe legend menu li main map nav ol "
    "optgroup p pre section summary table tbody td th thead tfoot tr ul".split()
)
ELEMENTS_WITHOUT_BODY = frozenset(
    "area base br col command embed hr img input keygen link meta param source track wbr".split()  # noqa: SIM905
)
_BLOCK_CONTENT = frozenset(
    "address applet article aside blockquote body dd details div dl fieldset figure figcaption footer form "  # noqa: SIM905
    "header hgroup iframe li main map menu nav noscript object section summary td".split()
)
_SPAN_CONTENT = frozenset(
    "a abbr acronym b bdo big button cite caption del dfn dt em h1 h2 h3 h4 h5 h6 i ins label legend "  # noqa: SIM905
    "optgroup p q rb rbc rp rt rtc ruby select small span strong sub sup th tt".split()
)
_KNOWN = SPAN_ELEMENTS | BLOCK_ELEMENTS | ELEMENTS_WITHOUT_BODY | _BLOCK_CONTENT | _SPAN_CONTENT


def content_model(name: str) -> str:
    """kramdown's content model of an HTML element: "block", "span" or "raw" (every other tag)."""
    name = name.lower()
    if name in _BLOCK_CONTENT:
        return "block"
    if name in _SPAN_CONTENT:
        return "span"
    return "raw"


def markdown_attribute(attributes: str) -> str | None:
    """The value of a `markdown` attribute in a tag's attribute text, or None without one."""
    match = _MARKDOWN_ATTRIBUTE.search(attributes)
    if match is None:
        return None
    return next(group for group in match.groups() if group is not None)


def _is_alpha(char: str, relaxed: bool) -> bool:
    # Ruby's [[:alpha:]] on a UTF-8 string: any Unicode letter, Hangul and Han included.
    return char.isalpha() and not (relaxed and is_cjk_letter(char))


def _is_alnum(char: str, relaxed: bool) -> bool:
    return _is_alpha(char, relaxed) or unicodedata.category(char) == "Nd"


@dataclass(slots=True)
class Budget:
    """How many parsing steps the emulation may still take (one per place a span may start).

    kramdown tries every opener against the rest of its paragraph, so the work grows with the
    square of the delimiters: a document shares one budget, and a block the budget does not
    cover is left unreported rather than slowing the run down.
    """

    steps: int = 200_000

    class Exhausted(Exception):
        """The budget ran out: kramdown's backtracking would take too long to emulate here."""


@dataclass(slots=True)
class _Level:
    """One element being filled by `parse_spans`: its kind and whether it has content yet."""

    kind: str
    filled: bool = False


@dataclass(slots=True)
class _Parser:
    subject: str
    relaxed: bool
    definitions: frozenset[str]
    base: int = 0
    position: int = 0
    matches: list[Pair] = field(default_factory=list)
    levels: list[_Level] = field(default_factory=list)
    # Whether the last link parser call made a link or image (kramdown counts images in link text).
    made_link: bool = False
    budget: Budget = field(default_factory=Budget)

    # --- kramdown's parse_spans -----------------------------------------------------------------

    def parse_spans(
        self, kind: str, stop: re.Pattern[str] | None = None, done: Callable[[_Level], bool] | None = None
    ) -> bool:
        """Parse spans into a new element of `kind` until `stop` matches where `done` allows; True when it did."""
        level = _Level(kind)
        self.levels.append(level)
        subject, found = self.subject, False
        try:
            while self.position < len(subject) and not found:
                self.budget.steps -= 1
                if self.budget.steps < 0:
                    raise Budget.Exhausted
                candidate = self._next_candidate(stop)
                if candidate is None:
                    if stop is None:
                        level.filled = True
                        self.position = len(subject)
                    break
                if candidate > self.position:
                    level.filled = True
                    self.position = candidate
                if stop is not None and stop.match(subject, self.position):
                    found = done(level) if done is not None else True
                if not found:
                    # Every span parser adds an element or text, and so does a plain character.
                    if not self._parse_span(level):
                        self.position += 1
                    level.filled = True
        finally:
            self.levels.pop()
        return found

    def _next_candidate(self, stop: re.Pattern[str] | None) -> int | None:
        subject, position = self.subject, self.position
        best: int | None = None
        if stop is not None:
            match = stop.search(subject, position)
            best = match.start() if match else None
        found = _CANDIDATE.search(subject, position, best if best is not None else len(subject))
        return found.start() if found is not None else best

    def _parse_span(self, level: _Level) -> bool:
        """Try kramdown's span parsers in their order at the current position; True when one consumed text."""
        subject, position = self.subject, self.position
        char = subject[position]
        if len(self.levels) > _MAX_DEPTH:
            return False
        if char in "*_":
            self._emphasis(level)
            return True
        if char == "`":
            self._codespan()
            return True
        if char == "<":
            autolink = _AUTOLINK.match(subject, position)
            if autolink is not None:
                self.position = autolink.end()
                return True
            if _HTML_SPAN_START.match(subject, position):
                self._html_span()
                return True
            return False
        if char == "[" and (footnote := _FOOTNOTE_MARKER.match(subject, position)) is not None:
            self.position = footnote.end()
            return True
        if char in "[!" and _LINK_START.match(subject, position):
            self._link()
            return True
        if char == "$" and (math := _INLINE_MATH.match(subject, position)) is not None:
            self.position = math.end()
            return True
        if char == "{" and subject.startswith("{:", position):
            self.position = self._extension_end(position)
            return True
        if char == "\\" and (escaped := _ESCAPED.match(subject, position)) is not None:
            self.position = escaped.end()
            return True
        if char == "~" and (strike := _STRIKETHROUGH.match(subject, position)) is not None:
            # The struck text is parsed on its own, as a new document: outer emphasis is not seen.
            inner = _Parser(
                subject[: strike.end() - 2], self.relaxed, self.definitions, self.base, position + 2, budget=self.budget
            )
            inner.parse_spans("del")
            self.matches.extend(inner.matches)
            self.position = strike.end()
            return True
        return False

    def _extension_end(self, position: int) -> int:
        """Where `{::comment}…{:/}`, `{::nomarkdown}…{:/}`, `{::options /}` or a span IAL ends.

        kramdown prints the `{` of anything else (a stray stop tag, an unknown extension, an IAL
        after text) and reads on from the next character.
        """
        subject = self.subject
        extension = _EXTENSION_START.match(subject, position)
        if extension is not None:
            name, closed = extension.group(1), extension.group(2)
            if closed:
                return extension.end() if name == "options" else position + 1
            stop = re.compile(r"\{:/(?:" + re.escape(name) + r")?\}").search(subject, extension.end())
            if stop is not None and name in ("comment", "nomarkdown"):
                return stop.end()
            return position + 1
        ial = _IAL_SPAN.match(subject, position)
        # A span IAL applies to the element just before it; after text it is printed.
        if ial is not None and position > 0 and subject[position - 1] in "*_`)]>":
            return ial.end()
        return position + 1

    # --- the span parsers that matter for emphasis --------------------------------------------

    def _emphasis(self, level: _Level) -> None:
        subject, start = self.subject, self.position
        match = _EMPHASIS_START.match(subject, start)
        assert match is not None
        delimiter = match.group()
        element = "strong" if len(delimiter) == 2 else "em"
        char = delimiter[0]
        followed_by_space = match.end() < len(subject) and subject[match.end()] in _WHITESPACE
        nested = any(open_level.kind == element for open_level in self.levels)
        if (char == "_" and self._after_word(start)) or followed_by_space or nested:
            self.position = match.end()
            return
        saved = len(self.matches)
        self.position = match.end()
        found = self._sub_parse(delimiter, element, char)
        opener = (start, match.end())
        if not found and element == "strong" and level.kind != "em":
            del self.matches[saved:]
            self.position = start + 1
            delimiter, opener = char, (start, start + 1)
            found = self._sub_parse(char, "em", char)
        if found:
            closer = (self.position, self.position + len(delimiter))
            self.position = closer[1]
            base = self.base
            self.matches.append(((opener[0] + base, opener[1] + base), (closer[0] + base, closer[1] + base)))
        else:
            del self.matches[saved:]
            self.position = start + len(match.group())

    def _after_word(self, position: int) -> bool:
        """kramdown's `pre_match =~ /[[:alpha:]]-?[[:alpha:]]*\\z/`: a letter, or a letter and `-`, before."""
        subject = self.subject
        if position >= 1 and _is_alpha(subject[position - 1], self.relaxed):
            return True
        return position >= 2 and subject[position - 1] == "-" and _is_alpha(subject[position - 2], self.relaxed)

    def _sub_parse(self, delimiter: str, element: str, char: str) -> bool:
        subject = self.subject
        stop = re.compile(re.escape(delimiter))
        double = re.compile(re.escape(delimiter * 2) + "(?!" + re.escape(delimiter) + ")")

        def done(level: _Level) -> bool:
            position = self.position
            if position > 0 and subject[position - 1] in _WHITESPACE:
                return False
            if element == "em" and double.match(subject, position):
                return False
            following = position + len(delimiter)
            if char == "_" and following < len(subject) and _is_alnum(subject[following], self.relaxed):
                return False
            return level.filled

        return self.parse_spans(element, stop, done)

    def _codespan(self) -> None:
        subject, start = self.subject, self.position
        match = _CODESPAN.match(subject, start)
        assert match is not None
        delimiter = match.group()
        after = match.end()
        # A lone backtick between spaces is a backtick, not a code span.
        lone = len(delimiter) == 1 and start > 0 and subject[start - 1] in _WHITESPACE
        if lone and after < len(subject) and subject[after] in _WHITESPACE:
            self.position = after
            return
        close = subject.find(delimiter, after)
        self.position = close + len(delimiter) if close != -1 else after

    def _html_span(self) -> None:
        subject, start = self.subject, self.position
        comment = _HTML_COMMENT.match(subject, start)
        if comment is not None:
            self.position = comment.end()
            return
        closing = _HTML_CLOSE.match(subject, start)
        if closing is not None:
            self.position = closing.end()
            return
        tag = _HTML_TAG.match(subject, start)
        if tag is None:
            self.position = start + 1
            return
        name = tag.group(1).lower() if tag.group(1).lower() in _KNOWN else tag.group(1)
        self.position = tag.end()
        if name in BLOCK_ELEMENTS or tag.group(4) or name in ELEMENTS_WITHOUT_BODY:
            return
        parse_content = content_model(name) != "raw"
        wanted = markdown_attribute(tag.group(2) or "")
        if wanted == "span":
            parse_content = True
        elif wanted == "1":
            parse_content = content_model(name) != "raw"
        elif wanted == "0":
            parse_content = False
        flags = re.I if name in _KNOWN else 0
        stop = re.compile(rf"</{re.escape(name)}\s*>", flags)
        if parse_content:
            if self.parse_spans("html", stop):
                self.position = stop.match(subject, self.position).end()  # type: ignore[union-attr]
            else:
                # An element without its end tag takes in the rest of the paragraph.
                self.position = len(subject)
            return
        # Raw content: only nested tags are read, and the text is printed as it is.
        end = stop.search(subject, self.position)
        self.position = end.end() if end is not None else len(subject)

    def _link(self) -> None:
        subject, start = self.subject, self.position
        match = _LINK_START.match(subject, start)
        assert match is not None
        self.made_link = False
        kind = "img" if match.group().startswith("!") else "a"
        after_bracket = match.end()
        if kind == "a" and any(level.kind in ("a", "img") for level in self.levels):
            self.position = after_bracket
            return
        saved = len(self.matches)
        self.position = after_bracket
        if self._link_text(kind):
            text_end = self.position
            self.position += 1  # the "]"
            end = self._link_end(subject[after_bracket:text_end])
            if end is not None:
                self.position = end
                self.made_link = True
                return
        del self.matches[saved:]
        self.position = after_bracket

    def _link_text(self, kind: str) -> bool:
        """kramdown's parse_spans over a link text, counting brackets; True at its closing `]`.

        Images inside the text are parsed by the link parser too; each one's `![` adds to the
        count of brackets, which kramdown balances with the images among the text's elements.
        """
        subject = self.subject
        count, images = 1, 0
        level = _Level(kind)
        self.levels.append(level)
        found = False
        try:
            while self.position < len(subject) and not found:
                self.budget.steps -= 1
                if self.budget.steps < 0:
                    raise Budget.Exhausted
                candidate = self._next_candidate(_LINK_BRACKET_STOP)
                if candidate is None:
                    break
                if candidate > self.position:
                    level.filled = True
                    self.position = candidate
                stop = _LINK_BRACKET_STOP.match(subject, self.position)
                if stop is not None:
                    count += -1 if stop.group(1) else 1
                    found = count - images == 0
                if not found:
                    image = subject.startswith("![", self.position)
                    self.made_link = False
                    if not self._parse_span(level):
                        self.position += 1
                    elif image and self.made_link:
                        images += 1
                    level.filled = True
        finally:
            self.levels.pop()
        return found

    def _link_end(self, text: str) -> int | None:
        """After the `]` of a link text: the end of the link, or None when it is no link."""
        subject, position = self.subject, self.position
        inline_id = _LINK_INLINE_ID.match(subject, position)
        if inline_id is not None or not subject.startswith("(", position):
            label = inline_id.group(1) if inline_id is not None and inline_id.group(1) else text
            if normalize_label(label) in self.definitions:
                return inline_id.end() if inline_id is not None else position
            return None
        scan = position
        if subject.startswith("(<", position) and (angle := subject.find(">", position + 2)) != -1:
            scan = angle + 1
            if subject.startswith(")", scan):
                return scan + 1
        else:
            depth = 0
            while (stop := _LINK_PAREN_STOP.search(subject, scan)) is not None:
                scan = stop.end()
                if stop.group(2):
                    depth -= 1
                    if depth == 0:
                        break
                elif stop.group(1):
                    depth += 1
                else:
                    break
            if depth == 0:
                return scan
        title = _LINK_INLINE_TITLE.match(subject, scan)
        return title.end() if title is not None else None


def kramdown_emphasis(source: InlineSource, *, relaxed: bool = False, budget: Budget | None = None) -> list[Pair]:
    """The (opener, closer) delimiter spans kramdown makes emphasis of, in document offsets.

    `relaxed` reads a CJK letter next to an underscore as a word boundary: the pairs a CJK
    writer means. Raises `Budget.Exhausted` when `budget` runs out.
    """
    parser = _Parser(source.subject(), relaxed, source.definitions, source.start, budget=budget or Budget())
    parser.parse_spans("p")
    return parser.matches


def find_broken_kramdown_emphasis(source: InlineSource, budget: Budget | None = None) -> list[BrokenEmphasis]:
    """Pairs kramdown leaves literal only because an underscore touches a CJK letter.

    None when `budget` runs out (a block too costly to emulate is not reported).
    """
    budget = budget or Budget()
    subject = source.subject()
    if not _underscore_touches_cjk(subject) or len(subject) > _MAX_EMULATED:
        return []
    try:
        strict = kramdown_emphasis(source, budget=budget)
        relaxed = kramdown_emphasis(source, relaxed=True, budget=budget)
    except Budget.Exhausted:
        return []
    made = set(strict)
    if made == set(relaxed):
        return []
    used = {offset for pair in strict for span in pair for offset in range(*span)}
    broken: dict[int, BrokenEmphasis] = {}
    for pair in relaxed:
        if pair in made:
            continue
        (open_start, _open_end), (close_start, close_end) = pair
        char = subject[open_start - source.start]
        if char != "_":
            continue
        local_open, local_close = open_start - source.start, close_end - source.start
        before = subject[local_open - 1] if local_open > 0 else "\n"
        if before == "-" and local_open > 1:
            before = subject[local_open - 2]
        after = subject[local_close] if local_close < len(subject) else "\n"
        side: Literal["opener", "closer"]
        if is_cjk_letter(before):
            failing, side, neighbour = _run(subject, source.start, open_start), "opener", before
        elif is_cjk_letter(after):
            failing, side, neighbour = _run(subject, source.start, close_start), "closer", after
        else:
            continue
        literal = not any(offset in used for span in pair for offset in range(*span))
        delimiter = subject[failing[0] - source.start : failing[1] - source.start]
        where = "after" if side == "opener" else "before"
        reason = f"`{delimiter}` {where} {neighbour!r} is read as part of a word"
        if failing[0] in broken:
            earlier = broken[failing[0]]
            broken[failing[0]] = BrokenEmphasis(
                (*earlier.pairs, pair),
                earlier.failing,
                earlier.failing_side,
                earlier.reason,
                "_",
                earlier.literal and literal,
            )
            continue
        broken[failing[0]] = BrokenEmphasis(
            (pair,), failing, "opener" if side == "opener" else "closer", reason, "_", literal
        )
    return sorted(broken.values(), key=lambda item: item.failing)


def _underscore_touches_cjk(subject: str) -> bool:
    """Whether some `_` has a CJK letter (or a CJK letter and `-`) beside it: the only case kramdown spoils."""
    index = subject.find("_")
    while index != -1:
        before = subject[index - 1] if index > 0 else ""
        if before == "-" and index > 1:
            before = subject[index - 2]
        after = subject[index + 1] if index + 1 < len(subject) else ""
        if (before and is_cjk_letter(before)) or (after and is_cjk_letter(after)):
            return True
        index = subject.find("_", index + 1)
    return False


def _run(subject: str, base: int, offset: int) -> Span:
    """The whole run of the delimiter character at document offset `offset`."""
    start = end = offset - base
    char = subject[start]
    while start > 0 and subject[start - 1] == char:
        start -= 1
    while end < len(subject) and subject[end] == char:
        end += 1
    return start + base, end + base
