"""Pathological inputs (bench/pathological_bench.py) and known crashers of other linters.

Each input gives findings or a clean error line, never an exception; no test here measures time.
The bench inputs run at a small scale so the suite stays quick; `python -m bench.pathological_bench`
times them at full size.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.pathological_bench import PATHOLOGICAL, Pathological
from mdlint.cli import main
from mdlint.markdown.document import Document
from mdlint.rule_engine.engine import lint_document
from mdlint.testing import lint_text
from tests.hostile_strategies import finding_problems


@pytest.mark.parametrize("case", PATHOLOGICAL, ids=[case.name for case in PATHOLOGICAL])
def test_each_pathological_input_lints_at_small_scale(case: Pathological) -> None:
    text = case.build(0.02)
    findings = lint_text(text)
    assert finding_problems(Document("test.md", text), findings) == []


@pytest.mark.parametrize(
    "text",
    [
        ">" * 5_000 + " deep\n",
        "> " * 5_000 + "deep\n",
        "- " * 5_000 + "deep\n",
        "1. " * 5_000 + "deep\n",
        "".join(("> " if level % 2 else "- ") for level in range(5_000)) + "deep\n",
        "![" * 5_000 + "x" + "](y)" * 5_000,
        "<details>" * 5_000 + "</details>" * 5_000,
    ],
    ids=["quote markers", "spaced quotes", "bullets", "ordered", "quotes and bullets", "images", "details"],
)
def test_5000_deep_nesting_does_not_recurse(text: str) -> None:
    # mistune stops nesting blocks at a fixed depth and reads the rest as text, so there is no
    # RecursionError to catch; the runner still turns one into an error line (next test).
    findings = lint_text(text)
    assert finding_problems(Document("test.md", text), findings) == []


def test_a_recursion_error_is_one_line_and_the_other_files_are_linted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_lint = lint_document

    def check_or_recurse(document: Document, *args: object, **kwargs: object) -> object:
        if "RECURSE" in document.text:
            raise RecursionError("maximum recursion depth exceeded")
        return real_lint(document, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("mdlint.run.runner.lint_document", check_or_recurse)
    (tmp_path / "a.md").write_text("[x](arxiv.org/abs/1)\n", encoding="utf-8")
    (tmp_path / "deep.md").write_text("RECURSE\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["--select", "MDL004", "."]) == 2
    output = capsys.readouterr()
    assert output.err == "deep.md: error: nesting too deep to parse\n"
    assert output.out.startswith("a.md:1:1: error MDL004 link-missing-scheme ")


def test_a_file_over_the_size_cap_is_one_line_and_the_others_are_linted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.md").write_text("[x](arxiv.org/abs/1)\n", encoding="utf-8")
    (tmp_path / "giant.md").write_text("[y](arxiv.org/abs/2)\n" + "word " * 300_000, encoding="utf-8")
    (tmp_path / "z.md").write_text("\n[z](arxiv.org/abs/3)\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["--select", "MDL004", "--max-file-size", "1000000", "."]) == 2
    output = capsys.readouterr()
    assert output.err == "giant.md: error: file is 1.4 MiB, over the 0.953674 MiB limit (option max-file-size)\n"
    assert [line.split(" ")[0] for line in output.out.splitlines()[:-1]] == ["a.md:1:1:", "z.md:2:1:"]
    (tmp_path / ".mdlint.toml").write_text("max-file-size = 2000\n", encoding="utf-8")
    assert main(["--select", "MDL004", "."]) == 2
    assert capsys.readouterr().err.startswith("giant.md: error: file is 1.4 MiB, over the 0.0019")


def test_tags_after_a_run_of_unclosed_tags_are_still_found() -> None:
    # The tag pattern used to scan to the end of the block from every `<a`: quadratic.
    text = "<div>\n" + "<a " * 2_000 + '<a href="/Users/me/x.md">x</a>\n</div>\n'
    assert [(f.line, f.column, f.rule) for f in lint_text(text, "link-local-path")] == [(2, 6010, "link-local-path")]


# pymarkdownlnt raises on this list: an HTML block inside a list item with deeper items after
# a blank line. GitHub renders a, b, then the <details> block holding the c and e items.
_DETAILS_IN_LIST = "- a\n  - b\n    <details>\n\n      - c\n        - e\n    </details>\n"


def test_pymarkdown_crasher_details_in_a_nested_list() -> None:
    document = Document("test.md", _DETAILS_IN_LIST)
    assert [(node.type, document.position(node.start)) for node in document.root.walk("list_item", "block_html")] == [
        ("list_item", (1, 1)),
        ("list_item", (2, 3)),
        ("block_html", (3, 5)),
        ("list_item", (5, 7)),
        ("list_item", (6, 9)),
        ("block_html", (7, 5)),
    ]
    assert [(f.line, f.column, f.rule) for f in lint_text(_DETAILS_IN_LIST)] == []


def test_pymarkdown_crasher_no_break_spaces() -> None:
    text = "#\u00a0Title\n\nword\u00a0word and\u00a0\n\u00a0- item\n"
    findings = lint_text(text)
    assert [
        (f.line, f.column, f.end_line, f.end_column, f.rule, f.fix.applicability if f.fix else None) for f in findings
    ] == [
        # A plain space would make a heading of this paragraph.
        (1, 2, 1, 3, "text-invisible-char", "unsafe"),
        (3, 5, 3, 6, "text-invisible-char", "safe"),
        (3, 14, 3, 15, "text-invisible-char", "unsafe"),
        (4, 1, 4, 2, "text-invisible-char", "unsafe"),
    ]
