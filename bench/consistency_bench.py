"""What the consistency rules of issue 12 add to a cold run over many copies of the study archive.

    python -m bench.consistency_bench                  # 100 copies, 3 rounds, --jobs = CPU count
    python -m bench.consistency_bench --copies 100 --rounds 5 --jobs 1

Each round runs the command line twice on the same folder, as fresh processes without the result
cache (`--offline --no-cache`): once with all default rules, once with the new rules ignored. The
two are interleaved so that a busy machine slows both alike; the best round of each is compared.
Then, in this process, each new rule's own check is timed over the parsed copies, so a rule that
costs too much can be named. The budget is +15 % on the cold run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mdlint.markdown.document import Document
from mdlint.rule_engine.rule import RuleContext, find_rule
from mdlint.site.workspace import Workspace

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


def _per_rule(text: str, copies: int) -> dict[str, float]:
    """Seconds each new rule's check takes over `copies` parsed documents (parsing not counted)."""
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
    print("in-process check time per rule over the same copies (parse excluded):")
    for name, seconds in sorted(_per_rule(text, args.copies).items(), key=lambda pair: -pair[1]):
        print(f"  {name:28} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
