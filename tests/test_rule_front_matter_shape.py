"""front-matter-shape: a front-matter value or key written unlike nearly all sibling files."""

from __future__ import annotations

from pathlib import Path

from mdlint.testing import lint_text
from tests.front_matter_helpers import lint_folder, write_files

RULE = "front-matter-shape"


def _post(*lines: str) -> str:
    return "---\n" + "".join(f"{line}\n" for line in lines) + "---\n\ntext\n"


def _posts(folder: Path, count: int, *lines: str) -> None:
    write_files(folder, {f"2025-11-{day:02d}-post-{day}.md": _post(*lines) for day in range(1, count + 1)})


def _lint(
    path: Path, options: dict[str, object] | None = None, text: str | None = None
) -> list[tuple[int, int, int, str]]:
    source = path.read_text(encoding="utf-8") if text is None else text
    findings = lint_text(source, RULE, path=str(path), options={RULE: options} if options else None)
    return [(f.line, f.column, f.end_column, f.message) for f in findings]


def test_a_permalink_slug_with_underscores_among_dashes(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {f"2025-11-{day:02d}-weekly.md": _post(f"permalink: /posts/weekly-picks-{day}/") for day in range(1, 6)},
    )
    [post] = write_files(tmp_path, {"2025-12-03-weekly.md": _post("permalink: /posts/weekly_picks_3/")})
    assert _lint(post) == [
        (
            2,
            12,
            34,
            "permalink uses `_` between words, unlike 5 of 5 other files in "
            f"{tmp_path.name}/ that join words in their permalink: `-`",
        )
    ]


def test_the_dashes_of_a_date_and_one_word_slugs_do_not_count(tmp_path: Path) -> None:
    write_files(tmp_path, {f"{day}.md": _post(f"permalink: /posts/weekly_picks_{day}/") for day in range(1, 6)})
    [post] = write_files(tmp_path, {"dated.md": _post("permalink: /posts/2025-12-03/")})
    [single] = write_files(tmp_path, {"single.md": _post("permalink: /posts/picks/")})
    [template] = write_files(tmp_path, {"template.md": _post("permalink: /:categories/:title-x/")})
    assert _lint(post) == []
    assert _lint(single) == []
    assert _lint(template) == []


def test_a_date_in_another_format(tmp_path: Path) -> None:
    _posts(tmp_path, 6, "date: 2025-11-19")
    [post] = write_files(tmp_path, {"late.md": _post("title: Late", "date: 2025-11-19 10:00:00 +0900")})
    assert _lint(post) == [
        (
            3,
            7,
            32,
            f"date is written `YYYY-MM-DD hh:mm:ss ±hhmm`, unlike 6 of 6 other files in {tmp_path.name}/: `YYYY-MM-DD`",
        )
    ]


def test_date_formats_tell_apart_the_separator_the_offset_and_padding(tmp_path: Path) -> None:
    cases = {
        "zulu": ("2025-11-19T10:00:00Z", "`YYYY-MM-DDThh:mm:ssZ`"),
        "space": ("2025-11-19 10:00:00+09:00", "`YYYY-MM-DD hh:mm:ss±hh:mm`"),
        "short": ("2025-1-9T10:00:00+09:00", "`YYYY-M-DThh:mm:ss±hh:mm`"),
        "quoted": ('"2025-11-19T10:00"', "`YYYY-MM-DDThh:mm`"),
        "same": ("2024-01-02T03:04:05-07:00", None),
    }
    for name, (value, described) in cases.items():
        _posts(tmp_path / name, 5, "lastmod: 2025-11-19T10:00:00+09:00")
        [path] = write_files(tmp_path / name, {"page.md": _post(f"lastmod: {value}")})
        expected = [
            (
                2,
                10,
                10 + len(value),
                f"lastmod is written {described}, unlike 5 of 5 other files in {name}/: `YYYY-MM-DDThh:mm:ss±hh:mm`",
            )
        ]
        assert _lint(path) == (expected if described else [])


def test_a_single_tag_among_lists(tmp_path: Path) -> None:
    _posts(tmp_path, 5, "tags:", "  - AI", "  - News")
    [post] = write_files(tmp_path, {"single.md": _post("tags: AI News")})
    assert _lint(post) == [(2, 7, 14, f"tags is a single value, unlike 5 of 5 other files in {tmp_path.name}/: a list")]


def test_a_key_alias_is_reported_at_the_key_once(tmp_path: Path) -> None:
    _posts(tmp_path, 5, "category: release")
    [post] = write_files(tmp_path, {"team.md": _post("title: Team", "categories: [team]")})
    assert _lint(post) == [
        (3, 1, 11, f"key `categories` is written `category` by 5 of 5 other files in {tmp_path.name}/")
    ]


def test_a_key_in_another_case(tmp_path: Path) -> None:
    _posts(tmp_path, 4, "linkTitle: Short")
    [post] = write_files(tmp_path, {"other.md": _post("title: Other", "linktitle: Other")})
    assert _lint(post) == [
        (3, 1, 10, f"key `linktitle` is written `linkTitle` by 4 of 4 other files in {tmp_path.name}/")
    ]


