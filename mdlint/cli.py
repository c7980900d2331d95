"""The `mdlint` command: parse arguments, run, print, choose the exit code.

Exit codes: 0 no error-severity finding; 1 at least one; 2 usage, configuration, unreadable file,
an internal error (a bug: one line names it, the other files are still linted) or standard output
that cannot be written.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mdlint import __version__
from mdlint.reporters import FORMATS
from mdlint.reporters.control_characters import escape_controls
from mdlint.run.time_limit import MAX_TIME_LIMIT

if TYPE_CHECKING:
    from mdlint.rules._listing import ListedRule
    from mdlint.run.baseline import Baseline
    from mdlint.run.config import RuleSelection
    from mdlint.run.runner import RunResult

# Everything else is imported where it is needed: `mdlint --version` and `--help` import nothing
# of the linter, `--list-rules` no run machinery, and a run no baseline or reporter it does not
# use (pydantic, the rules and the run layer cost a one-file run most of its start-up).

__all__ = ["EXIT_ERROR", "EXIT_FINDINGS", "EXIT_OK", "main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class _OutputError(Exception):
    """Standard output is closed, or writing to it failed (a full disk, a closed pipe)."""


class _StandardOutput:
    """`sys.stdout` as the command line writes to it: a failed write raises `_OutputError`."""

    def write(self, text: str) -> int:
        stream = sys.stdout
        if stream is None:  # started with standard output closed (`mdlint . >&-`)
            raise _OutputError("standard output is closed")
        try:
            return stream.write(text)
        except OSError as error:
            raise _OutputError(error.strerror or str(error)) from None

    def flush(self) -> None:
        stream = sys.stdout
        # `mdlint server` closes standard output when the client says exit: nothing is left to flush.
        if stream is None or stream.closed:
            return
        try:
            stream.flush()
        except OSError as error:
            raise _OutputError(error.strerror or str(error)) from None

    def isatty(self) -> bool:
        stream = sys.stdout
        return stream is not None and stream.isatty()


def _silence_standard_output() -> None:
    # Python flushes standard output again at exit and would print that failure too: what is
    # still buffered goes nowhere instead.
    try:
        descriptor = os.open(os.devnull, os.O_WRONLY)
        os.dup2(descriptor, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's default prints the whole usage; one line is easier to read in CI logs.
        self.exit(EXIT_ERROR, f"mdlint: error: {message} (see mdlint --help)\n")


def _rule_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _number(
    convert: Callable[[str], float], minimum: float, unit: str, maximum: float | None = None
) -> Callable[[str], float]:
    """An argparse type: a number of `unit` no smaller than `minimum`, no larger than `maximum` (and finite)."""

    def parse(value: str) -> float:
        try:
            number = convert(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a number of {unit}") from None
        if not number >= minimum or number == float("inf"):
            raise argparse.ArgumentTypeError(f"{value!r} is not a number of {unit} ({minimum:g} or more)")
        if maximum is not None and number > maximum:
            raise argparse.ArgumentTypeError(f"{value!r} is not a number of {unit} ({minimum:g} to {maximum:.0f})")
        return number

    return parse


_byte_count = _number(int, 1, "bytes")
_seconds = _number(float, 0, "seconds", MAX_TIME_LIMIT)
_mebibytes = _number(int, 0, "MiB")
_jobs = _number(int, 1, "worker processes")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; every flag here is documented in the README."""
    parser = _ArgumentParser(
        prog="mdlint",
        description="A content linter and consistency checker for Markdown knowledge bases.",
    )
    parser.add_argument("paths", nargs="*", default=["."], help="files or folders to lint; - reads standard input")
    parser.add_argument("--fix", action="store_true", help="apply safe fixes in place")
    parser.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, apply unsafe fixes too")
    parser.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="output format (default: text; github when GITHUB_ACTIONS=true)",
    )
    parser.add_argument("--select", type=_rule_list, action="extend", help="only these rules (names or codes)")
    parser.add_argument("--ignore", type=_rule_list, action="extend", default=[], help="skip these rules")
    parser.add_argument("--config", type=Path, help="use this config file for every file")
    parser.add_argument("--offline", action="store_true", help="no network access at all")
    parser.add_argument("--strict", action="store_true", help="every class of dead link is an error")
    parser.add_argument("--stdin-filename", help="the path to report (and find config for) when reading -")
    parser.add_argument("--list-rules", action="store_true", help="list every rule and exit (--format json for JSON)")
    parser.add_argument(
        "--show-site",
        action="store_true",
        help="print the site each path belongs to (generator, config, renderers, URL map) and exit",
    )
    parser.add_argument("--show-files", action="store_true", help="print the files a run would lint and exit")
    parser.add_argument(
        "--show-settings",
        type=Path,
        metavar="PATH",
        help="print the configuration that applies to PATH (TOML; --format json for JSON) and exit",
    )
    parser.add_argument("--explain", metavar="RULE", help="print a rule's rulebook page and exit")
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text report (default auto: on a terminal, unless NO_COLOR; FORCE_COLOR forces it)",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary when clean")
    parser.add_argument("--statistics", action="store_true", help="count the findings of each rule")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are errors")
    parser.add_argument("--output-file", type=Path, help="write the report to this file instead of stdout")
    parser.add_argument("--cache-dir", type=Path, help="where the link cache and the result cache live")
    parser.add_argument("--clear-cache", action="store_true", help="empty the link and result caches and exit")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    parser.add_argument(
        "--jobs", "-j", type=_jobs, default=None, help="worker processes (default: CPU count; 1: serial)"
    )
    parser.add_argument("--max-file-size", type=_byte_count, default=0, help="bytes; larger files are not linted")
    parser.add_argument("--baseline", type=Path, metavar="FILE", help="report only findings not recorded in FILE")
    parser.add_argument("--write-baseline", action="store_true", help="with --baseline, record the findings and exit")
    parser.add_argument(
        "--file-time-limit",
        type=_seconds,
        metavar="SECONDS",
        help="seconds one file may take (default: file-time-limit in config, 30); 0: no limit",
    )
    parser.add_argument(
        "--max-memory",
        type=_mebibytes,
        metavar="MB",
        help="MiB a process may hold while it lints one file (default: max-memory in config, 1024); 0: no limit",
    )
    parser.add_argument("--version", action="version", version=f"mdlint {__version__}")
    parser.add_argument("--watch", action="store_true", help="lint again whenever a file changes (Ctrl-C stops)")
    return parser


