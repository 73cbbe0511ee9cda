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
    TITLE_RGB,
    Surface,
    draw_error_panel,
    error_lines,
    error_panel_height,
    error_rows,
)

__all__ = ["Overlay", "Surface", "error_lines", "help_lines", "loop_indicator",
           "loop_indicator_height", "notice_strip", "pause_badge", "strip_height", "wrap"]

PANEL_DARK = (0, 0, 0, 190)  # behind the loop indicator and the notice strip
# Behind the HUD and the help: opaque, so the game's own text never shows through theirs.
HUD_PANEL = (16, 16, 24, 255)
FOLD_NOTE = "  (F2 unfolds)"
FOLD_PAD = 1  # pixels above and below the folded strip's text
GRAPH_ROWS = 3  # text rows the graph takes
GRAPH_BG = (0, 0, 0, 160)
GRAPH_OK = (90, 220, 90, 255)
GRAPH_SLOW = (240, 80, 80, 255)
GRAPH_LINE = (255, 255, 160, 200)
PAUSE_RGB = (255, 200, 80)  # the pause badge's label: amber, unlike REC red and LOOP blue


def wrap(line: str, columns: int) -> list[str]:
    """Split ``line`` into pieces of at most ``columns`` characters (monospaced font)."""
    columns = max(8, columns)
    if len(line) <= columns:
        return [line]
    return [line[i:i + columns] for i in range(0, len(line), columns)]


def help_lines() -> list[tuple[str, tuple[int, int, int]]]:
    """The help panel (F1): every host key, then the terminal's keys."""
    rows = help_rows()
    width = max(len(key) for key, _ in rows)  # "PageDown" is longer than the F-keys
    lines = [(f"{key:>{width}}  {does}", TEXT_RGB) for key, does in rows]
    lines.append((terminal_line(), DIM_RGB))
    return lines


class Overlay:
    """Draws the error panel, the HUD (F3) and the help (F1) over the game's frame."""

    def __init__(self) -> None:
        self.show_hud = False
        self.show_help = False
        self.fold_errors = False  # F2: the error panel as one line, so the game shows
        self.graph: Sequence[float] = ()  # the HUD's frame times in seconds, oldest first
        self.budget = 1 / 60  # one frame's budget in seconds: the graph's middle line
        # The notice strip: what is wrong with the game but does not stop it (a misspelt
        # hook), as long as it stays true; the host sets it after each check.
        self.notices: tuple[str, ...] = ()

    def visible(self, error: ErrorInfo | None) -> bool:
        """True when anything would be drawn this frame."""
        return error is not None or self.show_hud or self.show_help or bool(self.notices)

    def draw(self, surface: Surface, error: ErrorInfo | None, hud: Sequence[str] = ()) -> None:
        """Draw whatever is visible: the HUD or the help at the top, errors at the bottom."""
        if self.show_help:
            self._panel(surface, help_lines(), top=True, rgba=HUD_PANEL)
        elif self.show_hud and hud:
            # Blank rows after the first line make room for the frame-time graph.
            rows = [(hud[0], HUD_RGB), *[("", HUD_RGB)] * GRAPH_ROWS,
                    *((line, HUD_RGB) for line in hud[1:])]
            self._panel(surface, rows, top=True, rgba=HUD_PANEL)
            # The first line wraps in a narrow window: the graph goes below all of its rows.
            columns = (surface.size[0] - 2 * MARGIN) // max(1, surface.text_size("M")[0])
            first = min(LINE_ROWS, len(wrap(hud[0], columns)))
            self._graph(surface, MARGIN, MARGIN + first * surface.line_height)
        if error is not None and self.fold_errors:
            self._folded(surface, error)
        elif error is not None:
            draw_error_panel(surface, error)  # sandbox.panel: fitted, prioritised rows
        elif self.notices:
            notice_strip(surface, self.notices)

    def bottom_height(self, surface: Surface, error: ErrorInfo | None) -> int:
        """Pixels at the bottom of ``surface`` that :meth:`draw` covers: the error panel, its
        folded strip or the notice strip; 0 when none. The tweak panel (F4) ends above them."""
        if error is not None and not self.fold_errors:
            return error_panel_height(surface, error)
        if error is not None or self.notices:
            return strip_height(surface)
        return 0

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

    def _folded(self, surface: Surface, error: ErrorInfo) -> None:
        """The error panel folded to its first row (F2): one text row at the very bottom.

        As thin as its text (FOLD_PAD above and below, not the panel's MARGIN): games keep
        their bottom rows for play. Breakout's paddle ends 20 rows above the bottom; a strip
        of 25 hid the paddle's lower 5 rows, this one (19 with the overlay's font) none.
        """
        width, height = surface.size
        columns = (width - 2 * MARGIN) // max(1, surface.text_size("M")[0])
        head = error_rows(error, max(8, columns - len(FOLD_NOTE)), 1)[0][0]
        strip_h = strip_height(surface)
        surface.fill_rect(0, height - strip_h, width, strip_h, PANEL)
        surface.text(MARGIN, height - strip_h + FOLD_PAD, head + FOLD_NOTE, TITLE_RGB)

    def _panel(self, surface: Surface, lines: list[tuple[str, tuple[int, int, int]]],
               top: bool, rgba: tuple[int, int, int, int] = PANEL) -> None:
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
        surface.fill_rect(0, y0, width, panel_h, rgba)
        for i, (text, rgb) in enumerate(rows):
            surface.text(MARGIN, y0 + MARGIN + i * step, text, rgb)


