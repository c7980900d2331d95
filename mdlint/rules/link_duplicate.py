"""link-duplicate: one resource (a normalised URL) listed as two different entries of one document,
such as the copy-pasted "[paper]" link that points every summary at the same arXiv page, or the
same post listed in two weeks of a reading list.

Only an entry's own link counts: the link a list item, paragraph, heading or table row leads with
(see `_entry_link`). A URL cited again in running prose, or mentioned in an entry's description
("inspired by [x](…)"), is not a second entry.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from pydantic import Field

from mdlint.conventions.icons import host_matches
from mdlint.findings import Finding, Severity
from mdlint.links.resources import resource_key
from mdlint.links.urls import normalise_url
from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import Node
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]

# Names no one can register, kept for examples and tests (RFC 2606, RFC 6761): a link there is a
# placeholder in an example, never a resource listed twice.
_PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net", "localhost")
_PLACEHOLDER_TLDS = ("test", "example", "invalid", "localhost")
# `[Google]`, `[NVIDIA, HuggingFace]`: the source tags a reading list writes before an entry's link.
_BRACKET_TAG = re.compile(r"\[[^\[\]]*\]")
_EMPHASIS = ("strong", "emphasis", "strikethrough")


class LinkDuplicateOptions(RuleOptions):
    """Which links may repeat."""

    ignore_hosts: list[str] = Field(
        default_factory=list,
        description="hosts (and their subdomains) whose links may appear in many entries",
    )


def _is_placeholder_host(host: str) -> bool:
    """Whether a host is reserved for examples or is this machine (example.org, x.test, 127.0.0.1)."""
    host = host.lower().strip("[]").rstrip(".")
    if any(host_matches(host, domain) for domain in _PLACEHOLDER_DOMAINS):
        return True
    if host.rsplit(".", 1)[-1] in _PLACEHOLDER_TLDS:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _is_decoration(text: str) -> bool:
    """Whether text before an entry's link only decorates it: icons, punctuation, `[source]` tags."""
    return not any(char.isalnum() for char in _BRACKET_TAG.sub("", text))


def _source(node: Node, text: str) -> str:
    return " " if node.type in ("softbreak", "linebreak") else text[node.start : node.end]


def _parenthesised(children: list[Node], index: int, text: str) -> bool:
    """Whether `children[index]` is alone in parentheses: `( [paper](…) )`."""
    if index == 0 or index + 1 >= len(children):
        return False
    before, after = children[index - 1], children[index + 1]
    return (
        before.type == "text"
        and after.type == "text"
        and _source(before, text).rstrip().endswith("(")
        and _source(after, text).lstrip().startswith(")")
    )


def _title_link(title: Node, text: str) -> Node | None:
    """The link of an emphasised title: leading (`**[Title](…)**`) or cited at its end
    (`**Title ( [paper](…) )**`)."""
    children = title.children
    for index, child in enumerate(children):
        if child.type != "link":
            continue
        if _is_decoration("".join(_source(node, text) for node in children[:index])):
            return child
        rest = "".join(_source(node, text) for node in children[index + 1 :])
        if _parenthesised(children, index, text) and _is_decoration(rest):
            return child
        return None
    return None


def _leading_link(block: Node, text: str) -> Node | None:
    """The link a block opens with, after nothing but decoration, or its opening title's link."""
    # Everything before the current child is decoration (else the loop has returned). Only its
    # last unclosed `[` onwards can still change meaning, when a later `]` closes it into a tag:
    # checking that tail instead of the whole prefix keeps a block of many children linear.
    open_tail = ""
    for child in block.children:
        if child.type == "link":
            return child
        if child.type in _EMPHASIS:
            link = _title_link(child, text)
            if link is not None:
                return link
        # An image or an HTML tag (`<img …>`, `<br>`) before the link is an icon; a tag's text,
        # if any, is a text node and counts.
        if child.type in ("image", "inline_html"):
            continue
        before = open_tail + _source(child, text)
        if not _is_decoration(before):
            return None
        opener = before.rfind("[")
        open_tail = before[opener:] if opener >= 0 and "]" not in before[opener:] else ""
    return None


