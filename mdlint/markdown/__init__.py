"""Markdown as a tree: the mistune adapter, the positioned syntax tree, inline scanners."""
