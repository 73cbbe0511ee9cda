"""The terminal's side of the event log: each event as one line, an error's traceback after it.

The host's ``EventLog`` tells every event to its sinks; this one prints it on the console
(``sandbox.console.Console``, or anything with the same four methods: ``ConsoleLike``), and
for an event that carries an error (``eventlog.error_of``) the trimmed traceback too. Events
``quiet`` says are told by another line are skipped: a tweak's own reload report, which its
``Tweaked`` line already says.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from sandbox.eventlog import error_of
from sandbox.events import ErrorInfo

__all__ = ["ConsoleLike", "ConsoleSink"]


class ConsoleLike(Protocol):
    """What the host needs from ``sandbox.console.Console``."""

    def banner(self, game_name: str, folder: Path, keys: Any) -> None: ...
    def event(self, ev: object) -> None: ...
    def error(self, info: ErrorInfo) -> None: ...
    def info(self, text: str) -> None: ...


class ConsoleSink:
    """An ``EventLog`` sink that prints events on a console (nothing without one)."""

    def __init__(self, console: ConsoleLike | None, quiet: Callable[[object], bool]) -> None:
        self.console = console
        self.quiet = quiet  # True for an event another line already tells

    def __call__(self, ev: object) -> None:
        if self.console is None or self.quiet(ev):
            return  # a tweak's own reload: its ``Tweaked`` line says it
        self.console.event(ev)
        info = error_of(ev)
        if info is not None:
            self.console.error(info)
