"""Where mistune and GitHub's renderer (cmark-gfm) read Markdown differently, mdlint reads it as GitHub.

Each case was found by `python -m bench.fuzz_bench` (issue 13): the fix check compares the parsed
structure before and after a fix, so a construct the parser misreads lets a fix change the page
unseen. Every case states the block tree mdlint parses, the HTML cmark-gfm renders for the same
text, and what fixing the text does.
"""

from __future__ import annotations

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from bench.fuzz_bench import _fix, _rendering_changed
from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import Node


def _github(text: str) -> str:
    return str(cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE))


def _outline(node: Node) -> str:
    """Blocks as `type(children)`; inline nodes left out."""
    blocks = [child for child in node.children if child.is_block]
    inner = ",".join(_outline(child) for child in blocks)
    return f"{node.type}({inner})" if blocks else node.type


def _tree(text: str) -> str:
    return _outline(Document("notes.md", text).root)


# (text, mdlint's block tree, cmark-gfm's HTML)
CASES: list[tuple[str, str, str]] = [
    # A no-break space is no whitespace to CommonMark: not after a tag name, ...
    ("<a\u00a0f=''>\n", "document(paragraph)", "<p>&lt;a\u00a0f=''&gt;</p>\n"),
    ("<div\u00a0\n", "document(paragraph)", "<p>&lt;div\u00a0</p>\n"),
    # ... not a blank line, ...
    ("    \u00a0\n", "document(block_code)", "<pre><code>\u00a0\n</code></pre>\n"),
    ("a\n\u00a0\nb\n", "document(paragraph)", "<p>a\n\u00a0\nb</p>\n"),
    # ... and not an empty list item, which could not interrupt a paragraph.
    ("]\n* \u00a0\n", "document(paragraph,list(list_item(block_text)))", "<p>]</p>\n<ul>\n<li>\u00a0</li>\n</ul>\n"),
    # A line of spaces is blank: it ends a paragraph (mistune took five spaces for code).
    (")\n     \n)\n", "document(paragraph,paragraph)", "<p>)</p>\n<p>)</p>\n"),
    # A tag alone on a line without the item's indentation ends the item and opens an HTML block.
    (
        "- [\n<s>\n](v.org/)\n",
        "document(list(list_item(block_text)),block_html)",
        "<ul>\n<li>[</li>\n</ul>\n<s>\n](v.org/)\n",
    ),
    ("- a\n  <s>\nb\n", "document(list(list_item(block_text)))", "<ul>\n<li>a\n<s>\nb</li>\n</ul>\n"),
    # Tab stops count from the start of the file's line: five columns after `-` make code.
    ("> - \tcode\n", "document(block_quote(list(list_item(block_code))))", ""),
    ("- - \tcode\n", "document(list(list_item(list(list_item(block_code)))))", ""),
    ("- \tx\n", "document(list(list_item(block_text)))", "<ul>\n<li>x</li>\n</ul>\n"),
    # A lazy line in a quoted list item stays paragraph text, and so does the next one.
    (
        ">- a\n    <div>\n[f]:x.co\n",
        "document(block_quote(list(list_item(block_text))))",
        "<blockquote>\n<ul>\n<li>a\n<div>\n[f]:x.co</li>\n</ul>\n</blockquote>\n",
    ),
    # A definition is taken from the start of a paragraph once it is complete: an indented line
    # after one continues the paragraph, and a definition after text is text.
    ("[f]:r\n    _\n[f]:x.co/\n", "document(link_definition,paragraph)", '<p>_\n<a href="r">f</a>:x.co/</p>\n'),
    # A title may not reach into a line that starts a block, nor hold an unescaped `(`.
    (
        '[f]:x.co "\n>"\n',
        "document(paragraph,block_quote(paragraph))",
        "<p>[f]:x.co &quot;</p>\n<blockquote>\n<p>&quot;</p>\n</blockquote>\n",
    ),
    ("[r]:x.co/ (()\n", "document(paragraph)", "<p>[r]:x.co/ (()</p>\n"),
    # An unmatched `)` ends a destination, an unclosed `(` does not.
    ("[ref]:x\u00a0(\n", "document(link_definition)", ""),
    ("[r]:x.co/)(\n", "document(paragraph)", "<p>[r]:x.co/)(</p>\n"),
    # A definition is a paragraph still open: lazy lines and a tag alone continue it.
    (
        "- >[r]:\u200e\n   [r]:x.co\n",
        "document(list(list_item(block_quote(link_definition,paragraph))))",
        '<ul>\n<li>\n<blockquote>\n<p> <a href="%E2%80%8E">r</a>:x.co</p>\n</blockquote>\n</li>\n</ul>\n',
    ),
    ('[f]:r\n<g c="" h="">\n\u200e>\n', "document(link_definition,paragraph)", '<p><g c="" h="">\n\u200e&gt;</p>\n'),
    (
        "- [r]:()\n|\n    <summary>x\n",
        "document(list(list_item(link_definition,block_text,block_html)))",
        "<ul>\n<li>|\n  <summary>x\n</li>\n</ul>\n",
    ),
    # A setext heading of definitions only: its underline starts a paragraph.
    ("[f]:x\n===\nfoo\n", "document(link_definition,paragraph)", "<p>===\nfoo</p>\n"),
    # A quote whose first line is blank, or not a fence, takes lazy lines.
    (">\n>(\n[f]:x.co\n", "document(block_quote(paragraph))", "<blockquote>\n<p>(\n[f]:x.co</p>\n</blockquote>\n"),
    (">```e`\n[f]:x.co\n", "document(block_quote(paragraph))", "<blockquote>\n<p>```e`\n[f]:x.co</p>\n</blockquote>\n"),
    # A line lazy to an outer quote is lazy to the inner one: no `>` of its own.
    (
        ">- >a  \u200b\n    >\n",
        "document(block_quote(list(list_item(block_quote(paragraph)))))",
        "<blockquote>\n<ul>\n<li>\n<blockquote>\n<p>a  \u200b\n&gt;</p>\n</blockquote>\n</li>\n</ul>\n</blockquote>\n",
    ),
    # ... and an empty ordered item there interrupts no paragraph.
    (
        ">- >% \u00a0\n    1.\n",
        "document(block_quote(list(list_item(block_quote(paragraph)))))",
        "<blockquote>\n<ul>\n<li>\n<blockquote>\n<p>% \u00a0\n1.</p>\n</blockquote>\n</li>\n</ul>\n</blockquote>\n",
    ),
    # Whether a quote's content ends in a paragraph counts tab stops from the file's line start.
    (
        "- >1. \t**\n[r]:v.org\n",
        "document(list(list_item(block_quote(list(list_item(block_text))))))",
        "<ul>\n<li>\n<blockquote>\n<ol>\n<li>**\n[r]:v.org</li>\n</ol>\n</blockquote>\n</li>\n</ul>\n",
    ),
    # A task box comes off before definitions are taken; in a quote the line is no task.
    (
        "- [ ] [f]:x\n\n[f]\n",
        "document(list(list_item(block_text,link_definition)),paragraph)",
        '<ul>\n<li><input type="checkbox" disabled="" /> </li>\n</ul>\n<p><a href="x">f</a></p>\n',
    ),
    ("> - [ ] [f]:x\n", "document(block_quote(list(list_item(block_text))))", ""),
    # Tables: lines before the header row stay text; one column needs no pipe; rows need none.
    (
        "[r]:x.co\na||\n-|-\n",
        "document(paragraph,table(table_head(table_cell,table_cell),table_body))",
        "<p>[r]:x.co</p>\n<table>\n<thead>\n<tr>\n<th>a</th>\n<th></th>\n</tr>\n</thead>\n</table>\n",
    ),
    ("[f]:x.co/\n-:\n", "document(table(table_head(table_cell),table_body))", ""),
    ("a\n---\n", "document(heading)", "<h2>a</h2>\n"),
    (
        "a|b\n-|-\nc\n    d\n",
        "document(table(table_head(table_cell,table_cell),table_body(table_row(table_cell,table_cell))),block_code)",
        "",
    ),
]


