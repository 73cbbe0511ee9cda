"""The tweak panel (F4): the game's tweakable values as sliders, a swatch and toggles.

A column at the right of the window lists every tweakable value grouped by module (the
entry first): a number gets its live value and a slider over its range, a colour a swatch
and one slider per channel, a boolean a box, a short string its text (Return or a click
types a new one; Return writes it, Escape cancels). The live value is yellow where play
changed it from the file's.

Input, while the panel is open (``handle`` sees each SDL event first; it lets F-keys and
Escape through, except Escape while typing):
a click or drag on a slider sets the value (Shift while dragging: ten times finer, relative
to where the drag is); ↑/↓ select a row, ←/→ change it (Shift fine, Ctrl coarse),
Space/Enter toggle a boolean, the wheel scrolls, Ctrl+Z / Ctrl+Y undo and redo. The keys
and clicks it uses never reach the game; everything else does (a click beside the panel).
Changes go through ``sandbox.tweak_edit.TweakEditor`` (file and game together).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sandbox.events import Notice
from sandbox.panel import DIM_RGB, HUD_RGB, MARGIN, TEXT_RGB, Surface
from sandbox.sdl import event_to_dict
from sandbox.tweak_edit import TweakEditor
from sandbox.tweak_list import Tweakable, TweakError
from sandbox.tweaks import MAX_STRING, Kind

__all__ = ["TweakPanel"]

WIDTH = 340        # pixels: the panel's column at the right of the window
TOP = 30           # below the loop's badge
BACKING = (16, 16, 24, 235)
TRACK = (70, 70, 90, 255)
FILL = (120, 170, 255, 255)
SELECTED = (60, 60, 100, 255)
KNOB = (230, 230, 230, 255)
CHANNEL_RGB = ((230, 80, 80, 255), (80, 200, 80, 255), (90, 130, 255, 255), (200, 200, 200, 255))
NAME_CHARS, VALUE_CHARS = 14, 8
# SDL's modifier bits (SDL_Keymod: a stable part of SDL's ABI): either Shift, either Ctrl.
SHIFT, CTRL = 0x0003, 0x00C0
HEAD = "tweaks  F4 closes · Ctrl+Z/Y undo/redo"
FOOT = "↑↓ pick  ←→ ±  Shift fine  Ctrl coarse"
_SHIFTS, _CTRLS = ("Left Shift", "Right Shift"), ("Left Ctrl", "Right Ctrl")


@dataclass(frozen=True)
class _Row:
    """One row of the panel: a module's heading, a colour's swatch, or a value."""

    text: str
    item: Tweakable | None = None          # a value row
    swatch: tuple[int, ...] | None = None  # a colour's heading


def _label(t: Tweakable) -> str:
    if t.kind is Kind.CHANNEL:
        return "  " + "rgba"[int(t.name.rsplit("[", 1)[1][:-1])]
    return t.name


def _fit(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[:chars - 1] + "…"


def steps(t: Tweakable) -> tuple[float, float, float]:
    """The (fine, normal, coarse) steps of ←/→ for ``t``: its range / 1000, / 100, / 10."""
    span = t.range[1] - t.range[0]
    if t.kind in (Kind.INT, Kind.CHANNEL):
        return (1, max(1, round(span / 100)), max(1, round(span / 10)))
    return (span / 1000, span / 100, span / 10)


def quantize(t: Tweakable, value: float) -> float | int:
    """``value`` clamped to ``t``'s range and rounded to its finest step (ints stay ints)."""
    value = min(max(value, t.range[0]), t.range[1])
    if t.kind in (Kind.INT, Kind.CHANNEL):
        return round(value)
    digits = max(0, -math.floor(math.log10(steps(t)[0]))) if steps(t)[0] > 0 else 3
    return round(value, digits)


