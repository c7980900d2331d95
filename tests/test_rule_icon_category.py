"""icon-category: majority and configured domains."""

from __future__ import annotations

from typing import Any

from mdlint.testing import lint_text

DEV = "\U0001f9d1\U0001f3fb\u200d\U0001f4bb"
LEGEND = f"📜: Paper link\n{DEV}: Developer blog\n\n# Archive\n\n"


def entries(*pairs: tuple[str, str]) -> str:
    return LEGEND + "".join(f"- {icon} [e{i}]({url})\n" for i, (icon, url) in enumerate(pairs))


def positions(text: str, options: dict[str, Any] | None = None) -> list[tuple[int, int]]:
    opts = {"icon-category": options} if options else None
    return [(f.line, f.column) for f in lint_text(text, "icon-category", options=opts)]


def test_minority_icon_of_a_domain_is_flagged_with_the_counts() -> None:
    text = entries(*[("📜", f"https://arxiv.org/abs/{i}") for i in range(3)], (DEV, "https://arxiv.org/pdf/9"))
    [finding] = lint_text(text, "icon-category")
    assert (finding.line, finding.column) == (9, 3)
    assert "3 of 4 arxiv.org entries" in finding.message and '"📜" (Paper link)' in finding.message


def test_thresholds_are_options() -> None:
    text = entries(("📜", "https://arxiv.org/abs/1"), ("📜", "https://arxiv.org/abs/2"), (DEV, "https://arxiv.org/3"))
    assert positions(text) == []  # 2 of 3 is under 75 %
    assert positions(text, {"min-share": 0.6}) == [(8, 3)]
    assert positions(text[: text.rindex("- ")] + "\n", {"min-entries": 2}) == []


def test_configured_domain_wins_and_matches_subdomains() -> None:
    text = entries((DEV, "https://export.arxiv.org/abs/1"), ("📜", "https://github.com/x"))
    assert positions(text, {"domains": {"📜": ["arxiv.org"], DEV: ["github.com"]}}) == [(6, 3), (7, 3)]


def test_scheme_less_links_have_a_host() -> None:
    text = entries(*[("📜", f"arxiv.org/abs/{i}") for i in range(3)], (DEV, "https://www.arxiv.org/abs/9"))
    assert positions(text) == [(9, 3)]
