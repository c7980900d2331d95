"""A site is linted the same with one worker, with several, and from the result cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mdlint.run.parallel import PARALLEL_MIN_FILES
from mdlint.run.runner import CACHE_MIN_CHARACTERS
from tests.conftest import REPO, RunCli

FIXTURE_SITES = REPO / "tests" / "fixtures" / "sites"
# Enough pages that `--jobs 2` really starts workers.
_PAGES = PARALLEL_MIN_FILES + 8


def _jekyll(folder: Path) -> None:
    (folder / "_posts").mkdir(parents=True)
    (folder / "_config.yml").write_text("baseurl: /blog\n", encoding="utf-8")
    (folder / "about.md").write_text("---\ntitle: About\npermalink: /about/\n---\n# About\n", encoding="utf-8")
    for number in range(_PAGES):
        (folder / "_posts" / f"2024-01-{number % 28 + 1:02d}-post-{number}.md").write_text(
            f"---\ntitle: Post {number}\ndate: 2024-01-{number % 28 + 1:02d}\n---\n"
            f"[about]({{% link about.md %}}) [gone]({{% link gone-{number}.md %}}) "
            f"[home]({{{{ '/about/' | relative_url }}}}) [x]({{{{ site.baseurl }}}}/missing-{number}/)\n\n"
            "**막대(error bars)**와 _강조(x)_를\n",
            encoding="utf-8",
        )


def _hugo(folder: Path) -> None:
    (folder / "content" / "notes").mkdir(parents=True)
    (folder / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    for number in range(_PAGES):
        (folder / "content" / "notes" / f"n{number}.md").write_text(
            f"---\ntitle: Note {number}\n---\n## Part\n\n## Part\n\n"
            f'[next]({{{{< ref "n{number + 1}.md" >}}}}) [here](#part-1) [gone](#part-2) [up](../)\n',
            encoding="utf-8",
        )


def _with_enough_text_for_the_cache(folder: Path) -> None:
    # Small runs skip the result cache; a long page outside the site makes this one use it.
    (folder / "LONG.md").write_text(
        "# Long\n\n" + "Words in a line.\n" * (CACHE_MIN_CHARACTERS // 16), encoding="utf-8"
    )


def _sites() -> list[str]:
    fixtures = sorted(path.name for path in FIXTURE_SITES.iterdir() if path.is_dir()) if FIXTURE_SITES.is_dir() else []
    return ["generated-jekyll", "generated-hugo", *fixtures]


def _findings(run_cli: RunCli, folder: Path, *options: str) -> list[dict[str, object]]:
    completed = run_cli("--offline", "--format", "json", *options, ".", cwd=folder)
    assert completed.returncode in (0, 1), completed.stderr
    findings: list[dict[str, object]] = json.loads(completed.stdout)["findings"]
    return findings


@pytest.mark.parametrize("site", _sites())
def test_workers_and_cache_do_not_change_findings(site: str, tmp_path: Path, run_cli: RunCli) -> None:
    # A copy: the cache keys on absolute paths and times, and the fixture stays untouched.
    folder = tmp_path / site
    if site == "generated-jekyll":
        _jekyll(folder)
    elif site == "generated-hugo":
        _hugo(folder)
    else:
        shutil.copytree(FIXTURE_SITES / site, folder)
    _with_enough_text_for_the_cache(folder)
    serial = _findings(run_cli, folder, "--jobs", "1", "--no-cache")
    assert serial, "a site with no finding tests nothing here"
    assert _findings(run_cli, folder, "--jobs", "2", "--no-cache") == serial
    cache = tmp_path / "cache"
    assert _findings(run_cli, folder, "--jobs", "2", "--cache-dir", str(cache)) == serial
    # Warm: every per-file result now comes from the cache.
    assert _findings(run_cli, folder, "--jobs", "2", "--cache-dir", str(cache)) == serial


def test_a_cascade_two_folders_up_invalidates_cached_results(tmp_path: Path, run_cli: RunCli) -> None:
    site = tmp_path / "site"
    (site / "content" / "docs" / "guide").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    (site / ".mdlint.toml").write_text('[rules.front-matter-missing]\nrequired = ["type"]\n', encoding="utf-8")
    section = site / "content" / "docs" / "_index.md"
    section.write_text("---\ntitle: Docs\ntype: docs\ncascade:\n  type: docs\n---\n", encoding="utf-8")
    (site / "content" / "docs" / "guide" / "_index.md").write_text(
        "---\ntitle: Guide\ntype: docs\n---\n", encoding="utf-8"
    )
    (site / "content" / "docs" / "guide" / "page.md").write_text("---\ntitle: Page\n---\nText.\n", encoding="utf-8")
    _with_enough_text_for_the_cache(site)
    cache = tmp_path / "cache"

    def pages_without_type() -> list[object]:
        findings = _findings(run_cli, site, "--select", "front-matter-missing", "--cache-dir", str(cache))
        return [finding["path"] for finding in findings if finding["path"] != "LONG.md"]

    assert pages_without_type() == []
    assert pages_without_type() == []  # from the cache
    section.write_text("---\ntitle: Docs\ntype: docs\n---\n", encoding="utf-8")
    assert pages_without_type() == ["content/docs/guide/page.md"]
