"""The Reloader: the engine API the host and the tests use (DESIGN.md §3).

``reload()`` is ``apply(prepare(paths))``. ``prepare`` reads, parses, matches and compiles
without touching any module; ``apply`` runs the ``before_reload`` handlers, applies every
changed module (dependencies first, dependents after), runs the ``after_reload`` handlers,
and on any failure rolls every mutation back from its journal, so a reload is all or nothing.
"""

from __future__ import annotations

import importlib
import linecache
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from sandbox.hot.api import set_active
from sandbox.hot.context import ReloadContext
from sandbox.hot.cycles import check_import_cycles
from sandbox.hot.errors import error_info
from sandbox.hot.graph import ImportGraph
from sandbox.hot.handlers import HandlerRegistry
from sandbox.hot.plan import Plan, changed_files, prepare, shown_path
from sandbox.hot.report import ReloadReport
from sandbox.hot.run import apply_plan
from sandbox.hot.tracking import GameFinder, Tracked, set_linecache
from sandbox.hot.transaction import Journal

__all__ = ["Reloader"]


class Reloader:
    """Makes every module under ``root`` reloadable; the most recent one is *active*.

    ``Reloader(root, entry="main")`` puts ``root`` on ``sys.path[0]`` and installs an import
    hook for files under it. A reload never waits for a file being written: a half-written
    save is an error at once, and the save's next write is another change (``plan._load_all``).
    ``retry_delay`` is accepted and ignored: it was that wait, and callers still pass it.
    """

    def __init__(self, root: str | Path, entry: str = "main", retry_delay: float = 0.0) -> None:
        del retry_delay  # nothing waits any more (see the class docstring)
        self.root = Path(root).resolve()
        self.entry = entry
        self.reload_requested = False
        self.handlers = HandlerRegistry()
        self.graph = ImportGraph()
        self.changing: frozenset[str] = frozenset()  # modules changed by the running reload
        self._tracked: dict[str, Tracked] = {}
        self._by_file: dict[str, Tracked] | None = None  # tracked modules by file name
        self._roots: list[str] = []
        self._journal: Journal | None = None
        self._new_modules: list[str] = []
        self._finder = GameFinder(self.root, self._loaded, self._forget)
        sys.meta_path.insert(0, self._finder)
        self._path_entry = str(self.root)
        sys.path.insert(0, self._path_entry)
        set_active(self, True)

    # -- tracking ------------------------------------------------------------------------

    def _loaded(self, tracked: Tracked) -> None:
        self._tracked[tracked.name] = tracked
        self._by_file = None
        self.graph.set(tracked.name, tracked.depends_on())
        if self._journal is not None:  # imported by new code: rollback removes it again
            self._journal.save_new_module(tracked.name, self._forget)
            self._new_modules.append(tracked.name)

    def _forget(self, name: str) -> None:
        self._tracked.pop(name, None)
        self._by_file = None
        self.graph.remove(name)
        self.handlers.forget_modules([name])

    @property
    def modules(self) -> dict[str, ModuleType]:
        """Every tracked game module, by name."""
        return {n: sys.modules[n] for n in self._tracked if n in sys.modules}

    def tracked(self, name: str) -> Tracked | None:
        """The engine's record of module ``name`` (its running source), if tracked."""
        return self._tracked.get(name)

    def _invalidate_finder_cache(self) -> None:
        # A file created within the folder's mtime tick would be missed by the cached listing.
        finder = sys.path_importer_cache.get(self._path_entry)
        invalidate = getattr(finder, "invalidate_caches", None)
        if invalidate is not None:
            invalidate()

    def import_module(self, name: str) -> ModuleType:
        """Import ``root/<name>.py`` as module ``name`` (tracked and reloadable) and return it."""
        if name not in self._roots:
            self._roots.append(name)
        if name in sys.modules and name not in self._tracked:
            del sys.modules[name]  # a stale module of that name: the game folder's file wins
        self._invalidate_finder_cache()
        return importlib.import_module(name)

    # -- reloading -----------------------------------------------------------------------

    def _candidates(self, paths: Iterable[str | Path] | None) -> list[Tracked]:
        if paths is None:
            return list(self._tracked.values())
        # By file name: no per-module work when a game has 100 modules.
        by_file = self._by_file
        if by_file is None:
            by_file = self._by_file = {t.filename: t for t in self._tracked.values()}
        found = []
        for p in paths:
            t = by_file.get(str(p)) or by_file.get(str(Path(p).resolve()))
            if t is not None and t not in found:
                found.append(t)
        return found

    def _namespaces(self) -> list[dict[str, Any]]:
        """Every tracked module's namespace (deleted from sys.modules or not)."""
        return [t.module.__dict__ for t in self._tracked.values() if t.module is not None]

    def _save_handler_state(self, journal: Journal) -> None:
        """Handlers may change their modules' lists, dicts and sets: record them for rollback."""
        for name in self.handlers.modules():
            t = self._tracked.get(name)
            if t is None or t.module is None:
                continue
            for value in list(t.module.__dict__.values()):
                if type(value) in (list, dict, set):
                    journal.save_contents(value)

    def has_any_module_changed(self) -> bool:
        """True when a tracked file differs on disk from what runs (stat, then content).

        A missing file does not count: there is nothing to reload until it is back.
        """
        return any(source is not None for _, source in changed_files(self._tracked.values()))

    def prepare(self, paths: Iterable[str | Path] | None = None) -> Plan:
        """Read, parse, match and compile what changed; touches no module (any thread)."""
        plan = prepare(self._candidates(paths), self.root)
        check_import_cycles(plan, self._tracked, self._roots or [self.entry], self.root,
                            self.graph.snapshot())
        return plan

    def reload(self, paths: Iterable[str | Path] | None = None) -> ReloadReport:
        """Reload whatever changed on disk since the last call (``paths``: a hint)."""
        start = time.perf_counter()
        try:
            plan = self.prepare(paths)
        except Exception as exc:  # prepare reports its own failures; this is the last net
            return ReloadReport(ok=False, error=exc, error_info=error_info(exc, self.root),
                                seconds=time.perf_counter() - start)
        report = self.apply(plan)
        report.seconds = time.perf_counter() - start
        return report

    def apply(self, plan: Plan) -> ReloadReport:
        """Apply a prepared plan on the main thread: handlers, changes, rollback on failure."""
        start = time.perf_counter()
        if plan.error is not None:
            return ReloadReport(ok=False, error=plan.error,
                                error_info=error_info(plan.error, self.root),
                                seconds=plan.seconds)
        if not plan.modules:
            return ReloadReport(seconds=plan.seconds, notes=plan.notes)
        rank = self.graph.rank()
        names = self.graph.order(mp.tracked.name for mp in plan.modules)
        files = [shown_path(self._tracked[n], self.root) for n in names]
        report = ReloadReport(changed=names, files=files, notes=plan.notes)
        journal = Journal()
        handlers_before = self.handlers.snapshot()
        graph_before = self.graph.snapshot()
        self.changing = frozenset(names)
        self._journal = journal
        self._new_modules = []
        ctx = ReloadContext(journal, self.handlers, self._namespaces)
        try:
            self._save_handler_state(journal)
            for handler in self.handlers.ordered("before", rank):
                handler()
            self._invalidate_finder_cache()
            changes = apply_plan(plan, self.graph, self._tracked, self.root, ctx)
            for mp in plan.modules:
                if mp.depends_on is not None:
                    self.graph.set(mp.tracked.name, mp.depends_on)
            for handler in self.handlers.ordered("after", self.graph.rank()):
                handler()
        except BaseException as exc:
            info = error_info(exc, self.root)  # before rollback: linecache shows the new code
            journal.rollback()
            self.handlers.restore(handlers_before)
            self.graph.copy_from(graph_before)
            self._journal = None
            self.changing = frozenset()
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            return ReloadReport(ok=False, error=exc, error_info=info,
                                seconds=plan.seconds + time.perf_counter() - start)
        for mp in plan.modules:
            mp.tracked.parsed = mp.parsed
            mp.tracked.remember(mp.source)
        self._journal = None
        self.changing = frozenset()
        report.patched, report.rerun = changes.patched, changes.rerun
        report.added = changes.added + [f"{n} (new module)" for n in self._new_modules]
        report.removed, report.rebound = changes.removed, changes.rebound
        report.reran, report.fields = changes.reran, changes.fields
        report.kept = list(dict.fromkeys(changes.kept))
        # Once each: two statements may bind one name, an import cycle may run a module twice.
        report.bound_names = list(dict.fromkeys(changes.bound))
        report.seconds = plan.seconds + (time.perf_counter() - start)
        return report

    def restart(self) -> ReloadReport:
        """Hot restart: drop every game module and import the entry fresh (state starts over).

        If the fresh import fails, the old modules are put back and ``report.ok`` is False.
        """
        start = time.perf_counter()
        old_modules = self.modules
        old_tracked = dict(self._tracked)
        graph_before = self.graph.snapshot()
        handlers_before = self.handlers.snapshot()
        for name in old_tracked:
            sys.modules.pop(name, None)
        self._tracked.clear()
        self._by_file = None
        self.graph.clear()
        self.handlers.clear()
        self._invalidate_finder_cache()
        try:
            for name in self._roots or [self.entry]:
                importlib.import_module(name)
        except BaseException as exc:
            info = error_info(exc, self.root)
            for name in self._tracked:
                sys.modules.pop(name, None)
            sys.modules.update(old_modules)
            self._tracked = old_tracked
            self._by_file = None
            self.graph.copy_from(graph_before)
            self.handlers.restore(handlers_before)
            for t in old_tracked.values():
                set_linecache(t.filename, t.parsed.text)
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            return ReloadReport(ok=False, error=exc, error_info=info, restart=True,
                                seconds=time.perf_counter() - start)
        names = self.graph.order(self._tracked)
        files = [shown_path(self._tracked[n], self.root) for n in names]
        return ReloadReport(changed=names, files=files, restart=True,
                            seconds=time.perf_counter() - start)

    def close(self) -> None:
        """Forget the game's modules (``sys.modules`` entries, ``sys.path`` entry)."""
        for name, tracked in self._tracked.items():
            sys.modules.pop(name, None)
            linecache.cache.pop(tracked.filename, None)  # pinned entries: back to the disk
        self._tracked.clear()
        self._by_file = None
        self.graph.clear()
        self.handlers.clear()
        if self._finder in sys.meta_path:
            sys.meta_path.remove(self._finder)
        if self._path_entry in sys.path:
            sys.path.remove(self._path_entry)
        sys.path_importer_cache.pop(self._path_entry, None)
        set_active(self, False)

    def __enter__(self) -> Reloader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
