"""Property: on any input, every rule returns findings or a clean error, never an exception.

All rules run through the real engine (offline; link-dead's local file and fragment checks
included). Every finding must lie inside the file and point at text that exists, and a fix's
edits must stay inside the text. `HYPOTHESIS_PROFILE=deep pytest tests/test_hostile_input.py`
runs many more cases (see tests/conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mdlint.fixing.edits import apply_edits, fixable_edits
from mdlint.markdown.document import Document
from mdlint.run.runner import RunOptions, run
from mdlint.site.workspace import RunSettings
from mdlint.source.decoding import UnreadableFileError
from mdlint.testing import LintError, lint_text
from tests.hostile_strategies import as_file_bytes, document_from_bytes, finding_problems, markdown_documents, odd_text


def _examples(share: float) -> settings:
    """`share` of the active profile's example count (100 by default, more under `deep`)."""
    return settings(max_examples=max(1, int(settings().max_examples * share)))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a few real files, so local links sometimes resolve and sometimes do not."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "a.md").write_text("# Heading\n\ntext\n", encoding="utf-8")
    (root / "img.png").write_bytes(b"\x89PNG")
    (root / "_posts").mkdir()
    (root / "_posts" / "2020-01-01-a.md").write_text("---\ntitle: a\n---\n", encoding="utf-8")
    return root


def _lint_everything(document: Document) -> None:
    if "\x00" in document.text:
        # lint_text reads the text as the CLI reads a file: a NUL makes it binary, one clean error.
        with pytest.raises(LintError, match="binary file"):
            lint_text(document.text, path=document.path)
        return
    findings = lint_text(document.text, path=document.path)
    assert finding_problems(document, findings) == []
    # Applying every fix, unsafe ones included, must give text that lints again without error.
    outcome = apply_edits(document, fixable_edits(findings, unsafe=True))
    fixed = Document(document.path, outcome.text)
    assert finding_problems(fixed, lint_text(fixed.text, path=fixed.path)) == []


@_examples(5)
@given(odd_text())
@example("")
@example("\u00a0")
@example("\r")
@example("\r\n\r")
@example("\ufeff")
def test_arbitrary_text(folder: Path, text: str) -> None:
    _lint_everything(Document(str(folder / "doc.md"), text))


@_examples(7)
@given(
    markdown_documents(),
    st.sampled_from(["utf-8", "utf-8", "utf-16-le", "utf-32-be"]),
    st.booleans(),
)
# Cases the generator found, kept so they are tried first on every run.
@example("+++\r\ntitle = \r\n+++", "utf-8", False)  # finding ended between CR and LF
@example("---\ntitle: x\n\x1f\n...", "utf-8", False)  # two-line YAML reader message
def test_markdown_shaped_text(folder: Path, text: str, encoding: str, bom: bool) -> None:
    bom = bom or encoding != "utf-8"
    path = str(folder / "_posts" / "2020-01-02-doc.md")
    try:
        document = document_from_bytes(path, as_file_bytes(text, encoding, bom))
    except UnreadableFileError as error:
        # A NUL makes the file binary: a clean, one-line error is the right outcome.
        assert "\x00" in text and "\n" not in str(error)
        return
    _lint_everything(document)


@_examples(0.5)
@given(st.lists(markdown_documents(max_lines=8), min_size=1, max_size=3), st.booleans())
def test_the_runner_with_fixes_never_raises(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], bom: bool
) -> None:
    root = tmp_path_factory.mktemp("run")
    for index, text in enumerate(texts):
        (root / f"doc{index}.md").write_bytes(as_file_bytes(text, "utf-8", bom))
    result = run(RunOptions(paths=(str(root),), diff=True, unsafe_fixes=True, settings=RunSettings(offline=True)))
    for error in result.errors:
        assert "\n" not in error.message
    by_path = {str(root / f"doc{index}.md"): index for index in range(len(texts))}
    for finding in result.findings:
        index = by_path[finding.path]
        document = document_from_bytes(finding.path, as_file_bytes(texts[index], "utf-8", bom))
        assert finding_problems(document, [finding]) == []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("> > \t <span>", ["block_code"]),  # the tab spans columns 4-7: 5 columns of indent
        ("> \t <span>", ["block_html"]),  # here it spans 2-3: 3 columns, still HTML
        ("- > \t  code", ["block_code"]),
        (">\t<span>", ["block_html"]),
    ],
)
def test_a_tab_after_nested_quote_markers_counts_from_its_file_column(text: str, kinds: list[str]) -> None:
    # Found by tests/test_positions_property.py (present on the base commit): mistune expanded the
    # tab as if the inner `>` stood in column 0, and GitHub's indented code became an HTML block.
    document = Document("test.md", text)
    assert [node.type for node in document.root.walk("block_html", "block_code")] == kinds


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("```\n ", 4),
        ("> ```\n> ", 6),
        ("> ```\n>", 6),
        ("- ```\n  ", 6),
        ("> - ```\n>   ", 8),
        ("- ```\n  x", 9),
    ],
)
def test_an_unclosed_fence_leaves_out_a_last_line_of_spaces_without_a_line_break(text: str, end: int) -> None:
    # Found by tests/test_positions_property.py (present on the base commit): outside containers
    # the blank last line was left out, as markdown-it does; inside a quote or list item it was not.
    document = Document("test.md", text)
    assert [node.end for node in document.root.walk("block_code")] == [end]
