"""Tracking a game's modules: an import hook for files under the game folder.

Every module whose file lies under the root, imported by anyone (the entry module, its
imports, modules that new code imports during a reload), is loaded by :class:`GameLoader`,
which keeps its source cut into statements. Code is compiled with the real absolute path,
and ``linecache`` holds the *running* source, so tracebacks show the lines that run even
while the file on disk says something else.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import linecache
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from sandbox.hot.names import resolve
from sandbox.hot.parsecache import load
from sandbox.hot.source import RACY_NS, ParsedSource, SourceFile

__all__ = ["RACY_NS", "GameFinder", "GameLoader", "Tracked", "set_linecache"]


@dataclass
class Tracked:
    """One game module as it runs: file, source cut into statements, last stat seen."""

    name: str
    path: Path
    parsed: ParsedSource
    mtime_ns: int
    size: int
    read_ns: int
    filename: str = field(init=False)  # the absolute path code is compiled with
    # The module object itself: game code may delete its sys.modules entry, edits still apply.
    module: ModuleType | None = field(default=None, repr=False)
    # What the module's statements bound last, by name: a name holding another object now
    # was changed by play, and a statement that would bind it again keeps it instead.
    bound: dict[str, Any] = field(default_factory=dict, repr=False)

    # The package relative imports are resolved against (asked for every dependent a reload
    # visits: worked out once).
    package: str = field(init=False)

    def __post_init__(self) -> None:
        self.filename = str(self.path)
        is_package = self.path.name == "__init__.py"
        self.package = self.name if is_package else self.name.rpartition(".")[0]

    def depends_on(self, parsed: ParsedSource | None = None) -> set[str]:
        """Module names this module's import statements (or ``parsed``'s) may load."""
        found: set[str] = set()
        for ref in (parsed or self.parsed).imports:
            found.update(resolve(ref, self.package))
        return found

    def remember(self, source: SourceFile) -> None:
        """Record the stat of a read whose text is what runs."""
        self.mtime_ns, self.size, self.read_ns = source.mtime_ns, source.size, source.read_ns

    def stat_says_same(self, mtime_ns: int, size: int) -> bool:
        """True when the stat proves the file unchanged (not within the racy window)."""
        return (mtime_ns == self.mtime_ns and size == self.size
                and self.mtime_ns + RACY_NS < self.read_ns)


class _RunningLines(tuple):  # type: ignore[type-arg]
    """A ``linecache`` entry, ``(size, None, lines, fullname)``, whose lines are split from
    the running text when something first asks for them.

    Splitting every module's text into lines was a third of what a game's first import cost
    over a plain ``import`` (a 100-module game: 28,000 strings, and lists the garbage
    collector walks), and most modules never appear in a traceback. linecache's own lazy
    entries (a 1-tuple holding a function, ``linecache.lazycache``) cannot stand in: on
    3.10–3.13 ``getlines`` uses one only when the file cannot be ``stat``-ed, so for a file
    that exists it reads the disk, which after an edit is not the running code. This entry
    is a 4-tuple as ``getlines`` returns it unread (``cache[filename][2]``) and
    ``checkcache`` unpacks it (mtime None: never replaced by the file on disk); both go
    through Python's subscript and iteration, which are overridden here.
    """

    _lines: list[str] | None
    _text: str

    def __new__(cls, path: str, text: str) -> _RunningLines:
        entry = super().__new__(cls, (len(text), None, None, path))
        entry._text, entry._lines = text, None
        return entry

    def lines(self) -> list[str]:
        """The running text's lines, each ending in a newline (split on first use)."""
        lines = self._lines
        if lines is None:
            lines = self._text.splitlines(keepends=True)
            if lines and not lines[-1].endswith("\n"):
                lines[-1] += "\n"
            self._lines = lines
        return lines

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return tuple(self)[index]
        if index in (2, -2):
            return self.lines()
        return super().__getitem__(index)

    def __iter__(self) -> Iterator[Any]:
        yield from (len(self._text), None, self.lines(), super().__getitem__(3))


def set_linecache(path: str, text: str) -> None:
    """Make ``linecache`` (tracebacks, inspect) show ``text`` for ``path``, whatever the file
    on disk says, from now on; its lines are made when first asked for."""
    linecache.cache[path] = _RunningLines(path, text)


class GameLoader(importlib.abc.Loader):
    """Loads one game module: reads, cuts into statements, compiles with the real path."""

    def __init__(self, origin: str, on_loaded: Callable[[Tracked], None],
                 on_failed: Callable[[str], None]) -> None:
        self.origin = origin
        self._on_loaded = on_loaded
        self._on_failed = on_failed

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        """Default module creation."""
        return None

    def exec_module(self, module: ModuleType) -> None:
        """Track the module, then run its code in its namespace."""
        loaded = load(self.origin)
        source, name = loaded.source, module.__name__
        tracked = Tracked(name, Path(self.origin), loaded.parsed, source.mtime_ns, source.size,
                          source.read_ns, module)
        self._on_loaded(tracked)
        set_linecache(self.origin, source.text)
        try:
            exec(loaded.code, module.__dict__)
        except BaseException:
            self._on_failed(name)
            raise
        tracked.bound = dict(module.__dict__)

    def get_source(self, fullname: str) -> str | None:
        """The running source (what linecache shows)."""
        entry = linecache.cache.get(self.origin)
        lines: list[str] = list(entry[2]) if entry else []  # type: ignore[misc]
        return "".join(lines) if entry else None


class GameFinder(importlib.abc.MetaPathFinder):
    """Finds modules whose file lies under ``root`` and hands them to a GameLoader."""

    def __init__(self, root: Path, on_loaded: Callable[[Tracked], None],
                 on_failed: Callable[[str], None]) -> None:
        self.root = root
        self._on_loaded = on_loaded
        self._on_failed = on_failed
        self._real_folders: dict[str, str] = {}

    def owns(self, path: str) -> bool:
        """True when ``path`` lies under the root."""
        return self._resolved_under_root(path) is not None

    def _resolved_under_root(self, path: str) -> str | None:
        """``path`` resolved (symlinks followed), when it lies under the root; else None."""
        # os.path, not pathlib: this runs for every module a game imports, and resolve() plus
        # relative_to() cost a third of a first import that the parse cache makes cheap.
        try:
            folder, name = os.path.split(path)
            real_folder = self._real_folders.get(folder)
            if real_folder is None:
                real_folder = self._real_folders[folder] = os.path.realpath(folder)
            joined = os.path.join(real_folder, name)
            # A folder's real path is kept for the session (a game's folders do not move);
            # the file itself may be a link, checked every time.
            resolved = os.path.realpath(joined) if os.path.islink(joined) else joined
        except (OSError, ValueError):
            return None
        root = str(self.root)
        if resolved == root or resolved.startswith(root.rstrip(os.sep) + os.sep):
            return resolved
        return None

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        """A spec with a GameLoader for game modules; None for everything else."""
        if path is None:
            if fullname in sys.stdlib_module_names:
                return None  # a game file named like the stdlib must not shadow it
            search: Sequence[str] = [str(self.root)]
        else:
            search = path
        spec = importlib.machinery.PathFinder.find_spec(fullname, list(search))
        if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
            return None
        origin = self._resolved_under_root(spec.origin)
        if origin is None:
            return None
        spec.loader = GameLoader(origin, self._on_loaded, self._on_failed)
        return spec
