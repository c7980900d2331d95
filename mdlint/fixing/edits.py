"""Applying fixes: edits on the original text, non-overlapping, and atomic writes that keep encoding."""

from __future__ import annotations

import contextlib
import difflib
import glob
import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mdlint.findings import Edit, Finding, splice
from mdlint.markdown.document import Document

__all__ = [
    "BACKUP_SUFFIX",
    "TEMPORARY_SUFFIX",
    "AppliedEdits",
    "FileChangedError",
    "NotWrittenError",
    "ReadOnlyError",
    "apply_edits",
    "encode",
    "file_to_write",
    "fixable_edits",
    "remove_stale_temporaries",
    "unified_diff",
    "write_atomically",
]


class NotWrittenError(Exception):
    """A fixed file was not written and the original was left alone; the message says why."""


class FileChangedError(NotWrittenError):
    """The file changed on disk between reading and writing; it was left alone."""


@dataclass(frozen=True)
class AppliedEdits:
    """The new text and how many findings' fixes went in."""

    text: str
    applied: int
    deferred: int
    # The fixes that went in, each with its edits, in source order.
    taken: tuple[tuple[Finding, tuple[Edit, ...]], ...] = ()
    # The new text, parsed already, when whoever applied the edits had to parse it anyway.
    document: Document | None = None


def fixable_edits(findings: Iterable[Finding], unsafe: bool) -> list[tuple[Finding, tuple[Edit, ...]]]:
    """Each finding whose fix applies under the current flags, with its edits."""
    return [(f, f.fix.edits) for f in findings if f.fix is not None and f.fixable_with(unsafe)]


def apply_edits(
    document: Document,
    fixes: Sequence[tuple[Finding, tuple[Edit, ...]]],
    code_ranges: Sequence[tuple[int, int]] | None = None,
) -> AppliedEdits:
    """Apply whole fixes in source order; a fix that overlaps one already taken waits for the next pass.

    A fix is never applied in part, and no edit may touch code spans or code blocks
    (`code_ranges`: the document's, when known without parsing it).
    """
    text = document.text
    code = document.code_ranges if code_ranges is None and fixes else code_ranges or ()
    taken: list[Edit] = []
    taken_fixes: list[tuple[Finding, tuple[Edit, ...]]] = []
    applied = deferred = 0
    seen: set[tuple[Edit, ...]] = set()
    for finding, edits in sorted(fixes, key=lambda item: (min(item[1]).start, item[0].sort_key)):
        if edits in seen:
            # Several findings may share one fix (e.g. a document-wide icon fix).
            continue
        if any(_touches_code(code, edit) for edit in edits) or any(
            _overlaps(edit, other) for edit in edits for other in taken
        ):
            deferred += 1
            continue
        seen.add(edits)
        taken.extend(edits)
        taken_fixes.append((finding, edits))
        applied += 1
    return AppliedEdits(splice(text, taken), applied, deferred, tuple(taken_fixes))


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end == b.start == b.end:
        return True  # two insertions at one place: order would be arbitrary
    return a.start < b.end and b.start < a.end


def _touches_code(code_ranges: Sequence[tuple[int, int]], edit: Edit) -> bool:
    for start, end in code_ranges:
        if start >= edit.end:
            break
        if edit.start < end and start < max(edit.end, edit.start + 1):
            return True
    return False


def encode(text: str, encoding: str, bom: bool) -> bytes:
    """Encode text as the file was: same codec, BOM kept."""
    data = text.encode(encoding)
    if bom:
        data = "\ufeff".encode(encoding) + data
    return data


TEMPORARY_SUFFIX = ".mdlint-tmp"
"""Temporary files are named `.NAME.PID.RANDOM.mdlint-tmp` beside the file they replace."""


class ReadOnlyError(NotWrittenError):
    """The file or its folder is read-only; it was left alone."""


BACKUP_SUFFIX = ".mdlint-backup"
"""A file written in place (hard-linked) is first copied to `.NAME.PID.RANDOM.mdlint-backup`."""


def file_to_write(path: Path, tree: Path) -> Path:
    """The file a fix of `path` writes: `path`, or the file its symbolic link points to.

    A link is followed only to a file inside `tree` (the folder being linted); writing through a
    link that leaves it could rewrite any file the user may write.
    """
    if not path.is_symlink():
        return path
    try:
        target = path.resolve(strict=True)
        inside = target.is_relative_to(tree.resolve())
    except (OSError, RuntimeError):
        raise NotWrittenError("symbolic link that cannot be followed; not written") from None
    if not inside:
        raise NotWrittenError(f"symbolic link to {target}, outside the linted tree; not written")
    return target


