"""One run of mdlint: find files and configs, lint, run cross-file checks, apply fixes.

Nothing here prints or exits; the CLI turns a `RunResult` into output and an exit code.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from mdlint.findings import Finding
from mdlint.fixing.edits import (
    NotWrittenError,
    encode,
    file_to_write,
    fixable_edits,
    remove_stale_temporaries,
    unified_diff,
    write_atomically,
)
from mdlint.fixing.safety import FixBasis, FixGuard, fix_basis
from mdlint.markdown.dialect import Dialect
from mdlint.markdown.document import Document, read_document
from mdlint.rule_engine.engine import (
    DocumentResult,
    LintedFile,
    RuleFailedError,
    check_document,
    check_run,
    describe_exception,
    lint_document,
    sort_findings,
)
from mdlint.rule_engine.rule import ConfiguredRule, Rule
from mdlint.run.config import (
    ConfigError,
    ConfigFile,
    ConfigTrust,
    RuleSelection,
    find_config,
    load_config,
    validate_selection,
)
from mdlint.run.files import InputFile, collect_files, given_path_problem
from mdlint.run.memory_limit import MEMORY_LIMIT_MESSAGE, memory_limit
from mdlint.run.parallel import PARALLEL_MIN_FILES, PoolUnavailableError, WorkerPool
from mdlint.run.remote_links import RemoteLinks, remote_links_for
from mdlint.run.time_limit import TimeLimitExceeded, time_limit
from mdlint.site.workspace import RunSettings, Workspace
from mdlint.source.decoding import UnreadableFileError, decode

if TYPE_CHECKING:
    from mdlint.links.results import RemoteLinkChecker
    from mdlint.run.result_cache import KnownFile, ResultCache

__all__ = ["FileError", "RunOptions", "RunResult", "files_to_lint", "lint_file", "run"]

# What a worker task takes and gives back.
_Item = TypeVar("_Item")
_Result = TypeVar("_Result")

# Passes of fixes per file, the retries of rolled-back fixes included (see `_fix`).
MAX_FIX_PASSES = 16
# Runs over less text than this do not use the result cache (see `_open_cache`).
CACHE_MIN_CHARACTERS = 32_768


@dataclass(frozen=True)
class RunOptions:
    """What the command line asked for."""

    paths: tuple[str, ...] = (".",)
    config_path: Path | None = None
    selection: RuleSelection = field(default_factory=RuleSelection)
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    stdin_filename: str | None = None
    settings: RunSettings = field(default_factory=RunSettings)
    # Worker processes for the per-document pass; 1 is serial (see `mdlint.run.parallel`).
    jobs: int = 1
    # Reuse and store per-document results in the result cache (see `mdlint.run.result_cache`).
    cache: bool = False
    # Keep each document's parsed tree after its lint, for a caller that goes on to check fixes
    # against it (the language server); a run of many files drops them, as they are large.
    keep_trees: bool = False


@dataclass(frozen=True)
class FileError:
    """A file that could not be linted, and the one-line reason."""

    path: str
    message: str
    # "unreadable" (not linted: unreadable, too slow, or an internal error), "not-written" (a fix
    # could not be saved), "rolled-back" (a fix whose effect went beyond its rule's scope was
    # undone; the file was still linted) or "internal" (a run-level check failed; path "mdlint").
    kind: str = "unreadable"


@dataclass
class RunResult:
    """Everything a run found and did."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files: int = 0
    fixes_applied: int = 0
    files_fixed: int = 0
    diffs: list[str] = field(default_factory=list)
    # Fixable findings resolved per reported path: by the fixes `--fix` wrote (or sent to standard
    # output for `-`), and, for `--diff`, by the fixes it would write.
    fixed_files: dict[str, int] = field(default_factory=dict)
    diff_files: dict[str, int] = field(default_factory=dict)
    # The linted documents by reported path, in lint order: reporters that list every file
    # (JUnit) or turn fix offsets into lines and columns (SARIF) need them after the run.
    documents: dict[str, Document] = field(default_factory=dict, repr=False)
    # With `-` and `--fix`, the fixed text goes to standard output.
    stdin_output: str | None = None
    # Things the run says once on standard error, such as "network unreachable: …".
    notices: list[str] = field(default_factory=list)


