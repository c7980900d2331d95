"""Fuzz `--fix`: lint and fix generated and mutated documents in-process, and check the guarantees.

    python -m bench.fuzz_bench --inputs 100000 --seed 1 [--corpus DIR] [--out FOLDER] [--jobs N]
    python -m bench.fuzz_bench --replay FOLDER [--out FOLDER]

Each input is a Markdown-shaped document, generated from hostile pieces or cut from a document of
`--corpus` (or `$MDLINT_FUZZ_CORPUS`) and mutated (invisible characters, no-break spaces, pieces of
Markdown inserted, lines duplicated, swapped, deleted or split by a blank line). Each is fixed
twice (safe fixes, then with `--unsafe-fixes`), through `mdlint.run.runner.run` with every rule,
offline. Checked, and counted:

- crashes: an exception, or an error line other than a rolled-back fix or a too-deep parse;
- positions: a finding whose line or column lies outside the fixed text;
- non-idempotent: fixing the fixed text again changes it;
- rendering changes: GitHub's rendering (cmark-gfm) of the fixed text differs from the
  original's beyond what the applied fixes intend. Both renderings are normalised first, and
  only by what the character-level fixes intend: invisible characters (zero-width, joiners,
  soft hyphens, variation selectors, bidirectional marks and controls, C0/C1 controls) deleted
  and a no-break space read as a space (`text-invisible-char`, `icon-variant`), the scheme of
  link destinations dropped (`link-missing-scheme`), `<em>`/`<strong>` tags and `*`/`_`
  dropped (`emphasis-cjk-flanking`), whitespace runs collapsed. The fixes whose purpose is a
  different rendering (`html-block-swallows-markdown` frees Markdown an HTML block swallowed,
  `line-break-missing` breaks lines, `text-stray-ascii` removes a typed character, the
  front-matter fixes move or rewrite front matter) are compared in a second run without those
  rules; the structure check guards them otherwise. Front matter is not rendered.

Failures are saved to `--out` (default `fuzz-failures/`): `NNNNN-KIND.md` holds the input,
`NNNNN-KIND.txt` what went wrong. Same seed, same inputs. `--replay FOLDER` checks the saved
inputs (`*.md`) of an earlier run again instead of generating new ones. Not part of CI: 100,000 inputs take
tens of minutes.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options

from mdlint.markdown.document import Document
from mdlint.run.config import RuleSelection
from mdlint.run.runner import RunOptions, RunResult, run
from mdlint.site.workspace import RunSettings

__all__ = ["FuzzReport", "fuzz", "fuzz_in_processes", "main", "render", "rendering_key", "replay"]

_PREFIXES = ["", "", "", "- ", "* ", "1. ", "> ", "> > ", "> - ", "- > ", "  ", "    ", "   - ", "  - ", "- [ ] "]
_OPENERS = ["", "", "", "", "# ", "### ", "```", "---", "***", "| a | b |", "|---|---|", "<details>", "</details>"]
_OPENERS += [
    "<summary>S</summary>",
    "<div>",
    "</div>",
    "<!-- c -->",
    '<img src="a.png" width="450"/>',
    "[ref]: x.com/r",
]
_PIECES = [
    "word",
    "two words",
    "한국어 문장",
    "**강조**는",
    "*한국어*로",
    "**막대(error bars)**와",
    "日本語の**強調**です",
    "😀",
    "🧑🏻\u200d💻",
    "🧑🏻💻",
    "🗞️",
    "🗞",
    "📜",
    "\u00a0",
    "\u00a0",
    "\u200b",
    "\u200b",
    "\u200d",
    "\u00ad",
    "\ufeff",
    "\u202e",
    "\u200e",
    "\x01",
    "\t",
    " ",
    "\\",
    "[",
    "]",
    "(",
    ")",
    "*",
    "**",
    "_",
    "~~",
    "`",
    "<",
    ">",
    "&amp;",
    "[link](http://example.com/a_b)",
    "[paper](arxiv.org/abs/1)",
    "(arxiv.org/abs/1)",
    "![fig](example.com/a.png)",
    "[ref]",
    "[text][ref]",
    "www.example.org/b",
    "www.example.org",
    "https://b.org/x",
    "https://b.org/(x)",
    "me@example.com",
    "mailto:me@example.com",
    "<https://a.com>",
    "`code`",
    "*em*",
    "_under_",
    "<b>x</b>",
    "<span>",
    "{{ site.url }}",
    "{% raw %}",
    ".",
    ",",
    ":",
    ";",
    "?",
    "!",
    "'",
    '"',
    "-",
    "1.",
    "#",
    "|",
]
_INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u00ad", "\ufeff", "\u00a0", "\u2060", "\ufe0f", "\u200e", "\u202e"]
# What the character-level fixes intend: these characters go, a no-break space becomes a space.
_DELETED = re.compile(
    "[\u200b-\u200f\u2060\ufeff\u00ad\ufe0e\ufe0f\u202a-\u202e\u2066-\u2069\u061c\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
_DELETED_ENCODED = re.compile(
    r"%E2%80%8[B-F]|%E2%81%A0|%EF%BB%BF|%C2%AD|%EF%B8%8[EF]|%E2%80%A[A-E]|%E2%81%A[6-9]|%D8%9C|%[01][0-9A-F]|%7F"
    r"|%C2%[89][0-9A-F]",
    re.IGNORECASE,
)
_SCHEME = re.compile(r'(href|src)="(?:https?://)?')
_EMPHASIS = re.compile(r"</?(?:em|strong)>|[*_]")
# Rules whose fixes mean to change the rendering; compared in a second run without them.
_RENDERING_RULES = (
    "html-block-swallows-markdown",
    "line-break-missing",
    "text-stray-ascii",
    "front-matter-invalid",
    "front-matter-mismatch",
)


def render(text: str) -> str:
    """The page as GitHub renders it (cmark-gfm with its extensions, raw HTML kept)."""
    return str(cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE))


def rendering_key(rendered: str) -> str:
    """A rendering with what the character-level fixes intend to change normalised away."""
    # Deleted before the scheme is dropped: `src="http:<U+2060>//` is one once the fix is in.
    text = _DELETED_ENCODED.sub("", _DELETED.sub("", rendered))
    text = _SCHEME.sub(r'\1="', text)
    # Entities resolved, except the angle brackets that tell text from tags.
    text = html.unescape(text.replace("&lt;", "\ue000").replace("&gt;", "\ue001"))
    text = _DELETED.sub("", text.replace("\u00a0", " ").replace("%C2%A0", "%20"))
    text = _EMPHASIS.sub("", text)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r" ?(<[^>]*>) ?", r"\1", text)


@dataclass
class FuzzReport:
    """What a fuzz run counted, and the first examples of each failure kind."""

    inputs: int = 0
    fixed: int = 0
    crashes: int = 0
    positions: int = 0
    non_idempotent: int = 0
    rendering_changes: int = 0
    rolled_back: int = 0
    examples: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, input, detail)

    def failures(self) -> int:
        return self.crashes + self.positions + self.non_idempotent + self.rendering_changes

    def summary(self) -> str:
        return (
            f"inputs {self.inputs}, fixed {self.fixed}, crashes {self.crashes}, positions {self.positions}, "
            f"non-idempotent {self.non_idempotent}, rendering changes {self.rendering_changes}, "
            f"rolled-back fixes {self.rolled_back}"
        )


def _fix(text: str, unsafe: bool, ignore: Sequence[str] = ()) -> RunResult:
    options = RunOptions(
        paths=("-",),
        fix=True,
        unsafe_fixes=unsafe,
        stdin_filename="fuzz.md",
        selection=RuleSelection(ignore=tuple(ignore)),
        settings=RunSettings(offline=True),
    )
    return run(options, read_stdin=lambda: text.encode("utf-8"))


def _position_problems(result: RunResult) -> list[str]:
    problems = []
    for finding in result.findings:
        document = result.documents.get(finding.path)
        if document is None:
            continue
        lines = document.lines
        for line, column in ((finding.line, finding.column), (finding.end_line, finding.end_column)):
            if not 1 <= line <= max(1, len(lines)):
                problems.append(f"{finding.rule} {line}:{column}: line outside 1..{len(lines)}")
            elif lines and not 1 <= column <= len(lines[line - 1]) + 1:
                problems.append(f"{finding.rule} {line}:{column}: column outside the line")
    return problems


_ACCEPTED_ERRORS = ("rolled-back",)


def check(text: str, report: FuzzReport) -> None:
    """Fix `text` (safe, then unsafe) and count what breaks a guarantee."""
    report.inputs += 1
    # A byte-order mark at the start is the file's, not its text's: the fixed text comes back without it.
    text = text.removeprefix("\ufeff")
    unsafe_offered = True
    for unsafe in (False, True):
        if unsafe and not unsafe_offered:
            break
        try:
            once = _fix(text, unsafe)
        except Exception:
            report.crashes += 1
            report.examples.append(("crash", text, traceback.format_exc()))
            return
        unexpected = [e for e in once.errors if e.kind not in _ACCEPTED_ERRORS and "too deep" not in e.message]
        if unexpected:
            report.crashes += 1
            report.examples.append(("crash", text, "\n".join(f"{e.kind}: {e.message}" for e in unexpected)))
            return
        report.rolled_back += sum(1 for e in once.errors if e.kind == "rolled-back")
        # The unsafe pass is worth running only when an unsafe fix is offered.
        unsafe_offered = any(f.fix is not None and not f.fixable_with(False) for f in once.findings)
        problems = _position_problems(once)
        if problems:
            report.positions += 1
            report.examples.append(("positions", text, "\n".join(problems)))
        fixed = once.stdin_output if once.stdin_output is not None else text
        if fixed == text:
            continue
        report.fixed += 1
        twice = _fix(fixed, unsafe).stdin_output
        if twice is not None and twice != fixed:
            report.non_idempotent += 1
            report.examples.append(("non-idempotent", text, f"unsafe={unsafe}\n--- once\n{fixed}\n--- twice\n{twice}"))
        if rendering_key(_render_body(fixed)) != rendering_key(_render_body(text)) and _rendering_changed(text, unsafe):
            report.rendering_changes += 1
            small = minimize(text, partial(_rendering_changed, unsafe=unsafe))
            alone = _fix(small, unsafe, ignore=_RENDERING_RULES).stdin_output or small
            detail = (
                f"unsafe={unsafe}\n--- smallest input found\n{small!r}\n--- fixed\n{alone!r}\n"
                f"--- before\n{_render_body(small)}\n--- after\n{_render_body(alone)}"
            )
            report.examples.append(("rendering", text, detail))


def _render_body(text: str) -> str:
    # Front matter is not Markdown (GitHub shows it as a table): only the body is compared.
    return render(text[Document("fuzz.md", text).body_start :])


def _rendering_changed(text: str, unsafe: bool) -> bool:
    """Whether fixing `text` changes its rendering beyond what the fixes intend.

    Fixes that mean to change the rendering (see `_RENDERING_RULES`) are left out.
    """
    try:
        fixed = _fix(text, unsafe, ignore=_RENDERING_RULES).stdin_output
    except Exception:
        return False
    if fixed is None or fixed == text:
        return False
    return rendering_key(_render_body(fixed)) != rendering_key(_render_body(text))


def minimize(text: str, fails: Callable[[str], bool], budget: int = 400) -> str:
    """A smaller input that still fails: lines, then characters, left out while it does (bounded)."""
    for unit in ("line", "char"):
        parts = text.splitlines(keepends=True) if unit == "line" else list(text)
        size = max(1, len(parts) // 2)
        while size >= 1 and budget > 0:
            index = 0
            while index < len(parts) and budget > 0:
                candidate = parts[:index] + parts[index + size :]
                budget -= 1
                if candidate and fails("".join(candidate)):
                    parts = candidate
                else:
                    index += size
            size //= 2
        text = "".join(parts)
    return text


def _generated(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 12)):
        prefix = "".join(rng.choice(_PREFIXES) for _ in range(rng.randint(0, 2)))
        pieces = [rng.choice(_PIECES) for _ in range(rng.randint(0, 7))]
        lines.append(prefix + rng.choice(_OPENERS) + rng.choice(["", " ", " "]).join(pieces))
    return "\n".join(lines) + rng.choice(["\n", "\n", ""])


def _mutated(rng: random.Random, source: str) -> str:
    lines = source.splitlines(keepends=True)
    if len(lines) > 30:
        start = rng.randrange(len(lines) - 30)
        lines = lines[start : start + rng.randint(5, 30)]
    text = "".join(lines)
    for _ in range(rng.randint(1, 6)):
        position = rng.randint(0, len(text))
        kind = rng.randrange(7)
        if kind <= 1:
            text = text[:position] + rng.choice(_INVISIBLE) + text[position:]
        elif kind == 2:
            text = text[:position] + rng.choice(_PIECES) + text[position:]
        elif kind == 3:
            text = text[:position] + text[position + rng.randint(1, 8) :]
        elif kind == 4:
            line_start = text.rfind("\n", 0, position) + 1
            text = text[:line_start] + "\n" + text[line_start:]
        elif kind == 5:
            parts = text.split("\n")
            if len(parts) > 2:
                i = rng.randrange(len(parts) - 1)
                parts[i], parts[i + 1] = parts[i + 1], parts[i]
                text = "\n".join(parts)
        else:
            text = text.replace(" ", "\u00a0", 1) if rng.random() < 0.5 else text.replace(" ", " \u200b", 1)
    return text


def inputs(count: int, seed: int, corpus: Sequence[str]) -> Iterator[str]:
    """`count` documents, the same for the same seed and corpus: generated, or cut from the corpus and mutated."""
    rng = random.Random(seed)
    for _ in range(count):
        if corpus and rng.random() < 0.6:
            yield _mutated(rng, rng.choice(corpus))
        else:
            yield _generated(rng)


def read_corpus(folder: Path | None) -> list[str]:
    """The Markdown files under `folder`, as text (unreadable ones skipped), in a fixed order."""
    if folder is None:
        return []
    texts = []
    for path in sorted(folder.rglob("*.md")):
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
    return texts


def fuzz(
    count: int, seed: int, corpus: Sequence[str] = (), progress: bool = False, share: tuple[int, int] = (0, 1)
) -> FuzzReport:
    """Fuzz `count` inputs from `seed`; the report counts each kind of failure.

    `share` (k, n) checks only the inputs whose number is k modulo n: n processes with k = 0 … n-1
    check the same inputs as one, each generating all of them (cheap) and checking its share.
    """
    report = FuzzReport()
    started = time.monotonic()
    part, parts = share
    for number, text in enumerate(inputs(count, seed, corpus), start=1):
        if number % parts != part:
            continue
        check(text, report)
        if progress and report.inputs % 1000 == 0:
            where = f"[{part + 1}/{parts}] " if parts > 1 else ""
            elapsed = time.monotonic() - started
            print(f"{where}{report.inputs} inputs, {elapsed:.0f} s: {report.summary()}", file=sys.stderr)
    return report


def fuzz_in_processes(count: int, seed: int, corpus: Sequence[str], jobs: int) -> FuzzReport:
    """`fuzz` spread over `jobs` processes, their reports added up (examples in process order)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs) as pool:
        shares = [pool.submit(fuzz, count, seed, corpus, True, (part, jobs)) for part in range(jobs)]
        reports = [share.result() for share in shares]
    total = FuzzReport()
    for report in reports:
        for name in ("inputs", "fixed", "crashes", "positions", "non_idempotent", "rendering_changes", "rolled_back"):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        total.examples.extend(report.examples)
    return total


