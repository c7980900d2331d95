"""icon-variant: messages, fix edits, the archive fix, idempotence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mdlint.findings import Edit, Finding
from mdlint.testing import fix_text, lint_text
from tests.conftest import require_corpus

DEV = "\U0001f9d1\U0001f3fb\u200d\U0001f4bb"
DEV_NO_ZWJ = "\U0001f9d1\U0001f3fb\U0001f4bb"
DEV_DARK = "\U0001f9d1\U0001f3ff\u200d\U0001f4bb"
NEWS = "\U0001f5de\ufe0f"
NEWS_BARE = "\U0001f5de"


def legend(dev: str = DEV, news: str = NEWS) -> str:
    return f"📜: Paper link\n{dev}: Developer blog\n{news}: News\n\n# Archive\n\n"


def apply_fixes(text: str, rule: str = "icon-variant", unsafe: bool = False) -> str:
    return fix_text(text, rule, unsafe_fixes=unsafe)


def _insertions(original: str, fixed: str) -> dict[int, str]:
    """Offsets of `original` where `fixed` inserts text; fails on any other kind of change."""
    inserted: dict[int, str] = {}
    i = j = 0
    while j < len(fixed):
        if i < len(original) and original[i] == fixed[j]:
            i, j = i + 1, j + 1
            continue
        assert fixed[j] in "\u200d\ufe0f", f"changed at offset {i}: {original[i : i + 20]!r}"
        inserted[i] = inserted.get(i, "") + fixed[j]
        j += 1
    assert i == len(original)
    return inserted


def variants(text: str) -> list[Finding]:
    return lint_text(text, "icon-variant")


def test_entry_variant_of_standard_legend_gets_its_own_edit() -> None:
    text = legend() + f"- {NEWS_BARE} [Google] [Veo 2](https://deepmind.google/veo)\n- {NEWS} [x](https://x.org)\n"
    [finding] = variants(text)
    assert (finding.line, finding.column) == (7, 3)
    assert "U+1F5DE" in finding.message and "U+1F5DE U+FE0F" in finding.message
    assert finding.fix is not None and finding.fix.applicability == "safe"
    start = text.index(f"- {NEWS_BARE} ") + 2
    assert finding.fix.edits == (Edit(start, start + 1, NEWS),)
    assert apply_fixes(text) == text.replace(f"- {NEWS_BARE} ", f"- {NEWS} ")


def test_non_standard_legend_is_fixed_with_every_entry_together() -> None:
    entries = "".join(f"- {DEV_NO_ZWJ} [e{i}](https://github.com/e/{i})\n" for i in range(3))
    text = legend(dev=DEV_NO_ZWJ) + entries
    findings = variants(text)
    assert [(f.line, f.column) for f in findings] == [(2, 1), (7, 3), (8, 3), (9, 3)]
    assert findings[0].message.startswith("legend icon")
    assert "shows as 2 pictures" in findings[0].message
    for finding in findings:
        assert finding.fix is not None and len(finding.fix.edits) == 4
    fixed = apply_fixes(text)
    assert DEV_NO_ZWJ not in fixed and fixed.count(DEV) == 4
    assert variants(fixed) == []


def test_other_skin_tone_is_an_unsafe_fix() -> None:
    text = legend() + f"- {DEV_DARK} [x](https://github.com/x)\n"
    [finding] = variants(text)
    assert finding.fix is not None and finding.fix.applicability == "unsafe"
    assert apply_fixes(text) == text
    assert apply_fixes(text, unsafe=True).count(DEV) == 2


def test_config_legend_wins_and_document_legend_lines_are_checked() -> None:
    text = legend(dev=DEV_NO_ZWJ) + f"- {DEV} [x](https://github.com/x)\n"
    options = {"icon-variant": {"legend": {"📜": "paper", DEV: "dev"}}}
    findings = lint_text(text, "icon-variant", options=options)
    assert [(f.line, f.column) for f in findings] == [(2, 1)]


def test_no_legend_no_findings() -> None:
    assert variants(f"# Post\n\n- {DEV_NO_ZWJ} [x](https://github.com/x)\n") == []


def test_archive_fix_changes_only_icon_code_points() -> None:
    original = (require_corpus() / "study-archive" / "README.md").read_text(encoding="utf-8")
    fixed = apply_fixes(original)
    assert fixed != original
    inserted = _insertions(original, fixed)
    assert inserted and set(inserted.values()) == {"\u200d"}
    for offset in inserted:
        assert original[offset - 2 : offset] == "\U0001f9d1\U0001f3fb" and original[offset] == "\U0001f4bb"
    assert DEV_NO_ZWJ not in fixed
    assert fixed.splitlines()[1].startswith(f"{DEV}: ")
    assert fixed.count(DEV) == original.count(DEV_NO_ZWJ) == 56
    assert variants(fixed) == []


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from([DEV, DEV_NO_ZWJ, NEWS, NEWS_BARE, "📜"]), min_size=1, max_size=6))
def test_fix_settles_on_standard_spellings(icons: list[str]) -> None:
    text = legend(dev=DEV_NO_ZWJ, news=NEWS_BARE) + "".join(
        f"- {icon} [e{i}](https://e.org/{i})\n" for i, icon in enumerate(icons)
    )
    fixed = apply_fixes(text)
    assert variants(fixed) == []
    assert DEV_NO_ZWJ not in fixed and NEWS_BARE + " " not in fixed and NEWS_BARE + ":" not in fixed
    assert apply_fixes(fixed) == fixed
