"""The real site generators as test oracles: Jekyll, Hugo and kramdown, as Debian packages them.

Tests that ask what a page *is* (which URLs a build writes, what kramdown or Goldmark makes of a
paragraph) ask the generator itself rather than our reading of its documentation. `.ci/run`
installs them; on a laptop without them the tests are skipped, in CI they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

__all__ = ["build_hugo", "build_jekyll", "built_pages", "goldmark_html", "kramdown_html", "require_generator"]

_TIMEOUT = 120


def require_generator(command: str) -> str:
    """The generator's executable; skip the test where it is missing, fail in CI."""
    found = shutil.which(command)
    if found is None:
        message = f"`{command}` is not installed (apt-get install jekyll hugo ruby-kramdown ruby-kramdown-parser-gfm)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def _run(arguments: list[str], cwd: Path | None = None, stdin: str | None = None) -> str:
    completed = subprocess.run(
        arguments, cwd=cwd, input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=_TIMEOUT, check=False
    )
    if completed.returncode != 0:
        raise AssertionError(f"{arguments[0]} failed ({completed.returncode}):\n{completed.stdout}\n{completed.stderr}")
    return completed.stdout


def build_jekyll(source: Path, destination: Path) -> Path:
    """Build the Jekyll site in `source` into `destination` (offline, no Gemfile) and return it."""
    jekyll = require_generator("jekyll")
    # Without a Gemfile Jekyll uses the installed gems; the environment keeps Bundler out of it.
    environment_free = ["env", "-u", "BUNDLE_GEMFILE", "JEKYLL_ENV=production"]
    _run([*environment_free, jekyll, "build", "--quiet", "--source", str(source), "--destination", str(destination)])
    return destination


def build_hugo(source: Path, destination: Path) -> Path:
    """Build the Hugo site in `source` into `destination` and return it."""
    hugo = require_generator("hugo")
    _run([hugo, "--quiet", "--source", str(source), "--destination", str(destination)])
    return destination


def built_pages(output: Path) -> set[str]:
    """The URL paths of the HTML pages a build wrote (`/a/b/` for `a/b/index.html`, `/a.html` as is)."""
    pages: set[str] = set()
    for path in output.rglob("*.html"):
        relative = path.relative_to(output).as_posix()
        if relative == "index.html":
            pages.add("/")
        elif relative.endswith("/index.html"):
            pages.add("/" + relative[: -len("index.html")])
        else:
            pages.add("/" + relative)
    return pages


def kramdown_html(markdown: str, *, gfm: bool = True) -> str:
    """What kramdown (with its GFM parser, as Jekyll uses it by default) makes of `markdown`."""
    ruby = require_generator("ruby")
    script = (
        "require 'kramdown'; require 'kramdown-parser-gfm'; "
        f"puts Kramdown::Document.new(STDIN.read, input: '{'GFM' if gfm else 'kramdown'}').to_html"
    )
    return _run([ruby, "-e", script], stdin=markdown)


def goldmark_html(markdown: str, workspace: Path, *, config: str = "") -> str:
    """What Hugo's Goldmark makes of `markdown`: a one-page site built in `workspace`."""
    site = workspace / "goldmark-site"
    (site / "content").mkdir(parents=True, exist_ok=True)
    (site / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n' + config,
        encoding="utf-8",
    )
    (site / "layouts" / "_default" / "single.html").write_text("{{ .Content }}", encoding="utf-8")
    (site / "content" / "page.md").write_text("---\ntitle: page\n---\n" + markdown, encoding="utf-8")
    output = build_hugo(site, workspace / "goldmark-public")
    return (output / "page" / "index.html").read_text(encoding="utf-8")
