"""The tree's kinds and attributes are closed types, and the parser produces nothing outside them."""

from __future__ import annotations

import json
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Literal, Union, get_args, get_origin, get_type_hints

import pytest
from mypy import api as mypy_api

from mdlint.markdown.document import Document
from mdlint.markdown.syntax_tree import NODE_TYPES, Node, NodeAttrs, NodeType
from mdlint.rule_engine.rule import all_rules
from mdlint.rule_engine.rulebook import rulebook_page

ROOT = Path(__file__).parent.parent
SPEC_PATH = Path(__file__).parent / "data" / "commonmark-0.31.2.json"

# Every construct the parser knows, including the plugins (tables, strikethrough, bare URLs).
EVERY_CONSTRUCT = """\
Setext heading
==============

# ATX heading

Text with *emphasis*, **strong**, ~~strike~~, `code`, <span>html</span>, a hard\\
break and a soft
break, [inline](https://example.com "Title"), [reference][ref], ![image](pic.png),
<https://auto.example> and https://bare.example.

- tight
- list

3. loose

4. ordered

> quote

```python
fenced
```

    indented

<div>
block html
</div>

---

| left | center | right | none |
|:-----|:------:|------:|------|
| a    | b      | c     | d    |

[ref]: https://example.com/ref "Ref"
[ref]: https://example.com/duplicate
"""


def _samples() -> Iterator[str]:
    yield EVERY_CONSTRUCT
    for example in json.loads(SPEC_PATH.read_text(encoding="utf-8")):
        yield example["markdown"]
    for rule in all_rules():
        page = rulebook_page(rule)
        if page is not None:
            yield from page.examples("Example")
            yield from page.examples("Use instead")


def _nodes() -> Iterator[Node]:
    for index, text in enumerate(_samples()):
        yield from Document(f"sample-{index}.md", text).root.walk()


def _matches(value: object, hint: object) -> bool:
    origin = get_origin(hint)
    if origin is Literal:
        return value in get_args(hint)
    if origin in (Union, types.UnionType):
        return any(_matches(value, arm) for arm in get_args(hint))
    if hint is type(None):
        return value is None
    # bool is an int in Python; an int attribute holding a bool would still be a parser slip.
    return isinstance(hint, type) and isinstance(value, hint) and (hint is bool or not isinstance(value, bool))


def test_the_parser_produces_exactly_the_declared_kinds_and_attributes() -> None:
    declared_kinds = set(get_args(NodeType))
    hints = get_type_hints(NodeAttrs)
    kinds: set[str] = set()
    keys: set[str] = set()
    wrong: list[tuple[str, str, object]] = []
    for node in _nodes():
        kinds.add(node.type)
        for key, value in node.attrs.items():
            keys.add(key)
            if key in hints and not _matches(value, hints[key]):
                wrong.append((node.type, key, value))
    assert kinds - declared_kinds == set(), "kinds the parser produces that NodeType does not declare"
    assert keys - set(hints) == set(), "attributes NodeAttrs does not declare"
    assert wrong == [], "attribute values of another type than declared"
    # Closed both ways: nothing declared that the parser never produces.
    assert declared_kinds - kinds == set()
    assert set(hints) - keys == set()
    assert declared_kinds == NODE_TYPES


@pytest.mark.parametrize("kind", ["parapgraph", "Paragraph", "blank_line", ""])
def test_an_unknown_kind_is_rejected_at_the_call(kind: str) -> None:
    document = Document("x.md", "# Title\n\ntext\n")
    with pytest.raises(ValueError, match="unknown node type"):
        document.nodes(kind)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown node type"):
        document.root.walk("heading", kind)  # type: ignore[arg-type]
    assert [node.type for node in document.nodes("heading", "paragraph")] == ["heading", "paragraph"]


_SNIPPET = """\
from collections.abc import Iterator

from mdlint.findings import Finding
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import RuleContext, RuleOptions


class _Options(RuleOptions):
    limit: int = 3


def check(document: Document, context: RuleContext[_Options]) -> Iterator[Finding]:
    for node in document.nodes("paragraph"):
        level: int | None = node.attrs.get("level")
        if len(list(node.walk("link"))) > context.options.limit + (level or 0):
            yield context.finding(node.start, node.end, "too many links")
    document.nodes("parapgraph")  # WRONG: misspelt kind
    next(document.root.walk("lnik"))  # WRONG: misspelt kind in walk
    document.root.attrs["levle"]  # WRONG: undeclared attribute
    context.options.limt  # WRONG: not an option of this rule
"""


def test_mypy_rejects_misspelt_kinds_attributes_and_options_and_accepts_the_right_ones(tmp_path: Path) -> None:
    # One mypy run for both sides: the correct lines must produce no error.
    snippet = tmp_path / "snippet.py"
    snippet.write_text(_SNIPPET, encoding="utf-8")
    stdout, stderr, _status = mypy_api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--strict", "--no-error-summary", str(snippet)]
    )
    assert stderr == ""
    lines = _SNIPPET.splitlines()
    expected = {number for number, line in enumerate(lines, 1) if "# WRONG" in line}
    reported = {int(line.split(":")[1]) for line in stdout.splitlines() if ": error:" in line}
    assert reported == expected, stdout
    assert "parapgraph" in stdout and "levle" in stdout and "limt" in stdout
