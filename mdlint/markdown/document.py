"""A Markdown document: a decoded file with its parsed tree and an index of its nodes."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from mdlint.markdown.dialect import DEFAULT_DIALECT, Dialect
from mdlint.markdown.syntax_tree import Node, NodeType, check_node_types
from mdlint.markdown.templates import TemplateSpan, mask_templates, template_spans
from mdlint.source.decoding import DEFAULT_MAX_FILE_BYTES, read_text
from mdlint.source.text import SourceText

__all__ = ["Document", "read_document"]

T = TypeVar("T")


@dataclass(slots=True)
class _ParsedTree:
    """Everything derived from one parse; dropped as a whole when the tree is."""

    root: Node
    by_type: dict[NodeType, list[Node]] | None = None
    code_ranges: list[tuple[int, int]] | None = None


@dataclass(slots=True)
class _Templates:
    """The template spans of one text and dialect, their starts, and the text with them masked."""

    spans: list[TemplateSpan]
    starts: list[int]
    masked: str | None = None


class Document(SourceText):
    """One decoded Markdown file and everything rules need to know about it.

    The text, lines and front matter come from `SourceText`; the tree is parsed on first use,
    shared by all rules, and can be dropped (`forget_parse`) while the text is kept.
    """

    def __init__(self, path: str, text: str, *, encoding: str = "utf-8", bom: bool = False) -> None:
        super().__init__(path, text, encoding=encoding, bom=bom)
        self._tree: _ParsedTree | None = None
        # Facts several rules share (see `memo`); they may point into the tree, so they go with it.
        self._memo: dict[Hashable, Any] = {}
        self._dialect = DEFAULT_DIALECT
        self._template_cache: _Templates | None = None

    @property
    def dialect(self) -> Dialect:
        """How this file becomes a page (renderer, template language); set by the run from the site."""
        return self._dialect

    @dialect.setter
    def dialect(self, dialect: Dialect) -> None:
        if dialect != self._dialect:
            self._dialect = dialect
            self.forget_derived()

    @property
    def template_spans(self) -> list[TemplateSpan]:
        """The template syntax in the body (Liquid or shortcodes, by the dialect), in order."""
        return self._templates.spans

    @property
    def markdown_text(self) -> str:
        """The text as the Markdown renderer sees it: template spans masked, same offsets as `text`."""
        templates = self._templates
        if templates.masked is None:
            templates.masked = mask_templates(self.text, templates.spans) if templates.spans else self.text
        return templates.masked

    def in_template(self, offset: int) -> bool:
        """Whether an offset lies inside template syntax."""
        templates = self._templates
        if not templates.spans:
            return False
        index = bisect.bisect_right(templates.starts, offset) - 1
        return index >= 0 and offset < templates.spans[index].end

    @property
    def _templates(self) -> _Templates:
        # Found once per text and dialect: rules ask `in_template` for every link they see.
        if self._template_cache is None:
            language = self._dialect.templates
            text = self.text
            spans = [] if language is None or "{" not in text else template_spans(text, language, self.body_start)
            self._template_cache = _Templates(spans, [span.start for span in spans])
        return self._template_cache

    @property
    def _parsed(self) -> _ParsedTree:
        if self._tree is None:
            # Imported on first parse: mistune is not needed by runs that read no Markdown
            # (`--version`, `--list-rules`, a fully cached run).
            from mdlint.markdown.parser import parse_document

            masked = self.markdown_text
            self._tree = _ParsedTree(parse_document(self, masked if masked is not self.text else None))
        return self._tree

    @property
    def root(self) -> Node:
        """The parsed Markdown body; parsed once, on first use, and shared by all rules."""
        return self._parsed.root

    def forget_derived(self) -> None:
        super().forget_derived()
        self._tree = None
        self._template_cache = None
        self._memo.clear()

    def forget_parse(self) -> None:
        """Drop the parsed tree and what was derived from it; the next use parses again.

        A run keeps every document's text until its run-level checks are done, but not the
        trees: they are many times the size of the text.
        """
        self.forget_derived()

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Compute a fact about this document once (e.g. a model several rules share) and keep it.

        Kept with the parsed tree rather than the run, so it goes when the tree goes.
        """
        memo = self._memo
        if key not in memo:
            memo[key] = compute()
        value: T = memo[key]
        return value

    def nodes(self, *types: NodeType) -> list[Node]:
        """All nodes of these types in source order; one shared index, built on first use.

        Rules ask for their node types here rather than each walking the whole tree.
        """
        check_node_types(types)
        parsed = self._parsed
        if parsed.by_type is None:
            index: dict[NodeType, list[Node]] = {}
            for node in parsed.root.walk():
                index.setdefault(node.type, []).append(node)
            parsed.by_type = index
        index = parsed.by_type
        if len(types) == 1:
            return index.get(types[0], [])
        found = [node for kind in types for node in index.get(kind, [])]
        found.sort(key=lambda node: (node.start, -node.end))
        return found

    @property
    def code_ranges(self) -> list[tuple[int, int]]:
        """Sorted (start, end) offsets of code spans and code blocks, where rules leave text alone."""
        parsed = self._parsed
        if parsed.code_ranges is None:
            parsed.code_ranges = sorted((node.start, node.end) for node in self.nodes("codespan", "block_code"))
        return parsed.code_ranges

    def in_code(self, offset: int) -> bool:
        """Whether an offset lies inside a code span or code block."""
        ranges = self.code_ranges
        index = bisect.bisect_right(ranges, (offset, len(self.text) + 1)) - 1
        return index >= 0 and ranges[index][0] <= offset < ranges[index][1]


def read_document(path: Path, display_path: str | None = None, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Document:
    """Read and decode one file; raise `UnreadableFileError` with a one-line reason."""
    text, encoding, bom = read_text(path, max_bytes=max_bytes)
    return Document(display_path if display_path is not None else str(path), text, encoding=encoding, bom=bom)
