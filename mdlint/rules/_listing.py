# ruff: noqa: E501 (the generated table keeps one rule a line)
"""What `mdlint --list-rules` shows of the built-in rules, without importing them.

Importing every rule module (and pydantic, YAML and the parser with them) is most of the cost of
`--list-rules`; this table of their names is generated from the modules and a test keeps it equal
to them. Regenerate it with `python -m mdlint.rules._listing` (`--check` only compares).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["BUILTIN_RULES", "ListedRule", "listed", "main"]

# code, name, default severity, summary, fix applicabilities (sorted), opt-in, tags
ListedRule = tuple[str, str, str, str, tuple[str, ...], bool, tuple[str, ...]]

# generated: start
# fmt: off
BUILTIN_RULES: tuple[ListedRule, ...] = (
    ('MDL001', 'details-unbalanced', 'error', '<details> and <summary> tags must pair up', (), False, ()),
    ('MDL002', 'html-block-swallows-markdown', 'error', 'Markdown inside HTML that the renderer shows as raw text', ('safe', 'unsafe'), False, ()),
    ('MDL003', 'link-malformed', 'error', 'Links broken by their own syntax: doubled URLs, spaces, empty text or destination', (), False, ()),
    ('MDL004', 'link-missing-scheme', 'error', 'A link to a web host without https:// resolves as a relative path', ('safe',), False, ()),
    ('MDL005', 'link-local-path', 'error', "Links to /Users/…, /home/…, C:\\… or file: work only on the author's machine", (), False, ()),
    ('MDL006', 'link-reference-undefined', 'error', 'Full or collapsed reference link whose label is not defined, e.g. a tag glued to a link', ('safe', 'unsafe'), False, ('links',)),
    ('MDL007', 'details-indent', 'warning', "</details> or <summary> indented unlike its <details> and the document's other pairs", ('unsafe',), False, ('consistency',)),
    ('MDL010', 'front-matter-invalid', 'error', 'Front matter that does not parse, repeats a key, has a wrong-typed value or is misplaced', ('unsafe',), False, ('front-matter',)),
    ('MDL011', 'front-matter-missing', 'error', 'A required front-matter field, or one nearly all files of the folder set, is missing', (), False, ('front-matter',)),
    ('MDL012', 'front-matter-mismatch', 'error', 'Front-matter date, file name, permalink and title that contradict each other', ('unsafe',), False, ('front-matter',)),
    ('MDL013', 'front-matter-shape', 'warning', 'Front-matter value written unlike the same key in nearly all sibling files', (), False, ('front-matter',)),
    ('MDL015', 'title-heading-mismatch', 'warning', 'First `#` heading differs from the front-matter title where sibling files repeat theirs', (), False, ('front-matter',)),
    ('MDL020', 'icon-variant', 'error', 'Type icon spelled with a different code-point sequence than the legend or the emoji standard', ('safe', 'unsafe'), False, ('icons',)),
    ('MDL021', 'icon-unknown', 'warning', 'Entry starts with an emoji that the legend does not define', (), False, ('icons',)),
    ('MDL022', 'icon-missing', 'warning', "Entry at the level of its section's icon entries has no icon", (), False, ('icons',)),
    ('MDL023', 'icon-category', 'warning', "Entry icon disagrees with the icon its link's domain gets elsewhere", (), False, ('icons',)),
    ('MDL024', 'entry-shape', 'warning', 'Link-list entry shaped unlike nearly all of its siblings (tag, description, separator, period)', (), False, ('consistency',)),
    ('MDL030', 'emphasis-cjk-flanking', 'error', 'Emphasis next to a CJK letter that the renderer prints as literal `**`', ('unsafe',), False, ()),
    ('MDL031', 'text-invisible-char', 'warning', 'Invisible characters: no-break spaces, zero-width characters, controls, bidi overrides', ('safe', 'unsafe'), False, ()),
    ('MDL032', 'duplicate-paragraph', 'warning', 'A paragraph or list item that repeats an earlier one in the same document', (), False, ()),
    ('MDL033', 'link-duplicate', 'warning', 'One URL linked from two different entries of a document', (), False, ('links',)),
    ('MDL034', 'image-alt-missing', 'warning', 'Image without alt text', (), False, ('accessibility',)),
    ('MDL035', 'language-mismatch', 'warning', "A paragraph or list item in another language than the document's", (), False, ()),
    ('MDL036', 'line-break-missing', 'warning', 'Lines that each start the same way (an emoji, `key: value`) render as one run-on line', ('unsafe',), False, ('consistency',)),
    ('MDL037', 'list-lazy-continuation', 'warning', 'A line that starts something new (`→ …`) but is indented too little, so it joins the list item above', (), False, ('consistency',)),
    ('MDL038', 'text-stray-ascii', 'warning', 'An ASCII symbol inside a Hangul or CJK word (`방>지`): a typing slip no spell checker catches', ('unsafe',), False, ('cjk',)),
    ('MDL040', 'link-dead', 'error', 'Link target does not exist (missing file, page or fragment; HTTP 404/410)', (), False, ('links',)),
    ('MDL050', 'unused-suppression', 'warning', 'A suppression comment (or a rule named in it) that switches no finding off', (), True, ('suppressions',)),
)
# fmt: on
# generated: end


def listed() -> tuple[ListedRule, ...]:
    """The listing of the built-in rules, computed from their modules (slow: imports them all)."""
    from mdlint.rule_engine.rule import builtin_rules

    return tuple(
        (
            rule.code,
            rule.name,
            rule.severity.value,
            rule.summary,
            tuple(sorted(rule.fixes)),
            rule.opt_in,
            tuple(rule.tags),
        )
        for rule in sorted(builtin_rules(), key=lambda rule: rule.code)
    )


def _render(rules: tuple[ListedRule, ...]) -> str:
    source = Path(__file__).read_text(encoding="utf-8")
    head, rest = source.split("# generated: start\n", 1)
    _old, tail = rest.split("# generated: end\n", 1)
    body = "".join(f"    {rule!r},\n" for rule in rules)
    # One rule a line, as generated: the formatter leaves the table alone.
    table = f"# fmt: off\nBUILTIN_RULES: tuple[ListedRule, ...] = (\n{body})\n# fmt: on\n"
    return f"{head}# generated: start\n{table}# generated: end\n{tail}"


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite this module's table from the rule modules; 1 when `--check` finds it stale."""
    parser = argparse.ArgumentParser(prog="python -m mdlint.rules._listing")
    parser.add_argument("--check", action="store_true", help="only report a stale table")
    args = parser.parse_args(argv)
    path = Path(__file__)
    text = _render(listed())
    if text == path.read_text(encoding="utf-8"):
        return 0
    if args.check:
        sys.stderr.write(f"{path} is stale; run python -m mdlint.rules._listing\n")
        return 1
    path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
