"""The terminal: a banner, one timestamped line per event, and game-only tracebacks.

This is the only module that imports ``rich``. It runs on the main thread at reload time, so
each line is built from plain ``Text`` (no markup parsing, no highlighting, no live display).
Every message is ``str(event)``; this module only chooses the style.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from rich.console import Console as RichConsole
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sandbox.events import ErrorInfo, GameError, Notice, Resumed
from sandbox.panel import source_rows

__all__ = ["Console", "style_of"]

_OK = "green"
_FAIL = "bold red"
_DIM = "dim"
_INFO = "cyan"


def style_of(event: object) -> str:
    """The style of an event's line: red for failures, green for reloads, dim for notices."""
    if isinstance(event, GameError):
        return _FAIL
    if isinstance(event, Notice):
        return _DIM
    if isinstance(event, Resumed):
        return _OK
    ok = getattr(event, "ok", None)  # the engine's ReloadReport, duck-typed: hot/ may change
    if ok is False:
        return _FAIL
    if ok is True:
        return _OK if getattr(event, "changed", True) else _DIM
    return _INFO


class Console:
    """Write the sandbox's terminal output to ``file`` (stdout by default).

    ``color``: None detects a terminal; False never styles (files, CI); True always does.
    ``watching``: whether the host watches the folder (``--no-watch`` turns it off), so the
    banner does not promise reload-on-save when only F9 reloads.
    """

    def __init__(
        self, file: IO[str] | None = None, color: bool | None = None, *, watching: bool = True
    ) -> None:
        self.watching = watching
        self._rich = RichConsole(
            file=file,
            force_terminal=color,
            no_color=color is False,
            highlight=False,
            markup=False,
            emoji=False,
            soft_wrap=True,  # a long line stays one line in a file or a narrow CI log
        )
        if not self._rich.is_terminal:
            # rich assumes 80 columns off a terminal, which wraps a long game path inside the
            # banner; logs have no width, so leave room (COLUMNS still wins when set).
            self._rich.width = max(self._rich.width, 160)

    @property
    def rich(self) -> RichConsole:
        """The underlying rich console (for tests and embedding)."""
        return self._rich

    def banner(
        self, game_name: str, folder: str | Path, keys: Iterable[tuple[str, str]]
    ) -> None:
        """A panel: the game, the folder being watched, and the keys."""
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for key, does in keys:
            table.add_row(key, does)
        body = Table.grid(padding=(0, 1))
        body.add_column(style=_DIM)
        body.add_column()
        body.add_row("game", Text(game_name, style="bold"))
        if self.watching:
            body.add_row("watching", str(folder))
        else:
            body.add_row("folder", f"{folder} (not watched: press F9 to reload)")
        if table.row_count:
            body.add_row("keys", table)
        self._rich.print(Panel(body, title="potato-sandbox", title_align="left", expand=False))

    def event(self, ev: object) -> None:
        """One line: a timestamp and ``str(ev)``, styled by the kind of event."""
        line = Text()  # a base style would bleed into the message: style each span
        line.append(time.strftime("%H:%M:%S "), style=_DIM)
        line.append(str(ev), style=style_of(ev))
        self._rich.print(line)

    def error(self, info: ErrorInfo) -> None:
        """A traceback of the game's own frames, then the error line and what to do next."""
        out = self._rich
        frames = info.frames
        # A SyntaxError has no frame in the file that failed to parse: show the line itself.
        # An absolute path lies outside the game folder (the sandbox's or a library's code):
        # that source is not the developer's to fix, so it is not shown.
        show_source = (
            info.path is not None
            and not Path(info.path).is_absolute()
            and (not frames or (frames[-1].path, frames[-1].line) != (info.path, info.line))
        )
        # The line that failed, with a caret under the failing columns (the panel's rows,
        # wide enough never to be cut).
        failed = source_rows(info, 4 + len(info.source_line or ""))
        if frames:
            out.print(Text("Traceback (game code only, most recent call last):", style=_DIM))
            for i, frame in enumerate(frames):
                out.print(Text(f"  {frame.path}:{frame.line} in {frame.function}", style=_INFO))
                innermost = i == len(frames) - 1 and not show_source and failed
                if innermost:
                    for n, (text, _) in enumerate(failed):
                        out.print(Text(text, style=_FAIL if n else ""))
                elif frame.source:
                    out.print(Text(f"    {frame.source}"))
        if show_source:
            out.print(Text(f"  {info.where}", style=_INFO))
            for n, (text, _) in enumerate(failed):
                out.print(Text(text, style=_FAIL if n else ""))
        out.print(Text(str(info), style=_FAIL))
        if info.hint:
            out.print(Text(f"  → {info.hint}", style="yellow"))

    def info(self, text: str) -> None:
        """A plain line of information (no timestamp)."""
        self._rich.print(Text(text))
