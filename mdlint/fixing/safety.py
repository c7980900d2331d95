"""Fix verification: a fix may change only what its rule says it changes.

After a pass of fixes the text is parsed again and its structure (block tree, HTML tags with their
`<details>` nesting, links, text, inline markup, template syntax, front matter) is compared with the
original's. The fixed text is parsed as the original is, in the page's dialect: Liquid or shortcodes
masked as its renderer never sees them, and compared as template syntax on their own, since a masked
span is one opaque word to the parser whatever it says.
Each rule declares a `fix_scope`, the parts of that structure its fixes may change; a fix whose
effect reaches further is rolled back and reported, and the other fixes still go in.

A pass is checked first as a whole, on one parse of its combined result: it passes when every
change lies in the scope of the rules whose edits are where it is. Only when that fails are the
rules checked one by one (and a rule's fixes split by halving), each on top of those before it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from mdlint.findings import (
    FRONT_MATTER,
    FRONT_MATTER_PLACEMENT,
    HTML_BLOCK_SPLIT,
    INLINE_MARKUP,
    LINK_DESTINATIONS,
    LIST_SPACING,
    PARAGRAPH_SPLIT,
    TEXT,
    Edit,
    Finding,
    splice,
)
from mdlint.fixing.edits import AppliedEdits, apply_edits
from mdlint.markdown.autolinks import autolinks_of
from mdlint.markdown.document import Document
from mdlint.markdown.emphasis_flanking import InlineSource, match_github_delimiters, normalize_label
from mdlint.markdown.html_tags import html_tags
from mdlint.markdown.syntax_tree import INLINE_TEXT_BLOCKS, Node, NodeType
from mdlint.markdown.templates import MASK

if TYPE_CHECKING:
    from mdlint.rule_engine.rule import ConfiguredRule

__all__ = [
    "FixBasis",
    "FixGuard",
    "Structure",
    "details_nesting",
    "fix_basis",
    "structure_of",
]


_CONTAINERS: frozenset[NodeType] = frozenset({"list_item", "block_quote"})
_NOT_COMPARED_BLOCKS: frozenset[NodeType] = frozenset({"document"})
_INLINE_MARKUP_TYPES: frozenset[NodeType] = frozenset(
    {"emphasis", "strong", "codespan", "inline_html", "linebreak", "strikethrough"}
)
_KIND_NAMES = {
    "block_quote": "a block quote",
    "block_code": "a code block",
    "block_html": "an HTML block",
    "block_text": "list item text",
    "heading": "a heading",
    "list": "a list",
    "list_item": "a list item",
    "paragraph": "a paragraph",
    "thematic_break": "a thematic break",
    "table": "a table",
    "link": "a link",
    "image": "an image",
    "link_definition": "a link definition",
    "emphasis": "emphasis",
    "strong": "strong emphasis",
    "codespan": "a code span",
    "inline_html": "inline HTML",
}
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Tags that carry the folding structure of an archive; their nesting is compared exactly.
_FOLDING_TAGS = frozenset({"details", "summary"})


@dataclass(frozen=True, slots=True)
class _Item:
    """One compared fact; `start` (and `end`, where known) locate it in its text and are never compared."""

    start: int
    key: tuple[object, ...]
    end: int = -1


@dataclass(frozen=True)
class Structure:
    """What a page says, as far as fixes are concerned, in source order."""

    blocks: tuple[_Item, ...]
    html: tuple[_Item, ...]
    links: tuple[_Item, ...]
    text: tuple[_Item, ...]
    inline: tuple[_Item, ...]
    front_matter: str | None
    body_start: int
    # Liquid tags and output, Hugo shortcodes: what the generator expands before rendering.
    templates: tuple[_Item, ...] = ()
    # GitHub's extended autolinks (`www.…`, `https://…`, emails), by where they point.
    autolinks: tuple[_Item, ...] = ()


def structure_of(document: Document) -> Structure:
    """The structural fingerprint of a parsed document."""
    blocks: list[_Item] = []
    html: list[_Item] = []
    links: list[_Item] = []
    text: list[_Item] = []
    inline: list[_Item] = []
    details_depth = 0
    # The defined labels, which tell links (and so where emphasis and strikethrough may pair)
    # from text.
    labels = (
        frozenset(normalize_label(str(node.attrs.get("label", ""))) for node in document.nodes("link_definition"))
        if any(delimiter in document.text for delimiter in _DELIMITERS)
        else None
    )
    for node, depth in _walk_with_depth(document.root):
        kind = node.type
        if node.is_block and kind not in _NOT_COMPARED_BLOCKS:
            facts = _block_attributes(node) if kind != "list_item" else _task_box(document, node)
            blocks.append(_Item(node.start, (depth, kind, *facts)))
        if kind in INLINE_TEXT_BLOCKS:
            text.append(_Item(node.start, (depth, _text_of(document, node))))
            if labels is not None:
                inline.extend(_github_delimiters(document, node, labels))
        if kind in ("link", "image", "link_definition"):
            links.append(_Item(node.start, (kind, node.attrs.get("url", "")), node.end))
        if kind in _INLINE_MARKUP_TYPES:
            inline.append(_Item(node.start, (kind,)))
        if kind in ("block_html", "inline_html"):
            containers = sum(1 for ancestor in node.ancestors() if ancestor.type in _CONTAINERS)
            for tag in html_tags(document, node):
                attributes = tag.group("attributes")
                if attributes and not (attributes[0].isspace() or attributes[0] == "/"):
                    continue  # `<https://…>` and the like: an autolink, not a tag
                closing, name = tag.group("close") == "/", tag.group("name").lower()
                if name == "details" and closing:
                    details_depth = max(0, details_depth - 1)
                if name in _FOLDING_TAGS:
                    html.append(_Item(node.start, (name, closing, containers, details_depth)))
                elif kind == "block_html":
                    html.append(_Item(node.start, (name, closing, details_depth)))
                else:
                    inline.append(_Item(node.start, ("tag", name, closing)))
                if name == "details" and not closing:
                    details_depth += 1
    front_matter = document.front_matter
    templates = tuple(
        _Item(span.start, (span.kind, document.text[span.start : span.end]), span.end)
        for span in document.template_spans
    )
    return Structure(
        tuple(blocks),
        tuple(html),
        tuple(links),
        tuple(text),
        tuple(inline),
        document.text[: front_matter.end] if front_matter else None,
        document.body_start,
        templates,
        tuple(_Item(link.start, ("autolink", link.url, link.text)) for link in autolinks_of(document)),
    )


@dataclass(frozen=True)
class FixBasis:
    """What checking fixes needs of a text's parse, taken while a lint had it parsed."""

    digest: str
    structure: Structure
    code_ranges: tuple[tuple[int, int], ...]


