"""Drawing the overlay on the window: blended rectangles and text, the game's renderer kept.

Games draw with the renderer and expect the blend mode and draw colour they left, while a
rectangle of the overlay needs blending and its own colour. Saving and restoring both around
every rectangle cost 7.6 us a call and the HUD draws 123 a frame, so the first fill saves
them, later ones set only a colour that differs, and ``restore()`` puts both back once:
``Display`` calls it at ``present()`` and whenever the game's renderer is fetched (the host
fetches it for every ``draw()``). Code that keeps the renderer must not draw with it between
a fill and ``present()``.
"""

from __future__ import annotations

import ctypes
from array import array
from collections.abc import Sequence
from itertools import chain
from typing import Any

import sdl2

from sandbox.sdl.errors import check
from sandbox.sdl.geometry import fill_int_rects
from sandbox.sdl.pixels import RGB, RGBA
from sandbox.sdl.text import Font

__all__ = ["OverlayPainter"]


class OverlayPainter:
    """Blended rectangles and lines of the overlay font, on an SDL renderer."""

    def __init__(self, sdl_renderer: Any, font: Font) -> None:
        self.sdl_renderer = sdl_renderer
        self.font = font
        self._saved: tuple[int, tuple[int, ...]] | None = None  # blend mode, colour to restore
        self._drawn: tuple[int, ...] | None = None  # the colour a fill last set

    def fill_rect(self, x: int, y: int, w: int, h: int, rgba: RGB | RGBA) -> None:
        """Alpha-blended rectangle; the renderer's state comes back at ``restore()``."""
        check(sdl2.SDL_RenderFillRect(self._blend(rgba), ctypes.byref(sdl2.SDL_Rect(x, y, w, h))),
              "filling a rectangle")

    def fill_rects(self, rects: Sequence[tuple[int, int, int, int]], rgba: RGB | RGBA) -> None:
        """``fill_rect`` for every ``(x, y, w, h)`` of ``rects``, in one SDL call."""
        fill_int_rects(self._blend(rgba), array("i", chain.from_iterable(rects)))

    def _blend(self, rgba: RGB | RGBA) -> Any:
        """Lend SDL's renderer to a blended fill in ``rgba``; returns the SDL_Renderer."""
        r = self.sdl_renderer
        colour = tuple(rgba) if len(rgba) == 4 else (*rgba, 255)
        if self._saved is None:
            mode = ctypes.c_int(0)
            old = [ctypes.c_uint8(0) for _ in range(4)]
            sdl2.SDL_GetRenderDrawBlendMode(r, ctypes.byref(mode))
            sdl2.SDL_GetRenderDrawColor(r, *(ctypes.byref(c) for c in old))
            check(sdl2.SDL_SetRenderDrawBlendMode(r, sdl2.SDL_BLENDMODE_BLEND),
                  "setting blending")
            self._saved, self._drawn = (mode.value, tuple(c.value for c in old)), None
        if colour != self._drawn:
            sdl2.SDL_SetRenderDrawColor(r, *colour)
            self._drawn = colour
        return r

    def restore(self) -> None:
        """Give the renderer back the blend mode and colour the first fill found."""
        if self._saved is not None:
            (mode, colour), self._saved = self._saved, None
            sdl2.SDL_SetRenderDrawBlendMode(self.sdl_renderer, mode)
            sdl2.SDL_SetRenderDrawColor(self.sdl_renderer, *colour)

    def text(self, x: int, y: int, text: str, rgb: RGB = (255, 255, 255)) -> int:
        """Draw one line in the monospaced overlay font at (x, y); returns its width."""
        text = text.expandtabs(4)  # SDL_ttf draws a tab as a missing-glyph box
        if not text:
            return 0
        tex, w, h = self.font.texture(text, rgb)
        check(sdl2.SDL_RenderCopy(self.sdl_renderer, tex, None,
                                  ctypes.byref(sdl2.SDL_Rect(x, y, w, h))), "drawing text")
        return w

    def text_size(self, text: str) -> tuple[int, int]:
        """Width and height of one line of ``text`` in the overlay font."""
        return self.font.size(text) if text else (0, self.font.line_height)
