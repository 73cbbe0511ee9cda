"""Ghosts (F8, then G): faint copies of the frames around the one the timeline shows.

With the timeline open, G overlays the game's frames at every ``EVERY``-th tick within
``REACH`` ticks before and after the cursor (twelve at 60 Hz: every 5th tick over one second),
the nearer the less faint, so a motion shows as its arc: the rectangle's path, the ball's
curve. Each ghost is the history re-simulated to its tick (``History.seek``, the scrub's own
re-simulation) and the game's ``draw`` of that state, offscreen (``sandbox.sdl.ghostframes``);
after the last one the modules hold the cursor's state again.

What is drawn is kept for a version of the game (:meth:`Ghosts.observe` sees every reload,
tweak and asset save go by and starts a new one): a still frame with ghosts costs one texture
copy, and a cursor moved a tick or ten re-simulates and draws only the ghosts it had not
drawn (the ticks are multiples of ``EVERY``, so most are the same), then blends them again.
Drag a value in the tweak panel with ghosts on, scrubbed back, and the arc bends as you drag.

No frame stutters for them: the work is spread over frames, ``budget`` seconds of it a frame
by the injected ``clock`` (at least one ghost a frame, so all come within as many frames as
there are ghosts). What a frame shows meanwhile is exact, only incomplete: the cursor's frame
and the first ghosts in their order (:meth:`Ghosts._order`: the future nearest first, then
the past oldest first), all of the current version. Those of an older version are dropped at
once, never shown beside new ones; those of the same version stay drawn wherever the cursor
goes (a tick's frame depends on the tick and the code alone), so a scrub only blends them
anew. The cursor's state is put back with a copy (``History.hold``), not a seek from its
keyframe.

This module does not import SDL: it gets the history, the frames (the display's
``GhostFrames``), and what draws the game's frame (the host's draw hook, under its watchdog).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Hashable, Sequence
from typing import Protocol

from sandbox.assets import AssetReloaded
from sandbox.history import History
from sandbox.hot import ReloadReport
from sandbox.overlay import Surface

__all__ = ["BUDGET", "EVERY", "FAR_ALPHA", "NEAR_ALPHA", "REACH", "Frames", "Ghosts", "alpha_of",
           "ghost_ticks"]

EVERY = 5  # ticks between ghosts
REACH = 30  # ticks either side: 0.5 s at 60 Hz, so one second in all
NEAR_ALPHA = 120  # a ghost next to the cursor; out to FAR_ALPHA at REACH
FAR_ALPHA = 40
BUDGET = 0.005  # seconds of ghost work a frame: with the game's own frame, within 8 ms
BASE = "cursor"  # the slot of the cursor's own frame, which the ghosts are blended over


class Frames(Protocol):
    """Offscreen frames and their composite (``sandbox.sdl.ghostframes.GhostFrames``)."""

    def __contains__(self, slot: Hashable) -> bool: ...
    def capture(self, slot: Hashable, draw: Callable[[], bool]) -> bool: ...
    def keep(self, slots: Collection[Hashable]) -> None: ...
    def compose(self, base: Hashable, ghosts: Sequence[tuple[Hashable, int]], *,
                more: bool = False) -> None: ...
    def show(self) -> None: ...


def ghost_ticks(cursor: int, start: int, end: int, every: int = EVERY,
                reach: int = REACH) -> list[int]:
    """The ghosts' ticks, oldest first: multiples of ``every`` near ``cursor``, in the history.

    Near: within ``reach`` ticks; in the history: ``start`` .. ``end``; never the cursor's own.
    """
    first = max(start, cursor - reach)
    first += -first % every
    return [t for t in range(first, min(end, cursor + reach) + 1, every) if t != cursor]


def alpha_of(offset: int, reach: int = REACH) -> int:
    """How opaque the ghost ``offset`` ticks away is: NEAR_ALPHA beside the cursor, less further."""
    far = min(1.0, max(0.0, (abs(offset) - 1) / max(1, reach - 1)))
    return round(NEAR_ALPHA + (FAR_ALPHA - NEAR_ALPHA) * far)


class Ghosts:
    """The timeline's ghosts: on or off, and the cursor and game version they were drawn for."""

    def __init__(self, history: History, frames: Callable[[], Frames],
                 draw: Callable[[], bool], *, every: int = EVERY, reach: int = REACH,
                 clock: Callable[[], float] = time.perf_counter, budget: float = BUDGET) -> None:
        self.history = history
        self.frames = frames
        self.draw_game = draw
        self.every, self.reach = every, reach
        self.clock, self.budget = clock, budget  # seconds of ghost drawing a frame
        self.on = False
        self.version = 0  # the game's: a new one with every change that can change a frame
        self.drawn: tuple[int, int] | None = None  # (cursor, version) of the composite
        self.ticks: list[int] = []  # the ghosts' ticks around the cursor, drawn or waiting
        self._kept_version = -1  # the version the frames kept in GhostFrames are of
        self._target: tuple[int, int] | None = None  # (cursor, version) being drawn
        self._pending: list[int] = []  # its ghosts not drawn yet, in the order they come
        self._fresh = True  # the composite is to start again from the cursor's frame
        self._cost = 0.0  # seconds the last ghost drawn took to re-simulate and draw
        self._blend_cost = 0.0  # seconds a blend took, the upload shared, in the last compose

    @property
    def visible(self) -> bool:
        """True while on and drawn for the timeline's cursor (a ``sandbox.screen`` badge)."""
        return self.on and self.drawn is not None

    def toggle(self) -> bool:
        """G: ghosts on or off; returns the new state."""
        self.on = not self.on
        self.forget()
        return self.on

    def forget(self) -> None:
        """The composite is not the cursor's (it moved, or the timeline closed)."""
        self.drawn = self._target = None
        self._pending = []

    def drop(self) -> None:
        """Forget every frame drawn too: play goes on, so the history they were of changes."""
        self.forget()
        self._kept_version = -1

    def observe(self, event: object) -> None:
        """An event of the session: a reload that changed code, or a saved asset, redraws them.

        A tweak is a reload too (``sandbox.tweak_edit``), so dragging a value redraws them.
        """
        if (isinstance(event, ReloadReport) and event.ok and event.changed) or \
                (isinstance(event, AssetReloaded) and event.ok):
            self.changed()

    def changed(self) -> None:
        """The game may draw or move differently now (new code, a line run at ``--repl``)."""
        self.version += 1
        self.forget()  # never show the old game's ghosts, even paused on an error

    @property
    def waiting(self) -> list[int]:
        """The ghosts' ticks not shown yet for the cursor and code shown (they come next)."""
        return list(self._pending)

    def refresh(self, cursor: int, began: float | None = None) -> bool:
        """Draw and blend the ghosts around ``cursor`` that fit this frame's budget.

        The first frame for a cursor or a version captures the cursor's frame; each frame
        then takes the waiting ghosts in order while the clock says they fit ``budget`` (at
        least one, so all come within as many frames as there are ghosts), draws those not
        drawn yet and blends them over the composite. The modules hold the cursor's state
        again afterwards. False when a hook failed on the way (the game pauses on the error,
        as in play; no ghosts show until the next change). ``began``: when the frame's work
        for the timeline began, by ``clock`` (the seek to the cursor counts), or now.
        """
        target = (cursor, self.version)
        if not self.on or (self.drawn == target and not self._pending):
            return True
        began = self.clock() if began is None else began
        self.drawn, frames = None, self.frames()
        if self._target != target and not self._begin(cursor, frames):
            return False
        taken = self._catch_up(began, frames)
        if taken is None:
            self._target = None
            return False
        blending = self.clock()
        frames.compose(BASE, [(t, alpha_of(t - cursor, self.reach)) for t in taken],
                       more=not self._fresh)
        self._fresh = False
        if taken:
            self._blend_cost = (self.clock() - blending) / len(taken)
        self.drawn = target
        return True

    def _order(self, cursor: int) -> list[int]:
        """The ghosts' ticks in the order they are drawn and blended, each over those before.

        The future nearest first, simulated on from the cursor's own state, as it is what a
        tweak bends; then the past, oldest first, each continuing the last one's
        re-simulation. Blended in this order, a frame blends only its new ghosts over the
        composite of those before.
        """
        return [t for t in self.ticks if t > cursor] + [t for t in self.ticks if t < cursor]

    def _begin(self, cursor: int, frames: Frames) -> bool:
        """A new cursor or version: capture the cursor's frame; every ghost waits again.

        Ghosts of the same version at ticks still near are kept drawn (a tick's frame
        depends on the tick and the code alone): they wait only to be blended anew, over the
        new cursor's frame and with their new faintness.
        """
        history = self.history
        self.ticks = ghost_ticks(cursor, history.start, history.tick, self.every, self.reach)
        if self._kept_version != self.version:
            frames.keep(())
            self._kept_version = self.version
        frames.keep(self.ticks)
        self._target, self._pending = None, []
        if not frames.capture(BASE, self.draw_game):
            return False
        self._pending, self._fresh = self._order(cursor), True
        self._target = (cursor, self.version)
        return True

    def _catch_up(self, began: float, frames: Frames) -> list[int] | None:
        """The waiting ghosts that fit the budget, in order, drawn where not drawn yet.

        A ghost's cost is taken to be the last one's (a re-simulation and draw, when not
        drawn yet, and a blend, done after the loop and so added up as it goes): the clock is
        read between ghosts, never inside one. The
        cursor's state is held before the first re-simulation and put back after the last.
        None when a hook failed.
        """
        history, pending = self.history, self._pending
        put_back: Callable[[], None] | None = None
        taken: list[int] = []
        blends = 0.0  # the blends of the ghosts taken, done after them: owed to the budget
        while pending:
            tick = pending[0]
            drawn = tick in frames
            cost = self._blend_cost + (0.0 if drawn else self._cost)
            if taken and self.clock() - began + blends + cost > self.budget:
                break
            blends += self._blend_cost
            if not drawn:
                put_back = put_back or history.hold()
                before = self.clock()
                if not history.seek(tick) or not frames.capture(tick, self.draw_game):
                    return None
                self._cost = self.clock() - before
            taken.append(pending.pop(0))
        if put_back is not None:
            put_back()
        return taken

    def draw(self, surface: Surface) -> None:
        """Draw the composite (the cursor's frame with its ghosts) over the window."""
        self.frames().show()
