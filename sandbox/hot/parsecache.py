"""A disk cache of parsed game modules, so a game's first import costs what ``import`` does.

Importing a module through the engine cuts its source into statements, parses and analyses
each, and compiles the whole file: about 25 times what a plain ``import`` with a warm
``__pycache__`` costs (a 100-module game: ~0.4 s against ~16 ms). What that work produces —
the statements' names and kinds, the module's code object and the source text it was made
from — is kept here, like a ``.pyc``, and the next import of the same source reads it back.

Where: ``__pycache__/<module>.<cache tag>.potato`` next to the source (``cache tag`` is the
interpreter's, e.g. ``cpython-311``), as ``marshal`` data. Not written when
``sys.dont_write_bytecode`` is set (``python -B``, ``PYTHONDONTWRITEBYTECODE``), as ``.pyc``
files are not; a folder that cannot be written to is skipped silently.

An entry is used only when it was made by this interpreter (full version, bytecode magic
number, ``-O`` level: a patch release may parse differently) and this engine (a hash of the
modules that parse and analyse) for this file name, and its Adler-32 checks out (a truncated,
corrupt or foreign entry is ignored, never trusted). Then the source must be the one it was
made from, proven one of two ways:

- **by its stat**, without reading it (what a ``.pyc`` does): the file's mtime, ctime and
  size are the ones the entry recorded, and the entry was made at least ``RACY_NS`` after
  the mtime and ctime. An edit within the same mtime tick as the read that made the entry
  may keep every stat field, so such an entry is never trusted by stat (git's "racy" rule);
  the ctime also changes when a copy or a tool puts an old mtime back on new content.
- **by its content** otherwise: the source is read and its SipHash (what checked ``.pyc``
  files use) and length compared. A match whose stat is now settled writes the entry again
  with that stat, so the next start does not read the source.

The entry holds the source text itself: the running text (what the engine diffs a reload
against, and what tracebacks show) is the text the code was compiled from, even when the
file changes before anything asks for it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import marshal
import os
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import CodeType
from typing import Any

from sandbox.hot.parsing import ParsedSource, parse
from sandbox.hot.source import RACY_NS, SourceFile, read, read_fd
from sandbox.hot.statement import Statement

__all__ = ["SUFFIX", "Loaded", "cache_path", "load"]

SUFFIX = ".potato"
# The modules whose code decides what an entry holds: editing any of them is a new engine.
_MAKERS = ("parsecache.py", "parsing.py", "statement.py", "names.py")
# The header after the engine and name key: mtime, ctime, size, read time (ns), source hash
# (8 bytes), text length, then the body's Adler-32.
_STAT = 8 * 6


@dataclass(frozen=True)
class Loaded:
    """A module's source as the engine runs it: the read (or its record), parse and code."""

    source: SourceFile
    parsed: ParsedSource
    code: CodeType


@functools.cache
def _engine_key() -> bytes | None:
    """What identifies this engine and interpreter (None: no cache, e.g. no cache tag)."""
    if sys.implementation.cache_tag is None:
        return None
    h = hashlib.blake2b(digest_size=16)
    h.update(importlib.util.MAGIC_NUMBER)
    h.update(f"{sys.version} {sys.implementation.cache_tag} -O{sys.flags.optimize}".encode())
    here = Path(__file__).resolve().parent
    try:
        for name in _MAKERS:
            h.update((here / name).read_bytes())
    except OSError:
        return None  # running from a zip or similar: no way to tell engine versions apart
    return h.digest()


def cache_path(filename: str) -> str | None:
    """Where the entry of the module in file ``filename`` lives (None: no cache tag)."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    folder, name = os.path.split(filename)
    return os.path.join(folder, "__pycache__", f"{name.rpartition('.')[0]}.{tag}{SUFFIX}")


def _key(filename: str) -> bytes | None:
    """The entry's first bytes: the engine and the file name compiled into the code."""
    engine = _engine_key()
    if engine is None:
        return None
    return engine + importlib.util.source_hash(filename.encode("utf-8", "surrogatepass"))


def _text_hash(text: str) -> bytes:
    # The source hash of checked .pyc files (SipHash, 64 bits) and the length: what CPython
    # trusts for bytecode. A cryptographic hash, or a CRC beside it, cost a tenth of a first
    # import (this zlib's CRC-32 takes ~4 instructions a byte).
    data = text.encode("utf-8", "surrogatepass")
    return importlib.util.source_hash(data) + len(data).to_bytes(8, "little")


def _settled(mtime_ns: int, ctime_ns: int, read_ns: int) -> bool:
    """True when a read at ``read_ns`` came late enough for the stat to prove the content."""
    return max(mtime_ns, ctime_ns) + RACY_NS < read_ns


def load(filename: str) -> Loaded:
    """Module file ``filename`` read, parsed and compiled: from its cache entry when that is
    proven to hold this source, else made now (and the entry written).

    Raises what reading raises (OSError, UnicodeDecodeError) and what parsing and compiling
    raise (SyntaxError and the like), as an import would.
    """
    path, key = cache_path(filename), _key(filename)
    data = _read_entry(path, key) if path is not None and key is not None else None
    found = _from_entry(data, filename) if data is not None else None
    if isinstance(found, Loaded):
        return found
    source = found if found is not None else read(filename)
    parsed = parse(source.text, filename)
    code = compile(source.text, filename, "exec", dont_inherit=True)
    loaded = Loaded(source, parsed, code)
    _write(loaded, filename)
    return loaded


