"""The error panel: what went wrong, where, the line with a caret, and what to do next.

Drawn over the bottom of the game's frame (at most two thirds of the window, so the top of
the game stays visible) for a failed reload and for a hook that raised or hung::

    ValueError: bad step
    at main.py:25 in update
        raise ValueError('bad step')
        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      called from main.py:31 in helper: helper(dt)
    fix and save to retry (F9)

Everything is fitted to the window in rows of a monospaced font. When rows run short, the
least useful go first: the callers, then the message's later rows; the first row of the
message, ``file:line``, the source line and the hint stay. A long source line is shown as a
window around the caret (never wrapped, so the caret stays under its column). A message can
be megabytes long and the panel is drawn every frame: it is cut before wrapping, and the
rows of the last error are cached.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

from sandbox.events import ErrorInfo

__all__ = [
    "DIM_RGB", "HUD_RGB", "LINE_ROWS", "MARGIN", "PANEL", "TEXT_RGB", "TITLE_RGB", "Surface",
    "draw_error_panel", "error_lines", "error_panel_height", "error_rows", "source_rows",
]

RGB = tuple[int, int, int]
Row = tuple[str, RGB]

PANEL = (24, 0, 0, 215)
TITLE_RGB = (255, 110, 110)
TEXT_RGB = (235, 235, 235)
DIM_RGB = (170, 170, 170)
HUD_RGB = (255, 255, 160)
MARGIN = 8
LINE_ROWS = 4  # rows one wrapped line may take in a panel
INDENT = "    "  # before the source line and its caret


class Surface(Protocol):
    """What the overlay and the panel need from ``sandbox.sdl.Display``."""

    @property
    def size(self) -> tuple[int, int]: ...
    @property
    def line_height(self) -> int: ...
    def fill_rect(self, x: int, y: int, w: int, h: int,
                  rgba: tuple[int, int, int, int]) -> None: ...
    def fill_rects(self, rects: Sequence[tuple[int, int, int, int]],
                   rgba: tuple[int, int, int, int]) -> None: ...
    def text(self, x: int, y: int, text: str, rgb: tuple[int, int, int] = ...) -> int: ...
    def text_size(self, text: str) -> tuple[int, int]: ...


def _wrapped(text: str, columns: int, limit: int) -> list[str]:
    """``text`` in at most ``limit`` rows of ``columns``; a cut ends in an ellipsis."""
    columns = max(1, columns)
    rows: list[str] = []
    for line in text[:columns * limit + 1].splitlines() or [""]:
        rows.extend(textwrap.wrap(line, columns, replace_whitespace=False) or [""])
    if len(rows) > limit or len(text) > columns * limit:
        rows = rows[:limit]
        rows[-1] = rows[-1][:columns - 1] + "…"
    return rows


def source_rows(info: ErrorInfo, columns: int) -> list[Row]:
    """The source line (indentation dropped) and a caret under the error, within ``columns``."""
    if not info.source_line:
        return []
    source = info.source_line.rstrip()
    code = source.lstrip()
    room = max(1, columns - len(INDENT))
    start = 0
    caret: tuple[int, int] | None = None
    if info.column:
        first = max(0, min(info.column - 1 - (len(source) - len(code)), len(code)))
        end = info.end_column - 1 - (len(source) - len(code)) if info.end_column else first + 1
        width = max(1, min(end, len(code) + 1) - first)
        if len(code) > room:  # a window around the caret, a third of the room before it
            start = max(0, min(first - room // 3, len(code) - room))
        caret = (first - start, min(width, room - (first - start)))
    shown = code[start:start + room]
    if start > 0:
        shown = "…" + shown[1:]
    if start + room < len(code):
        shown = shown[:-1] + "…"
    rows: list[Row] = [(INDENT + shown, TEXT_RGB)]
    if caret is not None and 0 <= caret[0] < room:
        rows.append((INDENT + " " * caret[0] + "^" * max(1, caret[1]), TITLE_RGB))
    return rows


def _where(info: ErrorInfo) -> str:
    if not info.where:
        return ""
    last = info.frames[-1] if info.frames else None
    inside = last is not None and (last.path, last.line) == (info.path, info.line)
    return f"at {info.where} in {last.function}" if inside and last else f"at {info.where}"


@lru_cache(maxsize=8)
def error_rows(info: ErrorInfo, columns: int, max_rows: int) -> tuple[Row, ...]:
    """The panel's rows for ``info``: at most ``max_rows`` rows of at most ``columns``."""
    head = f"{info.kind}: {info.message}" if info.message else info.kind
    head_rows = _wrapped(head, columns, LINE_ROWS)
    hint_rows = _wrapped(info.hint, columns, 2) if info.hint else []
    where = _where(info)
    callers = [f"  called from {f}: {f.source}" for f in reversed(info.frames[:-1])]
    # (priority, position, text, colour): the lowest priorities are kept when rows run short.
    candidates: list[tuple[int, int, str, RGB]] = [(0, 0, head_rows[0], TITLE_RGB)]
    candidates += [(10 + i, i, row, TITLE_RGB) for i, row in enumerate(head_rows[1:], 1)]
    if where:
        candidates.append((2, 10, _wrapped(where, columns, 1)[0], TEXT_RGB))
    candidates += [(3 + i, 20 + i, row, rgb) for i, (row, rgb)
                   in enumerate(source_rows(info, columns))]
    candidates += [(1 if i == 0 else 20 + i, 40 + i, row, HUD_RGB)
                   for i, row in enumerate(hint_rows)]
    candidates += [(30 + i, 30 + i, _wrapped(text, columns, 1)[0], DIM_RGB)
                   for i, text in enumerate(callers[:9])]
    kept = sorted(sorted(candidates)[:max(1, max_rows)], key=lambda c: c[1])
    rows = [(text, rgb) for _, _, text, rgb in kept]
    shown_head = sum(1 for c in kept if c[1] < 10)
    if shown_head < len(head_rows):  # the message was cut for room: say so
        text = rows[shown_head - 1][0]
        rows[shown_head - 1] = (text[:max(0, columns - 1)] + "…", TITLE_RGB)
    return tuple(rows)


def error_lines(info: ErrorInfo) -> list[Row]:
    """The panel's rows for ``info`` with room to spare (no wrapping needed at 120 columns)."""
    return list(error_rows(info, 120, 40))


def _fitted(surface: Surface, info: ErrorInfo) -> tuple[tuple[Row, ...], int]:
    """The panel's rows for ``info`` on ``surface``, and the panel's height in pixels."""
    width, height = surface.size
    char_w = max(1, surface.text_size("M")[0])
    step = max(1, surface.line_height)
    columns = max(1, (width - 2 * MARGIN) // char_w)
    max_rows = max(1, (height * 2 // 3 - 2 * MARGIN) // step)
    rows = error_rows(info, columns, max_rows)
    return rows, min(height, len(rows) * step + 2 * MARGIN)


def error_panel_height(surface: Surface, info: ErrorInfo) -> int:
    """How many pixels at the bottom of ``surface`` the panel for ``info`` takes."""
    return _fitted(surface, info)[1]


def draw_error_panel(surface: Surface, info: ErrorInfo) -> None:
    """Draw the panel for ``info`` across the bottom of ``surface``."""
    width, height = surface.size
    rows, panel_h = _fitted(surface, info)
    step = max(1, surface.line_height)
    y0 = height - panel_h
    surface.fill_rect(0, y0, width, panel_h, PANEL)
    for i, (text, rgb) in enumerate(rows):
        surface.text(MARGIN, y0 + MARGIN + i * step, text, rgb)
