"""mistune with exact positions: every block and inline node knows where it is in the file.

mistune's tokens carry no positions, and it parses list items and block quotes from new strings
with their markers and indentation removed. This layer:

* stamps each token with the offset where its rule matched (`m.start()`), in the coordinates
  of the string that rule ran on;
* maps every child string (list item, block quote) back to its parent line by line — those
  rewrites keep lines one-to-one and only change leading whitespace and markers, so a child
  line's text is a suffix of its parent line's text;
* places text and emphasis with a cursor that knows about backslash escapes.

It also corrects two places where mistune's HTML blocks differ from CommonMark (and GitHub):
a block tag directly followed by `>` (`</details>`) ends a list item instead of continuing it
lazily, and a complete tag that closes with `/>` alone on a line starts an HTML block.
"""

from __future__ import annotations

import bisect
import html
import re
import string
from re import Match
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

from mdlint.markdown import mistune_adapter as mistune
from mdlint.markdown.definitions import Definition, definition_at
from mdlint.markdown.emphasis_flanking import InlineSource, match_strikethrough, normalize_label
from mdlint.markdown.mistune_adapter import (
    BLOCK_TAGS,
    HTML_ATTRIBUTES,
    INDENT_CODE,
    PRE_TAGS,
    THEMATIC_BREAK,
    BlockState,
)
from mdlint.markdown.syntax_tree import Node, NodeAttrs

if TYPE_CHECKING:
    from mdlint.source.text import SourceText

__all__ = ["parse_document", "parse_text"]

Token = dict[str, Any]

_WHITESPACE = " \t\n\r\f\v"
_INLINE_STRIP = " \r\n\t\f"
_LINE_BREAK = re.compile(r"\r\n|\r")
_BLOCK_TAG_NAMES = "|".join(BLOCK_TAGS + PRE_TAGS)
# CommonMark: a type-6 start tag name may be followed by whitespace, end of line, `>` or `/>`.
_BLOCK_HTML = (
    r"^ {0,3}(?:"
    r"(?:</?(?i:" + _BLOCK_TAG_NAMES + r")(?=[ \t]|/?>|\n|$))"
    r"|<!--"
    r"|<\?"
    r"|<![A-Z]"
    r"|<!\[CDATA\[)"
)
# CommonMark types 1 and 6: the tag name ends at a blank, the line's end, `>` or `/>`.
_TAG_NAME_END = re.compile(r"[ \t\n>]|/>|$")
# CommonMark type 7: a complete open tag (`/>` allowed) and nothing else on the line.
_OPEN_TAG_ALONE = re.compile(HTML_ATTRIBUTES + r"[ \t]*/?>[ \t]*(?:\n|$)")
# Above this size a container's lazy lines are not re-checked (mistune's behaviour is kept), so
# that no input makes the check quadratic.
_LAZY_CHECK_LIMIT = 20_000
# CommonMark's whitespace is ASCII (space, tab, line breaks, form feed): a no-break space is an
# ordinary character to GitHub's renderer in tag names and attributes, link destinations and
# labels, list items and blank lines. Python's `\s` and `str.strip` take it for whitespace, so
# mistune would read `<a\u00a0href="x">` as a tag, `[](\u00a0)` as an empty destination and a
# line of one as blank. It stands in for the parse as a noncharacter none of them call
# whitespace (one code point for one, so every offset holds), and is put back in the tree.
_NO_BREAK_SPACE = "\u00a0"
_STAND_IN = "\ufdd0"
_ENCODED_STAND_IN = quote(_STAND_IN)
_ENCODED_NO_BREAK_SPACE = quote(_NO_BREAK_SPACE)


class _Origin:
    """Where each line of a parse string comes from in the file: (file line index, column shift)."""

    __slots__ = ("deltas", "file_lines", "leads", "line_starts", "lines")

    def __init__(self, src: str) -> None:
        self.lines = src.split("\n")
        starts = [0]
        for line in self.lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        self.line_starts = starts
        self.leads = [len(line) - len(line.lstrip(" \t")) for line in self.lines]
        self.file_lines: list[int] = []
        self.deltas: list[int] = []

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset) - 1

    def file_position(self, offset: int) -> tuple[int, int]:
        """(0-based file line, 0-based column) of an offset in this string."""
        index = self.line_of(offset)
        column = offset - self.line_starts[index]
        delta = self.deltas[index]
        lead = self.leads[index]
        mapped = column + delta
        if column < lead:
            # Rewritten leading whitespace (tabs expanded, markers removed) has no exact
            # counterpart; keep it inside the original leading part of the line.
            mapped = max(0, min(mapped, lead + delta))
        return self.file_lines[index], max(0, mapped)


class _State(BlockState):
    """A block state that knows which file line each of its lines came from."""

    origin: _Origin
    # Line (in this state's string) where the next child string starts; set by the list and
    # block-quote parsers just before mistune creates the child state.
    next_child_line: int | None

    def __init__(self, parent: Any | None = None) -> None:
        super().__init__(parent)
        self.next_child_line = None
        # Set on the top state when the text did not end with a line break and one was added.
        self.appended_newline = False
        # Set on a list item's state when its first line is a GitHub task (see `_TASK_LINE`).
        self.task_box = False

    def process(self, src: str) -> None:
        super().process(src)
        self.origin = _Origin(src)
        if self.parent is None:
            self.origin.file_lines = list(range(len(self.origin.lines)))
            self.origin.deltas = [0] * len(self.origin.lines)

    def child_state(self, src: str, lazy_line_starts: set[int] | None = None) -> BlockState:
        child = cast(_State, super().child_state(src, lazy_line_starts))
        first = self.next_child_line if self.next_child_line is not None else self.origin.line_of(self.cursor)
        self.next_child_line = None
        parent = self.origin
        last = len(parent.lines) - 1
        for index, child_line in enumerate(child.origin.lines):
            parent_index = min(first + index, last)
            parent_line = parent.lines[parent_index]
            child.origin.file_lines.append(parent.file_lines[parent_index])
            child.origin.deltas.append(parent.deltas[parent_index] + _line_shift(parent_line, child_line))
        root = self
        while root.parent is not None:
            root = root.parent
        # A container that runs to the end of a file without a final line break ends the same
        # way: its last line holds nothing when it is only spaces (see `_finish_state`).
        child.appended_newline = root.appended_newline and child.origin.file_lines[-1:] == root.origin.file_lines[-1:]
        return child

    def append_token(self, token: Token) -> None:
        # Rules that bypass `parse_method` (mistune 3.4 parses indented code without a regex
        # match) append at the cursor, which is where their block starts.
        token.setdefault("_cursor", self.cursor)
        super().append_token(token)

    def add_paragraph(self, text: str) -> None:
        last_token = self.last_token()
        if last_token and last_token["type"] == "paragraph":
            last_token["text"] += text
        else:
            # Every caller passes text that starts at the cursor.
            self.tokens.append({"type": "paragraph", "text": text, "_s": self.cursor, "_text_start": self.cursor})