def replay(folder: Path, progress: bool = False) -> FuzzReport:
    """Check again the inputs an earlier run saved in `folder` (its `*.md` files, in name order)."""
    report = FuzzReport()
    for path in sorted(folder.glob("*.md")):
        before = report.failures()
        check(path.read_text(encoding="utf-8", errors="surrogatepass"), report)
        if progress and report.failures() != before:
            print(f"{path.name}: still fails", file=sys.stderr)
    return report


def _save(report: FuzzReport, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number, (kind, text, detail) in enumerate(report.examples):
        (folder / f"{number:05d}-{kind}.md").write_text(text, encoding="utf-8", errors="surrogatepass")
        (folder / f"{number:05d}-{kind}.txt").write_text(detail, encoding="utf-8", errors="surrogatepass")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the fuzz benchmark; exit 1 when a guarantee broke."""
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=os.environ.get("MDLINT_FUZZ_CORPUS") or None)
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"))
    parser.add_argument("--replay", type=Path, metavar="FOLDER", help="check the inputs an earlier run saved")
    parser.add_argument("--jobs", type=int, default=1, help="processes sharing the inputs (same counts)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.replay is not None:
        report = replay(args.replay, progress=True)
        print(f"replayed {args.replay}, {time.monotonic() - started:.0f} s")
    else:
        corpus = read_corpus(args.corpus)
        if args.jobs > 1:
            report = fuzz_in_processes(args.inputs, args.seed, corpus, args.jobs)
        else:
            report = fuzz(args.inputs, args.seed, corpus, progress=True)
        print(f"seed {args.seed}, corpus documents {len(corpus)}, {time.monotonic() - started:.0f} s")
    print(report.summary())
    if report.examples:
        _save(report, args.out)
        print(f"{len(report.examples)} examples saved to {args.out}/")
    return 1 if report.failures() else 0


if __name__ == "__main__":
    sys.exit(main())
