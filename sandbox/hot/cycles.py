"""Refusing a reload whose new import cycle a fresh start would fail on (or differ at).

The walk itself is :mod:`importwalk`; here is when it runs. Most reloads cannot change what
a fresh start's imports do (a function body edited), so it runs only when a changed module's
imports changed and the new import graph has a cycle, or a changed module's names or their
order changed in a game whose graph has a cycle (asked once per graph version).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from sandbox.hot.importwalk import GiveUp, ImportCycleError, Walk, game_file
from sandbox.hot.plan import ModulePlan, Plan
from sandbox.hot.tracking import Tracked

__all__ = ["ImportCycleError", "check_import_cycles", "has_cycle"]


def has_cycle(edges: Mapping[str, Iterable[str]]) -> bool:
    """True when the import graph (module -> modules it imports) has a cycle."""
    incoming = dict.fromkeys(edges, 0)
    for name, deps in edges.items():
        for dep in set(deps):
            if dep in incoming and dep != name:
                incoming[dep] += 1
    ready = [n for n, k in incoming.items() if k == 0]
    seen = 0
    while ready:
        name = ready.pop()
        seen += 1
        for dep in set(edges[name]):
            if dep in incoming and dep != name:
                incoming[dep] -= 1
                if incoming[dep] == 0:
                    ready.append(dep)
    return seen < len(incoming)


# The last graph looked at and whether it had a cycle: the graph's edge dict is replaced,
# never changed in place, so the same dict is the same answer (most reloads ask again).
_last: list[tuple[Mapping[str, frozenset[str]], bool]] = []


def _cyclic(edges: Mapping[str, frozenset[str]]) -> bool:
    if _last and _last[0][0] is edges:
        return _last[0][1]
    answer = has_cycle(edges)
    _last[:] = [(edges, answer)]
    return answer


def _needs_walk(plan: Plan, tracked: Mapping[str, Tracked],
                edges: Mapping[str, frozenset[str]], root: Path) -> bool:
    """Whether this plan may make (or unmake) a failing cycle: cheap answers first."""
    new_imports = [mp for mp in plan.modules if mp.depends_on is not None]
    if new_imports:
        graph = dict(edges)
        for mp in new_imports:
            assert mp.depends_on is not None
            graph[mp.tracked.name] = mp.depends_on
            for dep in mp.depends_on:
                if dep not in tracked and game_file(root, dep) is not None:
                    return True  # a module not imported yet: its imports are not known here
        return has_cycle(graph)
    return any(mp.reordered for mp in plan.modules) and _cyclic(edges)


def check_import_cycles(plan: Plan, tracked: Mapping[str, Tracked], roots: Iterable[str],
                        root: Path, edges: Mapping[str, frozenset[str]]) -> None:
    """Set ``plan.error`` when a fresh start of the new sources would fail on an import cycle.

    ``roots`` are the modules a start imports, in order; ``edges`` the running import graph.
    """
    if plan.error is not None or not plan.modules:
        return
    try:
        if not _needs_walk(plan, tracked, edges, root):
            return
        roots = list(roots)
        error = _walk({mp.tracked.name: mp for mp in plan.modules}, tracked, root, roots)
        # Only what the edit brings: a fresh start of the running sources meeting the same
        # problem (a game that started that way) does not stop every later reload.
        if error is not None and str(error) != str(_walk({}, tracked, root, roots)):
            plan.error = error
            plan.modules = []
    except (GiveUp, RecursionError, SyntaxError, ValueError):
        return  # no verdict: the reload goes ahead


def _walk(changed: Mapping[str, ModulePlan], tracked: Mapping[str, Tracked], root: Path,
          roots: Iterable[str]) -> ImportCycleError | None:
    """What a fresh start of the sources (``changed`` over the running ones) fails on."""
    walk = Walk(changed, tracked, root)
    try:
        for name in roots:
            walk.import_module(name)
    except ImportCycleError as exc:
        return exc
    return None