def _line_shift(parent_line: str, child_line: str) -> int:
    """Column shift from a child line to its parent line (the child is a suffix, up to whitespace)."""
    child_content = child_line.rstrip()
    if not child_line:
        # An empty child line (often the one after a child's last line break) has no text to
        # align; its start is the parent line's start.
        return 0
    if not child_content.strip():
        return len(parent_line) - len(child_line)
    parent_content = parent_line.rstrip()
    if parent_content.endswith(child_content.lstrip(" \t")):
        return len(parent_content) - len(child_content)
    found = parent_line.rfind(child_content.lstrip(" \t"))
    if found == -1:
        # Container rewrites only change leading whitespace and markers; anything else would
        # make every position on this line wrong.
        raise AssertionError(f"internal error: child line {child_line!r} is not part of {parent_line!r}")
    return found - (len(child_content) - len(child_content.lstrip(" \t")))


class _BlockParser(mistune.BlockParser):
    state_cls = _State

    def __init__(self) -> None:
        super().__init__()
        self.specification["block_html"] = _BLOCK_HTML
        self.specification["thematic_break"] = THEMATIC_BREAK
        self.specification["indent_code"] = INDENT_CODE
        # A definition is paragraph text until its paragraph is complete (see `definitions`):
        # `_take_definitions` takes them from the paragraphs once a container is parsed.
        for rules in (self.rules, self.block_quote_rules, self.list_rules):
            rules.remove("ref_link")
        self._line_blocks: dict[str, tuple[str, bool]] = {}

    def parse_method(self, m: Match[str], state: BlockState) -> int | None:
        lazy_lines = state.env.get("_lazy_file_lines")
        if lazy_lines and m.lastgroup != "blank_line":
            origin = cast(_State, state).origin
            index = origin.line_of(m.start())
            last = state.last_token()
            if (
                origin.file_lines[index] in lazy_lines
                and origin.line_starts[index] == m.start()
                and last
                and last["type"] == "paragraph"
            ):
                # A lazy continuation line is paragraph text, whatever it looks like once its
                # container's marker is gone (mistune parses it again inside the container).
                return state.append_paragraph()
        count = len(state.tokens)
        end = super().parse_method(m, state)
        new_tokens = state.tokens[count:]
        for token in new_tokens:
            if "_s" not in token:
                token["_s"] = m.start()
                token["_rule"] = m.lastgroup
                if token["type"] == "heading" and "atx_2" in (m.groupdict() or {}):
                    text = m.group("atx_2")
                    token["_text_start"] = m.start("atx_2") + len(text) - len(text.lstrip(string.whitespace))
        if len(new_tokens) > 1:
            # A container that ended at a block it parsed itself (a quote ended by a list that is
            # ended by another quote) can leave mistune's tokens out of source order.
            state.tokens[count:] = sorted(new_tokens, key=lambda token: token["_s"])
        return end

    def extract_block_quote(self, m: Match[str], state: BlockState) -> tuple[str, int | None, set[int]]:
        # mistune's own, except that a line without `>` continues the quote only when the quote
        # ends in a paragraph (CommonMark's lazy continuation), not after a heading or HTML.
        first_line = _quote_line(state, state.cursor)
        assert first_line is not None  # the block-quote rule matched this line
        text: str = first_line
        lazy_line_starts: set[int] = set()
        state.cursor += len(state.get_line(state.cursor))
        end_pos: int | None = None
        open_paragraph: bool | None = None
        # Not mistune's shortcut, which took no lazy line after a first line that is blank or
        # opens code: a paragraph may start on a later line (`>\n>(\nlazy`), and `` ```e` `` opens
        # no fence. Whether the content ends in a paragraph is asked of the parse itself.
        prev_blank_line = not text.strip()
        while state.cursor < state.cursor_max:
            if _is_lazy(state, state.cursor):
                # An outer container took this line as a lazy continuation of the paragraph
                # open in here: it holds no `>` of this quote, whatever it starts with.
                lazy_line_starts.add(len(text))
                line = state.get_line(state.cursor)
                text += mistune.expand_leading_tab(line)
                state.cursor += len(line)
                prev_blank_line = False
                continue
            quote = _quote_line(state, state.cursor)
            if quote is not None:
                text += quote
                state.cursor += len(state.get_line(state.cursor))
                prev_blank_line = not quote.strip()
                open_paragraph = None
                continue
            line = state.get_line(state.cursor)
            if prev_blank_line or self._starts_block(line):
                # The line starts a block of its own after the quote; the caller parses it once
                # the quote is in place (mistune parsed it here, before the quote existed).
                break
            if open_paragraph is None:
                # The lines taken lazily so far are paragraph text in the scratch parse too.
                lazy = {text.count("\n", 0, start) for start in lazy_line_starts}
                open_paragraph = self._ends_in_paragraph(
                    mistune.expand_tab(text), self.block_quote_rules, lazy, cast(_State, state)
                )
            if not open_paragraph:
                break
            lazy_line_starts.add(len(text))
            _mark_lazy(state, state.cursor)
            # A tab keeps its full width, so the lazy line cannot start a block inside the quote.
            text += mistune.expand_leading_tab(line)
            state.cursor += len(line)
        return mistune.expand_tab(text), end_pos, lazy_line_starts

    def _starts_block(self, line: str) -> bool:
        """Whether `line`, met where its container's marker is missing, starts a block of its own.

        As in cmark, only plain paragraph text (or what would be indented code, which never
        starts on a lazy line) continues the container's open paragraph; a heading, a list item
        (even an empty one, or one starting at 2), HTML of any type or a fence ends the container.
        """
        kind, indented_code = self._line_block(line)
        return not (kind == "paragraph" or indented_code)

    def ends_table(self, line: str) -> bool:
        """Whether `line`, met after a table row, starts a block that ends the table (else it is a row).

        As in cmark-gfm: any block that could start where no paragraph is open (indented code,
        an empty list item, a tag alone on its line); plain text and definitions are rows.
        """
        kind, _ = self._line_block(line)
        return kind != "paragraph"

    def _line_block(self, line: str) -> tuple[str, bool]:
        """What `line` alone parses as: "paragraph" (definitions too) or another block; and
        whether that is indented code."""
        key = line.rstrip("\n")
        known = self._line_blocks.get(key)
        if known is None:
            scratch = _State()
            scratch.process(mistune.expand_leading_tabs(key) + "\n")
            scratch.env = {"ref_links": {}}
            self.parse(scratch)
            kinds = [token["type"] for token in scratch.tokens if token["type"] != "blank_line"]
            first = scratch.tokens[0] if scratch.tokens else {}
            _release_states(scratch.tokens)
            if kinds in (["paragraph"], ["link_definition"]):
                known = ("paragraph", False)
            else:
                known = ("other", kinds == ["block_code"] and first.get("style") == "indent")
            if len(self._line_blocks) > 4096:
                self._line_blocks.clear()
            self._line_blocks[key] = known
        return known

    def _ends_in_paragraph(
        self, source: str, rules: list[str], lazy_lines: set[int] | None = None, container: _State | None = None
    ) -> bool:
        """Whether this container content ends in an open paragraph, which a lazy line may continue.

        `lazy_lines` are the lines of `source` that continue a paragraph lazily. `container`, when
        given, is the state the content is taken from, its first line at `next_child_line`.
        """
        if len(source) > _LAZY_CHECK_LIMIT:
            return True  # mistune's own behaviour; keeps pathological inputs linear
        source = source if source.endswith("\n") else source + "\n"
        scratch = _mapped_scratch(container, source) if container is not None else None
        if scratch is not None:
            # Its lines are the file's: tab stops count from the file's line start, as in the
            # real parse (`- >1. <TAB>x` is no code), and the lazy lines are the file's.
            lazy_lines = set(container.env.get("_lazy_file_lines") or ())  # type: ignore[union-attr]
        else:
            scratch = _State()
            scratch.process(source)
        scratch.env = {"ref_links": {}, "_lazy_file_lines": lazy_lines} if lazy_lines else {"ref_links": {}}
        self.parse(scratch, rules)
        ends_in_paragraph = _last_block_is_paragraph(scratch.tokens)
        _release_states(scratch.tokens)
        return ends_in_paragraph

    def parse_block_quote(self, m: Match[str], state: BlockState) -> int:
        positioned = cast(_State, state)
        saved = positioned.next_child_line
        positioned.next_child_line = positioned.origin.line_of(state.cursor)
        try:
            return super().parse_block_quote(m, state)
        finally:
            positioned.next_child_line = saved

    def parse_list(self, m: Match[str], state: BlockState) -> int:
        # mistune's own `parse_list`, plus where each item starts: mistune parses each item
        # from a new string and does not say which line it came from.
        positioned = cast(_State, state)
        saved = positioned.next_child_line
        try:
            return self._parse_list(m, positioned)
        finally:
            positioned.next_child_line = saved

    def _parse_list(self, m: Match[str], state: _State) -> int:
        item = mistune.create_list_marker(m, "list")
        if not item.text.strip():
            # An empty list item cannot interrupt a paragraph.
            end_pos = state.append_paragraph()
            if end_pos:
                return end_pos
        depth = state.depth()
        token: Token = {
            "type": "list",
            "children": [],
            "tight": True,
            "bullet": item.bullet,
            "attrs": {"depth": depth, "ordered": item.ordered},
        }
        if item.ordered:
            start = int(item.marker[:-1])
            if start != 1:
                # Only lists starting with 1 may interrupt a paragraph.
                end_pos = state.append_paragraph()
                if end_pos:
                    return end_pos
                token["attrs"]["start"] = start
        state.cursor = m.end() + 1
        if depth >= self.max_nested_level - 1:
            rules = [rule for rule in self.list_rules if rule not in ("list", "block_quote")]
        else:
            rules = self.list_rules
        bullet = mistune.list_bullet(item.bullet)
        marker_line = state.origin.line_of(m.start())
        marker_lines: list[int] = []
        next_item: Any = item
        while next_item:
            marker_lines.append(marker_line)
            next_item = _item_in_file_columns(state, next_item, state.origin.line_starts[marker_line])
            # An item whose first line holds only the marker starts its content on the next line.
            state.next_child_line = marker_line + (0 if next_item.text.strip() else 1)
            next_item = self._parse_list_item(bullet, next_item, token, state, rules)
            if next_item:
                marker_line = state.origin.line_of(state.cursor - 1)
        for list_item, line in zip(token["children"], marker_lines, strict=True):
            list_item["_s"] = state.origin.line_starts[line]
        end_pos = cast(int | None, token.pop("_end_pos", None))
        mistune.transform_tight_list(token)
        if end_pos:
            index = cast(int, token.pop("_tok_index"))
            state.tokens.insert(index, token)
            return end_pos
        state.append_token(token)
        return state.cursor

    def _parse_list_item(self, bullet: str, item: Any, token: Token, state: _State, rules: list[str]) -> Any:
        # mistune's `_parse_list_item`, with two CommonMark corrections: a line indented less
        # than the item's content column may hold a block that ends the item (mistune bounds it
        # by the marker's width instead), and a lazy line only continues an open paragraph.
        text, continue_width = mistune.compile_continue_width(item.text, item.leading_width)
        outside = min(3, continue_width - 1)
        list_item_re = re.compile(mistune.compile_list_item_pattern(bullet, outside))
        break_sc = _list_break_pattern(self, outside)
        # A GitHub task box with nothing after it leaves the item's first line blank, as cmark-gfm
        # reads it: a blank line next ends the item (`- [ ] `, a blank line, then an indented
        # line is code after the list, not the item's paragraph).
        starts_blank = not text or (
            _TASK_BOX.fullmatch(text.rstrip("\n")) is not None and _is_task_marker_line(state, state.cursor - 1)
        )
        lines = self._collect_list_item_lines(list_item_re, break_sc, state, text, starts_blank, continue_width, rules)
        if lines.loose:
            token["tight"] = False
        if lines.end_pos is not None:
            token["_tok_index"] = lines.token_index
            token["_end_pos"] = lines.end_pos
        child = cast(_State, state.child_state(mistune.build_list_item_source(text, lines.src, continue_width)))
        child.task_box = _is_task_line(child)
        self.parse(child, rules)
        if token["tight"] and mistune.is_loose_list(child.tokens):
            token["tight"] = False
        token["children"].append({"type": "list_item", "children": child.tokens})
        return lines.next_item

    def _collect_list_item_lines(
        self,
        list_item_re: re.Pattern[str],
        break_sc: re.Pattern[str],
        state: _State,
        text: str,
        starts_blank: bool,
        continue_width: int,
        rules: list[str],
    ) -> Any:
        src = ""
        prev_blank_line = False
        open_paragraph: bool | None = None
        while state.cursor < state.cursor_max:
            raw_line = state.get_line(state.cursor)
            next_pos = state.cursor + len(raw_line)
            if self.BLANK_LINE.match(raw_line):
                src += "\n"
                prev_blank_line = True
                state.cursor = next_pos
                continue
            if mistune.has_continuation_indent(raw_line, continue_width):
                if prev_blank_line and starts_blank and not src.strip():
                    # A list item can begin with at most one blank line.
                    break
                src += raw_line
                prev_blank_line = False
                open_paragraph = None
                state.cursor = next_pos
                continue
            line = mistune.expand_leading_tabs(raw_line)
            line_break = mistune.match_list_item_break(list_item_re, break_sc, state, line)
            if line_break:
                tok_type, m = line_break
                if tok_type == "list_item":
                    state.cursor = next_pos
                    next_item = mistune.create_list_marker(m, "listitem")
                    return mistune.ListItemLines(src, next_item=next_item, loose=prev_blank_line)
                if tok_type == "list" or self._starts_block(raw_line):
                    # The caller parses this block once the list is in place (mistune parsed it
                    # here, before the list existed, so it could join an earlier paragraph).
                    break
            elif line.lstrip(" ").startswith("<") and self._starts_block(raw_line):
                # A tag alone on its line (CommonMark's HTML block type 7) may not interrupt a
                # paragraph, but where the item's indentation is missing it is no paragraph
                # continuation: as in cmark, it ends the item and starts an HTML block.
                break
            if prev_blank_line or (starts_blank and not src.strip()):
                # Nothing is open to continue lazily in an item that starts blank (or with a
                # bare task box) and has no text yet.
                break
            if open_paragraph is None:
                source = mistune.build_list_item_source(text, src, continue_width)
                lazy = _lazy_lines(state, state.next_child_line, source.count("\n") + 1)
                open_paragraph = self._ends_in_paragraph(source, rules, lazy, state)
            if not open_paragraph:
                break
            _mark_lazy(state, state.cursor)
            src += raw_line
            state.cursor = next_pos
        return mistune.ListItemLines(src)

    def parse_raw_html(self, m: Match[str], state: BlockState) -> int | None:
        marker = m.group(0).strip()
        if not marker.startswith(("<!", "<?")):
            closing = marker.startswith("</")
            tag = marker[2 if closing else 1 :].lower()
            if (tag in BLOCK_TAGS or tag in PRE_TAGS) and not _TAG_NAME_END.match(state.src, m.end()):
                # `<div\u00a0…`: the name goes on, so this is no block tag, and no complete tag
                # either (a type-7 start needs a blank, `>` or `/>` after the name).
                return None
        if not marker.startswith(("</", "<!", "<?")):
            tag = marker[1:].lower()
            last = state.last_token()
            if (
                tag not in BLOCK_TAGS
                and tag not in PRE_TAGS
                and not (last and last["type"] == "paragraph")
                and _OPEN_TAG_ALONE.match(state.src, m.end(), state.find_line_end())
            ):
                end: int = mistune.html_to_newline(state, self.BLANK_LINE)
                return end
        return super().parse_raw_html(m, state)

    def parse(self, state: BlockState, rules: list[str] | None = None) -> None:
        super().parse(state, rules)
        positioned = cast(_State, state)
        _take_definitions(positioned)
        if state.parent is None:
            _register_definitions(positioned)
        _finish_state(positioned)