@pytest.mark.parametrize(("text", "tree", "html"), CASES, ids=[repr(case[0]) for case in CASES])
def test_mdlint_reads_the_construct_as_github_does(text: str, tree: str, html: str) -> None:
    assert _tree(text) == tree
    if html:
        assert _github(text) == html


def test_code_after_a_tab_in_a_nested_item_is_what_github_renders() -> None:
    assert "<pre><code>code\n</code></pre>" in _github("> - \tcode\n")
    assert "<pre><code>code\n</code></pre>" in _github("- - \tcode\n")


def test_no_break_spaces_come_back_in_the_tree() -> None:
    document = Document("notes.md", "[a\u00a0b](x\u00a0y) and [c](\u00a0)\n\n    \u00a0code\n")
    links = [node for node in _nodes(document.root) if node.type == "link"]
    assert [(link.attrs.get("url"), link.attrs.get("destination")) for link in links] == [
        ("x%C2%A0y", "x\u00a0y"),
        ("%C2%A0", "\u00a0"),
    ]
    code = [node for node in _nodes(document.root) if node.type == "block_code"]
    assert [node.raw for node in code] == ["\u00a0code"]


def _nodes(root: Node) -> list[Node]:
    found = [root]
    for child in root.children:
        found.extend(_nodes(child))
    return found


