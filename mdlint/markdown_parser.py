"""Placeholder: the position-tracking mistune layer lands in the next commit."""

from __future__ import annotations

from mdlint.document import Document
from mdlint.syntax_tree import Node


def parse_document(document: Document) -> Node:
    raise NotImplementedError
