"""Type icons: emoji sequences, the legend that defines them, and the icon entries of a document.

Study archives mark each entry with an icon (`📜` paper, `🧑🏻‍💻` developer link, ...) and
explain the icons in a legend before the first heading. The four `icon-*` rules share what this
module computes once per document: the legend, the entries and their icons and links.

Emoji are compared as whole grapheme clusters (`regex`'s ``\\X``); which sequences are emoji,
and their standard (fully-qualified) spelling, comes from the `emoji` package's data.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

import regex
from pydantic import Field

from mdlint.links.urls import bare_host
from mdlint.rule_engine.rule import RuleOptions

if TYPE_CHECKING:
    from mdlint.markdown.document import Document
    from mdlint.markdown.syntax_tree import Node
    from mdlint.rule_engine.rule import RuleContext

__all__ = [
    "Entry",
    "IconModel",
    "IconRuleOptions",
    "IconToken",
    "Legend",
    "LegendIcon",
    "build_icon_model",
    "canonical_spelling",
    "code_points",
    "host_matches",
    "icon_model",
    "is_standard",
    "leading_icon",
    "link_host",
    "read_legend",
    "skeleton",
    "standard_form",
]

ZWJ = "\u200d"
VS16 = "\ufe0f"
VS15 = "\ufe0e"

_CLUSTER = regex.compile(r"\X")
_MODIFIER = regex.compile(r"\p{Emoji_Modifier}")
_EMOJI_PRESENTATION = regex.compile(r"\p{Emoji_Presentation}")
# Every emoji sequence starts with a pictograph or an emoji component (keycap digit, flag letter).
_EMOJI_START = regex.compile(r"[\p{Extended_Pictographic}\p{Emoji_Component}]")
_BR = regex.compile(r"<br\s*/?>", regex.IGNORECASE)
# Possessive: a list marker never starts with `>`, a space or a tab, so giving any back cannot
# help, and backtracking through `> > > …` on one line was quadratic.
_LIST_MARKER = regex.compile(r"[ \t]*+(?:>[ \t]*+)*+(?:[-*+]|\d{1,9}[.)])[ \t]+")
_QUOTE_MARKER = regex.compile(r"[ \t]*(?:>[ \t]*)*")
# What separates a legend icon from its meaning: `📜: Paper`, `📜 = paper`, `📜 - paper`.
_LEGEND_SEPARATOR = regex.compile(r"[ \t]*(?:[:：=]|[ \t][-–—])[ \t]*(?=\S)")
_TABLE_DELIMITER = regex.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
_LINE = regex.compile(r"[^\r\n]+")

# A legend needs at least this many icons before the first heading; one `🔥: hot take` line
# at the top of a post is prose, not a legend.
MIN_DOCUMENT_LEGEND = 2


def skeleton(sequence: str) -> str:
    """The sequence without joiners and variation selectors: what two spellings of one emoji share."""
    return sequence.replace(ZWJ, "").replace(VS16, "").replace(VS15, "")


def _loose_skeleton(sequence: str) -> str:
    # Skin tones dropped too: `🧑💻` is still the legend's `🧑🏻‍💻`, written differently.
    return _MODIFIER.sub("", skeleton(sequence))


@cache
def _standard_forms() -> dict[str, str]:
    # emoji's data takes ~40 ms to import; only documents with icons need it.
    import emoji

    forms: dict[str, str] = {}
    fully_qualified = emoji.STATUS["fully_qualified"]
    for sequence, data in emoji.EMOJI_DATA.items():
        if data.get("status") == fully_qualified:
            forms.setdefault(skeleton(sequence), sequence)
    return forms


def standard_form(sequence: str) -> str | None:
    """The fully-qualified emoji sequence spelled with the same pictures, or None when there is none.

    `🧑🏻💻` (no joiner) gives `🧑🏻‍💻`, `🗞` gives `🗞️`; a sequence that is already standard gives itself.
    """
    return _standard_forms().get(skeleton(sequence))


def is_standard(sequence: str) -> bool:
    """Whether `sequence` is one fully-qualified emoji."""
    return standard_form(sequence) == sequence


def _is_emoji_cluster(cluster: str) -> bool:
    import emoji

    return bool(emoji.is_emoji(cluster)) or standard_form(cluster) is not None


@dataclass(frozen=True, slots=True)
class IconToken:
    """An icon as written: `text[start:end] == sequence`, one or more emoji grapheme clusters."""

    start: int
    end: int
    sequence: str

    @property
    def clusters(self) -> list[str]:
        return _CLUSTER.findall(self.sequence)

    @property
    def presents_as_emoji(self) -> bool:
        """False for a lone text-style character such as `©` or `™`, which is no icon by itself."""
        return len(self.sequence) > 1 or bool(_EMOJI_PRESENTATION.match(self.sequence))


def leading_icon(text: str, start: int, end: int | None = None) -> IconToken | None:
    """The run of emoji grapheme clusters that starts exactly at `start`, or None."""
    limit = len(text) if end is None else end
    # Most lines start with a letter: answered without loading the emoji data (~40 ms, more cold).
    if start >= limit or not _EMOJI_START.match(text, start, limit):
        return None
    position = start
    for match in _CLUSTER.finditer(text, start, limit):
        if not _is_emoji_cluster(match.group()):
            break
        position = match.end()
    if position == start:
        return None
    return IconToken(start, position, text[start:position])


@dataclass(frozen=True, slots=True)
class LegendIcon:
    """One icon of the legend and what it means; `token` is where the document writes it."""

    sequence: str
    meaning: str
    token: IconToken | None = None


@dataclass(frozen=True)
class Legend:
    """The icons a document may use, from its own legend or from config."""

    icons: tuple[LegendIcon, ...]
    from_config: bool = False

    def __bool__(self) -> bool:
        return bool(self.icons)

    def listing(self) -> str:
        """The icons as messages name them: `📜, 🗞️, 🤪`."""
        return ", ".join(icon.sequence for icon in self.icons)

    def exact(self, sequence: str) -> LegendIcon | None:
        """The legend icon written exactly as `sequence`."""
        for icon in self.icons:
            if icon.sequence == sequence:
                return icon
        return None

    def resolve(self, sequence: str) -> LegendIcon | None:
        """The legend icon `sequence` stands for: exact, else one spelled with the same pictures."""
        found = self.exact(sequence)
        if found is not None:
            return found
        for key in (skeleton, _loose_skeleton):
            candidates = [icon for icon in self.icons if key(icon.sequence) == key(sequence)]
            if len(candidates) == 1:
                return candidates[0]
            if candidates:
                return None
        return None

    @staticmethod
    def from_mapping(mapping: Mapping[str, str]) -> Legend:
        """A legend given in config: `{"📜": "paper", ...}`."""
        return Legend(tuple(LegendIcon(icon, meaning) for icon, meaning in mapping.items()), from_config=True)


def canonical_spelling(sequence: str) -> str:
    """How an icon should be written: its standard emoji sequence when there is one, else as is."""
    return standard_form(sequence) or sequence


def _legend_segments(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """(start, end) of each line of `text[start:end]`, further split at `<br>` tags."""
    for line in _LINE.finditer(text, start, end):
        position = line.start()
        for br in _BR.finditer(text, line.start(), line.end()):
            yield position, br.start()
            position = br.end()
        yield position, line.end()


def _legend_item(text: str, start: int, end: int) -> LegendIcon | None:
    """`ICON: meaning` (after a list or quote marker) or a table row `| ICON | meaning |`."""
    segment = text[start:end]
    stripped = segment.strip()
    if stripped.startswith("|") or (stripped.endswith("|") and "|" in stripped[:-1]):
        return _legend_table_row(text, start, end)
    marker = _LIST_MARKER.match(text, start, end) or _QUOTE_MARKER.match(text, start, end)
    position = marker.end() if marker else start
    while position < end and text[position] in " \t":
        position += 1
    token = leading_icon(text, position, end)
    if token is None:
        return None
    separator = _LEGEND_SEPARATOR.match(text, token.end, end)
    if separator is None:
        return None
    meaning = text[separator.end() : end].strip()
    if not meaning:
        return None
    return LegendIcon(token.sequence, meaning, token)


def _legend_table_row(text: str, start: int, end: int) -> LegendIcon | None:
    if _TABLE_DELIMITER.fullmatch(text, start, end):
        return None
    cells: list[tuple[int, int]] = []
    position = start
    for index in range(start, end + 1):
        if index == end or (text[index] == "|" and text[index - 1 : index] != "\\"):
            cells.append((position, index))
            position = index + 1
    # Drop the empty cells outside the leading and trailing pipes.
    cells = [cell for cell in cells if text[cell[0] : cell[1]].strip()]
    if not cells:
        return None
    first_start, first_end = cells[0]
    while first_start < first_end and text[first_start] in " \t":
        first_start += 1
    token = leading_icon(text, first_start, first_end)
    if token is None:
        return None
    rest = text[token.end : first_end].strip()
    if not rest and len(cells) >= 2:
        meaning = text[cells[1][0] : cells[1][1]].strip()
        return LegendIcon(token.sequence, meaning, token) if meaning else None
    return _legend_item(text, first_start, first_end)


def read_legend(
    text: str,
    start: int,
    end: int,
    skip: Iterable[tuple[int, int]] = (),
) -> Legend:
    """The legend written in `text[start:end]` (the part before the first heading).

    A legend line is `ICON: meaning` as a plain line, a list item, a `<br>`-separated part of a
    line or a table row. Ranges in `skip` (code) are ignored. Fewer than two icons is no legend.
    """
    skipped = list(skip)
    icons: list[LegendIcon] = []
    seen: set[str] = set()
    for segment_start, segment_end in _legend_segments(text, start, end):
        if segment_start >= segment_end:
            continue
        if any(s <= segment_start < e for s, e in skipped):
            continue
        item = _legend_item(text, segment_start, segment_end)
        if item is None or item.sequence in seen:
            continue
        seen.add(item.sequence)
        icons.append(item)
    if len(icons) < MIN_DOCUMENT_LEGEND:
        return Legend(())
    return Legend(tuple(icons))


def link_host(url: str) -> str | None:
    """The host a link points at, lower-case, without `www.`; scheme-less `arxiv.org/abs/…` counts."""
    candidate = url.strip()
    if "://" not in candidate:
        # The same test as link-missing-scheme's, so `readme.md` is a file here too.
        if bare_host(candidate) is None:
            return None
        candidate = "https://" + candidate
    try:
        host = urlsplit(candidate).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    return host.removeprefix("www.")


def host_matches(host: str, domain: str) -> bool:
    """Whether `host` is `domain` or one of its subdomains."""
    domain = domain.lower().removeprefix("www.").rstrip(".")
    return host == domain or host.endswith("." + domain)


def code_points(sequence: str) -> str:
    """`U+1F9D1 U+1F3FB U+1F4BB`: how messages show sequences that look alike."""
    return " ".join(f"U+{ord(char):04X}" for char in sequence)


class IconRuleOptions(RuleOptions):
    """Options every icon rule accepts."""

    legend: dict[str, str] = Field(
        default_factory=dict,
        description="icon -> meaning; when given, it replaces the legend written in the document",
    )


# Each icon rule has its own options model, derived from `IconRuleOptions`.
_IconOptionsT = TypeVar("_IconOptionsT", bound=IconRuleOptions)


# --- The entry model (needs the parsed tree) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """A list item that is, or could be, an icon entry: `ICON [source] [title](url)`."""

    item: Node
    # Offset where the item's text starts (after the list marker).
    content_start: int
    depth: int
    icon: IconToken | None
    # The first link of the item's own text (not of its sub-items).
    link: Node | None
    # Whether the item sits at the level where its section's icon entries live.
    at_entry_level: bool

    @property
    def link_url(self) -> str | None:
        if self.link is None:
            return None
        return self.link.attrs.get("url")


@dataclass(frozen=True)
class IconModel:
    """Everything the icon rules need about one document, computed once."""

    legend: Legend
    # Where the document's own legend writes its icons (also when config supplies the legend).
    legend_tokens: tuple[IconToken, ...]
    entries: tuple[Entry, ...]
    legend_end: int

    @property
    def active(self) -> bool:
        """Icon rules only speak about documents that have a legend."""
        return bool(self.legend)


def icon_model(document: Document, context: RuleContext[_IconOptionsT]) -> IconModel:
    """The document's icon model, computed once per run and shared by the icon rules."""
    configured: Mapping[str, str] = context.options.legend or {}
    # Kept with the document, not the run: the model points into the document's tree.
    key = ("icons", tuple(sorted(configured.items())))
    return document.memo(key, lambda: build_icon_model(document, configured))


