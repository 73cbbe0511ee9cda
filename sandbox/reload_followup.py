"""What follows new code: the window's ``TITLE``/``SIZE``, hook names, and the parts' own state.

``sandbox.changes`` applies a reload or a hot restart; what the rest of the session does
around and after one is here, as the three ``HostHooks`` callables the host hands over:

- around every reload, the looper and the history carry edited names into their snapshots
  and ``stale`` notes the modules (``around_reload``);
- after a reload that changed code, the entry module's settings are read again: a new title
  or size goes to the window at once (a new size also drops the frames kept at the old one),
  a new problem with a setting is told once, hook names are checked again when ``main.py``
  changed, and objects the reload could not reach are told (``code_changed``);
- after a hot restart, the loop ends, the timeline closes and the history starts over (they
  were of the modules the restart replaced), then the same settings and hook names
  (``restarted``).

Misspelt hook names (``drow``: "did you mean draw?") are told and kept in the overlay's
notice strip for as long as they stay true. It gets the display, the overlay, the event sink
and the parts; the host keeps the entry module and the settings and passes them in.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from sandbox.events import Notice
from sandbox.game import GameSettings, check_hooks, read_settings
from sandbox.history import History
from sandbox.hot import ReloadReport
from sandbox.looping import Looper
from sandbox.overlay import Overlay
from sandbox.sdl import Display
from sandbox.stale import StaleObjects
from sandbox.timeline import Timeline

__all__ = ["ReloadFollowUp"]


class ReloadFollowUp:
    """The session's work around a reload and after new code: window settings, hook names."""

    def __init__(self, display: Display, overlay: Overlay, emit: Callable[[object], None], *,
                 game_name: str, resized: Callable[[], None], stale: StaleObjects,
                 looping: Looper, timeline: Timeline, history: History) -> None:
        self.display = display
        self.overlay = overlay
        self.emit = emit
        self.game_name = game_name  # the title when the game sets none
        self.resized = resized  # frames kept at the old size are stale now
        self.stale = stale
        self.looping = looping
        self.timeline = timeline
        self.history = history

    def around_reload(self, reload: Callable[[], ReloadReport]) -> ReloadReport:
        """Every reload: the looper and the history carry edits into their snapshots, and
        ``stale`` notes the modules."""
        return self.stale.around_reload(
            lambda: self.timeline.around_reload(lambda: self.looping.around_reload(reload)))

    def code_changed(self, game: ModuleType, settings: GameSettings,
                     entry_changed: bool) -> GameSettings:
        """After a reload that changed code: the window's settings (returned), hook names."""
        settings = self.follow(game, settings)
        if entry_changed:
            self.check_hooks(game)
        self.stale.check()
        return settings

    def restarted(self, game: ModuleType, settings: GameSettings) -> GameSettings:
        """After a hot restart: the loop ended, history anew, settings (returned), hook names."""
        self.looping.restarted()
        self.timeline.cancel()  # the history was of the modules the restart replaced
        self.history.reset()
        self.stale.remember()
        settings = self.follow(game, settings)
        self.check_hooks(game)
        return settings

    def follow(self, game: ModuleType, old: GameSettings) -> GameSettings:
        """Apply a changed ``TITLE`` or ``SIZE`` to the window; tell new setting problems."""
        new = read_settings(game, self.game_name)
        if new.title != old.title:
            self.display.set_title(new.window_title)
        if new.size != old.size:
            self.display.set_size(new.size)
            self.resized()
        for problem in set(new.problems) - set(old.problems):
            self.emit(Notice(problem))
        return new

    def check_hooks(self, game: ModuleType) -> None:
        """Tell misspelt hooks in the terminal, and keep them in the window's notice strip."""
        warnings = check_hooks(game)
        self.overlay.notices = tuple(warnings)
        for warning in warnings:
            self.emit(Notice(warning))
