"""A paragraph or list item written in another language than the document's: the expected
language comes from front matter (`lang`/`language`) or the `language` option, and each block of
at least 80 letters -- once code, URLs, links, inline HTML and emoji are taken out, and Latin-script
terms inside a block that is mostly another script -- is identified with langdetect among a few
candidate languages. Only a confident other language (probability 0.9 or more) is reported, so
Korean prose full of English terms stays clean. Without an expected language the rule does nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field

from mdlint.findings import Finding, Severity
from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import Node, NodeType
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions
from mdlint.site.front_matter import front_matter_of
from mdlint.site.workspace import Workspace
from mdlint.source.language import available_languages, detect_probabilities, normalize_language

__all__ = ["RULE"]

# Link text is left out too: it is mostly the title of the linked page (an English paper title in
# a Korean note), which is in the page's language, not the writer's.
_SKIPPED_INLINE: frozenset[NodeType] = frozenset({"codespan", "inline_html", "image", "link"})
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w'’.-]*")
# A block at least this share non-Latin letters is written in that script; Latin words in it are
# terms and names ("Claude 3.5 Sonnet이 1위"). langdetect itself only drops them at two to one.
_NON_LATIN_SHARE = 0.15
_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+|\S+@\S+\.\w+", re.IGNORECASE)
_LANGUAGE_NAMES = {
    "ko": "Korean",
    "en": "English",
    "ja": "Japanese",
    "zh-cn": "Chinese (simplified)",
    "zh-tw": "Chinese (traditional)",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "vi": "Vietnamese",
}


class _Options(RuleOptions):
    language: str | None = Field(
        default=None, description="the document language when the front matter does not give one; none: no check"
    )
    # The expected one is always among them.
    languages: list[str] = Field(
        default_factory=lambda: ["ko", "en", "ja", "zh-cn"], description="the languages a block may be identified as"
    )
    min_letters: int = Field(default=80, ge=1, description="shorter blocks are not checked")
    min_probability: float = Field(
        default=0.9, gt=0.0, le=1.0, description="how sure langdetect must be of the other language"
    )


def _front_matter_language(document: Document, workspace: Workspace) -> tuple[str, str] | None:
    """(value, key) of `lang`/`language` in the front matter, when there is one."""
    parsed = front_matter_of(document, workspace)
    if parsed is None or not isinstance(parsed.data, dict):
        return None
    data = parsed.data
    for key in ("lang", "language"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value, key
    return None


def _prose(document: Document, block: Node) -> str:
    """The block's words: text and link text, without code, HTML, images, URLs or emoji."""
    pieces: list[str] = []
    stack = list(reversed(block.children))
    while stack:
        node = stack.pop()
        if node.type in _SKIPPED_INLINE:
            pieces.append(" ")
        elif node.type == "text":
            pieces.append(document.text[node.start : node.end])
        elif node.type in ("softbreak", "linebreak"):
            pieces.append(" ")
        else:
            stack.extend(reversed(node.children))
    import emoji  # ~40 ms to import; only paragraphs long enough to be checked need it

    text = emoji.replace_emoji(_URL.sub(" ", "".join(pieces)), " ")
    letters = [char for char in text if char.isalpha()]
    latin = sum(1 for char in letters if char < "\u0250")
    if letters and (len(letters) - latin) / len(letters) >= _NON_LATIN_SHARE:
        text = _LATIN_WORD.sub(" ", text)
    return text


def _name(code: str) -> str:
    return _LANGUAGE_NAMES.get(code, code)


def _check(document: Document, context: RuleContext[_Options]) -> Iterator[Finding]:
    options = context.options
    declared = _front_matter_language(document, context.workspace)
    source = f"front matter `{declared[1]}: {declared[0]}`" if declared else "the `language` option"
    raw = declared[0] if declared else options.language
    if raw is None:
        return
    expected = normalize_language(raw)
    if expected is None:
        return
    known = available_languages()
    candidates = tuple(sorted({expected} | {c for c in map(normalize_language, options.languages) if c in known}))
    if len(candidates) < 2:
        return
    for block in document.nodes("paragraph", "block_text"):
        text = _prose(document, block)
        if sum(1 for char in text if char.isalpha()) < options.min_letters:
            continue
        probabilities = detect_probabilities(text, candidates)
        if not probabilities:
            continue
        best = max(probabilities, key=lambda code: probabilities[code])
        if best == expected or probabilities[best] < options.min_probability:
            continue
        kind = "list item" if block.parent is not None and block.parent.type == "list_item" else "paragraph"
        yield context.finding(
            block.start,
            block.end,
            f"{kind} reads as {_name(best)} ({probabilities[best]:.2f}), not {_name(expected)} as {source} says",
            extra={"language": best, "probability": round(probabilities[best], 3), "expected": expected},
        )


RULE = Rule(
    code="MDL035",
    name="language-mismatch",
    summary="A paragraph or list item in another language than the document's",
    check=_check,
    severity=Severity.WARNING,
    options=_Options,
)
