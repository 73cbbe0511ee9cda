"""In-window overlay: the error panel, the HUD (F3) and the help (F1), drawn with Display.

The error panel itself (an ``ErrorInfo`` fitted to the window: message, ``file:line``, the
source line with a caret, callers, the hint) lives in ``sandbox.panel``. Long lines wrap to
the window's width. Drawn after the game's ``draw()`` and before ``present()``.
"""

from __future__ import annotations

from collections.abc import Sequence

from sandbox.devtools import GRAPH_FRAMES
from sandbox.events import ErrorInfo
from sandbox.keys import help_rows, terminal_line
from sandbox.panel import (
    DIM_RGB,
    HUD_RGB,
    LINE_ROWS,
    MARGIN,
    PANEL,
    TEXT_RGB,
    Surface,
    draw_error_panel,
    error_lines,
)

__all__ = ["Overlay", "Surface", "error_lines", "help_lines", "loop_indicator", "wrap"]

PANEL_DARK = (0, 0, 0, 190)  # behind the loop indicator
GRAPH_ROWS = 3  # text rows the graph takes
GRAPH_BG = (0, 0, 0, 160)
GRAPH_OK = (90, 220, 90, 255)
GRAPH_SLOW = (240, 80, 80, 255)
GRAPH_LINE = (255, 255, 160, 200)


def wrap(line: str, columns: int) -> list[str]:
    """Split ``line`` into pieces of at most ``columns`` characters (monospaced font)."""
    columns = max(8, columns)
    if len(line) <= columns:
        return [line]
    return [line[i:i + columns] for i in range(0, len(line), columns)]


def help_lines() -> list[tuple[str, tuple[int, int, int]]]:
    """The help panel (F1): every host key, then the terminal's keys."""
    lines = [(f"{key:>6}  {does}", TEXT_RGB) for key, does in help_rows()]
    lines.append((terminal_line(), DIM_RGB))
    return lines


class Overlay:
    """Draws the error panel, the HUD (F3) and the help (F1) over the game's frame."""

    def __init__(self) -> None:
        self.show_hud = False
        self.show_help = False
        self.graph: Sequence[float] = ()  # the HUD's frame times in seconds, oldest first
        self.budget = 1 / 60  # one frame's budget in seconds: the graph's middle line

    def visible(self, error: ErrorInfo | None) -> bool:
        """True when anything would be drawn this frame."""
        return error is not None or self.show_hud or self.show_help

    def draw(self, surface: Surface, error: ErrorInfo | None, hud: Sequence[str] = ()) -> None:
        """Draw whatever is visible: the HUD or the help at the top, errors at the bottom."""
        if self.show_help:
            self._panel(surface, help_lines(), top=True)
        elif self.show_hud and hud:
            # Blank rows after the first line make room for the frame-time graph.
            rows = [(hud[0], HUD_RGB), *[("", HUD_RGB)] * GRAPH_ROWS,
                    *((line, HUD_RGB) for line in hud[1:])]
            self._panel(surface, rows, top=True)
            # The first line wraps in a narrow window: the graph goes below all of its rows.
            columns = (surface.size[0] - 2 * MARGIN) // max(1, surface.text_size("M")[0])
            first = min(LINE_ROWS, len(wrap(hud[0], columns)))
            self._graph(surface, MARGIN, MARGIN + first * surface.line_height)
        if error is not None:
            draw_error_panel(surface, error)  # sandbox.panel: fitted, prioritised rows

    def _graph(self, surface: Surface, x: int, y: int) -> None:
        """One 2-pixel bar per frame; the middle line is the frame budget, red bars exceed it."""
        height = GRAPH_ROWS * surface.line_height - 4
        budget = max(self.budget, 1e-6)
        surface.fill_rect(x, y + 2, GRAPH_FRAMES * 2, height, GRAPH_BG)
        for i, seconds in enumerate(list(self.graph)[-GRAPH_FRAMES:]):
            bar = max(1, min(height, round(seconds / (2 * budget) * height)))
            rgb = GRAPH_OK if seconds <= budget else GRAPH_SLOW
            surface.fill_rect(x + i * 2, y + 2 + height - bar, 2, bar, rgb)
        surface.fill_rect(x, y + 2 + height // 2, GRAPH_FRAMES * 2, 1, GRAPH_LINE)

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


def loop_indicator(surface: Surface, label: str, fraction: float,
                   rgb: tuple[int, int, int]) -> None:
    """A small panel at the bottom right: ``label`` ("LOOP 2.4 s") over a progress bar.

    Bottom right because the HUD and help take the top; an error panel covers it, and then
    the game is paused anyway.
    """
    width, height = surface.size
    text_w, text_h = surface.text_size(label)
    bar_w, bar_h = max(text_w, 96), 4
    panel_w, panel_h = bar_w + 2 * MARGIN, text_h + bar_h + 2 + 2 * MARGIN
    x0, y0 = width - panel_w, height - panel_h
    surface.fill_rect(x0, y0, panel_w, panel_h, PANEL_DARK)
    surface.text(x0 + MARGIN, y0 + MARGIN, label, rgb)
    bar_y = y0 + MARGIN + text_h + 2
    surface.fill_rect(x0 + MARGIN, bar_y, bar_w, bar_h, (90, 90, 90, 255))
    done = int(bar_w * min(1.0, max(0.0, fraction)))
    if done:
        surface.fill_rect(x0 + MARGIN, bar_y, done, bar_h, (*rgb, 255))
