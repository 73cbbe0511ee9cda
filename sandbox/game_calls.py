"""The one place the game's code runs: every hook under the watchdog, its prints kept.

Hooks, the first import of ``main.py`` and the *apply* half of a reload or restart all run
here: under the watchdog's time and memory limits (a hang raises ``HookTimeout``, and
``sys.exit()``/``KeyboardInterrupt`` in game code ``GameExit``, both ``Exception``), with the
game's ``print`` output kept for the output strip. A hook that raises pauses the game through
the ``Status`` and is told once, as a ``GameError``; it never escapes the frame loop.

This module does not know the host: it gets the live entry module (a callable, since a hot
restart replaces it), the watchdog, the output, the run state and the event sink.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TypeVar

from sandbox.events import GameError
from sandbox.events.errors import error_info
from sandbox.game_output import GameOutput
from sandbox.hot import ReloadReport
from sandbox.sdl import Display
from sandbox.status import Status
from sandbox.watchdog import Watchdog

__all__ = ["GameCalls"]

T = TypeVar("T")


class GameCalls:
    """Runs the game's hooks and the engine's game code, and turns their failures into pauses."""

    def __init__(self, game: Callable[[], ModuleType], watchdog: Watchdog, output: GameOutput,
                 status: Status, emit: Callable[[object], None], root: Path, *,
                 seam: Callable[..., object] | None = None) -> None:
        self.game = game  # the entry module now: a hot restart replaces it
        # How a hook's function is called: ``invoke``, or the host's ``Host.invoke``, a seam
        # that a subclass (another watchdog) or a bench (timing the hooks) replaces.
        self.seam = seam if seam is not None else self.invoke
        self.watchdog = watchdog
        self.output = output
        self.status = status
        self.emit = emit
        self.root = root  # errors name files relative to the game folder

    def call_hook(self, hook: str, *args: object) -> bool:
        """Run one hook if the game defines it; on an exception pause and report once."""
        fn = getattr(self.game(), hook, None)
        if fn is None or not callable(fn):
            return True
        try:
            self.seam(fn, *args)
        except (Exception, SystemExit) as exc:
            info = error_info(exc, self.root)
            self.status.hook_failed(hook, info)
            self.emit(GameError(hook, info))
            return False
        return True

    def invoke(self, fn: Callable[..., T], *args: object) -> T:
        """Call ``fn`` under the watchdog's limits, its prints kept for the strip; raises."""
        with self.output.capturing():
            return self.watchdog.call(fn, *args)

    def run_engine(self, what: str, run: Callable[..., ReloadReport], *args: object,
                   restart: bool = False) -> ReloadReport:
        """A reload or restart's game code, under the watchdog, its prints kept for the strip."""
        with self.output.capturing():
            return self.watchdog.run_engine(what, run, *args, restart=restart)

    def draw(self, display: Display, background: tuple[int, int, int]) -> bool:
        """The game's frame: its ``draw`` hook, or the background when it has none."""
        if getattr(self.game(), "draw", None) is None:
            display.clear(background)
            return True
        return self.call_hook("draw", display.renderer)
