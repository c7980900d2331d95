"""Properties of `--fix` on Markdown-shaped text seeded with fixable defects.

Applying fixes changes only the characters the edits name; fixing twice gives what fixing once
gave; the fixed text parses; no safe fix of the applied rules is left over, and none is rolled
back (a rolled-back safe fix is a rule offering a fix that would change what the page says).
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mdlint.findings import Severity
from mdlint.fixing.edits import fixable_edits
from mdlint.fixing.safety import FixGuard
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import ConfiguredRule, find_rule
from mdlint.run.config import RuleSelection
from mdlint.run.runner import RunOptions, RunResult, run
from mdlint.site.workspace import RunSettings
from mdlint.testing import lint_text

DEV = "\U0001f9d1\U0001f3fb\u200d\U0001f4bb"
DEV_NO_ZWJ = "\U0001f9d1\U0001f3fb\U0001f4bb"
NEWS = "\U0001f5de\ufe0f"
NEWS_BARE = "\U0001f5de"
FIXING_RULES = (
    "text-invisible-char",
    "link-missing-scheme",
    "icon-variant",
    "emphasis-cjk-flanking",
    "html-block-swallows-markdown",
)

_PREFIXES = ["", "", "", "- ", "1. ", "> ", "  ", "    ", "- > ", "   - "]
_PIECES = [
    "word",
    "막대",
    "text.",
    "\u00a0",
    "\u00a0",
    "\u200b",
    "\u200d",
    "\u00ad",
    "[paper](arxiv.org/abs/1)",
    "(arxiv.org/abs/1)",
    "![fig](example.com/a.png)",
    "<https://a.com>",
    "https://b.org/x",
    "**막대(error bars)**와",
    "__모델__을",
    "*a*",
    "`co\u00a0de`",
    f"{DEV_NO_ZWJ} [blog](https://dev.to/a)",
    f"{NEWS_BARE} [news](https://news.com/b)",
    "<b>x</b>",
    "-",
    "1.",
    "#",
    "*",
    "_",
    "[",
    "]",
    "(",
    ")",
    "|",
    ">",
    "!",
    ":",
    "=",
]
_WHOLE_LINES = [
    "",
    "",
    "<details>",
    "<summary>Week 1</summary>",
    "</details>",
    '<img src="a.png"/>',
    "<div>",
    "</div>",
    "---",
    "```",
    "[ref]: github.com/x",
    "| a | b |",
    "| - | - |",
]
_LEGEND = f"📜: Paper\n{DEV}: Developer blog\n{NEWS}: News\n\n# Archive\n\n"


@st.composite
def _line(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(_WHOLE_LINES))
    pieces = draw(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6))
    separators = draw(st.lists(st.sampled_from([" ", " ", "", "\u00a0"]), min_size=len(pieces), max_size=len(pieces)))
    return draw(st.sampled_from(_PREFIXES)) + "".join(s + p for s, p in zip(separators, pieces, strict=True)).lstrip(
        " "
    )


@st.composite
def markdown_with_defects(draw: st.DrawFn) -> str:
    lines = draw(st.lists(_line(), min_size=1, max_size=14))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    body = newline.join(lines) + newline
    if draw(st.booleans()):
        body = _LEGEND.replace("\n", newline) + body
    return body


def _fix(text: str, unsafe: bool = False) -> RunResult:
    options = RunOptions(
        paths=("-",),
        fix=True,
        unsafe_fixes=unsafe,
        stdin_filename="notes.md",
        selection=RuleSelection(select=FIXING_RULES),
        settings=RunSettings(offline=True),
    )
    return run(options, read_stdin=lambda: text.encode("utf-8"))


def _outside_edits_unchanged(text: str) -> None:
    document = Document("notes.md", text)
    findings = lint_text(text, *FIXING_RULES, path="notes.md")
    rules = [find_rule(name) for name in FIXING_RULES]
    guard = FixGuard([ConfiguredRule(rule, rule.options(), Severity.ERROR) for rule in rules if rule is not None])
    outcome = guard.apply(document, fixable_edits(findings, unsafe=True))
    position = fixed_position = 0
    for edit in sorted(edit for _, edits in outcome.taken for edit in edits):
        kept = text[position : edit.start]
        assert outcome.text[fixed_position : fixed_position + len(kept)] == kept
        assert edit.end >= edit.start >= position
        fixed_position += len(kept) + len(edit.replacement)
        assert outcome.text[fixed_position - len(edit.replacement) : fixed_position] == edit.replacement
        position = edit.end
    assert outcome.text[fixed_position:] == text[position:]


_SETTINGS = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


@_SETTINGS
@given(markdown_with_defects())
@example("Intro\n\n1.\u00a0item\n")
@example("-\u200b-\u200b-\n")
@example("See [a]\u200b(b.md)\n")
@example("[x](a\u00a0b.md)\n")
@example("\u200b# Title\n")
@example("<details>\n<summary>s</summary>\n- [p](arxiv.org/abs/1)\n\n</details>\n")
# Regressions: each of these once ended in a rolled-back safe fix.
@example("\u00ad\n")
@example("<details>\n*a* <b>x</b>\n")
@example('<img src="a.png"/>\n<div>\n[paper](arxiv.org/abs/1)\n')
@example("<details>\n```\n<details>\n")
@example("<details>\n<https://a.com>\n")
@example("word word word word \u00a0 \u200b\nword\n")
@example('- word\n- > word\n<img src="a.png"/>\n   - word\n')
@example("https://b.org/x\u200b\n")
@example("---\nword \u00a0 word\n---\n")
@example("word\n[ref]: github.com/x\n<details>\n[ref]: github.com/x\n")
@example("<details>\n- > word\n\n  word\n")
@example("<details>\n    word word *a* <b>x</b>\n")
@example('word word \u00a0 \u200b\u200b\n<img src="a.png"/>\n')
def test_fix_is_idempotent_parses_and_leaves_no_safe_fix(text: str) -> None:
    once = _fix(text)
    assert once.errors == [], once.errors
    fixed = once.stdin_output
    assert fixed is not None
    Document("notes.md", fixed).root  # noqa: B018 -- parsing is the assertion
    twice = _fix(fixed)
    assert twice.stdin_output == fixed
    assert twice.errors == []
    left = [f for f in lint_text(fixed, *FIXING_RULES, path="notes.md") if f.fixable_with(False)]
    assert left == []


@settings(_SETTINGS, max_examples=150)
@given(markdown_with_defects())
@example("**막대(error bars)**와\n")
@example(
    "word word\u00a0word \u00a0\n\u00a0word\nword word \u00a0\n"
    "\u00a0word\u00a0word\nword \u00a0 \u00a0 \u00a0\n\u00a0word\n"
)
def test_unsafe_fixes_are_idempotent_too(text: str) -> None:
    once = _fix(text, unsafe=True)
    fixed = once.stdin_output
    assert fixed is not None
    assert _fix(fixed, unsafe=True).stdin_output == fixed


@settings(_SETTINGS, max_examples=200)
@given(markdown_with_defects())
def test_a_pass_of_fixes_changes_only_the_characters_its_edits_name(text: str) -> None:
    _outside_edits_unchanged(text)
