"""Applying a plan across modules: dependencies first, then the dependents that follow.

Changed modules are applied in dependency order. When a module rebinds or deletes names,
every game module that did ``from it import name`` has that import statement run again
(so it sees the new object) along with its statements that read the name. A module may be
visited again when an import cycle brings a change back to it; visits are capped, so a cycle
can never loop forever.
"""

from __future__ import annotations

import linecache
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from sandbox.hot.apply import ModuleApplier
from sandbox.hot.context import Changes, ReloadContext
from sandbox.hot.graph import ImportGraph
from sandbox.hot.names import resolve
from sandbox.hot.plan import ModulePlan, Plan, Step, shown_path, unchanged_steps
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
    found: set[int] = set()
    dotted: set[str] = set()
    for i, st in enumerate(parsed.statements):
        for ref in st.imports:
            pairs = ref[2]
            if not pairs:
                continue
            if pairs[0][0] == "":  # import module [as alias]
                if ref[1] == module:
                    dotted.update(f"{pairs[0][1]}.{n}" for n in names)
                continue
            # A module's ``__getattr__`` (PEP 562) edited: any name imported from it may differ.
            if "__getattr__" not in names and not any(n == "*" or n in names for n, _ in pairs):
                continue
            targets = resolve(ref, package)
            if targets and targets[0] == module:
                found.add(i)
    if dotted and not any(not dotted.isdisjoint(st.reads) for st in parsed.statements):
        dotted = set()
    return found, dotted


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
    pending = set(plans)
    visits: Counter[str] = Counter()
    rank = graph.rank()
    while pending:
        name = min(pending, key=lambda n: (rank.get(n, len(rank)), n))
        pending.discard(name)
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
                         extra: dict[str, set[str]], pending: set[str]) -> None:
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