def _plugins_installed() -> bool:
    """Whether an installed distribution declares an entry point in the `mdlint.rules` group.

    `importlib.metadata` answers that too, but importing it costs `--list-rules` more than all else:
    this reads the `entry_points.txt` files it would read, and only a "yes" goes on to load them.
    """
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:  # a zip file, or a folder that is gone
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                declared = os.path.join(folder, name, "entry_points.txt")
            elif name.endswith(".egg"):
                declared = os.path.join(folder, name, "EGG-INFO", "entry_points.txt")
            else:
                continue
            try:
                with open(declared, encoding="utf-8", errors="replace") as file:
                    text = file.read()
            except OSError:
                continue
            if _declares_rules(text):
                return True
    return False


def _declares_rules(entry_points_text: str) -> bool:
    section = ""
    for line in entry_points_text.splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line.strip("[]").strip()
        elif line and not line.startswith(("#", ";")) and section == "mdlint.rules":
            return True
    return False


def _listed_rules() -> tuple[ListedRule, ...]:
    """Code, name, severity, summary, fixes, opt-in and tags of every rule, sorted by code."""
    if not _plugins_installed():
        from mdlint.rules._listing import BUILTIN_RULES

        return BUILTIN_RULES
    from mdlint.rule_engine.rule import all_rules

    return tuple(
        (rule.code, rule.name, rule.severity.value, rule.summary, tuple(sorted(rule.fixes)), rule.opt_in, rule.tags)
        for rule in all_rules()
    )


def _list_rules() -> str:
    rows = [("CODE", "NAME", "SEVERITY", "SUMMARY")]
    for code, name, severity, summary, _fixes, opt_in, _tags in _listed_rules():
        rows.append((code, name + (" (opt-in)" if opt_in else ""), severity, summary))
    widths = [max(len(row[index]) for row in rows) for index in range(3)]
    return "\n".join(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}" for r in rows) + "\n"


def _list_rules_json() -> str:
    import json

    rules = [
        {
            "code": code,
            "name": name,
            "severity": severity,
            "summary": summary,
            "fixes": list(fixes),
            "opt-in": opt_in,
            "tags": list(tags),
        }
        for code, name, severity, summary, fixes, opt_in, tags in _listed_rules()
    ]
    return json.dumps(rules, indent=2, ensure_ascii=False) + "\n"


def _explain(name: str) -> tuple[str, int]:
    from mdlint.rule_engine.rule import find_rule
    from mdlint.rule_engine.rulebook import rulebook_page, rulebook_path

    rule = find_rule(name)
    if rule is None:
        return f"mdlint: error: unknown rule {name!r}; see mdlint --list-rules\n", EXIT_ERROR
    page = rulebook_page(rule)
    if page is None:
        # A summary alone would pass for the page; a missing page is a broken installation.
        missing = rulebook_path(rule)
        return f"mdlint: error: no rulebook page for {rule.name} ({rule.code}): {missing} is missing\n", EXIT_ERROR
    return page.text if page.text.endswith("\n") else page.text + "\n", EXIT_OK


