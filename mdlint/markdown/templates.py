"""Template syntax in a Markdown file: where it is, and the text Markdown sees once it is masked.

Jekyll renders Liquid (`{{ x }}`, `{% tag %}`) before kramdown sees the page, and Hugo expands
shortcodes (`{{< name >}}`, `{{% name %}}`) before Goldmark does. Read as bare Markdown, this
syntax makes false links, spaces "in destinations" and emphasis. Each span is masked with a
placeholder of the same length, so every offset, line and column stays that of the file, and
the parser sees one opaque word where the template was. What the template means (a URL, say)
is for the site model to work out from the span's source text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from mdlint.markdown.dialect import TemplateLanguage

__all__ = ["MASK", "TemplateSpan", "mask_templates", "raw_shortcode_bodies", "template_spans"]

# A private-use character: not whitespace, not punctuation and no Markdown syntax, so a masked
# span reads as one word, and a masked link destination stays one destination.
MASK = "\ue000"

SpanKind = Literal["output", "tag", "comment", "block", "shortcode"]

# A template longer than this is not one (an unclosed `{{` running on through the file).
_MAX_SPAN = 4000
_LIQUID_OPEN = re.compile(r"\{[{%]")
_LIQUID_TAG_NAME = re.compile(r"\{%-?\s*(\w+)")
_HUGO_OPEN = re.compile(r"\{\{[<%]")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
# Tags whose body is not Markdown: it is dropped (comment) or printed as code (highlight).
_OPAQUE_BODIES = {"comment": "comment", "highlight": "block"}


@dataclass(frozen=True, slots=True)
class TemplateSpan:
    """One piece of template syntax at `start:end` in the file's text."""

    start: int
    end: int
    kind: SpanKind


def template_spans(text: str, language: TemplateLanguage, start: int = 0) -> list[TemplateSpan]:
    """The template spans of `text` from offset `start` (the body, after front matter), in order."""
    if language == "liquid":
        return _liquid_spans(text, start)
    return _hugo_spans(text, start)


def mask_templates(text: str, spans: list[TemplateSpan]) -> str:
    """`text` with every span masked, line breaks kept.

    A line made only of Liquid tags prints nothing but its line break, so Markdown sees a blank
    line there; a line with output or a shortcode sees text.
    """
    if not spans:
        return text
    chars = list(text)
    for span in spans:
        for offset in range(span.start, span.end):
            if chars[offset] not in "\r\n":
                chars[offset] = MASK
    silent = [span for span in spans if span.kind in ("tag", "comment")]
    if silent:
        _blank_silent_lines(chars, text, silent)
    return "".join(chars)


def _blank_silent_lines(chars: list[str], text: str, silent: list[TemplateSpan]) -> None:
    # Spans are sorted and never overlap, and offsets only grow: one pointer walks them all.
    index = 0
    first, last = silent[0].start, silent[-1].end
    for match in _LINE.finditer(text):
        line_start, line_end = match.start(), match.end()
        if line_end < first:
            continue
        if line_start > last or line_start == line_end:
            break
        covered = False
        only_silent = True
        for offset in range(line_start, line_end):
            char = chars[offset]
            if char in "\r\n" or (char != MASK and char.isspace()):
                continue
            while index < len(silent) and silent[index].end <= offset:
                index += 1
            inside = char == MASK and index < len(silent) and silent[index].start <= offset
            if not inside:
                only_silent = False
                break
            covered = True
        if covered and only_silent:
            for offset in range(line_start, line_end):
                if chars[offset] not in "\r\n":
                    chars[offset] = " "


def _liquid_spans(text: str, start: int) -> list[TemplateSpan]:
    spans: list[TemplateSpan] = []
    position = start
    while True:
        match = _LIQUID_OPEN.search(text, position)
        if match is None:
            return spans
        opening = match.start()
        closer = "}}" if text[opening + 1] == "{" else "%}"
        end = text.find(closer, opening + 2, opening + _MAX_SPAN)
        if end < 0:
            position = opening + 2
            continue
        end += 2
        if closer == "}}":
            spans.append(TemplateSpan(opening, end, "output"))
            position = end
            continue
        name_match = _LIQUID_TAG_NAME.match(text, opening)
        name = name_match.group(1) if name_match else ""
        if name == "raw":
            # Everything up to `{% endraw %}` is printed as it is: not Liquid.
            spans.append(TemplateSpan(opening, end, "tag"))
            closing = re.compile(r"\{%-?\s*endraw\s*-?%\}").search(text, end)
            if closing is None:
                return spans
            spans.append(TemplateSpan(closing.start(), closing.end(), "tag"))
            position = closing.end()
            continue
        if name in _OPAQUE_BODIES:
            closing = re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}").search(text, end)
            if closing is not None:
                kind: SpanKind = "comment" if _OPAQUE_BODIES[name] == "comment" else "block"
                spans.append(TemplateSpan(opening, closing.end(), kind))
                position = closing.end()
                continue
        spans.append(TemplateSpan(opening, end, "tag"))
        position = end


def _hugo_spans(text: str, start: int) -> list[TemplateSpan]:
    spans: list[TemplateSpan] = []
    position = start
    while True:
        match = _HUGO_OPEN.search(text, position)
        if match is None:
            return spans
        opening = match.start()
        closer = ">}}" if text[opening + 2] == "<" else "%}}"
        end = _hugo_close(text, opening + 3, closer)
        if end < 0:
            position = opening + 3
            continue
        spans.append(TemplateSpan(opening, end, "shortcode"))
        position = end


def _hugo_close(text: str, position: int, closer: str) -> int:
    """The offset just past the shortcode's `>}}`/`%}}`, skipping quoted arguments; -1 if none."""
    limit = min(len(text), position + _MAX_SPAN)
    quote = ""
    while position < limit:
        char = text[position]
        if quote:
            if char == "\\" and quote == '"':
                position += 2
                continue
            if char == quote:
                quote = ""
        elif char in '"`':
            quote = char
        elif text.startswith(closer, position):
            return position + len(closer)
        position += 1
    return -1


_SHORTCODE_NAME = re.compile(r"\{\{<\s*(?P<close>/?)\s*(?P<name>[\w./-]+)")


def raw_shortcode_bodies(text: str, spans: list[TemplateSpan]) -> list[tuple[int, int]]:
    """(start, end) of what paired `{{< name >}} … {{< /name >}}` shortcodes enclose.

    Hugo hands that inner text to the shortcode's template as it is, not rendered as Markdown (as
    `{{% … %}}` is): it is often data or code (`code-toggle` holds YAML), so Markdown rules leave it be.
    """
    bodies: list[tuple[int, int]] = []
    open_spans: dict[str, list[TemplateSpan]] = {}
    for span in spans:
        if span.kind != "shortcode":
            continue
        match = _SHORTCODE_NAME.match(text, span.start, span.end)
        if match is None:
            continue
        name = match.group("name")
        if not match.group("close"):
            if not text[span.start : span.end].rstrip("}> \t").endswith("/"):
                open_spans.setdefault(name, []).append(span)
            continue
        if open_spans.get(name):
            opening = open_spans[name].pop()
            bodies.append((opening.end, span.start))
    return sorted(bodies)
