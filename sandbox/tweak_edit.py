"""Tweaking a value: the file's literal and the running game change together, undoably.

:class:`TweakEditor` changes the game's tweakables (``sandbox.tweak_list`` lists them, with
their live values) the way a save would: it writes
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

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from sandbox.events import Notice
from sandbox.events.tweaks import Tweaked, TweakKind
from sandbox.hot import ReloadReport
from sandbox.tweak_list import Tweakable, TweakCatalog, TweakError
from sandbox.tweaks import Kind, TweakSourceError, edit_bytes, find_literals

__all__ = ["INTERVAL", "TweakEditor", "TweakError", "Tweakable"]  # the last two re-exported

INTERVAL = 0.1  # seconds between two writes of one gesture (~10 writes a second at most)


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


class TweakEditor:
    """Lists tweakables and applies tweaks to the file and the game (module docstring)."""

    def __init__(self, modules: Callable[[], Mapping[str, ModuleType]], root: Path,
                 reload: Callable[[Path], ReloadReport], emit: Callable[[object], None], *,
                 now: Callable[[], float] = time.perf_counter, interval: float = INTERVAL) -> None:
        self.catalog = TweakCatalog(modules, root)
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

    # -- listing -------------------------------------------------------------------------------
    def tweakables(self) -> list[Tweakable]:
        """Every tweakable, with live values (``TweakCatalog.tweakables``)."""
        return self.catalog.tweakables()

    def problems(self) -> list[str]:
        """Game modules whose values cannot be listed now, and why."""
        return self.catalog.problems()

    def live(self, items: Sequence[Tweakable]) -> list[object]:
        """The game's values of ``items`` now (``TweakCatalog.live``): play may change them."""
        return self.catalog.live(items)

    def listing_stamp(self) -> tuple[int, tuple[str, ...]]:
        """What the list depends on besides events: files' literals seen changed, modules.

        Equal stamps (and no event between) mean ``tweakables()`` would list the same rows.
        """
        return self.catalog.version, tuple(self.catalog.modules())

    def find(self, key: str) -> Tweakable:
        """The tweakable ``physics.SPEED``; TweakError with "did you mean …?" when unknown."""
        return self.catalog.find(key)

    # -- changing ------------------------------------------------------------------------------
    def set(self, key: str, value: object) -> None:
        """Change one literal (part of the current gesture); written when due (``frame``)."""
        t = self.find(key)
        checked = self.catalog.check(t, value)
        g = self._gesture
        if g is not None and (g.module, g.target) != (t.module, t.target):
            self.commit(force=True)
            g = None
        if g is None:
            found = self.catalog.literals(t.path)
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
        found = self.catalog.literals(step.path)
        verb = kind.value.split()[0]
        if isinstance(found, str):  # kept for later: the file may be fixed
            source.append(step)
            shown = self.catalog.shown(step.path)
            self.emit(Notice(f"tweak not written: {shown} {found} — fix the file and {verb} "
                             "again"))
            return None
        now = {lit.name: lit.value for lit in found if lit.target == step.target}
        if any(now.get(k) != v or type(now.get(k)) is not type(v) for k, v in have.items()):
            self.emit(Notice(f"{kind.value.split()[0]} skipped: {step.target} in "
                             f"{self.catalog.shown(step.path)} was changed in the file since the "
                             "tweak; its value is left as the file has it"))
            return None
        if not self._apply(step.path, step.target, want):
            source.append(step)
            return None
        dest.append(step)
        return self._tell(kind, step, have, want)

    def _tell(self, kind: TweakKind, step: _Step, old: dict[str, object],
              new: dict[str, object]) -> Tweaked:
        found = self.catalog.literals(step.path)
        line = next((lit.line for lit in found if lit.target == step.target), 0) \
            if not isinstance(found, str) else 0
        ev = Tweaked(kind, f"{self.catalog.shown(step.path)}:{line}", step.target,
                     _shown_value(old), _shown_value(new))
        self.emit(ev)
        return ev

    def _apply(self, path: Path, target: str, values: dict[str, object]) -> bool:
        """Edit the literals in the file as it is on disk now, then reload it; False if not."""
        shown = self.catalog.shown(path)
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