def write_atomically(path: Path, data: bytes, expected: bytes) -> None:
    """Replace `path` with `data`, only if it still holds `expected`; keep its mode, owner and links.

    The new content goes to a temporary file in the same folder, is flushed to disk, then renamed
    over the original, so a crash leaves either the old or the new file, never a mix. A process
    killed between the two steps leaves its temporary file behind: the name ends in
    `.mdlint-tmp` (never linted) and the next write to the same file removes it once the
    process that made it is gone. The comparison narrows, but cannot close, the window in which
    another program's write could be lost: POSIX has no compare-and-rename.

    A rename makes a new file: it would split a hard link, and only root can give the new file
    the old one's owner. A file with several hard links, or whose owner or group this process
    cannot give, is therefore written in place instead, after a flushed backup copy
    (`.NAME.PID.RANDOM.mdlint-backup`) that is removed once the new content is on disk. A crash
    in between leaves the backup; the file is then not written again until someone removes it.
    """
    try:
        if path.read_bytes() != expected:
            raise FileChangedError("changed on disk while mdlint was fixing it; not written")
        status = path.stat()
        mode = stat.S_IMODE(status.st_mode)
        folder_mode = stat.S_IMODE(path.parent.stat().st_mode)
    except OSError as error:
        raise NotWrittenError(f"cannot re-read before writing: {error.strerror}; not written") from None
    # The mode bits count even for a user (root) whom the system would let write anyway: a file
    # someone made read-only is not to be rewritten by a linter.
    if not os.access(path, os.W_OK) or not mode & 0o222:
        raise ReadOnlyError("file is read-only; not written")
    if not os.access(path.parent, os.W_OK | os.X_OK) or not folder_mode & 0o222:
        raise ReadOnlyError("folder is read-only, the file cannot be replaced; not written")
    remove_stale_temporaries(path)
    leftover = _backup_left(path)
    if leftover is not None:
        raise NotWrittenError(f"an interrupted fix left its backup {leftover.name}; compare, remove it; not written")
    try:
        if status.st_nlink > 1 or not _replace(path, data, mode, status):
            _write_in_place(path, data, expected)
    except OSError as error:
        raise NotWrittenError(f"cannot write the fixed file: {error.strerror or error}; not written") from None


def _replace(path: Path, data: bytes, mode: int, status: os.stat_result) -> bool:
    """Write `data` to a temporary file and rename it over `path`; False (nothing done) when the
    temporary file cannot get `path`'s owner and group."""
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=TEMPORARY_SUFFIX, dir=path.parent
    )
    try:
        made = os.fstat(handle)
        if (made.st_uid, made.st_gid) != (status.st_uid, status.st_gid):
            try:
                os.fchown(handle, status.st_uid, status.st_gid)
            except PermissionError:
                os.close(handle)
                os.unlink(temporary)
                return False
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(path.parent)
    return True


def _write_in_place(path: Path, data: bytes, original: bytes) -> None:
    """Overwrite `path`'s own inode (its hard links, owner and mode stay), a flushed backup beside it."""
    handle, backup = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=BACKUP_SUFFIX, dir=path.parent)
    with os.fdopen(handle, "wb") as stream:
        stream.write(original)
        stream.flush()
        os.fsync(stream.fileno())
    _sync_folder(path.parent)
    descriptor = os.open(path, os.O_WRONLY)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.ftruncate(descriptor, len(data))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.unlink(backup)
    _sync_folder(path.parent)


def _backup_left(path: Path) -> Path | None:
    """A backup an interrupted in-place write of `path` left (its process gone), if any."""
    try:
        found = sorted(path.parent.glob(f".{glob.escape(path.name)}.*{BACKUP_SUFFIX}"))
    except OSError:
        return None
    for backup in found:
        pid = backup.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            return backup
    return None


def remove_stale_temporaries(path: Path) -> None:
    """Remove temporary files left for `path` by mdlint processes that no longer run."""
    try:
        leftovers = list(path.parent.glob(f".{glob.escape(path.name)}.*{TEMPORARY_SUFFIX}"))
    except OSError:
        return
    for leftover in leftovers:
        pid = leftover.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


def _sync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk too (POSIX only).
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff of a fix, as `--diff` prints it."""
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )
