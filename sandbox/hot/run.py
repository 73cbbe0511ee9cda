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
from typing import TYPE_CHECKING

from sandbox.hot.apply import Changes, ModuleApplier
from sandbox.hot.names import resolve
from sandbox.hot.plan import ModulePlan, Plan, shown_path, unchanged_steps
from sandbox.hot.source import ParsedSource
from sandbox.hot.tracking import set_linecache
from sandbox.hot.transaction import Journal

if TYPE_CHECKING:
    from sandbox.hot.reloader import Reloader

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
            if not any(n == "*" or n in names for n, _ in pairs):
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


def apply_plan(reloader: Reloader, plan: Plan, journal: Journal) -> Changes:
    """Apply every module plan and the dependents that follow; raises on the first failure."""
    plans: dict[str, ModulePlan] = {mp.tracked.name: mp for mp in plan.modules}
    for each in plan.modules:
        # Before running anything: a traceback from the new code must show the new lines.
        _linecache_to(journal, each.tracked.filename, each.parsed.text)
    live: dict[str, ParsedSource] = {}  # the source each applied module now runs
    changes = Changes()
    force: dict[str, set[int]] = {}
    extra: dict[str, set[str]] = {}  # dotted names (physics.SPEED) rebound for a dependent
    pending = set(plans)
    visits: Counter[str] = Counter()
    rank = reloader.graph.rank()
    while pending:
        name = min(pending, key=lambda n: (rank.get(n, len(rank)), n))
        pending.discard(name)
        visits[name] += 1
        tracked = reloader.tracked(name)
        module = sys.modules.get(name)
        if tracked is None or module is None or visits[name] > _MAX_VISITS:
            continue
        mp = plans.pop(name) if name in plans else None
        if mp is not None:
            steps, deleted, parsed = mp.steps, mp.deleted, mp.parsed
        else:
            parsed = live.get(name, tracked.parsed)
            steps, deleted = unchanged_steps(parsed), frozenset()
        applier = ModuleApplier(name, module.__dict__, tracked.filename,
                                shown_path(tracked, reloader.root), parsed.flags, journal,
                                reloader.handlers, changes)
        touched = applier.apply(steps, deleted, extra.pop(name, set()), force.pop(name, set()),
                                mp.removed if mp is not None else ())
        live[name] = parsed
        if not touched:
            continue
        for dependent in reloader.graph.dependents(name):
            other = reloader.tracked(dependent)
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
    return changes