_QUOTE_MARKER = re.compile(r" {0,3}>")


def _quote_line(state: BlockState, offset: int) -> str | None:
    """The content of the quote line at `offset` after its `>`, or None when it has no `>`.

    mistune's `_parse_block_quote_line` expands a tab after `>` as if the `>` stood in column
    0; in a nested container it stands further right, and CommonMark's tab stops count from
    the start of the file's line (`> > \t x` is indented code inside the inner quote).
    """
    line = state.get_line(offset)
    marker = _QUOTE_MARKER.match(line)
    if marker is None:
        return None
    rest = line[marker.end() :]
    lead = len(rest) - len(rest.lstrip(" \t"))
    if "\t" not in rest[:lead]:
        return mistune.block_quote_line(line)
    column = _file_column(cast(_State, state), offset + marker.end())
    width = 0
    for char in rest[:lead]:
        step = 1 if char == " " else 4 - (column + width) % 4
        width += step
    # The optional space after `>` takes one column, of a tab too.
    return " " * (width - 1) + rest[lead:]


def _item_in_file_columns(state: _State, item: Any, line_start: int) -> Any:
    """The list item `item` with the tabs after its marker expanded from the marker's file column.

    mistune expands them as if the marker stood at its column in the container's string; in a
    quote or another list it stands further right, and CommonMark's tab stops count from the
    start of the file's line: `> - \tx` is indented code in the item (five columns after `-`).
    """
    text: str = item.text
    lead = len(text) - len(text.lstrip(" \t"))
    if "\t" not in text[:lead]:
        return item
    column = _file_column(state, line_start + item.leading_width)
    expanded = ""
    for char in text[:lead]:
        width = 1 if char == " " else 4 - (column + len(expanded)) % 4
        expanded += " " * width
    return mistune.list_marker_with_text(item, expanded + text[lead:])


