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

This module does not import SDL: it gets the history, the frames (the display's
``GhostFrames``), and what draws the game's frame (the host's draw hook, under its watchdog).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Sequence
from typing import Protocol

from sandbox.assets import AssetReloaded
from sandbox.history import History
from sandbox.hot import ReloadReport
from sandbox.overlay import Surface

__all__ = ["EVERY", "FAR_ALPHA", "NEAR_ALPHA", "REACH", "Frames", "Ghosts", "alpha_of",
           "ghost_ticks"]

EVERY = 5  # ticks between ghosts
REACH = 30  # ticks either side: 0.5 s at 60 Hz, so one second in all
NEAR_ALPHA = 120  # a ghost next to the cursor; out to FAR_ALPHA at REACH
FAR_ALPHA = 40
BASE = "cursor"  # the slot of the cursor's own frame, which the ghosts are blended over


class Frames(Protocol):
    """Offscreen frames and their composite (``sandbox.sdl.ghostframes.GhostFrames``)."""

    def __contains__(self, slot: Hashable) -> bool: ...
    def capture(self, slot: Hashable, draw: Callable[[], bool]) -> bool: ...
    def keep(self, slots: Collection[Hashable]) -> None: ...
    def compose(self, base: Hashable, ghosts: Sequence[tuple[Hashable, int]]) -> None: ...
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
                 draw: Callable[[], bool], *, every: int = EVERY, reach: int = REACH) -> None:
        self.history = history
        self.frames = frames
        self.draw_game = draw
        self.every, self.reach = every, reach
        self.on = False
        self.version = 0  # the game's: a new one with every change that can change a frame
        self.drawn: tuple[int, int] | None = None  # (cursor, version) of the composite
        self.ticks: list[int] = []  # the ghosts' ticks in the composite
        self._kept_version = -1  # the version the frames kept in GhostFrames are of

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
        self.drawn = None

    def drop(self) -> None:
        """Forget every frame drawn too: play goes on, so the history they were of changes."""
        self.drawn, self._kept_version = None, -1

    def observe(self, event: object) -> None:
        """An event of the session: a reload that changed code, or a saved asset, redraws them.

        A tweak is a reload too (``sandbox.tweak_edit``), so dragging a value redraws them.
        """
        if (isinstance(event, ReloadReport) and event.ok and event.changed) or \
                (isinstance(event, AssetReloaded) and event.ok):
            self.version += 1
            self.drawn = None  # never show the old game's ghosts, even paused on an error

    def refresh(self, cursor: int) -> bool:
        """Draw the ghosts around ``cursor``, unless they are drawn for it already.

        The modules hold the cursor's state again afterwards. False when a hook failed on the
        way (the game pauses on the error, as in play; no ghosts show until the next change).
        """
        if not self.on or self.drawn == (cursor, self.version):
            return True
        self.drawn = None
        history, frames = self.history, self.frames()
        ticks = ghost_ticks(cursor, history.start, history.tick, self.every, self.reach)
        if self._kept_version != self.version:
            frames.keep(())
            self._kept_version = self.version
        frames.keep(ticks)
        if not frames.capture(BASE, self.draw_game):
            return False
        missing = [tick for tick in ticks if tick not in frames]
        for tick in missing:
            if not history.seek(tick) or not frames.capture(tick, self.draw_game):
                return False
        if missing and not history.seek(cursor):
            return False
        # Far to near on each side, so the nearest ghost is on top: the past oldest first,
        # the future latest first.
        order = sorted(ticks, key=lambda t: (t > cursor, -abs(t - cursor)))
        frames.compose(BASE, [(t, alpha_of(t - cursor, self.reach)) for t in order])
        self.drawn, self.ticks = (cursor, self.version), ticks
        return True

    def draw(self, surface: Surface) -> None:
        """Draw the composite (the cursor's frame with its ghosts) over the window."""
        self.frames().show()
