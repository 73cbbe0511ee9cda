"""What the host's keys do: F9, F5, F10 … Escape in the window, r / R / q in the terminal.

Every key the host keeps is in one table, :meth:`Controls.actions` (the help panel lists the
same keys: ``sandbox.overlay.KEYS``). The host hands each frame's SDL events to
:meth:`Controls.handle_events`: a host key runs its action, the window's close button quits,
and every other event goes to the game's ``on_event`` (through the looper, which records or
swallows it). Terminal keys (``sandbox.devtools.TerminalKeys``) map to window keys and run the
same actions.

Pausing with F10 lives here too, since only keys start and end it: F11 lets one fixed update
through while paused. A pause caused by an error in a hook is the host's, not this module's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sandbox.devtools import TERMINAL_KEYS, screenshot_path
from sandbox.events import Notice
from sandbox.overlay import KEYS
from sandbox.sdl import Display, SDLError

if TYPE_CHECKING:
    from sandbox.host import Host

__all__ = ["HOST_KEYS", "Controls"]

HOST_KEYS = frozenset(key for key, _ in KEYS)


class Controls:
    """Runs the host's action for each host key, and holds the pause that F10 and F11 drive."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.user_paused = False  # F10
        self._step_once = False  # F11 while paused: one update at the next frame

    def actions(self) -> dict[str, Callable[[], object]]:
        """Window key name → what it does."""
        host, overlay = self.host, self.host.overlay
        return {"F9": host.changes.reload_now, "F5": host.restart, "F10": self.toggle_pause,
                "F6": host.looping.toggle, "F7": host.looping.stop,
                "F11": lambda: setattr(self, "_step_once", self.user_paused),
                "F12": self.screenshot,
                "Escape": host.stop,
                "F3": lambda: setattr(overlay, "show_hud", not overlay.show_hud),
                "F1": lambda: setattr(overlay, "show_help", not overlay.show_help)}

    def handle_events(self, display: Display) -> None:
        """Handle this frame's SDL events: host keys and quit here, the rest to ``on_event``."""
        host = self.host
        for event in display.poll():
            if display.is_quit(event):
                host.running = False
                continue
            key = display.key_of(event)
            action = self.actions().get(key) if key else None
            if action is not None:
                action()
            elif display.key_of(event, released=True) in HOST_KEYS:
                continue  # the release of a key the host kept is not the game's either
            else:
                host.input.observe(event)  # input: the real state sees every game event
                if not host._error_paused and host.looping.pass_event(event):
                    host.input.deliver(event)  # input: view, on_event, plain hooks
        if not host._error_paused:
            host.input.sync()  # input: no key stuck after F7, F5 or an error pause

    def handle_terminal(self) -> None:
        """Run the action of each key typed in the terminal since the last frame (r, R, q)."""
        keys = self.host.keys
        for key in keys.drain() if keys is not None else ():
            action = self.actions().get(TERMINAL_KEYS.get(key, ""))
            if action is not None:
                action()

    def ticks(self, ticks: int) -> int:
        """How many of the clock's ``ticks`` to run: all, or while paused one after F11."""
        if self.user_paused:
            ticks = 1 if self._step_once else 0
            self._step_once = False
        return ticks

    def toggle_pause(self) -> None:
        """F10: pause or resume the game's updates."""
        self.user_paused = not self.user_paused
        self.host._emit(Notice("paused (F10 resumes, F11 steps)" if self.user_paused
                               else "resumed"))

    def screenshot(self) -> None:
        """F12: a new file in screenshots/; a failure is one line, never the session's end."""
        path: Path | None = None
        try:
            path = screenshot_path(self.host.spec.name)
            self.host.screenshot(path)
        except (OSError, SDLError) as exc:  # no frame yet, a read-only folder, a full disk
            if path is not None:
                path.unlink(missing_ok=True)  # the reserved name, still empty
            self.host._emit(Notice(f"screenshot failed: {exc}"))
