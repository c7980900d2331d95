"""link-missing-scheme: a destination that names a web host but has no `https://`.

`[paper](arxiv.org/abs/2412.19437)` is a relative path for every Markdown renderer: GitHub
resolves it to `…/blob/main/arxiv.org/abs/2412.19437`, a 404.
"""

from __future__ import annotations

from collections.abc import Iterator

from mdlint.findings import LINK_DESTINATIONS, Finding, Fix, Severity
from mdlint.links.urls import bare_host
from mdlint.markdown.autolinks import autolinks_at
from mdlint.markdown.document import Document
from mdlint.markdown.link_targets import link_targets
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]


def check(document: Document, context: RuleContext[RuleOptions]) -> Iterator[Finding]:
    for target in link_targets(document):
        host = bare_host(target.url)
        if host is None:
            continue
        whole_link = target.kind in ("inline", "image")
        # `https://a.b/x\u00a0[paper](arxiv.org/abs/1)`: GitHub's autolink runs on to the next
        # ASCII space and takes the link in; `https://` would change where it points. Only the
        # block that holds the link is scanned for autolinks: a scan of the page costs more than
        # the rest of this rule on a long page (the language server lints on every edit).
        swallowed = any(link.start <= target.start < link.end for link in autolinks_at(document, target.node))
        yield context.finding(
            target.node.start if whole_link else target.start,
            target.node.end if whole_link else target.end,
            f"destination {target.url!r} has no scheme and is read as a relative path; write https://{target.url}",
            fix=None if swallowed else Fix.replace(target.start, target.start, "https://"),
        )


RULE = Rule(
    code="MDL004",
    name="link-missing-scheme",
    summary="A link to a web host without https:// resolves as a relative path",
    check=check,
    severity=Severity.ERROR,
    fix_scope=frozenset({LINK_DESTINATIONS}),
    fixes=frozenset({"safe"}),
)
