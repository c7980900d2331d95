"""Which program turns a file into a page: its Markdown renderer and its template language.

A page of a Jekyll site is Liquid first and kramdown second; a Hugo page expands shortcodes and
is rendered by Goldmark; a README is rendered by GitHub (cmark-gfm). The site model decides a
file's dialect (see `mdlint.site`); a file outside any site gets the default, GitHub's view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["DEFAULT_DIALECT", "Dialect", "Renderer", "TemplateLanguage"]

Renderer = Literal["gfm", "kramdown", "goldmark"]
TemplateLanguage = Literal["liquid", "hugo"]


@dataclass(frozen=True, slots=True)
class Dialect:
    """How one file is turned into HTML."""

    # The renderer of the file's primary view: the generated page, or GitHub's file view.
    renderer: Renderer = "gfm"
    # Template syntax expanded before the Markdown is rendered, or None for plain Markdown.
    templates: TemplateLanguage | None = None
    # Whether people also read the file on GitHub (a page of a site kept in a GitHub repository):
    # a problem that shows only there is then worth an `info` finding.
    github_view: bool = False
    # kramdown's `parse_block_html` (the `kramdown:` settings of a Jekyll site): the content of an
    # HTML block element is Markdown, as if each had `markdown="1"`.
    parse_block_html: bool = False

    def describe(self) -> str:
        """A short phrase for messages and `--show-site`, e.g. "kramdown after Liquid"."""
        names = {"gfm": "GitHub (cmark-gfm)", "kramdown": "kramdown", "goldmark": "Goldmark"}
        templates = {"liquid": "Liquid", "hugo": "Hugo shortcodes"}
        text = names[self.renderer]
        if self.templates is not None:
            text += f" after {templates[self.templates]}"
        return text


DEFAULT_DIALECT = Dialect()
