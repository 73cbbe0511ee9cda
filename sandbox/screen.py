"""What the window shows each frame: the game's frame or the frozen last good one, then the overlay.

Split out of the host so the loop reads as the frame order and this module holds the one
subtle rule: a frame the game did not finish drawing is never presented.

- Every presented frame is read back (``Display.present``). When no overlay was drawn on it,
  that read-back *is* the game's clean frame, so keeping it costs nothing.
- When an overlay is about to be drawn over a running game (a failed reload's panel, the HUD),
  the clean frame is read back once more *before* the overlay, so a later freeze never shows
  an old panel baked into the picture.
- While the game is paused by an error, no hook runs; the frozen clean frame is copied onto the
  target (overwriting whatever a failing ``draw()`` managed to draw), then the panel.
  With read-back off, or before any good frame, the background is cleared instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sandbox.overlay import Overlay, Surface
from sandbox.sdl import Display
from sandbox.status import Status

__all__ = ["Badge", "Screen"]


class Badge(Protocol):
    """Something the sandbox draws over the game besides the overlay (the loop's badge)."""

    @property
    def visible(self) -> bool: ...
    def draw(self, surface: Surface) -> None: ...


class Screen:
    """Keeps the last clean game frame and composes frozen frame, overlay and present."""

    def __init__(self, display: Display, overlay: Overlay, status: Status,
                 badges: Sequence[Badge] = ()) -> None:
        self.display = display
        self.overlay = overlay
        self.status = status  # the error shown, and whether the game is paused on it
        self.badges = list(badges)
        self.overlay_drawn = False  # on the last presented frame
        self.held: bytearray | None = None    # the last good game frame, without the overlay
        self.frozen: bytearray | None = None  # shown while the game is paused by an error

    def freeze(self) -> None:
        """A hook failed: from now on show the last good frame instead of drawing."""
        self.frozen = self.held

    def thaw(self) -> None:
        """The game runs again: draw live frames."""
        self.frozen = None

    def forget(self) -> None:
        """The window changed size: old frames no longer fit."""
        self.held = self.frozen = None

    def finish(self, background: tuple[int, int, int], hud: Sequence[str] = ()) -> None:
        """Complete the frame after the game's ``draw()`` (skipped while paused), present it."""
        display = self.display
        error, frozen = self.status.shown_error, self.status.paused
        if frozen:
            if self.frozen is not None:
                display.draw_frame(self.frozen)
            else:
                display.clear(background)
        badges = [badge for badge in self.badges if badge.visible]
        overlay_on = bool(badges) or self.overlay.visible(error)
        if overlay_on and not frozen and display.readback:
            self._hold(display.read_frame())
        for badge in badges:
            badge.draw(display)
        self.overlay.draw(display, error, hud)
        display.present()
        self.overlay_drawn = overlay_on
        if not overlay_on and not frozen:
            self._hold(display.last_frame)

    def _hold(self, frame: bytearray | None) -> None:
        """Keep ``frame`` as the last good one; the one it replaces goes back to the display."""
        old, self.held = self.held, frame
        if old is not None and old is not frame and old is not self.frozen:
            self.display.recycle(old)

    def game_frame(self) -> bytearray | None:
        """The last frame as the game drew it, without the sandbox's overlays and badges.

        While paused on an error that is the frozen last good frame. None when there is no
        such frame apart from the presented one (read-back off): use the presented frame.
        """
        if self.status.paused:
            return self.frozen
        return self.held if self.overlay_drawn else self.display.last_frame
