"""Issue 13, round two: hostile files, configs and command lines through the real command line.

Each case is the small reproducer from the issue. The run must end (every subprocess has a hang
guard), say what went wrong in one `path: error: why` line on standard error with exit 2 (or
report the hostile file as a finding), and still lint the healthy file beside it.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from mdlint.markdown.document import Document
from mdlint.markdown.emphasis_flanking import InlineSource, find_broken_emphasis
from mdlint.site.front_matter import front_matter_of
from mdlint.site.workspace import Workspace
from mdlint.source.bounded_yaml import MAX_ALIAS_VALUES, YamlRefusedError, load_yaml
from mdlint.source.paths import is_dir, is_file, path_exists
from tests.conftest import REPO
from tests.plugins import write_plugin

# Hang guard: each of these runs takes a second or two; before the fixes some never ended.
_GUARD = 90
HEALTHY = "# Healthy\n\n[b](nope.md)\n"
HEALTHY_FINDING = "ok.md:3:5: error MDL040 link-dead dead link: `nope.md` does not exist"
LONG = "x" * 256
# A "billion laughs": nine levels of nine aliases, 387,420,489 strings once expanded.
_LEVELS = zip("abcdefgh", "bcdefghi", strict=True)
BOMB = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]" for previous, name in _LEVELS]
)


def _mdlint(
    *args: str | Path,
    cwd: Path,
    stdout: int | None = subprocess.PIPE,
    extra_path: Path | None = None,
    shell_prefix: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join([str(REPO), *([str(extra_path)] if extra_path else [])])
    environment = {**os.environ, "PYTHONPATH": path, "NO_COLOR": "1", "XDG_CACHE_HOME": str(cwd / ".cache")}
    environment.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [*shell_prefix, sys.executable, "-m", "mdlint", *map(str, args)],
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=_GUARD,
        check=False,
    )


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


# 1. A local link whose path has a component over 255 bytes.


def test_a_link_path_component_over_255_bytes_is_a_dead_link_in_a_plain_folder(tmp_path: Path) -> None:
    _write(tmp_path, {"h.md": f"[a]({LONG})\n", "ok.md": HEALTHY})
    done = _mdlint("--offline", ".", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines()[:2] == [
        f"h.md:1:5: error MDL040 link-dead dead link: `{LONG}` does not exist",
        HEALTHY_FINDING,
    ]


def test_a_link_path_component_over_255_bytes_in_a_hugo_site_with_render_hooks(tmp_path: Path) -> None:
    # The render hooks make link-dead ask Hugo's page resources, whose probe raised "File name too long".
    _write(
        tmp_path,
        {
            "hugo.toml": 'title = "x"\n',
            "layouts/_default/_markup/render-link.html": "",
            "layouts/_default/_markup/render-image.html": "",
            "content/posts/h.md": f"[a]({LONG}/a.md)\n\n![i]({LONG}.png)\n",
            "content/ok.md": HEALTHY,
        },
    )
    done = _mdlint("--offline", ".", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines()[:3] == [
        "content/ok.md:3:5: error MDL040 link-dead dead link: no file or page produces `/ok/nope.md` "
        "(`nope.md` from the page's URL `/ok/`)",
        f"content/posts/h.md:1:5: error MDL040 link-dead dead link: no file or page produces `/posts/h/{LONG}/a.md` "
        f"(`{LONG}/a.md` from the page's URL `/posts/h/`)",
        f"content/posts/h.md:3:6: error MDL040 link-dead dead link: no file or page produces `/posts/h/{LONG}.png` "
        f"(`{LONG}.png` from the page's URL `/posts/h/`)",
    ]


def test_file_system_probes_answer_false_for_a_path_that_cannot_exist(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    for path in (tmp_path / LONG, tmp_path / "file" / "below", tmp_path / "nul\x00"):
        assert (path_exists(path), is_file(path), is_dir(path)) == (False, False, False)
    assert (is_file(tmp_path / "file"), is_dir(tmp_path)) == (True, True)


# 2. The 12-byte file `www.*는\*`.


def test_a_bare_url_cut_before_a_cjk_delimiter_does_not_crash_the_emphasis_check(tmp_path: Path) -> None:
    hostile = "www.*는\\*"
    # The relaxed reading ends the URL at `*는`, and its `\*` escapes the run the strict reading found.
    assert find_broken_emphasis(InlineSource(hostile, 0, len(hostile))) == []
    (tmp_path / "h.md").write_bytes(hostile.encode("utf-8"))
    _write(tmp_path, {"ok.md": HEALTHY})
    done = _mdlint("--offline", ".", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines()[0] == HEALTHY_FINDING


# 3 and 4. Recursive YAML anchors and alias bombs in front matter.


def test_a_recursive_yaml_anchor_is_invalid_front_matter_and_the_neighbours_are_linted(tmp_path: Path) -> None:
    _write(tmp_path, {"h.md": "---\nx: &a [*a]\n---\n# H\n", "ok.md": "---\ntitle: Healthy\n---\n" + HEALTHY})
    done = _mdlint("--offline", ".", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines()[:2] == [
        "h.md:2:4: error MDL010 front-matter-invalid front matter cannot be read: "
        "an alias refers to a value that contains it (the value would never end)",
        "ok.md:6:5: error MDL040 link-dead dead link: `nope.md` does not exist",
    ]


def test_an_alias_bomb_is_refused_quickly_and_its_folder_is_linted(tmp_path: Path) -> None:
    files = {"bomb.md": f"---\n{BOMB}\n---\n# Bomb\n"}
    files.update({f"ok{n}.md": f"---\ntitle: Healthy {n}\n---\n# Healthy\n\n[b](nope{n}.md)\n" for n in range(1, 4)})
    _write(tmp_path, files)
    # Before, every file of the folder ran into its time limit; now the bomb is refused at once.
    done = _mdlint("--offline", "--file-time-limit", "20", ".", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines()[:4] == [
        "bomb.md:6:4: error MDL010 front-matter-invalid front matter cannot be read: "
        f"its aliases expand it by more than {MAX_ALIAS_VALUES:,} values",
        "ok1.md:6:5: error MDL040 link-dead dead link: `nope1.md` does not exist",
        "ok2.md:6:5: error MDL040 link-dead dead link: `nope2.md` does not exist",
        "ok3.md:6:5: error MDL040 link-dead dead link: `nope3.md` does not exist",
    ]


def test_alias_bombs_loops_and_deep_yaml_in_a_jekyll_site_do_not_stop_the_site_map(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "_config.yml": BOMB + "\n",
            "_posts/2020-01-01-bomb.md": f"---\n{BOMB}\n---\n# Bomb\n",
            "_posts/2020-01-02-loop.md": "---\ntags: &a [*a]\n---\n# Loop\n",
            # Jekyll's scan reads with PyYAML's Python parser, which recursed once per level.
            "_posts/2020-01-03-deep.md": "---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n# Deep\n",
            "ok.md": HEALTHY,
        },
    )
    done = _mdlint("--offline", "--select", "link-dead", ".", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines()[0] == HEALTHY_FINDING


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("x: &a [*a]", "an alias refers to a value that contains it (the value would never end)"),
        ("x: &a {y: *a}", "an alias refers to a value that contains it (the value would never end)"),
        (BOMB, f"its aliases expand it by more than {MAX_ALIAS_VALUES:,} values"),
        ("x: " + "[" * 150 + "]" * 150, "values are nested more than 100 levels deep"),
        ("date: 2025-02-30", "day is out of range for month"),
    ],
)
def test_the_bounded_yaml_loader_refuses(text: str, problem: str) -> None:
    with pytest.raises(YamlRefusedError) as refused:
        load_yaml(text, yaml.SafeLoader)
    assert refused.value.problem == problem


@pytest.mark.parametrize("loader", [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)])
def test_the_bounded_yaml_loader_refuses_deep_nesting_with_either_parser(loader: type[yaml.SafeLoader]) -> None:
    # The Python parser recurses per level; libyaml refuses past 1,000 levels on its own.
    with pytest.raises(yaml.YAMLError):
        load_yaml("x: " + "[" * 5000 + "]" * 5000, loader)


def test_the_bounded_yaml_loader_keeps_ordinary_aliases() -> None:
    assert load_yaml("base: &b {a: 1}\nmerged:\n  <<: *b\n  c: 2\nagain: *b\n") == {
        "base": {"a": 1},
        "merged": {"a": 1, "c": 2},
        "again": {"a": 1},
    }


def test_front_matter_is_parsed_once_per_run_for_every_document_with_that_text() -> None:
    workspace = Workspace()
    first = Document("a/one.md", "---\ntitle: T\n---\n# T\n")
    again = Document("b/two.md", "---\ntitle: T\n---\n# T\n")
    other = Document("a/three.md", "---\ntitle: U\n---\n# T\n")
    assert front_matter_of(first, workspace) is front_matter_of(again, workspace)
    parsed = front_matter_of(other, workspace)
    assert parsed is not None and parsed.data == {"title": "U"}


# 5. Symlink loops, named pipes and devices.


def test_a_symlink_loop_named_like_markdown_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "x.md").symlink_to("x.md")
    _write(tmp_path, {"ok.md": HEALTHY})
    done = _mdlint("--offline", ".", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, f"x.md: error: {os.strerror(errno.ELOOP)}\n")
    assert done.stdout.splitlines()[0] == HEALTHY_FINDING
    named = _mdlint("--offline", "x.md", "ok.md", cwd=tmp_path)
    assert (named.returncode, named.stderr) == (2, f"x.md: error: {os.strerror(errno.ELOOP)}\n")
    assert named.stdout.splitlines()[0] == HEALTHY_FINDING


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_named_like_markdown_is_one_error_line(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.md")
    _write(tmp_path, {"ok.md": HEALTHY})
    done = _mdlint("--offline", ".", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "x.md: error: is a named pipe (FIFO), not a regular file\n")
    assert done.stdout.splitlines()[0] == HEALTHY_FINDING


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipes_in_a_site_do_not_block_its_scan(tmp_path: Path) -> None:
    # The Jekyll and Hugo site scans read front matter of every page, and link-dead reads HTML targets.
    _write(tmp_path, {"_config.yml": "title: x\n", "ok.md": "[a](x.html#f)\n\n" + HEALTHY})
    (tmp_path / "_posts").mkdir()
    for name in ("_posts/2020-01-01-x.md", "x.html"):
        os.mkfifo(tmp_path / name)
    done = _mdlint("--offline", "--select", "link-dead", ".", cwd=tmp_path)
    expected = "_posts/2020-01-01-x.md: error: is a named pipe (FIFO), not a regular file\n"
    assert (done.returncode, done.stderr) == (2, expected)
    assert done.stdout.splitlines()[0] == "ok.md:5:5: error MDL040 link-dead dead link: `nope.md` does not exist"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_is_refused_without_reading_it(tmp_path: Path) -> None:
    _write(tmp_path, {"ok.md": HEALTHY})
    done = _mdlint("--offline", "/dev/zero", "ok.md", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "/dev/zero: error: is a device, not a regular file\n")
    assert done.stdout.splitlines()[0] == HEALTHY_FINDING


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_standard_input_from_dev_zero_is_read_no_further_than_the_size_limit(tmp_path: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        done = subprocess.run(
            [sys.executable, "-m", "mdlint", "--offline", "--max-file-size", "1048576", "-"],
            cwd=tmp_path,
            stdin=zero,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(tmp_path / ".cache")},
            timeout=_GUARD,
            check=False,
        )
    expected = "-: error: standard input is over the 1 MiB limit (option max-file-size)\n"
    assert (done.returncode, done.stderr) == (2, expected)


# 6. Internal errors: exit 2, one line naming the file (or the run-level check), others linted.

_BROKEN_RULES = textwrap.dedent(
    """
    from mdlint.rule_engine.rule import Rule

    def check(document, context):
        if "BOOM" in document.text:
            raise ZeroDivisionError("division by zero")
        return []

    def check_run(documents, context):
        if any("FAILRUN" in document.text for document in documents):
            raise KeyError("lost")
        return iter(())

    RULE = Rule(code="XBR001", name="broken-rule", summary="raises", check=check, check_run=check_run)
    """
)


def test_an_exception_in_a_rule_is_exit_2_with_one_line_naming_file_and_rule(tmp_path: Path) -> None:
    plugin = write_plugin(tmp_path / "plugin", "broken_rule", _BROKEN_RULES, "broken-rule")
    docs = tmp_path / "docs"
    _write(docs, {"boom.md": "BOOM\n", "ok.md": HEALTHY})
    done = _mdlint("--offline", ".", cwd=docs, extra_path=plugin)
    assert (done.returncode, done.stderr) == (
        2,
        "boom.md: error: internal error in broken-rule: ZeroDivisionError: division by zero\n",
    )
    assert done.stdout.splitlines() == [
        HEALTHY_FINDING,
        "Found 1 finding (1 error, 0 warnings) in 1 file; 1 file could not be linted.",
    ]


def test_an_exception_in_a_run_level_check_is_exit_2_with_one_line(tmp_path: Path) -> None:
    plugin = write_plugin(tmp_path / "plugin", "broken_rule", _BROKEN_RULES, "broken-rule")
    docs = tmp_path / "docs"
    _write(docs, {"boom.md": "FAILRUN\n", "ok.md": HEALTHY})
    done = _mdlint("--offline", ".", cwd=docs, extra_path=plugin)
    assert (done.returncode, done.stderr) == (
        2,
        "mdlint: error: internal error in broken-rule (run-level check): KeyError: 'lost'\n",
    )
    # The other rules' run-level checks (link-dead here) still ran.
    assert done.stdout.splitlines() == [HEALTHY_FINDING, "Found 1 finding (1 error, 0 warnings) in 2 files."]


# 18. Bad values and outputs: one line on standard error and exit 2, never a traceback.


def _config_error(tmp_path: Path, config: str) -> subprocess.CompletedProcess[str]:
    _write(tmp_path, {".mdlint.toml": config, "ok.md": HEALTHY})
    return _mdlint("--offline", "ok.md", cwd=tmp_path)


def test_a_file_time_limit_too_long_for_the_timer_is_a_usage_error(tmp_path: Path) -> None:
    _write(tmp_path, {"ok.md": HEALTHY})
    done = _mdlint("--offline", "--file-time-limit", "1e10", "ok.md", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "mdlint: error: argument --file-time-limit: '1e10' is not a number of seconds (0 to 1000000) "
        "(see mdlint --help)\n"
    )


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("file-time-limit = inf\n", "config file-time-limit: Input should be a finite number (got inf)"),
        ("file-time-limit = nan\n", "config file-time-limit: Input should be a finite number (got nan)"),
        ('exclude = ["[z-a]"]\n', "config exclude: invalid glob '[z-a]': bad character range z-a"),
        (
            '[[overrides]]\npaths = ["[z-a]"]\nselect = ["all"]\n',
            "config overrides.0.paths: invalid glob '[z-a]': bad character range z-a",
        ),
        ("x = " + "[" * 5000 + "]" * 5000 + "\n", "TOML nested too deep to read"),
    ],
)
def test_hostile_config_values_are_one_error_line(tmp_path: Path, config: str, message: str) -> None:
    done = _config_error(tmp_path, config)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"mdlint: error: {tmp_path / '.mdlint.toml'}: {message}\n"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_config_from_dev_zero_is_one_error_line(tmp_path: Path) -> None:
    _write(tmp_path, {"ok.md": HEALTHY})
    done = _mdlint("--offline", "--config", "/dev/zero", "ok.md", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "mdlint: error: /dev/zero: cannot read: is a device, not a regular file\n"


def test_a_baseline_nested_100000_deep_is_one_error_line(tmp_path: Path) -> None:
    _write(tmp_path, {"ok.md": HEALTHY, "baseline.json": "[" * 100_000 + "]" * 100_000})
    done = _mdlint("--offline", "--baseline", "baseline.json", "ok.md", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "mdlint: error: baseline baseline.json: not valid JSON: nested too deep\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_standard_output_full_is_one_error_line(tmp_path: Path) -> None:
    _write(tmp_path, {"ok.md": HEALTHY})
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = _mdlint("--offline", "ok.md", cwd=tmp_path, stdout=full.fileno())
    assert done.returncode == 2
    assert done.stderr == f"mdlint: error: cannot write to standard output: {os.strerror(errno.ENOSPC)}\n"


def test_standard_output_closed_is_one_error_line(tmp_path: Path) -> None:
    _write(tmp_path, {"ok.md": HEALTHY})
    # `sh -c 'exec "$@" >&-'` starts mdlint with file descriptor 1 closed, as `mdlint . >&-` does.
    done = _mdlint("--offline", "ok.md", cwd=tmp_path, stdout=None, shell_prefix=("sh", "-c", 'exec "$@" >&-', "sh"))
    assert done.returncode == 2
    assert done.stderr == "mdlint: error: cannot write to standard output: standard output is closed\n"


# 19 (the summary). Fixes that were not written are not counted as fixed.


def test_the_summary_counts_only_fixes_that_were_written(tmp_path: Path) -> None:
    _write(tmp_path, {"x.md": "a\u200bb\n", "ok.md": HEALTHY})
    (tmp_path / "x.md").chmod(0o444)
    done = _mdlint("--offline", "--fix", ".", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "x.md: error: file is read-only; not written\n")
    assert done.stdout.splitlines() == [
        HEALTHY_FINDING,
        "x.md:1:2: warning MDL031 text-invisible-char invisible zero-width character: U+200B ZERO WIDTH SPACE [*]",
        "Found 2 findings (1 error, 1 warning) in 2 files; 1 fixable with --fix; 1 file not written.",
    ]


def test_a_diff_writes_nothing_and_counts_nothing_as_fixed(tmp_path: Path) -> None:
    _write(tmp_path, {"x.md": "a\u200bb\n"})
    done = _mdlint("--offline", "--diff", "x.md", cwd=tmp_path)
    # text-invisible-char is a warning; a diff is only a preview, so nothing is counted as fixed.
    assert (done.returncode, done.stderr) == (0, "Would fix 1 finding in 1 file.\n")
    assert done.stdout.splitlines() == ["--- a/x.md", "+++ b/x.md", "@@ -1 +1 @@", "-a\u200bb", "+ab"]
    assert (tmp_path / "x.md").read_text(encoding="utf-8") == "a\u200bb\n"
