"""Looped live editing (F6/F7): record a stretch of play, then replay it forever while you edit.

A small state machine the host drives at four points of its frame:

- ``pass_event(event)`` for every event the host would hand to ``on_event``: while recording
  it is stored with its tick; while looping it is dropped (the recording drives the game, so
  real input goes nowhere — host keys such as F9, F6, F7 and Escape still work);
- ``before_update()`` before every fixed ``update(dt)``: counts ticks, and while looping
  restarts the pass and delivers the recorded events of this tick;
- ``around_reload(reload)`` around every reload, to carry edited constants into the snapshot;
- ``draw(surface)`` after the game's ``draw``: the "REC"/"LOOP" indicator.

Ticks are counted from the snapshot: tick ``k`` is the ``k``-th ``update`` after it (from 0).
An event handled in a frame before tick ``k``'s update is tagged ``k``, and a replay delivers
it just before tick ``k``'s update, so replays follow the fixed step, not the frame rate.
Events handled in the frame that stops the recording come after its last tick and are dropped.
``random`` is seeded with the recording's seed when recording starts and at every pass (a
recording of the history, S in the timeline, sets ``random``'s saved state instead).
The host also calls ``close()`` at exit (``--record`` saves a recording still running) and
``restarted()`` after a hot restart (F5), which replaced the modules the snapshot was taken
from, so it ends recording and loop.

The looper does not know the host: it gets the game's modules (a callable), an event sink,
what replays one recorded event (``InputRouter.replay``), the game's name, the fixed step and
the window's id (a callable: the window opens after the looper is made), and the engine's
records of modules (``Reloader.tracked``: which values play had changed when recording
began, see ``sandbox.edits``).
"""

from __future__ import annotations

import enum
import os
import random
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from sandbox.edits import changed_by_play, edited_names
from sandbox.events import Notice
from sandbox.overlay import Surface, loop_indicator
from sandbox.recording import Recording, RecordingError
from sandbox.sdl import event_from_dict, event_to_dict
from sandbox.snapshot import Snapshot, carry_edits, identities

if TYPE_CHECKING:
    from sandbox.hot import ReloadReport
    from sandbox.hot.tracking import Tracked

__all__ = ["Looper", "Mode"]

REC_RGB = (255, 90, 90)
LOOP_RGB = (120, 220, 255)


class Mode(enum.Enum):
    """What the looper is doing."""

    IDLE = "idle"
    RECORDING = "recording"
    LOOPING = "looping"


def _how_it_ends(ticks: int, frames: int | None) -> str:
    """How a headless replay ends: after the run's frames (one tick each), or never."""
    if frames is None:
        return ("headless, so no key ends it: it repeats until the process is stopped "
                "(Ctrl+C); add --frames N to end it by itself")
    passes = frames / ticks
    shown = f"{passes:.0f}" if passes == round(passes) else f"{passes:.2f}".rstrip("0")
    return (f"headless: it runs for the {frames} frames of --frames ({shown} "
            f"pass{'' if passes == 1 else 'es'}), then ends by itself")


def _no_window() -> int:
    return 0


def _no_records(name: str) -> Tracked | None:
    return None


