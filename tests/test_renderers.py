"""Rendering-dependent rules follow the file's renderer, checked against the renderers themselves.

A Jekyll page is rendered by kramdown (with its GFM parser, as Jekyll configures it), a Hugo page
by Goldmark, a README by GitHub (cmark-gfm, through the `cmarkgfm` bindings). For each table of
cases the rule's verdict on a page of that renderer is compared with what the real renderer
prints: emphasis left as literal `**` or `_`, Markdown left raw inside HTML.
"""

from __future__ import annotations

import html
import random
import re
import subprocess
from pathlib import Path

import cmarkgfm
import pytest

from mdlint.markdown.dialect import Dialect
from mdlint.markdown.emphasis_flanking import InlineSource, is_cjk_letter
from mdlint.markdown.kramdown_spans import kramdown_emphasis
from mdlint.site.model import dialect_for, find_site_root
from mdlint.testing import fix_text, lint_text
from tests.generators import goldmark_html, require_generator
from tests.test_rule_emphasis_cjk_flanking import _GENERATED, _HANDWRITTEN, _URL

JEKYLL_PAGE = Dialect("kramdown", "liquid", github_view=True)
HUGO_PAGE = Dialect("goldmark", "hugo", github_view=True)
EMPHASIS = "emphasis-cjk-flanking"
HTML_BLOCK = "html-block-swallows-markdown"
SEPARATOR = "@@separator@@"

pytestmark = pytest.mark.xdist_group("renderers")


def _kramdown_each(documents: list[str], *, parse_block_html: bool = False) -> list[str]:
    """kramdown's HTML for each document, with Jekyll's options, in one Ruby process."""
    ruby = require_generator("ruby")
    options = f"input: 'GFM', hard_wrap: false, parse_block_html: {'true' if parse_block_html else 'false'}"
    script = (
        "require 'kramdown'; require 'kramdown-parser-gfm'; "
        'STDIN.read.split("\\0\\n").each { |d| '
        f'puts Kramdown::Document.new(d, {options}).to_html; puts "\\0" }}'
    )
    completed = subprocess.run(
        [ruby, "-e", script],
        input="".join(document + "\0\n" for document in documents),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=True,
    )
    outputs = [output.strip() for output in completed.stdout.split("\0")[:-1]]
    assert len(outputs) == len(documents)
    return outputs


def _goldmark_each(paragraphs: list[str], workspace: Path, config: str = "") -> list[str]:
    """Goldmark's HTML for each paragraph: one Hugo page, the paragraphs apart by a marker paragraph."""
    page = goldmark_html(f"\n\n{SEPARATOR}\n\n".join(paragraphs) + "\n", workspace, config=config)
    outputs = [part.strip() for part in re.split(rf"<p>{SEPARATOR}</p>", page)]
    assert len(outputs) == len(paragraphs)
    return outputs


def _github(markdown: str) -> str:
    rendered: str = cmarkgfm.github_flavored_markdown_to_html(markdown, options=cmarkgfm.Options.CMARK_OPT_UNSAFE)
    return rendered


def _printed_delimiters(rendered: str) -> int:
    """How many `*` and `_` a reader sees: outside code and tags, the bare URL of the cases left out."""
    text = re.sub(r"<code>.*?</code>", "", rendered, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]*>", "", text)).replace(_URL, "")
    return text.count("*") + text.count("_")


def _without_cjk_letters(text: str) -> str:
    # `§` is no letter and no space: kramdown's rules treat it as they would a CJK letter they did
    # not count as a letter.
    return "".join("§" if is_cjk_letter(char) else char for char in text)


# --- emphasis ---------------------------------------------------------------------------------

CASES = _GENERATED + _HANDWRITTEN


def test_kramdown_emphasis_verdicts_agree_with_kramdown() -> None:
    """The rule fires on a Jekyll page exactly when a CJK letter changes how kramdown renders it.

    The oracle: render the case, and the case with each CJK letter replaced by `§`; where the two
    differ (beyond those letters), a CJK letter spoiled the emphasis.
    """
    rendered = _kramdown_each(CASES + [_without_cjk_letters(text) for text in CASES])
    wrong = []
    for text, real, plain in zip(CASES, rendered[: len(CASES)], rendered[len(CASES) :], strict=True):
        spoiled = _without_cjk_letters(real) != plain
        fires = bool(lint_text(text, EMPHASIS, dialect=JEKYLL_PAGE, options={EMPHASIS: {"github-view": "off"}}))
        if fires != spoiled:
            wrong.append((text, real, fires))
    assert wrong == []
    assert sum(1 for text in CASES if "_" in text) > 2000


