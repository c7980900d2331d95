"""The extended-autolink model of the fix check agrees with cmark-gfm (GitHub's renderer)."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

import cmarkgfm
from cmarkgfm.cmark import Options
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mdlint.markdown.autolinks import autolinks_at, autolinks_of
from mdlint.markdown.document import Document

_ANCHOR = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)
# No `]` and no `>`: no link, image or HTML tag of the explicit kinds, so every anchor GitHub
# renders is an extended autolink.
_TOKENS = [
    "www.",
    "www.",
    "www",
    "w",
    "http://",
    "https://",
    "ftp://",
    "HTTP://",
    "xhttp://",
    "mailto:",
    "xmpp:",
    "a",
    "b",
    "example",
    "org",
    "com",
    "1",
    "é",
    ".",
    ".",
    ",",
    "_",
    "-",
    "@",
    "@",
    "(",
    ")",
    "*",
    "~",
    "?",
    "!",
    ":",
    ";",
    "&amp;",
    "&",
    "'",
    '"',
    "/",
    "/",
    "\\",
    "<",
    " ",
    " ",
    "\n",
    "\u200b",
    "\u00a0",
    "[",
    "![",
    "#",
    "+",
    "=",
]
_PREFIXES = ["", "", "", "- ", "> ", "# ", "1. ", "*", "_", "  - "]


@st.composite
def _paragraphs(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(st.sampled_from(_TOKENS), max_size=25))
    return draw(st.sampled_from(_PREFIXES)) + "".join(tokens) + "\n"


def _cmark_links(text: str) -> list[tuple[str, str]]:
    rendered = cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)
    return [
        (unquote(html.unescape(href)), html.unescape(re.sub(r"<[^>]*>", "", shown)))
        for href, shown in _ANCHOR.findall(rendered)
    ]


def _model_links(text: str) -> list[tuple[str, str]]:
    return [(link.url, link.text) for link in autolinks_of(Document("a.md", text))]


@settings(max_examples=3000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_paragraphs())
@example("www.example.org/b\u200bc\n")
@example("https://b.org/x\u200b\n")
@example("www.a.com/(x)).\n")
@example("x www.a.com&amp;x;\n")
@example("a.b-c@d.e.\n")
@example("mailto:a@b.co xmpp:a@b.co/r\n")
@example("[ www.a.com and a@b.co\n")
@example("www.a.com`x` y\n")
@example("*www.a.com* and a_b@c.com\n")
def test_the_autolink_model_finds_what_cmark_gfm_links(text: str) -> None:
    assert sorted(_model_links(text)) == sorted(_cmark_links(text))


def test_autolinks_at_a_link_are_those_of_its_block_only() -> None:
    text = "See www.a.org here.\n\n- www.b.org/x [p](c.org) me@d.org\n\n[r]: e.org\n"
    document = Document("a.md", text)
    link = document.nodes("link")[-1]
    assert [(found.url, found.text) for found in autolinks_at(document, link)] == [
        ("http://www.b.org/x", "www.b.org/x"),
        ("mailto:me@d.org", "me@d.org"),
    ]
    # A definition is in no paragraph: every autolink of the page is a candidate.
    definition = document.nodes("link_definition")[0]
    assert autolinks_at(document, definition) == autolinks_of(document)
    assert [found.url for found in autolinks_of(document)] == [
        "http://www.a.org",
        "http://www.b.org/x",
        "mailto:me@d.org",
    ]