def _from_entry(data: memoryview, filename: str) -> Loaded | SourceFile | None:
    """The module from an intact entry when the source is proven to be its own; else the
    source when it was read to check (None: not read)."""
    mtime, ctime, size, made, length = (int.from_bytes(data[i : i + 8], "little")
                                        for i in (0, 8, 16, 24, 40))
    st = os.stat(filename)
    if (st.st_mtime_ns, st.st_ctime_ns, st.st_size) == (mtime, ctime, size) \
            and _settled(mtime, ctime, made):
        return _restore(data, filename, SourceFile("", mtime, size, made))
    source = read(filename)
    if _text_hash(source.text) != bytes(data[32:40]) + length.to_bytes(8, "little"):
        return source
    loaded = _restore(data, filename, source)
    if loaded is None:
        return source
    _write(loaded, filename, settled_only=True)  # a new stat: the next start skips the read
    return loaded


def _read_entry(path: str, key: bytes) -> memoryview | None:
    """The entry's bytes after its key, when it is this engine's for this file and intact."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            data = read_fd(fd, os.fstat(fd).st_size)
        finally:
            os.close(fd)
    except OSError:
        return None
    head = len(key) + _STAT + 4
    if len(data) < head or data[: len(key)] != key:
        return None
    view = memoryview(data)[len(key) :]
    if zlib.adler32(view[_STAT + 4 :]).to_bytes(4, "little") != view[_STAT : _STAT + 4]:
        return None
    return view


def _restore(data: memoryview, filename: str, source: SourceFile) -> Loaded | None:
    """The module from an entry's payload: (code, flags, imports, statement records, text).

    The statements are made from their records when first asked for (``ParsedSource``):
    most modules of a big game are never edited in a session.
    """
    try:
        code, flags, imports, records, text = marshal.loads(data[_STAT + 4 :])
    except Exception:  # whatever a damaged entry raises, it is not used
        return None
    if not (isinstance(code, CodeType) and isinstance(flags, int) and isinstance(text, str)
            and isinstance(imports, frozenset) and isinstance(records, bytes)):
        return None
    if source.text and source.text != text:
        return None  # a SipHash collision: the source read is not the entry's
    source = SourceFile(text, source.mtime_ns, source.size, source.read_ns)

    def statements() -> list[Statement]:
        try:
            return _statements(text, marshal.loads(records))
        except Exception:  # checked by the checksum: cannot happen, and a parse still works
            return parse(text, filename).statements

    return Loaded(source, ParsedSource(text, statements, flags, imports), code)


def _statements(text: str, records: Any) -> list[Statement]:
    """Statements from their records: ((offset, end, line, record), ...)."""
    full = text if not text or text.endswith("\n") else text + "\n"
    return [Statement.from_record(full[at:end], line, record)
            for at, end, line, record in records]


def _offsets(full: str, statements: list[Statement]) -> list[tuple[int, int]] | None:
    """Where each statement's text lies in ``full`` (None when one is not found there)."""
    spans: list[tuple[int, int]] = []
    line, at = 1, 0
    for st in statements:
        while line < st.start:  # statements come in order: walk forward to the first line
            at = full.find("\n", at) + 1
            if not at:
                return None
            line += 1
        end = at + len(st.text)
        if full[at:end] != st.text:
            return None
        spans.append((at, end))
    return spans


def _write(loaded: Loaded, filename: str, settled_only: bool = False) -> None:
    """Write the entry for ``loaded`` (file ``filename``); silently nothing when it cannot
    (``settled_only``: nor when the file's stat is not settled, so cannot prove it)."""
    path, key = cache_path(filename), _key(filename)
    if path is None or key is None or sys.dont_write_bytecode:
        return
    parsed, text = loaded.parsed, loaded.parsed.text
    full = text if text.endswith("\n") else text + "\n"
    spans = _offsets(full, parsed.statements) if text else []
    if spans is None:
        return
    records = tuple((at, end, st.start, st.record())
                    for (at, end), st in zip(spans, parsed.statements, strict=True))
    try:
        body = marshal.dumps((loaded.code, parsed.flags, parsed.imports, marshal.dumps(records),
                              text))
        st = os.stat(filename)
    except (ValueError, OSError):  # unmarshallable (cannot happen with what parsing makes)
        return
    source = loaded.source
    if (st.st_mtime_ns, st.st_size) != (source.mtime_ns, source.size):
        return  # changed since it was read: its ctime may be the new content's
    if settled_only and not _settled(st.st_mtime_ns, st.st_ctime_ns, source.read_ns):
        return
    text_hash = _text_hash(text)
    stat = b"".join(n.to_bytes(8, "little") for n in (
        st.st_mtime_ns, st.st_ctime_ns, st.st_size, source.read_ns))
    # Adler-32: catches a damaged entry at a quarter of CRC-32's cost.
    data = key + stat + text_hash + zlib.adler32(body).to_bytes(4, "little") + body
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # readers see the old entry or the new one, never half of one
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
