"""Destination classification, URL normal form and Liquid handling."""

from __future__ import annotations

import pytest

from mdlint.links.urls import LinkTarget, classify_destination, normalise_url


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTP://Example.COM", "http://example.com/"),
        ("https://example.com:443/a#frag", "https://example.com/a"),
        ("http://example.com:8080/A?b=C", "http://example.com:8080/A?b=C"),
        ("https://user:secret@example.com/x", "https://example.com/x"),
        ("https://example.com./x", "https://example.com/x"),
        ("http://[::1]:80/", "http://[::1]/"),
        ("ftp://example.com/", None),
        ("https://", None),
        ("http://example.com:99999/", None),
    ],
)
def test_normalise_url(url: str, normal: str | None) -> None:
    assert normalise_url(url) == normal


@pytest.mark.parametrize(
    ("destination", "expected"),
    [
        ("https://a.org/x#y", LinkTarget("remote", url="https://a.org/x", fragment="y")),
        ("<https://a.org/x>", LinkTarget("remote", url="https://a.org/x")),
        ("//cdn.org/lib.js", LinkTarget("remote", url="https://cdn.org/lib.js")),
        ("docs/a%20b.md#Sec", LinkTarget("local", path="docs/a b.md", fragment="Sec")),
        ("#top", LinkTarget("local", path="", fragment="top")),
        ("page.md?x=1", LinkTarget("local", path="page.md")),
        ("mailto:a@b.org", LinkTarget("skip")),
        ("tel:+123", LinkTarget("skip")),
        ("{{ '/docs/x/' | relative_url }}", LinkTarget("local", path="/docs/x/")),
        ('{{ "/about/" | absolute_url }}#team', LinkTarget("local", path="/about/", fragment="team")),
        ("{% link _posts/2024-01-02-a.md %}", LinkTarget("local", path="_posts/2024-01-02-a.md", source_file=True)),
        ("{% post_url 2024-01-02-a %}#x", LinkTarget("post", path="2024-01-02-a", fragment="x")),
        ("{{ site.url }}/x", LinkTarget("skip")),
        ("{{ page.link }}", LinkTarget("skip")),
        ('{{%/* relref "/books/book-1" */%}}', LinkTarget("skip")),
        ("file:///etc/passwd", LinkTarget("skip")),
        ("/Users/me/a.md", LinkTarget("skip")),
        ("/home/me/a.md", LinkTarget("skip")),
        ("C:\\docs\\a.md", LinkTarget("skip")),
        ("a.md](b.md", LinkTarget("skip")),
        ("", LinkTarget("skip")),
    ],
)
def test_classify_destination(destination: str, expected: LinkTarget) -> None:
    assert classify_destination(destination) == expected