def _mapped_scratch(container: _State, source: str) -> _State | None:
    """A throw-away child of `container` for `source`, its lines mapped to the file's (None when
    `container` does not know where the content starts, or the lines do not map)."""
    first = container.next_child_line
    if first is None:
        return None
    try:
        scratch = cast(_State, container.child_state(source))
    except AssertionError:
        return None
    finally:
        container.next_child_line = first
    return scratch


def _is_task_line(item: _State) -> bool:
    """Whether a list item's first line, as the file has it, makes the item a GitHub task."""
    root = item
    while root.parent is not None:
        root = root.parent
    file_lines = item.origin.file_lines
    if not file_lines or file_lines[0] >= len(root.origin.lines):
        return False
    return _TASK_LINE.match(root.origin.lines[file_lines[0]]) is not None


def _is_task_marker_line(state: _State, offset: int) -> bool:
    """Whether the file line holding `offset` of `state` makes a list item a GitHub task."""
    root = state
    while root.parent is not None:
        root = root.parent
    file_line = state.origin.file_position(offset)[0]
    return file_line < len(root.origin.lines) and _TASK_LINE.match(root.origin.lines[file_line]) is not None


def _file_column(state: _State, offset: int) -> int:
    """The visual column (tabs to multiples of 4) in the file of an offset in `state`'s string."""
    file_line, column = state.origin.file_position(offset)
    root = state
    while root.parent is not None:
        root = root.parent
    lines = root.origin.lines
    text = lines[file_line] if file_line < len(lines) else ""
    return len(text[:column].expandtabs(4))


def _lazy_lines(state: _State, first: int | None, count: int) -> set[int]:
    """Which of the `count` lines from line `first` of `state` continue a paragraph lazily."""
    lazy = state.env.get("_lazy_file_lines")
    if not lazy or first is None:
        return set()
    file_lines = state.origin.file_lines[first : first + count]
    return {index for index, file_line in enumerate(file_lines) if file_line in lazy}


def _is_lazy(state: BlockState, line_start: int) -> bool:
    """Whether the file line at `line_start` continues a paragraph lazily (see `_mark_lazy`)."""
    lazy = state.env.get("_lazy_file_lines")
    if not lazy:
        return False
    origin = cast(_State, state).origin
    return origin.file_lines[origin.line_of(line_start)] in lazy


def _mark_lazy(state: BlockState, line_start: int) -> None:
    """Remember that the file line at `line_start` continues a paragraph lazily."""
    origin = cast(_State, state).origin
    lazy = state.env.setdefault("_lazy_file_lines", set())
    lazy.add(origin.file_lines[origin.line_of(line_start)])


def _list_break_pattern(block: _BlockParser, outside: int) -> re.Pattern[str]:
    """Blocks that end a list item when they start at most `outside` columns in."""
    key = ("list-break", outside)
    cached = _PATTERN_CACHE.get(key)
    if cached is None:
        names = mistune.list_break_rules(block)
        bound = " {0,%d}" % outside  # noqa: UP031 - braces belong to the regex
        pairs = [(name, block.specification[name].replace(" {0,3}", bound, 1)) for name in names]
        cached = re.compile("|".join(f"(?P<{name}>(?<=\n){pattern})" for name, pattern in pairs), re.M)
        _PATTERN_CACHE[key] = cached
    return cached


