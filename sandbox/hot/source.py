"""Reading game sources: the file as text, and the errors that keep the running code.

The statements a source is cut into are ``sandbox.hot.statement`` and
``sandbox.hot.parsing``; their names are re-exported here, where the engine always found them.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from sandbox.hot.parsing import ParsedSource, parse
from sandbox.hot.statement import Kind, Statement

__all__ = [
    "MAX_SOURCE_BYTES",
    "RACY_NS",
    "EmptySourceError",
    "Kind",
    "ParsedSource",
    "SourceError",
    "SourceFile",
    "Statement",
    "TooLargeSourceError",
    "UndecodableSourceError",
    "UnparsableSourceError",
    "UnreadableSourceError",
    "parse",
    "read",
    "read_fd",
]


class SourceError(Exception):
    """A game file cannot be used (empty, not UTF-8): the running code is kept."""

    hint = "fix and save to retry (F9)"

    def __init__(self, message: str, path: Path, shown: str, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.shown = shown
        self.line = line


class EmptySourceError(SourceError):
    """A game file is empty: the running code is kept (editors truncate, then write)."""

    hint = "the running code is kept; save it again with content"

    def __init__(self, path: Path, shown: str) -> None:
        super().__init__(f"{shown} is empty", path, shown)


class UndecodableSourceError(SourceError):
    """A game file is not valid UTF-8."""

    hint = "the running code is kept; save it as UTF-8 to retry (F9)"

    def __init__(self, path: Path, shown: str, exc: UnicodeDecodeError) -> None:
        line = exc.object[: exc.start].count(b"\n") + 1
        super().__init__(f"{shown} is not valid UTF-8 (byte {exc.start})", path, shown, line)


# Parsing and analysing a data-dense source costs about a second per megabyte on the main
# thread (a 10 MB list literal: ~10 s of frozen frames); game modules are far smaller.
MAX_SOURCE_BYTES = 1_000_000


class TooLargeSourceError(SourceError):
    """A game file is too big to reload without freezing the game for seconds."""

    hint = "the running code is kept; keep big data in a file the game reads (JSON, CSV)"

    def __init__(self, path: Path, shown: str, size: int) -> None:
        super().__init__(f"{shown} is {size / 1e6:.1f} MB, too big to reload (the limit is "
                         f"{MAX_SOURCE_BYTES / 1e6:g} MB)", path, shown)


class UnreadableSourceError(SourceError):
    """A game file cannot be read: a directory in its place, no permission, gone mid-read."""

    hint = "the running code is kept; put the module's file back and save (F9)"

    def __init__(self, path: Path, shown: str, exc: OSError) -> None:
        reason = ("it is a directory" if isinstance(exc, IsADirectoryError)
                  else "it is gone" if isinstance(exc, FileNotFoundError)
                  else (exc.strerror or type(exc).__name__).lower())
        super().__init__(f"{shown} cannot be read: {reason}", path, shown)


class UnparsableSourceError(SourceError):
    """A game file the parser gives up on without a SyntaxError (too deep, a NUL byte)."""

    hint = "the running code is kept; fix the file and save to retry (F9)"


# A file whose mtime is this close to when it was read may be rewritten within the same
# mtime tick (Linux mtimes are coarse) with the same size: compare its content, not its stat.
RACY_NS = 100_000_000


@dataclass(frozen=True)
class SourceFile:
    """A file's text as read, with the stat taken just before reading."""

    text: str
    mtime_ns: int
    size: int
    read_ns: int


def read(path: Path | str) -> SourceFile:
    """Read ``path`` as UTF-8 (a BOM is dropped); stat first, so a later write shows."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        now = time.time_ns()
        data = read_fd(fd, st.st_size)
    finally:
        os.close(fd)
    # Bytes decoded at once, not through a text file: a game's first import reads every
    # module, and a buffered text file cost twice the time; a decoding error's offset counts
    # from the start of the file, as the text file's did.
    text = data.decode("utf-8-sig")
    if "\r" in text:  # universal newlines, as a text file reads them
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceFile(text, st.st_mtime_ns, st.st_size, now)


def read_fd(fd: int, size: int) -> bytes:
    """Everything left in file ``fd``, which ``stat`` said holds ``size`` bytes (it may grow)."""
    data = os.read(fd, size + 1)
    if len(data) <= size:  # a regular file reads short only at its end: one system call
        return data
    chunks = [data]
    while chunks[-1]:
        chunks.append(os.read(fd, 1 << 16))
    return b"".join(chunks)
