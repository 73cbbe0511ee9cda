"""The import graph of a game's modules, and their dependency order.

Edges come from each module's import statements (read from its source, so they are known
without running anything). The order puts a module's dependencies before it; a cycle is
broken where the depth-first walk meets it, so circular imports never stop a reload.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["ImportGraph"]


class ImportGraph:
    """Which tracked module imports which; dependency order, and the dependents of a module."""

    def __init__(self) -> None:
        self._deps: dict[str, frozenset[str]] = {}
        self._rank: dict[str, int] | None = None
        self._dependents: dict[str, frozenset[str]] | None = None

    # The edge dict is never changed in place, only replaced (edits are rare: an import
    # added or removed), so a snapshot for rollback is free: the current dict itself.

    def set(self, module: str, depends_on: Iterable[str]) -> None:
        """Record the game modules ``module`` imports (replacing what was known)."""
        deps = frozenset(d for d in depends_on if d != module)
        if self._deps.get(module) != deps:
            self._deps = {**self._deps, module: deps}
            self._rank = self._dependents = None

    def remove(self, module: str) -> None:
        """Forget ``module``."""
        if module in self._deps:
            self._deps = {k: v for k, v in self._deps.items() if k != module}
            self._rank = self._dependents = None

    def clear(self) -> None:
        """Forget every module."""
        self._deps = {}
        self._rank = self._dependents = None

    def copy_from(self, other: Mapping[str, frozenset[str]]) -> None:
        """Replace the graph with ``other`` (a :meth:`snapshot`)."""
        if other is not self._deps:
            self._deps = dict(other)
            self._rank = self._dependents = None

    def snapshot(self) -> Mapping[str, frozenset[str]]:
        """The edges, for rollback (read-only: the graph replaces, never mutates, it)."""
        return self._deps

    def rank(self) -> dict[str, int]:
        """Position of each module in dependency order (dependencies first)."""
        if self._rank is None:
            order: list[str] = []
            state: dict[str, int] = {}  # 1: on the walk's path, 2: done
            for root in sorted(self._deps):
                self._visit(root, state, order)
            self._rank = {name: i for i, name in enumerate(order)}
        return self._rank

    def _visit(self, root: str, state: dict[str, int], order: list[str]) -> None:
        # Iterative depth-first walk: a deep chain of imports must not hit the recursion limit.
        if root in state:
            return
        stack: list[tuple[str, list[str]]] = [(root, sorted(self._deps.get(root, ())))]
        state[root] = 1
        while stack:
            name, todo = stack[-1]
            while todo:
                dep = todo.pop(0)
                if dep in self._deps and dep not in state:
                    state[dep] = 1
                    stack.append((dep, sorted(self._deps[dep])))
                    break
            else:
                stack.pop()
                state[name] = 2
                order.append(name)

    def order(self, names: Iterable[str]) -> list[str]:
        """``names`` sorted dependencies first (unknown names last, by name)."""
        rank = self.rank()
        return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))

    def dependents(self, module: str) -> frozenset[str]:
        """Modules that import ``module`` directly."""
        if self._dependents is None:
            back: dict[str, set[str]] = {}
            for name, deps in self._deps.items():
                for dep in deps:
                    back.setdefault(dep, set()).add(name)
            self._dependents = {k: frozenset(v) for k, v in back.items()}
        return self._dependents.get(module, frozenset())