# Fixes that changed GitHub's rendering unseen before the parser read these as GitHub does.
FIXED_UNSEEN: list[tuple[str, bool]] = [
    ("- [\n<s>\n](v.org/)\n", False),  # link-missing-scheme inside what is an HTML block
    ("> - \t[](v.org/)\n", False),  # ... inside what is indented code
    ("   - 1. \t[](a.org/)\n", False),
    (">- \u200b\n    <!--\n[f]:x.co/()\n", False),  # ... in lazy text, no definition
    (">- \u00a0\n    <div>\n[f]:x.co\n", False),
    ("<a\u00a0f=''>\n", True),  # a no-break space made a space makes a tag
    ("<div\u00a0\n", True),
    ("[](\u00a0)\n", True),  # ... is trimmed from a destination
    ("[ref]\n>[ref]:m\u00a0\n", True),
    ("[RE2\u00a0syntax]\n\n[RE2 syntax]:t\n", True),  # ... makes a label match
    ("    \u00a0\n", True),  # ... makes code blank
    ("- \u00a0\n|\n", True),  # ... empties a list item
    (")\n     \u200d\n)\n", True),  # a deleted joiner makes a blank line
    ("- o\n<g c='' h=''>\u200b\n", True),  # ... a tag alone on its line
    ("- [ ] \u200b\n.\n", True),  # ... a task box alone on its line, which ends the item's text
    ("- \u200b[ ] \n", True),  # ... a task
    # link-missing-scheme on what GitHub reads as paragraph text, not a definition
    ("[f]:r\n    _\n[f]:x.co/", False),
    ('[f]:x.co "\n>"', False),
    ("[r]:x.co/ (()", False),
    (">\n>(\n[f]:x.co", False),
    (">```🧑`\n[r]:x.co", False),
    ("- >[r]:\u200e\n   [r]:x.co", False),
    ("- [r]:()\n|\n    <summary>[](v.org/)", False),
    ("[r]:x.co\na||\n-|-", False),
    ("[f]:x.co/\n-:", False),
    ("- [ ] [ref]:[](a.org)\n[ref]", False),  # ... on what is a definition's destination
    # text-invisible-char where GitHub reads the construct otherwise
    ("[f]:r\n<g c='' h=''>\n\u200e>", True),  # a definition is an open paragraph
    (">\n>.\n\u200b\nH", True),
    (">- >a  \u200b\n    >", True),  # a lazy line makes the trailing spaces no line break
    ("- [ ] [f]:\u200d", True),  # a task item's definition
    ("- [ ] [f]:r\u00a0m", False),
    ("[ref]\n- [ ] [ref]:\ufeff", True),
    ("[ref][]()\n- [ ] [ref]:x", True),
    ("[ref]:x\u00a0(", False),  # a destination with an unclosed `(`
    ("[ref]:x\u00a0()\n[ref]", True),
    ("[ref]:b\u00a0\x01\n[ref]", True),  # a no-break space at a destination's end
    ("[ref]\n- [ref]:\u200e\u00a0\u200b", True),
    ("[ref]\n- [ ] [ref]:\u00a0\ufeff\u00a0", True),
    ("[`Paginate`][\u00a0]\n```\n```\n[`Paginate`]:a", True),  # `[x][ ]` is `[x][]`
    ("\u200b~~-~~", True),  # strikethrough flanks as emphasis does
    ("~~[~~\u200e", True),
    ("~~`~~\u200d", True),
    ("- >1. \t**\n[r]:v.org", False),  # link-missing-scheme on lazy text
    ("b ~\u200b a~ c", True),  # one tilde strikes too (the fix check models it; the parser does not)
    # `_` before a soft hyphen closes nothing on GitHub (mistune lets it): removing the hyphen
    # makes emphasis, and with it an email autolink
    ("_e@.c_\xad", True),
    ("_ab_\u200b", True),
    # a bare task box leaves its item's first line blank: what follows a blank line is no part of it
    ("- [ ] \n\n    [f]:x.co", False),
    ("- [ ] \n\u200b\n\n    [f]:x.co", True),
    ("[ref]:[](v.org/)\n- |\n[ref]", False),  # `- |` is a list item, not a delimiter row
    ("|www.~~\u202e~~", True),  # `www.~~` is no link on GitHub, so its tildes strike
]


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("- [ ] \n\n    x", ["list", "list_item", "block_text", "block_code"]),
        ("- [ ] \nfoo", ["list", "list_item", "block_text", "paragraph"]),
        ("- [ ] \n  foo", ["list", "list_item", "block_text"]),
        ("- [ ]\n\n    x", ["list", "list_item", "paragraph", "paragraph"]),  # no task: no space after
        ("a\n- |\nb", ["paragraph", "list", "list_item", "block_text"]),
        ("a\n-|\nb", ["table", "table_head", "table_cell", "table_body", "table_row", "table_cell"]),
    ],
)
def test_task_boxes_and_list_items_make_the_blocks_github_renders(text: str, blocks: list[str]) -> None:
    assert [node.type for node in _nodes(Document("notes.md", text).root) if node.is_block][1:] == blocks


