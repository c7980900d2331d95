"""What the remote checker is told and what it answers: settings, per-URL results, and the
interface through which a rule asks for remote checks.

Kept apart from `remote` so the cache and the rule can use these types without importing httpx,
which matters for runs that find every link in the cache.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from mdlint import __version__

__all__ = [
    "DEFAULT_USER_AGENT",
    "NOT_CHECKED",
    "CheckResult",
    "CheckerSettings",
    "HostSettings",
    "LinkClass",
    "RemoteLinkChecker",
]

LinkClass = Literal["ok", "dead", "blocked", "rate-limited", "unreachable"]

# How a reason starts when the checker chose not to (finish the) check: the time budget ran out, or
# the link leads somewhere it must not go. The class still says how to weigh the finding.
NOT_CHECKED = "not checked: "

DEFAULT_USER_AGENT = f"mdlint/{__version__} (link checker; +https://pypi.org/project/mdlint-kb/)"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome for one normalised URL."""

    url: str
    link_class: LinkClass
    status: int | None
    final_url: str | None
    reason: str


@dataclass(frozen=True)
class HostSettings:
    """Per-origin configuration: extra headers (sent only to this origin) and a concurrency limit (for its host).

    Keyed in `CheckerSettings.hosts` by an origin (`http://host:8080`) or a bare host name, which
    stands for its https origin (see `mdlint.links.urls.configured_origin`).
    """

    headers: Mapping[str, str] = field(default_factory=dict)
    concurrency: int | None = None


@dataclass(frozen=True)
class CheckerSettings:
    """How the checker behaves; the rule builds it from its options."""

    timeout: float = 10.0
    budget: float = 60.0
    max_redirects: int = 8
    # Per-host requests in flight at the start; grows on success up to 3x, halves on 429/503.
    concurrency: int = 6
    # Requests in flight over all hosts.
    max_concurrency: int = 64
    retries: int = 2
    # True: any host may resolve to a private address; a collection: only these host names.
    allow_private: bool | Collection[str] = False
    user_agent: str = DEFAULT_USER_AGENT
    hosts: Mapping[str, HostSettings] = field(default_factory=dict)


class RemoteLinkChecker(Protocol):
    """Checks http(s) URLs on a rule's behalf.

    Rules do no network or terminal I/O themselves: the run layer provides one of these (with its
    cache and progress display) only when the run may use the network, so a rule that gets none
    checks local targets only.
    """

    def check(self, groups: Sequence[tuple[CheckerSettings, Collection[str]]]) -> list[dict[str, CheckResult]]:
        """For each (settings, URLs) group, in order, its URLs' results keyed by normalised URL."""
        ...