def test_goldmark_emphasis_verdicts_agree_with_goldmark(tmp_path: Path) -> None:
    # One paragraph per case: a line break inside a case would only split it in two.
    cases = [text.replace("\n", " ") for text in CASES]
    wrong = []
    for text, real in zip(cases, _goldmark_each(cases, tmp_path), strict=True):
        fires = bool(lint_text(text, EMPHASIS, dialect=HUGO_PAGE, options={EMPHASIS: {"github-view": "off"}}))
        if fires != bool(_printed_delimiters(real)):
            wrong.append((text, real, fires))
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "kramdown", "goldmark", "github"),
    [
        # kramdown ignores punctuation: the closing `**` after `)` closes.
        ("**오차 막대(error bars)**와", "renders", "prints", "prints"),
        ("これは**「重要」**です", "renders", "prints", "prints"),
        ("*강조(x)*를", "renders", "prints", "prints"),
        # kramdown's `_` may not touch a letter, Hangul included.
        ("_강조(x)_를", "prints", "prints", "prints"),
        ("__모델__을", "prints", "prints", "prints"),
        ("이것은 _강조_이다", "prints", "prints", "prints"),
        ("_강조_ 이다", "renders", "renders", "renders"),
        ("**모델**을", "renders", "renders", "renders"),
        # GitHub's bare-URL link runs on through `**와`; Goldmark's stops at `*`; kramdown makes none.
        ("**https://example.com**와", "renders", "renders", "prints"),
    ],
)
def test_what_each_renderer_prints(text: str, kramdown: str, goldmark: str, github: str, tmp_path: Path) -> None:
    [kramdown_html] = _kramdown_each([text])
    [goldmark_page] = _goldmark_each([text], tmp_path)
    assert ("prints" if _printed_delimiters(kramdown_html) else "renders") == kramdown
    assert ("prints" if _printed_delimiters(goldmark_page) else "renders") == goldmark
    assert ("prints" if _printed_delimiters(_github(text)) else "renders") == github
    site_only = {EMPHASIS: {"github-view": "off"}}
    assert bool(lint_text(text, EMPHASIS, dialect=JEKYLL_PAGE, options=site_only)) == (kramdown == "prints")
    assert bool(lint_text(text, EMPHASIS, dialect=HUGO_PAGE, options=site_only)) == (goldmark == "prints")
    assert bool(lint_text(text, EMPHASIS)) == (github == "prints")


def test_a_problem_only_github_shows_is_info_on_a_jekyll_page() -> None:
    text = "**오차 막대(error bars)**와 신뢰 구간"
    [finding] = lint_text(text, EMPHASIS, dialect=JEKYLL_PAGE)
    assert (finding.severity.value, finding.column) == ("info", text.index(")**") + 2)
    assert "GitHub's file view (not the kramdown page) prints the `**`" in finding.message
    full = lint_text(text, EMPHASIS, dialect=JEKYLL_PAGE, options={EMPHASIS: {"github-view": "full"}})
    assert [f.severity.value for f in full] == ["error"]
    assert lint_text(text, EMPHASIS, dialect=JEKYLL_PAGE, options={EMPHASIS: {"github-view": "off"}}) == []
    # A page only GitHub shows (a README) gets the full severity, as before.
    assert [f.severity.value for f in lint_text(text, EMPHASIS)] == ["error"]


def test_a_kramdown_problem_is_reported_once_at_full_severity() -> None:
    [finding] = lint_text("_강조(x)_를 본다", EMPHASIS, dialect=JEKYLL_PAGE)
    assert (finding.severity.value, finding.column, finding.end_column) == ("error", 7, 8)
    assert finding.message == (
        "emphasis is not rendered, kramdown prints the `_`: `_` before '를' is read as part of a word"
    )


def test_fixes_render_on_every_view_they_are_made_for() -> None:
    # Stars render in kramdown, but not on GitHub's view of the page: the fix uses HTML there.
    text = "_강조(x)_를 본다\n"
    assert fix_text(text, EMPHASIS, dialect=JEKYLL_PAGE, unsafe_fixes=True) == "<em>강조(x)</em>를 본다\n"
    site_only = {EMPHASIS: {"github-view": "off"}}
    fixed = fix_text(text, EMPHASIS, dialect=JEKYLL_PAGE, options=site_only, unsafe_fixes=True)
    assert fixed == "*강조(x)*를 본다\n"
    [rendered] = _kramdown_each([fixed])
    assert rendered == "<p><em>강조(x)</em>를 본다</p>"