def _use_color(choice: str, stream: object) -> bool:
    """`--color`: always and never are final; auto follows NO_COLOR, then FORCE_COLOR, then the terminal."""
    if choice != "auto":
        return choice == "always"
    # no-color.org and force-color.org: set and non-empty counts; NO_COLOR wins when both are set.
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "").lower() not in ("", "0", "false"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _stderr_line(text: str) -> None:
    """One line on standard error; a path or message that carries a newline or ESC stays one line."""
    sys.stderr.write(escape_controls(text) + "\n")


def _default_format(args: argparse.Namespace) -> str:
    # Annotations only work on the runner's standard output, and a diff is what --diff asks for.
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    return "github" if in_actions and args.output_file is None and not args.diff else "text"


def _show_run(args: argparse.Namespace, selection: RuleSelection, out: _StandardOutput) -> int:
    """`--show-files` and `--show-settings`: what a run would lint, and with which settings."""
    from mdlint.run.config import ConfigError, validate_selection
    from mdlint.run.runner import RunOptions, files_to_lint

    try:
        validate_selection(selection)
        if args.show_settings is not None:
            from mdlint.run.show_settings import settings_report

            report = settings_report(args.show_settings, args.config, selection, as_json=args.format == "json")
            out.write(report)
            return EXIT_OK
        files, errors = files_to_lint(RunOptions(paths=tuple(args.paths), config_path=args.config))
    except ConfigError as error:
        _stderr_line(f"mdlint: error: {error}")
        return EXIT_ERROR
    out.write("".join(f"{escape_controls(file.display)}\n" for file in files))
    for file_error in errors:
        _stderr_line(f"{file_error.path}: error: {file_error.message}")
    return EXIT_ERROR if errors else EXIT_OK


def exit_code(result: RunResult, exit_zero: bool = False) -> int:
    """2 when a file could not be linted, else 1 for any error-severity finding, else 0."""
    from mdlint.findings import Severity

    if result.errors:
        return EXIT_ERROR
    if exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if any(f.severity is Severity.ERROR for f in result.findings) else EXIT_OK


def _report(result: RunResult, report_format: str, args: argparse.Namespace, out: _StandardOutput) -> Iterable[str]:
    """The report in pieces that, written one after another, make the whole report."""
    from mdlint.reporters import REPORTERS
    from mdlint.reporters.options import ReportOptions

    target = args.output_file
    options = ReportOptions(
        # auto never colours a file (FORCE_COLOR is for CI logs); --color always does, as asked.
        color=report_format == "text"
        and (args.color == "always" if target is not None else _use_color(args.color, out)),
        quiet=args.quiet,
        unsafe_fixes=args.unsafe_fixes,
        statistics=args.statistics,
    )
    if report_format == "text":
        # Written as it is made: a run with many findings never holds the whole text report.
        from mdlint.reporters.text_report import render_pieces

        return render_pieces(result, options)
    return [REPORTERS[report_format](result, options)]


def _would_fix(result: RunResult, unsafe_fixes: bool) -> str:
    """`--diff`'s summary, for standard error: what `--fix` would do, and what it would leave."""
    would = sum(result.diff_files.values())
    files = len(result.diff_files)
    line = f"Would fix {would} finding{'s' if would != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    hidden = sum(1 for finding in result.findings if finding.fixable and not finding.fixable_with(unsafe_fixes))
    if hidden:
        line += f"; {hidden} more with --unsafe-fixes"
    return line + ".\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    output = _StandardOutput()
    try:
        code = _main(argv, output)
        output.flush()
    except _OutputError as error:
        _silence_standard_output()
        _stderr_line(f"mdlint: error: cannot write to standard output: {error}")
        return EXIT_ERROR
    except Exception as error:
        # A bug outside any one file (a file's own gets its own line from the runner): one line
        # and exit 2, never 1, which CI reads as "findings".
        from mdlint.rule_engine.engine import describe_exception

        _stderr_line(f"mdlint: error: internal error: {describe_exception(error)}")
        return EXIT_ERROR
    return code


def _main(argv: Sequence[str] | None, out: _StandardOutput) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    # Editors (mdlint.server): `mdlint server` speaks LSP on stdio; `--watch` repeats this same run
    # whenever a file changes. A folder named `server` is linted as `./server` or `-- server`.
    if arguments[:1] == ["server"]:
        from mdlint.server.command import server_main

        return server_main(arguments[1:])
    if "--watch" in arguments:
        from mdlint.server.watch import watch

        watched = build_parser().parse_args(arguments).paths  # usage errors now, not on the first change
        once = [argument for argument in arguments if argument != "--watch"]
        return watch(watched, lambda: main(once))
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_rules:
        if args.format not in (None, "text", "json"):
            parser.error(f"--list-rules prints text or json, not {args.format}")
        out.write(_list_rules_json() if args.format == "json" else _list_rules())
        return EXIT_OK
    if args.explain:
        text, code = _explain(args.explain)
        (out if code == EXIT_OK else sys.stderr).write(text)
        return code
    if args.show_site:
        from mdlint.run.show_site import site_report

        out.write(site_report(list(args.paths), as_json=args.format == "json"))
        return EXIT_OK
    from mdlint.run.config import ConfigError, RuleSelection

    selection = RuleSelection(select=tuple(args.select) if args.select else None, ignore=tuple(args.ignore))
    if args.show_files or args.show_settings is not None:
        return _show_run(args, selection, out)
    if args.clear_cache:
        from mdlint.run.link_cache import clear_cache
        from mdlint.run.result_cache import clear_results

        removed = clear_cache(args.cache_dir)
        results = clear_results(args.cache_dir)
        out.write(f"mdlint: link cache cleared ({removed} entries); result cache cleared ({results} entries)\n")
        return EXIT_OK
    if "-" in args.paths and args.fix and args.diff:
        parser.error("--fix and --diff cannot be combined")
    if args.write_baseline and args.baseline is None:
        parser.error("--write-baseline needs --baseline FILE")
    baseline: Baseline | None = None
    if args.baseline is not None and not args.write_baseline:
        from mdlint.run.baseline import BaselineError, load_baseline

        try:
            baseline = load_baseline(args.baseline)
        except BaselineError as error:
            _stderr_line(f"mdlint: error: baseline {error}")
            return EXIT_ERROR
    from mdlint.run.garbage_collection import tune_for_batch_run
    from mdlint.run.parallel import default_jobs
    from mdlint.run.runner import RunOptions, run
    from mdlint.site.workspace import RunSettings

    settings = RunSettings(
        offline=args.offline,
        strict=args.strict,
        cache_dir=args.cache_dir,
        max_file_bytes=args.max_file_size,
        file_time_limit=args.file_time_limit,
        max_memory=args.max_memory,
        show_progress=sys.stderr.isatty(),
    )
    options = RunOptions(
        paths=tuple(args.paths),
        config_path=args.config,
        selection=selection,
        fix=args.fix,
        unsafe_fixes=args.unsafe_fixes,
        diff=args.diff,
        stdin_filename=args.stdin_filename,
        settings=settings,
        jobs=args.jobs if args.jobs is not None else default_jobs(),
        cache=not args.no_cache,
    )
    tune_for_batch_run()
    try:
        result = run(options)
    except ConfigError as error:
        _stderr_line(f"mdlint: error: {error}")
        return EXIT_ERROR
    for file_error in result.errors:
        _stderr_line(f"{file_error.path}: error: {file_error.message}")
    for notice in result.notices:
        _stderr_line(f"mdlint: {notice}")
    if args.baseline is not None:
        from mdlint.run.baseline import BaselineError, source_reader, write_baseline

        source = source_reader({path: document.text for path, document in result.documents.items()})
        if args.write_baseline:
            try:
                written = write_baseline(args.baseline, result.findings, source)
            except BaselineError as error:
                _stderr_line(f"mdlint: error: baseline {error}")
                return EXIT_ERROR
            _stderr_line(f"mdlint: recorded {written.counts.total()} findings in {args.baseline}")
            return EXIT_ERROR if result.errors else EXIT_OK
        assert baseline is not None
        result.findings = baseline.new_findings(result.findings, source)
    if result.stdin_output is not None:
        out.write(result.stdin_output)
        return exit_code(result, args.exit_zero)
    report_format = args.format or _default_format(args)
    target = args.output_file
    if args.diff and report_format == "text":
        # A diff is meant for `patch` or a reviewer: nothing else on standard output.
        report: Iterable[str] = ["".join(diff if diff.endswith("\n") else diff + "\n" for diff in result.diffs)]
        _stderr_line(_would_fix(result, args.unsafe_fixes).rstrip("\n"))
    else:
        report = _report(result, report_format, args, out)
    if target is not None:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # newline="" keeps the bytes the same on every platform: CI tools parse this file.
            with target.open("w", encoding="utf-8", newline="") as stream:
                for piece in report:
                    stream.write(piece)
        except OSError as error:
            _stderr_line(f"mdlint: error: cannot write {target}: {error.strerror or error}")
            return EXIT_ERROR
    else:
        for piece in report:
            out.write(piece)
    return exit_code(result, args.exit_zero)
