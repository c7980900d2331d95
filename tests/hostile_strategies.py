"""Hypothesis strategies for hostile input, and the finding invariants every rule must keep.

`markdown_documents` composes the constructs that break Markdown tools: nested lists and quotes,
HTML blocks and `<details>`, emphasis and bracket runs, code spans and fences, front matter,
mixed scripts, emoji sequences, invisible and control characters, odd line breaks.
"""

from __future__ import annotations

import codecs

from hypothesis import strategies as st

from mdlint.findings import Finding
from mdlint.markdown.document import Document
from mdlint.source.decoding import decode

__all__ = ["as_file_bytes", "finding_problems", "markdown_documents", "odd_text"]

_PREFIXES = ["", "", "", "- ", "* ", "+ ", "1. ", "10) ", "> ", "> > ", ">>>", "> - ", "- > ", "  ", "    ", "\t"]
_PREFIXES += ["-\t", ">\t", "   - ", "  - ", "    - ", "      - ", "        - ", "- [ ] ", "- [x] "]
_OPENERS = ["", "", "", "# ", "###### ", "```", "~~~", "````py", "---", "***", "===", "- - -", "| a | b |"]
_OPENERS += ["|---|:-:|", "<details>", "</details>", "<summary>", "</summary>", "<details open><summary>S</summary>"]
_OPENERS += ["<div>", "</div>", "<!--", "-->", "<!-- c -->", "<pre>", "</pre>", "<script>", "<?php", "<![CDATA["]
_OPENERS += ["[ref]: https://example.com/r 'T'", "[ref]: <a b>", "[^1]: note", "{% raw %}", "+++", "..."]
_INLINE = [
    "word",
    "two words",
    "한국어 문장",
    "**강조**는",
    "*한국어*로",
    "日本語の**強調**です",
    "中文",
    "العربية",
    "עברית",
    "Ελληνικά",
    "😀",
    "🧑🏻‍💻",
    "👨‍👩‍👧‍👦",
    "🏳️‍🌈",
    "🇰🇷",
    "📜",
    "🎥",
    "1️⃣",
    "e\u0301",
    "\u00a0",
    "\u200b",
    "\u200d",
    "\u00ad",
    "\ufeff",
    "\u202e",
    "\u2066",
    "\u2028",
    "\u2029",
    "\x85",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x7f",
    "\x01",
    "\t",
    " ",
    "  ",
    "\\",
    "[",
    "]",
    "(",
    ")",
    "](",
    "![",
    "[link](http://example.com/a_b)",
    "[link](<a b> 'title')",
    "[a](b](c))",
    "[o](https://a.com](https://b.com))",
    "[t] (https://x.com)",
    "[](https://x.com)",
    "[x]()",
    "[broken](",
    "[ref]",
    "[text][ref]",
    "[^1]",
    "![alt](img.png)",
    "![](img.png)",
    "![alt *em*](img.png 't')",
    "[local](./missing.md#frag)",
    "[frag](#heading)",
    "[up](../../../etc/passwd)",
    "[abs](/Users/me/a.md)",
    "[win](C:\\notes\\a.md)",
    "[file](file:///tmp/a)",
    "[post]({% post_url 2020-01-01-a %})",
    "arxiv.org/abs/1",
    "https://bare.example/x",
    "www.example.com",
    "<http://a.example>",
    "<me@example.com>",
    "`code`",
    "``co`de``",
    "` spaced `",
    "`unclosed",
    "```",
    "*",
    "**",
    "***",
    "_",
    "__",
    "~~",
    "*em*",
    "**strong**",
    "***both***",
    "_under_",
    "~~gone~~",
    "**not closed",
    "<span>",
    "</span>",
    '<img src="a.png" width="450"/>',
    "<img src=x>",
    '<a href="arxiv.org/abs/2">',
    "<summary>S</summary>",
    "<details>",
    "</details>",
    "<!-- note -->",
    "<!--",
    "-->",
    "<!-- mdlint-disable -->",
    "<!-- mdlint-disable-next-line link-dead -->",
    "<!-- mdlint-enable nope -->",
    "&amp;",
    "&#35;",
    "&#0;",
    "&nbsp;",
    "\\*",
    "\\[",
    "|",
    "{{ site.url }}",
    "$x$",
]
_FRONT_MATTER = [
    "---\ntitle: x\n---",
    "---\ntitle: x\ndate: 2020-01-01\npermalink: /a/\n---",
    "---\ntitle: [unclosed\n---",
    "---\na: 1\na: 2\n---",
    "---\n: bad\n---",
    "---\n- list\n---",
    "---\ntitle: 'x'\nlang: ko\n---",
    "---\n---",
    "---\ntitle: x",
    "+++\ntitle = 'x'\n+++",
    "+++\ntitle = \n+++",
    "---\n!!python/object:os.system x\n---",
    "---\n&a [*a]\n---",
]


