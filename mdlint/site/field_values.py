"""Front-matter values that may be written as one string or as a list: `tags`, `aliases`, …"""

from __future__ import annotations

__all__ = ["string_list"]


def string_list(value: object, *, split: bool = False) -> list[str]:
    """The value as a list of strings (None: none); with `split`, a string is space-separated words.

    Jekyll splits `categories: a b` into two categories; `aliases: /x/` is one alias.
    """
    if value is None:
        return []
    if isinstance(value, str):
        return value.split() if split else [value]
    if isinstance(value, list | tuple):
        return [str(item) for item in value if item is not None]
    return [str(value)]
