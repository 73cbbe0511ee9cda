"""The game's ``print`` output and warnings: to the terminal as before, and to a window strip.

A developer with the window full-screen cannot see the terminal, so what the game prints is
also kept (the last :data:`KEPT` lines) and shown by the output strip (the backquote key
toggles it; PageUp/PageDown scroll it while the game is paused).

How the game's output is told apart from the sandbox's own: ``sys.stdout`` and
``sys.stderr`` are wrapped once (:meth:`GameOutput.install`) by a stream that writes
everything through unchanged and *keeps* only what the main thread writes while game code
runs (:meth:`GameOutput.capturing`, around every hook and reload). The console's lines, printed
between hooks, go to the terminal only. Warnings are kept by wrapping ``warnings.showwarning``
(not by their text on stderr: whoever records warnings, pytest for one, replaces how they are
shown), then shown as before.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from sandbox.panel import DIM_RGB, HUD_RGB, MARGIN, Surface

__all__ = ["KEPT", "GameOutput", "OutputLine", "OutputStrip"]

KEPT = 500  # lines kept for scrolling back
MAX_LINE = 400  # characters kept of one line: a game may print a megabyte without a newline
STRIP_ROWS = 8  # text rows the strip shows
STRIP_BG = (0, 0, 0, 200)
ERR_RGB = (255, 170, 120)  # stderr's lines (warnings, the game's own tracebacks)

OutputLine = tuple[str, bool]  # (text, came from stderr)


class _Tee:
    """A text stream that writes through to ``target`` and tells ``keep`` what was written."""

    def __init__(self, target: TextIO, keep: Callable[[str], None]) -> None:
        self.target = target
        self._keep = keep

    def write(self, text: str) -> int:
        written = self.target.write(text)
        self._keep(text)
        return written

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding, …
        return getattr(self.target, name)


class GameOutput:
    """The last lines the game printed (``lines``), and the streams that catch them."""

    def __init__(self, kept: int = KEPT, root: Path | None = None) -> None:
        self.root = root  # warnings name files relative to it: main.py:12
        self.lines: deque[OutputLine] = deque(maxlen=kept)
        self.total = 0  # lines ever kept: the strip follows new ones
        self._partial = {False: "", True: ""}  # a line not ended yet, per stream
        self._owner: int | None = None  # the thread whose writes are kept, while capturing
        self._tees: tuple[_Tee, _Tee] | None = None
        self._showwarning: Callable[..., None] | None = None

    def install(self) -> None:
        """Wrap ``sys.stdout`` and ``sys.stderr`` (idempotent)."""
        if self._tees is None:
            self._tees = (_Tee(sys.stdout, lambda t: self._keep(t, False)),
                          _Tee(sys.stderr, lambda t: self._keep(t, True)))
            sys.stdout, sys.stderr = self._tees
            self._showwarning = warnings.showwarning
            warnings.showwarning = self._warned

    def uninstall(self) -> None:
        """Put the streams back, unless someone replaced ours since (then leave theirs)."""
        if self._tees is None:
            return
        out, err = self._tees
        if sys.stdout is out:
            sys.stdout = out.target
        if sys.stderr is err:
            sys.stderr = err.target
        if warnings.showwarning == self._warned and self._showwarning is not None:
            warnings.showwarning = self._showwarning
        self._tees = None

    @contextlib.contextmanager
    def capturing(self) -> Iterator[None]:
        """Keep what this thread writes meanwhile (game code runs): nestable."""
        outer = self._owner
        self._owner = threading.get_ident()
        try:
            yield
        finally:
            self._owner = outer

    def _warned(self, message: Warning | str, category: type[Warning], filename: str,
                lineno: int, file: TextIO | None = None, line: str | None = None) -> None:
        """``warnings.showwarning``: keep the game's warning, then show it as before."""
        assert self._showwarning is not None
        if self._owner != threading.get_ident() or file is not None:
            self._showwarning(message, category, filename, lineno, file, line)
            return
        shown = filename
        if self.root is not None and Path(filename).is_relative_to(self.root):
            shown = str(Path(filename).relative_to(self.root))
        text = warnings.formatwarning(message, category, shown, lineno, line)
        for piece in text.rstrip("\n").split("\n"):
            self._add(piece, True)
        self._owner = None  # shown on stderr by the stream we wrap: not kept twice
        try:
            self._showwarning(message, category, filename, lineno, file, line)
        finally:
            self._owner = threading.get_ident()

    def _keep(self, text: str, stderr: bool) -> None:
        if self._owner != threading.get_ident() or not text:
            return
        pieces = (self._partial[stderr] + text).split("\n")
        for piece in pieces[:-1]:
            self._add(piece, stderr)
        self._partial[stderr] = pieces[-1][:MAX_LINE]

    def _add(self, line: str, stderr: bool) -> None:
        self.lines.append((line.replace("\t", "    ").replace("\r", "")[:MAX_LINE], stderr))
        self.total += 1

    def tail(self) -> list[OutputLine]:
        """Every kept line, and the line being written (if any) last."""
        rows = list(self.lines)
        rows += [(text, err) for err, text in self._partial.items() if text]
        return rows


class OutputStrip:
    """The output strip at the top of the window: the last lines, scrollable while paused.

    ``paused()`` says whether the game is paused (F10 or an error): scrolling back is for
    reading a stopped game; a running one always shows its newest lines.
    """

    def __init__(self, output: GameOutput, paused: Callable[[], bool]) -> None:
        self.output = output
        self.paused = paused
        self.shown = False
        self.back = 0  # lines scrolled back from the newest

    @property
    def visible(self) -> bool:
        """True while toggled on (the Screen draws it as a badge, above the game's frame)."""
        return self.shown

    def toggle(self) -> None:
        """The backquote key: show or hide the strip."""
        self.shown = not self.shown
        self.back = 0

    def scroll(self, lines: int) -> None:
        """PageUp (positive) or PageDown: move through older lines, only while paused."""
        if not (self.shown and self.paused()):
            return
        most = max(0, len(self.output.tail()) - STRIP_ROWS)
        self.back = min(most, max(0, self.back + lines))

    def rows(self) -> list[OutputLine]:
        """The lines the strip shows now, oldest first."""
        if not self.paused():
            self.back = 0
        lines = self.output.tail()
        end = len(lines) - self.back
        return lines[max(0, end - STRIP_ROWS):end]

    def title(self) -> str:
        """The strip's first row: what it is, and how to scroll it."""
        where = f"  (scrolled back {self.back})" if self.back else ""
        if not self.output.tail():
            return "game output: nothing printed yet  (` hides)"
        return f"game output{where}  (` hides, PageUp/PageDown scroll while paused)"

    def draw(self, surface: Surface) -> None:
        """Draw the title and the rows on a dark band across the top of the window."""
        width, _ = surface.size
        step = surface.line_height
        char_w = max(1, surface.text_size("M")[0])
        columns = max(8, (width - 2 * MARGIN) // char_w)
        rows = self.rows()
        surface.fill_rect(0, 0, width, (len(rows) + 1) * step + MARGIN, STRIP_BG)
        surface.text(MARGIN, MARGIN // 2, self.title()[:columns], DIM_RGB)
        for i, (text, stderr) in enumerate(rows, start=1):
            cut = text if len(text) <= columns else text[:columns - 1] + "…"
            if cut:
                surface.text(MARGIN, MARGIN // 2 + i * step, cut, ERR_RGB if stderr else HUD_RGB)
