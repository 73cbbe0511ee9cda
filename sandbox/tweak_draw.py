"""Drawing the tweak panel: its backing, the rows' text, and the sliders, boxes and swatches.

Text is drawn row by row, then the rectangles colour by colour in three layers (tracks, what
fills them, knobs): ~10 SDL calls instead of ~36. Nothing of a row overlaps another row, and
within a row the text comes first, so the pixels are those of drawing each row whole in turn.
Where things go is ``sandbox.tweak_layout``'s; what the panel holds (rows, selection, the
string being typed) is passed in, so this module only paints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sandbox.panel import DIM_RGB, HUD_RGB, MARGIN, TEXT_RGB, Surface
from sandbox.tweak_layout import (
    NAME_CHARS,
    TOP,
    VALUE_CHARS,
    WIDTH,
    PanelLayout,
    Row,
    channel_index,
)
from sandbox.tweak_list import Tweakable
from sandbox.tweaks import Kind

__all__ = ["PanelView", "draw_panel", "fit"]

RGBA = tuple[int, int, int, int]
BACKING = (16, 16, 24, 235)
TRACK = (70, 70, 90, 255)
FILL = (120, 170, 255, 255)
SELECTED = (60, 60, 100, 255)
KNOB = (230, 230, 230, 255)
CHANNEL_RGB = ((230, 80, 80, 255), (80, 200, 80, 255), (90, 130, 255, 255), (200, 200, 200, 255))
HEAD = "tweaks  F4 closes · Ctrl+Z/Y undo/redo"
FOOT = "↑↓ pick  ←→ ±  Shift fine  Ctrl coarse"
UNDER, FILLED, KNOBS = range(3)  # the layers of the panel's rectangles, bottom first


def fit(text: str, chars: int) -> str:
    """``text`` cut to ``chars`` characters, the cut shown with an ellipsis."""
    return text if len(text) <= chars else text[:chars - 1] + "…"


@dataclass(frozen=True)
class PanelView:
    """What one draw shows: the rows that fit, the selected value, what is being typed."""

    shown: Sequence[Row]
    selected: Tweakable | None
    live: Iterable[object]                  # the live value of each value row shown, in order
    current: Callable[[Tweakable], object]  # a value as the panel last set it (or the file's)
    editing: Tweakable | None = None        # a string being typed, and its text so far
    text: str = ""


class Fills:
    """The panel's rectangles of one draw, by layer and colour: one SDL call per colour."""

    def __init__(self) -> None:
        self.layers: list[dict[RGBA, list[RGBA]]] = [{}, {}, {}]

    def add(self, layer: int, rgba: RGBA, rect: RGBA) -> None:
        """Fill ``rect`` in ``rgba`` above every rectangle of a lower layer."""
        self.layers[layer].setdefault(rgba, []).append(rect)

    def draw(self, surface: Surface) -> None:
        """Every rectangle, layer by layer, a colour's rectangles in one call."""
        for layer in self.layers:
            for rgba, rects in layer.items():
                surface.fill_rects(rects, rgba)


def draw_panel(surface: Surface, layout: PanelLayout, view: PanelView) -> None:
    """The panel at the right of the window: heading, rows, the keys' line."""
    x0, line, shown = layout.x0(), layout.line, view.shown
    surface.fill_rect(x0, TOP, layout.size[0] - x0, layout.height(len(shown)), BACKING)
    y = TOP + MARGIN // 2
    if view.selected is not None and view.selected in (row.item for row in shown):
        index = next(i for i, row in enumerate(shown) if row.item == view.selected)
        surface.fill_rect(x0, y + (index + 1) * line, layout.size[0] - x0, line, SELECTED)
    surface.text(x0 + MARGIN, y, fit(HEAD, WIDTH // layout.char - 2), HUD_RGB)
    fills = Fills()
    live = iter(view.live)
    for row in shown:
        y += line
        value = next(live) if row.item is not None else None
        _draw_row(surface, layout, view, fills, row, (x0 + MARGIN, y), value)
    surface.text(x0 + MARGIN, y + line, fit(FOOT, WIDTH // layout.char - 2), DIM_RGB)
    fills.draw(surface)


def _draw_row(surface: Surface, layout: PanelLayout, view: PanelView, fills: Fills, row: Row,
              at: tuple[int, int], value: object) -> None:
    """One row's text now, its rectangles into ``fills``; ``value`` is the live value."""
    (x, y), line, char = at, layout.line, layout.char
    if row.item is None:
        surface.text(x, y, fit(row.text, WIDTH // char - 2),
                     TEXT_RGB if row.swatch is not None else HUD_RGB)
        if row.swatch is not None:
            left, width = layout.track()
            red, green, blue = row.swatch[:3]
            fills.add(UNDER, (red, green, blue, 255), (left, y + 2, width, line - 4))
        return
    t = row.item
    surface.text(x, y, fit(row.text, NAME_CHARS), TEXT_RGB)
    if t.kind is Kind.STR:
        editing = view.editing is not None and view.editing.key == t.key
        shown = view.text + "▏" if editing else repr(t.source)
        surface.text(x + NAME_CHARS * char, y, fit(shown, WIDTH // char - NAME_CHARS - 2),
                     HUD_RGB if editing else DIM_RGB)
        return
    changed = value != t.source  # play changed it: the live value differs from the file
    surface.text(x + NAME_CHARS * char, y, fit(repr(value), VALUE_CHARS - 1),
                 HUD_RGB if changed else DIM_RGB)
    left, width = layout.track()
    if t.kind is Kind.BOOL:
        fills.add(UNDER, TRACK, (left, y + 3, line - 6, line - 6))
        if view.current(t):
            fills.add(FILLED, FILL, (left + 3, y + 6, line - 12, line - 12))
        return
    low, high = t.range
    frac = (float(view.current(t)) - low) / (high - low) if high > low else 0.0  # type: ignore[arg-type]
    filled = int(width * min(1.0, max(0.0, frac)))
    fills.add(UNDER, TRACK, (left, y + line // 2 - 2, width, 4))
    rgba = CHANNEL_RGB[channel_index(t)] if t.kind is Kind.CHANNEL else FILL
    fills.add(FILLED, rgba, (left, y + line // 2 - 2, filled, 4))
    fills.add(KNOBS, KNOB, (left + filled - 2, y + 2, 4, line - 4))
