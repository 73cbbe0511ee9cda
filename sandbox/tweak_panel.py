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
Changes go through ``sandbox.tweak_edit.TweakEditor`` (file and game together). This module
holds the panel's state and its input; where the rows are is ``sandbox.tweak_layout``, and
painting them ``sandbox.tweak_draw``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from sandbox.events import Notice
from sandbox.panel import Surface
from sandbox.sdl import event_to_dict
from sandbox.tweak_draw import PanelView, draw_panel
from sandbox.tweak_edit import TweakEditor
from sandbox.tweak_layout import PanelLayout, Row, list_rows
from sandbox.tweak_list import Tweakable, TweakError
from sandbox.tweaks import MAX_STRING, Kind

__all__ = ["TweakPanel", "quantize", "steps"]

# SDL's modifier bits (SDL_Keymod: a stable part of SDL's ABI): either Shift, either Ctrl.
SHIFT, CTRL = 0x0003, 0x00C0
_SHIFTS, _CTRLS = ("Left Shift", "Right Shift"), ("Left Ctrl", "Right Ctrl")


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
    """The panel's state (open, rows, selection, drag) and its input; it draws as a badge."""

    def __init__(self, editor: TweakEditor) -> None:
        self.editor = editor
        self.open = False
        self.selected = 0   # index into the value rows
        self.layout = PanelLayout()  # the window's size, the font's, the scroll
        self.dragging: Tweakable | None = None
        self.editing: Tweakable | None = None  # a string being typed
        self.text = ""
        self._drag_x = 0
        self._drag_value = 0.0
        self.shift = self.ctrl = False
        self._rows: list[Row] = []  # as last listed (``_refresh``)
        self._stale = True  # an event since: list the rows again at the next draw
        self._stamp: tuple[int, tuple[str, ...]] = (-1, ())  # the editor's listing_stamp
        self._mouse = (-1, -1)  # where the mouse last moved
        # The pixels at the window's bottom the overlay covers (the error panel, a strip):
        # the panel ends above them, so neither hides the other (the host sets it).
        self.below: Callable[[Surface], int] = lambda surface: 0
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

    def rows(self) -> list[Row]:
        """The rows as they are now: headings, colour swatches and values, module by module."""
        return list_rows(self.editor.tweakables(), self.editor.problems())

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
        elif x >= self.layout.track()[0] - 4:
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
        left, width = self.layout.track()
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
        layout = self.layout
        layout.scroll = max(0, min(len(self._rows) - 1, layout.scroll - dy))
        values = self.values()
        shown = [row.item for row in self._rows[layout.scroll:] if row.item is not None]
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

    # -- where things are (sandbox.tweak_layout) ----------------------------------------------
    def _selected_item(self) -> Tweakable | None:
        """The value row ↑/↓ chose (the last one when rows went away), or None."""
        values = self.values()
        return values[min(self.selected, len(values) - 1)] if values else None

    def _shown(self) -> Sequence[Row]:
        """The rows that fit; the selected one kept in view, except while dragging."""
        keep = self._selected_item() if self.dragging is None else None
        return self.layout.shown(self._rows, keep)

    def _inside(self, x: int, y: int) -> bool:
        return self.layout.inside(x, y, len(self._shown()))

    def _row_at(self, y: int) -> Row | None:
        return self.layout.row_at(y, self._shown())

    def where(self, key: str) -> tuple[int, int, int] | None:
        """The slider of ``physics.SPEED`` as last drawn: (left x, middle y, width), or None."""
        return self.layout.slider(key, self._shown())

    # -- drawing (sandbox.tweak_draw) ----------------------------------------------------------
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
        """The panel at the right of the window: heading, rows, the keys' line."""
        self.layout.measure(surface, self.below(surface))
        self._refresh()
        shown = self._shown()
        live = self.editor.live([row.item for row in shown if row.item is not None])
        draw_panel(surface, self.layout, PanelView(shown, self._selected_item(), live,
                                                   self.editor.current, self.editing, self.text))
