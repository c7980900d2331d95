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

from bench.fuzz_bench import _rendering_changed
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
]


@pytest.mark.parametrize(("text", "unsafe"), FIXED_UNSEEN, ids=[repr(case[0]) for case in FIXED_UNSEEN])
def test_fixing_keeps_github_rendering(text: str, unsafe: bool) -> None:
    assert _rendering_changed(text, unsafe) is False
