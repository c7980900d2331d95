"""The command line as users and CI call it: output, exit codes, unreadable files, JSON contract."""

from __future__ import annotations

import codecs
import difflib
import json
import shutil
from pathlib import Path

from mdlint.source.decoding import UnreadableFileError, decode
from tests.conftest import RunCli

BAD_LINK = "- 📜 [paper](arxiv.org/abs/2412.19437)\n"


def test_shared_archive_reports_the_two_known_links(run_cli: RunCli, corpus: Path) -> None:
    archive = corpus / "study-archive"
    result = run_cli("--offline", "README.md", cwd=archive)
    lines = result.stdout.splitlines()
    assert "README.md:628:16: error MDL003 link-malformed two URLs run together in one destination:" in "\n".join(lines)
    assert any(line.startswith("README.md:157:23: error MDL004 link-missing-scheme ") for line in lines)
    assert not [line for line in lines if "details-unbalanced" in line], "the archive's 50 <details> pairs balance"
    assert "Traceback" not in result.stderr
    assert result.returncode == 1


def test_text_output_is_sorted_and_summarised(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text(BAD_LINK, encoding="utf-8")
    (tmp_path / "a.md").write_text("x\n\n" + BAD_LINK + "[o](https://a.com](https://b.com))\n", encoding="utf-8")
    result = run_cli("--select", "link-missing-scheme,MDL003", ".", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "a.md:3:5: error MDL004 link-missing-scheme destination 'arxiv.org/abs/2412.19437' has no scheme and is "
        "read as a relative path; write https://arxiv.org/abs/2412.19437 [*]",
        "a.md:4:1: error MDL003 link-malformed two URLs run together in one destination: (https://a.com](https://b.com))",
        "b.md:1:5: error MDL004 link-missing-scheme destination 'arxiv.org/abs/2412.19437' has no scheme and is "
        "read as a relative path; write https://arxiv.org/abs/2412.19437 [*]",
        "Found 3 findings (3 errors, 0 warnings) in 2 files; 2 fixable with --fix.",
    ]
    assert result.returncode == 1


def test_json_contract(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text(BAD_LINK, encoding="utf-8")
    result = run_cli("--format", "json", "docs", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert report["version"] == 1
    assert report["findings"] == [
        {
            "path": "docs/a.md",
            "line": 1,
            "column": 5,
            "end_line": 1,
            "end_column": 38,
            "rule": "link-missing-scheme",
            "code": "MDL004",
            "severity": "error",
            "message": "destination 'arxiv.org/abs/2412.19437' has no scheme and is read as a relative path; "
            "write https://arxiv.org/abs/2412.19437",
            "fixable": True,
        }
    ]
    assert report["summary"]["findings"] == 1
    assert report["summary"]["files"] == 1
    assert result.returncode == 1


def test_clean_folder_exits_zero(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Title\n\n[ok](https://example.com/)\n", encoding="utf-8")
    result = run_cli("--offline", str(tmp_path))
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "Found 0 findings in 1 file."


def test_warnings_alone_exit_zero(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / ".mdlint.toml").write_text('[rules.link-missing-scheme]\nseverity = "warning"\n', encoding="utf-8")
    (tmp_path / "a.md").write_text(BAD_LINK, encoding="utf-8")
    result = run_cli("--select", "link-missing-scheme", "a.md", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].startswith("a.md:1:5: warning MDL004 link-missing-scheme destination")
    assert result.stdout.splitlines()[1] == "Found 1 finding (0 errors, 1 warning) in 1 file; 1 fixable with --fix."


def test_unreadable_files_each_get_one_line_and_the_rest_are_linted(run_cli: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "latin1.md").write_bytes("# Café crème\n".encode("latin-1"))
    (folder / "utf16-no-bom.md").write_bytes("# hello\n".encode("utf-16-le"))
    (folder / "utf16-bom.md").write_bytes(codecs.BOM_UTF16_LE + ("x\n" + BAD_LINK).encode("utf-16-le"))
    (folder / "empty.md").write_bytes(b"")
    (folder / "bom-front-matter.md").write_bytes(
        codecs.BOM_UTF8 + ("---\ntitle: t\n---\n\n" + BAD_LINK).encode("utf-8")
    )
    (folder / "crlf.md").write_bytes(("# t\r\n\r\n" + BAD_LINK).replace("\n", "\r\n").replace("\r\r", "\r").encode())
    (folder / "big.md").write_text("word " * 200 + "\n\n" + ("para\n\n" * 400_000) + BAD_LINK, encoding="utf-8")
    # big.md is about size, not time: on a busy machine (xdist, shared CI cores) 30 s is not enough.
    result = run_cli("--select", "link-missing-scheme", "--file-time-limit", "600", "mixed", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    errors = sorted(result.stderr.splitlines())
    assert len(errors) == 3
    assert errors[0].startswith("mixed/binary.md: error: binary file")
    assert errors[1].startswith("mixed/latin1.md: error: not valid UTF-8")
    assert errors[2].startswith("mixed/utf16-no-bom.md: error: binary file")
    found = [line.split(" ")[0] for line in result.stdout.splitlines()[:-1]]
    assert found == [
        "mixed/big.md:800003:5:",
        "mixed/bom-front-matter.md:5:5:",
        "mixed/crlf.md:3:5:",
        "mixed/utf16-bom.md:2:5:",
    ]
    assert result.stdout.splitlines()[-1].endswith("3 files could not be linted.")


def test_missing_path_is_an_error(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("nope.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "nope.md: error: no such file or folder\n"


def test_stdin(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("-", "--stdin-filename", "notes/a.md", "--select", "MDL004", cwd=tmp_path, stdin=BAD_LINK)
    assert result.stdout.startswith("notes/a.md:1:5: error MDL004 link-missing-scheme")
    fixed = run_cli("-", "--fix", "--select", "MDL004", cwd=tmp_path, stdin=BAD_LINK)
    assert fixed.stdout == "- 📜 [paper](https://arxiv.org/abs/2412.19437)\n"
    assert fixed.returncode == 0


def test_diff_writes_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text(BAD_LINK, encoding="utf-8")
    result = run_cli("--diff", "--select", "link-missing-scheme", "a.md", cwd=tmp_path)
    # Only the diff on standard output, so it can be piped to `patch`; the count on standard error.
    assert result.stdout.splitlines() == [
        "--- a/a.md",
        "+++ b/a.md",
        "@@ -1 +1 @@",
        "-- 📜 [paper](arxiv.org/abs/2412.19437)",
        "+- 📜 [paper](https://arxiv.org/abs/2412.19437)",
    ]
    assert result.stderr == "Would fix 1 finding in 1 file.\n"
    assert target.read_text(encoding="utf-8") == BAD_LINK


def test_fix_says_what_it_fixed_where_and_what_remains(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(BAD_LINK + "\n[x](arxiv.org/abs/1)\n\n[o](https://a.com](https://b.com))\n")
    (tmp_path / "b.md").write_text(BAD_LINK, encoding="utf-8")
    (tmp_path / "c.md").write_text("Clean.\n", encoding="utf-8")
    result = run_cli("--fix", "--select", "MDL003,MDL004", ".", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "a.md:5:1: error MDL003 link-malformed two URLs run together in one destination: (https://a.com](https://b.com))",
        "Fixed 3 findings in 2 files: a.md (2), b.md (1); 1 remaining.",
        "Found 1 finding (1 error, 0 warnings) in 3 files.",
    ]
    assert result.returncode == 1


def test_unsafe_fixes_are_counted_and_marked(run_cli: RunCli, tmp_path: Path) -> None:
    # A trailing no-break space: text-invisible-char's fix is unsafe there (it could make a line break).
    (tmp_path / "a.md").write_text("Text.\u00a0\n", encoding="utf-8")
    result = run_cli("--offline", "--select", "text-invisible-char", "a.md", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("a.md:1:6: warning MDL031 text-invisible-char ")
    assert lines[0].endswith(" [unsafe fix]")
    assert lines[1] == "Found 1 finding (0 errors, 1 warning) in 1 file; 1 more fixable with --unsafe-fixes."
    unsafe = run_cli("--offline", "--unsafe-fixes", "--select", "text-invisible-char", "a.md", cwd=tmp_path)
    assert unsafe.stdout.splitlines()[0].endswith(" [*]")
    assert unsafe.stdout.splitlines()[1] == (
        "Found 1 finding (0 errors, 1 warning) in 1 file; 1 fixable with --fix --unsafe-fixes."
    )


def test_list_rules_and_version(run_cli: RunCli) -> None:
    listing = run_cli("--list-rules")
    assert listing.returncode == 0
    assert "MDL001  details-unbalanced" in listing.stdout
    version = run_cli("--version")
    assert version.stdout.startswith("mdlint ")


def test_usage_errors_exit_two(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("--format", "yaml", cwd=tmp_path).returncode == 2
    unknown = run_cli("--select", "no-such-rule", ".", cwd=tmp_path)
    assert unknown.returncode == 2
    assert "unknown rule 'no-such-rule'" in unknown.stderr


def test_gitignore_and_exclude_are_honoured(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("build/\n*.draft.md\n", encoding="utf-8")
    (tmp_path / ".mdlint.toml").write_text('exclude = ["vendor/**"]\n', encoding="utf-8")
    for name in ("build/a.md", "vendor/b.md", "c.draft.md", "docs/d.md", "e.markdown", "f.txt"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(BAD_LINK, encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.md"
    outside.write_text(BAD_LINK, encoding="utf-8")
    (tmp_path / "docs" / "link.md").symlink_to(outside)
    result = run_cli("--select", "link-missing-scheme", cwd=tmp_path)
    paths = sorted(line.split(":")[0] for line in result.stdout.splitlines()[:-1])
    assert paths == ["docs/d.md", "e.markdown"]


def test_fix_twice_on_the_corpus_changes_only_fixable_lines(run_cli: RunCli, corpus: Path, tmp_path: Path) -> None:
    copy = tmp_path / "corpus"
    # The users' notes; the generator sites (sites/) and perf/ are covered by the corpus snapshot.
    shutil.copytree(corpus, copy, ignore=shutil.ignore_patterns("perf", "sites"))
    # The shared corpus is read-only, and --fix leaves read-only files and folders alone.
    for path in [copy, *copy.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    crlf = copy / "crlf.md"
    crlf.write_bytes(b"# t\r\n\r\n- [paper](arxiv.org/abs/1)\r\n<div>\r\n- swallowed\r\n</div>\r\n")
    before = {path: path.read_bytes() for path in copy.rglob("*.md")}
    report = json.loads(run_cli("--offline", "--format", "json", ".", cwd=copy).stdout)
    fixable_lines = {(f["path"], f["line"]) for f in report["findings"] if f["fixable"]}
    assert fixable_lines
    first = run_cli("--offline", "--fix", ".", cwd=copy)
    assert "Traceback" not in first.stderr
    after_first = {path: path.read_bytes() for path in copy.rglob("*.md")}
    for path, old in before.items():
        relative = path.relative_to(copy).as_posix()
        fixable_here = {line for (p, line) in fixable_lines if p == relative}
        # Read as mdlint reads (BOMs, UTF-16 and UTF-32); what it cannot read it must not touch.
        try:
            old_text = decode(old)[0]
        except UnreadableFileError:
            assert after_first[path] == old, relative
            continue
        old_lines = old_text.splitlines()
        new_lines = decode(after_first[path])[0].splitlines()
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            # An inserted blank line goes before the line it repairs; a replaced line had a finding.
            touched = {i1 + 1} if tag == "insert" else set(range(i1 + 1, i2 + 1))
            assert touched <= fixable_here, (relative, tag, touched, fixable_here)
    expected_crlf = b"# t\r\n\r\n- [paper](https://arxiv.org/abs/1)\r\n<div>\r\n\r\n- swallowed\r\n</div>\r\n"
    assert after_first[crlf] == expected_crlf
    second = run_cli("--offline", "--fix", ".", cwd=copy)
    assert {path: path.read_bytes() for path in copy.rglob("*.md")} == after_first
    assert "Fixed " not in second.stdout


def test_the_repository_lints_its_own_readme_and_rulebook_cleanly(run_cli: RunCli) -> None:
    from tests.conftest import REPO

    result = run_cli("--offline", "README.md", "rules", cwd=REPO)
    assert result.returncode == 0, result.stdout
