"""Tweaking a value: the file's literal and the running game change together, undoably.

:class:`TweakEditor` lists the game's tweakables (``sandbox.tweaks`` finds the literals; the
live values come from the game's modules) and changes them the way a save would: it writes
the minimal literal edit to the file and has the host reload that file at once through its
normal reload path (``reload(path)``), so dependents follow, play state is kept by the
engine's rules, handlers run, and reports, errors and the loop behave as for a save. The
watcher then sees a file that already runs: the engine reports "nothing changed", which the
host does not print, so no line is doubled.

Rules it holds:

- A *gesture* (a drag, a run of arrow-key presses, one ``tweak()`` call) changes one
  assigned name (a number, or a colour's channels). Its writes are coalesced: at most one
  every ``interval`` seconds (0.1 s: ~10 a second), and the last value always lands when the
  gesture ends. Each ended gesture is one undo step and one terminal line (``Tweaked``).
- Every write reads the file first and edits the bytes it just read: an edit made in an
  editor meanwhile is kept (the literal is found again by name, wherever it moved); a name
  that is gone, or a file that does not parse, is not written, and the user is told.
- Undo and redo refuse to overwrite a value that was changed in the file since the tweak.
"""

from __future__ import annotations

import difflib
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from sandbox.events import Notice
from sandbox.events.tweaks import Tweaked, TweakKind
from sandbox.hot import ReloadReport
from sandbox.tweaks import Kind, Literal, TweakSourceError, edit_bytes, find_literals

__all__ = ["INTERVAL", "TweakEditor", "TweakError", "Tweakable"]

INTERVAL = 0.1  # seconds between two writes of one gesture (~10 writes a second at most)


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


@dataclass
class _Gesture:
    """One gesture in progress on one assigned name: the values before, and those pending."""

    module: str
    target: str
    path: Path
    before: dict[str, object]
    pending: dict[str, object] = field(default_factory=dict)
    written: dict[str, object] = field(default_factory=dict)
    ending: bool = False


@dataclass(frozen=True)
class _Step:
    """An undo step: one target's literals before and after a gesture."""

    module: str
    target: str
    path: Path
    before: dict[str, object]
    after: dict[str, object]


def _shown_value(values: dict[str, object]) -> str:
    """A target's value as the terminal shows it: ``4.5``, ``(0, 0, 255)``."""
    if len(values) == 1 and not next(iter(values)).endswith("]"):
        return repr(next(iter(values.values())))
    return "(" + ", ".join(repr(values[k]) for k in sorted(values, key=_channel)) + ")"


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


