"""Everything mdlint knows about mistune, in one place (mistune 3.3.x and 3.4.x).

The position layer (`parser.py`) needs more than mistune's public API: the list parser's
helpers (it re-runs mistune's list algorithm to learn where each item starts), two block
helpers, the table plugin's row splitters and the inline parser's rule table. Those private
names are imported here only, and `tests/test_mistune_contract.py` checks each of them, so an
upgrade of mistune fails there, by name, instead of producing wrong positions.

Version differences handled here:

* 3.4 parses links with a bracket stack: `[` emits a text token and a later `]` rule wraps the
  tokens in between into the link, in the same string. 3.3 parses the whole link at `[` and its
  text from a new string. `stamp_inline_rules` records link offsets for both.

One change to mistune itself, made when this module is imported: an inline link destination
may nest parentheses 32 deep, as in cmark (GitHub's renderer), not without bound. mistune
scanned every `](` to the end of the text when its parentheses never closed: `[` x k then `](`
x k was quadratic (100 KB took minutes).
"""

from __future__ import annotations

import dataclasses
import string
from collections.abc import Callable
from re import Match, Pattern
from typing import Any, cast

import mistune
from mistune import helpers as _helpers
from mistune import list_parser as _lists
from mistune._inline import links as _links
from mistune.block_parser import _parse_block_quote_line, _parse_html_to_newline
from mistune.core import BlockState, InlineState
from mistune.helpers import BLOCK_TAGS, HTML_ATTRIBUTES, PRE_TAGS, unescape_char
from mistune.plugins import table as _tables
from mistune.plugins.formatting import strikethrough
from mistune.plugins.table import table, table_in_list, table_in_quote
from mistune.plugins.url import url
from mistune.util import escape_url, expand_leading_tab, expand_tab, unikey

__all__ = [
    "BLOCK_TAGS",
    "BRACKET_STACK_LINKS",
    "HTML_ATTRIBUTES",
    "INDENT_CODE",
    "MISTUNE_VERSION",
    "PRE_TAGS",
    "THEMATIC_BREAK",
    "BlockParser",
    "BlockState",
    "InlineParser",
    "InlineState",
    "ListItemLines",
    "block_quote_line",
    "build_list_item_source",
    "compile_continue_width",
    "compile_list_item_pattern",
    "create_list_marker",
    "escape_url",
    "expand_leading_tab",
    "expand_leading_tabs",
    "expand_tab",
    "github_markdown",
    "has_continuation_indent",
    "html_to_newline",
    "is_loose_list",
    "list_break_rules",
    "list_bullet",
    "list_marker_with_text",
    "match_list_item_break",
    "process_table_head",
    "split_table_cells",
    "stamp_inline_rules",
    "transform_tight_list",
    "unescape_char",
    "unikey",
]

Token = dict[str, Any]
InlineRule = Callable[[Match[str], InlineState], int | None]

MISTUNE_VERSION: tuple[int, ...] = tuple(int(part) for part in mistune.__version__.split(".")[:2])
BlockParser = mistune.BlockParser
InlineParser = mistune.InlineParser
# mistune 3.4: links close at a `]` rule, around tokens already in the state.
BRACKET_STACK_LINKS: bool = hasattr(mistune.InlineParser, "parse_link_close")

ListItemLines = _lists._ListItemLines

# How deep parentheses may nest in a link destination: cmark gives up past 32
# (`manual_scan_link_url_2`), and so does mistune here.
LINK_PAREN_DEPTH = 32


def _parse_link_href_bounded(
    src: str, start_pos: int, block: bool = False, *, max_nested_level: int | None = None
) -> tuple[str | None, int | None, int]:
    """mistune's `helpers._parse_link_href`, giving up past `LINK_PAREN_DEPTH` open parentheses.

    mistune 3.4 passes `max_nested_level` (3.3 has no such parameter): it goes on to mistune's own
    scan where that runs, while ours keeps cmark's depth so both mistune versions parse alike.
    """
    options: dict[str, Any] = {} if max_nested_level is None else {"max_nested_level": max_nested_level}
    if block:
        # A definition's destination does not nest parentheses; mistune's scan stops at a blank.
        result: tuple[str | None, int | None, int] = _parse_link_href(src, start_pos, block=True, **options)
        return result
    pos = _helpers._skip_link_start_whitespace(src, start_pos)
    if pos >= len(src) or src[pos] == "<":
        result = _parse_link_href(src, start_pos, **options)
        return result
    start = pos
    level = 0
    while pos < len(src):
        char = src[pos]
        if char in _helpers.ASCII_WHITESPACE:
            break
        if char == "\x00":
            return None, None, pos
        if char == "\\" and pos + 1 < len(src) and src[pos + 1] in string.punctuation:
            pos = min(pos + 2, len(src))
            continue
        if char == "(":
            level += 1
            if level > LINK_PAREN_DEPTH:
                return None, None, pos
        elif char == ")":
            if level == 0:
                break
            level -= 1
        pos += 1
    if level != 0:
        return None, None, pos
    return src[start:pos], pos, pos


