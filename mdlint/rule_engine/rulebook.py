"""The rulebook: one Markdown page per rule in `rules/`, printed by `mdlint --explain RULE`.

The README's rule table and the option table atop each page's `## Options` are rendered from the
rules themselves; `python -m mdlint.rule_engine.rulebook` rewrites them in a checkout, `--check`
only reports what is stale.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mdlint import __version__
from mdlint.rule_engine.rule import SomeRule, builtin_rules

__all__ = [
    "REQUIRED_SECTIONS",
    "RulebookPage",
    "options_table",
    "readme_rule_table",
    "rulebook_folder",
    "rulebook_page",
    "rulebook_path",
    "with_options_table",
    "with_readme_rule_table",
]

REQUIRED_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety", "Options")
_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)


def rulebook_folder() -> Path:
    """Where the rule pages are: inside the installed package, else `rules/` of the checkout.

    The wheel installs the top-level `rules/` as `mdlint/rulebook` (see pyproject.toml); a checkout
    or an editable install has only `rules/` beside the package. The installed copy is tried first:
    in site-packages, a `rules/` beside the package would be some other distribution's folder.
    """
    package = Path(__file__).resolve().parents[1]
    installed = package / "rulebook"
    return installed if installed.is_dir() else package.parent / "rules"


@dataclass(frozen=True)
class RulebookPage:
    """A parsed rulebook page: its text, its sections, and its runnable examples."""

    path: Path
    text: str

    @property
    def title(self) -> str:
        first = self.text.splitlines()[0] if self.text else ""
        return first.lstrip("# ").strip()

    def sections(self) -> dict[str, str]:
        """Section title → body, for the `## ` sections of the page (fenced code is not scanned)."""
        sections: dict[str, str] = {}
        current: str | None = None
        lines: list[str] = []
        fence: str | None = None
        for line in self.text.splitlines():
            stripped = line.strip()
            if fence is None and re.match(r"^(`{3,}|~{3,})", stripped):
                fence = re.match(r"^(`{3,}|~{3,})", stripped).group(1)  # type: ignore[union-attr]
            elif fence is not None and stripped.startswith(fence) and stripped.strip("`~") == "":
                fence = None
            elif fence is None and line.startswith("## "):
                if current is not None:
                    sections[current] = "\n".join(lines)
                current, lines = line[3:].strip(), []
                continue
            lines.append(line)
        if current is not None:
            sections[current] = "\n".join(lines)
        return sections

    def examples(self, section: str) -> list[str]:
        """The ```markdown blocks of a section, as the test suite runs them."""
        body = self.sections().get(section, "")
        return [m.group("body") for m in _FENCE.finditer(body) if m.group("info").strip() == "markdown"]


def rulebook_path(rule: SomeRule) -> Path:
    """Where the page of a rule is, whether or not it exists."""
    return rulebook_folder() / f"{rule.name}.md"


def rulebook_page(rule: SomeRule) -> RulebookPage | None:
    """The page of a rule, or None when the rulebook has none."""
    path = rulebook_path(rule)
    if not path.is_file():
        return None
    return RulebookPage(path, path.read_text(encoding="utf-8"))


_OPTIONS_HEADER = "| option | default | description |"
_README_HEADER = "| code | rule | default | flags | fix |"


def _cell(text: str) -> str:
    # A summary is plain text: `<details>` would be raw HTML in a table, `|` a column break.
    return text.replace("<", "&lt;").replace("|", "\\|")


def readme_rule_table(rules: Sequence[SomeRule]) -> str:
    """The README's table of rules: code, page, default severity, summary, fix applicabilities."""
    lines = [_README_HEADER, "| --- | --- | --- | --- | --- |"]
    for rule in rules:
        severity = rule.severity.value + (", opt-in" if rule.opt_in else "")
        fixes = " / ".join(sorted(rule.fixes)) or "–"
        link = f"[{rule.name}](rules/{rule.name}.md)"
        lines.append(f"| {rule.code} | {link} | {severity} | {_cell(rule.summary)} | {fixes} |")
    return "\n".join(lines) + "\n"


def _default(value: object) -> str:
    if value is None:
        return "none"
    # The user agent names the version: a release must not make the rulebook stale.
    if isinstance(value, str):
        value = value.replace(__version__, "{version}")
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def options_table(rule: SomeRule) -> str:
    """The table of a rule's options as written in TOML, or "" for a rule with none."""
    fields = rule.options.model_fields
    if not fields:
        return ""
    lines = [_OPTIONS_HEADER, "| --- | --- | --- |"]
    for name, field in fields.items():
        key = field.alias or name
        default = _default(field.get_default(call_default_factory=True))
        lines.append(f"| `{key}` | {default} | {_cell(field.description or '')} |")
    return "\n".join(lines) + "\n"


def _replace_table(text: str, anchor: str, header: str, table: str) -> str:
    """`text` with the table starting `header` after the line `anchor` replaced by `table`."""
    lines = text.split("\n")
    start = lines.index(anchor) + 1
    while start < len(lines) and lines[start] == "":
        start += 1
    end = start
    if lines[start] == header:
        while end < len(lines) and lines[end].startswith("|"):
            end += 1
        while end < len(lines) and lines[end] == "":
            end += 1
    rest = "\n".join(lines[end:])
    head = "\n".join(lines[: lines.index(anchor) + 1])
    return f"{head}\n\n{table}\n{rest}" if table else f"{head}\n\n{rest}"


def with_options_table(rule: SomeRule, text: str) -> str:
    """A rule page's text with the generated options table atop its `## Options` section."""
    return _replace_table(text, "## Options", _OPTIONS_HEADER, options_table(rule))


def with_readme_rule_table(text: str, rules: Sequence[SomeRule]) -> str:
    """The README's text with the generated table of rules in its `## Rules` section."""
    lines = text.split("\n")
    start = lines.index("## Rules")
    header = lines.index(_README_HEADER, start)
    before = "\n".join(lines[:header])
    end = header
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return before + "\n" + readme_rule_table(rules) + "\n".join(lines[end:])


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the generated tables of a checkout's README.md and rules/*.md; 1 when `--check` finds them stale."""
    parser = argparse.ArgumentParser(prog="python -m mdlint.rule_engine.rulebook", description=main.__doc__)
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    # The checkout's files, whatever rulebook an installed mdlint would read; plugin rules are not
    # the README's to list.
    root = Path(__file__).resolve().parents[2]
    rules = sorted(builtin_rules(), key=lambda rule: rule.code)
    readme = root / "README.md"
    wanted = {readme: with_readme_rule_table(readme.read_text(encoding="utf-8"), rules)}
    for rule in rules:
        path = root / "rules" / f"{rule.name}.md"
        wanted[path] = with_options_table(rule, path.read_text(encoding="utf-8"))
    stale = [path for path, text in wanted.items() if path.read_text(encoding="utf-8") != text]
    for path in stale:
        if args.check:
            print(f"{path}: generated tables are stale; run python -m mdlint.rule_engine.rulebook", file=sys.stderr)
        else:
            path.write_text(wanted[path], encoding="utf-8")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