def build_icon_model(document: Document, configured: Mapping[str, str] | None = None) -> IconModel:
    """Read the legend and classify every list item of `document` (see `IconModel`)."""
    root = document.root
    headings = sorted(node.start for node in root.walk("heading"))
    body_start = document.body_start
    legend_end = next((start for start in headings if start >= body_start), len(document.text))
    written = read_legend(document.text, body_start, legend_end, document.code_ranges)
    legend = Legend.from_mapping(configured) if configured else written
    tokens = tuple(icon.token for icon in written.icons if icon.token is not None)
    if not legend:
        return IconModel(legend, tokens, (), legend_end)
    return IconModel(legend, tokens, tuple(_entries(document, headings, legend_end, legend)), legend_end)


@dataclass
class _Candidate:
    item: Node
    content_start: int
    depth: int
    icon: IconToken | None
    link: Node | None
    section: int


def _entries(document: Document, headings: list[int], legend_end: int, legend: Legend) -> list[Entry]:
    candidates: list[_Candidate] = []
    for item in document.nodes("list_item"):
        if item.start < legend_end or not item.children:
            continue
        first = item.children[0]
        if first.type not in ("paragraph", "block_text") or document.in_code(first.start):
            icon, link = None, None
        else:
            icon = leading_icon(document.text, first.start, first.end)
            # A lone text-style `©` or `™` is no icon, unless the legend uses that picture (`🗞`).
            if icon is not None and not icon.presents_as_emoji and legend.resolve(icon.sequence) is None:
                icon = None
            link = next((node for node in first.walk("link")), None)
        depth = sum(1 for ancestor in item.ancestors() if ancestor.type == "list_item")
        section = bisect_right(headings, item.start)
        candidates.append(_Candidate(item, first.start, depth, icon, link, section))
    entry_depth = _entry_depths(candidates)
    lists_with_icons = {id(c.item.parent) for c in candidates if c.icon is not None}
    return [
        Entry(
            c.item,
            c.content_start,
            c.depth,
            c.icon,
            c.link,
            at_entry_level=entry_depth.get(c.section) == c.depth and id(c.item.parent) in lists_with_icons,
        )
        for c in candidates
    ]


def _entry_depths(candidates: list[_Candidate]) -> dict[int, int]:
    """Per section, the list depth holding the most icon items that link somewhere (the shallower
    one on a tie): an icon without a link opens an explanation ("📊 5 data sets"), not an entry."""
    counts: dict[int, Counter[int]] = {}
    for candidate in candidates:
        if candidate.icon is not None and candidate.link is not None:
            counts.setdefault(candidate.section, Counter())[candidate.depth] += 1
    return {section: min(depths, key=lambda depth: (-depths[depth], depth)) for section, depths in counts.items()}
