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

from sandbox.hot.source import Kind, ParsedSource, SourceError, Statement

__all__ = ["FreshStartError", "check_fresh_start"]

# Names a module has before its first statement runs.
_PRESET = frozenset(dir(builtins)) | frozenset({
    "__name__", "__file__", "__doc__", "__spec__", "__loader__", "__package__",
    "__builtins__", "__path__", "__cached__", "__annotations__", "__dict__",
})
# Annotations are not evaluated when they are lazy: PEP 563's future import, or 3.14's PEP 649.
_LAZY_ANNOTATIONS = sys.version_info >= (3, 14)
_FUTURE_ANNOTATIONS = __future__.annotations.compiler_flag


class FreshStartError(SourceError):
    """The new source would fail on a fresh start: a name is read before it is bound."""

    hint = "bind it above the line that reads it, then save (F9)"

    def __init__(self, name: str, path: Path, shown: str, line: int) -> None:
        super().__init__(f"a fresh start would fail here: {name} is read before it is bound "
                         f"({shown}:{line})", path, shown, line)
        self.name = name


def _own_names(st: Statement) -> frozenset[str]:
    """Names a class statement binds in its own body (``B = A * 2`` reads the class's A)."""
    if st.kind is Kind.CLASS and st.body is not None:
        return frozenset(st.body.texts)
    return frozenset()


def check_fresh_start(parsed: ParsedSource, path: Path, shown: str) -> None:
    """Raise :class:`FreshStartError` for the first name read before any statement binds it.

    Only names some later statement binds count (anything else is a NameError the reload
    reports by itself), and a ``from m import *`` above the reader may bind anything.
    """
    later: dict[str, int] = {}
    for st in parsed.statements:
        for n in st.binds:
            later[n] = later.get(n, 0) + 1
    lazy = _LAZY_ANNOTATIONS or bool(parsed.flags & _FUTURE_ANNOTATIONS)
    bound: set[str] = set()
    star = False
    for st in parsed.statements:
        if not star:
            skip = _own_names(st) | (frozenset(st.lazy_reads) if lazy else frozenset())
            for n in st.reads:
                if ("." not in n and n not in bound and n not in _PRESET and n not in skip
                        and later.get(n, 0) > 0 and n not in st.binds):
                    raise FreshStartError(n, path, shown, st.start)
        for n in st.binds:
            later[n] -= 1
            bound.add(n)
        star = star or "*" in st.binds