@st.composite
def markdown_documents(draw: st.DrawFn, max_lines: int = 14) -> str:
    """Markdown-shaped text: lines of container prefixes, block openers and inline pieces."""
    lines: list[str] = []
    for _ in range(draw(st.integers(0, max_lines))):
        depth = draw(st.integers(0, 3))
        prefix = "".join(draw(st.sampled_from(_PREFIXES)) for _ in range(depth))
        opener = draw(st.sampled_from(_OPENERS))
        pieces = draw(st.lists(st.sampled_from(_INLINE) | st.text(max_size=3), max_size=6))
        separator = draw(st.sampled_from([" ", "", " ", "\t"]))
        lines.append(prefix + opener + separator.join(pieces))
    if draw(st.integers(0, 3)) == 0:
        lines = [*draw(st.sampled_from(_FRONT_MATTER)).split("\n"), *lines]
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    text = newline.join(lines)
    final_newline: bool = draw(st.booleans())
    if lines and final_newline:
        text += newline
    return text


def odd_text() -> st.SearchStrategy[str]:
    """Arbitrary Unicode text (no surrogates, which cannot be encoded), often Markdown punctuation."""
    punctuation = st.sampled_from(list("[]()<>!*_`~#-+>|\\&:;'\"\n\r\t \u00a0\u200b\ufeff{}%$"))
    return st.text(st.characters(exclude_categories=["Cs"]) | punctuation, max_size=300)


def as_file_bytes(text: str, encoding: str, bom: bool) -> bytes:
    """The bytes of `text` as a file would hold them."""
    prefix = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-32-be": codecs.BOM_UTF32_BE}
    return (prefix[encoding] if bom else b"") + text.encode(encoding)


def document_from_bytes(path: str, data: bytes) -> Document:
    """Decode file bytes the way the runner does."""
    text, encoding, bom = decode(data)
    return Document(path, text, encoding=encoding, bom=bom)


def finding_problems(document: Document, findings: list[Finding]) -> list[str]:
    """Every finding lies inside the file, points at text that exists, and its fix stays inside."""
    lines = document.lines
    problems: list[str] = []
    for finding in findings:
        label = f"{finding.rule} {finding.line}:{finding.column}-{finding.end_line}:{finding.end_column}"
        if finding.path != document.path:
            problems.append(f"{label}: path {finding.path!r} is not {document.path!r}")
        for line, column in ((finding.line, finding.column), (finding.end_line, finding.end_column)):
            if not 1 <= line <= len(lines):
                problems.append(f"{label}: line {line} outside 1..{len(lines)}")
            # +1: a position just past the line's last character (an end, or an empty line).
            elif not 1 <= column <= len(lines[line - 1]) + 1:
                problems.append(f"{label}: column {column} outside 1..{len(lines[line - 1]) + 1} on line {line}")
        if (finding.line, finding.column) > (finding.end_line, finding.end_column):
            problems.append(f"{label}: starts after it ends")
        if not finding.message or "\n" in finding.message:
            problems.append(f"{label}: message {finding.message!r} is not one line")
        if finding.fix is not None:
            for edit in finding.fix.edits:
                if not 0 <= edit.start <= edit.end <= len(document.text):
                    problems.append(f"{label}: fix edit [{edit.start}, {edit.end}) outside 0..{len(document.text)}")
    return problems
