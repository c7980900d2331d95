"""What "exact positions" means, as checks shared by the position test modules.

Each check takes a parsed `Document` and returns a list of problems, one readable line each
(empty = all good), so a failing test shows every wrong node at once. The references are
markdown-it-py (CommonMark, block line maps) and cmark-gfm (GitHub's renderer, through cmarkgfm).
"""

from __future__ import annotations

import html
import re
import string
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import Node, NodeType
from tests.conftest import CORPUS

__all__ = [
    "Block",
    "ReferenceBlock",
    "block_kinds",
    "block_problems",
    "cmark_html_line_counts",
    "commonmark_reference",
    "corpus_files",
    "end_line_problems",
    "first_divergence",
    "gfm_reference",
    "github_html_differences",
    "html_block_line_counts",
    "html_blocks",
    "html_candidate_lines",
    "inline_problems",
    "mdlint_blocks",
    "node_label",
    "position_problems",
    "reference_blocks",
    "reference_html_blocks",
    "reference_text",
    "tree_problems",
]

# markdown-it block tokens and the mistune node types they correspond to, as one "kind".
_REFERENCE_KIND = {
    "paragraph_open": "paragraph",
    "heading_open": "heading",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "list_item_open": "list_item",
    "blockquote_open": "block_quote",
    "fence": "block_code",
    "code_block": "block_code",
    "html_block": "block_html",
    "hr": "thematic_break",
    "table_open": "table",
}
_MDLINT_KIND: dict[NodeType, str] = {
    "paragraph": "paragraph",
    "block_text": "paragraph",
    "heading": "heading",
    "list": "list",
    "list_item": "list_item",
    "block_quote": "block_quote",
    "block_code": "block_code",
    "block_html": "block_html",
    "thematic_break": "thematic_break",
    "table": "table",
}
_CONTAINER_CLOSE = {"bullet_list_close", "ordered_list_close", "list_item_close", "blockquote_close"}
_CONTAINERS = {"list", "list_item", "block_quote"}

_LIST_MARKER = re.compile(r"(?:[-+*]|[0-9]{1,9}[.)])(?:[ \t]|\r?\n|\r|$)")
_SETEXT_UNDERLINE = re.compile(r"[ \t>]*(?:=+|-+)[ \t]*$")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_LITERAL_AUTOLINK = re.compile(r"(?:https?://|ftp://|www\.|mailto:|xmpp:)\S+$|[\w.+-]+@[\w-]+\.\S+$", re.IGNORECASE)
# Paragraph continuation lines lose their leading whitespace (and, in a quote, its markers).
_CONTINUATION = re.compile(r"(?<=[\r\n])[ \t]+")
_QUOTED_CONTINUATION = re.compile(r"(?<=[\r\n])[ \t>]+")


def corpus_files() -> tuple[Path, list[Path]]:
    """The shared corpus (conftest's `CORPUS`) and its Markdown files.

    The list is empty when the corpus is not there: callers then go through `require_corpus`,
    which skips outside CI and fails in CI.
    """
    if not CORPUS.is_dir():
        return CORPUS, []
    return CORPUS, sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".md", ".markdown"))


def first_divergence(ours: list[Block], theirs: list[ReferenceBlock]) -> str:
    """Where two block sequences stop agreeing, for a failure message."""
    for index in range(max(len(ours), len(theirs))):
        our = ours[index] if index < len(ours) else None
        their = theirs[index] if index < len(theirs) else None
        if our is None or their is None or our.kind != their.kind:
            mine = f"{our.kind} on line {our.line}" if our else "nothing"
            reference = f"{their.kind} on line {their.line}" if their else "nothing"
            return f"block {index}: mdlint has {mine}, markdown-it has {reference}"
    return "no divergence"


def commonmark_reference() -> MarkdownIt:
    """markdown-it-py configured as plain CommonMark (for the spec examples)."""
    return MarkdownIt("commonmark")


def gfm_reference() -> MarkdownIt:
    """markdown-it-py as CommonMark plus the GFM block extensions mdlint parses (tables)."""
    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def reference_text(document: Document) -> str:
    """The text the references parse: the file with its front matter blanked, lines kept.

    mdlint parses only the body after front matter; blanking the front matter (each of its
    lines becomes empty) keeps every line number identical for the reference parsers.
    """
    front_matter = document.front_matter
    if front_matter is None:
        return document.text
    head = document.text[: front_matter.end]
    return "\n" * len(_LINE_BREAKS.findall(head)) + document.text[front_matter.end :]