class Looper:
    """Records the game's input by tick and loops it over a restored snapshot."""

    def __init__(self, modules: Callable[[], dict[str, ModuleType]], *,
                 emit: Callable[[object], None], replay: Callable[[dict[str, Any]], bool],
                 game: str, step: float, window_id: Callable[[], int] = _no_window,
                 records: Callable[[str], Tracked | None] = _no_records) -> None:
        self.modules = modules
        self.records = records  # the engine's record of a module: what play changed
        self.emit = emit
        # input: gives one recorded event to the game (sandbox.input_router: the held input,
        # on_event, the plain hooks); False when a hook failed and paused it.
        self.replay = replay
        self.game = game
        self.step = step
        self.window_id = window_id
        self.mode = Mode.IDLE
        self.record_to: Path | None = None  # --record FILE: saved when a recording stops
        self.show_indicator = True
        self.recording: Recording | None = None
        self.tick = 0  # index of the next update, counted from the snapshot (or pass start)
        self.passes = 0  # passes started since the loop began (1 during the first)
        self._by_tick: dict[int, list[dict[str, Any]]] = {}
        self._unrecorded = 0

    @property
    def _modules(self) -> dict[str, ModuleType]:
        return self.modules()

    def _say(self, text: str) -> None:
        self.emit(Notice(text))

    # -- keys ------------------------------------------------------------------------------------
    def toggle(self) -> None:
        """F6: start recording; stop recording and loop it; while looping, record afresh."""
        if self.mode is Mode.RECORDING:
            self.start_loop()
        else:
            self.mode = Mode.IDLE
            self.start_recording()

    def stop(self) -> None:
        """F7: end the loop (the game goes on from where it is) or discard a recording."""
        if self.mode is Mode.LOOPING:
            self._say("loop ended: the game goes on from here")
        elif self.mode is Mode.RECORDING:
            self._say("recording discarded")
        self.mode = Mode.IDLE

    def start_recording(self) -> None:
        """Snapshot every game module and record input from the next tick on."""
        snapshot = Snapshot.take(self._modules)
        seed = int.from_bytes(os.urandom(4), "little")
        self.recording = Recording(self.game, self.step, snapshot, seed=seed,
                                   changed_by_play=changed_by_play(self._modules, self.records))
        self.mode, self.tick, self._unrecorded = Mode.RECORDING, 0, 0
        random.seed(seed)  # the recorded play runs on the same numbers as every replay
        self._say("recording: F6 loops it, F7 discards it")
        if snapshot.by_reference:
            self._say("kept by reference, so a loop pass does not reset them: "
                      + ", ".join(snapshot.by_reference))

    def start_loop(self) -> None:
        """Stop recording and loop what was recorded (saving it first with ``--record``)."""
        rec = self.recording
        assert rec is not None
        rec.ticks = self.tick
        rec.events = [(tick, ev) for tick, ev in rec.events if tick < rec.ticks]
        if self._unrecorded:
            self._say(f"{self._unrecorded} events of other kinds (window, touch, …) reached "
                      "the game while recording but are not recorded")
        if rec.ticks == 0:
            self.mode = Mode.IDLE
            self._say("nothing recorded (no update ran): F6 starts a new recording")
            return
        if self.record_to is not None:
            self.save(self.record_to)
        self._loop(rec)

    def play(self, recording: Recording, *, headless: bool = False,
             frames: int | None = None) -> None:
        """Loop a recording loaded from a file (``--replay``); RecordingError if unplayable.

        ``headless`` runs have no keys, so no F7: the first line says instead how long the
        loop runs (``frames``: the run's ``--frames``, one tick each) and that it ends itself.
        """
        if recording.ticks <= 0:
            raise RecordingError("the recording has no ticks: nothing to replay")
        if abs(recording.step - self.step) > 1e-9:
            # Another step changes every dt: the replay would not be the recorded play.
            rate = round(1 / recording.step)
            raise RecordingError(f"the recording was made at {rate} updates a second, this "
                                 f"session runs {round(1 / self.step)}; replay it "
                                 f"with --fps {rate}")
        window = self.window_id()
        for tick, data in recording.events:
            try:
                event_from_dict(data, window)
            except ValueError as exc:
                raise RecordingError(f"the recording is damaged at tick {tick}: {exc}") from None
        self._run_todays_code(recording)
        self._loop(recording, _how_it_ends(recording.ticks, frames) if headless else "")

    def _run_todays_code(self, recording: Recording) -> None:
        """Take into the snapshot the values today's code gives to what was edited since.

        A replay tests today's code: see ``sandbox.edits`` for which names that is.
        """
        edited = sorted(edited_names(recording.sources, self._modules,
                                     recording.changed_by_play, self.records))
        recorded = recording.snapshot.values
        shown = [f"{mod}.{name}" for mod, name in edited if name in recorded.get(mod, {})]
        recording.snapshot.adopt(self._modules, edited)
        if shown:
            more = f" and {len(shown) - 8} more" if len(shown) > 8 else ""
            self._say("edited since the recording, so today's code sets them: "
                      + ", ".join(shown[:8]) + more)

    def _loop(self, rec: Recording, ends: str = "") -> None:
        """Loop ``rec``; ``ends`` says how the loop ends when it is not F7 (headless)."""
        self.recording, self.mode, self.passes = rec, Mode.LOOPING, 0
        self._by_tick = {}
        for tick, ev in rec.events:
            self._by_tick.setdefault(tick, []).append(ev)
        self._say(f"looping {rec.ticks * rec.step:.1f} s ({rec.ticks} ticks, {len(rec.events)} "
                  f"events); {ends or 'real input is ignored until F7 ends the loop'}")
        self._start_pass(rec)  # at once, so even a paused game (F10) jumps back to the start

    def _start_pass(self, rec: Recording) -> None:
        rec.snapshot.restore(self._modules)
        rec.restart_random()
        self.tick, self.passes = 0, self.passes + 1

    def save(self, path: Path) -> None:
        """Write the current recording to ``path``; a failure is told, never raised."""
        assert self.recording is not None
        try:
            self.recording.save(path, self._modules)
        except RecordingError as exc:
            self._say(str(exc))
            return
        rec = self.recording
        self._say(f"recording saved to {path} ({rec.ticks} ticks, {len(rec.events)} events)")
        if rec.skipped:
            self._say("not saved (not plain data; a replay keeps their current values): "
                      + ", ".join(rec.skipped))

    def close(self) -> None:
        """At exit: a recording still running is saved with ``--record``."""
        if self.mode is Mode.RECORDING and self.record_to is not None and self.tick > 0:
            assert self.recording is not None
            self.recording.ticks = self.tick
            self.save(self.record_to)
        self.mode = Mode.IDLE

    # -- the frame -------------------------------------------------------------------------------
    def restarted(self) -> None:
        """A hot restart (F5) replaced the modules: the snapshot no longer fits them."""
        if self.mode is not Mode.IDLE:
            self._say(f"hot restart: {self.mode.value} ended")
            self.mode = Mode.IDLE

    def pass_event(self, event: Any) -> bool:
        """True when ``event`` should reach the game's ``on_event`` (recording it if need be)."""
        if self.mode is Mode.IDLE:
            return True
        if self.mode is Mode.LOOPING:
            return False
        assert self.recording is not None
        data = event_to_dict(event)
        if data is None:
            self._unrecorded += 1
        else:
            self.recording.events.append((self.tick, data))
        return True

    def before_update(self) -> bool:
        """Count this tick; while looping restart the pass and deliver its events.

        False when a replayed event paused the game (so the host skips the update).
        """
        if self.mode is Mode.IDLE:
            return True
        rec = self.recording
        assert rec is not None
        if self.mode is Mode.RECORDING:
            self.tick += 1
            return True
        if self.tick >= rec.ticks:
            self._start_pass(rec)
        events = self._by_tick.get(self.tick, ())
        self.tick += 1
        # all() stops at the first event that paused the game: the rest wait for the fix.
        return all(self.replay(data) for data in events)

    def around_reload(self, reload: Callable[[], ReloadReport]) -> ReloadReport:
        """Run ``reload``; while recording or looping carry its edits into the snapshot.

        An edit made while recording is code too: the loop keeps it (see ``carry_edits``).
        """
        if self.mode is Mode.IDLE or self.recording is None:
            return reload()
        before = identities(self._modules)
        report = reload()
        if report.ok and report.changed:
            # The engine's own account of what ran, not the files: they may be saved again.
            carry_edits(self.recording.snapshot, before, self._modules,
                        frozenset(report.bound_names))
            played = self.recording.changed_by_play
            for mod_name, name in report.bound_names:  # now what their statement bound
                if name in played.get(mod_name, ()):
                    played[mod_name].remove(name)
        return report

    def hud_line(self) -> str | None:
        """The HUD's (F3) line: "LOOP 2.4 s  pass 3  tick 57/144", or None when idle."""
        rec = self.recording
        if self.mode is Mode.IDLE or rec is None:
            return None
        if self.mode is Mode.RECORDING:
            return f"REC {self.tick * rec.step:.1f} s  {len(rec.events)} events"
        return (f"LOOP {rec.ticks * rec.step:.1f} s  pass {self.passes}  "
                f"tick {self.tick}/{rec.ticks}")

    @property
    def visible(self) -> bool:
        """True when :meth:`draw` draws the indicator."""
        return self.mode is not Mode.IDLE and self.recording is not None and self.show_indicator

    def draw(self, surface: Surface) -> None:
        """The "REC 1.2 s" / "LOOP 2.4 s" indicator with its progress bar."""
        rec = self.recording
        if self.mode is Mode.IDLE or rec is None or not self.show_indicator:
            return
        if self.mode is Mode.RECORDING:
            loop_indicator(surface, f"REC {self.tick * rec.step:.1f} s", 1.0, REC_RGB)
        else:
            loop_indicator(surface, f"LOOP {rec.ticks * rec.step:.1f} s",
                           self.tick / rec.ticks, LOOP_RGB)
