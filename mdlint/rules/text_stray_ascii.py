"""text-stray-ascii: an ASCII symbol inside a Hangul or CJK word (`방>지`, `모델|을`).

Typed on a Korean keyboard, `>` and `|` sit next to keys used mid-word, and a slip leaves the
symbol between two syllables where no spell checker looks. Only symbols that have no ordinary use
between two CJK letters are read (`A/B`, `1~3`, `학습&추론`, `인코더-디코더`, `등)과` are common
and left alone), only in text: not in code, URLs, HTML, template syntax or `$…$` math.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

import regex
from pydantic import Field

from mdlint.findings import Finding, Fix, Severity
from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import Node
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]

_CJK = r"\p{Hangul}\p{Han}\p{Hiragana}\p{Katakana}"


class _Options(RuleOptions):
    characters: str = Field(
        default="<>|\\^;`",
        description="ASCII symbols reported between two CJK letters",
    )


def _pattern(characters: str) -> regex.Pattern[str]:
    return regex.compile(f"(?<=[{_CJK}])[{re.escape(characters)}](?=[{_CJK}])")


_PATTERNS: dict[str, regex.Pattern[str]] = {}


def _text_node_at(starts: list[int], nodes: list[Node], offset: int) -> Node | None:
    index = bisect_right(starts, offset) - 1
    if index < 0:
        return None
    node = nodes[index]
    return node if node.start <= offset < node.end else None


def _check(document: Document, context: RuleContext[_Options]) -> Iterator[Finding]:
    characters = context.options.characters
    if not characters:
        return
    pattern = _PATTERNS.get(characters)
    if pattern is None:
        pattern = _PATTERNS[characters] = _pattern(characters)
    text = document.text
    matches = list(pattern.finditer(text, document.body_start))
    if not matches:
        return
    nodes = document.nodes("text")
    starts = [node.start for node in nodes]
    for match in matches:
        offset = match.start()
        node = _text_node_at(starts, nodes, offset)
        if node is None or document.in_code(offset) or document.in_template(offset):
            continue
        parent = node.parent
        if parent is not None and parent.type == "link" and not text.startswith("[", parent.start):
            continue  # a bare URL
        if _in_math(text, node, offset) or _escaped(text, offset):
            continue
        word_start, word_end = _word(text, offset)
        yield context.finding(
            offset,
            offset + 1,
            f"`{match.group()}` inside the word `{text[word_start:word_end]}`: a typing slip?",
            fix=Fix.replace(offset, offset + 1, "", "unsafe"),
        )


def _escaped(text: str, offset: int) -> bool:
    backslashes = 0
    while offset - backslashes - 1 >= 0 and text[offset - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _in_math(text: str, node: Node, offset: int) -> bool:
    line_start = max(node.start, text.rfind("\n", 0, offset) + 1)
    line_end = text.find("\n", offset)
    line_end = min(node.end, line_end if line_end >= 0 else len(text))
    return "$" in text[line_start:offset] and "$" in text[offset:line_end]


_WORD_CHARS = regex.compile(rf"[{_CJK}\w]*")


def _word(text: str, offset: int) -> tuple[int, int]:
    """The word around the symbol at `offset`, symbol included (at most 20 characters each side)."""
    start = offset
    while start > max(0, offset - 20) and _WORD_CHARS.fullmatch(text[start - 1]):
        start -= 1
    end = offset + 1
    match = _WORD_CHARS.match(text, end, min(len(text), end + 20))
    return start, match.end() if match else end


RULE = Rule(
    code="MDL038",
    name="text-stray-ascii",
    summary="An ASCII symbol inside a Hangul or CJK word (`방>지`): a typing slip no spell checker catches",
    check=_check,
    severity=Severity.WARNING,
    options=_Options,
    fixes=frozenset({"unsafe"}),
    tags=("cjk",),
)
