"""link-duplicate: normalisation, what an entry's link is, messages, options, generator sites."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mdlint.links.resources import resource_key
from mdlint.links.urls import normalise_url
from mdlint.testing import lint_text

RULE = "link-duplicate"


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("HTTPS://ArXiv.ORG:443/abs/1#sec", "https://arxiv.org/abs/1"),
        ("http://example.org:80", "http://example.org/"),
        ("http://example.org:8080/A?b=C", "http://example.org:8080/A?b=C"),
        ("mailto:a@b.c", None),
        ("/local/path", None),
        ("https://[::1", None),
    ],
)
def test_normalise(url: str, normalised: str | None) -> None:
    assert normalise_url(url) == normalised


def _found(
    text: str, path: str = "test.md", options: dict[str, dict[str, Any]] | None = None
) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.message) for f in lint_text(text, RULE, path=path, options=options)]


def test_message_names_the_first_line() -> None:
    text = "- [a](https://arxiv.org/abs/1)\n- [b](https://arxiv.org/abs/1)\n- [c](https://arxiv.org/abs/1#x)\n"
    findings = lint_text(text, RULE)
    assert [(f.line, f.column, f.end_column) for f in findings] == [(2, 3, 31), (3, 3, 33)]
    assert findings[0].message == "https://arxiv.org/abs/1 is already linked from another entry at line 1"
    assert findings[0].extra == {"first_line": 1, "url": "https://arxiv.org/abs/1"}


def test_sub_items_belong_to_their_entry() -> None:
    text = "- [repo](https://github.com/o/r)\n  - [Github](https://github.com/o/r)\n- [other](https://x.org)\n"
    assert _found(text) == []


def test_sub_items_of_a_heading_item_are_entries() -> None:
    text = "- Papers\n  - [A](https://arxiv.org/abs/1)\n- Posts\n  - [A again](https://arxiv.org/abs/1)\n"
    assert _found(text) == [(4, 5, "https://arxiv.org/abs/1 is already linked from another entry at line 2")]


@pytest.mark.parametrize(
    "lead",
    [
        "🧑🏻\u200d💻 [ollama] ",
        "📜 [NVIDIA, HuggingFace] ",
        "**",
        "[ ] ",
        "⭐ — ",
        '<img src="icon.png"/> ',
        "![](i.png) ",
    ],
)
def test_decoration_before_the_link_keeps_it_the_entry_link(lead: str) -> None:
    close = "**" if lead == "**" else ""
    text = f"- {lead}[A]({'https://a.dev/x'}){close}\n- [A](https://a.dev/x)\n"
    assert _found(text) == [(2, 3, "https://a.dev/x is already linked from another entry at line 1")]


@pytest.mark.parametrize(
    "text",
    [
        # Cited again in running prose.
        "Jekyll uses [Liquid](https://shopify.github.io/liquid/).\n\n"
        "Read the [Liquid docs](https://shopify.github.io/liquid/).\n",
        # A description mentioning another entry.
        "- [A](https://a.dev/) is inspired by [B](https://b.dev/)\n- [B](https://b.dev/): the original\n",
        "- [A](https://a.dev/): a fork of **B** ([repo](https://b.dev/))\n- [B](https://b.dev/)\n",
        # Words before the link: it is in a sentence, even in a list item.
        "- Comment on [open issues](https://x.dev/issues).\n- Find an [open issue](https://x.dev/issues).\n",
        # An emphasised note is not a title.
        "*Note: read the [guide](https://g.dev/) first.*\n\n*Note: read the [guide](https://g.dev/) again.*\n",
        # A later column of a table.
        "| a | b |\n| - | - |\n"
        "| [x](https://x.dev/) | [m](https://m.dev/) |\n"
        "| [y](https://y.dev/) | [m](https://m.dev/) |\n",
        # Reference links reuse one definition on purpose.
        "- [a][r]\n- [b][r]\n\n[r]: https://r.dev/\n",
    ],
)
def test_links_that_are_not_entries(text: str) -> None:
    assert _found(text) == []


def test_a_link_cited_after_an_emphasised_name_is_the_entry_link() -> None:
    text = (
        "**Scaling( [paper](https://arxiv.org/abs/2) )**: Meta's study.\n\n"
        "Domingos proposes **Tensor Logic** ([paper](https://arxiv.org/abs/2)).\n"
    )
    assert _found(text) == [(3, 37, "https://arxiv.org/abs/2 is already linked from another entry at line 1")]


@pytest.mark.parametrize(
    "host",
    [
        "example.com",
        "www.example.org",
        "docs.example.net",
        "localhost:1313",
        "127.0.0.1",
        "[::1]:8080",
        "a.test",
        "b.example",
        "c.invalid",
        "d.localhost",
    ],
)
def test_placeholder_hosts(host: str) -> None:
    assert _found(f"- [a](http://{host}/)\n- [b](http://{host}/)\n") == []


def test_ignore_hosts() -> None:
    text = "[a](https://medium.com/)\n\n[b](https://sub.medium.com/)\n\n[c](https://sub.medium.com/)\n"
    assert _found(text, options={RULE: {"ignore-hosts": ["medium.com"]}}) == []
    assert _found(text) == [(5, 1, "https://sub.medium.com/ is already linked from another entry at line 3")]


def test_hugo_shortcode_arguments_are_not_links(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text("baseURL = 'https://gohugo.io/'\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    text = '- [Hugo](https://gohugo.io/)\n- {{< qr text="https://gohugo.io/" >}}\n- [Hugo again](https://gohugo.io/)\n'
    path = str(tmp_path / "content" / "page.md")
    assert _found(text, path=path) == [(3, 3, "https://gohugo.io/ is already linked from another entry at line 1")]


def test_liquid_destinations_are_not_compared(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("repository: jekyll/jekyll\n", encoding="utf-8")
    text = "---\ntitle: x\n---\n- [#1]({{ site.repository }}/issues/1)\n- [#1]({{ site.repository }}/issues/1)\n"
    assert _found(text, path=str(tmp_path / "page.md")) == []


def test_a_shortcode_before_the_link_decorates_it(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text("baseURL = 'https://gohugo.io/'\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    text = '- {{< icon "github" >}} [repo](https://github.com/o/r)\n- [repo](https://github.com/o/r)\n'
    expected = [(2, 3, "https://github.com/o/r is already linked from another entry at line 1")]
    assert _found(text, path=str(tmp_path / "content" / "page.md")) == expected
    # On GitHub the shortcode is words before the link: the first item lists nothing.
    assert _found(text) == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://arxiv.org/abs/2405.14590", "https://arxiv.org/pdf/2405.14590v2"),
        ("https://arxiv.org/abs/2405.14590v1", "https://huggingface.co/papers/2405.14590"),
        ("http://arxiv.org/html/2405.14590", "https://www.arxiv.org/pdf/2405.14590.pdf"),
        ("https://arxiv.org/abs/cs/0112017", "https://arxiv.org/pdf/cs/0112017v1"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&ab_channel=Rick"),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", "https://m.youtube.com/shorts/dQw4w9WgXcQ"),
        ("http://www.blog.example.com/post/", "https://blog.example.com/post?utm_source=x&utm_medium=y"),
    ],
)
def test_one_resource_under_several_urls(first: str, second: str) -> None:
    assert resource_key(first) == resource_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://arxiv.org/abs/2405.14590", "https://arxiv.org/abs/2405.14591"),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube.com/watch?v=aaaaaaaaaaa"),
        ("https://blog.org/post?id=1", "https://blog.org/post?id=2"),
        ("https://blog.org/a", "https://blog.org/A"),
        ("https://huggingface.co/papers", "https://arxiv.org/list/cs.AI/recent"),
    ],
)
def test_different_resources_keep_different_keys(first: str, second: str) -> None:
    assert resource_key(first) != resource_key(second)


def test_two_entries_listing_one_paper_under_two_urls() -> None:
    text = (
        "- 📜 [Google] [Paper A](https://arxiv.org/abs/2405.14590)\n"
        "- 📜 [Google] [Paper A, again](https://huggingface.co/papers/2405.14590)\n"
        # One entry linking two views of its own paper is fine.
        "- 📜 [Meta] [Paper B](https://arxiv.org/abs/2401.00001) ([HF](https://huggingface.co/papers/2401.00001))\n"
    )
    findings = lint_text(text, RULE)
    assert [(f.line, f.column, f.message) for f in findings] == [
        (
            2,
            14,
            "https://huggingface.co/papers/2405.14590 is already linked from another entry at line 1"
            " (as https://arxiv.org/abs/2405.14590: the same resource)",
        )
    ]
