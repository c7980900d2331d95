"""The rulebook: one Markdown page per rule in `rules/`, printed by `mdlint --explain RULE`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mdlint.rule_engine.rule import Rule

__all__ = ["REQUIRED_SECTIONS", "RulebookPage", "rulebook_folder", "rulebook_page", "rulebook_path"]

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


def rulebook_path(rule: Rule) -> Path:
    """Where the page of a rule is, whether or not it exists."""
    return rulebook_folder() / f"{rule.name}.md"


def rulebook_page(rule: Rule) -> RulebookPage | None:
    """The page of a rule, or None when the rulebook has none."""
    path = rulebook_path(rule)
    if not path.is_file():
        return None
    return RulebookPage(path, path.read_text(encoding="utf-8"))
