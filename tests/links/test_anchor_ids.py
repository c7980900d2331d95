"""Fragment ids follow the file's renderer: kramdown's, checked against kramdown itself.

Goldmark's ids (Hugo) are checked against Hugo in tests/sites/test_hugo_site.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mdlint.links.local import anchor_ids
from mdlint.markdown.dialect import Dialect
from mdlint.markdown.document import Document
from mdlint.site.model import SiteRoot
from tests.generators import kramdown_html

_HEADINGS = """# 1. Getting Started

## Foo & Bar

## Foo & Bar

## 한국어 제목 (소개)

## Custom {#cid}

## IAL heading
{: #ial-id}

## snake_case `code` _em_ **strong**

## [Linked](https://example.com) text

## What's new in v2.0?
"""


@pytest.mark.parametrize("gfm", [True, False], ids=["GFM parser (Jekyll's default)", "kramdown parser"])
def test_a_kramdown_pages_ids_are_kramdowns(gfm: bool) -> None:
    built = set(re.findall(r'<h\d id="([^"]+)"', kramdown_html(_HEADINGS, gfm=gfm)))
    document = Document("_posts/2024-01-01-a.md", _HEADINGS)
    document.dialect = Dialect("kramdown", "liquid")
    config = {} if gfm else {"kramdown": {"input": "kramdown"}}
    assert anchor_ids(document, "auto", SiteRoot(Path("/site"), "jekyll", "", config)) == built


def test_a_readme_gets_githubs_ids_unless_a_style_is_forced() -> None:
    document = Document("README.md", "# 1. Getting Started\n")
    assert anchor_ids(document) == {"1-getting-started"}
    assert anchor_ids(document, "kramdown") == {"getting-started"}