def node_label(document: Document, node: Node) -> str:
    """`type@line:col "source…"` for messages."""
    line, column = document.position(node.start)
    snippet = document.text[node.start : min(node.end, node.start + 40)]
    return f"{node.type}@{line}:{column} {snippet!r}"


@dataclass(frozen=True, slots=True)
class Block:
    """One mdlint block node, reduced to what the references can say about it."""

    kind: str
    line: int
    path: tuple[str, ...]
    node: Node


@dataclass(frozen=True, slots=True)
class ReferenceBlock:
    """One markdown-it block token: its kind, 1-based start line, container path."""

    kind: str
    line: int
    path: tuple[str, ...]
    token: Token
    inline: Token | None  # the inline token of a paragraph or heading


def mdlint_blocks(document: Document, root: Node) -> list[Block]:
    """mdlint's comparable blocks in source (pre-)order."""
    blocks: list[Block] = []
    for node in root.walk(*_MDLINT_KIND):
        kind = _MDLINT_KIND[node.type]
        path = tuple(
            reversed([_MDLINT_KIND[a.type] for a in node.ancestors() if _MDLINT_KIND.get(a.type) in _CONTAINERS])
        )
        blocks.append(Block(kind, document.position(node.start)[0], path, node))
    return blocks


def reference_blocks(parser: MarkdownIt, text: str) -> list[ReferenceBlock]:
    """markdown-it's comparable block tokens in source order, with their container paths."""
    tokens = parser.parse(text)
    blocks: list[ReferenceBlock] = []
    stack: list[str] = []
    for index, token in enumerate(tokens):
        kind = _REFERENCE_KIND.get(token.type)
        if kind is not None:
            assert token.map is not None, token
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            inline = following if following is not None and following.type == "inline" else None
            blocks.append(ReferenceBlock(kind, token.map[0] + 1, tuple(stack), token, inline))
            if kind in _CONTAINERS:
                stack.append(kind)
        elif token.type in _CONTAINER_CLOSE:
            stack.pop()
    return blocks


def block_kinds(blocks: list[Block] | list[ReferenceBlock]) -> list[str]:
    """The sequence of kinds, which decides whether two parses have the same block structure."""
    return [block.kind for block in blocks]


def block_problems(document: Document, ours: list[Block], theirs: list[ReferenceBlock]) -> list[str]:
    """Start line and start character of each block, against markdown-it's token for it.

    Only meaningful when both sequences have the same kinds (the same structure).
    """
    assert block_kinds(ours) == block_kinds(theirs)
    text = document.text
    problems: list[str] = []
    for our, their in zip(ours, theirs, strict=True):
        node, token = our.node, their.token
        label = node_label(document, node)
        if our.line != their.line:
            problems.append(f"{label}: starts on line {our.line}, markdown-it says line {their.line}")
            continue
        if our.path != their.path:
            problems.append(f"{label}: nested in {our.path}, markdown-it says {their.path}")
        at = text[node.start :]
        expected: str | None = None
        if our.kind == "list_item":
            expected = token.markup if token.type == "list_item_open" and not token.info else token.info + token.markup
        elif our.kind == "heading":
            expected = "#" if token.markup.startswith("#") else _first_line(their.inline)
        elif our.kind == "paragraph":
            expected = _first_line(their.inline)
        elif our.kind == "block_quote":
            expected = ">"
        elif our.kind == "block_html":
            expected = "<"
        elif our.kind == "thematic_break":
            expected = token.markup[:1]
        elif token.type == "fence":
            expected = token.markup
        elif our.kind == "list":
            first_item = next((child for child in node.children if child.type == "list_item"), None)
            if first_item is not None and first_item.start != node.start:
                problems.append(f"{label}: starts at {node.start}, its first item at {first_item.start}")
        if expected is not None and not at.startswith(expected):
            problems.append(f"{label}: should start with {expected!r}")
    return problems


# Leaf blocks whose markdown-it map ends on their last line (container maps also take in the
# blank lines after an item, which mistune leaves outside).
_LEAF_TOKENS = frozenset({"paragraph_open", "heading_open", "fence", "code_block", "html_block", "hr"})