class ConfigResolver:
    """The configuration for each file: `--config`, or the nearest config file (read once each).

    Without `--config`, the config of the working directory is the run's root config: only it
    (and what it extends) may widen network reach (see `ConfigTrust`).
    """

    def __init__(self, explicit: Path | None) -> None:
        self._explicit = load_config(explicit) if explicit is not None else None
        self._trust: ConfigTrust | None = None
        self._by_path: dict[Path | None, ConfigFile] = {}
        self._by_folder: dict[Path, ConfigFile] = {}
        self._by_given_folder: dict[Path, ConfigFile] = {}

    def for_path(self, path: Path) -> ConfigFile:
        if self._explicit is not None:
            return self._explicit
        given = path if path.is_dir() else path.parent
        # Keyed by the folder as given too: resolving every file's folder is most of a warm run's cost.
        known = self._by_given_folder.get(given)
        if known is not None:
            return known
        folder = given.resolve()
        if folder not in self._by_folder:
            found = find_config(folder)
            if found not in self._by_path:
                if found is not None and self._trust is None:
                    self._trust = ConfigTrust.of(find_config(Path.cwd()))
                self._by_path[found] = load_config(found, self._trust) if found is not None else ConfigFile(None)
            self._by_folder[folder] = self._by_path[found]
        self._by_given_folder[given] = self._by_folder[folder]
        return self._by_folder[folder]

    def excluded(self, path: Path) -> bool:
        return self.for_path(path).excludes(path)


class _GivenConfig(ConfigResolver):
    """Every path gets one configuration given by the caller, not read from disk."""

    def __init__(self, config: ConfigFile) -> None:
        super().__init__(None)
        self._config = config

    def for_path(self, path: Path) -> ConfigFile:
        return self._config


def files_to_lint(options: RunOptions) -> tuple[list[InputFile], list[FileError]]:
    """The files `run(options)` would read from disk, in its order, and the paths that do not exist.

    Raises `ConfigError` for a bad configuration, as `run` does.
    """
    resolver = ConfigResolver(options.config_path)
    files: list[InputFile] = []
    errors: list[FileError] = []
    for given in options.paths:
        if given == "-":
            continue
        problem = given_path_problem(Path(given))
        if problem is not None:
            errors.append(FileError(Path(given).as_posix(), problem))
        else:
            files.extend(collect_files([given], resolver.excluded))
    return files, errors


