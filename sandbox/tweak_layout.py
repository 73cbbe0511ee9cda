"""Where the tweak panel's rows are: its column, the rows it lists, the ones that fit, sliders.

The panel is a column ``WIDTH`` pixels wide at the right of the window, from ``TOP`` down:
a heading line, the rows that fit, and the keys' line. A row is a module's heading, a
colour's swatch, a value, or a problem (``list_rows``). A value row is its name in
``NAME_CHARS``, its live value in ``VALUE_CHARS``, then its slider (the track) to the right
edge. ``PanelLayout`` holds what the geometry depends on (the window's size, the overlay
font's line height and character width, measured at each draw, and the scroll) and answers
where things are, for the drawing and for the mouse alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sandbox.panel import MARGIN, Surface
from sandbox.tweak_list import Tweakable
from sandbox.tweaks import Kind

__all__ = ["NAME_CHARS", "TOP", "VALUE_CHARS", "WIDTH", "PanelLayout", "Row", "channel_index",
           "list_rows"]

WIDTH = 340        # pixels: the panel's column at the right of the window
TOP = 30           # below the loop's badge
NAME_CHARS, VALUE_CHARS = 14, 8


@dataclass(frozen=True)
class Row:
    """One row of the panel: a module's heading, a colour's swatch, or a value."""

    text: str
    item: Tweakable | None = None          # a value row
    swatch: tuple[int, ...] | None = None  # a colour's heading


def channel_index(t: Tweakable) -> int:
    """0-3 for the channel ``COLOUR[2]`` names (r, g, b, a)."""
    return int(t.name.rsplit("[", 1)[1][:-1])


def _label(t: Tweakable) -> str:
    if t.kind is Kind.CHANNEL:
        return "  " + "rgba"[channel_index(t)]
    return t.name


def list_rows(tweakables: Iterable[Tweakable], problems: Iterable[str]) -> list[Row]:
    """The rows: headings, colour swatches and values, module by module, then problems."""
    rows: list[Row] = []
    module = target = ""
    for t in tweakables:
        if t.module != module:
            module, target = t.module, ""
            rows.append(Row(f"{t.shown}"))
        if t.kind is Kind.CHANNEL and t.target != target:
            live = t.colour
            rows.append(Row(t.target, swatch=live))
        target = t.target
        rows.append(Row(_label(t), t))
    rows.extend(Row(problem) for problem in problems)
    return rows


class PanelLayout:
    """The panel's geometry: its column, its tracks, the rows shown and where each one is."""

    def __init__(self) -> None:
        self.size = (640, 480)
        self.line = 17
        self.char = 8  # the overlay font's width of a character, measured when drawn
        self.scroll = 0  # first row shown
        self.bottom = 0  # pixels at the window's bottom the overlay's panels take: kept free

    def measure(self, surface: Surface, bottom: int = 0) -> None:
        """The window's size and the font's line and character, as this draw has them;
        ``bottom``: the pixels below the panel that the error panel or a strip takes."""
        self.size, self.line = surface.size, surface.line_height
        self.char = max(1, surface.text_size("M")[0])
        self.bottom = bottom

    def x0(self) -> int:
        """The panel's left edge."""
        return max(0, self.size[0] - WIDTH)

    def track(self) -> tuple[int, int]:
        """A slider's (left x, width): after the name and the value, to the right margin."""
        left = self.x0() + MARGIN + (NAME_CHARS + VALUE_CHARS + 1) * self.char
        return left, max(20, self.size[0] - MARGIN - left)

    def height(self, shown: int) -> int:
        """The panel's height with ``shown`` rows, the heading and the keys' line."""
        return min(self.size[1] - TOP - self.bottom, (shown + 2) * self.line + MARGIN)

    def inside(self, x: int, y: int, shown: int) -> bool:
        """(x, y) is on the panel, drawn with ``shown`` rows."""
        return x >= self.x0() and TOP <= y < TOP + self.height(shown)

    def shown(self, rows: Sequence[Row], keep: Tweakable | None) -> Sequence[Row]:
        """The rows that fit from the scroll, scrolled first to keep ``keep``'s row in view."""
        fits = max(1, (self.size[1] - TOP - self.bottom - MARGIN) // self.line - 2)
        if keep is not None:
            index = rows.index(next(r for r in rows if r.item == keep))
            self.scroll = min(max(self.scroll, index - fits + 1), index)
        return rows[self.scroll:self.scroll + fits]

    def slider(self, key: str, shown: Sequence[Row]) -> tuple[int, int, int] | None:
        """The slider of the value ``key`` among ``shown``: (left x, middle y, width)."""
        for i, row in enumerate(shown):
            if row.item is not None and row.item.key == key:
                left, width = self.track()
                return left, TOP + MARGIN // 2 + (i + 1) * self.line + self.line // 2, width
        return None

    def row_at(self, y: int, shown: Sequence[Row]) -> Row | None:
        """The row of ``shown`` under ``y``, or None (the heading, the keys' line, below)."""
        index = (y - TOP - MARGIN // 2) // self.line - 1
        return shown[index] if 0 <= index < len(shown) else None