def test_a_list_in_a_list_is_reported_without_siblings() -> None:
    text = _post("title: Review", "tags:", "  - [Review]", "  - AI")
    [finding] = lint_text(text, RULE, path="_posts/2025-12-03-review.md")
    assert (finding.line, finding.column, finding.end_column) == (4, 5, 13)
    assert finding.message == "tags holds a list in a list: write its items as one list"
    assert lint_text(_post("tags: [[Review]]"), RULE, path="x.md")[0].column == 7
    assert lint_text(_post("tags:", "  - Review"), RULE, path="x.md") == []
    assert lint_text(_post("params:", "  - [a]"), RULE, path="x.md") == []  # not a taxonomy


def test_no_finding_without_a_clear_majority(tmp_path: Path) -> None:
    write_files(tmp_path, {f"a{n}.md": _post("date: 2025-11-19") for n in range(4)})
    write_files(tmp_path, {f"b{n}.md": _post("date: 2025-11-19 10:00:00") for n in range(2)})
    [post] = write_files(tmp_path, {"c.md": _post("date: 2025-11-19T10:00:00Z")})
    assert _lint(post) == []  # 4 of 6: below 0.9
    assert len(_lint(post, {"agreement": 0.6})) == 1


def test_too_few_siblings(tmp_path: Path) -> None:
    _posts(tmp_path, 3, "date: 2025-11-19")
    [post] = write_files(tmp_path, {"late.md": _post("date: 2025-11-19 10:00:00")})
    assert _lint(post) == []
    assert len(_lint(post, {"min-siblings": 3})) == 1


def test_the_keys_option_limits_the_values_compared(tmp_path: Path) -> None:
    _posts(tmp_path, 5, "date: 2025-11-19", "lastmod: 2025-11-19")
    [post] = write_files(tmp_path, {"late.md": _post("date: 2025-11-19 10:00", "lastmod: 2025-11-19 10:00")})
    assert [line for line, *_ in _lint(post)] == [2, 3]
    assert [line for line, *_ in _lint(post, {"keys": ["lastmod"]})] == [3]


def test_quoting_is_compared_only_when_asked(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        _posts(tmp_path / folder, 5, "title: Plain title", "date: 2025-11-19")
    [post] = write_files(tmp_path / "a", {"quoted.md": _post('title: "Quoted title"', 'date: "2025-11-19"')})
    [needed] = write_files(tmp_path / "b", {"needed.md": _post('title: "Part: two"', "date: 2025-11-19")})
    assert _lint(post) == []
    assert _lint(post, {"quoting": True}) == [
        (2, 8, 22, "title is in double quotes, unlike 5 of 5 other files in a/: unquoted"),
        (3, 7, 19, "date is in double quotes, unlike 5 of 5 other files in a/: unquoted"),
    ]
    assert _lint(needed, {"quoting": True}) == []  # `Part: two` needs its quotes
    # Unquoted, `2025-02-30` would be a timestamp YAML cannot build: its quotes stay.
    [impossible] = write_files(tmp_path / "b", {"impossible.md": _post("title: Plain", 'date: "2025-02-30"')})
    assert _lint(impossible, {"quoting": True}) == []


def test_toml_front_matter(tmp_path: Path) -> None:
    write_files(tmp_path, {f"{n}.md": "+++\ndate = 2025-11-19T10:00:00Z\n+++\n\ntext\n" for n in range(5)})
    [post] = write_files(tmp_path, {"late.md": "+++\ntitle = 'x'\ndate = 2025-11-19\n+++\n\ntext\n"})
    assert _lint(post) == [
        (
            3,
            8,
            18,
            f"date is written `YYYY-MM-DD`, unlike 5 of 5 other files in {tmp_path.name}/: `YYYY-MM-DDThh:mm:ssZ`",
        )
    ]


def test_landing_pages_and_sites_defaults_are_left_out(tmp_path: Path) -> None:
    write_files(tmp_path, {"_config.yml": "defaults:\n  - scope: {path: ''}\n    values: {category: release}\n"})
    _posts(tmp_path / "_posts", 5, "date: 2025-11-19")
    [index] = write_files(tmp_path / "_posts", {"index.md": _post("date: 2025-11-19 10:00")})
    [post] = write_files(tmp_path / "_posts", {"x.md": _post("date: 2025-11-19", "categories: [team]")})
    assert _lint(index) == []
    assert _lint(post) == []  # `category` comes from the defaults: the siblings do not write it


def test_a_run_and_an_edited_buffer(tmp_path: Path) -> None:
    _posts(tmp_path, 5, "date: 2025-11-19")
    [post] = write_files(tmp_path, {"late.md": _post("date: 2025-11-19 10:00")})
    findings = lint_folder(tmp_path, RULE)
    assert [(name, f.line, f.column) for name, found in findings.items() for f in found] == [("late.md", 2, 7)]
    # The buffer now agrees with its siblings: its version on disk does not count against it.
    assert _lint(post, text=_post("date: 2025-11-20")) == []
    # Nor for it: a sibling edited to look like late.md on disk is still 1 against 4.
    sibling = tmp_path / "2025-11-01-post-1.md"
    assert _lint(sibling, text=_post("date: 2025-11-19 10:00")) == []
    assert _lint(sibling, {"agreement": 0.8}, text=_post("date: 2025-11-19 10:00")) == [
        (2, 7, 23, f"date is written `YYYY-MM-DD hh:mm`, unlike 4 of 5 other files in {tmp_path.name}/: `YYYY-MM-DD`")
    ]