class TweakEditor:
    """Lists tweakables and applies tweaks to the file and the game (module docstring)."""

    def __init__(self, modules: Callable[[], Mapping[str, ModuleType]], root: Path,
                 reload: Callable[[Path], ReloadReport], emit: Callable[[object], None], *,
                 now: Callable[[], float] = time.perf_counter, interval: float = INTERVAL) -> None:
        self.modules = modules
        self.root = root
        self.reload = reload
        self.emit = emit
        self.now = now
        self.interval = interval
        self.writes = 0  # files written, for tests and the benchmark
        self.reloading = False  # True while a tweak's own reload runs (see ``quiet``)
        self._gesture: _Gesture | None = None
        self._last_write = -math.inf
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []
        self._cache: dict[Path, tuple[tuple[int, int], list[Literal] | str]] = {}
        self._names: dict[Path, str] = {}  # physics.py for each file (resolve() is slow)
        # A range from a value's magnitude is kept for the session: a slider whose range
        # followed the value it sets would run away while dragging.
        self._ranges: dict[str, tuple[float, float]] = {}

    # -- listing -------------------------------------------------------------------------------
    def literals(self, path: Path) -> list[Literal] | str:
        """The literals in ``path`` now, or why there are none (cached by size and mtime)."""
        try:
            st = path.stat()
            stamp = (st.st_mtime_ns, st.st_size)
            cached = self._cache.get(path)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            found: list[Literal] | str = find_literals(path.read_bytes())
        except OSError as exc:
            return f"cannot be read: {exc.strerror or exc}"
        except TweakSourceError as exc:
            found = str(exc)
        self._cache[path] = (stamp, found)
        return found

    def tweakables(self) -> list[Tweakable]:
        """Every tweakable of every game module, grouped by module (entry first), file order."""
        out: list[Tweakable] = []
        for name, module in sorted(self.modules().items(), key=lambda kv: kv[0] != "main"):
            path = self._path(module)
            if path is None:
                continue
            found = self.literals(path)
            if isinstance(found, str):
                continue
            shown = self._shown(path)
            out.extend(Tweakable(name, lit.name, lit.target, lit.kind, path, shown, lit.line,
                                 lit.value, _live(module, lit.name), self._range(name, lit),
                                 lit.colour) for lit in found)
        return out

    def _range(self, module: str, lit: Literal) -> tuple[float, float]:
        if lit.commented:
            return (lit.low, lit.high)
        return self._ranges.setdefault(f"{module}.{lit.name}", (lit.low, lit.high))

    def problems(self) -> list[str]:
        """Game modules whose values cannot be listed now, and why (``physics.py does not …``)."""
        out = []
        for module in self.modules().values():
            path = self._path(module)
            found = self.literals(path) if path is not None else []
            if isinstance(found, str) and path is not None:
                out.append(f"{self._shown(path)} {found}")
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

    # -- changing ------------------------------------------------------------------------------
    def set(self, key: str, value: object) -> None:
        """Change one literal (part of the current gesture); written when due (``frame``)."""
        t = self.find(key)
        checked = self.check(t, value)
        g = self._gesture
        if g is not None and (g.module, g.target) != (t.module, t.target):
            self.commit(force=True)
            g = None
        if g is None:
            found = self.literals(t.path)
            before = {lit.name: lit.value for lit in found if lit.target == t.target} \
                if not isinstance(found, str) else {t.name: t.source}
            g = self._gesture = _Gesture(t.module, t.target, t.path, before)
        g.ending = False
        g.pending[t.name] = checked
        self.frame()

    def current(self, t: Tweakable) -> object:
        """``t``'s value as the gesture has it (pending or written), else the file's."""
        g = self._gesture
        if g is not None and (g.module, g.target) == (t.module, t.target):
            if t.name in g.pending:
                return g.pending[t.name]
            if t.name in g.written:
                return g.written[t.name]
        return t.source

    def commit(self, force: bool = False) -> Tweaked | None:
        """End the gesture: its last value lands (now if ``force``, else when due)."""
        if self._gesture is None:
            return None
        self._gesture.ending = True
        return self.frame(force)

    def tweak(self, key: str, value: object) -> Tweaked | None:
        """What a drag does, at once: ``tweak("physics.SPEED", 4.5)`` or a whole colour tuple."""
        if isinstance(value, tuple) and key not in {t.key for t in self.tweakables()}:
            channels = [t for t in self.tweakables() if f"{t.module}.{t.target}" == key
                        and t.kind is Kind.CHANNEL]
            if not channels:
                self.find(key)  # not a tweakable nor a colour: raises with "did you mean …?"
            if len(value) != len(channels):
                raise TweakError(f"{key} has {len(channels)} channels, got {len(value)} values")
            for t, v in zip(channels, value, strict=True):
                self.set(t.key, v)
        else:
            self.set(key, value)
        return self.commit(force=True)

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

    def frame(self, force: bool = False) -> Tweaked | None:
        """Write what is pending when due; finish an ending gesture (once a frame, and after
        each change). Returns the ``Tweaked`` event of a gesture that ended."""
        g = self._gesture
        if g is None:
            return None
        if g.pending and (force or self.now() - self._last_write >= self.interval):
            self._write(g)
        if g.ending and not g.pending:
            self._gesture = None
            return self._finish(g)
        return None

    def _write(self, g: _Gesture) -> None:
        pending, g.pending = g.pending, {}
        if self._apply(g.path, g.target, pending):
            g.written.update(pending)

    def _finish(self, g: _Gesture) -> Tweaked | None:
        before = dict(g.before)  # every channel of a colour, so the line shows the colour
        after = {**before, **g.written}
        if not g.written or after == before:
            return None
        step = _Step(g.module, g.target, g.path, before, after)
        self._undo.append(step)
        self._redo.clear()
        return self._tell(TweakKind.TWEAK, step, before, after)

    def undo(self) -> Tweaked | None:
        """Ctrl+Z: put the last tweak's values back, in the file and the game."""
        return self._travel(self._undo, self._redo, TweakKind.UNDO)

    def redo(self) -> Tweaked | None:
        """Ctrl+Y: make the last undone tweak again."""
        return self._travel(self._redo, self._undo, TweakKind.REDO)

    def _travel(self, source: list[_Step], dest: list[_Step], kind: TweakKind) -> Tweaked | None:
        self.commit(force=True)
        if not source:
            self.emit(Notice(f"nothing to {kind.value.split()[0]} in the tweak panel"))
            return None
        step = source.pop()
        have, want = (step.after, step.before) if kind is TweakKind.UNDO else \
            (step.before, step.after)
        found = self.literals(step.path)
        verb = kind.value.split()[0]
        if isinstance(found, str):  # kept for later: the file may be fixed
            source.append(step)
            self.emit(Notice(f"tweak not written: {self._shown(step.path)} {found} — fix the "
                             f"file and {verb} again"))
            return None
        now = {lit.name: lit.value for lit in found if lit.target == step.target}
        if any(now.get(k) != v or type(now.get(k)) is not type(v) for k, v in have.items()):
            self.emit(Notice(f"{kind.value.split()[0]} skipped: {step.target} in "
                             f"{self._shown(step.path)} was changed in the file since the "
                             "tweak; its value is left as the file has it"))
            return None
        if not self._apply(step.path, step.target, want):
            source.append(step)
            return None
        dest.append(step)
        return self._tell(kind, step, have, want)

    def _tell(self, kind: TweakKind, step: _Step, old: dict[str, object],
              new: dict[str, object]) -> Tweaked:
        found = self.literals(step.path)
        line = next((lit.line for lit in found if lit.target == step.target), 0) \
            if not isinstance(found, str) else 0
        ev = Tweaked(kind, f"{self._shown(step.path)}:{line}", step.target,
                     _shown_value(old), _shown_value(new))
        self.emit(ev)
        return ev

    def _apply(self, path: Path, target: str, values: dict[str, object]) -> bool:
        """Edit the literals in the file as it is on disk now, then reload it; False if not."""
        shown = self._shown(path)
        try:
            data = path.read_bytes()
            found = find_literals(data)
        except (OSError, TweakSourceError) as exc:
            why = exc.strerror if isinstance(exc, OSError) else str(exc)
            self.emit(Notice(f"tweak not written: {shown} {why} — fix the file and save"))
            return False
        by_name = {lit.name: lit for lit in found}
        missing = [name for name in values if name not in by_name]
        if missing:
            self.emit(Notice(f"tweak not written: {shown} no longer assigns a literal to "
                             f"{target} (edited meanwhile?) — reopen the panel (F4)"))
            return False
        new = data
        # From the end of the file backwards, so earlier offsets stay valid. The bytes edited
        # are the ones just read: an editor's save meanwhile is kept, never overwritten.
        for name in sorted(values, key=lambda n: -by_name[n].start):
            new = edit_bytes(new, by_name[name], values[name])
        if new != data:
            try:
                path.write_bytes(new)
            except OSError as exc:
                self.emit(Notice(f"tweak not written: {shown}: {exc.strerror or exc}"))
                return False
            self.writes += 1
            self._last_write = self.now()
        self.reloading = True
        try:
            self.reload(path)
        finally:
            self.reloading = False
        return True

    def quiet(self, ev: object) -> bool:
        """True for a tweak's own successful reload: the ``Tweaked`` line says it instead."""
        return self.reloading and isinstance(ev, ReloadReport) and ev.ok and not ev.notes

    def _path(self, module: ModuleType) -> Path | None:
        file = getattr(module, "__file__", None)
        return Path(file) if file else None

    def _shown(self, path: Path) -> str:
        shown = self._names.get(path)
        if shown is None:
            try:
                shown = path.resolve().relative_to(self.root).as_posix()
            except (ValueError, OSError):
                shown = path.name
            self._names[path] = shown
        return shown
