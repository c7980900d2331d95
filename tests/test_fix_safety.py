"""Fixes never change what the page says: a fix whose effect leaves its rule's scope is rolled back."""

from __future__ import annotations

import json
import os
import re
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from mdlint.findings import HTML_BLOCK_SPLIT, LIST_SPACING, SCOPES, Edit, Finding, Fix, Severity
from mdlint.fixing.safety import FixGuard, _difference, details_nesting, structure_of
from mdlint.markdown.dialect import Dialect
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import ConfiguredRule, Rule, all_rules
from mdlint.testing import fix_text
from tests.conftest import REPO, RunCli, require_corpus
from tests.plugins import plugin_importable, write_plugin

_SQUEEZE_RULE = """
from mdlint.findings import Fix
from mdlint.rule_engine.rule import Rule

def check(document, context):
    text = document.text
    # "Safe" by its own account: drop the blank line after `</summary>`. The list that followed
    # becomes part of the HTML block, shown as raw text -- exactly what must never happen.
    start = text.find("</summary>\\n\\n")
    if start != -1:
        blank = start + len("</summary>\\n")
        yield context.finding(blank, blank + 1, "blank line after summary", fix=Fix.replace(blank, blank + 1, ""))
    todo = text.find("TODO")
    if todo != -1:
        yield context.finding(todo, todo + 4, "TODO left", fix=Fix.replace(todo, todo + 4, "DONE"))

RULE = Rule(code="XSQ001", name="squeeze-blank", summary="test rule with one bad and one good fix", check=check)
"""

_PAGE = textwrap.dedent(
    """\
    # Notes

    <details>
    <summary>Week 1</summary>

    - [paper](https://arxiv.org/abs/1)
    - TODO read it

    </details>
    """
)


@pytest.fixture
def squeeze_plugin(tmp_path: Path) -> Iterator[Path]:
    """A plugin distribution, found through the `mdlint.rules` entry point, with a bad fix."""
    plugin = write_plugin(tmp_path / "plugin", "squeeze_rule", _SQUEEZE_RULE, "squeeze-blank")
    with plugin_importable(plugin, "squeeze_rule"):
        yield plugin


def _env(plugin: Path) -> dict[str, str]:
    return {"PYTHONPATH": os.pathsep.join([str(REPO), str(plugin)])}


