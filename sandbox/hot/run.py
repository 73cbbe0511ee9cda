"""Applying a plan across modules: dependencies first, then the dependents that follow.

Changed modules are applied in dependency order. When a module rebinds or deletes names,
every game module that did ``from it import name`` has that import statement run again
(so it sees the new object) along with its statements that read the name. A module may be
visited again when an import cycle brings a change back to it; visits are capped, so a cycle
can never loop forever.
"""

from __future__ import annotations

import heapq
import linecache
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from sandbox.hot.apply import ModuleApplier
from sandbox.hot.context import Changes, ReloadContext
from sandbox.hot.graph import ImportGraph
from sandbox.hot.matching import Step, unchanged_steps
from sandbox.hot.plan import ModulePlan, Plan, shown_path
from sandbox.hot.reach import follow_closures
from sandbox.hot.source import ParsedSource
from sandbox.hot.tracking import Tracked, set_linecache
from sandbox.hot.transaction import Journal

__all__ = ["apply_plan", "importers"]

_MAX_VISITS = 3


def importers(parsed: ParsedSource, package: str, module: str,
              names: set[str]) -> tuple[set[int], set[str]]:
    """How a module sees names of ``module`` that were rebound.

    Returns the indexes of its statements doing ``from module import x`` for some x in
    ``names`` (or ``*``), and the dotted names (``physics.SPEED``) under which it reads
    them through ``import module``.
    """
    return parsed.import_index(package).importers(module, names)


class _Pending:
    """Modules waiting to be applied, popped dependencies first (a heap: a fan-out of N
    dependents costs N log N, where picking the minimum of a set each time cost N²)."""

    def __init__(self, rank: dict[str, int], names: Iterable[str]) -> None:
        self._rank = rank
        self._waiting: set[str] = set()
        self._heap: list[tuple[int, str]] = []
        for name in names:
            self.add(name)

    def __bool__(self) -> bool:
        return bool(self._waiting)

    def add(self, name: str) -> None:
        """Queue ``name`` (once: a module queued twice is applied once)."""
        if name not in self._waiting:
            self._waiting.add(name)
            heapq.heappush(self._heap, (self._rank.get(name, len(self._rank)), name))

    def pop(self) -> str:
        """The waiting module that comes first in dependency order (unknown ones last)."""
        _, name = heapq.heappop(self._heap)
        self._waiting.discard(name)
        return name


def _linecache_to(journal: Journal, filename: str, text: str) -> None:
    before = linecache.cache.get(filename)

    def undo() -> None:
        if before is None:
            linecache.cache.pop(filename, None)
        else:
            linecache.cache[filename] = before

    journal.call(undo)
    set_linecache(filename, text)


def _module_steps(name: str, tracked: Tracked, plans: dict[str, ModulePlan],
                  live: dict[str, ParsedSource]) -> tuple[ModulePlan | None, ParsedSource,
                                                          list[Step]]:
    """The plan of a changed module, or the steps of one visited for a dependency."""
    mp = plans.pop(name, None)
    if mp is not None:
        return mp, mp.parsed, mp.steps
    parsed = live.get(name, tracked.parsed)
    return None, parsed, unchanged_steps(parsed)


def apply_plan(plan: Plan, graph: ImportGraph, tracked: Mapping[str, Tracked], root: Path,
               ctx: ReloadContext) -> Changes:
    """Apply every module plan and the dependents that follow; raises on the first failure."""
    plans: dict[str, ModulePlan] = {mp.tracked.name: mp for mp in plan.modules}
    for each in plan.modules:
        # Before running anything: a traceback from the new code must show the new lines.
        _linecache_to(ctx.journal, each.tracked.filename, each.parsed.text)
    live: dict[str, ParsedSource] = {}  # the source each applied module now runs
    force: dict[str, set[int]] = {}
    extra: dict[str, set[str]] = {}  # dotted names (physics.SPEED) rebound for a dependent
    visits: Counter[str] = Counter()
    pending = _Pending(graph.rank(), plans)
    while pending:
        name = pending.pop()
        visits[name] += 1
        t = tracked.get(name)
        module = None if t is None else t.module or sys.modules.get(name)
        if t is None or module is None or visits[name] > _MAX_VISITS:
            continue
        mp, parsed, steps = _module_steps(name, t, plans, live)
        applier = ModuleApplier(name, module.__dict__, t.filename, shown_path(t, root),
                                parsed.flags, t.package, t.bound, ctx)
        touched = applier.apply(steps, mp.deleted if mp else frozenset(),
                                extra.pop(name, set()), force.pop(name, set()),
                                mp.removed if mp is not None else ())
        live[name] = parsed
        if touched:
            _schedule_dependents(name, touched, graph, tracked, plans, live, force, extra,
                                 pending)
    follow_closures(ctx.namespaces, ctx.journal.replaced_code, ctx.journal)
    return ctx.changes


def _schedule_dependents(name: str, touched: set[str], graph: ImportGraph,
                         tracked: Mapping[str, Tracked], plans: dict[str, ModulePlan],
                         live: dict[str, ParsedSource], force: dict[str, set[int]],
                         extra: dict[str, set[str]], pending: _Pending) -> None:
    """Queue the modules importing names ``name`` rebound, with what to run there."""
    for dependent in graph.dependents(name):
        other = tracked.get(dependent)
        if other is None:
            continue
        if dependent in plans:
            source = plans[dependent].parsed
        else:
            source = live.get(dependent, other.parsed)
        found, dotted = importers(source, other.package, name, touched)
        if found or dotted:
            force.setdefault(dependent, set()).update(found)
            extra.setdefault(dependent, set()).update(dotted)
            pending.add(dependent)
