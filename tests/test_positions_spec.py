"""Positions on every CommonMark 0.31.2 spec example, refereed by markdown-it-py's block maps.

For each example: every block node starts on the line markdown-it's `token.map` names (when
both parsers see the same block structure) and at the character that opens it; every link,
image, code span and inline HTML covers exactly its source text; all offsets round-trip
through line:column. Examples whose block structure differs from markdown-it (mistune is not
CommonMark everywhere) are counted, and the count may not grow.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import Node
from tests.position_invariants import (
    block_kinds,
    block_problems,
    commonmark_reference,
    end_line_problems,
    inline_problems,
    mdlint_blocks,
    position_problems,
    reference_blocks,
    reference_text,
    tree_problems,
)

SPEC_PATH = Path(__file__).parent / "data" / "commonmark-0.31.2.json"
EXAMPLES: list[dict[str, Any]] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))

# Examples where mistune's block structure (the sequence of block kinds) differs from
# CommonMark's, measured against markdown-it-py. Not position bugs: positions are checked on
# every other example. A new difference fails `test_structure_differences_do_not_grow`.
KNOWN_STRUCTURE_DIFFERENCES: frozenset[int] = frozenset()


def _example_id(example: dict[str, Any]) -> str:
    return f"example-{example['example']:03d}"


@cache
def _parsed(number: int) -> tuple[Document, Node]:
    example = EXAMPLES[number - 1]
    document = Document(f"example-{number}.md", example["markdown"])
    return document, document.root


def _structures_agree(number: int) -> bool:
    document, root = _parsed(number)
    ours = mdlint_blocks(document, root)
    theirs = reference_blocks(commonmark_reference(), reference_text(document))
    return block_kinds(ours) == block_kinds(theirs)


def test_all_examples_loaded() -> None:
    assert len(EXAMPLES) == 652
    assert [example["example"] for example in EXAMPLES] == list(range(1, 653))


@pytest.mark.parametrize("example", EXAMPLES, ids=_example_id)
def test_block_start_lines_match_markdown_it(example: dict[str, Any]) -> None:
    document, root = _parsed(example["example"])
    ours = mdlint_blocks(document, root)
    theirs = reference_blocks(commonmark_reference(), reference_text(document))
    if block_kinds(ours) != block_kinds(theirs):
        pytest.skip("block structure differs from CommonMark (counted in test_structure_differences)")
    assert block_problems(document, ours, theirs) == []
    assert end_line_problems(document, ours, theirs) == []


@pytest.mark.parametrize("example", EXAMPLES, ids=_example_id)
def test_inline_and_block_nodes_cover_their_source(example: dict[str, Any]) -> None:
    document, root = _parsed(example["example"])
    assert inline_problems(document, root) == []


@pytest.mark.parametrize("example", EXAMPLES, ids=_example_id)
def test_offsets_round_trip_and_nest(example: dict[str, Any]) -> None:
    document, root = _parsed(example["example"])
    assert position_problems(document, root) == []
    assert tree_problems(document, root) == []


def test_structure_differences_do_not_grow() -> None:
    differing = {example["example"] for example in EXAMPLES if not _structures_agree(example["example"])}
    new = sorted(differing - KNOWN_STRUCTURE_DIFFERENCES)
    assert not new, f"{len(differing)} examples differ in block structure; new: {new}"
    # A difference mistune no longer has must leave the list, or it could come back unnoticed.
    fixed = sorted(KNOWN_STRUCTURE_DIFFERENCES - differing)
    assert not fixed, f"these examples now agree; remove them from KNOWN_STRUCTURE_DIFFERENCES: {fixed}"
    # The line check only means something on examples where both parsers see blocks and agree:
    # agreeing on an empty block list (a reference that parsed nothing) would prove nothing.
    checked = [
        number
        for number in range(1, len(EXAMPLES) + 1)
        if number not in differing and reference_blocks(commonmark_reference(), reference_text(_parsed(number)[0]))
    ]
    assert len(checked) >= len(EXAMPLES) * 9 // 10, f"the line check runs on only {len(checked)} examples"


def test_the_checks_catch_misplaced_nodes() -> None:
    """The invariants are not vacuous: shifting one node by one character is caught."""
    text = "- [a](b) `c` <i>\n\n  # H\n"
    for node_type in ("link", "codespan", "inline_html", "heading", "list_item"):
        document = Document("x.md", text)
        root = document.root
        node = next(root.walk(node_type))
        node.start += 1
        ours = mdlint_blocks(document, root)
        theirs = reference_blocks(commonmark_reference(), reference_text(document))
        problems = inline_problems(document, root) + block_problems(document, ours, theirs)
        assert problems, node_type


def test_example_12_escaped_punctuation_text_spans_its_source() -> None:
    # Every character is a backslash escape: the text node's raw is half its source's length.
    _document, root = _parsed(12)
    texts = list(root.walk("text"))
    assert [(node.start, node.end) for node in texts] == [(0, 64)]
    assert texts[0].raw == "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


@pytest.mark.parametrize(
    ("markdown", "spans"),
    [
        # An escaped backslash is one character of text written as two.
        ("a \\\\ b &amp; c", [("a \\ b &amp; c", "a \\\\ b &amp; c")]),
        ("x \\* y", [("x ", "x "), ("*", "\\*"), (" y", " y")]),
        # Link text mixing an escape and a bare URL that keeps its backslash (one token in 3.4).
        ("[a]: /a\n\n[b\\[https://x.y\\[ c][a]", None),
    ],
)
def test_text_nodes_span_their_written_form(markdown: str, spans: list[tuple[str, str]] | None) -> None:
    document = Document("text.md", markdown)
    assert inline_problems(document, document.root) == []
    if spans is not None:
        texts = [(node.raw, document.text[node.start : node.end]) for node in document.root.walk("text")]
        assert "".join(raw for raw, _ in texts) == "".join(raw for raw, _ in spans)
        assert "".join(written for _, written in texts) == "".join(written for _, written in spans)
