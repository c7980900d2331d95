"""link-duplicate: normalisation, entries, messages, options."""

from __future__ import annotations

import pytest

from mdlint.links.urls import normalise_url
from mdlint.testing import lint_text


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("HTTPS://ArXiv.ORG:443/abs/1#sec", "https://arxiv.org/abs/1"),
        ("http://example.org:80", "http://example.org/"),
        ("http://example.org:8080/A?b=C", "http://example.org:8080/A?b=C"),
        ("mailto:a@b.c", None),
        ("/local/path", None),
        ("https://[::1", None),
    ],
)
def test_normalise(url: str, normalised: str | None) -> None:
    assert normalise_url(url) == normalised


def test_message_names_the_first_line() -> None:
    text = "- [a](https://arxiv.org/abs/1)\n- [b](https://arxiv.org/abs/1)\n- [c](https://arxiv.org/abs/1#x)\n"
    findings = lint_text(text, "link-duplicate")
    assert [(f.line, f.column, f.end_column) for f in findings] == [(2, 3, 31), (3, 3, 33)]
    assert findings[0].message == "https://arxiv.org/abs/1 is already linked from another entry at line 1"


def test_sub_items_belong_to_their_entry() -> None:
    text = "- [repo](https://github.com/o/r)\n  - [Github](https://github.com/o/r)\n- [other](https://x.org)\n"
    assert lint_text(text, "link-duplicate") == []


def test_ignore_hosts() -> None:
    text = "[a](https://example.org/)\n\n[b](https://sub.example.org/)\n\n[c](https://sub.example.org/)\n"
    options = {"link-duplicate": {"ignore-hosts": ["example.org"]}}
    assert lint_text(text, "link-duplicate", options=options) == []
    assert len(lint_text(text, "link-duplicate")) == 1
