"""Every place a document points somewhere: Markdown links and images, definitions, HTML attributes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from mdlint.markdown.document import Document
from mdlint.markdown.html_tags import html_tags
from mdlint.markdown.syntax_tree import Node
from mdlint.markdown.templates import MASK

__all__ = ["LinkTarget", "link_targets"]

_URL_ATTRIBUTE = re.compile(
    r"""\b(?P<name>href|src)\s*=\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^\s"'=<>`]+))""",
    re.I,
)


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """A destination as written, where it stands, and what holds it.

    `kind` is `inline` (`[t](dest)`), `image`, `definition` (`[label]: dest`), `autolink`
    (`<https://…>` or a bare URL) or `html` (an `href`/`src` attribute). `start`/`end` are the
    destination's offsets in `document.text`; `node` is the link, image, definition or HTML node.
    """

    url: str
    start: int
    end: int
    kind: str
    node: Node


def link_targets(document: Document) -> Iterator[LinkTarget]:
    """All link destinations of the document in source order (code is never searched)."""
    targets: list[LinkTarget] = []
    for node in document.nodes("link", "image", "link_definition", "block_html", "inline_html"):
        if node.type in ("block_html", "inline_html"):
            targets.extend(_html_targets(document, node))
        elif node.type == "link_definition":
            start = node.attrs.get("destination_start", node.start)
            targets.append(
                LinkTarget(
                    node.attrs.get("destination", ""),
                    start,
                    node.attrs.get("destination_end", start),
                    "definition",
                    node,
                )
            )
        elif "destination" in node.attrs:
            start = node.attrs["destination_start"]
            kind = "image" if node.type == "image" else "inline"
            targets.append(LinkTarget(node.attrs["destination"], start, node.attrs["destination_end"], kind, node))
        elif "reference" not in node.attrs and node.type == "link":
            source = document.text[node.start : node.end]
            if source.startswith("<") and source.endswith(">"):
                targets.append(LinkTarget(source[1:-1], node.start + 1, node.end - 1, "autolink", node))
            elif not source.startswith("["):
                targets.append(LinkTarget(source, node.start, node.end, "autolink", node))
    targets.sort(key=lambda target: (target.start, target.end))
    for target in targets:
        if MASK in target.url:
            # The parser saw the template masked; the destination is what the file says.
            yield LinkTarget(
                document.text[target.start : target.end], target.start, target.end, target.kind, target.node
            )
        else:
            yield target


def _html_targets(document: Document, node: Node) -> Iterator[LinkTarget]:
    for tag in html_tags(document, node):
        attributes = tag.group("attributes")
        offset = node.start + tag.start("attributes")
        for attribute in _URL_ATTRIBUTE.finditer(attributes):
            group = next(name for name in ("double", "single", "bare") if attribute.group(name) is not None)
            yield LinkTarget(
                attribute.group(group),
                offset + attribute.start(group),
                offset + attribute.end(group),
                "html",
                node,
            )
