"""Destination classification, URL normal form and Liquid handling."""

from __future__ import annotations

import pytest

from mdlint.links.urls import ClassifiedDestination, classify_destination, normalise_url


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
        ("https://a.org/x#y", ClassifiedDestination("remote", url="https://a.org/x", fragment="y")),
        ("<https://a.org/x>", ClassifiedDestination("remote", url="https://a.org/x")),
        ("//cdn.org/lib.js", ClassifiedDestination("remote", url="https://cdn.org/lib.js")),
        ("docs/a%20b.md#Sec", ClassifiedDestination("local", path="docs/a b.md", fragment="Sec")),
        ("#top", ClassifiedDestination("local", path="", fragment="top")),
        ("page.md?x=1", ClassifiedDestination("local", path="page.md")),
        ("mailto:a@b.org", ClassifiedDestination("skip")),
        ("tel:+123", ClassifiedDestination("skip")),
        ("{{ '/docs/x/' | relative_url }}", ClassifiedDestination("local", path="/docs/x/")),
        ('{{ "/about/" | absolute_url }}#team', ClassifiedDestination("local", path="/about/", fragment="team")),
        (
            "{% link _posts/2024-01-02-a.md %}",
            ClassifiedDestination("local", path="_posts/2024-01-02-a.md", source_file=True),
        ),
        ("{% post_url 2024-01-02-a %}#x", ClassifiedDestination("post", path="2024-01-02-a", fragment="x")),
        ("{{ site.url }}/x", ClassifiedDestination("skip")),
        ("{{ page.link }}", ClassifiedDestination("skip")),
        ('{{%/* relref "/books/book-1" */%}}', ClassifiedDestination("skip")),
        ("file:///etc/passwd", ClassifiedDestination("skip")),
        ("/Users/me/a.md", ClassifiedDestination("skip")),
        ("/home/me/a.md", ClassifiedDestination("skip")),
        ("C:\\docs\\a.md", ClassifiedDestination("skip")),
        ("a.md](b.md", ClassifiedDestination("skip")),
        ("", ClassifiedDestination("skip")),
    ],
)
def test_classify_destination(destination: str, expected: ClassifiedDestination) -> None:
    assert classify_destination(destination) == expected