def test_the_kramdown_emulation_pairs_what_kramdown_pairs() -> None:
    """Random inline soup: as many `<em>` and `<strong>` as kramdown makes."""
    alphabet = ["*", "**", "_", "__", "한", "中", "a", "1", " ", "(", ")", ".", "-", "[", "](u)", "<b>", "</b>"]
    alphabet += ["~~", "`", "\\", "$$", "<https://a_b>", "{::comment}", "{:/}", "'", "\n", "[^1]", "<code>"]
    alphabet += ["</code>", "![i](j)"]
    generator = random.Random(11)
    cases: list[str] = []
    while len(cases) < 3000:
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(1, 14))).strip()
        if text and text[0] not in "*-_+#>|!1<":
            cases.append(text)
    checked = 0
    for text, rendered in zip(cases, _kramdown_each(cases), strict=True):
        if not rendered.startswith("<p>") or rendered.count("<p>") != 1:
            continue
        pairs = kramdown_emphasis(InlineSource(text, 0, len(text)))
        strong = sum(1 for opener, _ in pairs if opener[1] - opener[0] == 2)
        assert (rendered.count("<strong>"), rendered.count("<em>")) == (strong, len(pairs) - strong), text
        checked += 1
    assert checked > 2500


# --- HTML blocks ------------------------------------------------------------------------------

LINE = "- [paper](https://arxiv.org/abs/1706.03762) **bold**"

HTML_CASES = {
    "after summary": f"<details>\n<summary>week</summary>\n{LINE}\n</details>\n",
    "after summary, blank line": f"<details>\n<summary>week</summary>\n\n{LINE}\n\n</details>\n",
    "details with markdown=1": f'<details markdown="1">\n<summary>week</summary>\n\n{LINE}\n\n</details>\n',
    "indented summary in list": f"- entry\n  <details>\n  <summary>개념</summary>\n  {LINE}\n  </details>\n",
    "self-closing img": f'<img src="/images/a.png" width="450"/>\n{LINE}\n',
    "img after blank": f'<img src="/images/a.png" width="450"/>\n\n{LINE}\n',
    "img inside paragraph": f'text\n<img src="/images/a.png" width="450"/>\n{LINE}\n',
    "div": f"<div>\n{LINE}\n</div>\n",
    "div, blank lines": f"<div>\n\n{LINE}\n\n</div>\n",
    "div with markdown=1": f'<div markdown="1">\n{LINE}\n</div>\n',
    "after a closed div": f"<div>x</div>\n{LINE}\n",
    "closing tag first": f"</details>\n{LINE}\n",
    "p then list": f"<p>intro</p>\n{LINE}\n",
    "em on its own line": f"<em>\n{LINE}\n</em>\n",
    "span is inline": f"<span>x</span>\n{LINE}\n",
    "in block quote": f"> <div>\n> {LINE}\n> </div>\n",
    "p in a div": f"<div>\n  <p>\n  {LINE}\n  </p>\n</div>\n",
    "p with markdown=1 in a div": f'<div>\n  <p markdown="1">\n  {LINE}\n  </p>\n</div>\n',
    "table cell": f"<table><tr><td>\n{LINE}\n</td></tr></table>\n",
    "unclosed p in a div": f"<div>\n<p>text\n</div>\n\n{LINE}\n",
    "comment": f"<!--\n{LINE}\n-->\n",
    "pre": f"<pre>\n{LINE}\n</pre>\n",
}
# Raw on purpose: the writer wants the text as it is, whatever the renderer does.
LITERAL_ON_PURPOSE = {"comment", "pre"}


def _markdown_rendered(rendered: str) -> bool:
    """Whether the Markdown of LINE was rendered: its link or its bold became HTML."""
    return '<a href="https://arxiv.org' in rendered or "<strong>bold</strong>" in rendered


