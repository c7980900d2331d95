"""What `--fix` costs: a pass of fixes is checked on one parse of its combined result, the
original's parse is not repeated, and what the run reports is what a fresh check of the fixed
files reports, serially and in worker processes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from mdlint.findings import LINK_DESTINATIONS, Edit, Finding, Fix, Severity
from mdlint.fixing.safety import FixGuard
from mdlint.markdown import parser
from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import ConfiguredRule, Rule
from mdlint.run.parallel import PARALLEL_MIN_FILES
from mdlint.run.runner import RunOptions, RunResult, run
from mdlint.site.workspace import RunSettings
from mdlint.source.text import SourceText

OFFLINE = RunSettings(offline=True)
# Fixes of two rules with different scopes: a scheme for a destination (link-missing-scheme), an
# invisible character out of the text (text-invisible-char).
_NOTE = "# Note {index}\n\nSee [paper](arxiv.org/abs/{index}) and a\u200bword.\n"
_FIXED = "# Note {index}\n\nSee [paper](https://arxiv.org/abs/{index}) and aword.\n"

_SCHEME = Rule("XLS001", "scheme", "t", check=lambda d, c: (), fix_scope=frozenset({LINK_DESTINATIONS}))
_TEXT = Rule("XTX001", "text", "t", check=lambda d, c: ())


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each path's text was parsed (as a document, not as a snippet of one)."""
    counts: Counter[str] = Counter()
    original: Callable[[SourceText, str | None], object] = parser.parse_document

    def counting(document: SourceText, text: str | None = None) -> object:
        counts[document.path] += 1
        return original(document, text)

    monkeypatch.setattr(parser, "parse_document", counting)
    return counts


def _fix(document: Document, rule: Rule, edit: Edit) -> tuple[Finding, tuple[Edit, ...]]:
    line, column = document.position(edit.start)
    return Finding(
        document.path, line, column, line, column, rule.name, rule.code, Severity.ERROR, "m", Fix((edit,))
    ), (edit,)


def _guard(*rules: Rule) -> FixGuard:
    return FixGuard([ConfiguredRule(rule, rule.options(), Severity.ERROR) for rule in rules])


def test_fixes_of_two_rules_each_in_its_scope_are_checked_on_one_parse(parses: Counter[str]) -> None:
    text = "See [x](arxiv.org/abs/1) and\u00a0more.\n"
    document = Document("a.md", text)
    at, nbsp = text.index("arxiv"), text.index("\u00a0")
    guard = _guard(_SCHEME, _TEXT)
    outcome = guard.apply(
        document, [_fix(document, _SCHEME, Edit(at, at, "https://")), _fix(document, _TEXT, Edit(nbsp, nbsp + 1, " "))]
    )
    assert outcome.text == "See [x](https://arxiv.org/abs/1) and more.\n"
    assert (outcome.applied, guard.rolled_back) == (2, [])
    # The original and the combined result; checked rule by rule it would be three.
    assert parses["a.md"] == 2
    assert outcome.document is not None and outcome.document.text == outcome.text


def test_a_rule_editing_the_front_matter_beside_one_that_may_is_still_rolled_back_alone() -> None:
    text = "---\ntitle: A\u00a0B\n---\n\nSee [x](arxiv.org/abs/1).\n"
    document = Document("a.md", text)
    at, nbsp = text.index("arxiv"), text.index("\u00a0")
    guard = _guard(_SCHEME, _TEXT)
    outcome = guard.apply(
        document, [_fix(document, _SCHEME, Edit(at, at, "https://")), _fix(document, _TEXT, Edit(nbsp, nbsp + 1, " "))]
    )
    assert outcome.text == "---\ntitle: A\u00a0B\n---\n\nSee [x](https://arxiv.org/abs/1).\n"
    assert guard.rolled_back == [
        "fix of text at line 2, column 9 rolled back: it would change the front matter",
    ]


def _tree(folder: Path, files: int) -> Path:
    folder.mkdir()
    for index in range(files):
        (folder / f"note{index:02}.md").write_text(_NOTE.format(index=index), encoding="utf-8")
    return folder


def _report(result: RunResult) -> list[tuple[object, ...]]:
    return [(f.sort_key, f.end_line, f.end_column, f.severity, f.fix) for f in result.findings]


def test_a_fixed_file_is_parsed_twice_and_not_linted_again(tmp_path: Path, parses: Counter[str]) -> None:
    tree = _tree(tmp_path / "notes", 2)
    result = run(RunOptions(paths=(str(tree),), settings=OFFLINE, jobs=1, fix=True))
    assert (result.files_fixed, result.fixes_applied) == (2, 4)
    for index in range(2):
        path = tree / f"note{index:02}.md"
        assert path.read_text(encoding="utf-8") == _FIXED.format(index=index)
        # The lint and the check of the combined fixes; the fixes' check parse serves the re-lint.
        assert parses[str(path)] == 2
    assert result.findings == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_report_after_fixing_is_what_a_fresh_check_of_the_fixed_files_reports(tmp_path: Path, jobs: int) -> None:
    tree = _tree(tmp_path / "notes", PARALLEL_MIN_FILES + 2)
    # A finding no fix resolves, and one a fix leaves behind in another rule's words.
    (tree / "note00.md").write_text("# Note\n\nUse [x][nowhere] and a\u200bword.\n", encoding="utf-8")
    fixed = run(RunOptions(paths=(str(tree),), settings=OFFLINE, jobs=jobs, fix=True))
    assert fixed.files_fixed == PARALLEL_MIN_FILES + 2
    assert fixed.fixes_applied == 2 * (PARALLEL_MIN_FILES + 1) + 1
    fresh = run(RunOptions(paths=(str(tree),), settings=OFFLINE, jobs=1))
    assert _report(fixed) == _report(fresh)
    assert [(f.path, f.line, f.column, f.rule) for f in fixed.findings] == [
        (str(tree / "note00.md"), 3, 5, "link-reference-undefined")
    ]
    assert fixed.errors == fresh.errors == []
    second = run(RunOptions(paths=(str(tree),), settings=OFFLINE, jobs=jobs, fix=True))
    assert (second.files_fixed, second.fixes_applied) == (0, 0)


def test_a_text_fix_that_moves_a_reference_link_is_rolled_back_beside_a_destination_fix() -> None:
    # The text fix makes the first definition's label `a`: `[x][a]` then points to b.example.
    text = "See [x][a] and [y](arxiv.org/abs/1).\n\n[a\u200b]: https://b.example\n[a]: https://a.example\n"
    document = Document("a.md", text)
    at, zwsp = text.index("arxiv"), text.index("\u200b")
    guard = _guard(_SCHEME, _TEXT)
    outcome = guard.apply(
        document, [_fix(document, _SCHEME, Edit(at, at, "https://")), _fix(document, _TEXT, Edit(zwsp, zwsp + 1, ""))]
    )
    assert outcome.text == text.replace("arxiv", "https://arxiv")
    assert guard.rolled_back == [
        "fix of text at line 3, column 3 rolled back: it would change a link or its destination "
        "('link https://a.example' became 'link https://b.example')"
    ]
