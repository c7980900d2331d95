"""link-missing-scheme: which destinations are hosts, and the https:// fix."""

from __future__ import annotations

import pytest

from mdlint.links.urls import bare_host
from mdlint.testing import fix_text, lint_text


@pytest.mark.parametrize(
    ("destination", "host"),
    [
        ("arxiv.org/abs/2412.19437", "arxiv.org"),
        ("www.example.com", "www.example.com"),
        ("huggingface.co/papers/1?x=1", "huggingface.co"),
        ("blog.naver.com:8080/a", "blog.naver.com"),
        ("images/a.png", None),
        ("notes.md", None),
        ("diagram.png/", None),
        ("../a.html", None),
        ("/posts/2025/", None),
        ("#top", None),
        ("https://arxiv.org/abs/1", None),
        ("mailto:me@example.com", None),
    ],
)
def test_bare_host(destination: str, host: str | None) -> None:
    assert bare_host(destination) == host


def _fixed(text: str) -> str:
    return fix_text(text, "link-missing-scheme")


def test_fix_inserts_https_and_nothing_else() -> None:
    text = "- 📜 [p](arxiv.org/abs/1) and ![i](www.example.com/a.png)\n\n[ref]: github.com/org/repo\n"
    assert _fixed(text) == (
        "- 📜 [p](https://arxiv.org/abs/1) and ![i](https://www.example.com/a.png)\n\n"
        "[ref]: https://github.com/org/repo\n"
    )
    assert lint_text(_fixed(text), "link-missing-scheme") == []


def test_code_is_left_alone() -> None:
    assert lint_text("`[p](arxiv.org/abs/1)`\n\n    [p](arxiv.org/abs/1)\n", "link-missing-scheme") == []


def test_message_names_the_destination() -> None:
    (finding,) = lint_text("[p](arxiv.org/abs/1)\n", "link-missing-scheme")
    assert "'arxiv.org/abs/1'" in finding.message and "https://arxiv.org/abs/1" in finding.message
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (1, 1, 1, 21)


def test_no_fix_for_a_definition_github_reads_as_text() -> None:
    # `[r]:x.co/)` is no definition for GitHub (unbalanced `)`): `https://` would make an autolink.
    # The parser reads the line as text, as GitHub does: no link, no finding, no fix.
    assert lint_text("[r]:x.co/)\n", "link-missing-scheme") == []
    assert lint_text("[r]:x.co/)(\n", "link-missing-scheme") == []


def test_nothing_for_a_link_a_bare_url_takes_in() -> None:
    # GitHub's autolink runs past the no-break space (no whitespace to it): the link is part of
    # its destination, so there is no link to give a scheme.
    assert lint_text("word https://b.org/x\u00a0[paper](arxiv.org/abs/1)\n", "link-missing-scheme") == []
