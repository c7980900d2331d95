"""Control characters made visible in line-based output, so a message stays one line of plain text.

A message, a file name or a URL can carry text anyone may commit: a percent-encoded newline in a
link path decodes into the message, and a file name may contain one. Printed as they are, a newline
starts a second line that a CI runner reads as a command of its own (GitHub's `::error …`, Azure's
`##vso[…]`), ESC and BEL drive the terminal, and bidirectional overrides reorder what a reader
sees. Each such character is written as a Python-style escape (`\\n`, `\\x1b`, `\\u202e`).
Azure Pipelines' agent also reads `##vso[` as a command wherever it stands in a line, so its `[`
is escaped too (`##vso\\x5b`).
"""

from __future__ import annotations

import re

__all__ = ["escape_controls"]

# C0 but the tab, DEL, C1, the line and paragraph separators, and the bidirectional embeddings,
# overrides and isolates (the "Trojan Source" characters).
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """`text` with every control character (and `##vso[`) escaped; other text comes back unchanged."""
    escaped = _CONTROL.sub(_escape, text)
    return escaped.replace("##vso[", "##vso\\x5b") if "##vso[" in escaped else escaped
