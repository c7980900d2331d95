"""link-dead (MDL040): links whose target does not exist, locally or on the web.

Local targets (files, site pages, fragments) are always checked, also offline. Remote http(s)
links are checked once per run for all documents together, through the SQLite link cache, and
classified: only `dead` (404/410, or a missing local target) is an error by default; `blocked`,
`rate-limited` and `unreachable` are warnings, because they say more about the checker's luck
than about the link. `--strict` makes every class an error.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mdlint.findings import Finding, Severity
from mdlint.links.cache import LinkCache
from mdlint.links.local import AnchorStyle, LocalChecker, anchor_ids
from mdlint.links.results import DEFAULT_USER_AGENT, NOT_CHECKED, CheckerSettings, CheckResult, HostSettings
from mdlint.links.urls import LinkTarget, bare_host, classify_destination
from mdlint.markdown.document import Document
from mdlint.markdown.link_targets import link_targets
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions, RunContext

__all__ = ["RULE"]

_LABELS = {
    "dead": "dead link",
    "blocked": "link not verified, the server blocks checkers",
    "rate-limited": "link not verified, rate-limited",
    "unreachable": "link unreachable",
}


class _HostOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    headers: dict[str, str] = Field(default_factory=dict)
    concurrency: int | None = Field(default=None, ge=1)


class LinkDeadOptions(RuleOptions):
    """Options of `link-dead`."""

    allow_private: bool | list[str] = Field(
        default=False, description="true, or the host names allowed to resolve to private addresses"
    )
    timeout: float = Field(default=10.0, gt=0, description="seconds for a whole request (per redirect hop and retry)")
    budget: float = Field(
        default=120.0, gt=0, description='seconds for all remote checks of a run; links left are "not checked"'
    )
    max_redirects: int = Field(default=8, ge=0, description="more redirects are `unreachable`")
    concurrency: int = Field(
        default=6, ge=1, description="requests per host at the start; grows to 3x on success, halves on 429/503"
    )
    max_concurrency: int = Field(default=64, ge=1, description="requests over all hosts")
    retries: int = Field(default=2, ge=0, description="for timeouts, resets, 429 and 5xx, with backoff and jitter")
    exclude: list[str] = Field(
        default_factory=list, description="regexes matched against the destination; matching links are skipped"
    )
    hosts: dict[str, _HostOptions] = Field(
        default_factory=dict, description="per host: `concurrency`, and `headers` sent to that host only"
    )
    user_agent: str = Field(default=DEFAULT_USER_AGENT, description="the User-Agent header")
    site_root: str | None = Field(
        default=None,
        description="where root-relative links resolve; none: the nearest `_config.yml` or `hugo.toml`",
    )
    anchor_style: Literal["github", "kramdown"] = Field(
        default="github", description='how headings become fragment ids: `"github"` or `"kramdown"`'
    )
    check_fragments: bool = Field(default=True, description="check `#fragment`s against the target's headings")

    @field_validator("exclude")
    @classmethod
    def _regexes_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"invalid regular expression {pattern!r}: {error}") from None
        return patterns

    def checker_settings(self) -> CheckerSettings:
        """The remote checker's settings from these options."""
        return CheckerSettings(
            timeout=self.timeout,
            budget=self.budget,
            max_redirects=self.max_redirects,
            concurrency=self.concurrency,
            max_concurrency=self.max_concurrency,
            retries=self.retries,
            allow_private=self.allow_private if isinstance(self.allow_private, bool) else tuple(self.allow_private),
            user_agent=self.user_agent,
            hosts={
                host.lower(): HostSettings(headers=dict(o.headers), concurrency=o.concurrency)
                for host, o in self.hosts.items()
            },
        )


@dataclass(frozen=True, slots=True)
class _Link:
    document: Document
    start: int
    end: int
    destination: str
    target: LinkTarget


# `[text]({% post_url a %})`: Jekyll expands Liquid before Markdown, so a destination with spaces
# inside the braces is a link there, while CommonMark sees plain text.
_LIQUID_LINK = re.compile(r"\]\((\{(?:\{[^{}\n]*\}|%[^{}\n]*%)\}[^()\s]*)\)")


@dataclass(frozen=True, slots=True)
class _Facts:
    """What link-dead needs from one parsed document: its link destinations and its anchors."""

    # (start, end, destination, its classification); classified here so a cached run need not.
    links: tuple[tuple[int, int, str, LinkTarget], ...]
    anchor_style: AnchorStyle
    anchors: frozenset[str]


def _collect(document: Document, context: RuleContext) -> _Facts:
    options: LinkDeadOptions = context.options
    # Offline, remote links are never checked; a run over thousands of notes need not hold them.
    unchecked = ("remote", "skip") if context.workspace.settings.offline else ("skip",)
    links = tuple(
        (link.start, link.end, link.destination, link.target)
        for link in _links(document)
        if link.target.kind not in unchecked
    )
    return _Facts(links, options.anchor_style, anchor_ids(document, options.anchor_style))


def _anchors(facts: _Facts) -> frozenset[str]:
    return facts.anchors


def _links_of(document: Document, facts: _Facts) -> Iterator[_Link]:
    for start, end, destination, target in facts.links:
        yield _Link(document, start, end, destination, target)


