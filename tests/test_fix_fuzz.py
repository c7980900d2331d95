"""A small seeded run of the `--fix` fuzz harness (`python -m bench.fuzz_bench` runs 100,000).

Generated documents and mutated fixture documents are linted and fixed in-process, safe fixes
then unsafe ones: no crash, no finding outside the text, a second run changes nothing, and
GitHub's rendering (cmark-gfm) changes only as the fixes intend (see `bench.fuzz_bench`).
"""

from __future__ import annotations

from bench.fuzz_bench import FuzzReport, check, fuzz, inputs, read_corpus, render, rendering_key
from tests.conftest import REPO


def test_a_seeded_fuzz_run_breaks_no_fix_guarantee() -> None:
    corpus = read_corpus(REPO / "tests" / "fixtures")
    report = fuzz(300, seed=7, corpus=corpus)
    assert [(kind, text) for kind, text, _ in report.examples] == []
    assert (report.inputs, report.crashes, report.positions, report.non_idempotent, report.rendering_changes) == (
        300,
        0,
        0,
        0,
        0,
    )
    assert report.fixed > 0, "the inputs give the fixes something to do"


def test_the_same_seed_gives_the_same_inputs() -> None:
    corpus = ["# Title\n\nSome text with a link www.example.org.\n"]
    assert list(inputs(50, 3, corpus)) == list(inputs(50, 3, corpus))
    assert list(inputs(50, 3, corpus)) != list(inputs(50, 4, corpus))


def test_the_rendering_key_forgets_only_what_the_fixes_intend() -> None:
    assert rendering_key(render("a\u200bb\u00a0c\n")) == rendering_key(render("ab c\n"))
    assert rendering_key(render("[p](arxiv.org/abs/1)\n")) == rendering_key(render("[p](https://arxiv.org/abs/1)\n"))
    assert rendering_key(render("a\n\n    b\n")) != rendering_key(render("a\n    b\n"))
    assert rendering_key(render("- a\n- b\n")) != rendering_key(render("- a\n\n- b\n"))
    assert rendering_key(render("\\\u00ad*\n")) != rendering_key(render("\\*\n"))


def test_an_autolink_moved_by_a_fix_would_be_counted() -> None:
    # Checked directly: the fix check rolls this fix back, so the harness sees no change.
    report = FuzzReport()
    check("See www.example.org/b\u200bc today.\n", report)
    assert (report.inputs, report.rendering_changes, report.non_idempotent, report.crashes) == (1, 0, 0, 0)
