"""Would a fresh start of this source fail? Reloads a fresh start would refuse are refused.

A reload runs only the statements that changed, in a namespace that already holds every
name, so ``VEL = SPEED * 2`` inserted above ``SPEED = 3`` would run fine — and the next
start (F5) would fail with a NameError. The check here finds a name a statement reads at
import time that only a *later* statement binds, and reports it before anything runs.
"""

from __future__ import annotations
import __future__

import builtins
import sys
from pathlib import Path

from sandbox.hot.effects import header_reads, reads_before_binding
from sandbox.hot.names import resolve
from sandbox.hot.source import Kind, ParsedSource, SourceError, Statement

__all__ = ["PRESET", "FreshStartError", "check_fresh_start", "own_names", "star_exports"]

# Names a module has before its first statement runs.
PRESET = frozenset(dir(builtins)) | frozenset({
    "__name__", "__file__", "__doc__", "__spec__", "__loader__", "__package__",
    "__builtins__", "__path__", "__cached__", "__annotations__", "__dict__",
})
# Annotations are not evaluated when they are lazy: PEP 563's future import, or 3.14's PEP 649.
_LAZY_ANNOTATIONS = sys.version_info >= (3, 14)
_FUTURE_ANNOTATIONS = __future__.annotations.compiler_flag


class FreshStartError(SourceError):
    """The new source would fail on a fresh start: a name is read before it is bound."""

    hint = "bind it above the line that reads it, then save (F9)"

    def __init__(self, name: str, path: Path, shown: str, line: int,
                 conditional: bool = False) -> None:
        # A read inside a block's body (``for e in LEVEL: ENEMIES.append(e)`` above
        # ``ENEMIES = []``) fails only when the body runs: refused all the same, since a
        # fresh start fails whenever it does, and the message says so.
        what = ("may fail here: {0} is read before it is bound, when this block runs"
                if conditional else "would fail here: {0} is read before it is bound")
        super().__init__(f"a fresh start {what.format(name)} ({shown}:{line})", path, shown, line)
        self.name = name


def own_names(st: Statement) -> frozenset[str]:
    """Names a class statement binds in its own body (``B = A * 2`` reads the class's A)."""
    if st.kind is Kind.CLASS and st.body is not None:
        return frozenset(st.body.texts)
    return frozenset()


def star_exports(module: str) -> frozenset[str] | None:
    """The names ``from module import *`` binds now (None: the module is not loaded)."""
    loaded = sys.modules.get(module)
    if loaded is None:
        return None
    names = getattr(loaded, "__all__", None)
    if names is None:
        names = [n for n in list(vars(loaded)) if not n.startswith("_")]
    return frozenset(str(n) for n in names)


def _star_binds(st: Statement, package: str) -> frozenset[str] | None:
    """What ``st``'s star imports bind; None when a target is unknown (may bind anything)."""
    found: set[str] = set()
    for ref in st.imports:
        if any(n == "*" for n, _ in ref[2]):
            targets = resolve(ref, package)
            names = star_exports(targets[0]) if targets else None
            if names is None:
                return None
            found |= names
    return frozenset(found)


def _first_unbound_read(st: Statement, bound: set[str], later: dict[str, int],
                        stars_later: int, lazy: bool) -> str | None:
    skip = own_names(st) | (frozenset(st.lazy_reads) if lazy else frozenset())
    for n in sorted(st.reads):
        if ("." not in n and n not in bound and n not in PRESET and n not in skip
                and (later.get(n, 0) > 0 or stars_later)
                and (n not in st.binds or n in reads_before_binding(st))):
            return n
    return None


def check_fresh_start(parsed: ParsedSource, path: Path, shown: str, package: str = "") -> None:
    """Raise :class:`FreshStartError` for the first name read before any statement binds it.

    Only names some later statement binds count, or any name when a ``from m import *``
    comes later (anything else is a NameError the reload reports by itself). A star import
    binds what its module exports now; one of a module not loaded may bind anything, so
    nothing is checked after it.
    """
    later: dict[str, int] = {}
    stars_later = 0  # ``from m import *`` still to come: it may bind any name
    for st in parsed.statements:
        for n in st.binds:
            later[n] = later.get(n, 0) + 1
        stars_later += "*" in st.binds
    lazy = _LAZY_ANNOTATIONS or bool(parsed.flags & _FUTURE_ANNOTATIONS)
    bound: set[str] = set()
    for st in parsed.statements:
        name = _first_unbound_read(st, bound, later, stars_later, lazy)
        if name is not None:
            raise FreshStartError(name, path, shown, st.start,
                                  name not in header_reads(st))
        for n in st.binds:
            later[n] -= 1
            bound.add(n)
        if "*" in st.binds:
            stars_later -= 1
            provided = _star_binds(st, package)
            if provided is None:
                return
            bound |= provided