def test_a_fix_that_lets_details_swallow_a_list_is_rolled_back(
    squeeze_plugin: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    page = tmp_path / "notes.md"
    page.write_text(_PAGE, encoding="utf-8")
    result = run_cli(
        "--offline", "--select", "squeeze-blank", "--fix", "notes.md", cwd=tmp_path, env=_env(squeeze_plugin)
    )
    assert page.read_text(encoding="utf-8") == _PAGE.replace("TODO", "DONE"), "the good fix went in, the bad one not"
    assert result.stderr.splitlines() == [
        "notes.md: error: fix of squeeze-blank at line 5, column 1 rolled back: it would change the block "
        "structure (a list became an HTML block)"
    ]
    assert "1 fix rolled back" in result.stdout
    assert result.returncode == 2


def test_a_rolled_back_fix_is_in_the_json_errors(squeeze_plugin: Path, tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "notes.md").write_text(_PAGE, encoding="utf-8")
    result = run_cli(
        "--offline",
        "--select",
        "squeeze-blank",
        "--fix",
        "--format",
        "json",
        ".",
        cwd=tmp_path,
        env=_env(squeeze_plugin),
    )
    report = json.loads(result.stdout)
    assert report["errors"] == [
        {
            "path": "notes.md",
            "message": "fix of squeeze-blank at line 5, column 1 rolled back: it would change the block structure "
            "(a list became an HTML block)",
        }
    ]
    assert report["summary"]["unreadable"] == 0
    assert report["summary"]["fixed"] == 1
    assert result.returncode == 2


def test_diff_shows_only_the_fixes_that_pass(squeeze_plugin: Path, tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "notes.md").write_text(_PAGE, encoding="utf-8")
    result = run_cli(
        "--offline", "--select", "squeeze-blank", "--diff", "notes.md", cwd=tmp_path, env=_env(squeeze_plugin)
    )
    removed = [line for line in result.stdout.splitlines() if line.startswith("-") and not line.startswith("---")]
    assert removed == ["-- TODO read it"]
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == _PAGE


# FixGuard on its own, with hand-made findings: one rule, any edits.

_DEDENT_RULE = Rule(code="XDD001", name="dedent", summary="test", check=lambda document, context: ())
_SPLIT_RULE = Rule(
    code="XSP001",
    name="split",
    summary="test",
    check=lambda document, context: (),
    fix_scope=frozenset({"html-block-split"}),
)


def _fix(document: Document, rule: Rule, *edits: Edit) -> tuple[Finding, tuple[Edit, ...]]:
    line, column = document.position(edits[0].start)
    finding = Finding(document.path, line, column, line, column, rule.name, rule.code, Severity.ERROR, "m", Fix(edits))
    return finding, edits


def _guard(*rules: Rule) -> FixGuard:
    return FixGuard([ConfiguredRule(rule, rule.options(), Severity.ERROR) for rule in rules])


def test_every_fixing_rule_declares_a_known_scope_and_unknown_ones_are_refused() -> None:
    assert all(rule.fix_scope <= SCOPES and rule.fix_scope for rule in all_rules())
    with pytest.raises(ValueError, match="unknown fix scopes"):
        Rule("XBS001", "bad-scope", "t", check=lambda d, c: (), fix_scope=frozenset({"everything"}))


def test_a_fix_that_moves_details_out_of_a_list_item_is_rolled_back() -> None:
    text = "- item\n\n  <details>\n  <summary>s</summary>\n\n  body\n\n  </details>\n"
    document = Document("a.md", text)
    start = text.index("  <details>")
    guard = _guard(_DEDENT_RULE)
    outcome = guard.apply(document, [_fix(document, _DEDENT_RULE, Edit(start, start + 2, ""))])
    assert outcome.applied == 0
    assert guard.rolled_back == [
        "fix of dedent at line 3, column 1 rolled back: it would move <details> block 1 from nesting level 1 to 0 "
        "(list/quote depth 1→0, inside 0→0 <details>)"
    ]


def test_splitting_an_html_block_from_swallowed_markdown_is_allowed_for_a_rule_that_says_so() -> None:
    text = "<details>\n<summary>s</summary>\n- [a](https://a.com)\n\n</details>\n"
    document = Document("a.md", text)
    at = text.index("- [a]")
    fixes = [_fix(document, _SPLIT_RULE, Edit(at, at, "\n"))]
    assert _guard(_SPLIT_RULE).apply(document, fixes).applied == 1
    guard = _guard(_DEDENT_RULE)  # same edit, but a rule that may change text only
    assert guard.apply(document, [_fix(document, _DEDENT_RULE, Edit(at, at, "\n"))]).applied == 0
    assert "block structure" in guard.rolled_back[0]


def test_a_split_that_moves_a_details_tag_is_still_rolled_back() -> None:
    text = "- item\n  <details>\n  <summary>s</summary>\n\n  </details>\n"
    document = Document("a.md", text)
    at = text.index("  <details>")
    guard = _guard(_SPLIT_RULE)
    assert guard.apply(document, [_fix(document, _SPLIT_RULE, Edit(at, at + 2, "\n"))]).applied == 0
    assert "move <details> block 1" in guard.rolled_back[0]


def test_bad_fixes_are_found_among_many_good_ones_and_not_retried() -> None:
    lines = [f"word{index}\u00a0word\n\n" for index in range(20)]
    lines[13] = "1.\u00a0item\n\n"
    text = "".join(lines)
    document = Document("a.md", text)
    fixes = [_fix(document, _DEDENT_RULE, Edit(m, m + 1, " ")) for m, char in enumerate(text) if char == "\u00a0"]
    guard = _guard(_DEDENT_RULE)
    outcome = guard.apply(document, fixes)
    assert outcome.applied == 19
    assert outcome.text == text.replace("\u00a0", " ").replace("1. item", "1.\u00a0item")
    assert len(guard.rolled_back) == 1 and "line 27, column 3" in guard.rolled_back[0]
    # The next pass offers the same fix again at its new place: it is not tried twice.
    again = Document("a.md", outcome.text)
    at = outcome.text.index("\u00a0")
    assert guard.apply(again, [_fix(again, _DEDENT_RULE, Edit(at, at + 1, " "))]).applied == 0
    assert len(guard.rolled_back) == 1


def test_two_rules_are_checked_each_against_its_own_scope() -> None:
    text = "See [x](arxiv.org/abs/1) and\u00a0more.\n"
    document = Document("a.md", text)
    scheme = Rule("XLS001", "scheme", "t", check=lambda d, c: (), fix_scope=frozenset({"link-destinations"}))
    at = text.index("arxiv")
    nbsp = text.index("\u00a0")
    # The text rule's edit touches a destination: not in its scope, although the other rule's is.
    fixes = [
        _fix(document, scheme, Edit(at, at, "https://")),
        _fix(document, _DEDENT_RULE, Edit(at + 5, at + 5, "x")),
        _fix(document, _DEDENT_RULE, Edit(nbsp, nbsp + 1, " ")),
    ]
    guard = _guard(scheme, _DEDENT_RULE)
    outcome = guard.apply(document, fixes)
    assert outcome.text == "See [x](https://arxiv.org/abs/1) and more.\n"
    assert len(guard.rolled_back) == 1 and "destination" in guard.rolled_back[0]


def test_leading_blank_lines_may_become_front_matter_for_a_front_matter_rule() -> None:
    text = "\n\n---\ntitle: A\ndate: 2024-01-01\n---\n\n# A\n"
    document = Document("a.md", text)
    rule = Rule("XFM001", "fm", "t", check=lambda d, c: (), fix_scope=frozenset({"front-matter-placement"}))
    assert _guard(rule).apply(document, [_fix(document, rule, Edit(0, 2, ""))]).applied == 1
    content_only = Rule("XFM002", "fm2", "t", check=lambda d, c: (), fix_scope=frozenset({"front-matter"}))
    guard = _guard(content_only)
    assert guard.apply(document, [_fix(document, content_only, Edit(0, 2, ""))]).applied == 0
    assert "where the front matter ends" in guard.rolled_back[0]
    guard = _guard(_DEDENT_RULE)
    assert guard.apply(document, [_fix(document, _DEDENT_RULE, Edit(0, 2, ""))]).applied == 0
    assert "front matter" in guard.rolled_back[0]


def test_an_edit_at_the_very_start_of_the_page_does_not_move_the_body() -> None:
    text = "**막대(error bars)**와\n"
    document = Document("a.md", text)
    rule = Rule("XEM001", "em", "t", check=lambda d, c: (), fix_scope=frozenset({"inline-markup", "text"}))
    close = text.index("**와")
    fix = _fix(document, rule, Edit(0, 2, "<strong>"), Edit(close, close + 2, "</strong>"))
    guard = _guard(rule)
    assert guard.apply(document, [fix]).text == "<strong>막대(error bars)</strong>와\n"
    assert guard.rolled_back == []


def test_a_reindenting_fix_that_moves_details_blocks_of_the_archive_is_rolled_back_everywhere() -> None:
    # What markdownlint's --fix did to the archive: re-indent lines, and <details> changed level.
    archive = _archive()
    document = Document("README.md", archive.read_text(encoding="utf-8"))
    indented = list(re.finditer(r"(?m)^[ \t]+(?=</?details>)", document.text))
    assert len(indented) == 82
    # The first 16 are enough to show it; each rolled-back fix costs a parse or two of the archive.
    fixes = [_fix(document, _DEDENT_RULE, Edit(match.start(), match.end(), "")) for match in indented[:16]]
    guard = _guard(_DEDENT_RULE)
    outcome = guard.apply(document, fixes)
    assert (outcome.applied, len(guard.rolled_back)) == (0, 16)
    assert details_nesting(Document("README.md", outcome.text)) == details_nesting(document)


@pytest.mark.parametrize("unsafe", [False, True], ids=["fix", "unsafe-fixes"])
def test_fixing_the_archive_keeps_every_details_block_at_its_nesting_level(
    unsafe: bool, tmp_path: Path, run_cli: RunCli
) -> None:
    archive = _archive()
    copy = tmp_path / "README.md"
    shutil.copyfile(archive, copy)
    original = Document("README.md", archive.read_text(encoding="utf-8"))
    before = details_nesting(original)
    result = run_cli("--offline", "--fix", *(["--unsafe-fixes"] if unsafe else []), "README.md", cwd=tmp_path)
    fixed = Document("README.md", copy.read_text(encoding="utf-8"))
    assert fixed.text != original.text, "the archive has fixable findings"
    assert details_nesting(fixed) == before
    assert len(before) == 50 and max(depth + inside for depth, inside in before) == 4
    # Every HTML block holding a <details> or </details> tag: same count, same levels, in order.
    assert _details_blocks(fixed) == _details_blocks(original)
    assert len(_details_blocks(original)) == 91
    assert result.stderr == "" and result.returncode == 1  # the run-together URLs stay, nothing rolled back


def _details_blocks(document: Document) -> list[list[tuple[object, ...]]]:
    """For each HTML block with a `<details>` tag: its details tags with their nesting levels."""
    by_block: dict[int, list[tuple[object, ...]]] = {}
    for item in structure_of(document).html:
        if item.key[0] == "details":
            by_block.setdefault(item.start, []).append(item.key)
    return [by_block[start] for start in sorted(by_block)]


def _archive() -> Path:
    return require_corpus() / "study-archive" / "README.md"


_JEKYLL_PAGE = Dialect("kramdown", "liquid", github_view=True)


def test_a_fix_inside_liquid_is_rolled_back_unless_its_rule_may_change_text() -> None:
    # Masked, `{{ site.title }}` is one opaque word to the parser: only the template part sees the edit.
    text = "---\ntitle: t\n---\n<div>\n\nSee {{ site.title }} here.\n\n</div>\n"
    document = Document("_posts/2024-01-01-a.md", text)
    document.dialect = _JEKYLL_PAGE
    at = text.index("title }}")
    guard = _guard(_SPLIT_RULE)
    # The same length: the masked text Markdown sees does not change, the template does.
    assert guard.apply(document, [_fix(document, _SPLIT_RULE, Edit(at, at + 5, "names"))]).applied == 0
    assert guard.rolled_back == [
        "fix of split at line 6, column 13 rolled back: it would change the text "
        "('See {{ site.title }} here.' became 'See {{ site.names }} here.')"
    ]
    assert _guard(_DEDENT_RULE).apply(document, [_fix(document, _DEDENT_RULE, Edit(at, at + 5, "name"))]).applied == 1
    # A tag alone on its line prints nothing: Markdown sees a blank line, only the templates differ.
    text = "---\ntitle: t\n---\nabove\n\n{% include note.html %}\n\nbelow\n"
    document = Document("_posts/2024-01-01-a.md", text)
    document.dialect = _JEKYLL_PAGE
    at = text.index("note.html")
    guard = _guard(_SPLIT_RULE)
    assert guard.apply(document, [_fix(document, _SPLIT_RULE, Edit(at, at + 4, "tips"))]).applied == 0
    assert guard.rolled_back == [
        "fix of split at line 6, column 12 rolled back: it would change the template syntax "
        "('tag {% include note.html %}' became 'tag {% include tips.html %}')"
    ]


def test_kramdown_fixes_pass_on_a_page_with_liquid() -> None:
    # The structure check parses the fixed page as the original: Liquid masked, kramdown's dialect kept.
    text = (
        "---\ntitle: t\n---\n"
        '<div class="note">\n\nRun `jekyll serve` with {{ site.title }}.\n\n</div>\n\n'
        "_강조(x)_를 {% include note.html %} 본다.\n"
    )
    fixed = fix_text(
        text, "html-block-swallows-markdown", "emphasis-cjk-flanking", dialect=_JEKYLL_PAGE, unsafe_fixes=True
    )
    assert fixed == text.replace('class="note">', 'class="note" markdown="1">').replace(
        "_강조(x)_를", "<em>강조(x)</em>를"
    )


_CLOSE_RULE = """
from mdlint.rule_engine.rule import Rule
from mdlint.findings import Fix

def check(document, context):
    at = document.text.find(" X")
    if at != -1:
        yield context.finding(at, at + 2, "X left", fix=Fix.replace(at, at + 2, "*"))

RULE = Rule(code="XAA001", name="aa-close", summary="a fix that is safe only once the other went in", check=check)
"""
_ESCAPE_RULE = """
from mdlint.rule_engine.rule import Rule
from mdlint.findings import Fix

def check(document, context):
    text = document.text
    if text.startswith("*a"):
        yield context.finding(0, 1, "star not escaped", fix=Fix.replace(0, 0, "\\\\"))

RULE = Rule(code="XZZ001", name="zz-escape", summary="escapes a leading star", check=check)
"""


def test_a_fix_rolled_back_beside_another_is_tried_again_in_the_same_run(tmp_path: Path, run_cli: RunCli) -> None:
    # `aa-close` alone makes `*a*` emphasis (rolled back); once `zz-escape` made the first star
    # literal it changes text only. One run must reach what a second run would.
    plugin = write_plugin(tmp_path / "plugin", "aa_close", _CLOSE_RULE, "aa-close")
    write_plugin(plugin, "zz_escape", _ESCAPE_RULE, "zz-escape")
    page = tmp_path / "notes.md"
    page.write_text("*a X\n", encoding="utf-8")
    select = ("--select", "aa-close,zz-escape")
    first = run_cli("--offline", *select, "--fix", "notes.md", cwd=tmp_path, env=_env(plugin))
    assert (first.returncode, first.stderr) == (0, "")
    assert page.read_text(encoding="utf-8") == "\\*a*\n"
    second = run_cli("--offline", *select, "--fix", "notes.md", cwd=tmp_path, env=_env(plugin))
    assert (second.returncode, second.stderr) == (0, "")
    assert page.read_text(encoding="utf-8") == "\\*a*\n"
    assert second.stdout.splitlines()[-1] == "Found 0 findings in 1 file."


def test_a_fix_that_makes_a_tight_list_loose_is_unsafe_only(tmp_path: Path, run_cli: RunCli) -> None:
    # The blank line that frees `- [b](u)` from the HTML block also joins it to the list below,
    # whose items become paragraphs (`<li><p>`): --fix leaves it, --unsafe-fixes applies it.
    page = tmp_path / "notes.md"
    text = '# Title\n  <img src="a.png"/>\n- [b](https://example.com/b)\n\n- words\n'
    page.write_text(text, encoding="utf-8")
    select = ("--offline", "--select", "html-block-swallows-markdown", "--fix", "notes.md")
    safe = run_cli(*select, cwd=tmp_path)
    assert (safe.returncode, safe.stderr) == (1, ""), "offered as unsafe only"
    assert page.read_text(encoding="utf-8") == text
    assert safe.stdout.startswith("notes.md:3:1: error MDL002 html-block-swallows-markdown ")
    result = run_cli(*select, "--unsafe-fixes", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert page.read_text(encoding="utf-8") == text.replace("/>\n", "/>\n\n")


def test_list_spacing_is_compared_unless_the_scope_allows_it() -> None:
    tight = structure_of(Document("a.md", "- a\n- b\n"))
    loose = structure_of(Document("a.md", "- a\n\n- b\n"))
    assert _difference(tight, loose, frozenset({HTML_BLOCK_SPLIT}), 0) is not None
    assert _difference(tight, loose, frozenset({HTML_BLOCK_SPLIT, LIST_SPACING}), 0) is None


def test_list_tightness_is_part_of_the_structure() -> None:
    tight = structure_of(Document("a.md", "- a\n- b\n"))
    loose = structure_of(Document("a.md", "- a\n\n- b\n"))
    assert next(item.key for item in tight.blocks) == (1, "list", False, "tight")
    assert next(item.key for item in loose.blocks) == (1, "list", False, "loose")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "See www.example.org/b\u200bc today.\n",
            "it would change where an autolink points "
            "('http://www.example.org/b\\u200bc' became 'http://www.example.org/bc')",
        ),
        ("Mail me@exa\u200bmple.org\n", "it would change where an autolink points ('mailto:me@example.org' appears)"),
        (
            "https://b.org/x\u200b\n",
            "it would change where an autolink points ('https://b.org/x\\u200b' became 'https://b.org/x')",
        ),
        (
            "s\u200bmailto:e@a.org\n",
            "it would change where an autolink points (its text 'mailto:e@a.org' became 'e@a.org')",
        ),
    ],
)
def test_a_fix_that_moves_an_autolink_is_rolled_back(text: str, message: str) -> None:
    rule = next(rule for rule in all_rules() if rule.name == "text-invisible-char")
    document = Document("a.md", text)
    start = text.index("\u200b")
    finding = Finding("a.md", 1, start + 1, 1, start + 2, "text-invisible-char", "MDL000", Severity.ERROR, "x")
    fix = (finding, (Edit(start, start + 1, ""),))
    guard = FixGuard([ConfiguredRule(rule, rule.options(), Severity.ERROR)])
    outcome = guard.apply(document, [fix])
    assert (outcome.applied, outcome.text) == (0, text)
    assert [m.split("rolled back: ", 1)[1] for m in guard.rolled_back] == [message]
