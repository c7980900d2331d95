"""GitHub's extended autolinks (`www.`, `http(s)://`, `ftp://`, email), as cmark-gfm finds them.

mistune links `https://…` only; GitHub also links `www.example.org`, `me@example.org` and
`mailto:`/`xmpp:` addresses, with its own rules for where such a link ends (trailing punctuation
and unbalanced `)` are left out, `&entity;` too). A fix that removes an invisible character from
`www.example.org/b<U+200B>c` changes where that link points; the fix check compares these links
so that it sees this. The model follows cmark-gfm's `autolink.c` step by step; a test checks it
against cmark-gfm itself on many generated paragraphs.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import INLINE_TEXT_BLOCKS, Node

__all__ = ["Autolink", "autolinks_at", "autolinks_of", "www_link_end"]

# cmark's `cmark_isspace`: ASCII only (a no-break space does not end a link).
_SPACE = frozenset("\t\n\f\r ")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_TRAILING = frozenset("?!.,:*_~'\"")
_BEFORE_WWW = frozenset("*_~(")
_SCHEMES = ("http://", "https://", "ftp://")
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


def _is_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _valid_host_character(char: str) -> bool:
    """cmark-gfm's `is_valid_hostchar`: neither a Unicode space nor punctuation."""
    if char.isascii():
        return char not in _SPACE and char not in _ASCII_PUNCTUATION
    category = unicodedata.category(char)
    return category != "Zs" and not category.startswith("P")


def _is_alpha(char: str) -> bool:
    return char.isascii() and char.isalpha()


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
        if char == "\\" and index + 1 < size and chunk[index + 1] in _ASCII_PUNCTUATION and starts[index + 1]:
            index += 2
            continue
        if char == "[" or (char == "!" and index + 1 < size and chunk[index + 1] == "[" and starts[index + 1]):
            brackets += 1
            index += 2 if char == "!" else 1
            continue
        if char == "]":
            brackets = max(0, brackets - 1)
        elif brackets == 0:
            match = _www_match(chunk, index) if char == "w" else _url_match(chunk, index) if char == ":" else None
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


def _check_domain(data: str, allow_short: bool) -> int:
    """cmark-gfm's `check_domain`: the domain's length, 0 when it is no domain."""
    size = len(data)
    if data and not data[0].isascii():
        # cmark-gfm starts at the second byte: inside this character, which ends the domain.
        return 1 if allow_short else 0
    dots = underscores_before = underscores = 0
    index = 1
    while index < size - 1:
        if data[index] == "\\" and index < size - 2:
            index += 1
        char = data[index]
        if char == "_":
            underscores += 1
        elif char == ".":
            underscores_before, underscores = underscores, 0
            dots += 1
        elif not char.isascii():
            # cmark-gfm reads the domain byte by byte: a multi-byte character ends it.
            index += 1
            break
        elif (char in _SPACE or char in _ASCII_PUNCTUATION) and char != "-":
            break
        index += 1
    if underscores_before or underscores:
        return 0
    return index if allow_short or dots else 0


def _delimited(data: str, end: int) -> int:
    """cmark-gfm's `autolink_delim`: where the link ends once trailing punctuation is left out."""
    if "<" in data[:end]:
        end = data.index("<")
    while end > 0:
        last = data[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last == ";":
            new_end = end - 2
            while new_end > 0 and _is_alpha(data[new_end]):
                new_end -= 1
            end = new_end if new_end < end - 2 and data[new_end] == "&" else end - 1
        elif last == ")":
            if data[:end].count(")") <= data[:end].count("("):
                break
            end -= 1
        else:
            break
    return end


def _extend(data: str, end: int) -> int:
    while end < len(data) and data[end] not in _SPACE and data[end] != "<":
        end += 1
    return end


def _www_match(chunk: str, index: int) -> tuple[int, int, str] | None:
    if index > 0 and chunk[index - 1] not in _BEFORE_WWW and chunk[index - 1] not in _SPACE:
        return None
    data = chunk[index:]
    if not data.startswith("www."):
        return None
    end = _check_domain(data, False)
    if end == 0:
        return None
    end = _delimited(data, _extend(data, end))
    if end == 0:
        return None
    return index, index + end, "http://" + data[:end]


def www_link_end(text: str, index: int) -> int | None:
    """Where the `www.` link GitHub makes at `index` of a block's text ends; None when it makes none."""
    match = _www_match(text, index)
    return None if match is None else match[1]


def _url_match(chunk: str, index: int) -> tuple[int, int, str] | None:
    data = chunk[index:]
    if len(data) < 4 or data[1] != "/" or data[2] != "/":
        return None
    rewind = 0
    while rewind < index and _is_alpha(chunk[index - rewind - 1]):
        rewind += 1
    candidate = chunk[index - rewind :]
    if not any(
        len(candidate) > len(scheme)
        and candidate[: len(scheme)].lower() == scheme
        and _valid_host_character(candidate[len(scheme)])
        for scheme in _SCHEMES
    ):
        return None
    domain = _check_domain(data[3:], True)
    if domain == 0:
        return None
    end = _delimited(data, _extend(data, 3 + domain))
    if end == 0:
        return None
    return index - rewind, index + end, chunk[index - rewind : index + end]


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
                if _is_alnum(char) or char in ".+-_":
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
                if _is_alnum(char):
                    end += 1
                    continue
                if char == "@":
                    offset += max_rewind + 1
                    max_rewind = end - 1
                    again = True
                    break
                if char == "." and end < remaining - 1 and _is_alnum(text[here + end + 1]):
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
        if end < 2 or dots == 0 or (not _is_alpha(last) and last != "."):
            offset += max_rewind + end
            continue
        end = _delimited(text[here:], end)
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
    return not _is_alnum(text[at - rewind - length - 1])
