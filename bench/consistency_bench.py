"""What the consistency rules of issue 12 add to a cold run over many copies of the study archive.

    python -m bench.consistency_bench                  # 100 copies, 3 rounds, --jobs = CPU count
    python -m bench.consistency_bench --copies 100 --rounds 5 --jobs 1

Each round runs the command line twice on the same folder, as fresh processes without the result
cache (`--offline --no-cache`): once with all default rules, once with the new rules ignored. The
two are interleaved so that a busy machine slows both alike; the best round of each is compared.
On a shared machine wall times swing by more than the budget, so the same comparison is also
made in this process, in CPU time: every copy read, parsed and checked by all default rules, with
and without the new ones. Last, each new rule's own check is timed over the parsed copies, so a
rule that costs too much can be named. The budget is +15 % on the cold run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mdlint.markdown.document import Document
from mdlint.rule_engine.engine import check_document
from mdlint.rule_engine.rule import RuleContext, find_rule
from mdlint.run.config import ConfigFile, RuleSelection
from mdlint.site.workspace import RunSettings, Workspace

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((folder / "shared" for folder in ROOT.parents if (folder / "shared").is_dir()), ROOT.parent / "shared")
STUDY_ARCHIVE = SHARED / "corpus" / "study-archive" / "README.md"
NEW_RULES = (
    "link-reference-undefined",
    "entry-shape",
    "line-break-missing",
    "list-lazy-continuation",
    "details-indent",
    "text-stray-ascii",
    "title-heading-mismatch",
    "front-matter-shape",
)
BUDGET = 1.15


def _run(folder: Path, jobs: int, ignore: tuple[str, ...]) -> float:
    command = [sys.executable, "-m", "mdlint", "--offline", "--no-cache", "--quiet", "--exit-zero"]
    command += ["--jobs", str(jobs)] if jobs else []
    for rule in ignore:
        command += ["--ignore", rule]
    started = time.perf_counter()
    completed = subprocess.run([*command, str(folder)], cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        raise SystemExit(f"mdlint failed ({completed.returncode}): {completed.stderr.strip()}")
    return elapsed


def _in_process(text: str, copies: int, rounds: int, new_rules: tuple[str, ...]) -> tuple[float, float]:
    """Seconds to parse and check the copies with the default rules but the new, and what the new add.

    Measured document by document, the new rules right after the others on the same parse: a busy
    machine slows both parts of each document alike, so their ratio holds where wall times do not.
    """
    every = ConfigFile(None).rules_for(Path("archive.md"), RuleSelection())
    without = [configured for configured in every if configured.rule.name not in new_rules]
    added = [configured for configured in every if configured.rule.name in new_rules]
    best_base = best_added = float("inf")
    for _ in range(rounds + 1):  # the first round loads imports and caches (the emoji data)
        workspace = Workspace(RunSettings(offline=True))
        base = extra = 0.0
        for number in range(copies):
            document = Document(f"archive-{number:04d}.md", text)
            started = time.perf_counter()
            check_document(document, without, workspace)
            middle = time.perf_counter()
            check_document(document, added, workspace)
            base += middle - started
            extra += time.perf_counter() - middle
        if base + extra < best_base + best_added:
            best_base, best_added = base, extra
    return best_base, best_added


def _per_rule(text: str, copies: int) -> dict[str, float]:
    """Seconds each new rule's check takes over `copies` parsed documents (parsing not counted)."""
    import emoji  # noqa: F401 - loaded by the icon rules in a real run; not a cost of the first rule timed

    documents = [Document(f"copy-{n}.md", text) for n in range(copies)]
    for document in documents:
        document.nodes("paragraph")  # parse and index before timing
    workspace = Workspace()
    seconds: dict[str, float] = {}
    for name in NEW_RULES:
        rule = find_rule(name)
        if rule is None or rule.check is None:
            continue
        options = rule.options()
        started = time.perf_counter()
        for document in documents:
            list(rule.check(document, RuleContext(rule, options, rule.severity, document, workspace)))
        seconds[name] = time.perf_counter() - started
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="mdlint --jobs (default: CPU count)")
    args = parser.parse_args()
    text = STUDY_ARCHIVE.read_text(encoding="utf-8")
    present = tuple(name for name in NEW_RULES if find_rule(name) is not None)
    with tempfile.TemporaryDirectory(prefix="mdlint-consistency-bench-") as folder:
        root = Path(folder)
        for number in range(args.copies):
            (root / f"archive-{number:04d}.md").write_text(text, encoding="utf-8")
        with_rules: list[float] = []
        without_rules: list[float] = []
        _run(root, args.jobs, present)  # warm the file system and the interpreter's imports
        for _ in range(args.rounds):
            without_rules.append(_run(root, args.jobs, present))
            with_rules.append(_run(root, args.jobs, ()))
    best_with, best_without = min(with_rules), min(without_rules)
    ratio = best_with / best_without
    print(f"{args.copies} copies of {STUDY_ARCHIVE.name} ({len(text.encode('utf-8')) / 1e3:.0f} KB each), ", end="")
    print(f"--jobs {args.jobs or 'CPU count'}, best of {args.rounds} cold runs")
    print(f"without the new rules: {best_without:6.2f} s   (rounds: {', '.join(f'{t:.2f}' for t in without_rules)})")
    print(f"with the new rules:    {best_with:6.2f} s   (rounds: {', '.join(f'{t:.2f}' for t in with_rules)})")
    print(f"ratio: {ratio:.3f} (budget {BUDGET:.2f}) {'ok' if ratio <= BUDGET else 'OVER BUDGET'}")
    print(f"new rules: {', '.join(present)}")
    base, extra = _in_process(text, args.copies, args.rounds, present)
    in_process = (base + extra) / base
    print(
        f"in process, document by document: parse + default rules {base:.2f} s, the new rules {extra:.2f} s more: ",
        end="",
    )
    print(f"ratio {in_process:.3f} {'ok' if in_process <= BUDGET else 'OVER BUDGET'}")
    print("in-process check time per rule over the same copies (parse excluded):")
    for name, seconds in sorted(_per_rule(text, args.copies).items(), key=lambda pair: -pair[1]):
        print(f"  {name:28} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
