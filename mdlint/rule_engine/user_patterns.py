"""Regular expressions from configuration, matched in time linear in the text (RE2).

A config file is input anyone may change in a pull request. With Python's backtracking engine a
pattern such as `^https://x\\.com/(a+)+$` takes exponential time on a long enough destination,
and a run-level check has no per-file time limit to stop it. RE2 never backtracks: every match
is linear in the text, whatever the pattern. The price is RE2's syntax, which has no
backreferences and no lookaround; such a pattern is a config error, not a slow run.
"""

from __future__ import annotations

import re2

__all__ = ["UserPattern", "UserPatternError"]


class UserPatternError(ValueError):
    """A pattern RE2 cannot compile; the message quotes it and says why."""


def _options() -> re2.Options:
    options = re2.Options()
    # RE2 would also log each refused pattern on standard error; the config error says it once.
    options.log_errors = False
    return options


_OPTIONS = _options()


class UserPattern:
    """One compiled user pattern; `search` is True when it matches anywhere in the text."""

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        try:
            self._compiled = re2.compile(pattern, _OPTIONS)
        except re2.error as error:
            reason = error.args[0] if error.args else error
            if isinstance(reason, bytes):
                reason = reason.decode("utf-8", "replace")
            raise UserPatternError(f"invalid regular expression {pattern!r} (RE2 syntax): {reason}") from None

    def search(self, text: str) -> bool:
        """Whether the pattern matches somewhere in `text`."""
        return self._compiled.search(text) is not None
