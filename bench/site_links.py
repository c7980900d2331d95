#!/usr/bin/env python3
"""How link-dead's cost grows with a Hugo site: generated sites of N pages, linted cold.

Each generated site mounts `content/en` at `content` (as the Hugo docs do), has ten sections
with an `_index.md`, a page bundle per section, a link render hook, and pages with twelve links
each: root-relative and page-relative links to pages, links to headings of other pages, a bundle
resource, glossary links the hook resolves, `ref`/`relref` shortcodes, and one dead link and one
dead fragment per ten pages. Each size is linted as a user would,
`python -m mdlint --offline --no-cache --select link-dead --jobs 1 --format json .`, in a child
process measured with os.wait4, and the run must find exactly the dead links planted.

Usage:

    python bench/site_links.py [--pages 250 500 1000] [--repeat 3]

Prints, per size: links, wall and CPU seconds (best of --repeat), CPU microseconds per link, and
the CPU time relative to the smallest size scaled by its page count (1.0 = linear).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_SECTIONS = 10
_HOOK = '{{- $u := urls.Parse .Destination -}}<a href="{{ .Destination }}">{{ .Text }}</a>\n'


def generate(folder: Path, pages: int) -> tuple[int, int]:
    """Write an N-page Hugo site into `folder`; return (links written, dead links planted)."""
    content = folder / "content" / "en"
    (folder / "layouts" / "_default" / "_markup").mkdir(parents=True)
    (folder / "layouts" / "_default" / "_markup" / "render-link.html").write_text(_HOOK, encoding="utf-8")
    (folder / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\n[[module.mounts]]\nsource = "content/en"\ntarget = "content"\n'
        "[markup.goldmark.parser]\nautoDefinitionTermID = true\n",
        encoding="utf-8",
    )
    links = dead = 0
    for section in range(_SECTIONS):
        folder_of = content / f"section-{section}"
        (folder_of / "bundle").mkdir(parents=True)
        (folder_of / "_index.md").write_text(f"---\ntitle: Section {section}\n---\n# Section {section}\n")
        (folder_of / "bundle" / "index.md").write_text("---\ntitle: Bundle\n---\n## Usage\n", encoding="utf-8")
        (folder_of / "bundle" / "chart.png").write_bytes(b"")
    for number in range(pages):
        section = number % _SECTIONS
        other = (number + 1) % pages
        other_section = other % _SECTIONS
        lines = [
            f"---\ntitle: Page {number}\n---\n",
            f"## Overview {number}\n\n## Details\n\n## Details\n\n`option{number}`\n: An option.\n\n",
            f"- [next](/section-{other_section}/page-{other}/) "
            f"[next heading](/section-{other_section}/page-{other}/#details-1)",
            f"- [section](../) [bundle](../bundle/) [chart](/section-{section}/bundle/chart.png) [term](g)",
            f"- [own heading](#overview-{number}) [option](#option{number}) [usage](../bundle/#usage)",
            f'- [ref]({{{{< ref "/section-{other_section}/page-{other}.md" >}}}}) '
            f'[relref]({{{{< relref "page-{number}.md#details" >}}}}) [glossary](g)',
        ]
        links += 12
        if number % 10 == 0:
            lines.append(f"- [gone](/section-{section}/missing-{number}/) [typo](#detials)")
            links += 2
            dead += 2
        path = content / f"section-{section}" / f"page-{number}.md"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return links, dead


def _measure(folder: Path) -> tuple[float, float, int]:
    """Lint `folder` cold in a child; (wall seconds, CPU seconds, link-dead findings)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(folder / ".cache")}
    command = [
        sys.executable,
        "-m",
        "mdlint",
        "--offline",
        "--no-cache",
        "--select",
        "link-dead",
        "--jobs",
        "1",
        "--format",
        "json",
        ".",
    ]
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=environment, cwd=folder)
        _pid, _status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        findings = json.loads(out.read())["findings"]
    return wall, usage.ru_utime + usage.ru_stime, len(findings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, nargs="+", default=[250, 500, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{'pages':>6} {'links':>7} {'wall s':>8} {'CPU s':>8} {'CPU us/link':>12} {'vs linear':>10}")
    base: float | None = None
    for pages in args.pages:
        with tempfile.TemporaryDirectory(prefix="mdlint-site-links-") as name:
            folder = Path(name)
            links, dead = generate(folder, pages)
            runs = [_measure(folder) for _ in range(args.repeat)]
        wall = min(run[0] for run in runs)
        cpu = min(run[1] for run in runs)
        found = {run[2] for run in runs}
        if found != {dead}:
            print(f"{pages} pages: expected {dead} dead links, found {sorted(found)}", file=sys.stderr)
            return 1
        per_page = cpu / pages
        base = per_page if base is None else base
        print(f"{pages:>6} {links:>7} {wall:>8.2f} {cpu:>8.2f} {1e6 * cpu / links:>12.0f} {per_page / base:>10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
