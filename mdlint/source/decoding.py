"""Turning a file's bytes into text: UTF-8 with or without a BOM, UTF-16/UTF-32 with one."""

from __future__ import annotations

import codecs
from pathlib import Path

__all__ = ["DEFAULT_MAX_FILE_BYTES", "UnreadableFileError", "decode", "read_text"]

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


def read_text(path: Path, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> tuple[str, str, bool]:
    """Read and decode one file as `decode` does; raise `UnreadableFileError` with a one-line reason."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnreadableFileError(
                f"file is {size / 1048576:.1f} MiB, over the {max_bytes / 1048576:g} MiB limit (option max-file-size)"
            )
        data = path.read_bytes()
    except UnreadableFileError:
        raise
    except IsADirectoryError:
        raise UnreadableFileError("is a directory") from None
    except OSError as error:
        raise UnreadableFileError(error.strerror or str(error)) from None
    if len(data) > max_bytes:
        raise UnreadableFileError(f"file is over the {max_bytes / 1048576:g} MiB limit (option max-file-size)")
    return decode(data)
