"""Time every rule on pathological inputs: huge bracket, emphasis and backtick runs, deep nesting.

    python -m bench.pathological_bench [--only NAME] [--limit SECONDS] [--scale 1.0]
    python -m bench.pathological_bench --growth [--only NAME] [--limit SECONDS]

Prints one line per input: its name, size, the seconds a full lint (all rules, offline, through
the real engine) took, and the number of findings — or how it ended (time limit, recursion,
memory). The slowest input is named at the end. `--scale` shrinks or grows every input, to see
how the time grows with the size (quadratic behaviour shows as 4x time for 2x input).

`--growth` lints the constructs that once were super-linear or took gigabytes at 10 KB, 100 KB
and 1 MB each, and prints the seconds per size and the growth from one size to the next (10x
for linear; 100x for quadratic).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from mdlint.run.time_limit import TimeLimitExceeded, time_limit
from mdlint.site.workspace import RunSettings
from mdlint.testing import LintError, lint_text


@dataclass(frozen=True)
class Pathological:
    """One generated input: a name and how to build it at a given scale."""

    name: str
    build: Callable[[float], str]


def _n(base: int, scale: float) -> int:
    return max(1, int(base * scale))


def _table(rows: int, columns: int) -> str:
    header = "|" + "|".join(f" h{c} " for c in range(columns)) + "|\n"
    rule = "|" + "|".join("---" for _ in range(columns)) + "|\n"
    body = "".join("|" + "|".join(f" [c{r}](x{c}.md) " for c in range(columns)) + "|\n" for r in range(rows))
    return header + rule + body


def _details(depth: int) -> str:
    opening = "".join(f"<details>\n<summary>level {d}</summary>\n\n- item {d}\n\n" for d in range(depth))
    return opening + "</details>\n\n" * depth


PATHOLOGICAL: tuple[Pathological, ...] = (
    Pathological("100k [", lambda s: "[" * _n(100_000, s)),
    Pathological("100k ]", lambda s: "]" * _n(100_000, s)),
    Pathological("1 MB of <", lambda s: "<" * _n(1_000_000, s)),
    Pathological("50k list items", lambda s: "".join(f"- item {i}\n" for i in range(_n(50_000, s)))),
    Pathological("50k ordered items", lambda s: "".join(f"{i}. item\n" for i in range(_n(50_000, s)))),
    Pathological("5,000-deep >", lambda s: ">" * _n(5_000, s) + " deep\n"),
    Pathological("1,000-deep > lines", lambda s: "".join(">" * d + " q\n" for d in range(1, _n(1_000, s)))),
    Pathological("1,000-deep lists", lambda s: "".join("  " * d + "- x\n" for d in range(_n(1_000, s)))),
    Pathological("5,000-deep - - -", lambda s: "- " * _n(5_000, s) + "x\n"),
    Pathological("100k *", lambda s: "*" * _n(100_000, s)),
    Pathological("100k _", lambda s: "_" * _n(100_000, s)),
    Pathological("50k *a", lambda s: "*a " * _n(50_000, s)),
    Pathological("50k **a**b", lambda s: "**a**b" * _n(50_000, s)),
    Pathological("100k backticks", lambda s: "`" * _n(100_000, s)),
    Pathological("10k `a` spans", lambda s: "`a` " * _n(10_000, s)),
    Pathological("30k ` x", lambda s: "` x " * _n(30_000, s)),
    Pathological("100k ](", lambda s: "](" * _n(100_000, s)),
    Pathological("100k [a](", lambda s: "[a](" * _n(100_000, s)),
    Pathological("20k [a](b) on a line", lambda s: "[a](b) " * _n(20_000, s)),
    Pathological(
        "20k links, 20k lines", lambda s: "".join(f"- [l{i}](https://e{i}.com/)\n" for i in range(_n(20_000, s)))
    ),
    Pathological("huge table 5k x 10", lambda s: _table(_n(5_000, s), 10)),
    Pathological("wide table 1 x 5k", lambda s: _table(1, _n(5_000, s))),
    Pathological("1k-deep <details>", lambda s: _details(_n(1_000, s))),
    Pathological("100k <details>", lambda s: "<details>" * _n(100_000, s)),
    Pathological("50k <details> lines", lambda s: "<details>\n" * _n(50_000, s)),
    Pathological("100k &", lambda s: "&" * _n(100_000, s)),
    Pathological("100k \\", lambda s: "\\" * _n(100_000, s)),
    Pathological("100k !", lambda s: "![" * _n(100_000, s)),
    Pathological("100k <a", lambda s: "<a " * _n(100_000, s)),
    Pathological("100k <a in an HTML block", lambda s: "<div>\n" + "<a " * _n(100_000, s)),
    Pathological('50k <a x=" in an HTML block', lambda s: "<div>\n" + '<a x="' * _n(50_000, s)),
    Pathological("50k <!--", lambda s: "<!-- " * _n(50_000, s)),
    Pathological("1 MB one word", lambda s: "a" * _n(1_000_000, s)),
    Pathological("100k NBSP", lambda s: "\u00a0" * _n(100_000, s)),
    Pathological("100k emoji ZWJ", lambda s: "🧑\u200d💻" * _n(100_000, s)),
    Pathological("50k paragraphs", lambda s: "".join(f"para {i}\n\n" for i in range(_n(50_000, s)))),
    Pathological(
        "20k same paragraph", lambda s: ("the same long paragraph text repeated here again\n\n") * _n(20_000, s)
    ),
    Pathological(
        "50k front matter lines", lambda s: "---\n" + "".join(f"k{i}: v\n" for i in range(_n(50_000, s))) + "---\n"
    ),
    Pathological("unclosed front matter 50k", lambda s: "---\n" + "k: v\n" * _n(50_000, s)),
    Pathological("50k headings", lambda s: "".join(f"# h {i}\n" for i in range(_n(50_000, s)))),
    Pathological("20k fragment links", lambda s: "".join(f"[x](#h-{i})\n" for i in range(_n(20_000, s)))),
    Pathological("10k bare URLs", lambda s: "arxiv.org/abs/1 " * _n(10_000, s)),
    Pathological("100k | on a line", lambda s: "a\n" + "|" * _n(100_000, s) + "\n"),
    Pathological("10k setext", lambda s: "a\n=\n" * _n(10_000, s)),
    Pathological("20k fences unclosed", lambda s: "```\n" * _n(20_000, s)),
    Pathological("100k CR", lambda s: "a\r" * _n(100_000, s)),
)


# The constructs of issue 13 (item 17), each built at a given size in characters.
GROWTH: tuple[Pathological, ...] = (
    Pathological("*", lambda size: "*" * int(size)),
    Pathological("[", lambda size: "[" * int(size)),
    Pathological("nested - ", lambda size: "- " * int(size // 2) + "x\n"),
    Pathological("> on one line", lambda size: "> " * int(size // 2) + "x\n"),
    Pathological("[ x k then ]( x k", lambda size: "[" * int(size // 3) + "](" * int(size // 3)),
    Pathological("*a x n", lambda size: "*a" * int(size // 2)),
    Pathological("one repeated link", lambda size: "[a](b)" * int(size // 6)),
)
GROWTH_SIZES = (10_000, 100_000, 1_000_000)


def measure(case: Pathological, scale: float, limit: float) -> tuple[float, str]:
    """Seconds a full lint of the case took, and how it ended."""
    return _lint_timed(case.build(scale), limit)


def _lint_timed(text: str, limit: float) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        # The run's own limits turn a slow file into an error; this one is the bench's.
        with time_limit(limit):
            findings = lint_text(text, settings=RunSettings(offline=True, file_time_limit=0))
        outcome = f"{len(findings)} findings"
    except TimeLimitExceeded:
        outcome = f"over the {limit:g} s limit"
    except RecursionError:
        outcome = "RecursionError"
    except LintError as error:
        outcome = str(error)
    return time.perf_counter() - start, outcome


def growth(only: str | None, limit: float) -> None:
    """Print seconds per size for each construct of `GROWTH`, and how the time grew."""
    header = "".join(f"{size // 1000:>10,} KB" for size in GROWTH_SIZES)
    lint_text("# warm-up: imports and compiled patterns are not the first case's cost\n")
    print(f"{'construct':<20}{header}   growth per 10x")
    for case in GROWTH:
        if only and only not in case.name:
            continue
        cells: list[str] = []
        seconds: list[float] = []
        for size in GROWTH_SIZES:
            if len(seconds) < len(cells) or (seconds and seconds[-1] * 10 > limit):
                # Even linear growth from the last size would run over the limit.
                cells.append(f"{'skipped':>13}")
                continue
            taken, outcome = _lint_timed(case.build(size), limit)
            if outcome.endswith("findings"):
                seconds.append(taken)
                cells.append(f"{taken:>11.2f} s")
            else:
                over = "limit" in outcome or "took longer" in outcome
                cells.append(f"{'> ' + format(limit, 'g') + ' s' if over else outcome:>13}")
        ratios = ", ".join(f"{later / earlier:.0f}x" for earlier, later in pairwise(seconds))
        print(f"{case.name:<20}{''.join(cells)}   {ratios}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only", help="run only the inputs whose name contains this")
    parser.add_argument("--limit", type=float, default=120.0, help="seconds before an input is given up")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every input's size")
    parser.add_argument("--growth", action="store_true", help="time the item-17 constructs at 10 KB, 100 KB, 1 MB")
    args = parser.parse_args()
    if args.growth:
        growth(args.only, args.limit)
        return
    slowest: tuple[float, str] = (0.0, "")
    for case in PATHOLOGICAL:
        if args.only and args.only not in case.name:
            continue
        size = len(case.build(args.scale))
        seconds, outcome = measure(case, args.scale, args.limit)
        print(f"{case.name:<28} {size:>9,} chars {seconds:8.2f} s  {outcome}", flush=True)
        slowest = max(slowest, (seconds, case.name))
    print(f"slowest: {slowest[1]} ({slowest[0]:.2f} s)")


if __name__ == "__main__":
    main()
