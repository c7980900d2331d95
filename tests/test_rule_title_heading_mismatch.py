"""title-heading-mismatch: a first `#` heading unlike the title, where siblings repeat theirs."""

from __future__ import annotations

from pathlib import Path

from mdlint.testing import lint_text

RULE = "title-heading-mismatch"


def _post(title: str, heading: str | None) -> str:
    body = f"# {heading}\n\ntext\n" if heading is not None else "text\n"
    return f"---\ntitle: '{title}'\n---\n\n{body}"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _lint(path: Path, options: dict[str, object] | None = None) -> list[tuple[int, int, int, str]]:
    text = path.read_text(encoding="utf-8")
    findings = lint_text(text, RULE, path=str(path), options={RULE: options} if options else None)
    return [(f.line, f.column, f.end_column, f.message) for f in findings]


def _series(folder: Path, count: int) -> None:
    for day in range(1, count + 1):
        _write(
            folder, f"2025-11-{day:02d}-ai-weekly-picks.md", _post(f"AI Weekly Picks {day}", f"AI Weekly Picks {day}")
        )


def test_a_heading_unlike_the_title_in_a_series_that_repeats_it(tmp_path: Path) -> None:
    _series(tmp_path, 4)
    post = _write(tmp_path, "2025-12-03-ai-weekly-picks.md", _post("AI Weekly Picks", "Weekly reading"))
    assert _lint(post) == [
        (
            5,
            3,
            17,
            "first heading `Weekly reading` is not the front-matter title `AI Weekly Picks`; 4 of 4 other files of "
            "the series `ai-weekly-picks` repeat their title as their first heading",
        )
    ]


def test_the_folder_when_the_series_is_too_small(tmp_path: Path) -> None:
    for name in ("alpha", "beta", "gamma"):
        _write(tmp_path, f"{name}.md", _post(name.title(), name.title()))
    note = _write(tmp_path, "delta.md", _post("Delta", "Something else"))
    [(_, _, _, message)] = _lint(note)
    assert message.endswith("3 of 3 other files in this folder repeat their title as their first heading")


def test_no_finding_without_a_clear_majority(tmp_path: Path) -> None:
    _series(tmp_path, 2)
    _write(tmp_path, "2025-11-20-ai-weekly-picks.md", _post("AI Weekly Picks", None))
    _write(tmp_path, "2025-11-21-ai-weekly-picks.md", _post("AI Weekly Picks", "Other"))
    post = _write(tmp_path, "2025-12-03-ai-weekly-picks.md", _post("AI Weekly Picks", "Weekly reading"))
    assert _lint(post) == []  # 2 of 4 repeat: below the minimum and no majority
    assert _lint(post, {"min-siblings": 2, "agreement": 0.6}) == []
    _series(tmp_path, 5)
    assert _lint(post) == []  # 5 of 7 repeat: 0.71 < 0.8
    assert len(_lint(post, {"agreement": 0.7})) == 1


def test_a_heading_with_other_numbers_is_reported_without_siblings() -> None:
    text = _post("AI Weekly Picks(20251203)", "AI Weekly Picks(20251119)")
    [finding] = lint_text(text, RULE, path="_posts/2025-12-03-ai-weekly-picks.md")
    assert (finding.line, finding.column, finding.end_column) == (5, 3, 28)
    assert finding.message == (
        "first heading `AI Weekly Picks(20251119)` repeats the front-matter title `AI Weekly Picks(20251203)` "
        "with other numbers: copied from another file?"
    )


def test_equal_up_to_whitespace_and_emphasis_and_files_left_alone(tmp_path: Path) -> None:
    _series(tmp_path, 4)
    same = _write(tmp_path, "2025-12-01-ai-weekly-picks.md", _post("AI  Weekly *Picks*", "AI Weekly **Picks**"))
    no_heading = _write(tmp_path, "2025-12-02-ai-weekly-picks.md", _post("AI Weekly Picks", None))
    templated = _write(tmp_path, "2025-12-03-ai-weekly-picks.md", _post("AI Weekly Picks", "{{ page.title }}"))
    index = _write(tmp_path, "index.md", _post("Home", "Welcome"))
    fenced = _write(
        tmp_path, "2025-12-04-ai-weekly-picks.md", "---\ntitle: 'A'\n---\n\n```\n# not a heading\n```\n# A\n"
    )
    for path in (same, no_heading, templated, index, fenced):
        assert _lint(path) == [], path.name


def test_setext_headings_count(tmp_path: Path) -> None:
    _series(tmp_path, 3)
    post = _write(tmp_path, "2025-12-03-ai-weekly-picks.md", "---\ntitle: 'AI Weekly Picks'\n---\n\nWeekly\n======\n")
    assert [(line, column) for line, column, _, _ in _lint(post)] == [(5, 1)]


def test_only_a_heading_of_the_tree_counts() -> None:
    # `#` lines inside an HTML block, a block quote or a list, or indented as code, are no first
    # heading; a lazy line under a list item is no setext heading.
    title = "AI Weekly Picks(20251203)"
    for body in (
        "<div>\n# AI Weekly Picks(20251119)\n</div>\n",
        "> # AI Weekly Picks(20251119)\n",
        "- # AI Weekly Picks(20251119)\n",
        "    # AI Weekly Picks(20251119)\n",
        "- AI Weekly Picks(20251119)\n===\n",
    ):
        text = f"---\ntitle: '{title}'\n---\n\n{body}\n# {title}\n"
        assert lint_text(text, RULE, path="_posts/2025-12-03-ai-weekly-picks.md") == [], body


def test_a_setext_heading_of_two_lines_is_one_heading() -> None:
    text = "---\ntitle: 'AI Weekly Picks(20251203)'\n---\n\nAI Weekly\nPicks(20251119)\n===\n"
    [finding] = lint_text(text, RULE, path="_posts/2025-12-03-ai-weekly-picks.md")
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (5, 1, 6, 16)
    assert finding.message.startswith("first heading `AI Weekly Picks(20251119)` repeats the front-matter title")
