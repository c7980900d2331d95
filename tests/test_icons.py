"""The shared icon logic: emoji sequences, legends, hosts."""

from __future__ import annotations

import pytest

from mdlint.conventions.icons import (
    Legend,
    canonical_spelling,
    is_standard,
    leading_icon,
    link_host,
    read_legend,
    skeleton,
    standard_form,
)
from mdlint.links.urls import bare_host

DEV = "\U0001f9d1\U0001f3fb\u200d\U0001f4bb"  # 🧑🏻‍💻
DEV_NO_ZWJ = "\U0001f9d1\U0001f3fb\U0001f4bb"  # 🧑🏻💻, renders as two pictures
NEWS = "\U0001f5de\ufe0f"  # 🗞️
NEWS_BARE = "\U0001f5de"  # 🗞


def test_standard_form_adds_the_joiner_and_the_variation_selector() -> None:
    assert standard_form(DEV_NO_ZWJ) == DEV
    assert standard_form(NEWS_BARE) == NEWS
    assert standard_form(DEV) == DEV
    assert standard_form("📜") == "📜"
    assert standard_form("📜📜") is None
    assert is_standard(DEV) and not is_standard(DEV_NO_ZWJ) and not is_standard(NEWS_BARE)
    assert canonical_spelling("📜📜") == "📜📜"


def test_skeleton_drops_joiners_and_selectors_only() -> None:
    assert skeleton(DEV) == DEV_NO_ZWJ
    assert skeleton(NEWS) == NEWS_BARE


def test_leading_icon_takes_whole_grapheme_clusters() -> None:
    text = f"- {DEV_NO_ZWJ} [src] [t](u)"
    token = leading_icon(text, 2)
    assert token is not None
    assert (token.start, token.end, token.sequence) == (2, 2 + len(DEV_NO_ZWJ), DEV_NO_ZWJ)
    assert token.clusters == ["\U0001f9d1\U0001f3fb", "\U0001f4bb"]
    assert leading_icon("1. text", 0) is None
    assert leading_icon("# heading", 0) is None
    assert leading_icon(NEWS + " x", 0) == leading_icon(NEWS + " x", 0, 2)
    copyright = leading_icon("© 2024", 0)
    assert copyright is not None and not copyright.presents_as_emoji


def test_read_legend_plain_lines() -> None:
    text = f"📜: Paper link\n{DEV_NO_ZWJ}: Developer blog\n{NEWS}: News\n🤪: Interesting\n\n# Title\n"
    legend = read_legend(text, 0, text.index("#"))
    assert [icon.sequence for icon in legend.icons] == ["📜", DEV_NO_ZWJ, NEWS, "🤪"]
    assert [icon.meaning for icon in legend.icons] == ["Paper link", "Developer blog", "News", "Interesting"]
    dev = legend.icons[1].token
    assert dev is not None and text[dev.start : dev.end] == DEV_NO_ZWJ


def test_read_legend_br_list_and_table() -> None:
    br = f"📜: paper<br>{DEV}: dev <br/> 🤪 = fun\n"
    assert [i.sequence for i in read_legend(br, 0, len(br)).icons] == ["📜", DEV, "🤪"]
    items = f"- 📜: paper\n- {NEWS} - news\n"
    assert [i.meaning for i in read_legend(items, 0, len(items)).icons] == ["paper", "news"]
    table = "| Icon | Meaning |\n|---|---|\n| 📜 | paper |\n| 🤪 | fun |\n"
    legend = read_legend(table, 0, len(table))
    assert [(i.sequence, i.meaning) for i in legend.icons] == [("📜", "paper"), ("🤪", "fun")]
    token = legend.icons[1].token
    assert token is not None and table[token.start : token.end] == "🤪"


def test_read_legend_needs_two_icons_and_a_separator() -> None:
    one = "🔥: hot take\n"
    assert not read_legend(one, 0, len(one))
    entries = "- 📜 [arXiv] [t](https://arxiv.org/abs/1)\n- 🤪 [x](https://x.org)\n"
    assert not read_legend(entries, 0, len(entries))


def test_read_legend_skips_code() -> None:
    text = "```\n📜: paper\n🤪: fun\n```\n"
    assert not read_legend(text, 0, len(text), skip=[(0, len(text))])


def test_legend_resolves_variants() -> None:
    legend = Legend.from_mapping({"📜": "paper", DEV: "dev", NEWS: "news"})
    assert legend.resolve(DEV_NO_ZWJ) is legend.icons[1]
    assert legend.resolve(NEWS_BARE) is legend.icons[2]
    assert legend.resolve("\U0001f9d1\u200d\U0001f4bb") is legend.icons[1]  # other skin tone
    assert legend.resolve("📊") is None
    assert legend.exact(DEV_NO_ZWJ) is None


def test_link_host() -> None:
    assert link_host("https://WWW.ArXiv.org/abs/1") == "arxiv.org"
    assert link_host("arxiv.org/abs/2412.19437") == "arxiv.org"
    assert link_host("https://sigridjin.medium.com/x") == "sigridjin.medium.com"
    assert link_host("/local/path") is None
    assert link_host("#anchor") is None
    assert link_host("http://[::1") is None


@pytest.mark.parametrize(
    ("destination", "bare", "icon_host"),
    [
        ("readme.md", None, None),
        ("arxiv.org/abs/1", "arxiv.org", "arxiv.org"),
        ("www.x.io", "www.x.io", "x.io"),
        ("notes.txt", None, None),
        ("docs/a.md", None, None),
    ],
)
def test_one_bare_host_detector(destination: str, bare: str | None, icon_host: str | None) -> None:
    # link-missing-scheme, link-dead and icon-category must agree on what is a host.
    assert bare_host(destination) == bare
    assert link_host(destination) == icon_host
