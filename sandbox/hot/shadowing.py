"""Names a module binds more than once: which statement's object the name holds.

``def helper`` twice, ``class Ent`` twice, ``helper = other`` below ``def helper``: in a fresh
start the last binding wins, and what the earlier ones made lives only where something took it
in between (``FIRST = helper``, a decorator's registry). A reload keeps to that: only the last
statement binding a name may patch what the name holds; an earlier one binds its own new
object, and the last one then runs again (or, unchanged, puts back the object it made).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sandbox.hot.context import ReloadContext
from sandbox.hot.matching import Step
from sandbox.hot.reach import find_function, purge
from sandbox.hot.source import Kind, Statement

__all__ = ["MISSING", "Shadowing"]

MISSING: Any = object()


class Shadowing:
    """The winners among one module's bindings, before and after an edit (made when asked)."""

    def __init__(self, steps: Sequence[Step], removed: Sequence[Statement],
                 ns: dict[str, Any]) -> None:
        self._steps = steps
        self._removed = removed
        self.ns = ns
        self.start = dict(ns)  # the namespace as the reload found it
        self._last: dict[str, Step] | None = None
        self._last_old: dict[str, int] | None = None

    def last(self, n: str) -> Step | None:
        """The last step binding ``n`` by name: the one a fresh start's ``n`` comes from."""
        if self._last is None:
            self._last = {name: step for step in self._steps for name in step.new.binds}
        return self._last.get(n)

    def held(self, n: str, step: Step) -> bool:
        """Whether ``n`` held, as the reload began, what ``step``'s running statement made.

        True when that statement was the last of the running source to bind ``n``.
        """
        if step.old is None:
            return False
        if self._last_old is None:
            olds = [s.old for s in self._steps if s.old is not None] + list(self._removed)
            olds.sort(key=lambda st: st.start)
            self._last_old = {name: st.start for st in olds for name in st.binds}
        return self._last_old.get(n) == step.old.start

    def origin(self, n: str) -> Any:
        """What ``n`` held as the reload began (:data:`MISSING`: nothing)."""
        return self.start.get(n, MISSING)

    def retire(self, old: Statement, n: str, filename: str, ctx: ReloadContext) -> None:
        """``@on`` dropped from a def a later one shadows: its function leaves ``HANDLERS``."""
        current = self.ns.get(n)  # the def's new function, in the old one's lines: not it
        roots = [value for value in self.ns.values() if value is not current]
        raw = find_function(roots, n, filename, old.start, old.end)
        if raw is not None:
            purge(ctx.namespaces(), [raw], ctx.journal)

    def put_back(self, step: Step, rebound: frozenset[str], bound: dict[str, Any],
                 ours: Callable[[object, str, Statement | None], bool]) -> bool:
        """An unchanged def or class below an edited one of the same name: its object again.

        It runs only because the name was rebound above it; running it would call its
        decorators again (registering twice). It reads nothing rebound, so what it made when
        the game started is what it would make now. ``ours``: whether an object is a def or
        class of this module that a statement made (``Definition.ours``).
        """
        st, n = step.new, step.new.name
        if (st.kind is Kind.STMT or n is None or step.status.runs
                or not rebound.isdisjoint(st.reads) or self.last(n) is not step
                or not self.held(n, step)):
            return False
        first = self.origin(n)
        if first is MISSING or not ours(first, n, step.old):
            return False
        self.ns[n] = first
        bound[n] = first
        return True
