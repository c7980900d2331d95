"""link-missing-scheme: a destination that names a web host but has no `https://`.

`[paper](arxiv.org/abs/2412.19437)` is a relative path for every Markdown renderer: GitHub
resolves it to `…/blob/main/arxiv.org/abs/2412.19437`, a 404.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mdlint.document import Document
from mdlint.findings import Finding, Fix, Severity
from mdlint.fix_safety import LINK_DESTINATIONS
from mdlint.link_targets import link_targets
from mdlint.rule import Rule, RuleContext

__all__ = ["RULE"]

# Top-level domains common enough that `name.tld/…` is surely a host, not a file name.
_COMMON_TLDS = frozenset(
    [
        "com",
        "org",
        "net",
        "io",
        "ai",
        "dev",
        "app",
        "co",
        "kr",
        "jp",
        "cn",
        "uk",
        "de",
        "fr",
        "eu",
        "us",
        "ca",
        "au",
        "in",
        "ru",
        "br",
        "es",
        "it",
        "nl",
        "se",
        "ch",
        "me",
        "tv",
        "info",
        "edu",
        "gov",
        "ly",
        "gg",
        "so",
        "sh",
        "to",
        "xyz",
        "tech",
        "site",
        "blog",
        "page",
        "cloud",
        "news",
        "science",
        "wiki",
    ]
)
_BARE_HOST = re.compile(
    r"^(?P<host>www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?P<tld>[a-z]{2,24}))"
    r"(?::\d{1,5})?(?:[/?#]|$)",
    re.I,
)


def bare_host(destination: str) -> str | None:
    """The host a scheme-less destination names, or None when it is a path."""
    match = _BARE_HOST.match(destination)
    if match is None:
        return None
    tld = match.group("tld")
    if tld is not None and tld.lower() not in _COMMON_TLDS:
        return None
    return match.group("host")


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    for target in link_targets(document):
        host = bare_host(target.url)
        if host is None:
            continue
        whole_link = target.kind in ("inline", "image")
        yield context.finding(
            target.node.start if whole_link else target.start,
            target.node.end if whole_link else target.end,
            f"destination {target.url!r} has no scheme and is read as a relative path; write https://{target.url}",
            fix=Fix.replace(target.start, target.start, "https://"),
        )


RULE = Rule(
    code="MDL004",
    name="link-missing-scheme",
    summary="A link to a web host without https:// resolves as a relative path",
    check=check,
    severity=Severity.ERROR,
    fix_scope=frozenset({LINK_DESTINATIONS}),
)
