"""The game's tweakable values: where each literal is, what the file says, what the game holds.

:class:`TweakCatalog` reads each game module's file (``sandbox.tweaks`` finds the literals;
cached by size and mtime, a ``stat`` per module a listing) and pairs each literal with the
live value in the module, so the panel can show where play changed it. ``version`` counts
the times a file's literals were found different: the panel keeps its rows until it, the
game's modules or an event say the list changed, and reads only the live values a frame.
``find("physics.SPEED")`` says "did you mean …?" for a name it does not know, and ``check``
says what a value must be. ``sandbox.tweak_edit`` changes them.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from sandbox.tweaks import Kind, Literal, TweakSourceError, find_literals

__all__ = ["TweakCatalog", "TweakError", "Tweakable"]


class TweakError(ValueError):
    """A tweak that cannot be made: an unknown name, a bad value. The message says why."""


@dataclass(frozen=True)
class Tweakable:
    """One tweakable value: where it is, what the file says, what the game holds now."""

    module: str
    name: str          # SPEED, Ball.RADIUS, BACKGROUND[2]
    target: str        # the assigned name: BACKGROUND for its channels
    kind: Kind
    path: Path
    shown: str         # physics.py
    line: int
    source: object     # the literal in the file
    value: object      # the live value (play may have changed it)
    range: tuple[float, float]
    colour: tuple[int, ...] | None = None  # a channel's whole colour, as in the file

    @property
    def key(self) -> str:
        """``physics.SPEED``: what ``host.tweak`` takes."""
        return f"{self.module}.{self.name}"


def _channel(name: str) -> int:
    return int(name.rsplit("[", 1)[1][:-1]) if name.endswith("]") else 0


def _live(module: ModuleType, name: str) -> object:
    """The game's value of ``name`` (``Ball.RADIUS``, ``BACKGROUND[2]``), or None if absent."""
    index = _channel(name) if name.endswith("]") else None
    obj: object = module
    for part in name.split("[", 1)[0].split("."):
        obj = getattr(obj, part, None)
    if index is not None:
        try:
            return obj[index]  # type: ignore[index]
        except (TypeError, IndexError, KeyError):
            return None
    return obj


class TweakCatalog:
    """Every tweakable of a game's modules, with live values (module docstring)."""

    def __init__(self, modules: Callable[[], Mapping[str, ModuleType]], root: Path) -> None:
        self.modules = modules
        self.root = root
        self._cache: dict[Path, tuple[tuple[int, int], list[Literal] | str]] = {}
        self._names: dict[Path, str] = {}  # physics.py for each file (resolve() is slow)
        # A range from a value's magnitude is kept for the session: a slider whose range
        # followed the value it sets would run away while dragging.
        self._ranges: dict[str, tuple[float, float]] = {}
        self.version = 0  # bumped whenever a file's literals are found to have changed

    def literals(self, path: Path) -> list[Literal] | str:
        """The literals in ``path`` now, or why there are none (cached by size and mtime)."""
        cached = self._cache.get(path)
        try:
            st = path.stat()
            stamp = (st.st_mtime_ns, st.st_size)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            found: list[Literal] | str = find_literals(path.read_bytes())
        except OSError as exc:
            if self._cache.pop(path, None) is not None:
                self.version += 1
            return f"cannot be read: {exc.strerror or exc}"
        except TweakSourceError as exc:
            found = str(exc)
        if cached is None or cached[1] != found:
            self.version += 1
        self._cache[path] = (stamp, found)
        return found

    def tweakables(self) -> list[Tweakable]:
        """Every tweakable of every game module, grouped by module (entry first), file order."""
        out: list[Tweakable] = []
        for name, module in sorted(self.modules().items(), key=lambda kv: kv[0] != "main"):
            path = self.path(module)
            if path is None:
                continue
            found = self.literals(path)
            if isinstance(found, str):
                continue
            shown = self.shown(path)
            out.extend(Tweakable(name, lit.name, lit.target, lit.kind, path, shown, lit.line,
                                 lit.value, _live(module, lit.name), self._range(name, lit),
                                 lit.colour) for lit in found)
        return out

    def live(self, items: Sequence[Tweakable]) -> list[object]:
        """The game's values of ``items`` now (None where a name is gone), in order."""
        modules = self.modules()
        return [_live(modules[t.module], t.name) if t.module in modules else None
                for t in items]

    def _range(self, module: str, lit: Literal) -> tuple[float, float]:
        if lit.commented:
            return (lit.low, lit.high)
        return self._ranges.setdefault(f"{module}.{lit.name}", (lit.low, lit.high))

    def problems(self) -> list[str]:
        """Game modules whose values cannot be listed now, and why (``physics.py does not …``)."""
        out = []
        for module in self.modules().values():
            path = self.path(module)
            found = self.literals(path) if path is not None else []
            if isinstance(found, str) and path is not None:
                out.append(f"{self.shown(path)} {found}")
        return out

    def find(self, key: str) -> Tweakable:
        """The tweakable ``physics.SPEED``; TweakError with "did you mean …?" when unknown."""
        every = self.tweakables()
        for t in every:
            if t.key == key:
                return t
        keys = [t.key for t in every] + sorted({f"{t.module}.{t.target}" for t in every})
        close = difflib.get_close_matches(key, keys, n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise TweakError(f"no tweakable value {key!r}: {hint}host.tweaks() lists them "
                         "(top-level and class-level literals of the game's modules)")

    def check(self, t: Tweakable, value: object) -> object:
        """``value`` as ``t`` can hold it, or TweakError saying what it needs."""
        where = f"{t.key} ({t.shown}:{t.line})"
        if t.kind is Kind.BOOL:
            if not isinstance(value, bool):
                raise TweakError(f"{where} is a boolean: give True or False, not {value!r}")
            return value
        if t.kind is Kind.STR:
            if not isinstance(value, str) or "\n" in value:
                raise TweakError(f"{where} is a one-line string, not {value!r}")
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not math.isfinite(value):
            raise TweakError(f"{where} is a number: give a finite int or float, not {value!r}")
        if t.kind is Kind.CHANNEL:
            if value != int(value) or not 0 <= value <= 255:
                raise TweakError(f"{where} is a colour channel: give a whole number 0..255, "
                                 f"not {value!r}")
            return int(value)
        return value

    def path(self, module: ModuleType) -> Path | None:
        file = getattr(module, "__file__", None)
        return Path(file) if file else None

    def shown(self, path: Path) -> str:
        shown = self._names.get(path)
        if shown is None:
            try:
                shown = path.resolve().relative_to(self.root).as_posix()
            except (ValueError, OSError):
                shown = path.name
            self._names[path] = shown
        return shown