_PATTERN_CACHE: dict[tuple[str, int], re.Pattern[str]] = {}


def _last_block_is_paragraph(tokens: list[Token]) -> bool:
    """Whether the innermost last block of `tokens` is a paragraph still open for lazy lines."""
    while tokens:
        last = tokens[-1]
        kind = last["type"]
        if kind in ("paragraph", "block_text", "link_definition"):
            # A definition is the start of a paragraph cmark has not closed yet.
            return True
        if kind == "list" and last["children"]:
            tokens = last["children"][-1]["children"]
        elif kind == "block_quote":
            tokens = last["children"]
        else:
            return False
    return False


# GitHub's task list item: its line starts with the list marker, then `[ ]` or `[x]` and a blank
# (cmark-gfm's `scan_tasklist`, run on the whole line: an item inside a block quote is no task).
_TASK_LINE = re.compile(r"[ \t\v\f]*(?:[-+*]|[0-9]+[^\n])[ \t\v\f]+\[[ xX]\][ \t\v\f]")
_TASK_BOX = re.compile(r"\[[ xX]\][ \t\v\f]+")


def _take_definitions(state: _State) -> None:
    """Take the link reference definitions from the start of this container's paragraphs.

    As in cmark, each paragraph gives up the definitions its text starts with (see
    `definitions`); what is left stays a paragraph. A setext heading's text does too, and when
    nothing is left its underline starts a paragraph. A paragraph whose last line became a
    table's header row keeps its text (cmark-gfm's table splits it off unread). In a task item
    the definitions start after the box.
    """
    tokens = state.tokens
    if not any(token["type"] in ("paragraph", "heading") for token in tokens):
        return
    taken: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        index += 1
        kind = token["type"]
        if kind == "paragraph" and following is not None and following["type"] == "table":
            taken.append(token)
            continue
        if kind != "paragraph" and not (kind == "heading" and token.get("style") == "setext"):
            taken.append(token)
            continue
        text: str = token["text"]
        start: int = token.get("_text_start", token["_s"])
        if not state.src.startswith(text, start):
            taken.append(token)
            continue
        end = start + len(text)
        position = start
        box = None
        if state.task_box and not taken and start == 0:
            box = _TASK_BOX.match(state.src, start, end)
            if box is not None:
                position = box.end()
        found: list[Token] = []
        indent = 3
        while (definition := definition_at(state.src, position, end, indent)) is not None:
            found.append(_definition_token(state, definition, position))
            position = definition.end
            # cmark strips a continuation line's indentation, but keeps a lazy line's in the
            # paragraph, and a definition must start the rest of it: an indented one is text.
            indent = 0 if _is_lazy(state, position) else len(state.src)
        if not found:
            taken.append(token)
            continue
        if box is not None:
            taken.append({"type": "paragraph", "text": state.src[start : box.start() + 3], "_s": start})
        taken.extend(found)
        rest = state.src[position:end]
        if rest.strip(_WHITESPACE):
            token["text"] = rest
            token["_s"] = token["_text_start"] = position
            taken.append(token)
        elif kind == "heading":
            # The underline is paragraph text now, and so are the lines that followed it.
            line_end = state.src.find("\n", end)
            line_end = len(state.src) if line_end == -1 else line_end + 1
            if following is not None and following["type"] == "paragraph" and following.get("_s") == line_end:
                line_end += len(following["text"])
                index += 1
            taken.append({"type": "paragraph", "text": state.src[end:line_end], "_s": end, "_text_start": end})
    state.tokens[:] = taken


def _definition_token(state: _State, definition: Definition, position: int) -> Token:
    destination = state.src[definition.destination_start : definition.destination_end]
    inner = destination[1:-1] if destination.startswith("<") else destination
    data: dict[str, str] = {"url": mistune.escape_url(mistune.unescape_char(inner)), "label": definition.label}
    if definition.title:
        data["title"] = mistune.unescape_char(definition.title)
    attrs = {
        "label": definition.label,
        "url": data["url"],
        "duplicate": False,
        "_dest": (definition.destination_start, definition.destination_end),
    }
    state.env.setdefault("_definitions", []).append((state.origin.file_position(position), attrs, data))
    return {"type": "link_definition", "attrs": attrs, "_s": position}


def _register_definitions(state: _State) -> None:
    """Define the labels in the file's order, the first definition of each winning (as in cmark)."""
    definitions = state.env.pop("_definitions", None)
    if not definitions:
        return
    references = state.env["ref_links"]
    definitions.sort(key=lambda definition: definition[0])
    for _, attrs, data in definitions:
        key = mistune.unikey(attrs["label"])
        if not key:
            continue
        if key in references:
            attrs["duplicate"] = True
        else:
            references[key] = data
        attrs["url"] = references[key]["url"]


def _finish_state(state: _State) -> None:
    """Turn each top-level token's start stamp into start and end offsets in the file."""
    tokens = state.tokens
    src = state.src
    for index, token in enumerate(tokens):
        start = _token_start(token)
        end = _token_start(tokens[index + 1]) if index + 1 < len(tokens) else len(src)
        end = max(end, start)
        _set_span(token, state, start, end)
        if token["type"] == "block_code" and token.get("style") == "fenced":
            # A fence's block ends with its closing line; an unclosed one runs to the end of its
            # container, blank lines included.
            token["_span"] = (token["_span"][0], end)
            token["_unclosed"] = not _closes_fence(src[start:end], token.get("marker", "```"))
            if token["_unclosed"] and state.appended_newline and end == len(src):
                # The file's last line has no line break: when it is only spaces it holds nothing.
                last_start = src.rfind("\n", 0, len(src) - 1) + 1
                if not src[last_start:].strip():
                    token["_span"] = (token["_span"][0], max(token["_span"][0], last_start))
        if token["type"] == "list":
            items = token["children"]
            for item_index, item in enumerate(items):
                item_end = items[item_index + 1]["_s"] if item_index + 1 < len(items) else end
                _set_span(item, state, item["_s"], item_end)
                item["_raw_end"] = item_end
        elif token["type"] == "table":
            _place_table(token, state)


def _token_start(token: Token) -> int:
    if "_s" in token:
        return int(token["_s"])
    if "_cursor" in token:
        return int(token["_cursor"])
    raise AssertionError(f"internal error: block token {token['type']!r} was made without a position")


def _closes_fence(source: str, marker: str) -> bool:
    """Whether a fenced block's source ends with its closing fence."""
    lines = source.rstrip("\n").split("\n")
    if len(lines) < 2:
        return False  # the opening fence alone
    last_line = lines[-1]
    stripped = last_line.strip()
    return (
        len(last_line) - len(last_line.lstrip(" ")) <= 3
        and len(stripped) >= len(marker)
        and (set(stripped) == {marker[0]})
    )


def _release_states(tokens: list[Token]) -> None:
    """Drop the tokens' links to their states, which hold them: a throw-away parse then needs no
    cyclic garbage collection to be freed."""
    stack = list(tokens)
    while stack:
        token = stack.pop()
        token.pop("_state", None)
        children = token.get("children")
        if isinstance(children, list):
            stack.extend(children)