def test_kramdown_verdicts_agree_with_kramdown() -> None:
    names = sorted(HTML_CASES)
    wrong = []
    for name, rendered in zip(names, _kramdown_each([HTML_CASES[name] for name in names]), strict=True):
        findings = lint_text(HTML_CASES[name], HTML_BLOCK, dialect=JEKYLL_PAGE)
        site = [f for f in findings if f.severity.value == "error"]
        expected = not _markdown_rendered(rendered) and name not in LITERAL_ON_PURPOSE
        if bool(site) != expected:
            wrong.append((name, rendered, site))
    assert wrong == []


def test_goldmark_and_github_verdicts_agree_with_goldmark_and_github(tmp_path: Path) -> None:
    names = sorted(HTML_CASES)
    wrong = []
    for index, name in enumerate(names):
        markdown = HTML_CASES[name]
        goldmark = goldmark_html(markdown, tmp_path / str(index), config="[markup.goldmark.renderer]\nunsafe = true\n")
        for dialect, rendered in ((HUGO_PAGE, goldmark), (Dialect(), _github(markdown))):
            fires = bool(lint_text(markdown, HTML_BLOCK, dialect=dialect))
            expected = not _markdown_rendered(rendered) and name not in LITERAL_ON_PURPOSE
            if fires != expected:
                wrong.append((name, dialect.renderer, rendered, fires))
    assert wrong == []


@pytest.mark.parametrize(
    ("name", "github", "kramdown", "goldmark"),
    [
        # The table of the rulebook page, row by row: "raw" when the Markdown is not rendered.
        ("div", "raw", "raw", "raw"),
        ("div, blank lines", "rendered", "raw", "rendered"),
        ("div with markdown=1", "raw", "rendered", "raw"),
        ("self-closing img", "raw", "rendered", "raw"),
        ("p then list", "raw", "rendered", "raw"),
        ("em on its own line", "raw", "rendered", "raw"),
        ("span is inline", "rendered", "rendered", "rendered"),
        ("indented summary in list", "raw", "rendered", "raw"),
        ("unclosed p in a div", "rendered", "raw", "rendered"),
    ],
)
def test_what_each_renderer_does_with_html(
    name: str, github: str, kramdown: str, goldmark: str, tmp_path: Path
) -> None:
    markdown = HTML_CASES[name]
    [kramdown_page] = _kramdown_each([markdown])
    goldmark_page = goldmark_html(markdown, tmp_path, config="[markup.goldmark.renderer]\nunsafe = true\n")
    shown = {
        "github": _markdown_rendered(_github(markdown)),
        "kramdown": _markdown_rendered(kramdown_page),
        "goldmark": _markdown_rendered(goldmark_page),
    }
    assert {view: "rendered" if rendered else "raw" for view, rendered in shown.items()} == {
        "github": github,
        "kramdown": kramdown,
        "goldmark": goldmark,
    }


