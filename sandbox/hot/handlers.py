"""The registry of ``before_reload`` / ``after_reload`` handlers.

A handler is keyed by its module and qualname, so re-running its ``def`` replaces the
registration instead of doubling it. Handlers run in dependency order of their modules and
top to bottom (by line) within a module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sandbox.hot.patch import defined_in

__all__ = ["Handler", "HandlerRegistry"]

Handler = Callable[[], object]


def _key(func: Handler) -> tuple[str, str]:
    module = getattr(func, "__module__", None) or "?"
    qualname = getattr(func, "__qualname__", None) or repr(func)
    if _anonymous(func):
        # Every lambda is called "<lambda>": its line tells two apart. Re-running its statement
        # drops the old one first (forget_lines), so a moved line leaves no duplicate.
        qualname = f"{qualname}@{_line(func)}"
    return module, qualname


def _anonymous(func: Handler) -> bool:
    return (getattr(func, "__qualname__", None) or "").endswith("<lambda>")


def _line(func: Handler) -> int:
    code = getattr(func, "__code__", None)
    return code.co_firstlineno if code is not None else 0


def _in_lines(func: Handler, filename: str, first: int, last: int) -> bool:
    code = getattr(func, "__code__", None)
    return code is not None and defined_in(code, filename, first, last)


class HandlerRegistry:
    """Handlers by phase (``"before"`` / ``"after"``), keyed by (module, qualname)."""

    def __init__(self) -> None:
        self._phases: dict[str, dict[tuple[str, str], Handler]] = {"before": {}, "after": {}}

    def register(self, phase: str, func: Handler) -> None:
        """Register (or replace) ``func`` for ``phase``."""
        self._phases[phase][_key(func)] = func

    def snapshot(self) -> dict[str, dict[tuple[str, str], Handler]]:
        """A copy of the registry, for rollback."""
        return {phase: dict(table) for phase, table in self._phases.items()}

    def restore(self, snapshot: dict[str, dict[tuple[str, str], Handler]]) -> None:
        """Put back a registry taken by :meth:`snapshot`."""
        self._phases = {phase: dict(table) for phase, table in snapshot.items()}

    def forget_modules(self, names: Iterable[str]) -> None:
        """Drop every handler registered by the modules ``names``."""
        drop = set(names)
        for table in self._phases.values():
            for key in [k for k in table if k[0] in drop]:
                del table[key]

    def forget(self, module: str, qualname: str) -> None:
        """Drop the handlers of ``module.qualname`` and of everything defined inside it."""
        nested = qualname + "."
        for table in self._phases.values():
            for key in [k for k in table if k[0] == module
                        and (k[1] == qualname or k[1].startswith(nested))]:
                del table[key]

    def forget_lines(self, module: str, filename: str, first: int, last: int) -> None:
        """Drop the lambdas ``module`` registered from ``filename`` lines first..last.

        Called for a statement that runs again or is removed: what it registered goes with it
        (named handlers go by name, :meth:`forget`).
        """
        for table in self._phases.values():
            for key in [k for k, f in table.items() if k[0] == module and _anonymous(f)
                        and _in_lines(f, filename, first, last)]:
                del table[key]

    def anonymous(self, module: str) -> list[Handler]:
        """The lambdas ``module`` registered (their line numbers move with their statement)."""
        return [f for table in self._phases.values() for k, f in table.items()
                if k[0] == module and _anonymous(f)]

    def ordered(self, phase: str, rank: dict[str, int]) -> list[Handler]:
        """Handlers of ``phase``: modules by ``rank`` (dependencies first), top to bottom."""
        table = self._phases[phase]
        keys = sorted(
            table, key=lambda k: (rank.get(k[0], len(rank)), k[0], _line(table[k]), k[1])
        )
        return [table[k] for k in keys]

    def modules(self) -> set[str]:
        """The modules that registered a handler."""
        return {k[0] for table in self._phases.values() for k in table}

    def clear(self) -> None:
        """Forget every handler."""
        for table in self._phases.values():
            table.clear()

    def __len__(self) -> int:
        return sum(len(t) for t in self._phases.values())
