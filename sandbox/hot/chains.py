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

from collections.abc import Sequence

from sandbox.hot.effects import Effects
from sandbox.hot.source import Kind, Statement

__all__ = ["chain_binders"]


class _Chains:
    """One module's new statements, asked about the chains an edit touched."""

    def __init__(self, new: Sequence[Statement]) -> None:
        self.new = new
        self.effects = Effects(new)

    def updates(self, st: Statement) -> frozenset[str]:
        return self.effects.updates(st)

    def binder(self, before: int, name: str) -> int | None:
        """The plain statement at or above ``before`` that starts ``name``'s chain, if any."""
        for j in range(before, -1, -1):
            st = self.new[j]
            updates = self.updates(st)
            if name not in st.binds and name not in updates:
                continue
            if st.kind is not Kind.STMT or st.imports:
                return None  # a def, class or import: not a chain this module starts
            if name not in updates:
                return j
        return None

    def after(self, j: int, name: str) -> set[int]:
        """The statements below ``j`` that change ``name`` from its value, up to its next
        binding. They run again with it even when the binding gives the very object the chain
        ended with (``SPEED = 2`` / ``SPEED *= 2`` edited to ``SPEED = 4``: nothing rebound)."""
        found: set[int] = set()
        for k in range(j + 1, len(self.new)):
            st = self.new[k]
            if name in self.updates(st):
                found.add(k)
            elif name in st.binds:
                break
        return found

    def readers_after(self, after: int, name: str) -> set[int]:
        """The statements below ``after`` reading ``name`` (or ``name.attr``)."""
        prefix = name + "."
        return {k for k in range(after + 1, len(self.new))
                if any(r == name or r.startswith(prefix) for r in self.new[k].reads)}

    def reordered(self, old: Sequence[Statement | None]) -> list[tuple[int, str]]:
        """Chains two of whose statements now run in another order than they ran."""
        last: dict[str, int] = {}  # name -> the latest old line of its chain met so far
        found: list[tuple[int, str]] = []
        for i, (st, before) in enumerate(zip(self.new, old, strict=True)):
            if before is None:
                continue
            for name in self.updates(st):
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
    chains = _Chains(new)
    triggers: list[tuple[int, str]] = []
    found: set[int] = set()
    for i, st in enumerate(new):
        if not runs[i]:
            continue
        for name in chains.updates(st):
            if old[i] is not None or chains.after(i, name):
                triggers.append((i - 1, name))
            else:
                # A new ``ENEMIES.append(9)`` at the end of its chain: running it alone gives
                # what a fresh start gives and keeps what play did to the list; what reads the
                # list below (``COUNT = len(ENEMIES)``) runs again, since nothing was rebound.
                found |= chains.readers_after(i, name)
    for gone in removed:
        names = chains.updates(gone)
        if names:
            above = max((i for i, before in enumerate(old)
                         if before is not None and before.start < gone.start), default=-1)
            triggers.extend((above, name) for name in names)
    triggers.extend(chains.reordered(old))
    for before, name in triggers:
        j = chains.binder(before, name)
        if j is not None:
            found.add(j)
            found |= chains.after(j, name)
    for j, st in enumerate(new):
        if runs[j] and st.kind is Kind.STMT and not st.imports:
            for name in st.binds:
                found |= chains.after(j, name)
    return sorted(found)
