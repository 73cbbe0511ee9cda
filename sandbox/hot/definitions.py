"""Settling a def or class statement that ran again: patch the running object, or rebind.

When a def or class statement runs again, the name points at a new object. If the old one
was made by the same statement (not ``f = g``), its definition is moved onto it (patched in
place) and the name goes back to it, so every reference handed out stays live. A def whose
decorators did not change is not even decorated again: only its function is patched, so a
registering decorator never registers it twice (:func:`patch_body_only`).
"""

from __future__ import annotations

from types import FunctionType
from typing import Any

from sandbox.hot.classes import ClassPatch, migrate_instances, patch_class, unpatchable
from sandbox.hot.context import ReloadContext
from sandbox.hot.enums import is_enum
from sandbox.hot.matching import Status, Step
from sandbox.hot.patch import defined_in, forward, patch_callable, patch_function
from sandbox.hot.reach import find_function, inner_cells_changed, purge
from sandbox.hot.source import Kind, Statement

__all__ = ["Definition", "defined_by", "innermost_function", "patch_body_only"]

_MISSING: Any = object()


def _innermost(obj: object) -> object:
    for _ in range(16):
        inner = getattr(obj, "__wrapped__", None)
        if inner is None:
            break
        obj = inner
    return obj


def innermost_function(obj: object) -> bool:
    """True when ``obj`` is a function, or wraps one through ``__wrapped__``."""
    return isinstance(_innermost(obj), FunctionType)


def defined_by(value: object, raw: FunctionType) -> bool:
    """True when ``value`` is ``raw`` or wraps it (its ``__wrapped__`` chain or closure)."""
    if value is raw:
        return True
    return find_function([value], raw.__name__, raw.__code__.co_filename,
                         raw.__code__.co_firstlineno, raw.__code__.co_firstlineno) is raw


def _clear_caches(obj: object) -> None:
    """``functools.lru_cache`` results of the old code are stale."""
    for _ in range(16):
        clear = getattr(obj, "cache_clear", None)
        if callable(clear):
            clear()
        obj = getattr(obj, "__wrapped__", None)
        if obj is None:
            return


def patch_body_only(step: Step, module: str, ns: dict[str, Any], filename: str, flags: int,
                    ctx: ReloadContext) -> bool:
    """A decorated def whose decorators did not change: patch its function, decorate nothing.

    The decorators are not called again, so ``@on`` registering into a list does not
    register twice, and the three ``@registry.register def do`` keep their own entries.
    False when it does not apply (the statement then runs as a whole).
    """
    st, old = step.new, step.old
    if (st.kind is not Kind.DEF or old is None or step.status is not Status.CHANGED
            or not st.def_offset or st.decorators != old.decorators or st.name is None):
        return False
    scratch: dict[str, Any] = {}
    exec(st.undecorated(filename, flags), ns, scratch)  # binds into scratch, reads ns
    new = scratch.get(st.name)
    roots = [ns.get(st.name, _MISSING), *ns.values()]
    running = find_function(roots, st.name, filename, old.start, old.end)
    if not isinstance(new, FunctionType) or running is None:
        return False
    if not patch_function(running, new, ctx.journal):
        return False
    _clear_caches(ns.get(st.name))
    ctx.changes.patched.append(f"{module}.{st.name}")
    return True