def strip_height(surface: Surface) -> int:
    """A one-row strip at the bottom: the folded error panel (F2), the notice strip."""
    return surface.line_height + 2 * FOLD_PAD


def notice_strip(surface: Surface, notices: Sequence[str]) -> None:
    """The notice strip: the first notice, at the bottom left, only as wide as its text.

    Where the folded error panel is, and as thin (``strip_height``): games keep their bottom
    rows for play. Breakout's paddle ends 20 rows above the bottom; the strip of one notice a
    row, 25 pixels and more, covered it at the far left, this one (19 with the overlay's
    font) never does. More notices are counted on the same row; the terminal has them all.
    """
    width, height = surface.size
    char_w = max(1, surface.text_size("M")[0])
    columns = max(8, (width - 2 * MARGIN) // char_w)
    more = f"  (+{len(notices) - 1} more in the terminal)" if len(notices) > 1 else ""
    room = max(1, columns - len(more))
    text = notices[0] if len(notices[0]) <= room else notices[0][:room - 1] + "…"
    row = text + more
    strip_h = strip_height(surface)
    strip_w = surface.text_size(row)[0] + 2 * MARGIN
    surface.fill_rect(0, height - strip_h, min(width, strip_w), strip_h, PANEL_DARK)
    surface.text(MARGIN, height - strip_h + FOLD_PAD, row, HUD_RGB)


def loop_indicator(surface: Surface, label: str, fraction: float,
                   rgb: tuple[int, int, int]) -> None:
    """A small badge at the top right: ``label`` ("LOOP 2.4 s") over a progress bar.

    Top right, and compact: a game's player (breakout's paddle) lives at the bottom, where
    the badge used to cover it, and a game's own score line usually starts top left. The HUD
    and the help, when shown, cover it (the HUD repeats its line); the error panel and the
    notice strip are at the bottom, out of its way.
    """
    width, _ = surface.size
    pad = MARGIN // 2
    text_w, text_h = surface.text_size(label)
    bar_w, bar_h = max(text_w, 64), 3
    panel_w, panel_h = bar_w + 2 * pad, text_h + bar_h + 1 + 2 * pad
    x0, y0 = width - panel_w, 0
    surface.fill_rect(x0, y0, panel_w, panel_h, PANEL_DARK)
    surface.text(x0 + pad, y0 + pad, label, rgb)
    bar_y = y0 + pad + text_h + 1
    surface.fill_rect(x0 + pad, bar_y, bar_w, bar_h, (90, 90, 90, 255))
    done = int(bar_w * min(1.0, max(0.0, fraction)))
    if done:
        surface.fill_rect(x0 + pad, bar_y, done, bar_h, (*rgb, 255))


def loop_indicator_height(surface: Surface) -> int:
    """How far down :func:`loop_indicator`'s badge reaches (its label's height, its bar)."""
    return surface.text_size("LOOP")[1] + 3 + 1 + 2 * (MARGIN // 2)


def pause_badge(surface: Surface, label: str, y0: int = 0) -> None:
    """A compact badge at the top right, ``y0`` down: ``label`` ("PAUSED").

    Where the loop's badge is (the sandbox's corner: a game's score line usually starts top
    left, its player is at the bottom), and under it when both show. Short, so that it covers
    little of a game that is paused to be looked at; the HUD and the help, when shown, cover
    it (the HUD says "paused" itself).
    """
    width, _ = surface.size
    pad = MARGIN // 2
    text_w, text_h = surface.text_size(label)
    panel_w, panel_h = text_w + 2 * pad, text_h + 2 * pad
    x0 = max(0, width - panel_w)
    surface.fill_rect(x0, y0, panel_w, panel_h, PANEL_DARK)
    surface.text(x0 + pad, y0 + pad, label, PAUSE_RGB)
