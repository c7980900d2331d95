"""unused-suppression: comments that switched nothing off, judged only where the run can tell."""

from __future__ import annotations

from pathlib import Path

from mdlint.findings import Finding
from mdlint.markdown.document import Document
from mdlint.rule_engine.suppressions import find_suppressions
from mdlint.site.workspace import RunSettings
from mdlint.testing import lint_text
from tests.conftest import RunCli

ONLINE = RunSettings(offline=False)


def _report(findings: list[Finding]) -> list[str]:
    return [f"{f.line}:{f.column}-{f.end_line}:{f.end_column} {f.rule} {f.message}" for f in findings]


def test_off_by_default() -> None:
    text = "<!-- mdlint-disable-next-line link-missing-scheme -->\nClean text.\n"
    assert lint_text(text) == []
    assert _report(lint_text(text, "all", "unused-suppression")) == [
        "1:31-1:50 unused-suppression mdlint-disable-next-line link-missing-scheme suppresses nothing; "
        "remove link-missing-scheme"
    ]


def test_a_comment_naming_no_rule_is_judged_when_every_default_rule_ran_in_full() -> None:
    text = "# Notes\n\n<!-- mdlint-disable -->\nClean text.\n<!-- mdlint-enable -->\n"
    assert _report(lint_text(text, "all", "unused-suppression", settings=ONLINE)) == [
        "3:1-3:24 unused-suppression mdlint-disable comment suppresses nothing; remove it"
    ]
    # Offline, link-dead checks only local targets; the comment might silence a remote one.
    assert lint_text(text, "all", "unused-suppression") == []
    # With a narrower selection the comment might be there for a rule that did not run.
    assert lint_text(text, "link-missing-scheme", "unused-suppression", settings=ONLINE) == []
    # markdownlint's spelling also switches markdownlint's own rules off.
    assert lint_text(text.replace("mdlint-", "markdownlint-"), "all", "unused-suppression", settings=ONLINE) == []


def test_a_used_comment_naming_no_rule_is_not_reported() -> None:
    text = "<!-- mdlint-disable -->\n- [a](arxiv.org/abs/1)\n<!-- mdlint-enable -->\n"
    assert lint_text(text, "all", "unused-suppression", settings=ONLINE) == []


def test_rules_that_did_not_run_are_not_judged() -> None:
    text = "<!-- mdlint-disable-file icon-unknown link-local-path -->\nClean text.\n"
    assert _report(lint_text(text, "link-local-path", "unused-suppression")) == [
        "1:39-1:54 unused-suppression mdlint-disable-file link-local-path suppresses nothing; remove link-local-path"
    ]


def test_codes_and_comma_separated_names() -> None:
    text = "<!-- mdlint-disable-next-line MDL004,MDL005 -->\n- [a](arxiv.org/abs/1)\n"
    assert _report(lint_text(text, "all", "unused-suppression")) == [
        "1:38-1:44 unused-suppression mdlint-disable-next-line MDL005 suppresses nothing; remove MDL005"
    ]


def test_its_own_findings_can_be_suppressed() -> None:
    text = "<!-- mdlint-disable-file unused-suppression -->\n<!-- mdlint-disable link-missing-scheme -->\nText.\n"
    assert lint_text(text, "all", "unused-suppression") == []


def test_markdownlint_capture_and_restore() -> None:
    text = (
        "<!-- markdownlint-disable link-missing-scheme -->\n"
        "<!-- markdownlint-capture -->\n"
        "<!-- markdownlint-enable link-missing-scheme -->\n"
        "- [reported](arxiv.org/abs/1)\n"
        "<!-- markdownlint-restore -->\n"
        "- [suppressed again](arxiv.org/abs/2)\n"
        "<!-- mdlint-enable -->\n"
        "- [reported](arxiv.org/abs/3)\n"
    )
    assert [f.line for f in lint_text(text, "link-missing-scheme")] == [4, 8]
    # A restore with nothing captured returns to the configured state: nothing switched off.
    text = "<!-- mdlint-disable -->\n<!-- mdlint-restore -->\n- [reported](arxiv.org/abs/1)\n"
    assert [f.line for f in lint_text(text, "link-missing-scheme")] == [3]


def test_markdownlint_configure_file_is_not_a_suppression() -> None:
    text = '<!-- markdownlint-configure-file { "MD013": false } -->\n- [a](arxiv.org/abs/1)\n'
    assert find_suppressions(Document("a.md", text)).comments == []
    assert [f.rule for f in lint_text(text, "all", "unused-suppression")] == ["link-missing-scheme"]


def test_command_line(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("<!-- mdlint-disable-next-line MDL004 -->\nText.\n", encoding="utf-8")
    result = run_cli("--offline", "--select", "all,unused-suppression", "a.md", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "a.md:1:31: warning MDL050 unused-suppression mdlint-disable-next-line MDL004 suppresses nothing; "
        "remove MDL004",
        "Found 1 finding (0 errors, 1 warning) in 1 file.",
    ]
    assert result.returncode == 0


def test_a_comment_does_not_suppress_the_finding_about_itself() -> None:
    text = "<!-- mdlint-disable-line -->\nText.\n"
    assert [f.line for f in lint_text(text, "all", "unused-suppression", settings=ONLINE)] == [1]
    kept = "<!-- mdlint-disable-next-line unused-suppression -->\n" + text
    assert lint_text(kept, "all", "unused-suppression", settings=ONLINE) == []
