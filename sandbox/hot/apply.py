"""Applying one module's plan to its live namespace.

Statements run top to bottom in the module's own namespace: changed and new ones, and
unchanged ones that read a name rebound earlier in this reload (``SPEED = 3`` then
``VEL = SPEED * 2``). When a statement rebinds a def or class made by that same statement,
the new object's definition is moved onto the running object (patched in place) and the
name keeps pointing at the running object, so every reference handed out stays live.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from types import FunctionType
from typing import Any

from sandbox.hot.classes import migrate_instances, patch_class, unpatchable
from sandbox.hot.handlers import HandlerRegistry
from sandbox.hot.patch import defined_in, patch_callable, shift_functions
from sandbox.hot.plan import Step
from sandbox.hot.source import Statement
from sandbox.hot.transaction import Journal

__all__ = ["Changes", "ModuleApplier"]

_MISSING: Any = object()


@dataclass
class Changes:
    """What applying changes did: short descriptions, and the names statements bound.

    ``bound`` holds (module, name) for the names statements run by the reload bound, in the
    order they ran (a name may repeat; ``ReloadReport.bound_names`` says which count).
    """

    patched: list[str] = field(default_factory=list)
    rerun: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rebound: list[str] = field(default_factory=list)
    bound: list[tuple[str, str]] = field(default_factory=list)


def _innermost(obj: object) -> object:
    for _ in range(16):
        inner = getattr(obj, "__wrapped__", None)
        if inner is None:
            break
        obj = inner
    return obj


def _innermost_function(obj: object) -> bool:
    return isinstance(_innermost(obj), FunctionType)


class ModuleApplier:
    """Runs one module's steps in its namespace, recording every mutation in a journal."""

    def __init__(self, name: str, ns: dict[str, Any], filename: str, shown: str, flags: int,
                 journal: Journal, handlers: HandlerRegistry, changes: Changes) -> None:
        self.name = name
        self.ns = ns
        self.filename = filename
        self.shown = shown
        self.flags = flags
        self.journal = journal
        self.handlers = handlers
        self.changes = changes

    def _ours(self, value: object, name: str, st: Statement | None) -> bool:
        """True when ``value`` is a def or class named ``name`` of this module.

        With ``st``, it must also have been made by that statement (so ``f = g`` is a plain
        rebinding, never a patch of one function with another).
        """
        if isinstance(value, type):
            return value.__module__ == self.name and value.__qualname__ == name
        if st is not None and st.kind == "def" and st.name == name:
            return callable(value)  # what a def statement binds, whatever its decorators made
        inner = _innermost(value)
        if not isinstance(inner, FunctionType) or inner.__qualname__ != name:
            return False
        code = inner.__code__
        if st is None:
            return code.co_filename == self.filename
        return defined_in(code, self.filename, st.start, st.end)

    def run(self, step: Step, rebound: frozenset[str], first: bool = False) -> set[str]:
        """Run ``step``'s statement; returns the names it rebound (patched ones excluded).

        ``first``: it is the module's first statement (its docstring, if a string).
        """
        st = step.new
        ns = self.ns
        star = "*" in st.binds  # ``from m import *`` binds whatever m exports now
        before = dict(ns) if star else {n: ns[n] for n in st.binds if n in ns}
        for n in st.binds:
            self.handlers.forget(self.name, n)  # the decorator registers it again if still there
        if step.old is not None:  # and a lambda it registered, when it registers one again
            self.handlers.forget_lines(self.name, self.filename, step.old.start, step.old.end)
        exec(st.code(self.filename, self.flags), ns)
        names = set(st.binds) - {"*"}
        if star:
            names |= {n for n, value in ns.items() if before.get(n, _MISSING) is not value}
        rebinds: set[str] = set()
        for n in sorted(names):
            new = ns.get(n, _MISSING)
            old = before.get(n, _MISSING)
            if new is old:
                continue
            qualname = f"{self.name}.{n}"
            if new is _MISSING or old is _MISSING:
                if st.kind != "stmt" and new is not _MISSING:
                    self.changes.added.append(qualname)
                rebinds.add(n)
                continue
            if not (self._ours(new, n, st) and self._ours(old, n, step.old)):
                rebinds.add(n)
                continue
            if isinstance(old, type) and isinstance(new, type):
                if self._class(n, old, new, step, rebound):
                    ns[n] = old
                    continue
            elif patch_callable(old, new, self.journal):
                ns[n] = old
                self.changes.patched.append(qualname)
                continue
            elif _innermost_function(old) and _innermost_function(new):
                self.changes.rebound.append(f"{qualname}: free variables changed")
            rebinds.add(n)
        # What ran, as it ran: the looper carries these values into its snapshot (a ``del``
        # unbinds rather than binds, so a name now missing is not listed). A plain statement's
        # names count even when bound to the object they had: ``LIVES = 8`` when play had made
        # it 8 gives the very same (shared) int, and that is still the edit's value.
        bound = names if st.kind == "stmt" else rebinds
        self.changes.bound.extend((self.name, n) for n in sorted(bound) if n in ns)
        if st.kind == "stmt":
            self.changes.rerun.append(f"{self.shown}:{st.start}")
            if first and st.docstring is not None:
                # A docstring statement alone does not set __doc__; the module's first one does.
                ns["__doc__"] = st.docstring
        return rebinds

    def _class(self, n: str, old: type, new: type, step: Step, rebound: frozenset[str]) -> bool:
        """Patch class ``old`` from ``new``; False when rebound to ``new`` instead."""
        qualname = f"{self.name}.{n}"
        reason = unpatchable(old, new)
        if reason is not None:
            moved = migrate_instances(old, new, self.journal)
            note = f", {moved} instance{'s' if moved != 1 else ''} moved" if moved else ""
            self.changes.rebound.append(f"{qualname}: {reason}{note}")
            return False
        old_body = step.old.body if step.old is not None else None
        result = patch_class(old, new, self.journal, old_body=old_body, new_body=step.new.body,
                             rebound=rebound)
        prefix = f"{self.name}."
        self.changes.patched.extend(prefix + q for q in result.patched)
        self.changes.added.extend(prefix + q for q in result.added)
        self.changes.rerun.extend(prefix + q for q in result.attributes)
        self.changes.removed.extend(prefix + q for q in result.removed)
        self.changes.rebound.extend(prefix + q for q in result.rebound)
        if not (result.patched or result.added or result.attributes or result.removed
                or result.rebound):
            self.changes.patched.append(qualname)  # e.g. only the docstring or decorators
        return True

    def shift(self, step: Step) -> None:
        """An unchanged statement moved: move its functions' line numbers with it."""
        old = step.old
        if old is None:
            return
        delta = step.new.start - old.start
        for n in step.new.binds:
            value = self.ns.get(n)
            if value is not None:
                shift_functions(value, delta, self.filename, old.start, old.end, self.journal)

    def apply(self, steps: list[Step], deleted: frozenset[str], rebound: set[str],
              force: set[int], removed: Sequence[Statement] = ()) -> set[str]:
        """Run the steps; returns every name rebound or deleted (for dependents).

        ``removed``: the running statements the new source no longer has.
        """
        self.journal.save_namespace(self.ns)
        # Lambda handlers belong to no name: they go and move with the lines of their statement.
        # Their old line numbers stay valid until every step has run, then moves are applied.
        lambdas = self.handlers.anonymous(self.name)
        moves: list[tuple[int, int, int]] = []
        for gone in removed:
            self.handlers.forget_lines(self.name, self.filename, gone.start, gone.end)
        # A new statement may set attributes on a class of this module (``Ball.SIZE = 2``)
        # before a later one fails: record this module's classes too (a few dict copies).
        for value in list(self.ns.values()):
            if isinstance(value, type) and value.__module__ == self.name:
                self.journal.save_class(value)
        touched: set[str] = set()
        # Deleted first and counted as rebound: a statement still reading a deleted name runs
        # again and fails as a fresh import would, instead of silently keeping the old value.
        for n in sorted(deleted):
            if n in self.ns:
                del self.ns[n]
                self.changes.removed.append(f"{self.name}.{n}")
            self.handlers.forget(self.name, n)
            touched.add(n)
        rebound |= touched
        for i, step in enumerate(steps):
            st = step.new
            # Most statements are unchanged and read nothing rebound: keep that test cheap.
            if (step.status == "changed" or step.status == "new" or i in force
                    or (rebound and not rebound.isdisjoint(st.reads))):
                names = self.run(step, frozenset(rebound), first=i == 0)
                rebound |= names
                touched |= names
            elif step.status == "moved":
                self.shift(step)
                if step.old is not None:
                    moves.append((step.old.start, step.old.end, st.start - step.old.start))
        if moves and lambdas:
            before = {id(f) for f in lambdas}
            kept = [f for f in self.handlers.anonymous(self.name) if id(f) in before]
            seen: set[int] = set()  # each moves once, though its new line may be in a later range
            for first, last, delta in moves:
                for func in kept:
                    shift_functions(func, delta, self.filename, first, last, self.journal, seen)
        return touched