_parse_link_href = _helpers._parse_link_href
_helpers._parse_link_href = _parse_link_href_bounded

# cmark's whitespace, which a link label is trimmed of (a no-break space is none).
_LABEL_BLANKS = " \t\n\r\f\v"


def _parse_link_label_trimmed(src: str, start_pos: int) -> tuple[str, int] | tuple[None, None]:
    """mistune's `parse_link_label`, where a label of blanks is an empty one, as in cmark.

    cmark trims a label before it looks at it: `[a][ ]` reads as `[a][]` (a link when `a` is
    defined); mistune looked up the label " ", found nothing, and left the text. A blank link
    text followed by a destination (`[ ](x)`) keeps its blank.
    """
    label, end = _parse_link_label(src, start_pos)
    if label is None or end is None:
        return None, None
    if label and not label.strip(_LABEL_BLANKS) and not src.startswith("(", end):
        return "", end
    return label, end


# Both mistune versions call it through the links module's own name for it.
_parse_link_label = _helpers.parse_link_label
setattr(_links, "parse_link_label", _parse_link_label_trimmed)  # noqa: B010 - not exported by mistune

# mistune's thematic-break rule with possessive repeats: a break is only runs of `-`, `_` or `*`
# and blanks up to the line end, so giving any back cannot make `$` match; mistune's greedy
# version backtracked through `- - - … x` at every nesting level (1 MB of `- ` took 20 s).
THEMATIC_BREAK = r"^ {0,3}((?:-[ \t]*+){3,}+|(?:_[ \t]*+){3,}+|(?:\*[ \t]*+){3,}+)$"

# mistune's indented-code rule, except that the chunk's first line must hold more than blanks:
# CommonMark reads a line of spaces as a blank line, which ends a paragraph; mistune took five
# spaces for a line of code, which cannot interrupt a paragraph, so the paragraph went on.
INDENT_CODE = (
    r"^(?: {4}| *\t)[ \t]*+[^ \t\n][^\n]*(?:\n+|$)"
    r"((?:(?: {4}| *\t)[^\n]+(?:\n+|$))|\s)*"
)


def github_markdown(block: mistune.BlockParser, inline: mistune.InlineParser) -> mistune.Markdown:
    """A tree-only mistune with GitHub's extensions: tables, strikethrough, literal autolinks."""
    markdown = mistune.Markdown(renderer=None, block=block, inline=inline)
    for plugin in (table, table_in_quote, table_in_list, strikethrough, url):
        plugin(markdown)
    return markdown


def block_quote_line(line: str) -> str:
    return str(_parse_block_quote_line(line))


def html_to_newline(state: BlockState, blank_line: Pattern[str]) -> int:
    return int(_parse_html_to_newline(state, blank_line))


def create_list_marker(m: Match[str], prefix: str) -> Any:
    return _lists._create_list_marker(m, prefix)


def list_marker_with_text(item: Any, text: str) -> Any:
    """A copy of mistune's list marker `item` (a dataclass) with another text after the marker."""
    return dataclasses.replace(item, text=text)


def list_bullet(bullet: str) -> str:
    return str(_lists._get_list_bullet(bullet))


def transform_tight_list(token: Token) -> None:
    _lists._transform_tight_list(token)


def compile_continue_width(text: str, leading_width: int) -> tuple[str, int]:
    result: tuple[str, int] = _lists._compile_continue_width(text, leading_width)
    return result


def compile_list_item_pattern(bullet: str, leading_width: int) -> str:
    return str(_lists._compile_list_item_pattern(bullet, leading_width))


def build_list_item_source(text: str, src: str, continue_width: int) -> str:
    return str(_lists._build_list_item_source(text, src, continue_width))


def is_loose_list(tokens: list[Token]) -> bool:
    return bool(_lists._is_loose_list(tokens))


def has_continuation_indent(line: str, columns: int) -> bool:
    return bool(_lists._has_continuation_indent(line, columns))


def expand_leading_tabs(line: str) -> str:
    """Leading tabs as spaces, by tab stops of four (as mistune expands list lines)."""
    return str(_lists._expand_leading_tabs(line))


def match_list_item_break(
    list_item_re: Pattern[str], break_sc: Pattern[str], state: BlockState, line: str
) -> tuple[str, Match[str]] | None:
    result: tuple[str, Match[str]] | None = _lists._match_list_item_break(list_item_re, break_sc, state, line)
    return result


def list_break_rules(block: mistune.BlockParser) -> list[str]:
    return list(_lists._get_list_break_rules(block))


def process_table_head(header: str, align: str) -> tuple[Token | None, list[str | None] | None]:
    result: tuple[Token | None, list[str | None] | None] = _tables._process_thead(header, align)
    return result


def split_table_cells(text: str) -> list[str]:
    return list(_tables._split_table_cells(text))


_CONTAINER_INLINE = frozenset({"link", "image", "strikethrough"})
# Markers after which mistune 3.3 parses a container's children from a new string (3.4 only
# does so for `~~`; its links open with a text token).
_CONTAINER_OPENERS = frozenset({"[", "![", "~~"})