class Definition:
    """Settles one name a def or class statement bound again: patched or rebound."""

    def __init__(self, module: str, ns: dict[str, Any], filename: str,
                 ctx: ReloadContext) -> None:
        self.module = module
        self.ns = ns
        self.filename = filename
        self.ctx = ctx

    def ours(self, value: object, name: str, st: Statement | None) -> bool:
        """True when ``value`` is a def or class named ``name`` of this module.

        With ``st``, it must also have been made by that statement (so ``f = g`` is a plain
        rebinding, never a patch of one function with another).
        """
        if isinstance(value, type):
            return value.__module__ == self.module and value.__qualname__ == name
        inner = _innermost(value)
        if st is not None and st.kind is Kind.DEF and st.name == name:
            # What a def statement binds, whatever its decorators made — but not a function
            # of another file that a star import put under the name since (never patch that).
            if isinstance(inner, FunctionType):
                return inner.__code__.co_filename == self.filename
            return callable(value)
        if not isinstance(inner, FunctionType) or inner.__qualname__ != name:
            return False
        code = inner.__code__
        if st is None:
            return code.co_filename == self.filename
        return defined_in(code, self.filename, st.start, st.end)

    def settle(self, n: str, old: Any, new: Any, step: Step,
               rebound: frozenset[str]) -> set[str]:
        """Patch ``old`` from ``new`` and point ``n`` back at it; returns what counts as rebound.

        That is ``n`` itself when it was rebound to ``new`` instead, and ``Base.HP`` for each
        attribute of a class patched in place whose value changed: the name still holds the
        same class, yet ``LIMIT = Base.HP * 2`` must run again as a fresh start would.
        """
        if not (self.ours(new, n, step.new) and self.ours(old, n, step.old)):
            return {n}
        if isinstance(old, type) and isinstance(new, type):
            return self._settle_class(n, old, new, step, rebound)
        return {n} if self._settle_function(n, old, new, step) else set()

    def _settle_class(self, n: str, old: type, new: type, step: Step,
                      rebound: frozenset[str]) -> set[str]:
        result = self._class(n, old, new, step, rebound)
        if result is None:
            return {n}
        self.ns[n] = old
        revalued = self._revalued(n, old.__qualname__, result)
        # An Enum's members changed: what reads it (``ORDER = list(State)``,
        # ``perm = Perm.R | Perm.W``) runs again, as in a fresh start.
        members_changed = is_enum(old) and bool(result.added or result.removed
                                                or result.attributes)
        return revalued | {n} if members_changed else revalued

    def _settle_function(self, n: str, old: Any, new: Any, step: Step) -> bool:
        """Patch function ``old`` from ``new``; True when ``n`` is rebound to ``new`` instead."""
        qualname = f"{self.module}.{n}"
        if step.old is not None and step.new.decorators != step.old.decorators:
            self._redecorated(n, old, new, step)
            return True
        inner = _innermost(old)
        before = inner.__code__ if isinstance(inner, FunctionType) else None
        if patch_callable(old, new, self.ctx.journal):
            self.ns[n] = old
            self.ctx.changes.patched.append(qualname)
            # Patched, but closures it made before cannot follow (new cells): the statements
            # reading it run again (``@deco def f`` after ``deco``'s wrapper changed).
            now = _innermost(old)
            return (before is not None and isinstance(now, FunctionType)
                    and inner_cells_changed(before, now.__code__))
        if innermost_function(old) and innermost_function(new):
            self.ctx.changes.rebound.append(f"{qualname}: free variables changed")
            if isinstance(old, FunctionType):
                forward(old, new, self.ctx.journal)  # old references run the new one
        return True

    def _redecorated(self, n: str, old: Any, new: Any, step: Step) -> None:
        """Decorators edited: the new object stays; the old one runs the new code and leaves
        the registries it was put in (``@on("space")`` → ``@on("enter")``)."""
        assert step.old is not None
        st = step.new
        old_raw = find_function([old], n, self.filename, step.old.start, step.old.end)
        new_raw = find_function([new], n, self.filename, st.start, st.end)
        if old_raw is not None and new_raw is not None:
            patch_function(old_raw, new_raw, self.ctx.journal)
        if isinstance(old, FunctionType) and old is not old_raw:
            forward(old, new, self.ctx.journal)  # a decorator's wrapper: old refs run the new
        stale = [x for x in (old, old_raw) if x is not None and x is not new and x is not new_raw]
        purge(self.ctx.namespaces(), stale, self.ctx.journal)
        same_cells = (isinstance(old, FunctionType) and isinstance(new, FunctionType)
                      and old.__code__.co_freevars == new.__code__.co_freevars)
        why = "decorators changed" if same_cells else "free variables changed"
        self.ctx.changes.rebound.append(f"{self.module}.{n}: {why}")

    def _class(self, n: str, old: type, new: type, step: Step,
               rebound: frozenset[str]) -> ClassPatch | None:
        """Patch class ``old`` from ``new``; None when rebound to ``new`` instead."""
        changes = self.ctx.changes
        journal = self.ctx.journal
        qualname = f"{self.module}.{n}"
        reason = unpatchable(old, new)
        if reason is not None:
            moved = migrate_instances(old, new, journal)
            note = f", {moved} instance{'s' if moved != 1 else ''} moved" if moved else ""
            changes.rebound.append(f"{qualname}: {reason}{note}")
            return None
        old_body = step.old.body if step.old is not None else None
        result = patch_class(old, new, journal, old_body=old_body, new_body=step.new.body,
                             rebound=rebound, recompile=step.recompile)
        prefix = f"{self.module}."
        changes.patched.extend(prefix + q for q in result.patched)
        changes.added.extend(prefix + q for q in result.added)
        changes.rerun.extend(prefix + q for q in result.attributes)
        changes.reran.extend(result.attributes)
        changes.fields.extend(result.fields)
        changes.removed.extend(prefix + q for q in result.removed)
        changes.rebound.extend(prefix + q for q in result.rebound)
        if not (result.patched or result.added or result.attributes or result.removed
                or result.rebound or result.fields):
            changes.patched.append(qualname)  # e.g. only the docstring or decorators
        return result

    @staticmethod
    def _revalued(n: str, qualname: str, result: ClassPatch) -> set[str]:
        """The patched class's changed data attributes, under the name ``n`` binds."""
        return {n + q[len(qualname):] for q in (*result.attributes, *result.added,
                                                *result.removed)
                if q.startswith(qualname + ".")}
