"""HTML-block structure is CommonMark's (markdown-it-py) and GitHub's (cmark-gfm via cmarkgfm).

Per spec example of the "HTML blocks" and "List items" sections and per corpus file, mdlint's
HTML blocks (start line, container path, raw lines) equal markdown-it's, and each line holding a
tag is raw HTML-block text exactly as often as in GitHub's rendering. Then focused cases with
exact line:column: the two mistune deviations mdlint corrects, CRLF, BOM, tabs, front matter,
nested containers and list items whose first line is empty.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mdlint.markdown.document import Document, read_document
from mdlint.markdown.syntax_tree import Node, NodeType
from tests.conftest import require_corpus
from tests.position_invariants import (
    cmark_html_line_counts,
    commonmark_reference,
    corpus_files,
    gfm_reference,
    github_html_differences,
    html_blocks,
    inline_problems,
    mdlint_blocks,
    position_problems,
    reference_blocks,
    reference_html_blocks,
    reference_text,
    tree_problems,
)

SPEC_PATH = Path(__file__).parent / "data" / "commonmark-0.31.2.json"
SECTIONS = ("HTML blocks", "List items")
EXAMPLES: list[dict[str, Any]] = [
    example for example in json.loads(SPEC_PATH.read_text(encoding="utf-8")) if example["section"] in SECTIONS
]
CORPUS, CORPUS_FILES = corpus_files()


def _example_id(example: dict[str, Any]) -> str:
    return f"example-{example['example']:03d}"


def _assert_github_agrees(document: Document) -> None:
    differences = github_html_differences(document)
    assert differences == {}, "line: (times in an mdlint HTML block, times a raw HTML line on GitHub)"


def test_sections_are_there() -> None:
    assert len(EXAMPLES) == 44 + 48


@pytest.mark.parametrize("example", EXAMPLES, ids=_example_id)
def test_spec_html_blocks_match_commonmark(example: dict[str, Any]) -> None:
    document = Document("example.md", example["markdown"])
    expected = reference_html_blocks(commonmark_reference(), reference_text(document))
    assert html_blocks(document, document.root) == expected


@pytest.mark.parametrize("example", EXAMPLES, ids=_example_id)
def test_spec_html_blocks_match_github(example: dict[str, Any]) -> None:
    _assert_github_agrees(Document("example.md", example["markdown"]))


# Without the corpus, one case stands in for it: it skips, or in CI fails (see require_corpus).
@pytest.mark.parametrize(
    "path", CORPUS_FILES or [None], ids=lambda path: path.relative_to(CORPUS).as_posix() if path else "no-corpus"
)
def test_corpus_html_blocks_match_commonmark_and_github(path: Path | None) -> None:
    if path is None:
        require_corpus()
        pytest.fail(f"{CORPUS} holds no Markdown files")
    document = read_document(path)
    expected = reference_html_blocks(gfm_reference(), reference_text(document))
    assert html_blocks(document, document.root) == expected
    _assert_github_agrees(document)


# --- focused cases ---------------------------------------------------------------------------


def _parse(text: str) -> tuple[Document, Node]:
    document = Document("case.md", text)
    root = document.root
    assert position_problems(document, root) == []
    assert tree_problems(document, root) == []
    assert inline_problems(document, root) == []
    return document, root


def _where(document: Document, root: Node, node_type: NodeType) -> list[tuple[int, int]]:
    return [document.position(node.start) for node in root.walk(node_type)]


def _path(node: Node) -> tuple[str, ...]:
    return tuple(reversed([a.type for a in node.ancestors() if a.type != "document"]))


def test_closing_details_after_list_item_starts_html_block() -> None:
    text = "<details>\n<summary>Week 1</summary>\n\n- item one\n</details>\n"
    document, root = _parse(text)
    blocks = list(root.walk("block_html"))
    assert [document.position(b.start) for b in blocks] == [(1, 1), (5, 1)]
    assert blocks[1].raw.rstrip("\n") == "</details>"
    assert _path(blocks[1]) == ()
    assert _where(document, root, "list_item") == [(4, 1)]
    assert document.position(next(root.walk("list_item")).end) == (4, 11)
    _assert_github_agrees(document)


def test_div_after_nested_list_item_starts_html_block() -> None:
    text = "- a\n  - b\n<div>\nfoo\n</div>\n"
    document, root = _parse(text)
    (block,) = root.walk("block_html")
    assert document.position(block.start) == (3, 1)
    assert document.position(block.end) == (5, 7)
    assert _path(block) == ()
    _assert_github_agrees(document)


def test_closing_details_indented_into_list_item_belongs_to_it() -> None:
    text = "- a\n  - b\n  </details>\n"
    document, root = _parse(text)
    (block,) = root.walk("block_html")
    assert document.position(block.start) == (3, 3)
    assert _path(block) == ("list", "list_item")
    _assert_github_agrees(document)


def test_tag_name_with_attributes_after_list_item_is_lazy_text_on_neither_side() -> None:
    # `<details open>` can start a type-6 block too; only `<span>` (type 7) cannot interrupt.
    text = "- item\n<span>lazy</span>\n"
    document, root = _parse(text)
    assert list(root.walk("block_html")) == []
    assert _where(document, root, "inline_html") == [(2, 1), (2, 11)]
    _assert_github_agrees(document)


def test_self_closing_tag_alone_is_html_block() -> None:
    text = 'Intro\n\n<img src="a.png" width="450"/>\n'
    document, root = _parse(text)
    (block,) = root.walk("block_html")
    assert document.position(block.start) == (3, 1)
    assert block.raw.rstrip("\n") == '<img src="a.png" width="450"/>'
    assert list(root.walk("inline_html")) == []
    _assert_github_agrees(document)


def test_self_closing_tag_block_swallows_following_markdown() -> None:
    text = '- text\n\n  <img src="a.png" width="450"/>\n  more **text**\n'
    document, root = _parse(text)
    (block,) = root.walk("block_html")
    assert document.position(block.start) == (3, 3)
    assert document.position(block.end) == (4, 16)
    assert _path(block) == ("list", "list_item")
    assert list(root.walk("strong")) == []
    _assert_github_agrees(document)


def test_self_closing_tag_cannot_interrupt_paragraph() -> None:
    text = 'text\n<img src="a.png"/>\n'
    document, root = _parse(text)
    assert list(root.walk("block_html")) == []
    assert _where(document, root, "inline_html") == [(2, 1)]
    _assert_github_agrees(document)


def test_crlf_positions() -> None:
    text = "# Title\r\n\r\n- [a](http://x)\r\n  `code`\r\n  </details>\r\n"
    document, root = _parse(text)
    assert _where(document, root, "heading") == [(1, 1)]
    assert _where(document, root, "link") == [(3, 3)]
    assert _where(document, root, "codespan") == [(4, 3)]
    (block,) = root.walk("block_html")
    assert document.position(block.start) == (5, 3)
    assert document.text[block.start : block.end] == "</details>"
    _assert_github_agrees(document)


def test_bom_and_front_matter_positions(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    body = "---\r\ntitle: x\r\n---\r\n# H\r\n<div>\r\n[l](u) `c`\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    document = read_document(path)
    root = document.root
    assert document.bom and document.text == body
    assert position_problems(document, root) == []
    assert all(node.start >= document.body_start for node in root.walk() if node.type != "document")
    assert _where(document, root, "heading") == [(4, 1)]
    (block,) = root.walk("block_html")
    assert document.position(block.start) == (5, 1)
    assert document.text[block.start : block.end].splitlines() == ["<div>", "[l](u) `c`"]
    assert list(root.walk("link")) == []


def test_front_matter_is_not_a_thematic_break_or_heading() -> None:
    text = "---\ntitle: a\n---\n\n- <b>x</b>\n"
    document, root = _parse(text)
    assert list(root.walk("thematic_break", "heading")) == []
    assert _where(document, root, "list_item") == [(5, 1)]
    assert _where(document, root, "inline_html") == [(5, 3), (5, 7)]


def test_tab_positions() -> None:
    text = "-\tfoo\n\n\tbar\n>\t`x`\n"
    document, root = _parse(text)
    assert _where(document, root, "list_item") == [(1, 1)]
    assert _where(document, root, "paragraph") == [(1, 3), (3, 2), (4, 3)]
    assert _where(document, root, "codespan") == [(4, 3)]


def test_tab_indented_html_block_in_list_item() -> None:
    text = "- a\n\n\t<div>\n\t</div>\n"
    document, root = _parse(text)
    (block,) = root.walk("block_html")
    assert document.position(block.start) == (3, 2)
    assert _path(block) == ("list", "list_item")
    _assert_github_agrees(document)


def test_nested_quotes_and_lists() -> None:
    text = "> - a\n>   > [l](u)\n>   > <b>x</b>\n>   > <div>\n"
    document, root = _parse(text)
    assert _where(document, root, "list_item") == [(1, 3)]
    assert _where(document, root, "block_quote") == [(1, 1), (2, 5)]
    assert _where(document, root, "link") == [(2, 7)]
    assert _where(document, root, "inline_html") == [(3, 7), (3, 11)]
    (block,) = root.walk("block_html")
    assert document.position(block.start) == (4, 7)
    assert _path(block) == ("block_quote", "list", "list_item", "block_quote")
    _assert_github_agrees(document)


def test_ordered_list_in_quote_in_list() -> None:
    text = "1. x\n   > 2) [a](b)\n   >    ![i](p.png)\n"
    document, root = _parse(text)
    assert _where(document, root, "list_item") == [(1, 1), (2, 6)]
    assert _where(document, root, "link") == [(2, 9)]
    assert _where(document, root, "image") == [(3, 9)]


def test_list_items_whose_first_line_is_empty() -> None:
    text = "-\n  foo [x](y)\n-\n  ```\n  code\n  ```\n-\n  <details>\n"
    document, root = _parse(text)
    assert _where(document, root, "list_item") == [(1, 1), (3, 1), (7, 1)]
    assert _where(document, root, "block_text") == [(2, 3)]
    assert _where(document, root, "link") == [(2, 7)]
    assert _where(document, root, "block_code") == [(4, 3)]
    (block,) = root.walk("block_html")
    assert document.position(block.start) == (8, 3)
    _assert_github_agrees(document)


def test_cjk_and_emoji_columns_count_code_points() -> None:
    text = "- 한국어 [링크](http://x) 😀 `c` <kbd>K</kbd>\n"
    document, root = _parse(text)
    assert _where(document, root, "link") == [(1, 7)]
    assert _where(document, root, "codespan") == [(1, 24)]
    assert _where(document, root, "inline_html") == [(1, 28), (1, 34)]


# --- the referees themselves -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "times"),
    [
        ("- item\n</details>\n", "</details>", 1),  # type 6 interrupts the lazy continuation
        ("- item\n<span>lazy</span>\n", "<span>lazy</span>", 0),  # type 7 cannot
        ('<img src="a.png" width="450"/>\n', '<img src="a.png" width="450"/>', 1),
        ('text\n<img src="a.png"/>\n', '<img src="a.png"/>', 0),
        ("- a\n\n  <details>\n  <summary>S</summary>\n", "<summary>S</summary>", 1),
        ("a <b>\n<i>\nc\n", "<i>", 0),  # soft breaks are spaces, so inline HTML never fills a line
    ],
)
def test_github_referee_tells_html_blocks_from_inline_html(text: str, line: str, times: int) -> None:
    assert cmark_html_line_counts(text, {line})[line] == times


# --- found by the property tests ---------------------------------------------------------------


def _reference_structure(document: Document) -> list[tuple[str, int, tuple[str, ...]]]:
    return [(b.kind, b.line, b.path) for b in reference_blocks(gfm_reference(), reference_text(document))]


def _structure(document: Document) -> list[tuple[str, int, tuple[str, ...]]]:
    return [(b.kind, b.line, b.path) for b in mdlint_blocks(document, document.root)]


@pytest.mark.parametrize(
    "text",
    ["- <details>\ntext\n", "> <div>\ntext\n", "- a\n\n  <div>\n**text**\n"],
    ids=["list-item", "block-quote", "loose-list-item"],
)
def test_html_block_in_container_has_no_lazy_continuation(text: str) -> None:
    """CommonMark has lazy lines only for paragraphs: an unindented line ends the container."""
    document = Document("case.md", text)
    root = document.root
    (block,) = root.walk("block_html")
    assert document.text[block.start : block.end] in ("<details>", "<div>")
    last = document.lines.index(text.splitlines()[-1]) + 1
    assert (last, 1) in [document.position(p.start) for p in root.walk("paragraph") if _path(p) == ()]
    assert _structure(document) == _reference_structure(document)
    _assert_github_agrees(document)


@pytest.mark.parametrize(
    ("text", "kind"),
    [('-\n<img src="a.png"/>\n', "block_html"), ("- \nword\n", "paragraph")],
    ids=["html", "paragraph"],
)
def test_unindented_line_after_empty_list_item_is_not_in_it(text: str, kind: str) -> None:
    """An item that starts empty holds only indented lines (there is no paragraph to be lazy in)."""
    document = Document("case.md", text)
    nodes = [n for n in document.root.walk("block_html", "paragraph", "block_text")]
    assert [(document.position(n.start), _path(n)) for n in nodes] == [((2, 1), ())]
    assert _structure(document) == _reference_structure(document)
    _assert_github_agrees(document)


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("> a\n- \n> b\n", [(2, 1)]),
        ("> word\n   - \n# \n", [(2, 4)]),
        ("> a\n- \n\n- \n# \n", [(2, 1), (4, 1)]),
    ],
)
def test_empty_list_item_after_block_quote(text: str, items: list[tuple[int, int]]) -> None:
    """mistune emits such a list before the quote above it; positions must still be in order."""
    document = Document("case.md", text)
    root = document.root
    assert position_problems(document, root) == []
    assert tree_problems(document, root) == []
    assert inline_problems(document, root) == []
    assert _where(document, root, "list_item") == items
    assert _structure(document) == _reference_structure(document)


def test_tab_after_list_marker_sets_content_column_four() -> None:
    """`-\\t` puts the item's content at column 5, so a 2-space `</details>` is outside the item."""
    text = "-\tfoo\n  </details>\n"
    document = Document("case.md", text)
    (block,) = document.root.walk("block_html")
    assert document.position(block.start) == (2, 3)
    assert _path(block) == ()
    assert _structure(document) == _reference_structure(document)
    _assert_github_agrees(document)


def test_line_after_heading_in_quote_is_not_lazy() -> None:
    """Only paragraphs continue lazily; after a heading an unquoted line leaves the quote."""
    text = "> # Title\ntext\n"
    document = Document("case.md", text)
    (paragraph,) = document.root.walk("paragraph")
    assert document.position(paragraph.start) == (2, 1)
    assert _path(paragraph) == ()
    assert _structure(document) == _reference_structure(document)


def test_table_row_without_trailing_pipe() -> None:
    text = "| a | b\n|---|---\n| c | d\n"
    document, root = _parse(text)
    cells = [document.text[c.start : c.end] for c in root.walk("table_cell")]
    assert cells == ["a", "b", "c", "d"]
