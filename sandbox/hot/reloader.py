"""The Reloader: tracks a game's modules and reloads what changed on disk (naive first cut)."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import linecache
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType

from sandbox.events import ErrorInfo
from sandbox.hot import api
from sandbox.hot.handlers import HandlerRegistry
from sandbox.hot.report import ReloadReport

__all__ = ["Reloader"]


class _Finder(importlib.abc.MetaPathFinder):
    """Finds modules whose file lies under the game folder and loads them with _Loader."""

    def __init__(self, reloader: Reloader) -> None:
        self.reloader = reloader

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        search = list(path) if path is not None else [str(self.reloader.root)]
        spec = importlib.machinery.PathFinder.find_spec(fullname, search)
        if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
            return None
        if not self.reloader.owns(Path(spec.origin)):
            return None
        spec.loader = _Loader(self.reloader, spec.origin)
        return spec


class _Loader(importlib.abc.Loader):
    def __init__(self, reloader: Reloader, origin: str) -> None:
        self.reloader = reloader
        self.origin = origin

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        self.reloader._exec_new(module, Path(self.origin))


class Reloader:
    """Makes the modules under ``root`` reloadable; see DESIGN.md §3."""

    def __init__(self, root: str | Path, entry: str = "main", retry_delay: float = 0.05) -> None:
        self.root = Path(root).resolve()
        self.entry = entry
        self.retry_delay = retry_delay
        self.reload_requested = False
        self.handlers = HandlerRegistry()
        self.changing: frozenset[str] = frozenset()
        self._sources: dict[str, str] = {}
        self._paths: dict[str, Path] = {}
        self._finder = _Finder(self)
        sys.meta_path.insert(0, self._finder)
        self._root_str = str(self.root)
        if self._root_str not in sys.path:
            sys.path.insert(0, self._root_str)
        api.set_active(self, True)

    def owns(self, path: Path) -> bool:
        """True when ``path`` lies under the game folder."""
        try:
            path.resolve().relative_to(self.root)
        except ValueError:
            return False
        return True

    @property
    def modules(self) -> dict[str, ModuleType]:
        """Every tracked game module, by name."""
        return {n: sys.modules[n] for n in self._sources if n in sys.modules}

    def _exec_new(self, module: ModuleType, path: Path) -> None:
        source = path.read_text(encoding="utf-8")
        name = module.__name__
        code = compile(source, str(path), "exec", dont_inherit=True)
        self._sources[name] = source
        self._paths[name] = path
        linecache.cache[str(path)] = (len(source), None, source.splitlines(True), str(path))
        exec(code, module.__dict__)

    def import_module(self, name: str) -> ModuleType:
        """Import ``root/<name>.py`` as module ``name`` and track it."""
        return importlib.import_module(name)

    def has_any_module_changed(self) -> bool:
        """True when a tracked file differs on disk from the running code."""
        for name, path in self._paths.items():
            try:
                if path.read_text(encoding="utf-8") != self._sources[name]:
                    return True
            except (OSError, UnicodeDecodeError):
                continue
        return False

    def reload(self, paths: Iterable[str | Path] | None = None) -> ReloadReport:
        """Reload whatever changed on disk since the last call (naive: re-runs the module)."""
        start = time.perf_counter()
        report = ReloadReport()
        for name, path in list(self._paths.items()):
            try:
                source = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if source == self._sources[name]:
                continue
            try:
                code = compile(source, str(path), "exec", dont_inherit=True)
                exec(code, sys.modules[name].__dict__)
            except Exception as exc:
                return ReloadReport(ok=False, error=exc,
                                    error_info=ErrorInfo.from_exception(exc, self.root))
            self._sources[name] = source
            report.changed.append(name)
            report.files.append(path.name)
        report.seconds = time.perf_counter() - start
        return report

    def restart(self) -> ReloadReport:
        """Drop every game module and import the entry module fresh."""
        start = time.perf_counter()
        old = self.modules
        for name in old:
            del sys.modules[name]
        self._sources.clear()
        self._paths.clear()
        try:
            importlib.import_module(self.entry)
        except Exception as exc:
            sys.modules.update(old)
            return ReloadReport(ok=False, error=exc, restart=True,
                                error_info=ErrorInfo.from_exception(exc, self.root))
        return ReloadReport(changed=list(self.modules), restart=True,
                            seconds=time.perf_counter() - start)

    def close(self) -> None:
        """Forget the game's modules (sys.modules, sys.path); no longer active."""
        for name in list(self._sources):
            sys.modules.pop(name, None)
        self._sources.clear()
        self._paths.clear()
        if self._finder in sys.meta_path:
            sys.meta_path.remove(self._finder)
        if self._root_str in sys.path:
            sys.path.remove(self._root_str)
        api.set_active(self, False)
