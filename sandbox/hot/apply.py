"""Applying one module's plan to its live namespace.

Statements run top to bottom in the module's own namespace: changed and new ones, and
unchanged ones that read a name rebound earlier in this reload (``SPEED = 3`` then
``VEL = SPEED * 2``) — unless play changed a name such a statement binds: ``vy = -SPEED``
does not run again when the ball's ``vy`` is no longer what that statement bound (the
report says ``kept vy: changed while playing``). What you edited takes effect; what you did
not touch keeps running. Defs and classes made again are settled by :mod:`definitions`.
"""

from __future__ import annotations

import builtins
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from sandbox.hot.context import ReloadContext
from sandbox.hot.definitions import Definition, defined_by, patch_body_only
from sandbox.hot.freshstart import star_exports
from sandbox.hot.matching import Status, Step
from sandbox.hot.names import first_attribute, resolve
from sandbox.hot.patch import shift_functions
from sandbox.hot.reach import find_function, purge
from sandbox.hot.shadowing import MISSING, Shadowing
from sandbox.hot.source import Kind, Statement

__all__ = ["ModuleApplier"]

_MISSING: Any = MISSING
_CONTAINERS = frozenset({list, dict, set})  # exactly these: a subclass may not copy back


class ModuleApplier:
    """Runs one module's steps in its namespace, recording every mutation in a journal.

    ``bound`` is the module's record of what its statements bound last (name → object),
    kept up to date here: a name holding anything else was changed by play.
    """

    def __init__(self, name: str, ns: dict[str, Any], filename: str, shown: str, flags: int,
                 package: str, bound: dict[str, Any], ctx: ReloadContext) -> None:
        self.name = name
        self.ns = ns
        self.filename = filename
        self.shown = shown
        self.flags = flags
        self.package = package
        self.bound = bound
        self.ctx = ctx
        self.definitions = Definition(name, ns, filename, ctx)
        self._steps: list[Step] = []
        self._own_names: frozenset[str] | None = None
        self._shadowing = Shadowing([], [], ns)

    @property
    def own_names(self) -> frozenset[str]:
        """What the new source's statements bind (star imports aside); made when first asked."""
        if self._own_names is None:
            self._own_names = frozenset(n for step in self._steps for n in step.new.binds
                                        if n != "*")
        return self._own_names

    # -- one statement ---------------------------------------------------------------------

    def run(self, step: Step, rebound: frozenset[str], first: bool = False) -> set[str]:
        """Run ``step``'s statement; returns the names it rebound (patched ones excluded).

        ``first``: it is the module's first statement (its docstring, if a string).
        """
        if patch_body_only(step, self.name, self.ns, self.filename, self.flags, self.ctx):
            return set()
        if self._shadowing.put_back(step, rebound, self.bound, self.definitions.ours):
            return set(step.new.binds)
        st = step.new
        ns = self.ns
        star = "*" in st.binds  # ``from m import *`` binds whatever m exports now
        before = dict(ns) if star else {n: ns[n] for n in st.binds if n in ns}
        self._forget_registrations(step)
        exec(st.code(self.filename, self.flags), ns)
        names = set(st.binds) - {"*"}
        rebinds: set[str] = set()
        if star:
            names |= {n for n, value in ns.items() if before.get(n, _MISSING) is not value}
            rebinds |= self._drop_unexported(st, before)
        for n in sorted(names):
            rebinds |= self._settle(n, before.get(n, _MISSING), step, rebound)
        self._record(st, names, rebinds, first)
        return rebinds

    def _forget_registrations(self, step: Step) -> None:
        for n in step.new.binds:
            self.ctx.handlers.forget(self.name, n)  # the decorator registers it again
        if step.old is not None:  # and a lambda it registered, when it registers one again
            self.ctx.handlers.forget_lines(self.name, self.filename, step.old.start,
                                           step.old.end)

    def _settle(self, n: str, old: Any, step: Step, rebound: frozenset[str]) -> set[str]:
        """After a statement ran: what now counts as rebound (``n`` when it names another
        object; ``Base.HP`` when a class patched in place has a new value there)."""
        new = self.ns.get(n, _MISSING)
        if new is old:
            return set()
        if new is _MISSING or old is _MISSING:
            if step.new.kind is not Kind.STMT and new is not _MISSING:
                self.ctx.changes.added.append(f"{self.name}.{n}")
            return {n}
        if self._shadowing.last(n) is not step:
            # ``def helper`` edited above a second ``def helper``: the function under the name
            # is the second's, never this one's to patch; the second runs again below and wins.
            if step.old is not None and step.old.decorators != step.new.decorators:
                self._shadowing.retire(step.old, n, self.filename, self.ctx)
            return {n}
        first = self._shadowing.origin(n)
        if first is not old and first is not _MISSING and n in rebound:
            # An earlier binding re-ran this reload: patch what the game held at the start,
            # so old references keep running what the name runs.
            old = first
        return self.definitions.settle(n, old, new, step, rebound)

    def _record(self, st: Statement, names: set[str], rebinds: set[str], first: bool) -> None:
        # What ran, as it ran: the looper carries these values into its snapshot (a ``del``
        # unbinds rather than binds, so a name now missing is not listed). A plain statement's
        # names count even when bound to the object they had: ``LIVES = 8`` when play had made
        # it 8 gives the very same (shared) int, and that is still the edit's value.
        ns = self.ns
        for n in names:
            if n in ns:
                self.bound[n] = ns[n]
            else:
                self.bound.pop(n, None)
        plain = st.kind is Kind.STMT
        self.ctx.changes.bound.extend((self.name, n) for n in sorted(names if plain else rebinds)
                                      if n in ns)
        if plain:
            self.ctx.changes.rerun.append(f"{self.shown}:{st.start}")
            # By the names it bound (an ``if`` not taken bound none: then by its line).
            self.ctx.changes.reran.extend(sorted(n for n in names if n in ns)
                                          or [f"{self.shown}:{st.start}"])
            if first and st.docstring is not None:
                # A docstring statement alone does not set __doc__; the module's first one does.
                ns["__doc__"] = st.docstring

    def _star_targets(self, st: Statement) -> list[str]:
        """The modules ``st`` star-imports (``from m import *``)."""
        found = []
        for ref in st.imports:
            if any(n == "*" for n, _ in ref[2]):
                targets = resolve(ref, self.package)
                if targets:
                    found.append(targets[0])
        return found

    def _unbind(self, n: str) -> None:
        del self.ns[n]
        self.bound.pop(n, None)
        self.ctx.gone.setdefault(self.name, set()).add(n)
        self.ctx.changes.removed.append(f"{self.name}.{n}")

    def _drop_unexported(self, st: Statement, before: dict[str, Any]) -> set[str]:
        """After ``from m import *`` ran again: names m no longer has leave this module too.

        Only names this reload deleted from m, still holding what they held, and bound by no
        statement of this module (``SPEED = 9`` here stays). Returns the names dropped.
        """
        dropped: set[str] = set()
        for target in self._star_targets(st):
            exports = getattr(sys.modules.get(target), "__dict__", {})
            for n in sorted(self.ctx.gone.get(target, ())):
                if (n in self.ns and n not in exports and n not in self.own_names
                        and self.ns[n] is before.get(n, _MISSING)):
                    self._unbind(n)
                    dropped.add(n)
        return dropped

    def _drop_star_provided(self, removed: Sequence[Statement]) -> set[str]:
        """A removed ``from m import *``: the names it provided (still m's) leave."""
        dropped: set[str] = set()
        for st in removed:
            for target in self._star_targets(st):
                exports = getattr(sys.modules.get(target), "__dict__", {})
                for n, value in list(self.ns.items()):
                    if (not n.startswith("_") and n not in self.own_names
                            and exports.get(n, _MISSING) is value):
                        self._unbind(n)
                        dropped.add(n)
        return dropped

    def _changed_by_play(self, st: Statement) -> list[str]:
        """Names ``st`` bound that now hold another object than it bound (play set them)."""
        ns, bound = self.ns, self.bound
        return [n for n in st.binds if n in ns and n in bound and ns[n] is not bound[n]]

    def _hit(self, st: Statement, rebound: set[str]) -> bool:
        """True when ``st`` reads a rebound name, or binds one (the last binding wins).

        ``def helper`` added above ``from consts import *`` (which gives helper too): in a
        fresh start the star import's helper wins, so the star import runs again.
        """
        if not rebound.isdisjoint(st.reads) or not rebound.isdisjoint(st.binds):
            return True
        if "*" not in st.binds:
            return False
        for target in self._star_targets(st):
            exports = star_exports(target)
            if exports is None or not exports.isdisjoint(rebound):
                return True
        return False

    def _shadowed_binders(self, steps: list[Step], force: set[int]) -> set[int]:
        """Statements whose names a star import below them gave until this reload.

        ``def helper`` above ``from consts import *``: the star import's helper won; once
        consts no longer has helper, the module's own one is what a fresh start gives, so
        its statement runs again (before the star import runs again below it).
        """
        found: set[int] = set()
        for i in force:
            st = steps[i].new
            if "*" not in st.binds:
                continue
            gone: set[str] = set()
            for target in self._star_targets(st):
                gone |= self.ctx.gone.get(target, set())
            if gone:
                found |= {j for j in range(i) if not gone.isdisjoint(steps[j].new.binds)}
        return found

    def _reads_missing(self, st: Statement) -> bool:
        """True when ``st`` reads a name (or ``module.name``) that no longer exists."""
        ns = self.ns
        for name in st.reads:
            base, attr = first_attribute(name)
            if attr is not None:
                module = ns.get(base)
                if isinstance(module, ModuleType) and not hasattr(module, attr):
                    return True
            elif name not in ns and name not in st.binds and not hasattr(builtins, name):
                return True
        return False

    def shift(self, step: Step) -> None:
        """An unchanged statement moved: move its functions' line numbers with it."""
        old = step.old
        if old is None:
            return
        delta = step.new.start - old.start
        for n in step.new.binds:
            value = self.ns.get(n)
            if value is not None:
                shift_functions(value, delta, self.filename, old.start, old.end,
                                self.ctx.journal)

    # -- the whole module ------------------------------------------------------------------

    def _save(self) -> None:
        """Record what this module's statements may mutate, for rollback."""
        journal = self.ctx.journal
        journal.save_namespace(self.ns)
        journal.save_namespace(self.bound)
        # A new statement may set attributes on a class of this module (``Ball.SIZE = 2``) or
        # append to a module-level list before a later one fails: record those too (a few
        # shallow copies).
        for value in list(self.ns.values()):
            if isinstance(value, type) and value.__module__ == self.name:
                journal.save_class(value)
            elif value.__class__ in _CONTAINERS:
                journal.save_contents(value)

    def _unregister(self, removed: Sequence[Statement]) -> None:
        """A removed decorated def leaves the lists, dicts and sets its decorators put it in."""
        for st in removed:
            if st.kind is not Kind.DEF or not st.def_offset or st.name is None:
                continue
            value = self.ns.get(st.name, _MISSING)
            raw = find_function([value, *self.ns.values()], st.name, self.filename, st.start,
                                st.end)
            if raw is not None:
                stale = [raw] + ([value] if defined_by(value, raw) else [])
                purge(self.ctx.namespaces(), stale, self.ctx.journal)

    def _delete(self, deleted: frozenset[str]) -> set[str]:
        # Deleted first and counted as rebound: a statement still reading a deleted name runs
        # again and fails as a fresh import would, instead of silently keeping the old value.
        for n in sorted(deleted):
            if n in self.ns:
                del self.ns[n]
                self.ctx.changes.removed.append(f"{self.name}.{n}")
            self.bound.pop(n, None)
            self.ctx.handlers.forget(self.name, n)
        if deleted:
            self.ctx.gone.setdefault(self.name, set()).update(deleted)
        return set(deleted)

    def _runs(self, i: int, step: Step, force: set[int], rebound: set[str]) -> bool:
        """Whether step ``i`` runs: edited, forced, or reading a rebound name play left alone."""
        st = step.new
        if step.status.runs:
            return True
        if i in force:
            # ``from physics import SPEED`` re-run for an edit of physics.SPEED binds the
            # edited object itself: it follows the edit even where play rebound SPEED.
            return True
        # Most statements are unchanged and read nothing rebound: keep that test cheap.
        if not rebound or not self._hit(st, rebound):
            return False
        kept = self._changed_by_play(st)
        if kept and self._reads_missing(st):
            return True  # a fresh start fails here (it reads a name now gone): so does this
        self.ctx.changes.kept.extend(f"{self.name}.{n}" for n in kept)
        return not kept

    def _shift_lambdas(self, lambdas: list[Any], moves: list[tuple[int, int, int]]) -> None:
        """Lambda handlers of unchanged moved statements move with them (each once)."""
        before = {id(f) for f in lambdas}
        kept = [f for f in self.ctx.handlers.anonymous(self.name) if id(f) in before]
        seen: set[int] = set()  # each moves once, though its new line may be in a later range
        for first, last, delta in moves:
            for func in kept:
                shift_functions(func, delta, self.filename, first, last, self.ctx.journal, seen)

    def apply(self, steps: list[Step], deleted: frozenset[str], rebound: set[str],
              force: set[int], removed: Sequence[Statement] = ()) -> set[str]:
        """Run the steps; returns every name rebound or deleted (for dependents).

        ``removed``: the running statements the new source no longer has.
        """
        self._save()
        self._steps, self._own_names = steps, None
        self._shadowing = Shadowing(steps, removed, self.ns)
        # Lambda handlers belong to no name: they go and move with the lines of their statement.
        # Their old line numbers stay valid until every step has run, then moves are applied.
        lambdas = self.ctx.handlers.anonymous(self.name)
        moves: list[tuple[int, int, int]] = []
        touched, force = self._remove(steps, removed, deleted, force)
        rebound |= touched
        for i, step in enumerate(steps):
            st = step.new
            status = step.status
            # The common case first, without a call: unchanged, with nothing rebound yet.
            if (status is not Status.CHANGED and status is not Status.NEW and i not in force
                    and (not rebound or not self._hit(st, rebound))):
                if status is Status.MOVED and step.old is not None:
                    self.shift(step)
                    moves.append((step.old.start, step.old.end, st.start - step.old.start))
                continue
            if self._runs(i, step, force, rebound):
                names = self.run(step, frozenset(rebound), first=i == 0)
                rebound |= names
                touched |= names
                if "__getattr__" in st.binds:
                    # Patched in place, yet what ``from m import b`` got from it may differ.
                    touched.add("__getattr__")
        if moves and lambdas:
            self._shift_lambdas(lambdas, moves)
        doc = steps[0].new.docstring if steps else None
        if self.ns.get("__doc__") != doc:  # the docstring removed, or moved below a statement
            self.ns["__doc__"] = doc
        return touched

    def _remove(self, steps: list[Step], removed: Sequence[Statement], deleted: frozenset[str],
                force: set[int]) -> tuple[set[str], set[int]]:
        """What removed statements leave: names deleted (touched) and steps forced to run."""
        for gone in removed:
            self.ctx.handlers.forget_lines(self.name, self.filename, gone.start, gone.end)
        self._unregister(removed)
        touched = self._delete(deleted)
        if "*" in deleted:
            touched |= self._drop_star_provided([st for st in removed if "*" in st.binds])
        if deleted:  # a name a star import provides comes back from it
            force = force | {i for i, s in enumerate(steps) if "*" in s.new.binds}
        return touched, force | self._shadowed_binders(steps, force)
