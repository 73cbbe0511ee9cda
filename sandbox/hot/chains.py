"""Update chains: statements that change a name from its own value run again from its binding.

``SPEED = 10`` then ``SPEED *= 2``, or ``ENEMIES = []`` then ``ENEMIES.append(Enemy(3))``:
the second statement starts from what the name holds. Running only an edited
``SPEED *= 3`` would multiply the running 20 (60, where a fresh start gives 30), and an edited
``ENEMIES.append(Enemy(5))`` would add a second enemy next to the first. So when a statement of
such a chain is edited, added in the middle, removed or moved past another one of the chain,
the plain statement that binds the name (``SPEED = 10``, ``ENEMIES = []``) runs again: the name
is then rebound, and the rest of the chain — and everything reading the name — runs again
after it, in source order, as in a fresh start.

What counts as changing a name from its own value: ``X += 1`` (on ``X``, ``X[k]`` or ``X.a``),
``X = f(X)``, ``X[k] = v``, ``del X[k]``, and a method call as a statement (``X.append(v)``).
Setting an attribute (``PLAYER.x = 5``) does not: running it again gives what a fresh start
gives, and the player made above keeps its play state. A chain whose binding is an import, a
``def`` or a ``class`` is left alone (the object is shared, or patched in place).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Sequence

from sandbox.hot.source import Kind, Statement

__all__ = ["chain_binders", "updated_names"]

def _root(node: ast.expr) -> str | None:
    """``X`` for ``X``, ``X[k]``, ``X.a.b`` and ``X.a[k]``; None for ``f()[k]`` and the like."""
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


class _Updates(ast.NodeVisitor):
    """Collects the names a statement changes from their own value (see the module doc)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def _add(self, node: ast.expr | None) -> None:
        name = _root(node) if node is not None else None
        if name is not None:
            self.names.add(name)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._add(node.target)

    def _targets(self, targets: Iterable[ast.expr], value: ast.expr | None) -> None:
        read = ({n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
                if value is not None else set())
        for target in targets:
            if isinstance(target, (ast.Tuple, ast.List)):
                self._targets(target.elts, value)
            elif isinstance(target, ast.Starred):
                self._targets([target.value], value)
            elif isinstance(target, ast.Subscript):
                self._add(target)
            elif isinstance(target, ast.Name) and target.id in read:
                self.names.add(target.id)

    def visit_Assign(self, node: ast.Assign) -> None:
        self._targets(node.targets, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._targets([node.target], node.value)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if isinstance(target, ast.Subscript):
                self._add(target)

    def visit_Expr(self, node: ast.Expr) -> None:
        call = node.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
            self._add(call.func.value)

    # What a def, class or lambda body does runs later, if ever: not part of a chain.
    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        pass

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        pass

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        pass


@functools.lru_cache(maxsize=1024)
def _updates_of(text: str) -> frozenset[str]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()  # parsed once already; nothing to learn here
    visitor = _Updates()
    visitor.visit(tree)
    return frozenset(visitor.names)


def _may_update(st: Statement) -> bool:
    """Cheap first test: a plain statement binding nothing, reading a name it binds, or of
    several lines (``for e in LEVEL:`` / ``    ENEMIES.append(Enemy(e))``)."""
    if st.kind is not Kind.STMT or st.imports:
        return False
    return (not st.binds or st.start != st.end or not set(st.binds).isdisjoint(st.reads))


def updated_names(st: Statement) -> frozenset[str]:
    """The names ``st`` changes from their own value (``X += 1``, ``X.append(v)``, ...)."""
    return _updates_of(st.text) if _may_update(st) else frozenset()


def _binder(new: Sequence[Statement], before: int, name: str) -> int | None:
    """The plain statement at or above ``before`` that starts ``name``'s chain, if any."""
    for j in range(before, -1, -1):
        st = new[j]
        updates = updated_names(st)
        if name not in st.binds and name not in updates:
            continue
        if st.kind is not Kind.STMT or st.imports:
            return None  # a def, class or import: not a chain this module starts
        if name not in updates:
            return j
    return None


def _readers_after(new: Sequence[Statement], after: int, name: str) -> set[int]:
    """The statements below ``after`` reading ``name`` (or ``name.attr``)."""
    prefix = name + "."
    return {k for k in range(after + 1, len(new))
            if any(r == name or r.startswith(prefix) for r in new[k].reads)}


def _reordered(new: Sequence[Statement],
               old: Sequence[Statement | None]) -> list[tuple[int, str]]:
    """Chains two of whose statements now run in another order than they ran."""
    last: dict[str, int] = {}  # name -> the latest old line of its chain met so far
    found: list[tuple[int, str]] = []
    for i, (st, before) in enumerate(zip(new, old, strict=True)):
        if before is None:
            continue
        for name in updated_names(st):
            if last.get(name, -1) > before.start:
                found.append((i, name))
            last[name] = max(last.get(name, -1), before.start)
    return found


def chain_binders(new: Sequence[Statement], old: Sequence[Statement | None],
                  runs: Sequence[bool], removed: Sequence[Statement]) -> list[int]:
    """Which of ``new`` must run again because an edit touched a chain they are part of.

    ``old[i]``: the running statement ``new[i]`` is paired with (None: new); ``runs[i]``:
    whether it runs anyway (edited or new); ``removed``: running statements now gone.
    """
    triggers: list[tuple[int, str]] = []
    found: set[int] = set()
    for i, st in enumerate(new):
        if not runs[i]:
            continue
        for name in updated_names(st):
            if old[i] is not None or _chain_after(new, i, name):
                triggers.append((i - 1, name))
            else:
                # A new ``ENEMIES.append(9)`` at the end of its chain: running it alone gives
                # what a fresh start gives and keeps what play did to the list; what reads the
                # list below (``COUNT = len(ENEMIES)``) runs again, since nothing was rebound.
                found |= _readers_after(new, i, name)
    for gone in removed:
        names = updated_names(gone)
        if names:
            above = max((i for i, before in enumerate(old)
                         if before is not None and before.start < gone.start), default=-1)
            triggers.extend((above, name) for name in names)
    triggers.extend(_reordered(new, old))
    for before, name in triggers:
        j = _binder(new, before, name)
        if j is not None:
            found.add(j)
            found |= _chain_after(new, j, name)
    for j, st in enumerate(new):
        if runs[j] and st.kind is Kind.STMT and not st.imports:
            for name in st.binds:
                found |= _chain_after(new, j, name)
    return sorted(found)


def _chain_after(new: Sequence[Statement], j: int, name: str) -> set[int]:
    """The statements below ``j`` that change ``name`` from its value, up to its next binding.

    They run again with it even when the binding gives the very object the chain ended with
    (``SPEED = 2`` then ``SPEED *= 2``, edited to ``SPEED = 4``): nothing counts as rebound then.
    """
    found: set[int] = set()
    for k in range(j + 1, len(new)):
        st = new[k]
        if name in updated_names(st):
            found.add(k)
        elif name in st.binds:
            break
    return found