def run(
    options: RunOptions,
    read_stdin: Callable[[], bytes] | None = None,
    *,
    config: ConfigFile | None = None,
    workspace: Workspace | None = None,
    remote_links: RemoteLinkChecker | None = None,
) -> RunResult:
    """Lint (and fix) what `options` names. Raises `ConfigError` for a bad configuration.

    `config`, when given, is the configuration of every file (as `--config` would be, but built
    in memory: `mdlint.testing` lints a string with a rule's options this way).

    `workspace` and `remote_links` are for callers that outlive one run (the language server):
    a workspace that keeps what it learnt about folders and sites between runs, and a remote
    checker used instead of the network one the settings would make (never when offline).
    """
    validate_selection(options.selection)
    resolver: ConfigResolver = ConfigResolver(options.config_path) if config is None else _GivenConfig(config)
    settings = options.settings
    if workspace is None:
        workspace = Workspace(settings)
    result = RunResult()
    linted: list[LintedFile] = []
    originals: dict[str, bytes] = {}
    inputs: dict[str, InputFile] = {}

    planned: list[InputFile | None] = []  # None stands for standard input
    # The tree each file was found in: the folder walked, or the working folder for a file named
    # on the command line. `--fix` follows a symbolic link only to a file inside it.
    trees: dict[str, Path] = {}
    for given in options.paths:
        if given == "-":
            planned.append(None)
        elif (problem := given_path_problem(Path(given))) is not None:
            result.errors.append(FileError(Path(given).as_posix(), problem))
        else:
            found = list(collect_files([given], resolver.excluded))
            tree = Path(given) if Path(given).is_dir() else Path.cwd()
            trees.update((item.display, tree) for item in found if item.display not in trees)
            planned.extend(found)

    # Workers start when there are enough files to lint, not before: a warm run whose results
    # all come from the cache forks none. A run that writes nothing holds no text by then (see
    # `release`), so the workers do not carry copies of the documents.
    workers = _Workers(options)
    characters = 0  # in files read from disk
    cache: ResultCache | None = None
    # Files whose status matches what their last reading found (see `mdlint.run.result_cache`)
    # are not read now; the others are, and what their reading found is remembered afterwards.
    warm = _WarmStart(options, planned, workspace)
    try:
        cache = warm.open_cache()
        for item in planned:
            if item is None:
                display = options.stdin_filename or "-"
                stand_in = Path(options.stdin_filename or "stdin.md")
                limit = _max_bytes(resolver, stand_in, settings)
                data = read_stdin() if read_stdin is not None else _read_standard_input(limit)
                try:
                    if len(data) > limit:
                        raise UnreadableFileError(
                            f"standard input is over the {limit / 1048576:g} MiB limit (option max-file-size)"
                        )
                    text, encoding, bom = decode(data)
                except UnreadableFileError as error:
                    result.errors.append(FileError(display, str(error)))
                    continue
                document = Document(display, text, encoding=encoding, bom=bom)
                originals[display] = data
                linted.append(_prepare(document, stand_in, resolver, options, workspace))
                continue
            inputs[item.display] = item
            limit = _max_bytes(resolver, item.path, settings)
            unread = warm.unread(item, limit)
            try:
                document = unread if unread is not None else read_document(item.path, item.display, max_bytes=limit)
            except UnreadableFileError as error:
                result.errors.append(FileError(item.display, str(error)))
                continue
            workspace.paths.append(item.path)
            workspace.add_document(item.path, document)
            try:
                linted.append(_prepare(document, item.path, resolver, options, workspace, warm.dialect(item)))
            except ConfigError:
                raise
            except Exception as error:  # finding the file's site or dialect: a bug, for this file alone
                result.errors.append(FileError(item.display, f"internal error: {describe_exception(error)}"))
                continue
            linted[-1].source = item.path
            characters += warm.size(item) if warm.dialect(item) is not None else len(document.text)
            if not (options.fix or options.diff):
                # A run that writes nothing reads the file again if it needs the text: most
                # come from workers or the result cache and are never read again.
                document.release(item.path)
            elif options.jobs > 1:
                # Workers read the file themselves; here the text waits, compressed, in case a
                # worker read other bytes or a run-level check reports in this document.
                _ = document.digest
                document.pack()

        if cache is None:
            cache = _open_cache(options, characters)
        remote = remote_links if remote_links is not None and not settings.offline else remote_links_for(settings)
        first = _check_all(linted, workspace, result, options, cache, workers, remote)
        if cache is not None:
            warm.remember(cache, linted)
        if options.fix or options.diff:
            linted, known = _fix(linted, first, options, workspace, result, inputs, originals, trees, workers)
            _check_all(linted, workspace, result, options, cache, workers, remote, known)
        if isinstance(remote, RemoteLinks):
            result.notices.extend(remote.notices)
    finally:
        if cache is not None:
            cache.close()
        workers.close()
    result.files = len(linted)
    result.documents = {item.document.path: item.document for item in linted}
    result.findings = sort_findings([finding for item in linted for finding in item.findings])
    # A run-level check that fails does so again after fixes: one line is enough.
    result.errors = sorted(dict.fromkeys(result.errors), key=lambda error: error.path)
    return result