def _set_span(token: Token, state: _State, start: int, end: int) -> None:
    src = state.src
    while start < end and src[start] in _WHITESPACE:
        start += 1
    while end > start and src[end - 1] in _WHITESPACE:
        end -= 1
    token["_state"] = state
    token["_span"] = (start, end)


def _place_table(token: Token, state: _State) -> None:
    """Find each table cell in the table's lines, splitting rows as mistune does."""
    src = state.src
    start, _end = token["_span"]
    line_start = src.rfind("\n", 0, start) + 1
    rows: list[Token] = []
    head, body = token["children"]
    rows.append(head)
    rows.extend(body["children"])
    position = line_start
    for row_index, row in enumerate(rows):
        line_end = src.find("\n", position)
        line_end = len(src) if line_end == -1 else line_end
        _place_row(row, state, position, line_end)
        if row_index == 0:
            # Skip the delimiter row (`| --- | :-: |`).
            position = line_end + 1
            line_end = src.find("\n", position)
            line_end = len(src) if line_end == -1 else line_end
        position = line_end + 1
    _set_span(head, state, *head["_span"])
    if body["children"]:
        _set_span(body, state, body["children"][0]["_span"][0], body["children"][-1]["_span"][1])
    else:
        _set_span(body, state, head["_span"][1], head["_span"][1])


def _place_row(row: Token, state: _State, line_start: int, line_end: int) -> None:
    src = state.src
    _set_span(row, state, line_start, line_end)
    text_start, text_end = row["_span"]
    if text_start < text_end and src[text_start] == "|":
        text_start += 1
    if text_end > text_start and src[text_end - 1] == "|" and not _escaped(src, text_end - 1):
        text_end -= 1
    cells = row["children"]
    cell_start = text_start
    position = text_start
    index = 0
    while index < len(cells):
        at_pipe = position < text_end and src[position] == "|" and not _escaped(src, position)
        if position >= text_end or at_pipe:
            cell = cells[index]
            _set_span(cell, state, cell_start, position)
            cell["_text_start"] = cell["_span"][0]
            index += 1
            cell_start = position + 1
        position += 1
        if position > text_end + 1:
            break
    for cell in cells[index:]:
        _set_span(cell, state, text_end, text_end)
        cell["_text_start"] = text_end


def _escaped(src: str, position: int) -> bool:
    backslashes = 0
    position -= 1
    while position >= 0 and src[position] == "\\":
        backslashes += 1
        position -= 1
    return backslashes % 2 == 1


def _destination_span(src: str, position: int, limit: int) -> tuple[int, int]:
    """Offsets of an inline link's destination as written, starting the search at `position`."""
    while position < limit and src[position] in _WHITESPACE:
        position += 1
    start = position
    if position < limit and src[position] == "<":
        close = src.find(">", position, limit)
        return start, (close + 1 if close != -1 else start)
    depth = 0
    while position < limit:
        char = src[position]
        if char in _WHITESPACE:
            break
        if char == "\\" and position + 1 < limit:
            position += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        position += 1
    return start, position


class _InlineParser(mistune.InlineParser):
    def stamp_methods(self) -> None:
        """Wrap every inline rule so the tokens it makes remember where they stand."""
        mistune.stamp_inline_rules(self)


def _strip_outer_pipes(line: str) -> str:
    """A table row without its indentation, line break, and outer pipes (optional in GFM)."""
    text = line.rstrip("\n").strip(" \t")
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not _escaped(text, len(text) - 1):
        text = text[:-1]
    return text


# A table of one column: a header line without a pipe, then a delimiter row of one cell (which a
# colon or a pipe tells from a setext underline).
_ONE_COLUMN_TABLE = r"^ {0,3}[^\s|][^\n|]*\n(?= {0,3}(?:\|[ \t]*)?:?-+:?[ \t]*\|?[ \t]*(?:\n|$))"
_SETEXT_UNDERLINE = re.compile(r" {0,3}-+[ \t]*(?:\n|$)")
_LIST_ITEM_START = re.compile(r" {0,3}-[ \t]+\S")


def _parse_one_column_table(block: Any, m: Match[str], state: BlockState) -> int | None:
    if _SETEXT_UNDERLINE.match(state.get_line(m.end())):
        return None
    return _parse_table(block, m, state, pipes=False)


def _parse_table(block: Any, m: Match[str], state: BlockState, pipes: bool = True) -> int | None:
    """GitHub's pipe tables: outer pipes optional on every row, short rows padded, long rows cut.

    Replaces mistune's two table rules, which keep a leading pipe as an empty first cell when a
    row has no trailing pipe and refuse a table whose rows differ in cell count. As in cmark-gfm,
    a row needs no pipe: the table goes on to a blank line or a line that starts another block.
    """
    pos = m.end()
    if pos >= state.cursor_max:
        return None
    align_line = state.get_line(pos)
    if _LIST_ITEM_START.match(align_line):
        return None  # `- |` starts a list item, which cmark-gfm tries before a delimiter row
    thead, aligns = mistune.process_table_head(_strip_outer_pipes(m.group(0)), _strip_outer_pipes(align_line))
    if not thead or aligns is None or (pipes and "|" not in m.group(0) + align_line) or "-" not in align_line:
        return None
    pos += len(align_line)
    rows = []
    while pos < state.cursor_max:
        line = state.get_line(pos)
        if not line.strip() or block.ends_table(line):
            break
        cells = mistune.split_table_cells(_strip_outer_pipes(line))
        cells = (cells + [""] * len(aligns))[: len(aligns)]
        rows.append(
            {
                "type": "table_row",
                "children": [
                    {"type": "table_cell", "text": cell.strip(), "attrs": {"align": align, "head": False}}
                    for cell, align in zip(cells, aligns, strict=True)
                ],
            }
        )
        pos += len(line)
    state.append_token({"type": "table", "children": [thead, {"type": "table_body", "children": rows}]})
    return pos


class _Markdown:
    """mistune configured as GitHub renders: CommonMark plus tables, strikethrough, autolinks."""

    def __init__(self) -> None:
        self.block = _BlockParser()
        self.inline = _InlineParser()
        mistune.github_markdown(self.block, self.inline)
        for name in ("table", "nptable"):
            self.block.register(name, None, _parse_table)
        for rules in (self.block.rules, self.block.block_quote_rules, self.block.list_rules):
            if "table" in rules:
                rules.append("one_column_table")
        self.block.register("one_column_table", _ONE_COLUMN_TABLE, _parse_one_column_table)
        self.inline.stamp_methods()


_PARSER: _Markdown | None = None


def _parser() -> _Markdown:
    global _PARSER
    if _PARSER is None:
        _PARSER = _Markdown()
    return _PARSER


