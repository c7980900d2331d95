"""link-duplicate: one URL (normalised) linked from two different entries of one document, such as
the copy-pasted "[paper]" link that points every summary at the same arXiv page."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from pydantic import Field

from mdlint.conventions.icons import host_matches
from mdlint.findings import Finding, Severity
from mdlint.links.urls import normalise_url
from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import INLINE_TEXT_BLOCKS, Node, NodeType
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]

_ENTRY_BLOCKS: frozenset[NodeType] = frozenset({*INLINE_TEXT_BLOCKS, "block_html"})


class LinkDuplicateOptions(RuleOptions):
    """Which links may repeat."""

    ignore_hosts: list[str] = Field(
        default_factory=list,
        description="hosts (and their subdomains) whose links may appear in many entries",
    )


def _is_reference(link: Node, document: Document) -> bool:
    # `[text][label]` reuses one definition on purpose: the author chose a single target.
    return "destination" not in link.attrs and document.text.startswith("[", link.start)


def _entry(link: Node) -> Node:
    """The entry a link belongs to: its outermost list item whose own text links somewhere, else
    the innermost list item, else its block (paragraph, heading, table cell)."""
    items = [node for node in link.ancestors() if node.type == "list_item"]
    for item in reversed(items):
        first = item.children[0] if item.children else None
        if first is not None and first.type in ("paragraph", "block_text") and any(first.walk("link")):
            return item
    if items:
        return items[0]
    return next((node for node in link.ancestors() if node.type in _ENTRY_BLOCKS), link)


def _check(document: Document, context: RuleContext[LinkDuplicateOptions]) -> Iterator[Finding]:
    options = context.options
    seen: dict[str, list[tuple[Node, int, str]]] = {}  # URL -> (entry, line, fragment) so far
    for link in document.nodes("link"):
        url = link.attrs.get("url")
        if url is None or _is_reference(link, document):
            continue
        normalised = normalise_url(url)
        if normalised is None:
            continue
        host = urlsplit(normalised).hostname or ""
        if any(host_matches(host, ignored) for ignored in options.ignore_hosts):
            continue
        entry, line, fragment = _entry(link), document.position(link.start)[0], urlsplit(url.strip()).fragment
        earlier = seen.setdefault(normalised, [])
        # Two different anchors of one page (`#loader`, `#platform`) are two different targets.
        first = next((e for e in earlier if e[0] is not entry and (not e[2] or not fragment or e[2] == fragment)), None)
        same_entry = any(e[0] is entry for e in earlier)
        earlier.append((entry, line, fragment))
        if first is None or same_entry:
            continue
        yield context.finding(
            link.start,
            link.end,
            f"{url} is already linked from another entry at line {first[1]}",
            extra={"first_line": first[1], "url": normalised},
        )


RULE = Rule(
    code="MDL033",
    name="link-duplicate",
    summary="One URL linked from two different entries of a document",
    check=_check,
    severity=Severity.WARNING,
    options=LinkDuplicateOptions,
    tags=("links",),
)
