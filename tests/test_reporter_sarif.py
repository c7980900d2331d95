"""`--format sarif`: valid against the official SARIF 2.1.0 schema, exact results, fixes that apply."""

from __future__ import annotations

import codecs
import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from jsonschema import Draft4Validator
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from mdlint.reporters.sarif_report import artifact_location
from tests.conftest import RunCli

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
NOTES = "# T\n\n- 📜 [paper](arxiv.org/abs/2412.19437)\n\n![](x.png)\n\nsome\u00a0text\n"
CRLF = "# T\r\n\r\n- [paper](arxiv.org/abs/1)\r\n<div>\r\n- swallowed\r\n</div>\r\n"


def sarif_validator() -> Draft4Validator:
    """A validator for the vendored official schema that never touches the network."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert validator_for(schema) is Draft4Validator
    Draft4Validator.check_schema(schema)
    resource = Resource.from_contents(schema, default_specification=DRAFT4)
    # A registry of its own: jsonschema's default one would download unknown references, and a
    # plain Registry fails on them instead, so the test stays offline.
    registry: Registry[Any] = Registry().with_resource(schema["id"], resource)
    return Draft4Validator(schema, registry=registry)


def _write_notes(root: Path) -> None:
    notes = root / "notes"
    notes.mkdir()
    (notes / "a b.md").write_text(NOTES, encoding="utf-8")
    (notes / "crlf.md").write_bytes(CRLF.encode("utf-8"))
    (notes / "bin.md").write_bytes(PNG)


@pytest.fixture
def sarif_log(run_cli: RunCli, tmp_path: Path) -> dict[str, Any]:
    _write_notes(tmp_path)
    result = run_cli("--offline", "--format", "sarif", "notes", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    log: dict[str, Any] = json.loads(result.stdout)
    return log


def test_output_is_valid_against_the_official_schema(sarif_log: dict[str, Any]) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in sarif_validator().iter_errors(sarif_log)]
    assert errors == []
    assert sarif_log["version"] == "2.1.0"
    assert len(sarif_log["runs"][0]["results"]) == 6


def test_the_validator_rejects_what_the_schema_forbids(sarif_log: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(sarif_log))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    del broken["runs"][0]["tool"]["driver"]["name"]
    messages = sorted(error.message for error in sarif_validator().iter_errors(broken))
    assert messages == ["'fatal' is not one of ['none', 'note', 'warning', 'error']", "'name' is a required property"]


def test_rules_carry_rulebook_metadata_and_results_point_at_them(sarif_log: dict[str, Any]) -> None:
    run = sarif_log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [(rule["id"], rule["name"]) for rule in rules] == [
        ("MDL002", "html-block-swallows-markdown"),
        ("MDL004", "link-missing-scheme"),
        ("MDL031", "text-invisible-char"),
        ("MDL034", "image-alt-missing"),
        ("MDL040", "link-dead"),
    ]
    scheme = rules[1]
    assert scheme["shortDescription"] == {"text": "A link to a web host without https:// resolves as a relative path"}
    assert scheme["fullDescription"]["text"].startswith(
        "Reports a link destination that names a web host without a scheme: `arxiv.org/abs/…`, `www.example.com/…`."
    )
    assert "\n" not in scheme["fullDescription"]["text"]
    assert scheme["help"]["markdown"].startswith("# link-missing-scheme (MDL004)\n\n## What it does\n")
    assert scheme["defaultConfiguration"] == {"level": "error", "enabled": True}
    assert rules[3]["defaultConfiguration"] == {"level": "warning", "enabled": True}
    assert scheme["properties"] == {"rulebook": "rules/link-missing-scheme.md"}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert run["columnKind"] == "unicodeCodePoints"


def _region(result: dict[str, Any]) -> tuple[str, int, int, int, int]:
    location = result["locations"][0]["physicalLocation"]
    region = location["region"]
    assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    return (
        location["artifactLocation"]["uri"],
        region["startLine"],
        region["startColumn"],
        region["endLine"],
        region["endColumn"],
    )


def test_one_result_per_finding_with_level_message_and_code_point_region(sarif_log: dict[str, Any]) -> None:
    results = sarif_log["runs"][0]["results"]
    assert [(r["ruleId"], r["level"], _region(r)) for r in results] == [
        ("MDL004", "error", ("notes/a%20b.md", 3, 5, 3, 38)),
        ("MDL034", "warning", ("notes/a%20b.md", 5, 1, 5, 11)),
        ("MDL040", "error", ("notes/a%20b.md", 5, 5, 5, 10)),
        ("MDL031", "warning", ("notes/a%20b.md", 7, 5, 7, 6)),
        ("MDL004", "error", ("notes/crlf.md", 3, 3, 3, 27)),
        ("MDL002", "error", ("notes/crlf.md", 5, 1, 5, 12)),
    ]
    assert results[2]["message"] == {"text": "dead link: `x.png` does not exist"}
    assert results[2]["properties"] == {"class": "dead", "url": "x.png", "rule": "link-dead", "fixable": False}
    assert "fixes" not in results[2]
    assert results[0]["fixes"] == [
        {
            "description": {"text": "link-missing-scheme fix (safe)"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "notes/a%20b.md", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {"startLine": 3, "startColumn": 13, "endLine": 3, "endColumn": 13},
                            "insertedContent": {"text": "https://"},
                        }
                    ],
                }
            ],
        }
    ]


def test_unreadable_files_are_notifications_and_the_run_did_not_succeed(sarif_log: dict[str, Any]) -> None:
    assert sarif_log["runs"][0]["invocations"] == [
        {
            "executionSuccessful": False,
            "toolExecutionNotifications": [
                {
                    "level": "error",
                    "message": {"text": "notes/bin.md: binary file (NUL byte at byte 8)"},
                    "locations": [
                        {"physicalLocation": {"artifactLocation": {"uri": "notes/bin.md", "uriBaseId": "%SRCROOT%"}}}
                    ],
                }
            ],
        }
    ]


def _replacements_by_uri(log: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Every replacement of every fix, per artifact; a fix several findings share counts once."""
    by_uri: dict[str, dict[str, dict[str, Any]]] = {}
    for result in log["runs"][0]["results"]:
        for fix in result.get("fixes", []):
            for change in fix["artifactChanges"]:
                unique = by_uri.setdefault(change["artifactLocation"]["uri"], {})
                for replacement in change["replacements"]:
                    unique[json.dumps(replacement, sort_keys=True)] = replacement
    return {uri: list(unique.values()) for uri, unique in by_uri.items()}


