"""Small event dataclasses, each with a one-line ``__str__``.

The terminal, the in-window overlay and the tests all show the same line, so an event's
``__str__`` is its user-facing message. The engine's own report (``sandbox.hot.ReloadReport``)
follows the same rule. Nothing here imports SDL, rich or another sandbox module: the engine
imports this package (``ErrorInfo``, and :mod:`sandbox.events.errors` to shape its errors).
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.events.errors import ErrorInfo, FrameInfo, drop_traceback

__all__ = [
    "ErrorInfo",
    "Event",
    "FrameInfo",
    "GameError",
    "Notice",
    "ReplFailed",
    "Restarted",
    "Resumed",
    "ScreenshotSaved",
    "drop_traceback",
]


@dataclass(frozen=True)
class Event:
    """Base class of the host's events; ``str(event)`` is the line everyone shows."""


@dataclass(frozen=True)
class GameError(Event):
    """A hook (load, update, draw, on_event) raised or hung; the game is paused."""

    hook: str
    error: ErrorInfo

    def __str__(self) -> str:
        return f"{self.hook}() failed: {self.error} — game paused; {self.error.hint}"


@dataclass(frozen=True)
class Restarted(Event):
    """A hot restart (F5) re-imported every game module and ran load() again."""

    modules: int
    seconds: float

    def __str__(self) -> str:
        return f"restarted: {self.modules} modules imported fresh ({self.seconds * 1000:.1f} ms)"


@dataclass(frozen=True)
class ScreenshotSaved(Event):
    """A screenshot was written to ``path``."""

    path: str

    def __str__(self) -> str:
        return f"screenshot saved to {self.path}"


@dataclass(frozen=True)
class Notice(Event):
    """A one-line message that needs no structure of its own (paused, resumed, …)."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Resumed(Event):
    """An error went away: the panel is gone, and the terminal's last line says so."""

    fixed: str  # what fixed it: "main.py", "ball.png", "physics.py, main.py"

    def __str__(self) -> str:
        return f"resumed: {self.fixed} fixed"


@dataclass(frozen=True)
class ReplFailed(Event):
    """A line typed at the REPL (``--repl``) raised, hung or exited; the game keeps running."""

    error_info: ErrorInfo

    def __str__(self) -> str:
        return f"repl: {self.error_info} — {self.error_info.hint}"
