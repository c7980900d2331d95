"""icon-category: an entry's icon disagrees with its link's domain, where the domain's icon is what
most entries of the document use for it, or what config maps."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from pydantic import Field

from mdlint.conventions.icons import Entry, IconModel, IconRuleOptions, host_matches, icon_model, link_host
from mdlint.findings import Finding, Severity
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import Rule, RuleContext

__all__ = ["RULE"]


class IconCategoryOptions(IconRuleOptions):
    """How a domain's icon is decided."""

    domains: dict[str, list[str]] = Field(
        default_factory=dict,
        description='icon -> domains, e.g. {"📜" = ["arxiv.org"]}; wins over what the document does',
    )
    min_entries: int = Field(default=3, ge=2, description="entries linking a domain before its icon is inferred")
    min_share: float = Field(default=0.75, gt=0.5, le=1.0, description="share of those entries that must agree")


def _configured_icon(host: str, model: IconModel, domains: dict[str, list[str]]) -> str | None:
    best: tuple[int, str] | None = None
    for icon, names in domains.items():
        for name in names:
            if host_matches(host, name) and (best is None or len(name) > best[0]):
                legend_icon = model.legend.resolve(icon)
                best = (len(name), legend_icon.sequence if legend_icon else icon)
    return best[1] if best else None


def _check(document: Document, context: RuleContext[IconCategoryOptions]) -> Iterator[Finding]:
    model = icon_model(document, context)
    if not model.active:
        return
    options = context.options
    typed: list[tuple[Entry, str, str]] = []  # entry, legend icon, host
    for entry in model.entries:
        if entry.icon is None or entry.link_url is None:
            continue
        legend_icon = model.legend.resolve(entry.icon.sequence)
        host = link_host(entry.link_url)
        if legend_icon is not None and host is not None:
            typed.append((entry, legend_icon.sequence, host))
    by_host: dict[str, Counter[str]] = {}
    for _entry, icon, host in typed:
        by_host.setdefault(host, Counter())[icon] += 1
    meanings = {icon.sequence: icon.meaning for icon in model.legend.icons}
    for entry, icon, host in typed:
        expected = _configured_icon(host, model, options.domains)
        if expected is not None:
            reason = f"config maps {host} to"
        else:
            counts = by_host[host]
            total = sum(counts.values())
            top, top_count = counts.most_common(1)[0]
            if total < options.min_entries or top_count / total < options.min_share:
                continue
            expected = top
            reason = f"{top_count} of {total} {host} entries in this document use"
        if expected == icon:
            continue
        assert entry.icon is not None
        yield context.finding(
            entry.icon.start,
            entry.icon.end,
            f'icon "{entry.icon.sequence}" ({meanings.get(icon, "?")}) links to {host}; '
            f'{reason} "{expected}" ({meanings.get(expected, "?")})',
        )


RULE = Rule(
    code="MDL023",
    name="icon-category",
    summary="Entry icon disagrees with the icon its link's domain gets elsewhere",
    check=_check,
    severity=Severity.WARNING,
    options=IconCategoryOptions,
    tags=("icons",),
)
