"""What mdlint says about the whole shared corpus, recorded: a change shows every finding it adds or drops.

The snapshot holds the JSON findings (one per line) and the `--diff` output of an offline run over
`../shared/corpus`. A change that means to alter them rewrites the snapshot on purpose:

    MDLINT_UPDATE_SNAPSHOT=1 pytest tests/test_corpus_snapshot.py

and its commit shows, in the snapshot's diff, exactly which findings and fixes changed.
"""

from __future__ import annotations

import difflib
import gzip
import json
import os
from pathlib import Path

import pytest

from tests.conftest import RunCli

SNAPSHOT = Path(__file__).resolve().parent / "data" / "corpus_snapshot"
_SHOWN_DIFFERENCES = 40


def _compare(name: str, actual: list[str]) -> None:
    path = SNAPSHOT / name
    if os.environ.get("MDLINT_UPDATE_SNAPSHOT"):
        path.parent.mkdir(parents=True, exist_ok=True)
        # mtime=0: the same snapshot gives the same bytes.
        with gzip.GzipFile(path, "wb", mtime=0) as stream:
            stream.write("".join(line + "\n" for line in actual).encode("utf-8"))
        return
    expected = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    if actual != expected:
        delta = list(difflib.unified_diff(expected, actual, "snapshot", "now", n=0, lineterm=""))
        shown = "\n".join(delta[:_SHOWN_DIFFERENCES])
        more = len(delta) - _SHOWN_DIFFERENCES
        pytest.fail(f"{name} differs from the snapshot:\n{shown}" + (f"\n… and {more} more lines" if more > 0 else ""))


def test_json_findings_match_the_snapshot(run_cli: RunCli, corpus: Path) -> None:
    result = run_cli("--offline", "--no-cache", "--format", "json", ".", cwd=corpus)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    lines = [json.dumps(finding, ensure_ascii=False, sort_keys=True) for finding in report["findings"]]
    lines.append(json.dumps({"summary": report["summary"], "errors": report["errors"]}, sort_keys=True))
    _compare("findings.jsonl.gz", lines)


def test_diff_output_matches_the_snapshot(run_cli: RunCli, corpus: Path) -> None:
    result = run_cli("--offline", "--no-cache", "--diff", ".", cwd=corpus)
    assert result.returncode in (0, 1), result.stderr
    _compare("fixes.diff.gz", [*result.stdout.splitlines(), "--- stderr ---", *result.stderr.splitlines()])
