"""link-local-path: links into the author's own machine.

`/Users/me/notes/a.png`, `/home/me/…`, `C:\\notes\\a.png` or `file:///…` work on the computer
they were written on and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterator

from mdlint.findings import Finding
from mdlint.links.urls import is_local_machine_path
from mdlint.markdown.document import Document
from mdlint.markdown.link_targets import link_targets
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions

__all__ = ["RULE"]


def check(document: Document, context: RuleContext[RuleOptions]) -> Iterator[Finding]:
    for target in link_targets(document):
        if is_local_machine_path(target.url):
            whole_link = target.kind in ("inline", "image")
            yield context.finding(
                target.node.start if whole_link else target.start,
                target.node.end if whole_link else target.end,
                f"{target.url!r} points into one computer's file system; link a path inside the repository or a URL",
            )


RULE = Rule(
    code="MDL005",
    name="link-local-path",
    summary="Links to /Users/…, /home/…, C:\\… or file: work only on the author's machine",
    check=check,
)
