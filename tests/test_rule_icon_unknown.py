"""icon-unknown: messages, nested entries, config legend."""

from __future__ import annotations

from mdlint.testing import lint_text

LEGEND = "📜: Paper link\n🤪: Interesting\n\n# Archive\n\n"


def test_message_lists_the_legend() -> None:
    [finding] = lint_text(LEGEND + "- 🔥 [o3](https://openai.com/o3)\n", "icon-unknown")
    assert finding.message == 'icon "🔥" is not in the legend (📜, 🤪)'
    assert (finding.line, finding.column, finding.end_column) == (6, 3, 4)


def test_explanation_sub_item_is_not_an_entry_but_a_nested_link_is() -> None:
    text = LEGEND + "- 📜 [p](https://arxiv.org/abs/1)\n  - 📊 5 data sets\n  - 🎥 [demo](https://youtube.com/1)\n"
    assert [(f.line, f.column) for f in lint_text(text, "icon-unknown")] == [(8, 5)]


def test_config_legend_replaces_the_document_legend() -> None:
    text = LEGEND + "- 🔥 [o3](https://openai.com/o3)\n- 📜 [p](https://arxiv.org/abs/1)\n"
    options = {"icon-unknown": {"legend": {"🔥": "hot"}}}
    assert [(f.line, f.column) for f in lint_text(text, "icon-unknown", options=options)] == [(7, 3)]


def test_document_without_legend_is_not_checked() -> None:
    assert lint_text("# Post\n\n- 🔥 [o3](https://openai.com/o3)\n", "icon-unknown") == []
