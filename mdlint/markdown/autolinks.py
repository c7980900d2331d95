"""GitHub's extended autolinks (`www.`, `http(s)://`, `ftp://`, email), as cmark-gfm finds them.

mistune links `https://…` only; GitHub also links `www.example.org`, `me@example.org` and
`mailto:`/`xmpp:` addresses, with its own rules for where such a link ends (trailing punctuation
and unbalanced `)` are left out, `&entity;` too). A fix that removes an invisible character from
`www.example.org/b<U+200B>c` changes where that link points; the fix check compares these links
so that it sees this. The model follows cmark-gfm's `autolink.c` step by step; a test checks it
against cmark-gfm itself on many generated paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass

from mdlint.markdown.document import Document
from mdlint.markdown.extended_autolinks import ASCII_PUNCTUATION, delimited, is_alnum, is_alpha, url_match, www_match
from mdlint.markdown.syntax_tree import INLINE_TEXT_BLOCKS, Node

__all__ = ["Autolink", "autolinks_at", "autolinks_of"]

# Inline nodes whose source cmark-gfm reads as raw text while it scans a `www.` or `://` link, but
# where no such link can start.
_OPAQUE = frozenset({"codespan", "inline_html", "image"})
# What may stand before a line's inline content: indentation, quote and list markers, `#`, `|`.
_PREFIX_CHARACTERS = frozenset(" \t>-*+.)#|0123456789")
_DELIMITED = frozenset({"emphasis", "strong", "strikethrough"})


@dataclass(frozen=True, slots=True)
class Autolink:
    """One extended autolink: where its text starts in the file, where it points, what it shows.

    `end` is where its text ends in the file for `www.` and `scheme://` links; for an email link
    (found in the text as the renderer decoded it) `start` and `end` are where its run of text
    starts.
    """

    start: int
    url: str
    text: str
    end: int


def autolinks_of(document: Document) -> list[Autolink]:
    """Every extended autolink GitHub would make in the document's paragraphs, headings and cells.

    Found once per parse: the fix check and a rule both ask for them. The list is shared; do not change it.
    """
    return document.memo("autolinks", lambda: _autolinks(document))


def _autolinks(document: Document) -> list[Autolink]:
    found: list[Autolink] = []
    for block in document.nodes(*INLINE_TEXT_BLOCKS):
        found.extend(_block_autolinks(document, block))
    found.sort(key=lambda link: link.start)
    return found


def autolinks_at(document: Document, node: Node) -> list[Autolink]:
    """The extended autolinks of the paragraphs, headings and cells that hold `node` (the whole
    document's when none does), so that a question about one place scans one block, not the page.

    Each autolink lies inside the block it was found in, and blocks that do not hold one another
    do not overlap: any autolink over a place inside `node` is among these.
    """
    blocks = [ancestor for ancestor in (node, *node.ancestors()) if ancestor.type in INLINE_TEXT_BLOCKS]
    if not blocks:
        return autolinks_of(document)
    found: list[Autolink] = []
    for block in blocks:
        found.extend(_memo_block_autolinks(document, block))
    return found


def _memo_block_autolinks(document: Document, block: Node) -> list[Autolink]:
    # Kept with the tree (the memo goes when the tree does), so the node's identity is a safe key.
    return document.memo(("autolinks-in-block", id(block)), lambda: _block_autolinks(document, block))


def _block_autolinks(document: Document, block: Node) -> list[Autolink]:
    nodes, hidden = _inline_nodes(document.text, block)
    lo = min((node.start for node in nodes), default=block.start)
    hi = max((node.end for node in nodes), default=block.start)
    source = document.text[lo:hi]
    # Most blocks hold no link at all: every kind needs one of these in the source (an email's
    # `@` may be written as an entity or escaped, which the `&` and the `@` cover).
    if "://" not in source and "www." not in source and "@" not in source and "&" not in source:
        return []
    chunk, starts, origin = _chunk(document, nodes, hidden, lo, hi)
    links: list[Autolink] = []
    covered: list[tuple[int, int]] = []
    brackets = 0
    index = 0
    size = len(chunk)
    while index < size:
        if not starts[index]:
            index += 1
            continue
        char = chunk[index]
        if char == "\\" and index + 1 < size and chunk[index + 1] in ASCII_PUNCTUATION and starts[index + 1]:
            index += 2
            continue
        if char == "[" or (char == "!" and index + 1 < size and chunk[index + 1] == "[" and starts[index + 1]):
            brackets += 1
            index += 2 if char == "!" else 1
            continue
        if char == "]":
            brackets = max(0, brackets - 1)
        elif brackets == 0:
            match = www_match(chunk, index) if char == "w" else url_match(chunk, index) if char == ":" else None
            if match is not None:
                start, end, url = match
                links.append(Autolink(origin[start], url, chunk[start:end], origin[end - 1] + 1))
                covered.append((origin[start], origin[end - 1] + 1))
                index = end
                continue
        index += 1
    links.extend(_email_links(document.text, block, covered))
    return links


def _inline_nodes(text: str, block: Node) -> tuple[list[Node], set[int]]:
    """The block's descendants in source order, and the ids of the text nodes a link or image hides.

    Only inline nodes hide text, so what hides a text node lies between it and the block.
    """
    nodes: list[Node] = []
    hidden: set[int] = set()
    stack = [(child, False) for child in reversed(block.children)]
    while stack:
        node, hiding = stack.pop()
        nodes.append(node)
        if node.type == "text":
            if hiding:
                hidden.add(id(node))
            continue
        if node.children:
            hiding = hiding or _hides_text(text, node)
            stack.extend((child, hiding) for child in reversed(node.children))
    return nodes, hidden


def _chunk(
    document: Document, nodes: list[Node], hidden: set[int], lo: int, hi: int
) -> tuple[str, list[bool], list[int]]:
    """The block's inline source with container prefixes blanked; where a link may start; offsets.

    cmark-gfm matches `www.` and `scheme://` links on the paragraph's raw text, so the chunk keeps
    the source as written (escapes, entities, code spans); `starts[i]` says whether the inline
    parser reads character i as text (not inside a code span, HTML, an image or a link).
    """
    text = document.text
    kind = [0] * (hi - lo)  # 0 prefix or break, 1 raw but no link starts there, 2 text
    for node in nodes:
        if node.type in ("softbreak", "linebreak", "text") or _bare_url(text, node):
            continue
        kind[node.start - lo : node.end - lo] = [1] * (node.end - node.start)
    for node in nodes:
        if node.type == "text" and id(node) not in hidden:
            kind[node.start - lo : node.end - lo] = [2] * (node.end - node.start)
    chars: list[str] = []
    line_started = False
    for offset in range(hi - lo):
        char = text[lo + offset]
        if char in "\r\n":
            chars.append("\n")
            line_started = False
            continue
        if kind[offset] or char not in _PREFIX_CHARACTERS:
            line_started = True
        chars.append(char if line_started else " ")
    return "".join(chars), [value == 2 for value in kind], list(range(lo, hi))


def _bare_url(text: str, node: Node) -> bool:
    """A link mistune made of a bare `https://…`: cmark-gfm reads its text as text."""
    return node.type == "link" and text[node.start : node.start + 1] not in ("[", "<")


def _hides_text(text: str, node: Node) -> bool:
    return node.type in _OPAQUE or (node.type == "link" and not _bare_url(text, node))


def _email_links(source: str, block: Node, covered: list[tuple[int, int]]) -> list[Autolink]:
    """Email links: cmark-gfm finds them afterwards, in the literal text of runs of text nodes."""
    links: list[Autolink] = []
    for run_start, literal in _text_runs(source, block, covered):
        links.extend(Autolink(run_start, url, shown, run_start) for url, shown in _emails(literal))
    return links


def _text_runs(source: str, block: Node, covered: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """Runs of adjacent text (cmark-gfm joins adjacent text nodes), the `www.`/`://` links cut out."""
    runs: list[tuple[int, str]] = []
    current: list[str] = []
    start = -1

    def flush() -> None:
        nonlocal current
        if current:
            runs.append((start, "".join(current)))
        current = []

    def add(offset: int, literal: str) -> None:
        nonlocal start
        if not current:
            start = offset
        current.append(literal)

    def visit(node: Node, flushing: bool = True) -> None:
        for child in node.children:
            if _bare_url(source, child):
                visit(child, flushing=False)
                continue
            if child.type != "text":
                flush()
                if child.type in _DELIMITED:
                    visit(child)
                continue
            cuts = [(lo, hi) for lo, hi in covered if lo < child.end and child.start < hi]
            if not cuts:
                add(child.start, child.raw)
            elif child.end - child.start == len(child.raw):
                position = child.start
                for lo, hi in sorted(cuts):
                    if lo > position:
                        add(position, child.raw[position - child.start : lo - child.start])
                    flush()
                    position = max(position, hi)
                if position < child.end:
                    add(position, child.raw[position - child.start :])
            else:
                flush()
        if flushing:
            flush()

    visit(block)
    return runs


def _emails(text: str) -> list[tuple[str, str]]:
    """cmark-gfm's `postprocess_text`: each email link's URL and text, in order."""
    found: list[tuple[str, str]] = []
    start = offset = 0
    while offset < len(text) - start:
        at = text.find("@", start + offset)
        if at < 0:
            break
        max_rewind = at - (start + offset)
        auto_mailto, xmpp, dots = True, False, 0
        while True:  # cmark-gfm's `found_at:` loop: a second `@` tries again from it
            here = start + offset + max_rewind
            rewind = 0
            while rewind < max_rewind:
                char = text[here - rewind - 1]
                if is_alnum(char) or char in ".+-_":
                    rewind += 1
                    continue
                if char == ":" and _protocol("mailto:", text, here, rewind, max_rewind):
                    auto_mailto = False
                    rewind += 1
                    continue
                if char == ":" and _protocol("xmpp:", text, here, rewind, max_rewind):
                    auto_mailto, xmpp = False, True
                    rewind += 1
                    continue
                break
            if rewind == 0:
                break
            remaining = len(text) - here
            end = 1
            again = False
            while end < remaining:
                char = text[here + end]
                if is_alnum(char):
                    end += 1
                    continue
                if char == "@":
                    offset += max_rewind + 1
                    max_rewind = end - 1
                    again = True
                    break
                if char == "." and end < remaining - 1 and is_alnum(text[here + end + 1]):
                    dots += 1
                elif char == "/" and xmpp:
                    end += 1
                    continue
                elif char not in "-_":
                    break
                end += 1
            if not again:
                break
        if rewind == 0:
            offset += max_rewind + 1
            continue
        last = text[here + end - 1]
        if end < 2 or dots == 0 or (not is_alpha(last) and last != "."):
            offset += max_rewind + end
            continue
        end = delimited(text[here:], end)
        if end == 0:
            offset += max_rewind + 1
            continue
        address = text[here - rewind : here + end]
        found.append((("mailto:" if auto_mailto else "") + address, address))
        start += offset + max_rewind + end
        offset = 0
    return found


def _protocol(protocol: str, text: str, at: int, rewind: int, max_rewind: int) -> bool:
    length = len(protocol)
    if length > max_rewind - rewind:
        return False
    if text[at - rewind - length : at - rewind] != protocol:
        return False
    if length == max_rewind - rewind:
        return True
    return not is_alnum(text[at - rewind - length - 1])
