"""Template syntax (Liquid, Hugo shortcodes) is masked before parsing, offsets unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdlint.markdown.dialect import Dialect
from mdlint.markdown.document import Document
from mdlint.markdown.templates import MASK, TemplateSpan, mask_templates, template_spans
from tests.conftest import RunCli
from tests.front_matter_helpers import write_files

pytestmark = pytest.mark.parser


def _spans(text: str, language: str) -> list[tuple[str, str]]:
    assert language in ("liquid", "hugo")
    return [(text[s.start : s.end], s.kind) for s in template_spans(text, language)]  # type: ignore[arg-type]


def test_liquid_output_and_tags() -> None:
    text = "[x]({{ site.baseurl }}/a/) and {% link _docs/b.md %} and {%- if x -%}"
    assert _spans(text, "liquid") == [
        ("{{ site.baseurl }}", "output"),
        ("{% link _docs/b.md %}", "tag"),
        ("{%- if x -%}", "tag"),
    ]


def test_raw_body_is_not_liquid() -> None:
    text = "{% raw %}{{ page.title }}{% endraw %} {{ x }}"
    assert _spans(text, "liquid") == [("{% raw %}", "tag"), ("{% endraw %}", "tag"), ("{{ x }}", "output")]


def test_comment_and_highlight_bodies_are_opaque() -> None:
    text = "a\n{% comment %}\n[b](c d)\n{% endcomment %}\n{% highlight ruby %}\nx = [1](2 3)\n{% endhighlight %}\n"
    assert [kind for _, kind in _spans(text, "liquid")] == ["comment", "block"]


def test_unclosed_braces_are_text() -> None:
    assert _spans("a {{ b and {% c", "liquid") == []
    assert _spans("a {{< b", "hugo") == []


def test_hugo_shortcodes_skip_quoted_closers() -> None:
    text = '{{< qr text="a >}} b" >}} x {{% include "p.md" %}} {{</* escaped */>}} {{< /details >}}'
    assert _spans(text, "hugo") == [
        ('{{< qr text="a >}} b" >}}', "shortcode"),
        ('{{% include "p.md" %}}', "shortcode"),
        ("{{</* escaped */>}}", "shortcode"),
        ("{{< /details >}}", "shortcode"),
    ]


def test_mask_keeps_length_and_line_breaks() -> None:
    text = "a {{ b }}\r\n{% if c %}\r\n  {% endif %}  \nd"
    spans = template_spans(text, "liquid")
    masked = mask_templates(text, spans)
    assert len(masked) == len(text)
    assert masked.splitlines(keepends=True)[0] == "a " + MASK * 7 + "\r\n"
    # Lines of tags alone print only their line break: Markdown sees blank lines.
    assert masked.splitlines(keepends=True)[1:] == [" " * 10 + "\r\n", " " * 15 + "\n", "d"]


def test_mask_of_no_spans_is_the_text() -> None:
    assert mask_templates("abc", []) == "abc"
    assert mask_templates("a{{b}}", [TemplateSpan(1, 6, "output")]) == "a" + MASK * 5


def test_document_parses_masked_text_but_keeps_its_own() -> None:
    text = "---\ntitle: t\n---\n[doc]({{ '/docs/a b/' | relative_url }})\n"
    document = Document("page.md", text)
    document.dialect = Dialect("kramdown", "liquid")
    (link,) = document.nodes("link")
    assert document.text == text
    assert text[link.start : link.end] == "[doc]({{ '/docs/a b/' | relative_url }})"
    assert document.in_template(text.index("{{")) and not document.in_template(text.index("[doc]"))
    # Front matter is not template syntax for Jekyll: it is read before Liquid runs.
    document_with_liquid_in_front_matter = Document("p.md", "---\ntitle: '{{ x }}'\n---\nbody\n")
    document_with_liquid_in_front_matter.dialect = Dialect("kramdown", "liquid")
    assert document_with_liquid_in_front_matter.template_spans == []


def test_changing_the_dialect_parses_again() -> None:
    document = Document("page.md", "[a]({{ x y }})\n")
    assert document.nodes("link") == []
    document.dialect = Dialect("kramdown", "liquid")
    assert len(document.nodes("link")) == 1


def test_template_syntax_is_never_a_malformed_link(tmp_path: Path, run_cli: RunCli) -> None:
    write_files(
        tmp_path,
        {
            "jekyll/_config.yml": "baseurl: /blog\n",
            "jekyll/a.md": (
                "---\ntitle: a\n---\n"
                "See [issue]({{ site.repository }}/issues/12) and [x]({{ '/docs/x/' | relative_url }}).\n\n"
                '{% include note.html content="a [b](c d)" %}\n\n'
                "[bad](a b)\n"
            ),
            "hugo/hugo.toml": 'baseURL = "https://example.org/"\n',
            "hugo/content/p.md": (
                '---\ntitle: p\n---\n{{< qr text="https://example.org/a b" >}}\n\n'
                '[ref]({{< ref "p.md" >}}) and [bad](a b)\n'
            ),
        },
    )
    completed = run_cli("--offline", "--no-cache", "--select", "link-malformed", "--format", "json", ".", cwd=tmp_path)
    findings = json.loads(completed.stdout)["findings"]
    assert [(f["path"], f["line"], f["column"]) for f in findings] == [
        ("hugo/content/p.md", 6, 31),
        ("jekyll/a.md", 8, 1),
    ]


def test_a_line_of_many_tags_is_blank_and_a_tag_beside_output_is_not() -> None:
    text = "{% if a %}" * 12 + "\n" + "{% if b %}" * 12 + "{{ x }}\n"
    masked = mask_templates(text, template_spans(text, "liquid"))
    assert masked.splitlines() == [" " * 120, MASK * 127]
