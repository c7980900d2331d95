"""link-dead (MDL040): links whose target does not exist, locally or on the web.

Local targets (files, site pages, fragments) are always checked, also offline. Remote http(s)
links are checked once per run for all documents together, by the run's remote checker (which
the run provides only when it may use the network), each URL with the options of the files that
link it, and classified: only `dead` (404/410, or a missing local target) is an error by default;
`blocked`, `rate-limited` and `unreachable` are warnings, because they say more about the
checker's luck than about the link. `--strict` makes every class an error.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mdlint.findings import Finding, Severity
from mdlint.links.local import AnchorStyle, LinkVia, LocalChecker, anchor_ids
from mdlint.links.results import (
    DEFAULT_USER_AGENT,
    NOT_CHECKED,
    CheckerSettings,
    CheckResult,
    HostSettings,
    RemoteLinkChecker,
)
from mdlint.links.urls import (
    ClassifiedDestination,
    bare_host,
    classify_destination,
    configured_origin,
    liquid_tag_span,
)
from mdlint.markdown.document import Document
from mdlint.markdown.link_targets import link_targets
from mdlint.rule_engine.rule import Rule, RuleContext, RuleOptions, RunContext
from mdlint.rule_engine.user_patterns import UserPattern, UserPatternError
from mdlint.site.front_matter import front_matter_of
from mdlint.site.jekyll import liquid_text
from mdlint.site.model import collection_of, front_matter_defaults
from mdlint.site.workspace import Workspace

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

    # Every option that shapes the requests: where they may go, what they carry, how many and how
    # long. A config deeper in the tree (anyone's pull request) may not set them.
    network_reach: ClassVar[frozenset[str]] = frozenset(
        {
            "allow_private",
            "hosts",
            "user_agent",
            "budget",
            "timeout",
            "retries",
            "max_redirects",
            "concurrency",
            "max_concurrency",
        }
    )

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
        default_factory=list,
        description="regexes (RE2 syntax, linear time) matched against the destination; matching links are skipped",
    )
    hosts: dict[str, _HostOptions] = Field(
        default_factory=dict,
        description="per origin (`https://host:port`; a bare host name is its https origin): `headers` sent "
        "to that origin only, and `concurrency` for the host",
    )
    user_agent: str = Field(default=DEFAULT_USER_AGENT, description="the User-Agent header")
    site_root: str | None = Field(
        default=None,
        description="where root-relative links resolve; none: the nearest `_config.yml` or `hugo.toml`",
    )
    anchor_style: Literal["auto", "github", "kramdown", "goldmark"] = Field(
        default="auto",
        description='how headings become fragment ids: `"auto"` (by the file\'s renderer), `"github"`, `"kramdown"`, '
        '`"goldmark"`',
    )
    check_fragments: bool = Field(default=True, description="check `#fragment`s against the target's headings")

    @field_validator("exclude")
    @classmethod
    def _regexes_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                UserPattern(pattern)
            except UserPatternError as error:
                raise ValueError(str(error)) from None
        return patterns

    @field_validator("hosts")
    @classmethod
    def _hosts_are_origins(cls, hosts: dict[str, _HostOptions]) -> dict[str, _HostOptions]:
        for key in hosts:
            configured_origin(key)
        return hosts

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
    target: ClassifiedDestination
    via: LinkVia = "link"


@dataclass(frozen=True, slots=True)
class _Facts:
    """What link-dead needs from one parsed document: its link destinations and its anchors."""

    # (start, end, destination, its classification, what carries it); classified here so a
    # cached run need not.
    links: tuple[tuple[int, int, str, ClassifiedDestination, LinkVia], ...]
    anchor_style: AnchorStyle
    anchors: frozenset[str]


def _collect(document: Document, context: RuleContext[LinkDeadOptions]) -> _Facts:
    options = context.options
    variables = _liquid_variables(document, context.workspace)
    links = tuple(
        (link.start, link.end, link.destination, link.target, link.via)
        for link in _links(document, variables)
        if link.target.kind != "skip"
    )
    site = context.workspace.site_for(Path(document.path))
    return _Facts(links, options.anchor_style, anchor_ids(document, options.anchor_style, site))


# What a page's Liquid `page` prints from Jekyll itself, whatever its front matter says.
_COMPUTED_PAGE_VARIABLES = frozenset(
    {
        "url",
        "dir",
        "name",
        "path",
        "content",
        "excerpt",
        "id",
        "collection",
        "date",
        "relative_path",
        "next",
        "previous",
    }
)


def _liquid_variables(document: Document, workspace: Workspace) -> dict[str, str] | None:
    """The Liquid names known in this document, when Jekyll renders it with Liquid; else None."""
    path = Path(document.path)
    site = workspace.site_for(path)
    if site is None or site.kind != "jekyll":
        return None
    collection = collection_of(site, path)
    # Jekyll runs Liquid on files with front matter (and on every post); others are copied as they are.
    parsed = front_matter_of(document, workspace)
    if parsed is None and collection != "posts":
        return None
    variables = dict(site.liquid_variables)
    data = {**front_matter_defaults(site, path, collection), **(parsed.data if parsed is not None else {})}
    for key, value in data.items():
        text = liquid_text(value)
        if text is not None and key not in _COMPUTED_PAGE_VARIABLES:
            variables[f"page.{key}"] = text
    return variables


def _anchors(facts: _Facts) -> frozenset[str]:
    return facts.anchors


def _links_of(document: Document, facts: _Facts) -> Iterator[_Link]:
    for start, end, destination, target, via in facts.links:
        yield _Link(document, start, end, destination, target, via)


def _links(document: Document, variables: dict[str, str] | None) -> Iterator[_Link]:
    seen: set[int] = set()
    for view in (document, _liquid_view(document, variables)):
        for target in link_targets(view) if view is not None else ():
            if target.start in seen:
                continue
            seen.add(target.start)
            # `link-missing-scheme` already says `arxiv.org/abs/1` is not a path; one report is enough.
            if target.kind != "html" and bare_host(target.url) is not None:
                continue
            via: LinkVia = "html" if target.kind == "html" else "image" if target.kind == "image" else "link"
            classified = classify_destination(target.url, variables)
            yield _Link(document, target.start, target.end, target.url, classified, via)


def _liquid_view(document: Document, variables: dict[str, str] | None) -> Document | None:
    """The document as Jekyll reads it, when Jekyll runs Liquid (`variables`) on a file the run
    reads unmasked (a README at the site's root, a post without front matter); else None.

    `[text]({% post_url a %})` is a link after Liquid, plain text to CommonMark: the view parses
    the same text with the site's Liquid masking, at the same offsets.
    """
    if variables is None or document.dialect.templates is not None or "{" not in document.text:
        return None
    view = Document(document.path, document.text)
    view.dialect = replace(document.dialect, templates="liquid")
    return view


def _reported_span(link: _Link) -> tuple[int, int]:
    """The destination, or the `{% link %}`/`{% post_url %}` tag in it: what Jekyll fails on."""
    if link.target.kind == "post" or link.target.source_file:
        span = liquid_tag_span(link.destination)
        if span is not None:
            return link.start + span[0], link.start + span[1]
    return link.start, link.end


def _message(result: CheckResult) -> str:
    # The URL is named (normalised, without credentials): a log line must say which link failed.
    redirected = f" (after redirects, at {result.final_url})" if result.final_url else ""
    if result.reason.startswith(NOT_CHECKED):
        # "the server blocks checkers" would blame the server for the checker's own refusal.
        return f"link not checked {result.url}: {result.reason.removeprefix(NOT_CHECKED)}{redirected}"
    return f"{_LABELS[result.link_class]} {result.url}: {result.reason}{redirected}"


def _severity(context: RunContext[LinkDeadOptions, _Facts], document: Document, link_class: str) -> Severity:
    if context.workspace.settings.strict:
        return Severity.ERROR
    return context.severity_for(document) if link_class == "dead" else Severity.WARNING


def _check_remote(
    remote: Sequence[tuple[_Link, LinkDeadOptions]], checker: RemoteLinkChecker
) -> list[CheckResult | None]:
    """Each remote link's result, its URL checked with the options of the file that links it."""
    # Grouped by the settings the options make, not by the options object: files whose options
    # differ only in local matters (site root, exclude) share one check of each URL.
    groups: list[tuple[CheckerSettings, set[str]]] = []
    group_of: dict[int, int] = {}  # by id() of the options object, shared by the files of one config
    indexes: list[int] = []
    for link, options in remote:
        if id(options) not in group_of:
            settings = options.checker_settings()
            same = (index for index, (other, _) in enumerate(groups) if other == settings)
            group_of[id(options)] = next(same, len(groups))
            if group_of[id(options)] == len(groups):
                groups.append((settings, set()))
        index = group_of[id(options)]
        groups[index][1].add(link.target.url)
        indexes.append(index)
    results = checker.check(groups)
    return [results[index].get(link.target.url) for index, (link, _) in zip(indexes, remote, strict=True)]


def _local_finding(
    context: RunContext[LinkDeadOptions, _Facts],
    document: Document,
    link: _Link,
    options: LinkDeadOptions,
    local: LocalChecker,
    excludes: list[UserPattern],
    remote: list[tuple[_Link, LinkDeadOptions]],
) -> Finding | None:
    """The finding for a dead local target; a remote link is added to `remote` for later."""
    target = link.target
    if any(pattern.search(link.destination) for pattern in excludes):
        return None
    if target.kind == "remote":
        remote.append((link, options))
        return None
    if target.kind == "local":
        problem = local.problem(document, target.path, target.fragment, target.source_file, link.via)
    elif target.kind == "ref":
        problem = local.ref_problem(document, target.path, target.fragment, target.language)
    elif target.kind == "post":
        problem = local.post_problem(document, target.path, target.fragment)
    else:
        return None
    if problem is None:
        return None
    start, end = _reported_span(link)
    return context.finding(
        document,
        start,
        end,
        f"dead link: {problem}",
        severity=_severity(context, document, "dead"),
        extra={"class": "dead", "url": link.destination},
    )


def _check_run(documents: Sequence[Document], context: RunContext[LinkDeadOptions, _Facts]) -> Iterator[Finding]:
    workspace = context.workspace
    run_options = context.options
    remote: list[tuple[_Link, LinkDeadOptions]] = []
    facts_by_document: dict[int, _Facts] = {}
    checkers: dict[tuple[str | None, str, bool], LocalChecker] = {}
    compiled_excludes: dict[tuple[str, ...], list[UserPattern]] = {}
    for document in documents:
        facts = context.facts_for(document)
        if facts is None:
            own_options = context.options_for(document) or run_options
            facts = _collect(document, RuleContext(context.rule, own_options, context.severity, document, workspace))
        facts_by_document[id(document)] = facts
        # Seeded so a fragment link into another linted document needs no second parse of it.
        workspace.memo("link-dead.anchors", (id(document), facts.anchor_style), partial(_anchors, facts))
    for document in documents:
        options = context.options_for(document) or run_options
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
        exclude_key = tuple(options.exclude)
        excludes = compiled_excludes.get(exclude_key) or compiled_excludes.setdefault(
            exclude_key, [UserPattern(pattern) for pattern in options.exclude]
        )
        found: list[Finding] = []
        remote_here: list[tuple[_Link, LinkDeadOptions]] = []
        complete = False
        # Each document's local checks within its time limit: a target file that is slow to read
        # or parse ends this document's checks, not the run.
        with context.limit(document):
            for link in _links_of(document, facts_by_document[id(document)]):
                finding = _local_finding(context, document, link, options, local, excludes, remote_here)
                if finding is not None:
                    found.append(finding)
            complete = True
        if complete:
            remote.extend(remote_here)
            yield from found
    if context.remote_links is None or not remote:
        return
    for (link, _options), result in zip(remote, _check_remote(remote, context.remote_links), strict=True):
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
    uses_network=True,
    tags=("links",),
)
