"""What the speed of a run relies on: trees free by reference counting, lean start-up imports."""

from __future__ import annotations

import gc
import pickle
import subprocess
import sys
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from mdlint.findings import Finding, Fix, Severity
from mdlint.links.urls import ClassifiedDestination
from mdlint.markdown.document import Document, read_document

ROOT = Path(__file__).resolve().parents[1]

# Lists, a lazy continuation (the parser re-parses the lazy line on its own), block quotes,
# HTML blocks, a table, links of every form and emphasis: every path of the tree builder.
_BUSY_DOCUMENT = """\
# Title

- item with [a link](https://example.com "title") and *emphasis*
lazy continuation line
  - nested item with `code`
    > quote inside
1. ordered
2) other

> quote
continued lazily

<details>
<summary>More</summary>

| a | b |
| - | - |
| [ref][label] | ![alt](pic.png) |

</details>

[label]: https://example.org
[label]: https://example.net

```python
print("fenced")
```

    indented code

Text  \r\nwith a hard break and a <span>tag</span>.
"""


@pytest.fixture
def no_automatic_collection() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.usefixtures("no_automatic_collection")
def test_a_parsed_tree_is_freed_by_reference_counting() -> None:
    document = Document("busy.md", _BUSY_DOCUMENT)
    root = document.root
    kinds = {node.type for node in root.walk()}
    assert {"list_item", "block_quote", "block_html", "table_cell", "link", "image", "link_definition"} <= kinds
    alive = weakref.ref(root)
    del root, document
    assert alive() is None
    # Nothing else the parse made (its tokens and states) waits for the cyclic collector.
    assert gc.collect() == 0


def test_a_node_finds_its_parent_while_the_tree_lives() -> None:
    document = Document("busy.md", _BUSY_DOCUMENT)
    nested = next(node for node in document.root.walk("list") if node.attrs.get("depth") == 1)
    assert [node.type for node in nested.ancestors()] == ["list_item", "list", "document"]
    assert document.root.parent is None


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has imported after running `code`."""
    done = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(done.stdout.split())


_HEAVY = {"pydantic", "yaml", "xml.etree.ElementTree", "importlib.metadata", "mistune", "mdlint.rule_engine.rule"}


@pytest.mark.parametrize("flag", ["--version", "--help", "--list-rules"])
def test_version_help_and_list_rules_import_nothing_of_the_linter(flag: str) -> None:
    code = (
        "import contextlib, io\nfrom mdlint.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n    main([{flag!r}])"
    )
    assert _modules_after(code) & _HEAVY == set()


def test_an_offline_text_run_without_front_matter_imports_no_yaml_xml_sqlite_or_baseline(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("# Note\n\nSome text.\n", encoding="utf-8")
    code = (
        "import contextlib, io\nfrom mdlint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['--offline', '--no-cache', {str(note)!r}]) == 0"
    )
    modules = _modules_after(code)
    assert "mistune" in modules
    assert (
        modules & {"yaml", "xml.etree.ElementTree", "sqlite3", "mdlint.run.baseline", "mdlint.reporters.junit_report"}
        == set()
    )


@pytest.mark.parametrize(
    "finding",
    [
        Finding("a.md", 1, 2, 1, 5, "rule-name", "MDL001", Severity.WARNING, "message"),
        Finding("a.md", 3, 1, 3, 2, "rule-name", "MDL001", Severity.ERROR, "fixable", Fix.replace(4, 5, "x", "unsafe")),
        Finding("a.md", 3, 1, 3, 2, "link-dead", "MDL040", Severity.ERROR, "dead", None, {"class": "http-404"}),
    ],
)
def test_findings_survive_the_compact_pickle_of_the_result_cache(finding: Finding) -> None:
    loaded = pickle.loads(pickle.dumps(finding, pickle.HIGHEST_PROTOCOL))
    assert loaded == finding
    assert loaded.fix == finding.fix
    assert loaded.extra == finding.extra


def test_classified_destinations_survive_the_compact_pickle() -> None:
    destination = ClassifiedDestination("ref", "", "docs/page.md", "part", True, "de")
    assert pickle.loads(pickle.dumps(destination, pickle.HIGHEST_PROTOCOL)) == destination


def test_the_result_cache_key_covers_every_module_of_mdlint() -> None:
    import mdlint
    from mdlint.run import result_cache

    # An edited rule (in an editable install) must not be answered from the cache.
    assert Path(mdlint.__file__).resolve().parent == result_cache._PACKAGE


def test_a_released_document_reads_its_file_again_when_its_text_is_needed(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("# Note\r\n\r\nText.\r\n", encoding="utf-8")
    document = read_document(note)
    digest = document.digest
    document.release(note)
    assert document.lines == ["# Note", "", "Text.", ""]
    assert document.text == "# Note\r\n\r\nText.\r\n"
    assert document.digest == digest


def test_a_released_document_changed_on_disk_has_the_digest_of_what_was_read(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("# Before\n", encoding="utf-8")
    document = read_document(note)
    before = document.digest
    document.release(note)
    note.write_text("# After\n", encoding="utf-8")
    assert document.text == "# After\n"
    assert document.digest != before
    assert document.digest == Document("other.md", "# After\n").digest


def test_a_released_document_whose_file_is_gone_has_no_text(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("# Note\n", encoding="utf-8")
    document = read_document(note)
    document.release(note)
    note.unlink()
    assert document.text == ""
