"""GitHub's extended autolinks as cmark-gfm scans a run of text: `www.` and `scheme://` links.

Pure text scanning, no parsed document: the emphasis scanner uses it as well as `autolinks`.
"""

from __future__ import annotations

import string
import unicodedata

__all__ = ["ASCII_PUNCTUATION", "delimited", "is_alnum", "is_alpha", "url_match", "www_link_end", "www_match"]

# cmark's `cmark_isspace`: ASCII only (a no-break space does not end a link).
_SPACE = frozenset("\t\n\f\r ")
ASCII_PUNCTUATION = frozenset(string.punctuation)
_TRAILING = frozenset("?!.,:*_~'\"")
_BEFORE_WWW = frozenset("*_~(")
_SCHEMES = ("http://", "https://", "ftp://")


def is_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _valid_host_character(char: str) -> bool:
    """cmark-gfm's `is_valid_hostchar`: neither a Unicode space nor punctuation."""
    if char.isascii():
        return char not in _SPACE and char not in ASCII_PUNCTUATION
    category = unicodedata.category(char)
    return category != "Zs" and not category.startswith("P")


def is_alpha(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _check_domain(data: str, allow_short: bool) -> int:
    """cmark-gfm's `check_domain`: the domain's length, 0 when it is no domain."""
    size = len(data)
    if data and not data[0].isascii():
        # cmark-gfm starts at the second byte: inside this character, which ends the domain.
        return 1 if allow_short else 0
    dots = underscores_before = underscores = 0
    index = 1
    while index < size - 1:
        if data[index] == "\\" and index < size - 2:
            index += 1
        char = data[index]
        if char == "_":
            underscores += 1
        elif char == ".":
            underscores_before, underscores = underscores, 0
            dots += 1
        elif not char.isascii():
            # cmark-gfm reads the domain byte by byte: a multi-byte character ends it.
            index += 1
            break
        elif (char in _SPACE or char in ASCII_PUNCTUATION) and char != "-":
            break
        index += 1
    if underscores_before or underscores:
        return 0
    return index if allow_short or dots else 0


def delimited(data: str, end: int) -> int:
    """cmark-gfm's `autolink_delim`: where the link ends once trailing punctuation is left out."""
    if "<" in data[:end]:
        end = data.index("<")
    while end > 0:
        last = data[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last == ";":
            new_end = end - 2
            while new_end > 0 and is_alpha(data[new_end]):
                new_end -= 1
            end = new_end if new_end < end - 2 and data[new_end] == "&" else end - 1
        elif last == ")":
            if data[:end].count(")") <= data[:end].count("("):
                break
            end -= 1
        else:
            break
    return end


def _extend(data: str, end: int) -> int:
    while end < len(data) and data[end] not in _SPACE and data[end] != "<":
        end += 1
    return end


def www_match(chunk: str, index: int) -> tuple[int, int, str] | None:
    if index > 0 and chunk[index - 1] not in _BEFORE_WWW and chunk[index - 1] not in _SPACE:
        return None
    data = chunk[index:]
    if not data.startswith("www."):
        return None
    end = _check_domain(data, False)
    if end == 0:
        return None
    end = delimited(data, _extend(data, end))
    if end == 0:
        return None
    return index, index + end, "http://" + data[:end]


def www_link_end(text: str, index: int) -> int | None:
    """Where the `www.` link GitHub makes at `index` of a block's text ends; None when it makes none."""
    match = www_match(text, index)
    return None if match is None else match[1]


def url_match(chunk: str, index: int) -> tuple[int, int, str] | None:
    data = chunk[index:]
    if len(data) < 4 or data[1] != "/" or data[2] != "/":
        return None
    rewind = 0
    while rewind < index and is_alpha(chunk[index - rewind - 1]):
        rewind += 1
    candidate = chunk[index - rewind :]
    if not any(
        len(candidate) > len(scheme)
        and candidate[: len(scheme)].lower() == scheme
        and _valid_host_character(candidate[len(scheme)])
        for scheme in _SCHEMES
    ):
        return None
    domain = _check_domain(data[3:], True)
    if domain == 0:
        return None
    end = delimited(data, _extend(data, 3 + domain))
    if end == 0:
        return None
    return index - rewind, index + end, chunk[index - rewind : index + end]