def end_line_problems(document: Document, ours: list[Block], theirs: list[ReferenceBlock]) -> list[str]:
    """The last line of each leaf block, against markdown-it's map (same structure required)."""
    assert block_kinds(ours) == block_kinds(theirs)
    problems: list[str] = []
    for our, their in zip(ours, theirs, strict=True):
        if their.token.type not in _LEAF_TOKENS or their.token.map is None:
            continue
        node = our.node
        # The line holding the node's last character (a fence's span ends with its line break).
        last = document.position(node.end - 1)[0] if node.end > node.start else our.line
        if last != their.token.map[1]:
            problems.append(f"{node_label(document, node)}: ends on line {last}, markdown-it says {their.token.map[1]}")
    return problems


def _first_line(inline: Token | None) -> str | None:
    if inline is None or not inline.content:
        return None
    return inline.content.split("\n", 1)[0]


def position_problems(document: Document, root: Node) -> list[str]:
    """Every node: 0 <= start <= end <= len(text), and line:column round-trips to the offset."""
    text = document.text
    problems: list[str] = []
    for node in root.walk():
        if not 0 <= node.start <= node.end <= len(text):
            problems.append(f"{node.type} [{node.start}, {node.end}) outside 0..{len(text)} or reversed")
            continue
        for offset in (node.start, node.end):
            line, column = document.position(offset)
            if document.offset(line, column) != offset:
                problems.append(f"{node_label(document, node)}: offset {offset} -> {line}:{column} does not round-trip")
        if node.type != "document" and node.start < len(text):
            line, column = document.position(node.start)
            source_line = document.lines[line - 1]
            if column - 1 < len(source_line) and source_line[column - 1] != text[node.start]:
                problems.append(f"{node_label(document, node)}: line:column does not name the start character")
    return problems


def tree_problems(document: Document, root: Node) -> list[str]:
    """Children lie inside their parent, in order, without overlapping; `parent` links are right."""
    problems: list[str] = []
    for node in root.walk():
        previous_end = node.start
        for child in node.children:
            if child.parent is not node:
                problems.append(f"{node_label(document, child)}: parent link is not its parent")
            if child.start < node.start or child.end > node.end:
                problems.append(f"{node_label(document, child)}: outside its parent {node_label(document, node)}")
            if child.start < previous_end:
                problems.append(f"{node_label(document, child)}: starts before its previous sibling ends")
            previous_end = max(previous_end, child.end)
    return problems


_INLINE_KINDS: tuple[NodeType, ...] = ("link", "image", "codespan", "inline_html", "text", "emphasis", "strong")
_BLOCK_KINDS: tuple[NodeType, ...] = ("heading", "list_item", "block_html")


def inline_problems(document: Document, root: Node) -> list[str]:
    """Links, images, code spans, inline HTML, text, emphasis, headings, list items and HTML
    blocks cover their source."""
    text = document.text
    problems: list[str] = []
    for node in root.walk(*_INLINE_KINDS, *_BLOCK_KINDS):
        source = text[node.start : node.end]
        label = node_label(document, node)
        why = _inline_mismatch(document, node, source)
        if why:
            problems.append(f"{label}: {why}")
    return problems


