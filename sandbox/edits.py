"""Which values of a recording today's code replaces: the names a reload would bind again.

A replay (``--replay FILE``) must run today's code, as a live loop does: when a recording
made with ``COLOUR = (200, 200, 255)`` is replayed after ``COLOUR`` was edited, the paddle is
drawn in the new colour, while what play changed (the paddle's ``x``) still starts from the
recording. A recording keeps the source its values came from (``Recording.sources``), so the
edit is found by asking what a hot reload from that source to today's would run — the
engine's own rule, worked out here without running anything:

- a plain statement whose text changed (not only its comments) or that is new binds its
  names again (``COLOUR = ...``);
- an unchanged statement that reads a name bound again earlier in its module runs again
  (``HALF = WIDTH // 2`` after ``WIDTH`` was edited), and so does a dependent module's
  ``from paddle import COLOUR`` or a statement reading ``paddle.WIDTH``, module by module
  until nothing more follows;
- a changed ``def`` or ``class`` is patched in place (its name keeps its object), so only a
  new one counts as bound again;
- a name only a removed statement bound is gone, and its readers run again;
- except that an unchanged statement is not run again when play had changed a name it
  binds (``vy = -SPEED`` after the ball bounced): the engine keeps such a name, and so does
  a replay. The recording lists those names (``Recording.changed_by_play``: names holding
  another object than their statement bound when recording began, :func:`changed_by_play`).

Those names take the values of the game as it starts today (a fresh import, then
``load()``); every other name takes the recording's.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING

from sandbox.hot.matching import Status, Step, match
from sandbox.hot.names import resolve
from sandbox.hot.source import Kind, ParsedSource, Statement, parse

if TYPE_CHECKING:
    from sandbox.hot.tracking import Tracked

__all__ = ["changed_by_play", "edited_names", "running_sources"]

# Enough rounds for any chain of imports; a cycle of modules re-running each other stops here.
_MAX_ROUNDS = 50


def running_sources(modules: Mapping[str, ModuleType]) -> dict[str, str]:
    """The source each module runs now, by module name.

    The engine keeps ``linecache`` showing every game module's running source (tracebacks
    show it), which may differ from the file on disk after a failed reload.
    """
    sources: dict[str, str] = {}
    for name, module in modules.items():
        filename = getattr(module, "__file__", None)
        if isinstance(filename, str):
            lines = linecache.getlines(filename, vars(module))
            if lines:
                sources[name] = "".join(lines)
    return sources


def changed_by_play(modules: Mapping[str, ModuleType],
                    records: Callable[[str], Tracked | None]) -> dict[str, list[str]]:
    """Per module, the names holding another object than their statement last bound.

    ``records`` is the engine's record of a module (``Reloader.tracked``), whose ``bound``
    says what its statements bound last: the engine's own test for "changed by play".
    """
    changed: dict[str, list[str]] = {}
    for name, module in modules.items():
        record = records(name)
        if record is None:
            continue
        ns, bound = vars(module), record.bound
        names = sorted(n for n in ns if n in bound and ns[n] is not bound[n])
        if names:
            changed[name] = names
    return changed


class _Module:
    """One module's steps from the recorded source to today's, and how it sees others."""

    def __init__(self, name: str, package: str, recorded: str, today: ParsedSource,
                 played: frozenset[str] = frozenset()) -> None:
        self.name = name
        self.package = package
        self.played = played  # names play had changed: an unchanged statement keeps them
        new = today
        if recorded == today.text:
            self.steps = [Step(st, st, Status.SAME) for st in new.statements]
            self.gone: frozenset[str] = frozenset()
        else:
            # Statements both texts share are parsed once (the cache is by text).
            old: ParsedSource = parse(recorded, name, previous=today)
            self.steps, removed = match(old.statements, new.statements)
            kept = {n for step in self.steps for n in step.new.binds}
            self.gone = frozenset(n for st in removed for n in st.binds) - kept

    def bound_again(self, elsewhere: Mapping[str, set[str]]) -> set[str]:
        """Names a reload would bind again here, given those bound again in other modules."""
        rebound = set(self.gone) | self._dotted(elsewhere)
        touched = set(self.gone)
        for step in self.steps:
            imported = self._imported(step, elsewhere)
            st = step.new
            if not (step.status.runs or imported or self._reads(st, rebound)):
                continue
            if st.kind is Kind.STMT:
                names = set(st.binds) - {"*"}
            else:  # a changed def or class is patched in place: only a new one is bound anew
                names = {n for n in st.binds if step.status is Status.NEW}
            if "*" in st.binds:
                names |= imported
            rebound |= names
            touched |= names
        return touched

    def _reads(self, st: Statement, rebound: set[str]) -> bool:
        """An unchanged statement runs for what it reads, unless play changed what it binds."""
        return not rebound.isdisjoint(st.reads) and self.played.isdisjoint(st.binds)

    def _targets(self, ref: tuple[int, str, tuple[tuple[str, str], ...]]) -> str | None:
        found = resolve(ref, self.package)
        return found[0] if found else None

    def _imported(self, step: Step, elsewhere: Mapping[str, set[str]]) -> set[str]:
        """Names ``from m import ...`` in this step takes from a module that bound them again."""
        names: set[str] = set()
        for ref in step.new.imports:
            pairs = ref[2]
            if not pairs or pairs[0][0] == "":
                continue
            again = elsewhere.get(self._targets(ref) or "", set())
            for original, alias in pairs:
                if original == "*":
                    names |= {n for n in again if not n.startswith("_")}
                elif original in again:
                    names.add(alias)
        return names

    def _dotted(self, elsewhere: Mapping[str, set[str]]) -> set[str]:
        """``paddle.WIDTH`` for each ``import paddle`` here whose module bound WIDTH again."""
        dotted: set[str] = set()
        for step in self.steps:
            for ref in step.new.imports:
                pairs = ref[2]
                if pairs and pairs[0][0] == "":
                    again = elsewhere.get(ref[1], set())
                    dotted |= {f"{pairs[0][1]}.{n}" for n in again}
        return dotted


def _package(name: str, module: ModuleType) -> str:
    package = getattr(module, "__package__", None)
    return package if isinstance(package, str) else name.rpartition(".")[0]


def _parsed(name: str, text: str, records: Callable[[str], Tracked | None]) -> ParsedSource:
    """``text`` cut into statements: the engine's own parse when it runs that text.

    Parsing every module of a 100-module game again took 0.75 s at replay start.
    """
    record = records(name)
    if record is not None and record.parsed.text == text:
        return record.parsed
    return parse(text, name)


def _no_records(name: str) -> Tracked | None:
    return None


def edited_names(recorded: Mapping[str, str], modules: Mapping[str, ModuleType],
                 played: Mapping[str, list[str]] | None = None,
                 records: Callable[[str], Tracked | None] = _no_records,
                 ) -> set[tuple[str, str]]:
    """``(module, name)`` pairs a reload from the ``recorded`` sources to today's would bind.

    ``played``: per module, the names play had changed (see :func:`changed_by_play`);
    ``records``: the engine's records (``Reloader.tracked``), whose parse of each module is
    reused. Modules with no recorded source (added since) are left out: none of their values
    is in the recording. A source that no longer parses counts as wholly edited.
    """
    played = played or {}
    today = running_sources(modules)
    parts: list[_Module] = []
    edited: dict[str, set[str]] = {}
    for name, text in today.items():
        if name not in recorded:
            continue
        try:
            parts.append(_Module(name, _package(name, modules[name]), recorded[name],
                                 _parsed(name, text, records), frozenset(played.get(name, ()))))
        except SyntaxError:
            edited[name] = set(vars(modules[name]))
    for _ in range(_MAX_ROUNDS):
        before = {name: len(names) for name, names in edited.items()}
        for part in parts:
            edited.setdefault(part.name, set()).update(part.bound_again(edited))
        if before == {name: len(names) for name, names in edited.items()}:
            break
    return {(mod, n) for mod, names in edited.items() for n in names if n in vars(modules[mod])}
