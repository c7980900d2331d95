"""link-local-path: machine paths in Markdown and HTML; repository paths stay clean."""

from __future__ import annotations

import pytest

from mdlint.testing import lint_text


@pytest.mark.parametrize(
    "destination",
    ["/Users/me/a.png", "/home/me/a.md", "~/notes/a.md", "C:\\Users\\me\\a.png", "d:/notes/a.png", "file:///tmp/a"],
)
def test_machine_paths(destination: str) -> None:
    (finding,) = lint_text(f"[x]({destination})\n", "link-local-path")
    assert repr(destination) in finding.message


@pytest.mark.parametrize("destination", ["/images/a.png", "../a.md", "a/Users/b.md", "https://example.com/home/x"])
def test_repository_paths_and_urls(destination: str) -> None:
    assert lint_text(f"[x]({destination})\n", "link-local-path") == []


def test_html_attributes() -> None:
    findings = lint_text('<img src="/Users/me/a.png" alt="a">\n<a href="file:///x">x</a>\n', "link-local-path")
    assert [(f.line, f.column) for f in findings] == [(1, 11), (2, 10)]