def parse_document(document: SourceText, text: str | None = None) -> Node:
    """Parse a document's Markdown body (front matter excluded) into a tree of positioned nodes.

    `text`, when given, is what Markdown sees instead of the file's text (its template syntax
    masked, see `templates`): the same length and the same lines.
    """
    text = document.text if text is None else text
    front_matter = document.front_matter
    body = text
    if front_matter is not None:
        # Front matter becomes blank lines of the same length, so that every line and offset of
        # the body stays that of the file.
        head = text[: front_matter.end]
        body = re.sub(r"[^\r\n]", " ", head) + text[front_matter.end :]
    return parse_text(body, document.line_starts, [len(line) for line in document.lines], len(text))


def parse_text(body: str, line_starts: list[int], line_lengths: list[int], text_length: int) -> Node:
    """Parse `body` (same lines as the file) and map positions through the file's lines."""
    source = _LINE_BREAK.sub("\n", body)
    # Text that already holds the stand-in keeps mistune's reading of no-break spaces.
    stand_in = _NO_BREAK_SPACE in source and _STAND_IN not in source
    if stand_in:
        source = source.replace(_NO_BREAK_SPACE, _STAND_IN)
    appended = not source.endswith("\n")
    if appended:
        source += "\n"
    markdown = _parser()
    state = _State()
    state.process(source)
    state.appended_newline = appended
    markdown.block.parse(state)
    builder = _TreeBuilder(markdown.inline, state.env, line_starts, line_lengths, text_length)
    # Without carriage returns the parsed string is the file's text: offsets need no mapping.
    builder.identity_root = state if "\r" not in body else None
    root = Node("document", 0, text_length)
    root.children = builder.blocks(state.tokens, root)
    if stand_in:
        _restore_no_break_spaces(root)
    return root


def _restore_no_break_spaces(root: Node) -> None:
    pending = [root]
    while pending:
        node = pending.pop()
        # Tested before replacing: most nodes hold no stand-in, and `in` is cheaper than a copy.
        if _STAND_IN in node.raw:
            node.raw = node.raw.replace(_STAND_IN, _NO_BREAK_SPACE)
        attrs = cast(dict[str, object], node.attrs)
        for key, value in attrs.items():
            if isinstance(value, str) and (_STAND_IN in value or _ENCODED_STAND_IN in value):
                value = value.replace(_STAND_IN, _NO_BREAK_SPACE)
                attrs[key] = value.replace(_ENCODED_STAND_IN, _ENCODED_NO_BREAK_SPACE)
        pending.extend(node.children)


class _TreeBuilder:
    """Turns positioned mistune tokens into `Node`s with offsets into the file's text."""

    def __init__(
        self,
        inline: _InlineParser,
        env: Any,
        line_starts: list[int],
        line_lengths: list[int],
        text_length: int,
    ) -> None:
        self.inline = inline
        self.env = env
        self.line_starts = line_starts
        self.line_lengths = line_lengths
        self.text_length = text_length
        self.identity_root: _State | None = None
        self._labels: frozenset[str] | None = None

    def file_end_offset(self, state: _State, offset: int) -> int:
        """Like `file_offset`, for an end: the start of a child line is just after a line break."""
        origin = state.origin
        index = origin.line_of(offset)
        if index > 0 and offset == origin.line_starts[index]:
            next_line = origin.file_lines[index - 1] + 1
            return self.line_starts[next_line] if next_line < len(self.line_starts) else self.text_length
        return self.file_offset(state, offset)

    def file_offset(self, state: _State, offset: int) -> int:
        if state is self.identity_root:
            return min(offset, self.text_length)
        line, column = state.origin.file_position(offset)
        if line >= len(self.line_starts):
            return self.text_length
        # Never point past the line's own characters into its line break.
        return self.line_starts[line] + min(column, self.line_lengths[line])

    def blocks(self, tokens: list[Token], parent: Node) -> list[Node]:
        nodes = []
        for token in tokens:
            if token["type"] == "blank_line" or _is_blank_indented_code(token):
                # Dropped here, as in `block`, to break the token-state cycle.
                token.pop("_state", None)
                continue
            nodes.append(self.block(token, parent))
        return nodes

    def block(self, token: Token, parent: Node) -> Node:
        # Popped, not read: a state holds its tokens, so a token that kept its state would make a
        # reference cycle, and every parse would wait for the cyclic collector to be freed.
        state: _State = token.pop("_state")
        start, end = token["_span"]
        attrs = cast(NodeAttrs, dict(token.get("attrs") or {}))
        node = Node(
            token["type"],
            self.file_offset(state, start),
            self.file_end_offset(state, end),
            attrs,
            raw=token.get("raw", ""),
        )
        node.parent = parent
        if token["type"] == "heading":
            attrs["style"] = token.get("style", "atx")
        if token["type"] == "list":
            attrs["tight"] = token.get("tight", True)
            attrs["bullet"] = token.get("bullet", "")
        if token["type"] == "link_definition":
            # `_dest` is the parser's own offset pair, not a node attribute.
            dest_start, dest_end = cast(Token, attrs).pop("_dest")
            attrs["destination"] = state.src[dest_start:dest_end]
            attrs["destination_start"] = self.file_offset(state, dest_start)
            attrs["destination_end"] = self.file_offset(state, dest_end)
        if "children" in token:
            node.children = self.blocks(token["children"], node)
        elif "text" in token:
            node.children = self.inline_children(token, state, node)
        if token["type"] == "list_item" and node.children:
            last = token["children"][-1] if token["children"] else {}
            if last.get("_unclosed"):
                # mistune drops an item's trailing blank lines; an unclosed fence still owns them.
                raw_end_in_state = token["_raw_end"]
                raw_end = self.file_end_offset(state, raw_end_in_state)
                if raw_end >= self.text_length and self.line_lengths[-1] > 0:
                    # The file's last line has no line break: when it is only spaces it holds
                    # nothing, as for a fence outside any container (see `_finish_state`).
                    last_start = state.src.rfind("\n", 0, max(0, raw_end_in_state - 1)) + 1
                    if not state.src[last_start:raw_end_in_state].strip():
                        raw_end = self.file_end_offset(state, last_start)
                node.children[-1].end = max(node.children[-1].end, raw_end)
        if node.children:
            # A child's trailing blank lines (an unclosed fence) widen its container too.
            node.start = min(node.start, node.children[0].start)
            node.end = max(node.end, max(child.end for child in node.children))
        return node

    def inline_children(self, token: Token, state: _State, parent: Node) -> list[Node]:
        text: str = token["text"]
        stripped = text.strip(_INLINE_STRIP)
        if not stripped:
            return []
        base = token.get("_text_start", token["_span"][0]) + len(text) - len(text.lstrip(_INLINE_STRIP))
        if state.src[base : base + len(stripped)] != stripped:
            found = state.src.find(stripped, token["_span"][0])
            if found == -1:
                raise AssertionError(f"internal error: {token['type']} text {stripped[:40]!r} is not in its source")
            base = found
        inline_tokens = self.inline(stripped, self.env)
        _place_inline(inline_tokens, stripped, 0, len(stripped))
        if "~~" in stripped:
            self._strike_as_github(inline_tokens, stripped)
        return self.inline_nodes(inline_tokens, state, base, stripped, parent)

    def _strike_as_github(self, tokens: list[Token], src: str) -> None:
        """Turn back into text the strikethrough mistune made where cmark-gfm makes none.

        mistune strikes any `~~…~~`; cmark-gfm only runs that flank as emphasis does
        (`\u200b~~-~~` stays text: the opener is followed by punctuation, preceded by neither
        whitespace nor punctuation).
        """
        if self._labels is None:
            self._labels = frozenset(normalize_label(data.get("label", "")) for data in self.env["ref_links"].values())
        pairs = match_strikethrough(InlineSource(src, 0, len(src), definitions=self._labels))
        struck = {(opener[0], closer[1]) for opener, closer in pairs}
        pending = [tokens]
        while pending:
            siblings = pending.pop()
            index = 0
            while index < len(siblings):
                token = siblings[index]
                children = token.get("children")
                if token["type"] == "strikethrough" and (token["_s"], token["_e"]) not in struck:
                    start, end = token["_s"], token["_e"]
                    opener = {"type": "text", "raw": src[start : start + 2], "_s": start, "_e": start + 2}
                    closer = {"type": "text", "raw": src[end - 2 : end], "_s": end - 2, "_e": end}
                    siblings[index : index + 1] = [opener, *(children or []), closer]
                    continue
                if children:
                    pending.append(children)
                index += 1

    def inline_nodes(self, tokens: list[Token], state: _State, base: int, src: str, parent: Node) -> list[Node]:
        nodes = []
        for token in tokens:
            start: int = token.get("_s", 0)
            end: int = token.get("_e", start)
            attrs = cast(NodeAttrs, dict(token.get("attrs") or {}))
            node = Node(
                token["type"],
                self.file_offset(state, base + start),
                self.file_offset(state, base + end),
                attrs,
                raw=token.get("raw", ""),
            )
            node.parent = parent
            if token["type"] == "codespan" and "\n" in src[start:end]:
                node.raw = _code_span_content(src[start:end])
            if token["type"] in ("link", "image"):
                self.destination(node, token, state, base, src)
                if "label" in token:
                    attrs["reference"] = token["label"]
            if token.get("children"):
                node.children = self.inline_nodes(token["children"], state, base, src, node)
            nodes.append(node)
        return nodes

    def destination(self, node: Node, token: Token, state: _State, base: int, src: str) -> None:
        """Record the destination exactly as written, for inline links and images."""
        start, end = token.get("_s", 0), token.get("_e", 0)
        inner = token.get("_inner")
        node.attrs.setdefault("url", "")
        if inner is None or not src.startswith(("[", "!["), start) or src[end - 1 : end] != ")":
            return
        close = _closing_bracket(src, inner, end)
        if close is None or src[close + 1 : close + 2] != "(":
            return
        dest_start, dest_end = _destination_span(src, close + 2, end - 1)
        node.attrs["destination"] = src[dest_start:dest_end]
        node.attrs["destination_start"] = self.file_offset(state, base + dest_start)
        node.attrs["destination_end"] = self.file_offset(state, base + dest_end)
        node.attrs["text_end"] = self.file_offset(state, base + close)