@pytest.mark.parametrize(("text", "unsafe"), FIXED_UNSEEN, ids=[repr(case[0]) for case in FIXED_UNSEEN])
def test_fixing_keeps_github_rendering(text: str, unsafe: bool) -> None:
    assert _rendering_changed(text, unsafe) is False


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("*ab*\u200b c\n", "*ab* c\n"),  # `*` closes whatever follows: the emphasis stays
        ("_ab_ \u200bc\n", "_ab_ c\n"),
        ("_ab_\u200b\n", "_ab_\u200b\n"),  # without it the `_` would close: rolled back
    ],
)
def test_an_invisible_character_next_to_emphasis_goes_where_github_renders_the_same(text: str, fixed: str) -> None:
    assert _fix(text, unsafe=True).stdin_output == fixed


def _inline_types(text: str) -> list[str]:
    return [node.type for node in _nodes(Document("notes.md", text).root) if not node.is_block and node.type != "text"]


@pytest.mark.parametrize(
    ("text", "types", "html"),
    [
        # `~~` opens and closes as `*` does: not before punctuation after a letter-like character.
        ("\u200b~~-~~\n", [], "<p>\u200b~~-~~</p>\n"),
        ("~~[~~\u200e\n", [], "<p>~~[~~\u200e</p>\n"),
        ("a ~~b~~ c\n", ["strikethrough"], "<p>a <del>b</del> c</p>\n"),
        # A blank second label is no label: `[a][ ]` is the collapsed `[a][]`, unlike `[a][<U+00A0>]`.
        ("[a][ ]\n\n[a]: x\n", ["link"], '<p><a href="x">a</a></p>\n'),
        ("[a][\u00a0]\n\n[a]: x\n", [], "<p>[a][\u00a0]</p>\n"),
        ("[ ](x)\n", ["link"], '<p><a href="x"> </a></p>\n'),
    ],
    ids=repr,
)
def test_inline_constructs_read_as_github_does(text: str, types: list[str], html: str) -> None:
    assert _inline_types(text) == types
    assert _github(text) == html


def test_definitions_are_registered_in_file_order() -> None:
    # The first definition of a label wins, wherever its container is parsed.
    document = Document("notes.md", "- [f]: first\n\n[f]: second\n\n[f]\n")
    definitions = [node for node in _nodes(document.root) if node.type == "link_definition"]
    assert [(node.attrs["destination"], node.attrs["duplicate"]) for node in definitions] == [
        ("first", False),
        ("second", True),
    ]
    links = [node for node in _nodes(document.root) if node.type == "link"]
    assert [link.attrs["url"] for link in links] == ["first"]
    assert '<a href="first">f</a>' in _github("- [f]: first\n\n[f]: second\n\n[f]\n")