def test_a_site_with_parse_block_html_reads_markdown_inside_html(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("kramdown:\n  input: GFM\n  parse_block_html: true\n", encoding="utf-8")
    page = tmp_path / "_posts" / "2024-01-01-a.md"
    page.parent.mkdir()
    dialect = dialect_for(find_site_root(page), page, "---\n---\n")
    assert dialect == Dialect("kramdown", "liquid", github_view=True, parse_block_html=True)
    names = sorted(HTML_CASES)
    wrong = []
    rendered = _kramdown_each([HTML_CASES[name] for name in names], parse_block_html=True)
    for name, html_page in zip(names, rendered, strict=True):
        site = [f for f in lint_text(HTML_CASES[name], HTML_BLOCK, dialect=dialect) if f.severity.value == "error"]
        if bool(site) != (not _markdown_rendered(html_page) and name not in LITERAL_ON_PURPOSE):
            wrong.append((name, html_page, site))
    assert wrong == []
    assert lint_text(HTML_CASES["div, blank lines"], HTML_BLOCK, dialect=dialect) == []


def test_github_only_problems_on_a_jekyll_page_are_info_without_a_fix() -> None:
    # kramdown reads `<img …/>` as the start of a paragraph and renders the list after it.
    [finding] = lint_text(HTML_CASES["self-closing img"], HTML_BLOCK, dialect=JEKYLL_PAGE)
    assert (finding.line, finding.column, finding.severity.value, finding.fix) == (2, 1, "info", None)
    assert "in GitHub's file view (not on the kramdown page)" in finding.message
    options = {HTML_BLOCK: {"github-view": "off"}}
    assert lint_text(HTML_CASES["self-closing img"], HTML_BLOCK, dialect=JEKYLL_PAGE, options=options) == []


@pytest.mark.parametrize(
    "name", ["after summary", "after summary, blank line", "div", "div, blank lines", "p in a div", "in block quote"]
)
def test_the_kramdown_fix_makes_kramdown_render_the_markdown(name: str) -> None:
    markdown = HTML_CASES[name]
    [finding] = [f for f in lint_text(markdown, HTML_BLOCK, dialect=JEKYLL_PAGE) if f.severity.value == "error"]
    assert finding.fix is not None and finding.fix.applicability == "unsafe"
    assert 'add markdown="1" to its start tag' in finding.message
    fixed = fix_text(markdown, HTML_BLOCK, dialect=JEKYLL_PAGE, unsafe_fixes=True)
    # Only the attribute went in: no line was split, no word moved.
    assert fixed.replace(' markdown="1"', "") == markdown
    [rendered] = _kramdown_each([fixed])
    assert _markdown_rendered(rendered), rendered
    assert [f for f in lint_text(fixed, HTML_BLOCK, dialect=JEKYLL_PAGE) if f.severity.value == "error"] == []


def test_no_fix_splits_a_sentence() -> None:
    # A `<p markdown="1">` paragraph that goes on over several lines: kramdown renders it; on
    # GitHub it is raw, but a blank line in it would cut the sentence in two.
    markdown = (
        '<div class="note">\n  <p markdown="1">With the new commands the way\n'
        "  sites are `previewed` changed.</p>\n</div>\n"
    )
    [finding] = lint_text(markdown, HTML_BLOCK, dialect=JEKYLL_PAGE)
    assert (finding.line, finding.severity.value, finding.fix) == (3, "info", None)
    [readme] = lint_text(markdown, HTML_BLOCK)
    assert readme.fix is None and readme.message == "Markdown inside an HTML block is shown as raw text"


def test_an_element_without_end_tag_takes_the_rest_and_gets_no_fix() -> None:
    [finding] = [f for f in lint_text(HTML_CASES["unclosed p in a div"], HTML_BLOCK, dialect=JEKYLL_PAGE)]
    assert (finding.line, finding.fix) == (5, None)
    assert finding.message == "Markdown after <p> is shown as raw text by kramdown: <p> has no end tag"


def test_html_code_is_no_markdown() -> None:
    # `_config.yml</code> … <code>_` would pair as emphasis if the code elements were not literal.
    text = "<div>\n<p>your <code>_config.yml</code> file and the <code>_</code> character.</p>\n</div>\n"
    assert lint_text(text, HTML_BLOCK, dialect=JEKYLL_PAGE) == []
    assert lint_text("<div>\n" + text[6:].replace("<p>", "").replace("</p>", ""), HTML_BLOCK) == []


def test_liquid_in_html_is_masked() -> None:
    link = "<a href=\"{{ '/docs/x/' | relative_url }}\">x</a>"
    text = f'<div class="note">\n  <p>see {link} and {{{{ site.title }}}}</p>\n</div>\n'
    assert lint_text(text, HTML_BLOCK, dialect=JEKYLL_PAGE) == []


def test_no_fix_where_commonmark_reads_the_tag_as_code() -> None:
    # An indented table after a blank line is code to CommonMark, and fixes never write in code;
    # kramdown reads it as HTML and prints the backticks, so the finding stays, without a fix.
    text = "<table>\n  <tr>\n\n      <td><p>\n      The `Time` of the file\n      </p></td>\n  </tr>\n</table>\n"
    [rendered] = _kramdown_each([text])
    assert "`Time`" in rendered
    [finding] = [f for f in lint_text(text, HTML_BLOCK, dialect=JEKYLL_PAGE) if f.severity.value == "error"]
    assert (finding.line, finding.fix) == (5, None)
    assert 'add markdown="1" to its start tag' in finding.message


def test_a_block_beyond_the_emulation_budget_is_left_unreported() -> None:
    # kramdown retries every opener against the rest of its paragraph; thousands of unmatched
    # delimiters would take minutes to emulate, so such a block is skipped, not an error.
    hostile = "[**" * 3000 + "_강조(x)_를"
    assert lint_text(hostile, EMPHASIS, dialect=JEKYLL_PAGE, options={EMPHASIS: {"github-view": "off"}}) == []
    findings = lint_text("_강조(x)_를\n\n" + hostile, EMPHASIS, dialect=JEKYLL_PAGE)
    assert [(f.line, f.severity.value) for f in findings if f.severity.value == "error"] == [(1, "error")]
