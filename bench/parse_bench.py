"""Parse and lint speed on a folder: plain mistune vs mdlint's positioned parse vs parse + all rules.

    python -m bench.parse_bench ../shared/corpus/perf/hugo-docs [--repeat 3]

Prints files/s and MB/s for each stage and the cost of position tracking as a ratio to plain
mistune; each figure is the best of `--repeat` runs in this process.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import mistune

from mdlint.markdown.document import Document, read_document
from mdlint.markdown.parser import parse_document
from mdlint.rule_engine.engine import LintedFile, check_document, check_run
from mdlint.run.config import ConfigFile, RuleSelection
from mdlint.site.workspace import RunSettings, Workspace


def _best(repeat: int, work: Callable[[], None]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = sorted(p for p in args.folder.rglob("*") if p.suffix in (".md", ".markdown"))
    documents = [read_document(path) for path in files]
    size_mb = sum(len(d.text.encode("utf-8")) for d in documents) / 1e6
    plain = mistune.create_markdown(renderer=None, plugins=["table", "strikethrough", "url"])

    def plain_parse() -> None:
        for document in documents:
            plain(document.text)

    def positioned_parse() -> None:
        for document in documents:
            parse_document(Document(document.path, document.text))

    configured = ConfigFile(None).rules_for(Path("x.md"), RuleSelection())

    def lint_all() -> None:
        workspace = Workspace(RunSettings(offline=True))
        linted = []
        for document in documents:
            fresh = Document(document.path, document.text)
            linted.append(LintedFile(fresh, configured, check_document(fresh, configured, workspace)))
        check_run(linted, workspace)

    results = {
        "mistune parse (no positions)": _best(args.repeat, plain_parse),
        "mdlint parse (positions)": _best(args.repeat, positioned_parse),
        "mdlint parse + all rules (offline)": _best(args.repeat, lint_all),
    }
    print(f"{len(files)} files, {size_mb:.2f} MB, best of {args.repeat}")
    for name, seconds in results.items():
        print(f"{name:38} {len(files) / seconds:9.0f} files/s {size_mb / seconds:7.2f} MB/s")
    base = results["mistune parse (no positions)"]
    print(f"position tracking costs {results['mdlint parse (positions)'] / base:.2f}x plain mistune")
    print(f"all rules cost {results['mdlint parse + all rules (offline)'] / base:.2f}x plain mistune")


if __name__ == "__main__":
    main()