def _read_standard_input(limit: int) -> bytes:
    """Standard input, but no more than `limit + 1` bytes: `mdlint - < /dev/zero` ends."""
    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None:
        return b""
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = stream.read(min(1 << 20, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _max_bytes(resolver: ConfigResolver, path: Path, settings: RunSettings) -> int:
    configured = resolver.for_path(path).model.max_file_size
    return min(configured, settings.max_file_bytes) if settings.max_file_bytes else configured


def _prepare(
    document: Document,
    path: Path,
    resolver: ConfigResolver,
    options: RunOptions,
    workspace: Workspace,
    dialect: Dialect | None = None,
) -> LintedFile:
    """The document with its rules and limits; `dialect`, when known from an earlier reading, saves
    reading the text for it."""
    rules = resolver.for_path(path).rules_for(path, options.selection)
    if dialect is None:
        workspace.prepare(document, path)
    else:
        document.dialect = dialect
    return LintedFile(
        document,
        rules,
        time_limit=_time_limit(resolver, path, options.settings),
        memory_limit=_memory_limit(resolver, path, options.settings),
    )


def _time_limit(resolver: ConfigResolver, path: Path, settings: RunSettings) -> float:
    # The command line's --file-time-limit wins over the config's file-time-limit.
    configured = resolver.for_path(path).model.file_time_limit
    return configured if settings.file_time_limit is None else settings.file_time_limit


def _memory_limit(resolver: ConfigResolver, path: Path, settings: RunSettings) -> int:
    # The command line's --max-memory wins over the config's max-memory.
    configured = resolver.for_path(path).model.max_memory
    return configured if settings.max_memory is None else settings.max_memory


def lint_file(
    document: Document,
    rules: list[ConfiguredRule],
    workspace: Workspace,
    limit: float | None,
    memory: int | None = None,
    keep_tree: bool = False,
    fixing: bool | None = None,
) -> DocumentResult:
    """Parse and check one document within its time and memory limits: the one place a single
    document is linted, serially or in a worker.

    `fixing` is None when the run makes no fixes, else whether unsafe fixes count: a document
    with fixes to make keeps what checking them needs of its parse (`DocumentResult.fix_basis`).
    """
    try:
        with memory_limit(memory), time_limit(limit):
            outcome = lint_document(document, rules, workspace)
            if fixing is not None and any(finding.fixable_with(fixing) for finding in outcome.findings):
                outcome.fix_basis = fix_basis(document)
            return outcome
    except MemoryError:
        return DocumentResult(error=MEMORY_LIMIT_MESSAGE)
    except RecursionError:
        return DocumentResult(error="nesting too deep to parse")
    except TimeLimitExceeded as error:
        return DocumentResult(error=str(error))
    except RuleFailedError as error:
        return DocumentResult(error=str(error))
    except Exception as error:  # parsing, not a rule: a bug, reported for this file alone
        return DocumentResult(error=f"internal error: {describe_exception(error)}")
    finally:
        # The run keeps the text for run-level checks and fixes, not the much larger tree.
        if not keep_tree:
            document.forget_parse()


class _WorkerLinter:
    """A worker process's view of the run: configs and a workspace of its own."""

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self.resolver = ConfigResolver(options.config_path)
        self.workspace = Workspace(options.settings)


def _lint_in_worker(state: _WorkerLinter, item: tuple[str, Path]) -> tuple[str, DocumentResult]:
    """Read, parse and check one file in a worker; the digest shows which text was linted."""
    display, path = item
    try:
        document = read_document(path, display, max_bytes=_max_bytes(state.resolver, path, state.options.settings))
        rules = state.resolver.for_path(path).rules_for(path, state.options.selection)
        state.workspace.prepare(document, path)
    except UnreadableFileError as error:
        return "", DocumentResult(error=str(error))
    except Exception as error:  # the parent lints this file again and reports what it finds
        return "", DocumentResult(error=f"internal error: {describe_exception(error)}")
    settings = state.options.settings
    limit = _time_limit(state.resolver, path, settings)
    memory = _memory_limit(state.resolver, path, settings)
    return document.digest, lint_file(document, rules, state.workspace, limit, memory, fixing=_fixing(state.options))


def _fixing(options: RunOptions) -> bool | None:
    """`lint_file`'s `fixing`: None when the run makes no fixes."""
    return options.unsafe_fixes if options.fix or options.diff else None


class _WarmStart:
    """The files of a run that reads and writes nothing else: their status, taken before any is
    read, and what the result cache knows of those whose status has not changed."""

    def __init__(self, options: RunOptions, planned: list[InputFile | None], workspace: Workspace) -> None:
        self._options = options
        self._workspace = workspace
        self._files: dict[str, tuple[InputFile, os.stat_result]] = {}
        self._known: dict[str, KnownFile] = {}
        self._taken_ns = time.time_ns()
        if options.cache and not (options.fix or options.diff):
            for item in planned:
                if item is not None:
                    with suppress(OSError):  # reading it says why, in its own words
                        status = os.stat(item.path)
                        self._files[item.display] = (item, status)

    def open_cache(self) -> ResultCache | None:
        """The result cache, when the files' sizes make it worth opening before reading them."""
        if sum(status.st_size for _item, status in self._files.values()) < CACHE_MIN_CHARACTERS:
            return None
        cache = _open_cache(self._options, CACHE_MIN_CHARACTERS)
        if cache is not None:
            from mdlint.run.result_cache import file_state

            states = {
                str(item.path.absolute()): file_state(status, self._workspace.site_signature(item.path))
                for item, status in self._files.values()
            }
            found = cache.known_files(states)
            self._known = {
                display: found[key]
                for display, (item, _status) in self._files.items()
                if (key := str(item.path.absolute())) in found
            }
        return cache

    def unread(self, item: InputFile, limit: int) -> Document | None:
        """The document at `item`, not read, when what its last reading found still holds."""
        known = self._known.get(item.display)
        planned = self._files.get(item.display)
        if known is None or planned is None or planned[1].st_size > limit:
            self._known.pop(item.display, None)
            return None
        return Document.unread(item.display, item.path, digest=known.digest, encoding=known.encoding, bom=known.bom)

    def dialect(self, item: InputFile) -> Dialect | None:
        known = self._known.get(item.display)
        return None if known is None else known.dialect

    def size(self, item: InputFile) -> int:
        return self._files[item.display][1].st_size

    def remember(self, cache: ResultCache, linted: list[LintedFile]) -> None:
        """Record what this run read of the files it took the status of."""
        from mdlint.run.result_cache import KnownFile

        files = {}
        for item in linted:
            display, source, document = item.document.path, item.source, item.document
            planned = self._files.get(display)
            if source is None or planned is None or display in self._known:
                continue
            status = planned[1]
            site = self._workspace.site_signature(source)
            known = KnownFile(document.digest, document.encoding, document.bom, document.dialect)
            files[str(source.absolute())] = (status, self._taken_ns, site, known)
        if files:
            cache.remember_files(files)


def _open_cache(options: RunOptions, characters: int) -> ResultCache | None:
    # Opening the cache costs about what linting this much text does; small runs go without.
    if not options.cache or characters < CACHE_MIN_CHARACTERS:
        return None
    from mdlint.run.result_cache import ResultCache

    return ResultCache.open(options.settings.cache_dir)


class _Workers:
    """The run's worker processes, started the first time enough files wait to be linted."""

    def __init__(self, options: RunOptions) -> None:
        self._options = options
        self._pool: WorkerPool[_WorkerLinter] | None = None
        self._unavailable = False

    def for_files(self, files: int) -> WorkerPool[_WorkerLinter] | None:
        """The pool, when `files` files are worth sending to workers and workers can start."""
        if self._options.jobs <= 1 or files < PARALLEL_MIN_FILES or self._unavailable:
            return None
        if self._pool is None:
            try:
                self._pool = WorkerPool(partial(_WorkerLinter, self._options), self._options.jobs)
            except PoolUnavailableError:
                self._unavailable = True
        return self._pool

    def run(
        self,
        linted: list[LintedFile],
        pending: list[int],
        task: Callable[[_WorkerLinter, _Item], _Result],
        work_item: Callable[[int, Path], _Item],
    ) -> dict[int, _Result]:
        """`task` on the work item of each file of `pending` read from disk, in the workers (by
        index); nothing when there are too few files or the workers are unavailable: the caller
        does in this process what is missing."""
        on_disk = [(index, source) for index in pending if (source := linted[index].source) is not None]
        pool = self.for_files(len(on_disk))
        if pool is None:
            return {}
        try:
            found = pool.map(task, [work_item(index, source) for index, source in on_disk])
        except PoolUnavailableError:
            return {}
        return {index: outcome for (index, _source), outcome in zip(on_disk, found, strict=False)}

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()


def _lint_pending(
    linted: list[LintedFile],
    pending: list[int],
    workspace: Workspace,
    workers: _Workers,
    keep_trees: bool = False,
    fixing: bool | None = None,
    release: bool = False,
) -> dict[int, DocumentResult]:
    """Per-document results for `linted[i]`, i in `pending`: in worker processes when there are many.

    `release`: drop each text read from disk as soon as its document is linted (a run that writes
    nothing reads it again if it needs it).
    """
    linted_there = workers.run(
        linted, pending, _lint_in_worker, lambda index, source: (linted[index].document.path, source)
    )
    # A worker that read other text (the file changed meanwhile, or `--fix` holds an edit in
    # memory) does not speak for this document; it is linted here instead.
    results = {
        index: outcome for index, (digest, outcome) in linted_there.items() if digest == linted[index].document.digest
    }
    for index in pending:
        if index not in results:
            item = linted[index]
            results[index] = lint_file(
                item.document, item.rules, workspace, item.time_limit, item.memory_limit, keep_trees, fixing
            )
            if release and item.source is not None:
                # Not at the end of the pass: a serial run held every text it had linted until
                # then (half its peak memory on 500 files).
                item.document.release(item.source)
    return results


def _check_all(
    linted: list[LintedFile],
    workspace: Workspace,
    result: RunResult,
    options: RunOptions,
    cache: ResultCache | None,
    workers: _Workers,
    remote: RemoteLinkChecker | None,
    known: dict[int, DocumentResult] | None = None,
) -> dict[int, DocumentResult]:
    """Lint every file (`known` holds results for some already) and run the run-level checks.

    Returns each kept file's per-document result, by its index in `linted` before the call.
    """
    keys: dict[int, str] = {}
    # The digest each key was made with: a released document read again after a change on disk
    # has another, and its new result must not be stored under the old key.
    keyed_digests: dict[int, str] = {}
    found: dict[int, DocumentResult] = dict(known or {})
    if cache is not None:
        from mdlint.run.result_cache import document_key

        signatures: dict[Path, str] = {}
        for index, item in enumerate(linted):
            if item.source is not None:
                keys[index] = document_key(
                    item.document,
                    item.source,
                    item.rules,
                    options.settings,
                    signatures,
                    site=workspace.site_signature(item.source),
                )
                keyed_digests[index] = item.document.digest
        stored = cache.get(keys.values())
        found.update((index, stored[key]) for index, key in keys.items() if key in stored and index not in found)
    pending = [index for index in range(len(linted)) if index not in found]
    # The first lint of a fixing run keeps what checking the fixes needs of each parse.
    fixing = _fixing(options) if known is None else None
    release = not (options.keep_trees or options.fix or options.diff)
    fresh = _lint_pending(linted, pending, workspace, workers, options.keep_trees, fixing, release)
    if cache is not None:
        # Results fixing knew are stored too: they are what a fresh lint of the fixed text finds.
        fresh.update((index, outcome) for index, outcome in (known or {}).items() if keys.get(index) not in stored)
        cache.put(
            {
                keys[index]: replace(outcome, fix_basis=None)
                for index, outcome in fresh.items()
                if index in keys and outcome.error is None and linted[index].document.digest == keyed_digests[index]
            }
        )
    found.update(fresh)
    kept = []
    results: dict[int, DocumentResult] = {}
    for index, item in enumerate(linted):
        outcome = found[index]
        if outcome.error is not None:
            result.errors.append(FileError(item.document.path, outcome.error))
            continue
        results[index] = outcome
        item.findings = list(outcome.findings)
        item.suppressions = outcome.suppressions
        item.facts = outcome.facts
        if options.keep_trees:
            pass  # the caller (the language server) reuses each document's tree
        elif item.source is not None and not (options.fix or options.diff):
            item.document.release(item.source)
        else:
            item.document.pack()
        kept.append(item)
    linted[:] = kept
    limits = {item.document.path: item.time_limit for item in linted}
    exceeded: dict[tuple[str, str], str] = {}

    @contextmanager
    def limit(rule: Rule, document: Document) -> Iterator[None]:
        # A run-level check gets, for each document, the time that document's own pass had.
        try:
            with time_limit(limits.get(document.path)):
                yield
        except TimeLimitExceeded as error:
            exceeded[(document.path, rule.name)] = f"{rule.name}: {error}"

    for path, message in check_run(linted, workspace, remote, limit):
        result.errors.append(FileError(path, message) if path is not None else FileError("mdlint", message, "internal"))
    for item in linted:
        stopped = {name for path, name in exceeded if path == item.document.path}
        if stopped:
            item.findings = [finding for finding in item.findings if finding.rule not in stopped]
    reported = {(error.path, error.message) for error in result.errors}
    for (path, _name), message in sorted(exceeded.items()):
        if (path, message) not in reported:
            result.errors.append(FileError(path, message))
    return results


@dataclass
class _FixOutcome:
    """What fixing one document came to; picklable, so it can come from a worker."""

    # The fixed text; None when no fix went in, or none may be written.
    text: str | None = None
    applied: int = 0
    # Fixable findings the fixes resolved (see `RunResult.fixed_files`).
    resolved: int = 0
    rolled_back: list[str] = field(default_factory=list)
    # Why the fixes are not written (a rule failed on the fixed text), or None.
    error: str | None = None
    # The per-document pass on the fixed text, as a fresh check would find it; None: not known.
    result: DocumentResult | None = None


def _fix_document(item: LintedFile, unsafe: bool, workspace: Workspace, basis: FixBasis | None = None) -> _FixOutcome:
    """Apply one document's fixes pass by pass up to the fixed point; nothing is written here.

    `basis` is what the lint kept of the document's parse, so that it is not parsed again.
    """
    document = item.document
    findings = item.findings
    fixable_before = sum(1 for f in findings if f.fixable_with(unsafe))
    guard = FixGuard(item.rules, basis)
    applied = 0
    # The text on which rolled-back fixes were last tried: once no fix goes in, those rolled
    # back on an earlier text are tried again on this one, so that a second run has nothing
    # left to do (the fixed point is reached within one run).
    retried = document.text
    for _ in range(MAX_FIX_PASSES):
        fixes = fixable_edits(findings, unsafe)
        if not fixes:
            break
        try:
            # Verifying a fix parses the fixed text again: the same limit as the first parse.
            with memory_limit(item.memory_limit), time_limit(item.time_limit):
                outcome = guard.apply(document, fixes)
                if outcome.applied == 0 or outcome.text == document.text:
                    if document.text != retried and guard.forget_rolled_back():
                        retried = document.text
                        continue
                    break
                dialect = document.dialect
                document = outcome.document or Document(
                    document.path, outcome.text, encoding=document.encoding, bom=document.bom
                )
                document.dialect = dialect
                findings = check_document(document, item.rules, workspace)
        except (RecursionError, TimeLimitExceeded, MemoryError):
            # Fixed text that cannot be checked again is not written; the file keeps its findings.
            return _FixOutcome(rolled_back=guard.rolled_back)
        except Exception as error:
            # A bug while checking the fixed text: nothing is written, and the run says so.
            message = str(error)
            if not isinstance(error, RuleFailedError):
                message = f"internal error: {describe_exception(error)}"
            return _FixOutcome(rolled_back=guard.rolled_back, error=f"{message} (fixes not written)")
        applied += outcome.applied
    if document is item.document:
        return _FixOutcome(rolled_back=guard.rolled_back)
    # Findings, not edits, are what the report counted as fixable: one fix may resolve several
    # findings and one finding's fix may take several passes.
    resolved = max(0, fixable_before - sum(1 for f in findings if f.fixable_with(unsafe)))
    return _FixOutcome(
        document.text, applied, resolved, guard.rolled_back, result=_fixed_result(item, document, findings, workspace)
    )


def _fixed_result(
    item: LintedFile, document: Document, findings: list[Finding], workspace: Workspace
) -> DocumentResult | None:
    """The per-document pass on the fixed text, from the last pass's checks and parse.

    None (the text is linted afresh) when a fresh check would read it otherwise: its site renders
    the new text in another dialect, or what is left of the pass fails.
    """
    try:
        if item.source is not None and workspace.dialect_for(item.source, document.text) != document.dialect:
            return None
        with memory_limit(item.memory_limit), time_limit(item.time_limit):
            return lint_document(document, item.rules, workspace, findings)
    except Exception:
        return None
    finally:
        document.forget_parse()


def _fix_in_worker(
    state: _WorkerLinter, item: tuple[str, Path, str, list[Finding], bool, FixBasis | None]
) -> _FixOutcome | None:
    """Fix one file in a worker; None when the worker read other text than the run linted."""
    display, path, digest, findings, unsafe, basis = item
    try:
        document = read_document(path, display, max_bytes=_max_bytes(state.resolver, path, state.options.settings))
        if document.digest != digest:
            return None
        rules = state.resolver.for_path(path).rules_for(path, state.options.selection)
        state.workspace.prepare(document, path)
    except Exception:  # the parent fixes this file itself and reports what it finds
        return None
    settings = state.options.settings
    linted = LintedFile(
        document,
        rules,
        findings,
        time_limit=_time_limit(state.resolver, path, settings),
        memory_limit=_memory_limit(state.resolver, path, settings),
        source=path,
    )
    return _fix_document(linted, unsafe, state.workspace, basis)


def _fix_all(
    linted: list[LintedFile],
    bases: dict[int, FixBasis],
    pending: list[int],
    unsafe: bool,
    workspace: Workspace,
    workers: _Workers,
) -> dict[int, _FixOutcome]:
    """The fix outcome of `linted[i]`, i in `pending`: in worker processes when there are many."""
    fixed_there = workers.run(
        linted,
        pending,
        _fix_in_worker,
        lambda index, source: (
            linted[index].document.path,
            source,
            linted[index].document.digest,
            linted[index].findings,
            unsafe,
            bases.get(index),
        ),
    )
    outcomes = {index: outcome for index, outcome in fixed_there.items() if outcome is not None}
    for index in pending:
        if index not in outcomes:
            outcomes[index] = _fix_document(linted[index], unsafe, workspace, bases.get(index))
    return outcomes


def _fix(
    linted: list[LintedFile],
    first: dict[int, DocumentResult],
    options: RunOptions,
    workspace: Workspace,
    result: RunResult,
    inputs: dict[str, InputFile],
    originals: dict[str, bytes],
    trees: dict[str, Path],
    workers: _Workers,
) -> tuple[list[LintedFile], dict[int, DocumentResult]]:
    """Fix every file (writing it, or making its diff); the files as they now are, and the
    per-document results already known for them (by index), which need no second lint."""
    fixed: list[LintedFile] = []
    # Results of the first lint, by the `linted` item they belong to (`first` counts dropped files).
    by_item = {id(item): outcome for item, outcome in zip(linted, first.values(), strict=True)}
    known: dict[int, DocumentResult] = {}
    # (device, inode) of each file written: a file reached twice (two hard links) is written once.
    written: set[tuple[int, int]] = set()
    pending = [index for index, item in enumerate(linted) if fixable_edits(item.findings, options.unsafe_fixes)]
    bases = {index: done.fix_basis for index, done in enumerate(first.values()) if done.fix_basis is not None}
    outcomes = _fix_all(linted, bases, pending, options.unsafe_fixes, workspace, workers)
    for index, item in enumerate(linted):
        document = item.document
        if options.fix and document.path in inputs:
            remove_stale_temporaries(inputs[document.path].path)
        outcome = outcomes.get(index, _FixOutcome())
        if outcome.error is not None:
            result.errors.append(FileError(document.path, outcome.error, "not-written"))
        result.errors.extend(FileError(document.path, message, "rolled-back") for message in outcome.rolled_back)
        after = by_item.get(id(item))
        if outcome.text is not None:
            result.fixes_applied += outcome.applied
            document = Document(document.path, outcome.text, encoding=document.encoding, bom=document.bom)
            document.dialect = item.document.dialect
            after = outcome.result
            new_bytes = encode(document.text, document.encoding, document.bom)
            if options.diff:
                result.diffs.append(unified_diff(document.path, item.document.text, document.text))
                result.fixes_applied -= outcome.applied  # shown, not written
                result.diff_files[document.path] = outcome.resolved
            elif document.path in inputs:
                original = encode(item.document.text, item.document.encoding, item.document.bom)
                try:
                    target = file_to_write(inputs[document.path].path, trees.get(document.path, Path.cwd()))
                    identity = _identity(target)
                    if identity not in written:
                        write_atomically(target, new_bytes, original)
                        written.add(identity)
                        result.files_fixed += 1
                        result.fixed_files[document.path] = outcome.resolved
                    else:
                        # The same file, reached again by another link, was written once: its
                        # fixes are counted once.
                        result.fixes_applied -= outcome.applied
                except NotWrittenError as error:
                    result.errors.append(FileError(document.path, str(error), "not-written"))
                    # The summary counts the fixes that reached the file.
                    result.fixes_applied -= outcome.applied
                    document = item.document
                    after = by_item.get(id(item))
            else:
                result.stdin_output = document.text
                result.files_fixed += 1
                result.fixed_files[document.path] = outcome.resolved
            if options.diff:
                document = item.document
                after = by_item.get(id(item))
        elif document.path in originals:
            result.stdin_output = document.text if options.fix and not options.diff else None
        if after is not None:
            known[len(fixed)] = after
        fixed.append(
            LintedFile(
                document, item.rules, time_limit=item.time_limit, memory_limit=item.memory_limit, source=item.source
            )
        )
    return fixed, known


def _identity(path: Path) -> tuple[int, int]:
    try:
        status = path.stat()
    except OSError:
        return (-1, -1)  # the write fails too, and nothing is marked written
    return (status.st_dev, status.st_ino)