def stamp_inline_rules(inline: mistune.InlineParser) -> None:
    """Wrap every inline rule so the tokens it makes remember where they stand in its string.

    Tokens get `_s`/`_e` (start and end), containers `_inner` (where their children's text
    starts); children parsed from a new string are shifted into the outer string's coordinates.
    Text tokens are left to the caller, which places them by walking the source.
    """
    methods: dict[str, InlineRule] = inline._methods
    for name, method in list(methods.items()):
        if BRACKET_STACK_LINKS and name == "link_close":
            methods[name] = _stamping_link_close(method)
        else:
            methods[name] = _stamping(method)


def _stamping(method: InlineRule) -> InlineRule:
    def stamped(m: Match[str], state: InlineState) -> int | None:
        count = len(state.tokens)
        end = method(m, state)
        for token in state.tokens[count:]:
            if "_s" in token or token["type"] == "text":
                continue
            token["_s"] = m.start()
            token["_e"] = end if end else m.end()
            if token["type"] in _CONTAINER_INLINE and m.group(0) in _CONTAINER_OPENERS:
                # Children were parsed from the text after the opening marker.
                shift_tokens(token.get("children", ()), m.end())
                token["_inner"] = m.end()
        return end

    return stamped


def _stamping_link_close(method: InlineRule) -> InlineRule:
    def stamped(m: Match[str], state: InlineState) -> int | None:
        # `brackets` exists from mistune 3.4 on (this wrapper is installed only there).
        openers = list(cast(Any, state).brackets)
        end = method(m, state)
        _close_links(state, openers, end if end is not None else m.end())
        return end

    return stamped


def _close_links(state: InlineState, openers: list[Any], end: int) -> None:
    """Give the links a `]` rule made their offsets, from the brackets it closed."""
    still: list[Any] = cast(Any, state).brackets
    # A `]` only takes brackets away, so what is left is a subsequence of `openers`; one whose
    # last bracket is where it was is their start, and the rest closed. Comparing identities of
    # every bracket at every `]` made `![` x 5,000 quadratic (5 s).
    if len(still) <= len(openers) and (not still or still[-1] is openers[len(still) - 1]):
        closed = openers[len(still) :]
    else:
        still_open = {id(bracket) for bracket in still}
        closed = [bracket for bracket in openers if id(bracket) not in still_open]
    made = False
    for bracket in closed:
        index = bracket.token_index
        if index >= len(state.tokens):
            continue
        token = state.tokens[index]
        if token["type"] not in ("link", "image") or "_s" in token:
            continue
        _stamp_link(token, bracket, state.src, end if token is state.tokens[-1] else None)
        made = True
    if not made:
        # A link this `]` made stands where its opening bracket was; a `]` that only dropped
        # brackets (past mistune's nesting limit) made none, and nothing below can have changed.
        return
    # Only the tokens from the first closed bracket on can hold links this `]` made; the ones
    # before it, and subtrees walked at an earlier `]`, cannot change: walking them again made
    # `![![![…](y)](y)](y)` quadratic.
    first = min(bracket.token_index for bracket in closed)
    for token in state.tokens[first:]:
        if not token.get("_walked"):
            _stamp_nested_links(token.get("children", ()), closed, state.src)
            token["_walked"] = True


def _stamp_link(token: Token, bracket: Any, src: str, end: int | None) -> None:
    inner: int = bracket.start
    token["_s"] = inner - (2 if bracket.image else 1)
    token["_inner"] = inner
    if end is None:
        # Closed by a `]` run that went on: only a shortcut reference (`[label]`) ends so.
        label = token.get("label")
        if not isinstance(label, str) or not src.startswith(label + "]", inner):
            raise AssertionError(f"internal error: cannot find the end of the {token['type']} at offset {inner}")
        end = inner + len(label) + 1
    token["_e"] = end


def _stamp_nested_links(tokens: Any, closed: list[Any], src: str) -> None:
    for token in tokens:
        if token.get("_walked"):
            continue
        if token["type"] in ("link", "image") and "_s" not in token:
            label = token.get("label")
            image = token["type"] == "image"
            matches = [
                bracket
                for bracket in closed
                if bracket.image == image and isinstance(label, str) and src.startswith(label + "]", bracket.start)
            ]
            if len(matches) != 1:
                raise AssertionError(f"internal error: cannot place a nested {token['type']} ({label!r})")
            _stamp_link(token, matches[0], src, None)
        _stamp_nested_links(token.get("children", ()), closed, src)
        token["_walked"] = True


def shift_tokens(tokens: Any, offset: int) -> None:
    """Move positioned tokens (and their children) from a child string into its parent's."""
    for token in tokens:
        if "_s" in token:
            token["_s"] += offset
            token["_e"] += offset
        if "_inner" in token:
            token["_inner"] += offset
        if "_dest" in token:
            token["_dest"] = (token["_dest"][0] + offset, token["_dest"][1] + offset)
        shift_tokens(token.get("children", ()), offset)
