"""Measure front-matter parsing against reading and the three front-matter rules on a folder.

Usage: python bench/front_matter_bench.py [FOLDER] [--repeat N]
(default folder: ../shared/corpus/perf/hugo-docs). Prints files/s for each stage and the share
front-matter parsing takes of reading + parsing + checking.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

from mdlint.markdown.document import Document, read_document
from mdlint.rule_engine.engine import check_document
from mdlint.run.config import ConfigFile, RuleSelection
from mdlint.site.front_matter import parse_front_matter
from mdlint.site.workspace import RunSettings, Workspace

RULES = ("front-matter-invalid", "front-matter-missing", "front-matter-mismatch")


def _best(repeat: int, run: object) -> float:
    assert callable(run)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(__file__).resolve().parents[2] / "shared/corpus/perf/hugo-docs"
    parser.add_argument("folder", nargs="?", type=Path, default=default)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    paths = sorted(p for p in args.folder.rglob("*") if p.suffix in (".md", ".markdown", ".html"))
    if not paths:
        print(f"no Markdown files under {args.folder}", file=sys.stderr)
        return 1
    documents: list[Document] = []

    def read() -> None:
        documents.clear()
        documents.extend(read_document(p, str(p)) for p in paths)

    def parse() -> None:
        for document in documents:
            # A fresh Document each time, so the cached `front_matter` split is measured too.
            parse_front_matter(Document(document.path, document.text))

    config = ConfigFile(None)
    configured = {p: config.rules_for(p, RuleSelection(select=RULES)) for p in paths}

    def check() -> None:
        workspace = Workspace(RunSettings(offline=True), paths=[p.resolve() for p in paths])
        fresh = [Document(d.path, d.text) for d in documents]
        for path, document in zip(paths, fresh, strict=True):
            workspace.add_document(path, document)
        for path, document in zip(paths, fresh, strict=True):
            check_document(document, configured[path], workspace)

    read_time = _best(args.repeat, read)
    parse_time = _best(args.repeat, parse)
    check_time = _best(args.repeat, check)  # includes parsing, once per document
    total = read_time + check_time
    count = len(paths)
    loader = "CSafeLoader (libyaml)" if getattr(yaml, "__with_libyaml__", False) else "SafeLoader (pure Python)"
    print(f"{count} files under {args.folder}; PyYAML {yaml.__version__} with {loader}; best of {args.repeat}")
    print(f"read + decode           {read_time * 1000:8.1f} ms  {count / read_time:9.0f} files/s")
    print(f"front-matter parsing    {parse_time * 1000:8.1f} ms  {count / parse_time:9.0f} files/s")
    print(f"3 front-matter rules    {check_time * 1000:8.1f} ms  {count / check_time:9.0f} files/s (parse included)")
    print(f"parsing share of read + rules: {parse_time / total:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