def _links(document: Document) -> Iterator[_Link]:
    seen: set[int] = set()
    for target in link_targets(document):
        seen.add(target.start)
        # `link-missing-scheme` already says `arxiv.org/abs/1` is not a path; one report is enough.
        if target.kind != "html" and bare_host(target.url) is not None:
            continue
        yield _Link(document, target.start, target.end, target.url, classify_destination(target.url))
    if "{" not in document.text:
        return
    for match in _LIQUID_LINK.finditer(document.text, document.body_start):
        start = match.start(1)
        if start not in seen and not document.in_code(start):
            destination = match.group(1)
            yield _Link(document, start, match.end(1), destination, classify_destination(destination))


def _message(result: CheckResult) -> str:
    redirected = f" (after redirects, at {result.final_url})" if result.final_url else ""
    if result.reason.startswith(NOT_CHECKED):
        # "the server blocks checkers" would blame the server for the checker's own refusal.
        return f"link not checked: {result.reason.removeprefix(NOT_CHECKED)}{redirected}"
    return f"{_LABELS[result.link_class]}: {result.reason}{redirected}"


def _severity(context: RunContext, document: Document, link_class: str) -> Severity:
    if context.workspace.settings.strict:
        return Severity.ERROR
    return context.severity_for(document) if link_class == "dead" else Severity.WARNING


def _progress(total: int, context: RunContext) -> tuple[AbstractContextManager[Any], Callable[[CheckResult], None]]:
    if not (context.workspace.settings.show_progress and sys.stderr.isatty()) or total == 0:
        return nullcontext(), lambda _result: None
    from rich.console import Console
    from rich.progress import Progress

    progress = Progress(console=Console(stderr=True), transient=True)
    task = progress.add_task("checking links", total=total)
    return progress, lambda _result: progress.advance(task)


def _check_remote(urls: set[str], options: LinkDeadOptions, context: RunContext) -> dict[str, CheckResult]:
    cache = LinkCache.open(context.workspace.settings.cache_dir)
    try:
        results = cache.fresh(urls) if cache is not None else {}
        missing = urls - results.keys()
        bar, advance = _progress(len(missing), context)
        with bar:
            # Imported here: httpx is only needed when some link is not in the cache.
            from mdlint.links.remote import check_urls_sync

            checked = check_urls_sync(missing, options.checker_settings(), advance) if missing else {}
        if cache is not None:
            cache.store(checked.values())
        results.update(checked)
        return results
    finally:
        if cache is not None:
            cache.close()


def _check_run(documents: Sequence[Document], context: RunContext) -> Iterator[Finding]:
    workspace = context.workspace
    run_options: LinkDeadOptions = context.options
    remote: list[tuple[_Link, LinkDeadOptions]] = []
    facts_by_document: dict[int, _Facts] = {}
    checkers: dict[tuple[str | None, str, bool], LocalChecker] = {}
    for document in documents:
        facts: _Facts | None = context.facts_for(document)
        if facts is None:
            own_options = context.options_for(document) or run_options
            facts = _collect(document, RuleContext(context.rule, own_options, context.severity, document, workspace))
        facts_by_document[id(document)] = facts
        # Seeded so a fragment link into another linted document needs no second parse of it.
        workspace.memo("link-dead.anchors", (id(document), facts.anchor_style), partial(_anchors, facts))
    for document in documents:
        options: LinkDeadOptions = context.options_for(document) or run_options
        # One checker per distinct setting, so its directory listings serve every document.
        checker_key = (options.site_root, options.anchor_style, options.check_fragments)
        local = checkers.get(checker_key) or checkers.setdefault(
            checker_key,
            LocalChecker(
                memo=workspace.memo,
                load=workspace.document,
                site_root_override=Path(options.site_root) if options.site_root else None,
                anchor_style=options.anchor_style,
                check_fragments=options.check_fragments,
            ),
        )
        excludes = [re.compile(pattern) for pattern in options.exclude]
        for link in _links_of(document, facts_by_document[id(document)]):
            target = link.target
            if any(pattern.search(link.destination) for pattern in excludes):
                continue
            if target.kind == "remote":
                remote.append((link, options))
                continue
            if target.kind == "local":
                problem = local.problem(document, target.path, target.fragment, target.source_file)
            elif target.kind == "post":
                problem = local.post_problem(document, target.path)
            else:
                continue
            if problem is not None:
                yield context.finding(
                    document,
                    link.start,
                    link.end,
                    f"dead link: {problem}",
                    severity=_severity(context, document, "dead"),
                    extra={"class": "dead", "url": link.destination},
                )
    if workspace.settings.offline or not remote:
        return
    results = _check_remote({link.target.url for link, _ in remote}, run_options, context)
    for link, _options in remote:
        result = results.get(link.target.url)
        if result is None or result.link_class == "ok":
            continue
        yield context.finding(
            link.document,
            link.start,
            link.end,
            _message(result),
            severity=_severity(context, link.document, result.link_class),
            extra={"class": result.link_class, "url": result.url, "status": result.status},
        )


RULE = Rule(
    code="MDL040",
    name="link-dead",
    summary="Link target does not exist (missing file, page or fragment; HTTP 404/410)",
    check_run=_check_run,
    collect=_collect,
    options=LinkDeadOptions,
    tags=("links", "network"),
)
