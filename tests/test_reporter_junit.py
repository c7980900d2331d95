"""`--format junit`: one test case per file, failures for errors, XML that any parser reads back."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from mdlint.findings import Finding, Severity
from mdlint.markdown.document import Document
from mdlint.reporters import ReportOptions
from mdlint.reporters.junit_report import render, xml_text
from mdlint.run.runner import FileError, RunResult
from tests.conftest import RunCli

BAD_LINK = "- 📜 [paper](arxiv.org/abs/2412.19437)\n"


def _cases(root: ET.Element) -> list[tuple[str, list[str], str | None]]:
    """(classname, child tags, system-out) of each test case."""
    return [
        (case.attrib["classname"], [child.tag for child in case], case.findtext("system-out"))
        for case in root.iter("testcase")
    ]


def test_structure_and_counts(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "bad.md").write_text(BAD_LINK + "\n![](https://example.com/a.png)\n", encoding="utf-8")
    (tmp_path / "docs" / "clean.md").write_text("# Title\n", encoding="utf-8")
    (tmp_path / "docs" / "warn.md").write_text("![](https://example.com/b.png)\n", encoding="utf-8")
    (tmp_path / "docs" / "bin.md").write_bytes(b"\x00\x01")
    result = run_cli("--offline", "--format", "junit", "docs", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    root = ET.fromstring(result.stdout)
    counts = {"tests": "4", "failures": "1", "errors": "1", "skipped": "0"}
    assert root.tag == "testsuites"
    assert root.attrib == {"name": "mdlint", **counts}
    (suite,) = list(root)
    assert suite.attrib == {"name": "mdlint", **counts}
    assert _cases(root) == [
        (
            "docs/bad.md",
            ["failure", "system-out"],
            "docs/bad.md:3:1: image-alt-missing image has no alt text; describe it in `![...]`, "
            'or use `<img alt="">` if it is decorative (warning)',
        ),
        ("docs/bin.md", ["error"], None),
        ("docs/clean.md", [], None),
        (
            "docs/warn.md",
            ["system-out"],
            "docs/warn.md:1:1: image-alt-missing image has no alt text; describe it in `![...]`, "
            'or use `<img alt="">` if it is decorative (warning)',
        ),
    ]
    failure = suite.find("testcase/failure")
    assert failure is not None
    assert failure.attrib == {
        "message": "1:5: destination 'arxiv.org/abs/2412.19437' has no scheme and is read as a relative path; "
        "write https://arxiv.org/abs/2412.19437",
        "type": "MDL004 link-missing-scheme",
    }
    assert (failure.text or "").startswith("docs/bad.md:1:5: link-missing-scheme destination ")
    error = suite.find("testcase/error")
    assert error is not None
    assert error.attrib == {"message": "binary file (NUL byte at byte 0)", "type": "unreadable"}


def test_every_error_finding_is_its_own_failure() -> None:
    findings = [
        Finding("a.md", line, 1, line, 2, "link-malformed", "MDL003", Severity.ERROR, f"m{line}") for line in (1, 2, 3)
    ]
    result = RunResult(
        findings=findings, files=2, documents={"a.md": Document("a.md", ""), "b.md": Document("b.md", "")}
    )
    root = ET.fromstring(render(result, ReportOptions()))
    assert [failure.attrib["message"] for failure in root.iter("failure")] == ["1:1: m1", "2:1: m2", "3:1: m3"]
    assert (root.attrib["tests"], root.attrib["failures"], root.attrib["errors"]) == ("2", "1", "0")


def test_markup_characters_survive_and_control_characters_become_visible() -> None:
    message = 'a <b> & "c" \x01\x1b[31m\x7f\ufffe tab\there'
    finding = Finding("x&<y>.md", 1, 1, 1, 2, "text-invisible-char", "MDL031", Severity.ERROR, message)
    result = RunResult(
        findings=[finding],
        errors=[FileError("z\x02.md", "bad \x00 byte & <stuff>")],
        documents={"x&<y>.md": Document("x&<y>.md", "")},
    )
    root = ET.fromstring(render(result, ReportOptions()))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.attrib["message"] == '1:1: a <b> & "c" [U+0001][U+001B][31m\x7f[U+FFFE] tab\there'
    assert failure.text == 'x&<y>.md:1:1: text-invisible-char a <b> & "c" [U+0001][U+001B][31m\x7f[U+FFFE] tab\there'
    cases = [case.attrib["classname"] for case in root.iter("testcase")]
    assert cases == ["x&<y>.md", "z[U+0002].md"]
    error = root.find("testsuite/testcase/error")
    assert error is not None
    assert error.attrib["message"] == "bad [U+0000] byte & <stuff>"


def test_xml_text_keeps_what_xml_allows() -> None:
    allowed = "\t\n\r 한국어 😀 \x7f \ud7ff \ue000"
    assert xml_text(allowed) == allowed
    assert xml_text("\x00\x08\x0b\x0c\x1f\uffff") == "[U+0000][U+0008][U+000B][U+000C][U+001F][U+FFFF]"
