"""icon-missing: the entry level of a section."""

from __future__ import annotations

from mdlint.testing import lint_text
from tests.conftest import require_corpus

LEGEND = "📜: Paper link\n🤪: Interesting\n\n# Archive\n\n"


def test_message_and_position() -> None:
    text = LEGEND + "- 📜 [p](https://arxiv.org/abs/1)\n- [guide](https://www.promptingguide.ai/)\n"
    [finding] = lint_text(text, "icon-missing")
    assert (finding.line, finding.column) == (7, 3)
    assert finding.message.startswith("entry has no type icon")


def test_each_section_has_its_own_entry_level() -> None:
    text = (
        LEGEND
        + "## Papers\n\n- 📜 [a](https://arxiv.org/abs/1)\n  - explanation\n- [b](https://arxiv.org/abs/2)\n\n"
        + "## Topics\n\n- Vision\n  - 📜 [c](https://arxiv.org/abs/3)\n  - [d](https://arxiv.org/abs/4)\n"
        + "\n## Notes\n\n- a plain list\n- without icons\n"
    )
    assert [(f.line, f.column) for f in lint_text(text, "icon-missing")] == [(10, 3), (16, 5)]


def test_the_archive_has_no_missing_icons() -> None:
    text = (require_corpus() / "study-archive" / "README.md").read_text(encoding="utf-8")
    assert lint_text(text, "icon-missing", "icon-unknown") == []