def _inline_mismatch(document: Document, node: Node, source: str) -> str | None:
    text = document.text
    if node.type == "text":
        if node.raw not in _readings(source) and not _escapes_optional(node.raw).fullmatch(source):
            return f"text {node.raw!r} is written {source!r} at its span"
        return None
    if node.type in ("emphasis", "strong"):
        width = 2 if node.type == "strong" else 1
        opener, closer = source[:width], source[-width:]
        if len(source) < 2 * width or len(set(opener + closer)) != 1 or opener[0] not in "*_":
            return f"{node.type} {source!r} does not start and end with its delimiters"
        return None
    if node.type in ("link", "image"):
        opener = "[" if node.type == "link" else "!["
        if source.startswith(opener):
            if not source.endswith((")", "]")):
                return f"{node.type} text {source!r} does not end with ')' or ']'"
        elif node.type == "link" and source.startswith("<"):
            written = "".join(child.raw for child in node.children if child.type == "text")
            if not source.endswith(">") or source[1:-1] != written:
                return f"autolink text {source!r} is not <{written}>"
        elif node.type == "link" and _LITERAL_AUTOLINK.match(source):
            # A GFM literal autolink (https://…, www.…): the URL as written, which is its text.
            written = "".join(child.raw for child in node.children if child.type == "text")
            if source != written:
                return f"literal autolink text {source!r} is not its URL {written!r}"
        else:
            return f"{node.type} text {source!r} does not start with {opener!r}"
        destination = node.attrs.get("destination")
        start, end = node.attrs.get("destination_start"), node.attrs.get("destination_end")
        if isinstance(destination, str) and isinstance(start, int) and isinstance(end, int):
            if text[start:end] != destination:
                return f"destination {destination!r} but text at its offsets is {text[start:end]!r}"
            if not node.start <= start <= end <= node.end:
                return f"destination offsets [{start}, {end}) outside the {node.type}"
        return None
    if node.type == "codespan":
        fence = re.match(r"`+", source)
        if fence is None or not source.endswith(fence.group()) or len(source) < 2 * len(fence.group()):
            return f"code span text {source!r} is not enclosed in matching backticks"
        inner = source[len(fence.group()) : len(source) - len(fence.group())]
        prefix = _QUOTED_CONTINUATION if any(a.type == "block_quote" for a in node.ancestors()) else _CONTINUATION
        if _code_span_content(prefix.sub("", inner)) != node.raw:
            return f"code span text {source!r} does not hold its content {node.raw!r}"
        before = text[max(0, node.start - 2) : node.start]
        if (before.endswith("`") and not before.startswith("\\")) or text[node.end : node.end + 1] == "`":
            return f"code span {source!r} is not bounded by its whole backtick runs"
        return None
    if node.type == "inline_html":
        if not (source.startswith("<") and source.endswith(">")):
            return f"inline HTML text {source!r} is not <…>"
        if "\n" not in node.raw and source != node.raw:
            return f"inline HTML text {source!r} differs from its raw {node.raw!r}"
        return None
    if node.type == "heading":
        if source.startswith("#"):
            return None
        # A setext heading starts at its text; its underline follows its last text line.
        line = document.position(node.start)[0]
        end_line = document.position(max(node.start, node.end - 1))[0]
        lines = document.lines[line : end_line + 1]
        if not any(_SETEXT_UNDERLINE.fullmatch(candidate.lstrip(" \t>")) for candidate in lines):
            return "neither starts with '#' nor ends with a setext underline"
        if not source[:1].strip():
            return "setext heading starts on whitespace"
        return None
    if node.type == "list_item":
        if not _LIST_MARKER.match(text, node.start):
            return "does not start at a list marker"
        return None
    if node.type == "block_html" and not source.startswith("<"):
        return "does not start with '<'"
    return None


# A backslash escape, or a character reference, in text.
_ESCAPE_OR_ENTITY = re.compile(r"\\([!-/:-@\[-`{-~])|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")


def _readings(source: str) -> set[str]:
    """Text as written: literally (autolinks), or with escapes resolved and character references
    kept (as mistune keeps them in text) or decoded (as CommonMark reads them)."""

    def read(decode: bool) -> str:
        def one(match: re.Match[str]) -> str:
            if match.group(1) is not None:
                return match.group(1)
            return html.unescape(match.group()) if decode else match.group()

        return _ESCAPE_OR_ENTITY.sub(one, source)

    return {source, read(False), read(True)}


def _escapes_optional(raw: str) -> re.Pattern[str]:
    """`raw` with each punctuation character escaped or not: mistune 3.4 merges a literal
    autolink (backslashes kept) into escaped link text."""
    return re.compile("".join(("\\\\?" if char in string.punctuation else "") + re.escape(char) for char in raw))


def _code_span_content(inner: str) -> str:
    """CommonMark's code-span normalisation: line endings become spaces, one space stripped."""
    inner = _LINE_BREAKS.sub(" ", inner)
    if len(inner) >= 2 and inner.startswith(" ") and inner.endswith(" ") and inner.strip(" "):
        inner = inner[1:-1]
    return inner


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    """An HTML block: start line, container path, its lines without trailing whitespace."""

    line: int
    path: tuple[str, ...]
    lines: tuple[str, ...]


