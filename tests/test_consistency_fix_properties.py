"""Properties of the consistency rules' findings and fixes on archive-shaped text with their defects.

Positions lie in the file and point at text; fixing (safe, then also unsafe) is idempotent, parses,
and no safe fix is rolled back. The rules' own test modules pin exact findings; this one looks for
inputs they did not think of.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mdlint.markdown.document import Document
from mdlint.run.config import RuleSelection
from mdlint.run.runner import RunOptions, RunResult, run
from mdlint.site.workspace import RunSettings
from mdlint.testing import lint_text
from tests.hostile_strategies import finding_problems

RULES = (
    "link-reference-undefined",
    "entry-shape",
    "line-break-missing",
    "list-lazy-continuation",
    "details-indent",
    "text-stray-ascii",
    "title-heading-mismatch",
)
_PREFIXES = ["", "", "- ", "  - ", "    - ", "  ", "> ", "1. "]
_PIECES = [
    "📜",
    "🗞️",
    "→",
    "•",
    "[Google]",
    "[Google][t](https://a.example)",
    "[t](https://b.example)",
    "[t][]",
    "[x][y]",
    "[y]",
    "key: value",
    "**Key**: value",
    "방>지",
    "모델|을",
    "`a>b`",
    "- desc.",
    "- desc",
    "word",
    "<br>",
    "\\",
    "  ",
]
_WHOLE_LINES = [
    "",
    "",
    "<details>",
    "  <summary>week</summary>",
    "    <summary>week</summary>",
    "</details>",
    "  </details>",
    "# Title",
    "[y]: https://y.example",
    "```",
    "---",
]


@st.composite
def _line(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(_WHOLE_LINES))
    pieces = draw(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=5))
    return draw(st.sampled_from(_PREFIXES)) + " ".join(pieces)


@st.composite
def archive_like(draw: st.DrawFn) -> str:
    lines = draw(st.lists(_line(), min_size=1, max_size=16))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    body = newline.join(lines) + newline
    if draw(st.booleans()):
        body = "---\ntitle: 'Picks(20251203)'\n---\n\n# Picks(20251119)\n\n".replace("\n", newline) + body
    return body


def _fix(text: str, unsafe: bool) -> RunResult:
    options = RunOptions(
        paths=("-",),
        fix=True,
        unsafe_fixes=unsafe,
        stdin_filename="notes.md",
        selection=RuleSelection(select=RULES),
        settings=RunSettings(offline=True),
    )
    return run(options, read_stdin=lambda: text.encode("utf-8"))


_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


@_SETTINGS
@given(archive_like())
@example("📜: a\n🗞️: b\n🤪: c\n")
@example("- 📜 [Google] [a](https://a.example)\n" * 3 + "- 📜 [Fudan][b](https://b.example)\n")
@example("> 📜: a\n> 🗞️: b\n> 🤪: c\n")
def test_positions_lie_in_the_file(text: str) -> None:
    findings = lint_text(text, *RULES, path="notes.md")
    assert finding_problems(Document("notes.md", text), findings) == []


@_SETTINGS
@given(archive_like(), st.booleans())
@example("📜: a\r\n🗞️: b\r\n🤪: c\r\n", True)
@example("- 📜: a\n🗞️: b\n🤪: c\n", True)
@example("<details>\n  <summary>a</summary>\n\nx\n</details>\n" * 5 + "<details>\n    <summary>b</summary>\n", True)
def test_fixes_are_idempotent_parse_and_no_safe_fix_is_rolled_back(text: str, unsafe: bool) -> None:
    once = _fix(text, unsafe)
    if not unsafe:
        assert [error for error in once.errors if error.kind == "rolled-back"] == []
    fixed = once.stdin_output
    assert fixed is not None
    Document("notes.md", fixed).root  # noqa: B018 -- parsing is the assertion
    assert _fix(fixed, unsafe).stdin_output == fixed
