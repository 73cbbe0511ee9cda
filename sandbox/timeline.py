"""The timeline (F8): pause, scrub the history, save to re-run the past with the new code.

F8 pauses the game and shows a bar along the bottom: the history (``sandbox.history``), from
its oldest tick on the left to now on the right. Left / Right move the cursor by ``JUMP``
ticks (with Shift by one), Home / End to either end, and a drag on the bar moves it anywhere;
the frame shown is the game's own ``draw`` of that tick's state, re-simulated from the nearest
keyframe. F8 again resumes play from the cursor: what came after it is dropped.

A save while scrubbed back (:meth:`Timeline.around_reload`) runs the rest of the history twice
from the cursor, with the same input: under the old code first, then under the new, comparing
a fingerprint of the state at every tick (``history.fingerprint``). The bar marks the first
tick where they differ, and the re-run under the new code becomes the history's future.

That re-run goes on over the frames after the save, within a time budget, its progress on
the bar (``sandbox.scrub_save``).

The timeline does not know the host: it gets the history, an event sink and what to do when
play resumes (the host forgets the time spent paused). While it is open, the host gives it
the game's input (:meth:`handle`) instead of the game, and runs no update.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox.events import Notice
from sandbox.ghosts import EVERY, REACH, Ghosts
from sandbox.history import History
from sandbox.keys import Scrub, timeline_action
from sandbox.overlay import Surface
from sandbox.recording import RecordingError
from sandbox.scrub_save import BUDGET, ScrubSaves

if TYPE_CHECKING:
    from sandbox.hot import ReloadReport

__all__ = ["JUMP", "Timeline"]

JUMP = 10  # ticks a Left / Right press moves; Shift: one
SHIFT = 0x0003  # SDL's KMOD_LSHIFT | KMOD_RSHIFT, in a key event's "mod"
LEFT_BUTTON = 1
BACK_RGBA = (0, 0, 0, 200)
TRACK_RGBA = (80, 80, 90, 255)
PAST_RGBA = (110, 170, 240, 255)
KEYFRAME_RGBA = (200, 200, 210, 255)
CURSOR_RGBA = (255, 255, 255, 255)
DIVERGE_RGBA = (255, 80, 80, 255)
RERUN_RGBA = (240, 200, 80, 255)  # the ticks a save's re-run has run so far
LABEL_RGB = (230, 230, 230)
TRACK_H = 8
PAD = 6


class Timeline:
    """The F8 timeline's state (open, cursor, divergence), its keys and its bar."""

    def __init__(self, history: History, *, emit: Callable[[object], None],
                 resumed: Callable[[], None] = lambda: None, game: str = "",
                 save_to: Callable[[], Path | None] = lambda: None,
                 clock: Callable[[], float] = time.perf_counter, budget: float = BUDGET) -> None:
        self.history = history
        self.emit = emit
        self.resumed = resumed
        self.game = game
        self.save_to = save_to  # --record FILE: S in the timeline writes the history there
        self.is_open = False
        self.cursor = 0
        self.dragging = False
        self._track: tuple[int, int, int, int] | None = None  # x, y, w, h as last drawn
        self._top = 0  # the bar's top edge as last drawn: a press below it scrubs
        # A save while scrubbed back: the history run again under the new code, over frames.
        self.saves = ScrubSaves(history, emit, clock=clock, budget=budget)
        # G: faint frames around the cursor (sandbox.ghosts); the host sets them once it
        # has a window to draw them with.
        self.ghosts: Ghosts | None = None

    def _say(self, text: str) -> None:
        self.emit(Notice(text))

    @property
    def visible(self) -> bool:
        """True while open: the bar is drawn (``sandbox.screen`` badges)."""
        return self.is_open

    @property
    def divergence(self) -> int | None:
        """The first tick where the last save's re-run differed from the old run, or None."""
        return self.saves.divergence

    @property
    def rerunning(self) -> bool:
        """True while a save's re-run of the history under the new code is going on."""
        return self.saves.rerunning

    @property
    def preparing(self) -> bool:
        """True while the old run a save would compare with is being taken (scrubbed back)."""
        return self.is_open and self.saves.preparing(self.cursor)

    def hud_line(self) -> str | None:
        """The HUD's (F3) line while open: the cursor and what the history holds."""
        if not self.is_open:
            return None
        history = self.history
        return (f"TIMELINE tick {self.cursor}/{history.tick}  {len(history.keyframes)} keyframes "
                f"{history.memory / 2**20:.2f} MB (cap {history.budget / 2**20:.0f} MB)")

    # -- F8 ----------------------------------------------------------------------------------------
    def toggle(self) -> None:
        """F8: open the timeline (the game pauses), or resume play from the cursor."""
        if self.is_open:
            self.close()
        else:
            self.open()

    def open(self) -> None:
        """Pause and show the bar, the cursor at now; told instead when there is no history."""
        history = self.history
        if not history.enabled:
            self._say("the timeline needs a history: run without --history 0")
            return
        if not history.keyframes:
            self._say("nothing to rewind yet: the history starts with the first update "
                      "(and again after a loop or a hot restart)")
            return
        self.is_open, self.cursor, self.dragging = True, history.tick, False
        self.saves.forget()
        seconds = (history.tick - history.start) * history.step
        self._say(f"timeline: {seconds:.1f} s to rewind — Left/Right scrub (Shift: one tick), "
                  "drag the bar; F8 resumes from the tick shown")

    def close(self) -> None:
        """Resume play from the cursor; what came after it is dropped."""
        history = self.history
        self.saves.forget()  # the future goes: a run of it unfinished is not needed
        self.show()
        dropped = history.tick - self.cursor
        history.resume_at(self.cursor)
        self.is_open = self.dragging = False
        if self.ghosts is not None:
            self.ghosts.drop()
        self.resumed()
        self._say(f"resumed {dropped * history.step:.2f} s back ({dropped} ticks of the old "
                  "future dropped)" if dropped else "resumed")

    def cancel(self) -> None:
        """Close without resuming (a hot restart replaced the game the history was of)."""
        self.is_open = self.dragging = False
        self.saves.forget()
        if self.ghosts is not None:
            self.ghosts.drop()

    def show(self) -> None:
        """Make the game's state the cursor's (the host calls this instead of updating).

        Then the runs of the history go on for this frame's budget: a save's run under the
        new code, else the old run the next save compares with; then the ghosts (G) are
        drawn, when on and not drawn for this cursor and code yet.
        """
        history, ghosts = self.history, self.ghosts
        # The ghosts' budget counts the seek (or a save's re-run) too: the frame is all of it.
        began = None if ghosts is None else ghosts.clock()
        if history.shown is None and self.cursor == history.tick:
            ok = True  # the state now: nothing to re-simulate
        else:
            ok = history.shown == self.cursor or history.seek(self.cursor)
        ok = ok and self.saves.frame(self.cursor)
        if ok and ghosts is not None:
            ghosts.refresh(self.cursor, began)

    # -- input -------------------------------------------------------------------------------------
    def move(self, ticks: int) -> None:
        """Move the cursor by ``ticks``, kept inside the history."""
        self.move_to(self.cursor + ticks)

    def move_to(self, tick: int) -> None:
        """Put the cursor on ``tick``, kept inside the history."""
        cursor = max(self.history.start, min(self.history.tick, tick))
        if cursor != self.cursor and self.ghosts is not None:
            self.ghosts.forget()  # drawn again around the new cursor by show()
        self.cursor = cursor

    def handle(self, data: dict[str, Any] | None) -> None:
        """A key or mouse event while open (``event_to_dict``'s form): scrub with it."""
        if data is None:
            return
        kind = data.get("type")
        if kind == "keydown":
            self._key(str(data.get("key")), int(data.get("mod", 0)))
        elif kind == "mousedown" and data.get("button") == LEFT_BUTTON:
            if self._track is not None and int(data["y"]) >= self._top:
                self.dragging = True
                self.move_to(self.tick_at(int(data["x"])))
        elif kind == "motion" and self.dragging:
            self.move_to(self.tick_at(int(data["x"])))
        elif kind == "mouseup" and data.get("button") == LEFT_BUTTON:
            self.dragging = False

    def _key(self, key: str, mod: int) -> None:
        """A key of the table's ``TIMELINE_KEYS`` (``sandbox.keys``); others do nothing."""
        step = 1 if mod & SHIFT else JUMP
        action = timeline_action(key)
        if action is Scrub.BACK:
            self.move(-step)
        elif action is Scrub.ON:
            self.move(step)
        elif action is Scrub.OLDEST:
            self.move_to(self.history.start)
        elif action is Scrub.NEWEST:
            self.move_to(self.history.tick)
        elif action is Scrub.SAVE:
            self.save()
        elif action is Scrub.GHOSTS:
            self.toggle_ghosts()

    def toggle_ghosts(self) -> None:
        """G: faint frames every few ticks around the one shown, on or off."""
        if self.ghosts is None:
            self._say("ghosts need the window's renderer: there is none in this session")
            return
        if self.ghosts.toggle():
            self._say(f"ghosts on: every {EVERY}th tick from {REACH} ticks before the one shown "
                      f"to {REACH} after; redrawn after every save and tweak (G: off)")
        else:
            self._say("ghosts off")

    def save(self) -> None:
        """S: write the whole history as a recording to ``--record FILE`` (a bug report)."""
        path = self.save_to()
        if path is None:
            self._say("to save the history, start with --record FILE; then S in the timeline "
                      "writes it there and --replay FILE plays it")
            return
        history = self.history
        recording = history.recording(self.game)
        try:
            recording.save(path, history.modules())
        except RecordingError as exc:
            self._say(str(exc))
            return
        self._say(f"history saved to {path} ({recording.ticks} ticks, {len(recording.events)} "
                  "events): --replay it")
        if recording.skipped:
            self._say("not saved (not plain data; a replay keeps their current values): "
                      + ", ".join(recording.skipped))

    def tick_at(self, x: int) -> int:
        """The tick under ``x`` on the bar as last drawn."""
        if self._track is None:
            return self.cursor
        left, _, width, _ = self._track
        start, end = self.history.start, self.history.tick
        fraction = min(1.0, max(0.0, (x - left) / max(1, width - 1)))
        return start + round(fraction * (end - start))

    def x_of(self, tick: int) -> int:
        """Where ``tick`` is on the bar as last drawn."""
        assert self._track is not None
        left, _, width, _ = self._track
        start, end = self.history.start, self.history.tick
        return left + round((tick - start) * (width - 1) / max(1, end - start))

    # -- saving while scrubbed back (sandbox.scrub_save) ---------------------------------------
    def around_reload(self, reload: Callable[[], ReloadReport]) -> ReloadReport:
        """Run ``reload``; while scrubbed back, the history is run again under the new code.

        ``sandbox.scrub_save`` holds how: over the next frames, from :meth:`show`.
        """
        scrubbed = self.is_open and self.cursor < self.history.tick
        return self.saves.around_reload(reload, self.cursor if scrubbed else None)

    # -- drawing -----------------------------------------------------------------------------------
    def draw(self, surface: Surface) -> None:
        """The bar along the bottom: history, keyframes, a re-run's progress or the divergence
        mark, the cursor."""
        if not self.is_open:
            return
        history = self.history
        width, height = surface.size
        line = surface.line_height
        top = height - (line + TRACK_H + 3 * PAD)
        self._top = top
        surface.fill_rect(0, top, width, height - top, BACK_RGBA)
        ago = (history.tick - self.cursor) * history.step
        label = f"TIMELINE  -{ago:.2f} s  tick {self.cursor}/{history.tick}   F8 resumes here"
        progress = self.saves.progress
        if progress is not None:  # in place of "F8 resumes here": 60 columns at 480 pixels
            label = (f"TIMELINE  -{ago:.2f} s  tick {self.cursor}/{history.tick}   "
                     f"re-simulating {progress}")
        elif self.divergence is not None:
            label += f"   diverges at {self.divergence}"
        elif self.ghosts is not None:  # 78 columns at 640 pixels: one or the other
            label += "   G ghosts"
        surface.text(PAD, top + PAD, label, LABEL_RGB)
        track = (PAD, top + 2 * PAD + line, width - 2 * PAD, TRACK_H)
        self._track = track
        x, y, w, h = track
        surface.fill_rect(x, y, w, h, TRACK_RGBA)
        cursor_x = self.x_of(self.cursor)
        surface.fill_rect(x, y, cursor_x - x, h, PAST_RGBA)
        for frame in history.keyframes:
            surface.fill_rect(self.x_of(frame.tick), y + h - 3, 1, 3, KEYFRAME_RGBA)
        reached = self.saves.reached
        if reached is not None:  # how far the re-run under the new code has come
            surface.fill_rect(cursor_x, y, self.x_of(reached) - cursor_x + 1, h // 2, RERUN_RGBA)
        if self.divergence is not None:
            mark = self.x_of(self.divergence)
            surface.fill_rect(mark, y, x + w - mark, h // 2, DIVERGE_RGBA)
            surface.fill_rect(mark - 1, y - 3, 3, h + 6, DIVERGE_RGBA)
        surface.fill_rect(cursor_x - 1, y - 4, 3, h + 8, CURSOR_RGBA)