def _html_lines(raw: str) -> tuple[str, ...]:
    # Leading whitespace is compared without its form: after `>\t` CommonMark leaves two columns
    # of a partly used tab, which markdown-it keeps as the tab and mdlint as two spaces.
    return tuple(line.strip() for line in _LINE_BREAKS.split(raw.rstrip("\r\n")))


def html_blocks(document: Document, root: Node) -> list[HtmlBlock]:
    """mdlint's HTML blocks in source order."""
    return [
        HtmlBlock(block.line, block.path, _html_lines(block.node.raw))
        for block in mdlint_blocks(document, root)
        if block.kind == "block_html"
    ]


def reference_html_blocks(parser: MarkdownIt, text: str) -> list[HtmlBlock]:
    """markdown-it's HTML blocks in source order."""
    return [
        HtmlBlock(block.line, block.path, _html_lines(block.token.content))
        for block in reference_blocks(parser, text)
        if block.kind == "block_html"
    ]


# Lines cmark itself writes on their own; a raw HTML line equal to one of them cannot be told apart.
_CMARK_OWN_LINES = frozenset(
    [
        "</ul>",
        "</ol>",
        "</li>",
        "</blockquote>",
        "<thead>",
        "</thead>",
        "<tbody>",
        "</tbody>",
        "<tr>",
        "</tr>",
        "</table>",
        "</p>",
        "</pre>",
        "</code></pre>",
    ]
)
# Container markers before a line's content: quote markers, list markers, indentation.
_CONTAINER_PREFIX = re.compile(r"^(?:[ \t>]|[-+*](?=[ \t])|[0-9]{1,9}[.)](?=[ \t]))*")


def html_block_line_counts(blocks: list[HtmlBlock]) -> Counter[str]:
    """How often each (stripped) line with a tag appears inside HTML blocks."""
    counts: Counter[str] = Counter()
    for block in blocks:
        for line in block.lines:
            stripped = line.strip()
            if "<" in stripped and stripped not in _CMARK_OWN_LINES:
                counts[stripped] += 1
    return counts


def html_candidate_lines(document: Document, blocks: list[HtmlBlock]) -> set[str]:
    """Lines whose HTML-block-ness the references can decide: any line (container markers
    stripped) that starts with `<`, and every tag line of mdlint's HTML blocks."""
    candidates = set(html_block_line_counts(blocks))
    for line in document.lines:
        content = _CONTAINER_PREFIX.sub("", line).strip()
        if content.startswith("<"):
            candidates.add(content)
    return candidates - _CMARK_OWN_LINES


def cmark_html_line_counts(text: str, candidates: set[str]) -> Counter[str]:
    """How often each candidate line is a whole line of a raw HTML block in GitHub's rendering.

    cmark-gfm writes an HTML block verbatim, line by line, starting on a fresh line; with soft
    breaks rendered as spaces (NOBREAKS) inline HTML in a paragraph never fills a whole output
    line, so whole-line occurrences count exactly the HTML-block lines.
    """
    from cmarkgfm.cmark import Options, markdown_to_html_with_extensions

    options = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_NOBREAKS | Options.CMARK_OPT_SOURCEPOS
    # No tagfilter: it rewrites <script>/<iframe>… text but does not change the structure.
    html = markdown_to_html_with_extensions(
        text, options=options, extensions=["table", "strikethrough", "autolink", "tasklist"]
    )
    counts: Counter[str] = Counter()
    for line in html.split("\n"):
        stripped = line.strip()
        if stripped in candidates:
            counts[stripped] += 1
    return counts


def github_html_differences(document: Document) -> dict[str, tuple[int, int]]:
    """Candidate HTML lines whose count in mdlint's HTML blocks differs from GitHub's rendering:
    line -> (times in an mdlint HTML block, times a raw HTML line on GitHub)."""
    ours = html_blocks(document, document.root)
    candidates = html_candidate_lines(document, ours)
    mine = html_block_line_counts(ours)
    github = cmark_html_line_counts(reference_text(document), candidates)
    return {line: (mine[line], github[line]) for line in sorted(candidates) if mine[line] != github[line]}


def iter_all(root: Node) -> Iterator[Node]:
    """Every node below the root."""
    return root.walk()
