"""Cost and false-positive measurement for language-mismatch.

Run from the repository root:

    /work/venv/bin/python bench/language_bench.py /work/shared/corpus --language ko

For every Markdown file under the given paths it lints with only `language-mismatch` (the
expected language from front matter, else `--language`), then prints: how long importing
langdetect and loading the candidate profiles took (once per process), how many blocks were
long enough to be checked, the mean time per checked block and per file, and every flagged
block with its detected language, so each can be read and judged.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mdlint.markdown.document import read_document
from mdlint.source import language as language_detection
from mdlint.testing import lint_text

RULE = "language-mismatch"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--language", default="ko")
    parser.add_argument("--languages", default="ko,en,ja,zh-cn")
    parser.add_argument("--min-letters", type=int, default=80)
    arguments = parser.parse_args()
    candidates = tuple(arguments.languages.split(","))

    started = time.perf_counter()
    language_detection.detect_probabilities("warm up", candidates)
    load_seconds = time.perf_counter() - started

    files = sorted(p for root in arguments.paths for p in ([root] if root.is_file() else root.rglob("*.md")))
    checked = 0
    detect_seconds = 0.0
    original = language_detection.detect_probabilities

    def counting(text: str, langs: tuple[str, ...]) -> dict[str, float]:
        nonlocal checked, detect_seconds
        checked += 1
        begin = time.perf_counter()
        result = original(text, langs)
        detect_seconds += time.perf_counter() - begin
        return result

    import mdlint.rules.language_mismatch as rule_module

    setattr(rule_module, "detect_probabilities", counting)  # noqa: B010 - instrument the rule in place
    options = {
        RULE: {"language": arguments.language, "languages": list(candidates), "min-letters": arguments.min_letters}
    }
    flagged = []
    lint_started = time.perf_counter()
    for path in files:
        document = read_document(path)
        for finding in lint_text(document.text, RULE, path=str(path), options=options):
            line = document.lines[finding.line - 1].strip()
            flagged.append(f"{path}:{finding.line}:{finding.column}: {finding.message}\n    {line[:150]}")
    lint_seconds = time.perf_counter() - lint_started

    print(f"files: {len(files)}")
    print(f"langdetect import + {len(candidates)} profiles: {load_seconds * 1000:.0f} ms (once per process)")
    print(f"blocks checked (>= {arguments.min_letters} letters): {checked}")
    if checked:
        print(f"detection: {detect_seconds * 1000 / checked:.2f} ms per checked block")
    print(f"lint time with this rule only: {lint_seconds * 1000 / max(1, len(files)):.2f} ms per file (parse included)")
    print(f"flagged: {len(flagged)}")
    for line in flagged:
        print(line)


if __name__ == "__main__":
    main()
