"""In-window overlay: the error panel (and a minimal HUD/help), drawn with Display's text.

First version: a translucent panel listing an ``ErrorInfo``: kind and message, where, the
source line with a caret, the game's own frames and the hint. Long lines wrap to the
window's width. Drawn after the game's ``draw()`` and before ``present()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sandbox.events import ErrorInfo

__all__ = ["KEYS", "Overlay", "Surface", "error_lines", "wrap"]

KEYS: tuple[tuple[str, str], ...] = (
    ("F9", "reload now"), ("F5", "hot restart"), ("F10", "pause / resume"),
    ("F11", "step one frame while paused"), ("F3", "HUD"), ("F12", "screenshot"),
    ("F1", "help"), ("Escape", "quit"),
)
PANEL = (24, 0, 0, 215)
TITLE_RGB = (255, 110, 110)
TEXT_RGB = (235, 235, 235)
DIM_RGB = (170, 170, 170)
HUD_RGB = (255, 255, 160)
MARGIN = 8
LINE_ROWS = 4  # rows one wrapped line may take in a panel


class Surface(Protocol):
    """What the overlay needs from ``sandbox.sdl.Display``."""

    @property
    def size(self) -> tuple[int, int]: ...
    @property
    def line_height(self) -> int: ...
    def fill_rect(self, x: int, y: int, w: int, h: int,
                  rgba: tuple[int, int, int, int]) -> None: ...
    def text(self, x: int, y: int, text: str, rgb: tuple[int, int, int] = ...) -> int: ...
    def text_size(self, text: str) -> tuple[int, int]: ...


def wrap(line: str, columns: int) -> list[str]:
    """Split ``line`` into pieces of at most ``columns`` characters (monospaced font)."""
    columns = max(8, columns)
    if len(line) <= columns:
        return [line]
    return [line[i:i + columns] for i in range(0, len(line), columns)]


def error_lines(info: ErrorInfo) -> list[tuple[str, tuple[int, int, int]]]:
    """The panel's lines for ``info``, each with its colour."""
    head = f"{info.kind}: {info.message}" if info.message else info.kind
    lines: list[tuple[str, tuple[int, int, int]]] = [(head, TITLE_RGB)]
    if info.where:
        lines.append((f"at {info.where}", TEXT_RGB))
    if info.source_line:
        source = info.source_line.rstrip()
        stripped = source.lstrip()
        lines.append(("    " + stripped, TEXT_RGB))
        if info.column:
            caret = max(0, info.column - 1 - (len(source) - len(stripped)))
            lines.append(("    " + " " * caret + "^", TITLE_RGB))
    for frame in info.frames[:-1][-6:]:
        lines.append((f"  {frame}: {frame.source}", DIM_RGB))
    lines.append((info.hint, HUD_RGB))
    return lines


class Overlay:
    """Draws the error panel, the HUD (F3) and the help (F1) over the game's frame."""

    def __init__(self) -> None:
        self.show_hud = False
        self.show_help = False

    def visible(self, error: ErrorInfo | None) -> bool:
        """True when anything would be drawn this frame."""
        return error is not None or self.show_hud or self.show_help

    def draw(self, surface: Surface, error: ErrorInfo | None, hud: Sequence[str] = ()) -> None:
        """Draw whatever is visible: the HUD or the help at the top, errors at the bottom."""
        if self.show_help:
            self._panel(surface, [(f"{k:>6}  {d}", TEXT_RGB) for k, d in KEYS], top=True)
        elif self.show_hud and hud:
            self._panel(surface, [(line, HUD_RGB) for line in hud], top=True)
        if error is not None:
            self._panel(surface, error_lines(error), top=False)

    def _panel(self, surface: Surface, lines: list[tuple[str, tuple[int, int, int]]],
               top: bool) -> None:
        width, height = surface.size
        char_w = max(1, surface.text_size("M")[0])
        columns = (width - 2 * MARGIN) // char_w
        step = surface.line_height
        # The panel leaves the top of the game visible; one line wraps to at most LINE_ROWS.
        max_rows = max(1, (height * 2 // 3 - 2 * MARGIN) // step)
        rows: list[tuple[str, tuple[int, int, int]]] = []
        for text, rgb in lines:
            # Cut before wrapping: a message can be megabytes long and the panel redraws.
            pieces = wrap(text[:columns * LINE_ROWS + 1], columns)
            if len(pieces) > LINE_ROWS:
                pieces = [*pieces[:LINE_ROWS - 1], pieces[LINE_ROWS - 1][:-1] + "…"]
            rows.extend((piece, rgb) for piece in pieces)
        rows = rows[:max_rows]
        panel_h = len(rows) * step + 2 * MARGIN
        y0 = 0 if top else height - panel_h
        surface.fill_rect(0, y0, width, panel_h, PANEL)
        for i, (text, rgb) in enumerate(rows):
            surface.text(MARGIN, y0 + MARGIN + i * step, text, rgb)
