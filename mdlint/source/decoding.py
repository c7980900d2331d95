"""Turning a file's bytes into text: UTF-8 with or without a BOM, UTF-16/UTF-32 with one."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

__all__ = ["DEFAULT_MAX_FILE_BYTES", "UnreadableFileError", "decode", "read_head", "read_regular_file", "read_text"]

DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class UnreadableFileError(Exception):
    """The file cannot be linted; the message is one line saying why."""


def decode(data: bytes) -> tuple[str, str, bool]:
    """Decode file bytes; return (text without BOM, encoding name, whether a BOM was there).

    UTF-8 is read with or without a BOM, UTF-16 and UTF-32 only with one: without a BOM they
    cannot be told from binary data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise UnreadableFileError(f"not valid {encoding.upper()} at byte {error.start + len(bom)}") from None
            _refuse_binary(text)
            return text, encoding, True
    nul = data.find(b"\x00")
    if nul != -1:
        raise UnreadableFileError(f"binary file (NUL byte at byte {nul})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UnreadableFileError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at line {line}); "
            "save the file as UTF-8, or as UTF-16/UTF-32 with a BOM"
        ) from None
    return text, "utf-8", False


def _refuse_binary(text: str) -> None:
    nul = text.find("\x00")
    if nul != -1:
        raise UnreadableFileError(f"binary file (NUL character at offset {nul})")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def _too_large(size: float, max_bytes: int) -> UnreadableFileError:
    return UnreadableFileError(
        f"file is {size / 1048576:.1f} MiB, over the {max_bytes / 1048576:g} MiB limit (option max-file-size)"
    )


def read_regular_file(path: Path, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES, head: bool = False) -> bytes:
    """The bytes of the regular file at `path`; raise `UnreadableFileError` with a one-line reason.

    Anyone can commit a named pipe or a symlink loop under a Markdown name, and `/dev/zero` has
    size 0: opening without blocking, refusing what is not a regular file, and reading at most
    `max_bytes + 1` bytes keep one such path from stalling or exhausting the run. With `head`, a
    larger file gives its first `max_bytes` bytes instead of an error.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except IsADirectoryError:
        raise UnreadableFileError("is a directory") from None
    except OSError as error:
        raise UnreadableFileError(error.strerror or str(error)) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise UnreadableFileError(_kind(status.st_mode))
        if status.st_size > max_bytes and not head:
            raise _too_large(status.st_size, max_bytes)
        chunks: list[bytes] = []
        total = 0
        # The size may change while reading: stop one byte past the limit, whatever stat said.
        while total <= max_bytes:
            chunk = os.read(descriptor, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as error:
        raise UnreadableFileError(error.strerror or str(error)) from None
    finally:
        os.close(descriptor)
    if total > max_bytes:
        if head:
            return b"".join(chunks)[:max_bytes]
        raise UnreadableFileError(f"file is over the {max_bytes / 1048576:g} MiB limit (option max-file-size)")
    return b"".join(chunks)


def read_head(path: Path, characters: int = 65536) -> str | None:
    """The first `characters` characters of the file at `path` (where its front matter is), or
    None when it cannot be read; bytes that are not UTF-8 read as U+FFFD.

    For readers that need only the front matter of many files (a site's URL map).
    """
    try:
        data = read_regular_file(path, max_bytes=4 * characters, head=True)
    except UnreadableFileError:
        return None
    return data.decode("utf-8-sig", errors="replace")[:characters]


def read_text(path: Path, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> tuple[str, str, bool]:
    """Read and decode one file as `decode` does; raise `UnreadableFileError` with a one-line reason."""
    return decode(read_regular_file(path, max_bytes=max_bytes))