def _cited_link(block: Node, text: str) -> Node | None:
    """A link alone in parentheses right after an emphasised name: `**Tensor Logic** ([paper](…))`.

    The name is what the block is about and the link stands for it, so it is the block's entry
    link even in the middle of a sentence.
    """
    children = block.children
    for index, child in enumerate(children):
        if (
            child.type == "link"
            and index >= 2
            and children[index - 2].type in _EMPHASIS
            and _parenthesised(children, index, text)
            and _source(children[index - 1], text).strip() == "("
        ):
            return child
    return None


def _entry_link(block: Node, text: str) -> Node | None:
    """The link that names what a block lists: the link it leads with, else a cited one."""
    return _leading_link(block, text) or _cited_link(block, text)


def _entry_blocks(document: Document) -> Iterator[tuple[Node, Node]]:
    """(entry, its text block) for every block that can list a resource, in source order.

    A list item's entry is the item itself; a table row's is the row, by its first cell; a
    paragraph or heading is its own entry. Later paragraphs of a list item describe it.
    """
    for block in document.nodes("paragraph", "block_text", "heading", "table_cell"):
        parent = block.parent
        if parent is None:
            continue
        if parent.type in ("list_item", "table_row"):
            if parent.children[0] is block:
                yield parent, block
        elif parent.type != "table_head":
            yield block, block


def _is_reference(link: Node, document: Document) -> bool:
    # `[text][label]` reuses one definition on purpose: the author chose a single target.
    return "destination" not in link.attrs and document.text.startswith("[", link.start)


def _inside_listing_item(entry: Node, listing: set[int]) -> bool:
    """Whether `entry` is inside a list item that lists a resource of its own."""
    return any(node.type == "list_item" and id(node) in listing for node in entry.ancestors())


def _check(document: Document, context: RuleContext[LinkDuplicateOptions]) -> Iterator[Finding]:
    options = context.options
    # Read as the renderer does: a template is one opaque word (an icon shortcode decorates).
    text = document.markdown_text
    found = [(entry, link) for entry, block in _entry_blocks(document) if (link := _entry_link(block, text))]
    listing = {id(entry) for entry, _ in found if entry.type == "list_item"}
    # Resource key -> (line, fragment, URL as written) of the entries so far.
    seen: dict[str, list[tuple[int, str, str]]] = {}
    for entry, link in found:
        # A sub-item's link (`- [Github](…)` under an entry) belongs to the entry above it.
        if _inside_listing_item(entry, listing):
            continue
        url = link.attrs.get("url")
        if url is None or _is_reference(link, document):
            continue
        # A destination that templates write (`{{ site.repository }}/…`) is not known here.
        if document.in_template(link.attrs.get("destination_start", link.start)):
            continue
        normalised = normalise_url(url)
        if normalised is None:
            continue
        host = urlsplit(normalised).hostname or ""
        if _is_placeholder_host(host) or any(host_matches(host, ignored) for ignored in options.ignore_hosts):
            continue
        key = resource_key(url) or normalised
        line, fragment = document.position(link.start)[0], urlsplit(url.strip()).fragment
        earlier = seen.setdefault(key, [])
        # Two different anchors of one page (`#loader`, `#platform`) are two different targets.
        first = next((e for e in earlier if not e[1] or not fragment or e[1] == fragment), None)
        earlier.append((line, fragment, url))
        if first is None:
            continue
        same = "" if normalise_url(first[2]) == normalised else f" (as {first[2]}: the same resource)"
        yield context.finding(
            link.start,
            link.end,
            f"{url} is already linked from another entry at line {first[0]}{same}",
            extra={"first_line": first[0], "url": normalised},
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