def fix_basis(document: Document) -> FixBasis:
    """The fix basis of a document: its structure and code ranges, for a `FixGuard` that would parse it again."""
    return FixBasis(document.digest, structure_of(document), tuple(document.code_ranges))


def details_nesting(document: Document) -> list[tuple[int, int]]:
    """(container depth, `<details>` depth) of every opening `<details>` tag, in source order."""
    return [
        (item.key[2], item.key[3])  # type: ignore[misc]
        for item in structure_of(document).html
        if item.key[0] == "details" and item.key[1] is False
    ]


def _walk_with_depth(root: Node) -> Iterable[tuple[Node, int]]:
    stack: list[tuple[Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        stack.extend((child, depth + 1) for child in reversed(node.children))


def _block_attributes(node: Node) -> tuple[object, ...]:
    if node.type == "heading":
        return (node.attrs.get("level"),)
    if node.type == "list":
        # A tight list renders its items' text bare, a loose one in paragraphs (`<li><p>`).
        return (node.attrs.get("ordered"), "tight" if node.attrs.get("tight", True) else "loose")
    return ()


# GitHub's task list item: `[ ]` or `[x]` and a blank first in the item (cmark-gfm's extension).
_TASK_BOX = re.compile(r"\[[ xX]\](?:[ \t]|$)")


def _task_box(document: Document, item: Node) -> tuple[object, ...]:
    """Whether a list item is a task, and whether its first line holds more than the box.

    The parser knows no tasks: an edit that makes one (`- <U+200B>[ ] ` → `- [ ] `), or leaves
    a box alone on its line (`- [ ] <U+200B>` → `- [ ] `, after which GitHub's renderer ends
    the item's text there) changes the page unseen otherwise.
    """
    if not item.children:
        return ()
    start = item.children[0].start
    line_end = document.text.find("\n", start)
    first_line = document.text[start : len(document.text) if line_end == -1 else line_end]
    box = _TASK_BOX.match(first_line)
    if box is None:
        return ()
    return ("task", bool(first_line[box.end() :].strip(" \t\r")))


# The characters that open emphasis or strikethrough.
_DELIMITERS = "~*_"


def _github_delimiters(document: Document, block: Node, labels: frozenset[str]) -> list[_Item]:
    """The emphasis and strikethrough GitHub renders in a block's text, as cmark-gfm pairs them.

    The parser's own emphasis nodes follow mistune, which lets `_` close before a character
    that is neither a letter nor punctuation (`_a_<U+00AD>`, where cmark-gfm sees no emphasis),
    and it reads no one-tilde strikethrough (`~a~`); whether a run opens or closes depends on
    its neighbours, so removing an invisible character can make or unmake one.
    """
    if not block.children:
        return []
    start, end = block.children[0].start, block.children[-1].end
    text = document.markdown_text
    if not any(delimiter in text[start:end] for delimiter in _DELIMITERS):
        return []
    # Continuation-line prefixes (`> `, list indentation) are whitespace to cmark's inline parser.
    masked = tuple((node.start, node.end) for node in block.walk("softbreak", "linebreak"))
    emphasis, strikes = match_github_delimiters(InlineSource(text, start, end, masked, labels))
    items = [_Item(opener[0], ("strike", opener[1] - opener[0])) for opener, _ in strikes]
    items.extend(_Item(match.opener_span[0], ("pair", match.strong), match.closer_span[1]) for match in emphasis)
    return sorted(items, key=lambda item: item.start)


def _text_of(document: Document, block: Node) -> str:
    return "".join(_unmasked(document, node) for node in block.walk("text"))


def _unmasked(document: Document, node: Node) -> str:
    """A text node's text with its masked template syntax (see `templates`) put back, as in the file."""
    raw = node.raw
    if MASK in raw and node.end - node.start == len(raw):
        return document.text[node.start : node.end]
    return raw


def _without_spacing(item: _Item) -> _Item:
    """A block without whether it is a tight or a loose list, and so whether its items' text is a
    paragraph or bare (`block_text`)."""
    depth, kind, *facts = item.key
    kind = "paragraph" if kind == "block_text" else kind
    return _Item(item.start, (depth, kind, *(fact for fact in facts if fact not in ("tight", "loose"))))


def _first_field_only(item: _Item) -> _Item:
    """A text item without its text (its depth kept), a link without its destination (its kind kept)."""
    return _Item(item.start, item.key[:1])


# The blanks a URL may start or end with: a space or a no-break space (percent-encoded in the URL).
_BLANKS = (" ", "\u00a0")


def _destination_ends(touched: frozenset[str] | None) -> Callable[[_Item], _Item]:
    """A link with its destination as the fixes may leave it, and whether it has one.

    A fix may edit a destination (add a scheme, drop an invisible character): what the fixes
    remove or insert (`touched`) is left out on both sides. It may not empty one or change a
    blank: a no-break space made a space is trimmed away at an end (`b<U+00A0><U+0001>` ends
    with a blank until the control character goes), and ends a raw destination elsewhere.
    """
    table = dict.fromkeys(map(ord, (touched or frozenset()) - set(_BLANKS)))

    def mask(item: _Item) -> _Item:
        url = str(item.key[1])
        shown = unquote(url).translate(table).replace("\u00a0", " ")
        return _Item(item.start, (item.key[0], bool(url), shown))

    return mask


def _without(characters: frozenset[str]) -> Callable[[_Item], _Item]:
    """A text item with `characters` left out of its text (its depth kept)."""
    table = dict.fromkeys(map(ord, characters))

    def mask(item: _Item) -> _Item:
        # Entities as the renderer shows them: an edit may make one (`&n<U+2060>bsp;`).
        shown = _ENTITY.sub(lambda entity: html.unescape(entity.group()), str(item.key[1]))
        # Whitespace left out too: where a line's leading whitespace ends is the parser's affair.
        return _Item(item.start, (item.key[0], "".join(shown.translate(table).split())))

    return mask


def _difference(
    before: Structure,
    after: Structure,
    scope: frozenset[str],
    old_body_start: int,
    touched: frozenset[str] | None = None,
) -> str | None:
    r"""Why `after` is not an allowed effect of a fix with `scope`; None when it is.

    `old_body_start` is where the fixed text's body starts, in the original text's offsets.
    `touched`, when given, holds every character the fixes remove or insert: a fix that may
    change text changes the page's text by those characters only, so an edit that makes an
    escape (`\<U+00AD>*` → `\*`) or an entity (`&n<U+2060>bsp;` → `&nbsp;`) out of its
    neighbours is seen.
    """
    placement = FRONT_MATTER_PLACEMENT in scope
    if before.front_matter != after.front_matter and not (placement or FRONT_MATTER in scope):
        return "change the front matter"
    if old_body_start != before.body_start and not placement:
        return "move where the front matter ends and the page begins"
    # Blocks that became front matter are no longer part of the body.
    body_start = max(before.body_start, old_body_start) if placement else before.body_start
    parts: list[tuple[str, Callable[[Structure], tuple[_Item, ...]], Callable[[_Item], _Item] | None]] = [
        ("html", lambda s: s.html, None),
        ("blocks", lambda s: s.blocks, _without_spacing if LIST_SPACING in scope else None),
        ("links", lambda s: s.links, _destination_ends(touched) if LINK_DESTINATIONS in scope else None),
        (
            "text",
            lambda s: s.text,
            (_first_field_only if touched is None else _without(touched)) if TEXT in scope else None,
        ),
        ("inline", lambda s: s.inline, None),
        # A fix may edit what a template says only where it may edit text or destinations.
        (
            "templates",
            lambda s: s.templates,
            _first_field_only if TEXT in scope or LINK_DESTINATIONS in scope else None,
        ),
        # Where an autolink points is its text: no scope lets a fix move it (a removed
        # invisible character, a changed trailing `)`), so such a fix is rolled back.
        ("autolinks", lambda s: s.autolinks, None),
    ]
    for name, part, mask in parts:
        if name == "inline" and INLINE_MARKUP in scope:
            continue
        old = [item for item in part(before) if item.start >= body_start]
        new = list(part(after))
        if mask is not None:
            old, new = [mask(item) for item in old], [mask(item) for item in new]
        old_keys, new_keys = [item.key for item in old], [item.key for item in new]
        if HTML_BLOCK_SPLIT not in scope:
            if old_keys == new_keys:
                continue
            if PARAGRAPH_SPLIT in scope and _paragraph_split_only(name, old_keys, new_keys):
                continue
        elif name != "html":
            if _is_subsequence(old_keys, new_keys):
                continue
        elif _html_split_only(old, new, after.inline):
            continue
        return _describe(name, old_keys, new_keys)
    return None


def _html_split_only(old: list[_Item], new: list[_Item], new_inline: tuple[_Item, ...]) -> bool:
    """Folding tags unchanged; other tags of HTML blocks still there, some perhaps now inline HTML."""
    if [item.key for item in old if item.key[0] in _FOLDING_TAGS] != [
        item.key for item in new if item.key[0] in _FOLDING_TAGS
    ]:
        return False
    old_tags = [("tag", *item.key[:2]) for item in old if item.key[0] not in _FOLDING_TAGS]
    new_tags = sorted(
        [(item.start, ("tag", *item.key[:2])) for item in new if item.key[0] not in _FOLDING_TAGS]
        + [(item.start, item.key) for item in new_inline if item.key[0] == "tag"],
        key=lambda pair: pair[0],
    )
    return _is_subsequence(old_tags, [key for _, key in new_tags])


def _paragraph_split_only(part: str, old: Sequence[tuple[object, ...]], new: Sequence[tuple[object, ...]]) -> bool:
    """Blocks only added (paragraphs split off); text the same characters in the same order."""
    if part == "blocks":
        # Every block of the old page is still there, and what is new is paragraphs only.
        position = 0
        for key in old:
            while position < len(new) and new[position] != key:
                if new[position][1:2] != ("paragraph",):
                    return False
                position += 1
            if position == len(new):
                return False
            position += 1
        return all(key[1:2] == ("paragraph",) for key in new[position:])
    if part == "text":
        if all(len(key) == 1 for key in (*old, *new)):  # text masked by the TEXT scope: depths only
            return _is_subsequence(old, new)
        return "".join(str(key[1]) for key in old) == "".join(str(key[1]) for key in new)
    return False


def _is_subsequence(short: Sequence[object], long: Sequence[object]) -> bool:
    remaining = iter(long)
    return all(any(item == candidate for candidate in remaining) for item in short)


def _describe(part: str, old: Sequence[tuple[object, ...]], new: Sequence[tuple[object, ...]]) -> str:
    index = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
    if part == "html":
        old_details = [key for key in old if key[0] == "details" and key[1] is False]
        new_details = [key for key in new if key[0] == "details" and key[1] is False]
        for number, (a, b) in enumerate(zip(old_details, new_details, strict=False), start=1):
            if a != b:
                return (
                    f"move <details> block {number} from nesting level {_level(a)} to {_level(b)} "
                    f"(list/quote depth {a[2]}→{b[2]}, inside {a[3]}→{b[3]} <details>)"
                )
        return f"change the HTML blocks ({len(old)} tags before, {len(new)} after, first difference at tag {index + 1})"
    if part == "autolinks":
        return "change where an autolink points (" + _autolink_change(old, new, index) + ")"
    what = {
        "blocks": "the block structure",
        "links": "a link or its destination",
        "text": "the text",
        "inline": "the inline markup",
        "templates": "the template syntax",
        "autolinks": "where an autolink points",
    }[part]
    if index < len(old) and index < len(new):
        a, b = old[index], new[index]
        if part == "blocks" and a[1:2] == b[1:2] == ("list",) and a[-1] != b[-1]:
            return f"change {what} (a {a[-1]} list became {b[-1]}, which changes how its items render)"
        return f"change {what} ({_show(a)} became {_show(b)})"
    if index < len(old):
        return f"change {what} ({_show(old[index])} disappears)"
    return f"change {what} ({_show(new[index])} appears)"


def _autolink_change(old: Sequence[tuple[object, ...]], new: Sequence[tuple[object, ...]], index: int) -> str:
    def shown(key: tuple[object, ...], field: int) -> str:
        # Escaped, so the invisible character that made the difference shows.
        text = ascii(key[field])[1:-1]
        return "'" + (text if len(text) <= 60 else text[:59] + "…") + "'"

    if index < len(old) and index < len(new):
        if old[index][1] == new[index][1]:
            return f"its text {shown(old[index], 2)} became {shown(new[index], 2)}"
        return f"{shown(old[index], 1)} became {shown(new[index], 1)}"
    if index < len(old):
        return f"{shown(old[index], 1)} disappears"
    return f"{shown(new[index], 1)} appears"


def _level(key: tuple[object, ...]) -> int:
    return sum(part for part in key[2:4] if isinstance(part, int))


def _show(key: tuple[object, ...]) -> str:
    words = [part for part in key if isinstance(part, str) and part not in ("tight", "loose")]
    if len(words) > 1 or (words and words[0] not in _KIND_NAMES):
        shown = " ".join(words)
        return repr(shown if len(shown) <= 40 else shown[:39] + "…")
    return _KIND_NAMES.get(words[0], words[0]) if words else "?"


class FixGuard:
    """Applies one file's fixes pass by pass, keeping only those whose effect stays in scope.

    A rolled-back fix is remembered (its offsets moved along with later edits) so later passes do
    not try it again; `rolled_back` holds one message per rolled-back fix.
    """

    def __init__(self, rules: Sequence[ConfiguredRule], basis: FixBasis | None = None) -> None:
        # The first text's structure and code ranges, when a lint took them from its parse.
        self._basis = basis
        self._scopes = {configured.rule.name: configured.rule.fix_scope for configured in rules}
        self._rejected: set[tuple[str, tuple[Edit, ...]]] = set()
        self._messages: list[tuple[int, int, str]] = []
        # Texts this pass parsed and found in scope, with their parse and structure.
        self._parsed: dict[str, tuple[Document, Structure]] = {}

    def forget_rolled_back(self) -> bool:
        """Let the rolled-back fixes be tried again (on a text that changed since); whether there were any.

        A fix is rolled back when it fails on the text of its pass, on top of the fixes of the rules
        checked before it; once those are in, the same fix may pass alone. Trying again before the
        run ends makes one run reach the point a second run would reach.
        """
        if not self._rejected:
            return False
        self._rejected = set()
        self._messages = []
        return True

    @property
    def rolled_back(self) -> list[str]:
        """One message per rolled-back fix, in source order."""
        return [message for _, _, message in sorted(self._messages)]

    def apply(self, document: Document, fixes: Sequence[tuple[Finding, tuple[Edit, ...]]]) -> AppliedEdits:
        """Like `apply_edits`, minus the fixes whose effect goes beyond their rule's scope."""
        before: Structure | None = None
        basis = self._basis if self._basis is not None and self._basis.digest == document.digest else None
        while True:
            candidates = [(f, edits) for f, edits in fixes if (f.rule, edits) not in self._rejected]
            outcome = apply_edits(document, candidates, basis.code_ranges if basis is not None else None)
            if not outcome.taken:
                return outcome
            if before is None:
                known = self._parsed.get(document.text)
                if known is not None and known[0] is document:
                    before = known[1]
                else:
                    before = basis.structure if basis is not None else structure_of(document)
            self._parsed = {}
            accepted = self._verified(document, before, outcome)
            if accepted:
                text = outcome.text if len(accepted) == len(outcome.taken) else _splice(document.text, accepted)
                self._shift_rejected([edit for _, edits in accepted for edit in edits])
                self._parsed = {text: self._parsed[text]} if text in self._parsed else {}
                # The fixed text is parsed already: the next pass re-lints that parse.
                fixed = self._parsed[text][0] if text in self._parsed else None
                return AppliedEdits(text, len(accepted), outcome.deferred, tuple(accepted), fixed)

    def _verified(
        self, document: Document, before: Structure, outcome: AppliedEdits
    ) -> list[tuple[Finding, tuple[Edit, ...]]]:
        """The taken fixes that pass, checked rule by rule, each rule on top of those before it.

        Each rule's fixes are compared, under that rule's scope, with the text as the rules
        before it left it; so the final text is checked too, and no rule hides behind another's
        scope.
        """
        groups: dict[str, list[tuple[Finding, tuple[Edit, ...]]]] = {}
        for finding, edits in outcome.taken:
            groups.setdefault(finding.rule, []).append((finding, edits))
        if len(groups) > 1 and self._all_pass_together(document, before, outcome, groups):
            return list(outcome.taken)
        accepted: list[tuple[Finding, tuple[Edit, ...]]] = []
        base = before
        for index, (rule, fixes) in enumerate(sorted(groups.items())):
            step = _Step(document, base, tuple(accepted), self._scopes.get(rule, frozenset({TEXT})), self._parsed)
            whole = outcome.text if len(groups) == 1 else None
            kept, after = self._bisect(step, fixes, whole)
            if not kept:
                continue
            accepted.extend(kept)
            if index < len(groups) - 1:
                base = after if after is not None else structure_of(_fixed_document(document, accepted))
        return accepted

    def _all_pass_together(
        self,
        document: Document,
        before: Structure,
        outcome: AppliedEdits,
        groups: dict[str, list[tuple[Finding, tuple[Edit, ...]]]],
    ) -> bool:
        """Whether every change the combined fixes make is one that the rules whose edits are there
        may make: one parse for the whole pass, instead of one per rule.

        Only a pass whose rules' scopes compare part by part (see `_COMBINED_SCOPES`) is judged
        here; a change that cannot be put down to rules allowed to make it sends the pass to the
        rule-by-rule check, which decides (and words the roll-backs) as before.
        """
        scopes = {rule: self._scopes.get(rule, frozenset({TEXT})) for rule in groups}
        union = frozenset[str]().union(*scopes.values())
        if not union <= _COMBINED_SCOPES:
            return False
        fixed = _fixed_document(document, outcome.taken, outcome.text)
        try:
            after = structure_of(fixed)
        except RecursionError:
            return False
        edits = {rule: [edit for _, rule_edits in fixes for edit in rule_edits] for rule, fixes in groups.items()}
        every = sorted(edit for rule_edits in edits.values() for edit in rule_edits)
        if _old_offset(after.body_start, every) != before.body_start:
            return False

        def edits_without(flags: frozenset[str]) -> list[Edit]:
            # The edits of the rules that may change none of `flags`.
            return [edit for rule, rule_edits in edits.items() if not scopes[rule] & flags for edit in rule_edits]

        if before.front_matter != after.front_matter:
            end = len(before.front_matter or "")
            # An edit just after the closing fence may move it too.
            if any(edit.start <= end for edit in edits_without(frozenset({FRONT_MATTER}))):
                return False
        for name in ("html", "blocks", "inline", "autolinks"):
            if [item.key for item in _part(before, name) if item.start >= before.body_start] != [
                item.key for item in _part(after, name)
            ]:
                return False
        if not _text_passes(document.text, before, after, edits, scopes):
            return False
        # What the rules that may edit destinations remove or insert is left out of them.
        destination_characters = _touched(
            document.text,
            (edit for rule, rule_edits in edits.items() if LINK_DESTINATIONS in scopes[rule] for edit in rule_edits),
        )
        masks: tuple[tuple[str, frozenset[str], Callable[[_Item], _Item]], ...] = (
            ("links", frozenset({LINK_DESTINATIONS}), _destination_ends(destination_characters)),
            ("templates", frozenset({TEXT, LINK_DESTINATIONS}), _first_field_only),
        )
        for name, flags, mask in masks:
            old = [item for item in _part(before, name) if item.start >= before.body_start]
            new = list(_part(after, name))
            if [item.key for item in old] == [item.key for item in new]:
                continue
            if not union & flags or [mask(item).key for item in old] != [mask(item).key for item in new]:
                return False
            others = edits_without(flags)
            changed = [new_item for old_item, new_item in zip(old, new, strict=True) if old_item.key != new_item.key]
            # A reference link points where its definition says: an edit of a definition's label
            # moves links elsewhere in the page.
            definitions = [item for item in new if item.key[0] == "link_definition"] if name == "links" else []
            if any(_any_within(others, item, every) for item in (*changed, *definitions)):
                return False
        self._parsed[fixed.text] = (fixed, after)
        return True

    def _bisect(
        self, step: _Step, fixes: list[tuple[Finding, tuple[Edit, ...]]], text: str | None = None
    ) -> tuple[list[tuple[Finding, tuple[Edit, ...]]], Structure | None]:
        """The fixes of `fixes` that pass (and their structure when known); failing ones are rolled back.

        The failing fixes are found by halving, so many good fixes cost few parses.
        """
        reason, after = step.check(fixes, text)
        if reason is None:
            return fixes, after
        if len(fixes) == 1:
            # Only a fix that fails on its own is rolled back, so a second run rolls back the same.
            finding, edits = fixes[0]
            self._rejected.add((finding.rule, edits))
            where = f"line {finding.line}, column {finding.column}"
            message = f"fix of {finding.rule} at {where} rolled back: it would {reason}"
            self._messages.append((finding.line, finding.column, message))
            return [], None
        middle = len(fixes) // 2
        left, left_after = self._bisect(step, fixes[:middle])
        right, right_after = self._bisect(step, fixes[middle:])
        if not left or not right:
            return (left, left_after) if left else (right, right_after)
        reason, after = step.check(left + right)
        if reason is not None:
            # Halves that pass alone but not together: the right half waits for the next pass.
            return left, left_after
        return left + right, after

    def _shift_rejected(self, applied: list[Edit]) -> None:
        applied.sort()
        shifted: set[tuple[str, tuple[Edit, ...]]] = set()
        for rule, edits in self._rejected:
            moved = tuple(_shift(edit, applied) for edit in edits)
            if all(edit is not None for edit in moved):
                shifted.add((rule, tuple(edit for edit in moved if edit is not None)))
        self._rejected = shifted


@dataclass(frozen=True)
class _Step:
    """One rule's turn: the original document, the structure and fixes accepted before, the scope."""

    document: Document
    base: Structure
    accepted: tuple[tuple[Finding, tuple[Edit, ...]], ...]
    scope: frozenset[str]
    parsed: dict[str, tuple[Document, Structure]]

    def check(
        self, fixes: Sequence[tuple[Finding, tuple[Edit, ...]]], text: str | None = None
    ) -> tuple[str | None, Structure | None]:
        """Why these fixes (on top of the accepted ones) go beyond the scope, or None; and the structure."""
        every = [*self.accepted, *fixes]
        fixed = _fixed_document(self.document, every, text)
        try:
            after = structure_of(fixed)
        except RecursionError:
            return "make the page too deeply nested to parse", None
        original = _old_offset(after.body_start, sorted(edit for _, edits in every for edit in edits))
        base_body_start = _new_offset(original, sorted(edit for _, edits in self.accepted for edit in edits))
        touched = _touched(self.document.text, (edit for _, edits in fixes for edit in edits))
        reason = _difference(self.base, after, self.scope, base_body_start, touched)
        if reason is None:
            self.parsed[fixed.text] = (fixed, after)
        return reason, after


# Scopes whose allowed changes the combined check (`FixGuard._all_pass_together`) can put down
# to the rules that made them; the others change how parts are compared (splits, placement).
_COMBINED_SCOPES = frozenset({TEXT, LINK_DESTINATIONS, FRONT_MATTER})


def _touched(text: str, edits: Iterable[Edit]) -> frozenset[str]:
    """Every character `edits` remove from `text` or insert into it."""
    return frozenset(character for edit in edits for character in text[edit.start : edit.end] + edit.replacement)


def _part(structure: Structure, name: str) -> tuple[_Item, ...]:
    items: tuple[_Item, ...] = getattr(structure, name)
    return items


def _text_passes(
    text: str,
    before: Structure,
    after: Structure,
    edits: dict[str, list[Edit]],
    scopes: dict[str, frozenset[str]],
) -> bool:
    """Whether the page's text changed only by characters that rules allowed to change text touched."""
    old = [item for item in before.text if item.start >= before.body_start]
    if [item.key for item in old] == [item.key for item in after.text]:
        return True

    def touched(texts: bool) -> frozenset[str]:
        return _touched(
            text, (edit for rule, rule_edits in edits.items() if (TEXT in scopes[rule]) == texts for edit in rule_edits)
        )

    allowed = touched(True)
    # A rule that may not change text, touching a character a text rule touches too, would
    # change the text unseen.
    if not allowed or allowed & touched(False):
        return False
    mask = _without(allowed)
    return [mask(item).key for item in old] == [mask(item).key for item in after.text]


def _any_within(edits: Sequence[Edit], item: _Item, every: Sequence[Edit]) -> bool:
    """Whether one of `edits` (original offsets) lies in `item`'s span in the fixed text (or touches it)."""
    start = _old_offset(item.start, every)
    end = _old_offset(max(item.end, item.start), every)
    return any(edit.start <= end and edit.end >= start for edit in edits)


def _fixed_document(
    document: Document, fixes: Sequence[tuple[Finding, tuple[Edit, ...]]], text: str | None = None
) -> Document:
    fixed_text = _splice(document.text, fixes) if text is None else text
    fixed = Document(document.path, fixed_text, encoding=document.encoding, bom=document.bom)
    # The fixed text is rendered as the original is: the structure check compares like with like.
    fixed.dialect = document.dialect
    return fixed


def _new_offset(offset: int, edits: Sequence[Edit]) -> int:
    """Where an original offset stands after `edits` (sorted); inside a replaced range, after it."""
    delta = 0
    for edit in edits:
        if edit.end <= offset and edit.start < offset:
            delta += len(edit.replacement) - (edit.end - edit.start)
        elif edit.start < offset:
            return edit.start + delta + len(edit.replacement)
        else:
            break
    return offset + delta


def _splice(text: str, fixes: Sequence[tuple[Finding, tuple[Edit, ...]]]) -> str:
    return splice(text, (edit for _, edits in fixes for edit in edits))


def _shift(edit: Edit, applied: Sequence[Edit]) -> Edit | None:
    """Where `edit` stands after `applied` went in; None when an applied edit touched it."""
    delta = 0
    for other in applied:
        if other.end <= edit.start and not (other.start == other.end == edit.start):
            delta += len(other.replacement) - (other.end - other.start)
        elif other.start >= edit.end and not (other.start == other.end == edit.start):
            break
        else:
            return None
    return Edit(edit.start + delta, edit.end + delta, edit.replacement)


def _old_offset(offset: int, edits: Sequence[Edit]) -> int:
    """The original offset of `offset` in the text after `edits` (sorted); inside a replacement, its end."""
    delta = 0
    for edit in edits:
        new_start = edit.start + delta
        if offset <= new_start:
            return offset - delta
        if offset < new_start + len(edit.replacement):
            return edit.end
        delta += len(edit.replacement) - (edit.end - edit.start)
    return offset - delta
