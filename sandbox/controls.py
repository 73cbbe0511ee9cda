"""What the host's keys do: F9, F5, F10 … Escape in the window, r / R / q in the terminal.

Every key the host keeps is in one table, ``sandbox.keys.KEYS``; :meth:`Controls.actions` says
what each of its actions does. The host hands each frame's SDL events to
:meth:`Controls.handle_events`: a host key runs its action, the window's close button quits,
and every other event goes to ``to_game`` (the host's route to ``on_event``, through the
looper, which records or swallows it). Controls do not know the host: they get the actions,
an event sink and that route. Terminal keys (``sandbox.devtools.TerminalKeys``) map to window
keys and run the same actions.

Pausing with F10 lives here too, since only keys start and end it: F11 lets one fixed update
through while paused, and the window says so with a "PAUSED" badge at the top right, under the
loop's badge if it shows (``Controls`` is one of the screen's badges): a frozen game with no
sign why looks like a hang. A pause caused by an
error in a hook is the host's, not this module's (its error panel says so).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from sandbox.devtools import TerminalKeys, screenshot_path
from sandbox.events import Notice
from sandbox.keys import HOST_KEYS, KEYS, TERMINAL_KEYS, Action
from sandbox.overlay import Surface, loop_indicator_height, pause_badge
from sandbox.sdl import Display, SDLError

__all__ = ["PAUSED", "PAUSE_BADGE", "Controls"]


def _key(action: Action) -> str:
    return next(key.name for key in KEYS if key.action is action)


PAUSED = f"paused ({_key(Action.PAUSE)} resumes, {_key(Action.STEP)} steps)"
PAUSE_BADGE = "PAUSED"


class Controls:
    """Runs the action of each host key, and holds the pause that F10 and F11 drive.

    ``actions``: what each action does, for every action but F10/F11/F12's (held here);
    ``emit``: the event sink; ``to_game(event)``: an event that is not the host's;
    ``screenshot(path)``: save the last frame to ``path`` (F12), named after ``game``;
    ``intercept(event)``: True when an open panel used the event (it skips the game);
    ``loop_badge_shown()``: whether the loop's badge takes the top right (the pause badge
    goes under it).
    """

    def __init__(self, actions: Mapping[Action, Callable[[], object]], *,
                 emit: Callable[[object], None], to_game: Callable[[object], None],
                 screenshot: Callable[[Path], Path], game: str,
                 intercept: Callable[[object], bool] | None = None,
                 loop_badge_shown: Callable[[], bool] = lambda: False) -> None:
        self.emit = emit
        # A panel that takes the events it uses (the tweak panel, F4) before the game sees them.
        self.intercept = intercept
        self.to_game = to_game
        self.save_screenshot = screenshot
        self.game = game
        self.loop_badge_shown = loop_badge_shown
        self.user_paused = False  # F10
        self._step_once = False  # F11 while paused: one update at the next frame
        own: dict[Action, Callable[[], object]] = {
            Action.PAUSE: self.toggle_pause, Action.STEP: self.step_once,
            Action.SCREENSHOT: self.screenshot}
        every = {**own, **actions}
        self.quit = every[Action.QUIT]
        self.actions: dict[str, Callable[[], object]] = {
            key.name: every[key.action] for key in KEYS}

    @property
    def visible(self) -> bool:
        """True while F10 holds the game: :meth:`draw` shows the pause badge."""
        return self.user_paused

    def draw(self, surface: Surface) -> None:
        """The pause badge at the top right (a screen badge, not part of the game's frame)."""
        if self.user_paused:
            below = loop_indicator_height(surface) if self.loop_badge_shown() else 0
            pause_badge(surface, PAUSE_BADGE, below)

    def handle_events(self, display: Display) -> None:
        """Handle this frame's SDL events: host keys and quit here, the rest to ``to_game``."""
        for event in display.poll():
            if display.is_quit(event):
                self.quit()
                continue
            if self.intercept is not None and self.intercept(event):
                continue  # an open panel's: it lets the host's keys through
            key = display.key_of(event)
            action = self.actions.get(key) if key else None
            if action is not None:
                action()
            elif display.key_of(event, released=True) in HOST_KEYS:
                continue  # the release of a key the host kept is not the game's either
            else:
                self.to_game(event)

    def handle_terminal(self, keys: TerminalKeys | None) -> None:
        """Run the action of each key typed in the terminal since the last frame (r, R, q)."""
        for key in keys.drain() if keys is not None else ():
            action = self.actions.get(TERMINAL_KEYS.get(key, ""))
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
        self.emit(Notice(PAUSED if self.user_paused else "resumed"))

    def step_once(self) -> None:
        """F11: while paused, let one fixed update through at the next frame."""
        self._step_once = self.user_paused

    def screenshot(self) -> None:
        """F12: a new file in screenshots/; a failure is one line, never the session's end."""
        path: Path | None = None
        try:
            path = screenshot_path(self.game)
            self.save_screenshot(path)
        except (OSError, SDLError) as exc:  # no frame yet, a read-only folder, a full disk
            if path is not None:
                path.unlink(missing_ok=True)  # the reserved name, still empty
            self.emit(Notice(f"screenshot failed: {exc}"))