def _code_span_content(source: str) -> str:
    """A multi-line code span's content as CommonMark defines it.

    mistune keeps the indentation of continuation lines; CommonMark strips it with the rest of
    the paragraph's line prefixes, then turns line breaks into spaces and drops one space at each
    end when both ends have one.
    """
    fence = len(source) - len(source.lstrip("`"))
    inner = re.sub(r"\n[ \t]+", "\n", source[fence : len(source) - fence]).replace("\n", " ")
    if len(inner) >= 2 and inner[0] == " " and inner[-1] == " " and inner.strip(" "):
        inner = inner[1:-1]
    return inner


def _closing_bracket(src: str, position: int, limit: int) -> int | None:
    depth = 1
    while position < limit:
        char = src[position]
        if char == "\\":
            position += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return position
        position += 1
    return None


def _is_blank_indented_code(token: Token) -> bool:
    # mistune reads a first line of 5+ spaces (blanked front matter such as `---  `) as indented
    # code; CommonMark's indented chunks are non-blank lines, so no such block exists.
    return token["type"] == "block_code" and token.get("style") == "indent" and not token.get("raw", "").strip()


def _place_inline(tokens: list[Token], src: str, cursor: int, limit: int) -> int:
    """Give text and emphasis tokens their offsets by walking the source with a cursor."""
    for token in tokens:
        kind = token["type"]
        if "_s" in token:
            children = token.get("children")
            if children:
                _place_inline(children, src, token["_inner"] if "_inner" in token else token["_s"], token["_e"])
            cursor = max(cursor, token["_e"])
        elif kind == "text":
            start, cursor = _find_text(src, token["raw"], cursor, limit)
            token["_s"], token["_e"] = start, cursor
        elif kind in ("emphasis", "strong"):
            width = 2 if kind == "strong" else 1
            start = cursor
            while start < limit and src[start] not in "*_":
                start += 1
            token["_s"] = start
            cursor = _place_inline(token.get("children", []), src, min(start + width, limit), limit)
            closed = 0
            while cursor < limit and closed < width and src[cursor] in "*_":
                cursor += 1
                closed += 1
            token["_e"] = cursor
        else:
            raise AssertionError(f"internal error: inline {kind!r} token has no position")
    return cursor


_ASCII_PUNCTUATION = frozenset(string.punctuation)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")


def _find_text(src: str, raw: str, cursor: int, limit: int) -> tuple[int, int]:
    """Where `raw` stands in `src` from `cursor`, allowing backslash escapes; (start, end).

    Raises `AssertionError` when the text is not there: a made-up span would be silently wrong.
    """
    if not raw:
        return cursor, cursor
    # Skip delimiter characters and whitespace that belong to no token before the text.
    position = cursor
    while position < limit:
        end = _match_text(src, raw, position, limit)
        if end is not None:
            return position, end
        if src[position] not in "*_~ \t\n\\":
            break
        position += 1
    found = src.find(raw, cursor, limit)
    if found != -1:
        return found, found + len(raw)
    raise AssertionError(f"internal error: text {raw!r} not found in {src[cursor:limit]!r} (offset {cursor})")


def _match_text(src: str, raw: str, position: int, limit: int) -> int | None:
    """The end of `raw` written at `position` (escapes and entities allowed), or None."""
    if "\\" not in raw and src.startswith(raw, position, limit):
        # Written as it is, the common case: without a backslash in `raw` the walk below would
        # match it character by character and end at the same place.
        return position + len(raw)
    index = 0
    while index < len(raw):
        if position >= limit:
            return None
        char = src[position]
        if char == "\\" and position + 1 < limit and src[position + 1] == raw[index] in _ASCII_PUNCTUATION:
            # A backslash escape stands for the character after it. (A literal autolink merged
            # into the text keeps its backslashes: the next branch.)
            index += 1
            position += 2
        elif char == raw[index]:
            index += 1
            position += 1
        elif char == "&" and (entity := _ENTITY.match(src, position, limit)):
            decoded = html.unescape(entity.group())
            if decoded == entity.group() or not raw.startswith(decoded, index):
                return None
            index += len(decoded)
            position = entity.end()
        else:
            return None
    return position
