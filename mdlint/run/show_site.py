"""`mdlint --show-site`: what mdlint detected about the sites of the given files.

A link resolves, a field is supplied or bold renders because of the site a file belongs to; this
report shows that model (generator, configuration, how each file is rendered, the URL of each
page) so a user can see why.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mdlint.run.files import collect_files
from mdlint.site.hugo import content_dirs
from mdlint.site.model import SiteRoot, build_site_map
from mdlint.site.workspace import Workspace

__all__ = ["site_report"]

# The configuration keys that decide URLs, fields and rendering (the rest is the theme's business).
_MODEL_KEYS = frozenset(
    {
        # Jekyll
        "baseurl",
        "url",
        "permalink",
        "collections",
        "collections_dir",
        "defaults",
        "exclude",
        "include",
        "markdown",
        "kramdown",
        "future",
        "plugins",
        # Hugo
        "baseURL",
        "contentDir",
        "module",
        "languages",
        "defaultContentLanguage",
        "defaultContentLanguageInSubdir",
        "uglyURLs",
        "permalinks",
        "markup",
        "disablePathToLower",
        "cascade",
    }
)
_GENERATORS = {"jekyll": "Jekyll", "hugo": "Hugo", "plain": "no generator (site-root option)"}


@dataclass
class _SiteFiles:
    site: SiteRoot | None
    dialects: Counter[str] = field(default_factory=Counter)
    files: int = 0


def _display(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return path.as_posix()


def _site_data(entry: _SiteFiles) -> dict[str, Any]:
    site = entry.site
    files = {"count": entry.files, "rendered by": dict(sorted(entry.dialects.items()))}
    if site is None:
        return {"root": None, "generator": None, "files": files}
    site_map = build_site_map(site)
    source_urls: dict[str, list[str]] = {}
    for url, source in site_map.pages.items():
        source_urls.setdefault(_display(source), []).append(url)
    details: dict[str, Any] = {}
    hugo = site_map.hugo
    if hugo is not None:
        details = {
            "languages": hugo.languages,
            "default language": hugo.default_language,
            "content folders": [_display(folder) for folder in content_dirs(site.path, site.config)],
            "static folders": [
                f"{_display(folder)} -> /{prefix}".rstrip("/") + "/" for prefix, folder in hugo.static_dirs
            ],
            # A render hook rewrites links its own way: link-dead checks only what it can know.
            "link render hooks": sorted(scope or "(every page)" for scope in hugo.link_hooks),
            "image render hooks": sorted(scope or "(every page)" for scope in hugo.image_hooks),
            "embedded link hook": hugo.embedded_link_hook,
        }
    return {
        "root": _display(site.path),
        "generator": site.kind,
        "baseurl": site.baseurl,
        "details": details,
        "configuration": {key: site.config[key] for key in sorted(site.config) if key in _MODEL_KEYS},
        "files": files,
        "urls": {url: _display(source) for url, source in sorted(site_map.pages.items())},
        "posts": len(site_map.posts),
        "sources": len(source_urls),
    }


def site_report(paths: list[str], *, as_json: bool = False) -> str:
    """The report of every site the Markdown files under `paths` belong to, as text or JSON."""
    workspace = Workspace()
    by_site: dict[Path | None, _SiteFiles] = {}
    for item in collect_files(paths, lambda _path: False):
        site = workspace.site_for(item.path)
        key = site.path if site is not None else None
        entry = by_site.setdefault(key, _SiteFiles(site))
        entry.files += 1
        try:
            head = item.path.read_text(encoding="utf-8", errors="replace")[:3]
        except OSError:
            head = ""
        entry.dialects[workspace.dialect_for(item.path, head).describe()] += 1
    ordered = sorted(by_site.values(), key=lambda e: (e.site is None, str(e.site.path) if e.site else ""))
    data = [_site_data(entry) for entry in ordered]
    if as_json:
        return json.dumps({"sites": data}, ensure_ascii=False, indent=2, default=str) + "\n"
    return "".join(_text(site) for site in data)


def _text(data: dict[str, Any]) -> str:
    files = data["files"]
    rendered = "; ".join(f"{count} by {name}" for name, count in files["rendered by"].items())
    if data["root"] is None:
        return f"outside any site: {files['count']} files ({rendered})\n\n"
    lines = [
        f"site {data['root']}/ ({_GENERATORS[data['generator']]})",
        f"  baseurl: {data['baseurl'] or '(none)'}",
        f"  files: {files['count']} ({rendered})",
    ]
    for key, value in data["details"].items():
        lines.append(f"  {key}: {json.dumps(value, ensure_ascii=False, default=str)}")
    for key, value in data["configuration"].items():
        lines.append(f"  config {key}: {json.dumps(value, ensure_ascii=False, default=str)}")
    lines.append(f"  pages: {len(data['urls'])} URLs from {data['sources']} sources, {data['posts']} posts")
    lines.extend(f"    {url} <- {source}" for url, source in data["urls"].items())
    return "\n".join(lines) + "\n\n"
