"""Positions on every file of the shared corpus (`../shared/corpus/**`), the users' own documents.

Same invariants as on the spec examples: the block structure is markdown-it-py's (CommonMark +
GFM tables), every block starts on markdown-it's line and at its opening character, every link,
image, code span and inline HTML node covers exactly its source text, and offsets round-trip.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from mdlint.markdown.document import Document, read_document
from mdlint.markdown.syntax_tree import Node, NodeType
from tests.conftest import require_corpus
from tests.position_invariants import (
    block_kinds,
    block_problems,
    corpus_files,
    end_line_problems,
    first_divergence,
    gfm_reference,
    inline_problems,
    mdlint_blocks,
    position_problems,
    reference_blocks,
    reference_text,
    tree_problems,
)

CORPUS, FILES = corpus_files()
if not FILES:
    require_corpus()

STUDY_ARCHIVE = CORPUS / "study-archive" / "README.md"


def _file_id(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


@cache
def _parsed(path: Path) -> tuple[Document, Node]:
    document = read_document(path)
    return document, document.root


def test_corpus_is_there() -> None:
    assert len(FILES) > 1000
    assert STUDY_ARCHIVE in FILES


@pytest.mark.parametrize("path", FILES, ids=_file_id)
def test_block_structure_and_lines_match_markdown_it(path: Path) -> None:
    document, root = _parsed(path)
    ours = mdlint_blocks(document, root)
    theirs = reference_blocks(gfm_reference(), reference_text(document))
    assert block_kinds(ours) == block_kinds(theirs), first_divergence(ours, theirs)
    assert block_problems(document, ours, theirs) == []
    assert end_line_problems(document, ours, theirs) == []


@pytest.mark.parametrize("path", FILES, ids=_file_id)
def test_nodes_cover_their_source_and_offsets_round_trip(path: Path) -> None:
    document, root = _parsed(path)
    assert inline_problems(document, root) == []
    assert position_problems(document, root) == []
    assert tree_problems(document, root) == []


def _node_at(document: Document, root: Node, node_type: NodeType, line: int, column: int) -> Node:
    offset = document.offset(line, column)
    found = [node for node in root.walk(node_type) if node.start == offset]
    assert len(found) == 1, f"no single {node_type} at {line}:{column}"
    return found[0]


def test_study_archive_doubled_o3_url() -> None:
    document, root = _parsed(STUDY_ARCHIVE)
    link = _node_at(document, root, "link", 628, 16)
    destination = link.attrs["destination"]
    assert destination.startswith("https://www.youtube.com/watch?v=SKBG1sqdyIU")
    assert "](https://arcprize.org" in destination
    assert document.text[link.attrs["destination_start"] : link.attrs["destination_end"]] == destination
    assert document.position(link.attrs["destination_start"]) == (
        628,
        16 + len("[OpenAI o3 Breakthrough High Score on ARC-AGI-Pub]("),
    )
    assert document.text[link.start : link.end].endswith("oai-o3-pub-breakthrough))")


def test_study_archive_scheme_less_arxiv_link() -> None:
    document, root = _parsed(STUDY_ARCHIVE)
    link = _node_at(document, root, "link", 157, 23)
    assert link.attrs["destination"] == "arxiv.org/abs/2412.19437"
    assert document.text[link.start : link.end] == "[DeepSeek-V3 Technical Report](arxiv.org/abs/2412.19437)"
    assert document.position(link.attrs["destination_start"]) == (157, 54)


def test_study_archive_details_blocks_are_html_blocks() -> None:
    """Every `<details>`/`</details>` line of the archive is found, where it is, as raw HTML."""
    document, root = _parsed(STUDY_ARCHIVE)
    openers = [i + 1 for i, line in enumerate(document.lines) if line.strip().startswith("<details")]
    closers = [i + 1 for i, line in enumerate(document.lines) if line.strip() == "</details>"]
    assert len(openers) == len(closers) == 50
    html_lines: set[int] = set()
    for node in root.walk("block_html", "inline_html"):
        first, last = document.position(node.start)[0], document.position(max(node.start, node.end - 1))[0]
        html_lines.update(range(first, last + 1))
    assert set(openers) <= html_lines
    assert set(closers) <= html_lines
