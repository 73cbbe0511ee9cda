"""A disk cache of parsed game modules, so a game's first import costs what ``import`` does.

Importing a module through the engine cuts its source into statements, parses and analyses
each, and compiles the whole file: about 25 times what a plain ``import`` with a warm
``__pycache__`` costs (a 100-module game: ~0.4 s against ~16 ms). What that work produces —
the statements' names and kinds, and the module's code object — is kept here, like a
``.pyc``, and the next import of the same source reads it back instead.

Where: ``__pycache__/<module>.<cache tag>.potato`` next to the source (``cache tag`` is the
interpreter's, e.g. ``cpython-311``), as ``marshal`` data. Not written when
``sys.dont_write_bytecode`` is set (``python -B``, ``PYTHONDONTWRITEBYTECODE``), as ``.pyc``
files are not; a folder that cannot be written to is skipped silently.

An entry is used only when all of this matches what it was made from, else it is ignored
and written again: the source text (its SipHash, as checked ``.pyc`` files use, CRC-32 and
length), the file name compiled into the code, the interpreter (its full version, bytecode
magic number and ``-O`` level: a patch release may parse differently), and the engine's own
code that made it (a hash of the modules that parse and analyse, so an engine update never
reads an older engine's analysis). A checksum (Adler-32) covers the rest of the file: a
truncated or corrupt entry is ignored, never trusted.
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
from pathlib import Path
from types import CodeType
from typing import Any

from sandbox.hot.parsing import ParsedSource, parse
from sandbox.hot.source import read_fd
from sandbox.hot.statement import Statement

__all__ = ["SUFFIX", "cache_path", "load_cached", "store_cached"]

SUFFIX = ".potato"
# The modules whose code decides what an entry holds: editing any of them is a new engine.
_MAKERS = ("parsecache.py", "parsing.py", "statement.py", "names.py")


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


def _key(text: str, filename: str) -> bytes | None:
    engine = _engine_key()
    if engine is None:
        return None
    # The source hash of checked .pyc files (SipHash, 64 bits) and the length: what CPython
    # trusts for bytecode. A cryptographic hash, or a CRC beside it, cost a tenth of a first
    # import (this zlib's CRC-32 takes ~4 instructions a byte).
    data = text.encode("utf-8", "surrogatepass")
    name = filename.encode("utf-8", "surrogatepass")
    return (engine + importlib.util.source_hash(data) + len(data).to_bytes(8, "little")
            + importlib.util.source_hash(name))


def load_cached(text: str, filename: str) -> tuple[ParsedSource, CodeType] | None:
    """The parse and code of ``text`` (file ``filename``) from the cache, or None (no entry,
    a stale one, or a corrupt one)."""
    path, key = cache_path(filename), _key(text, filename)
    if path is None or key is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            data = read_fd(fd, os.fstat(fd).st_size)
        finally:
            os.close(fd)
    except OSError:
        return None
    head = len(key) + 4
    if len(data) < head or data[: len(key)] != key:
        return None
    body = data[head:]
    if zlib.adler32(body).to_bytes(4, "little") != data[len(key) : head]:
        return None
    try:
        return _restore(text, filename, marshal.loads(body))
    except Exception:  # whatever a damaged entry raises, it is not used
        return None


def _restore(text: str, filename: str, payload: Any) -> tuple[ParsedSource, CodeType] | None:
    """The parse and code from an entry's payload: (code, flags, imports, statement records).

    The statements are made from their records when first asked for (``ParsedSource``):
    most modules of a big game are never edited in a session.
    """
    code, flags, imports, records = payload
    if not (isinstance(code, CodeType) and isinstance(flags, int)
            and isinstance(imports, frozenset) and isinstance(records, bytes)):
        return None

    def statements() -> list[Statement]:
        try:
            return _statements(text, marshal.loads(records))
        except Exception:  # checked by the checksum: cannot happen, and a parse still works
            return parse(text, filename).statements

    return ParsedSource(text, statements, flags, imports), code


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


def store_cached(parsed: ParsedSource, code: CodeType, filename: str) -> None:
    """Write the entry for ``parsed`` and ``code`` of file ``filename``; silently nothing
    when it cannot."""
    path, key = cache_path(filename), _key(parsed.text, filename)
    if path is None or key is None or sys.dont_write_bytecode:
        return
    full = parsed.text if parsed.text.endswith("\n") else parsed.text + "\n"
    spans = _offsets(full, parsed.statements) if parsed.text else []
    if spans is None:
        return
    records = tuple((at, end, st.start, st.record())
                    for (at, end), st in zip(spans, parsed.statements, strict=True))
    try:
        body = marshal.dumps((code, parsed.flags, parsed.imports, marshal.dumps(records)))
    except ValueError:  # an unmarshallable value (cannot happen with what parsing makes)
        return
    # Adler-32: catches a damaged entry at a quarter of CRC-32's cost.
    data = key + zlib.adler32(body).to_bytes(4, "little") + body
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # readers see the old entry or the new one, never half of one
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