class TweakPanel:
    """The panel's state (open, rows, selection, drag), its input and its drawing."""

    def __init__(self, editor: TweakEditor) -> None:
        self.editor = editor
        self.open = False
        self.selected = 0   # index into the value rows
        self.scroll = 0     # first row shown
        self.dragging: Tweakable | None = None
        self.editing: Tweakable | None = None  # a string being typed
        self.text = ""
        self._drag_x = 0
        self._drag_value = 0.0
        self.shift = self.ctrl = False
        self._rows: list[_Row] = []  # as last listed (``_refresh``)
        self._stale = True  # an event since: list the rows again at the next draw
        self._stamp: tuple[int, tuple[str, ...]] = (-1, ())  # the editor's listing_stamp
        self._size = (640, 480)
        self._line = 17
        self._char = 8  # the overlay font's width of a character, measured when drawn
        self._mouse = (-1, -1)  # where the mouse last moved
        self._taken: set[str] = set()  # keys pressed that the panel took (their release too)
        self._pressed = False  # the panel took the mouse button's press

    # -- state -----------------------------------------------------------------------------------
    @property
    def visible(self) -> bool:
        """Drawn by ``Screen`` with the badges: not part of the game's frame."""
        return self.open

    def toggle(self) -> None:
        """F4: open or close; closing ends a drag (its last value lands)."""
        self.open = not self.open
        self._stale = True
        if not self.open:
            self.dragging = self.editing = None
            self.editor.commit(force=True)

    def rows(self) -> list[_Row]:
        """The rows as they are now: headings, colour swatches and values, module by module."""
        rows: list[_Row] = []
        module = target = ""
        for t in self.editor.tweakables():
            if t.module != module:
                module, target = t.module, ""
                rows.append(_Row(f"{t.shown}"))
            if t.kind is Kind.CHANNEL and t.target != target:
                live = t.colour
                rows.append(_Row(t.target, swatch=live))
            target = t.target
            rows.append(_Row(_label(t), t))
        rows.extend(_Row(problem) for problem in self.editor.problems())
        return rows

    def values(self) -> list[Tweakable]:
        """The value rows, in order (what ↑/↓ move through)."""
        return [row.item for row in self._rows if row.item is not None]

    # -- input -----------------------------------------------------------------------------------
    def handle(self, event: Any) -> bool:
        """Take one SDL event if the panel uses it (True: it does not reach the game)."""
        if not self.open:
            return False
        data = event_to_dict(event)
        if data is None:
            return False
        kind = data["type"]
        if kind in ("keydown", "keyup"):
            return self._key(data["key"], int(data["mod"]), kind == "keydown")
        if kind == "motion":
            return self._motion(int(data["x"]), int(data["y"]))
        if kind in ("mousedown", "mouseup"):
            return self._button(int(data["button"]), int(data["x"]), int(data["y"]),
                                kind == "mousedown")
        if kind == "wheel":
            return self._wheel(int(data["y"]))
        if kind == "text" and self.editing is not None:
            self.text = (self.text + data["text"].replace("\n", ""))[:MAX_STRING]
            return True
        return False

    def _key(self, key: str, mod: int, down: bool) -> bool:
        """A key-down the panel uses is taken, and so is its key-up, but only then: a key
        the game saw go down (held when F4 opened the panel) must reach it going up."""
        if not down:
            if key in _SHIFTS:
                self.shift = False
            elif key in _CTRLS:
                self.ctrl = False
            taken = key in self._taken
            self._taken.discard(key)
            return taken
        taken = self._edit_key(key) if self.editing is not None else self._key_down(key, mod)
        if taken:
            self._taken.add(key)
        return taken

    def _key_down(self, key: str, mod: int) -> bool:
        if key in _SHIFTS or key in _CTRLS:
            if key in _SHIFTS:
                self.shift = True
            else:
                self.ctrl = True
            return True
        ctrl = bool(mod & CTRL) or self.ctrl
        shift = bool(mod & SHIFT) or self.shift
        if ctrl and key in ("Z", "Y"):
            self._run(self.editor.redo if key == "Y" or shift else self.editor.undo)
            return True
        if key not in ("Left", "Right", "Up", "Down", "Space", "Return"):
            return False
        self._press(key, 0 if shift else 2 if ctrl else 1)
        return True

    def _edit_key(self, key: str) -> bool:
        """A key while a string is being typed: Return writes it, Escape cancels."""
        if len(key) <= 3 and key.startswith("F") and key[1:].isdigit():
            return False  # the host's keys still work
        if key == "Backspace":
            self.text = self.text[:-1]
        elif key in ("Return", "Escape"):
            t, self.editing = self.editing, None
            if key == "Return" and t is not None:
                self._run(lambda: self.editor.tweak(t.key, self.text))
        return True  # typing never reaches the game

    def start_editing(self, t: Tweakable) -> None:
        """Type a new value for the string ``t`` (Return writes it, Escape cancels)."""
        self.editing, self.text = t, str(self.editor.current(t))

    def _press(self, key: str, size: int) -> None:
        values = self.values()
        if not values:
            return
        if key in ("Up", "Down"):
            self.selected = max(0, min(len(values) - 1,
                                       self.selected + (1 if key == "Down" else -1)))
            return
        t = values[min(self.selected, len(values) - 1)]
        if t.kind is Kind.STR and key in ("Return", "Space"):
            self.start_editing(t)
        elif t.kind is Kind.BOOL:
            self._set(t, not self.editor.current(t))
            self.editor.commit()
        elif t.kind is not Kind.STR and key in ("Left", "Right"):
            step = steps(t)[size] * (1 if key == "Right" else -1)
            self._set(t, quantize(t, float(self.editor.current(t)) + step))  # type: ignore[arg-type]
            self.editor.commit()  # lands when due: held keys coalesce like a drag

    def _button(self, button: int, x: int, y: int, down: bool) -> bool:
        if not down:  # taken only when its press was (a press the game saw must end there)
            taken, self._pressed = self._pressed, False
            if self.dragging is not None:
                self.dragging = None
                self._run(lambda: self.editor.commit(force=True))
            return taken
        self._pressed = self._inside(x, y)
        if button != 1 or not self._pressed:
            return self._pressed
        row = self._row_at(y)
        if row is None or row.item is None:
            return True
        t = row.item
        self.selected = self.values().index(t)
        if t.kind is Kind.STR:
            self.start_editing(t)
        elif t.kind is Kind.BOOL:
            self._run(lambda: self.editor.tweak(t.key, not t.source))
        elif x >= self._track()[0] - 4:
            self.dragging = t
            self._drag_to(t, x)
        return True

    def _motion(self, x: int, y: int) -> bool:
        self._mouse = (x, y)
        t = self.dragging
        if t is None:
            return self._inside(x, y)
        self._drag_to(t, x)
        return True

    def _drag_to(self, t: Tweakable, x: int) -> None:
        """The value under ``x`` on the track; with Shift, ten times finer from the last x."""
        low, high = t.range
        left, width = self._track()
        if self.shift and t is self.dragging:
            value = self._drag_value + (x - self._drag_x) / width * (high - low) / 10
        else:
            value = low + (x - left) / width * (high - low)
        value = quantize(t, value)
        self._drag_x, self._drag_value = x, float(value)
        self._set(t, value)

    def _wheel(self, dy: int) -> bool:
        if not self._inside(*self._mouse):  # a wheel event has no position: the last motion's
            return False
        self.scroll = max(0, min(len(self._rows) - 1, self.scroll - dy))
        values = self.values()
        shown = [row.item for row in self._rows[self.scroll:] if row.item is not None]
        if shown:  # the selection follows, so the view does not jump back to it
            self.selected = values.index(shown[0])
        return True

    def _set(self, t: Tweakable, value: object) -> None:
        self._run(lambda: self.editor.set(t.key, value))

    def _run(self, action: Any) -> None:
        """Run an edit; a refused one (a name gone since) is told, never raised at the loop."""
        try:
            action()
        except TweakError as exc:
            self.editor.emit(Notice(str(exc)))
            self.dragging = None

    # -- geometry ----------------------------------------------------------------------------
    def _x0(self) -> int:
        return max(0, self._size[0] - WIDTH)

    def _track(self) -> tuple[int, int]:
        left = self._x0() + MARGIN + (NAME_CHARS + VALUE_CHARS + 1) * self._char
        return left, max(20, self._size[0] - MARGIN - left)

    def _inside(self, x: int, y: int) -> bool:
        return x >= self._x0() and TOP <= y < TOP + self._height()

    def _height(self) -> int:
        return min(self._size[1] - TOP, (len(self._shown()) + 2) * self._line + MARGIN)

    def _shown(self) -> list[_Row]:
        fits = max(1, (self._size[1] - TOP - MARGIN) // self._line - 2)
        if self.dragging is None and self._rows:
            values = self.values()
            if values:  # keep the selected row in view
                index = self._rows.index(next(r for r in self._rows
                                              if r.item == values[min(self.selected,
                                                                      len(values) - 1)]))
                self.scroll = min(max(self.scroll, index - fits + 1), index)
        return self._rows[self.scroll:self.scroll + fits]

    def where(self, key: str) -> tuple[int, int, int] | None:
        """The slider of ``physics.SPEED`` as last drawn: (left x, middle y, width), or None."""
        for i, row in enumerate(self._shown()):
            if row.item is not None and row.item.key == key:
                left, width = self._track()
                return left, TOP + MARGIN // 2 + (i + 1) * self._line + self._line // 2, width
        return None

    def _row_at(self, y: int) -> _Row | None:
        index = (y - TOP - MARGIN // 2) // self._line - 1
        shown = self._shown()
        return shown[index] if 0 <= index < len(shown) else None

    # -- drawing -----------------------------------------------------------------------------
    def changed(self, _event: object = None) -> None:
        """Something happened (a reload, a tweak, a restart, a notice): list the rows anew
        at the next draw. The host tells the panel every event (an ``EventLog`` sink)."""
        self._stale = True

    def _refresh(self) -> None:
        """The rows again, only when an event, a file's literals or the modules changed.

        Listing costs a ``stat`` per module and a ``Tweakable`` per value (0.2 ms for
        bounce); live values are read for the shown rows at each draw instead.
        """
        if self._stale or self.editor.listing_stamp() != self._stamp:
            self._rows = self.rows()
            self._stamp = self.editor.listing_stamp()  # rows() may have found a file changed
            self._stale = False

    def draw(self, surface: Surface) -> None:
        """The panel at the right of the window: heading, rows, the keys' line.

        Text is drawn row by row, then the rectangles colour by colour in three layers
        (tracks, what fills them, knobs): ~10 SDL calls instead of ~36. Nothing of a row
        overlaps another row, and within a row the text comes first, so the pixels are
        those of drawing each row whole in turn.
        """
        self._size, self._line = surface.size, surface.line_height
        self._char = max(1, surface.text_size("M")[0])
        self._refresh()
        x0, line = self._x0(), self._line
        shown = self._shown()
        surface.fill_rect(x0, TOP, self._size[0] - x0, self._height(), BACKING)
        y = TOP + MARGIN // 2
        values = self.values()
        selected = values[min(self.selected, len(values) - 1)] if values else None
        if selected is not None and selected in (row.item for row in shown):
            index = next(i for i, row in enumerate(shown) if row.item == selected)
            surface.fill_rect(x0, y + (index + 1) * line, self._size[0] - x0, line, SELECTED)
        surface.text(x0 + MARGIN, y, _fit(HEAD, WIDTH // self._char - 2), HUD_RGB)
        fills = _Fills()
        live = iter(self.editor.live([row.item for row in shown if row.item is not None]))
        for row in shown:
            y += line
            value = next(live) if row.item is not None else None
            self._draw_row(surface, fills, row, x0 + MARGIN, y, value)
        surface.text(x0 + MARGIN, y + line, _fit(FOOT, WIDTH // self._char - 2), DIM_RGB)
        fills.draw(surface)

    def _draw_row(self, surface: Surface, fills: _Fills, row: _Row, x: int, y: int,
                  value: object) -> None:
        """One row's text now, its rectangles into ``fills``; ``value`` is the live value."""
        line = self._line
        if row.item is None:
            surface.text(x, y, _fit(row.text, WIDTH // self._char - 2),
                         TEXT_RGB if row.swatch is not None else HUD_RGB)
            if row.swatch is not None:
                left, width = self._track()
                red, green, blue = row.swatch[:3]
                fills.add(_UNDER, (red, green, blue, 255), (left, y + 2, width, line - 4))
            return
        t = row.item
        surface.text(x, y, _fit(row.text, NAME_CHARS), TEXT_RGB)
        if t.kind is Kind.STR:
            editing = self.editing is not None and self.editing.key == t.key
            shown = self.text + "▏" if editing else repr(t.source)
            surface.text(x + NAME_CHARS * self._char, y,
                         _fit(shown, WIDTH // self._char - NAME_CHARS - 2),
                         HUD_RGB if editing else DIM_RGB)
            return
        changed = value != t.source  # play changed it: the live value differs from the file
        surface.text(x + NAME_CHARS * self._char, y, _fit(repr(value), VALUE_CHARS - 1),
                     HUD_RGB if changed else DIM_RGB)
        left, width = self._track()
        if t.kind is Kind.BOOL:
            fills.add(_UNDER, TRACK, (left, y + 3, line - 6, line - 6))
            if self.editor.current(t):
                fills.add(_FILLED, FILL, (left + 3, y + 6, line - 12, line - 12))
            return
        low, high = t.range
        frac = (float(self.editor.current(t)) - low) / (high - low) if high > low else 0.0  # type: ignore[arg-type]
        filled = int(width * min(1.0, max(0.0, frac)))
        fills.add(_UNDER, TRACK, (left, y + line // 2 - 2, width, 4))
        rgba = CHANNEL_RGB[int(t.name.rsplit("[", 1)[1][:-1])] if t.kind is Kind.CHANNEL \
            else FILL
        fills.add(_FILLED, rgba, (left, y + line // 2 - 2, filled, 4))
        fills.add(_KNOB, KNOB, (left + filled - 2, y + 2, 4, line - 4))


_UNDER, _FILLED, _KNOB = range(3)  # the layers of the panel's rectangles, bottom first


class _Fills:
    """The panel's rectangles of one draw, by layer and colour: one SDL call per colour."""

    def __init__(self) -> None:
        self.layers: list[dict[tuple[int, int, int, int], list[tuple[int, int, int, int]]]] = \
            [{}, {}, {}]

    def add(self, layer: int, rgba: tuple[int, int, int, int],
            rect: tuple[int, int, int, int]) -> None:
        """Fill ``rect`` in ``rgba`` above every rectangle of a lower layer."""
        self.layers[layer].setdefault(rgba, []).append(rect)

    def draw(self, surface: Surface) -> None:
        """Every rectangle, layer by layer, a colour's rectangles in one call."""
        for layer in self.layers:
            for rgba, rects in layer.items():
                surface.fill_rects(rects, rgba)
