"""html-block-swallows-markdown agrees with GitHub's renderer (cmarkgfm) on what is shown raw."""

from __future__ import annotations

import html

import pytest

from mdlint.fixing.edits import apply_edits, fixable_edits
from mdlint.markdown.document import Document
from mdlint.testing import lint_text

cmarkgfm = pytest.importorskip("cmarkgfm")

MARKDOWN_LINE = "- 📜 [paper](https://arxiv.org/abs/1706.03762) **bold**"

CASES = {
    "after summary": f"<details>\n<summary>week</summary>\n{MARKDOWN_LINE}\n</details>\n",
    "after summary, blank line": f"<details>\n<summary>week</summary>\n\n{MARKDOWN_LINE}\n\n</details>\n",
    "indented summary in list": f"- entry\n  <details>\n  <summary>개념</summary>\n  {MARKDOWN_LINE}\n  </details>\n",
    "self-closing img": f'<img src="/images/a.png" width="450"/>\n{MARKDOWN_LINE}\n',
    "img after blank": f'<img src="/images/a.png" width="450"/>\n\n{MARKDOWN_LINE}\n',
    "img inside paragraph": f'text\n<img src="/images/a.png" width="450"/>\n{MARKDOWN_LINE}\n',
    "div": f"<div>\n{MARKDOWN_LINE}\n</div>\n",
    "closing tag first": f"</details>\n{MARKDOWN_LINE}\n",
    "pre is raw on purpose": f"<pre>\n{MARKDOWN_LINE}\n</pre>\n",
    "comment": f"<!--\n{MARKDOWN_LINE}\n-->\n",
    "in block quote": f"> <div>\n> {MARKDOWN_LINE}\n> </div>\n",
    "span is inline": f"<span>x</span>\n{MARKDOWN_LINE}\n",
}


def _shown_raw_by_github(markdown: str) -> bool:
    rendered = cmarkgfm.github_flavored_markdown_to_html(markdown, options=cmarkgfm.Options.CMARK_OPT_UNSAFE)
    return "[paper](https://arxiv.org" in html.unescape(rendered)


@pytest.mark.parametrize("name", sorted(CASES))
def test_fires_exactly_when_github_shows_markdown_raw(name: str) -> None:
    markdown = CASES[name]
    findings = lint_text(markdown, "html-block-swallows-markdown")
    if "pre is raw on purpose" in name or name == "comment":
        assert not findings  # raw on purpose: GitHub shows it raw, and that is what the author wanted
        return
    assert bool(findings) == _shown_raw_by_github(markdown), (findings, markdown)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_fix_makes_github_render_the_markdown(name: str) -> None:
    markdown = CASES[name]
    findings = lint_text(markdown, "html-block-swallows-markdown")
    if not findings:
        return
    document = Document("test.md", markdown)
    # Inside a list item the blank line makes the list loose (`<li><p>entry</p>`): unsafe only.
    unsafe = name == "indented summary in list"
    assert all(finding.fixable_with(unsafe) and finding.fixable_with(False) != unsafe for finding in findings)
    fixed = apply_edits(document, fixable_edits(findings, unsafe=unsafe)).text
    assert not _shown_raw_by_github(fixed), fixed
    assert lint_text(fixed, "html-block-swallows-markdown") == []
    # Only blank lines were added.
    assert [line for line in fixed.splitlines() if line.strip(" >")] == [
        line for line in markdown.splitlines() if line.strip(" >")
    ]


def test_reports_the_swallowed_line_at_its_first_character() -> None:
    findings = lint_text(CASES["indented summary in list"], "html-block-swallows-markdown")
    assert [(f.line, f.column) for f in findings] == [(4, 3)]


def test_no_blank_line_is_offered_in_the_middle_of_a_sentence() -> None:
    # A blank line after `<p>With the new commands the way` would cut the sentence in two.
    text = '<div class="note">\n  <p>With the new commands the way\n  sites are `previewed` changed.</p>\n</div>\n'
    [finding] = lint_text(text, "html-block-swallows-markdown")
    assert (finding.line, finding.column, finding.fix) == (3, 3, None)
    assert finding.message == "Markdown inside an HTML block is shown as raw text"
    rendered = cmarkgfm.github_flavored_markdown_to_html(text, options=cmarkgfm.Options.CMARK_OPT_UNSAFE)
    assert "`previewed`" in rendered  # GitHub shows the backticks: the finding is real


def test_text_of_html_code_elements_is_not_markdown() -> None:
    # Read as Markdown, `_config.yml</code> … <code>_` would be emphasis; in HTML it is code.
    text = "<div>\nyour <code>_config.yml</code> file and the <code>_</code> character\n</div>\n"
    assert lint_text(text, "html-block-swallows-markdown") == []
    assert lint_text(text.replace("<code>_</code>", "_"), "html-block-swallows-markdown") == []
    assert lint_text(text.replace("<code>_</code>", "*b*"), "html-block-swallows-markdown") != []