def _apply(text: str, replacements: list[dict[str, Any]]) -> str:
    """The text after a SARIF log's replacements, read as a SARIF consumer reads them.

    Written apart from mdlint's own `splice` and line index on purpose: the tests using it check
    that the log means what `--fix` writes, which sharing mdlint's code would take for granted.
    """
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    spans = []
    for replacement in replacements:
        region = replacement["deletedRegion"]
        start = offset(region["startLine"], region["startColumn"])
        end = offset(region["endLine"], region["endColumn"])
        spans.append((start, end, replacement.get("insertedContent", {}).get("text", "")))
    for start, end, inserted in sorted(spans, reverse=True):
        text = text[:start] + inserted + text[end:]
    return text


def test_fixes_applied_by_a_sarif_consumer_give_what_fix_writes(
    sarif_log: dict[str, Any], run_cli: RunCli, tmp_path: Path
) -> None:
    by_uri = _replacements_by_uri(sarif_log)
    assert sorted(by_uri) == ["notes/a%20b.md", "notes/crlf.md"]
    copy = tmp_path / "fixed"
    copy.mkdir()
    shutil.copytree(tmp_path / "notes", copy / "notes")
    (copy / "notes" / "bin.md").unlink()
    run_cli("--offline", "--fix", "--unsafe-fixes", "notes", cwd=copy)
    for uri, name, original in (("notes/a%20b.md", "a b.md", NOTES), ("notes/crlf.md", "crlf.md", CRLF)):
        fixed = (copy / "notes" / name).read_bytes().decode("utf-8")
        assert _apply(original, by_uri[uri]) == fixed


def test_corpus_output_is_valid_and_its_fixes_are_what_fix_writes(
    run_cli: RunCli, corpus: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "corpus"
    # The users' notes; the generator sites (sites/) and perf/ are covered by the corpus snapshot.
    shutil.copytree(corpus, copy, ignore=shutil.ignore_patterns("perf", "sites"))
    originals = {path: path.read_bytes() for path in copy.rglob("*.md")}
    # The shared corpus is read-only, and --fix leaves read-only files and folders alone.
    for path in [copy, *copy.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    log = json.loads(run_cli("--offline", "--format", "sarif", ".", cwd=copy).stdout)
    assert list(sarif_validator().iter_errors(log)) == []
    by_uri = _replacements_by_uri(log)
    assert by_uri
    run_cli("--offline", "--fix", "--unsafe-fixes", ".", cwd=copy)
    for uri, replacements in by_uri.items():
        path = copy / unquote(uri)
        bom = codecs.BOM_UTF8 if originals[path].startswith(codecs.BOM_UTF8) else b""
        text = originals[path][len(bom) :].decode("utf-8")
        assert bom + _apply(text, replacements).encode("utf-8") == path.read_bytes(), uri


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("notes/a.md", {"uri": "notes/a.md", "uriBaseId": "%SRCROOT%"}),
        ("../up/ü #1.md", {"uri": "../up/%C3%BC%20%231.md", "uriBaseId": "%SRCROOT%"}),
        ("a:b.md", {"uri": "a%3Ab.md", "uriBaseId": "%SRCROOT%"}),
        ("/srv/notes/a.md", {"uri": "file:///srv/notes/a.md"}),
        ("C:/notes/a.md", {"uri": "file:///C:/notes/a.md"}),
    ],
)
def test_paths_become_uri_references(path: str, location: dict[str, str]) -> None:
    assert artifact_location(path) == location


def test_clean_run_is_valid_and_successful(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Title\n", encoding="utf-8")
    result = run_cli("--offline", "--format", "sarif", "a.md", cwd=tmp_path)
    log = json.loads(result.stdout)
    assert list(sarif_validator().iter_errors(log)) == []
    run = log["runs"][0]
    assert (run["results"], run["tool"]["driver"]["rules"]) == ([], [])
    assert run["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]
    assert result.returncode == 0
