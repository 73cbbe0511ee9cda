"""The overlay's text: the bundled monospaced font, cached line textures, text measurement.

``Font`` draws the HUD, help and error panel, which redraw the same lines every frame, so it
keeps the textures of recent lines. Games load their own fonts as assets
(``sandbox.sdl.media.GameFont``), measured by the same ``text_size``.
"""

from __future__ import annotations

import ctypes
from collections import OrderedDict
from pathlib import Path
from typing import Any

import sdl2
import sdl2.sdlttf as sdlttf

from sandbox.sdl.errors import check
from sandbox.sdl.pixels import RGB

__all__ = ["FONT_PATH", "Font", "text_size"]

# Package data (pyproject's package-data), so a wheel has it: sandbox/data/, one level up.
FONT_PATH = Path(__file__).resolve().parent.parent / "data" / "fonts" / "DejaVuSansMono.ttf"


def text_size(font: Any, text: str) -> tuple[int, int]:
    """Width and height in pixels of one line of ``text`` in the TTF ``font``."""
    w, h = ctypes.c_int(0), ctypes.c_int(0)
    check(sdlttf.TTF_SizeUTF8(font, text.encode(), ctypes.byref(w), ctypes.byref(h)),
          "measuring text")
    return w.value, h.value


class Font:
    """A TTF font with a small cache of rendered lines (texture, width, height) per colour."""

    def __init__(self, renderer: Any, path: Path = FONT_PATH, size: int = 14,
                 cache_size: int = 256, face: Any = None) -> None:
        self._renderer = renderer
        # ``face``: an SDL_ttf font someone else owns (a game font asset): used, never closed.
        self._owns = face is None
        self._font = check(sdlttf.TTF_OpenFont(str(path).encode(), size),
                           f"opening the font {path}") if face is None else face
        self.line_height: int = int(sdlttf.TTF_FontLineSkip(self._font))
        self.height: int = int(sdlttf.TTF_FontHeight(self._font))
        self._cache: OrderedDict[tuple[str, RGB], tuple[Any, int, int]] = OrderedDict()
        self._cache_size = cache_size

    def size(self, text: str) -> tuple[int, int]:
        """Width and height in pixels of one line of ``text``."""
        return text_size(self._font, text)

    def texture(self, text: str, rgb: RGB) -> tuple[Any, int, int]:
        """The cached texture of ``text`` in ``rgb``: overlays redraw the same lines each frame."""
        key = (text, rgb)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        colour = sdl2.SDL_Color(rgb[0], rgb[1], rgb[2], 255)
        surface = check(sdlttf.TTF_RenderUTF8_Blended(self._font, text.encode(), colour),
                        "rendering text")
        try:
            tex = check(sdl2.SDL_CreateTextureFromSurface(self._renderer, surface),
                        "creating a text texture")
            entry = (tex, int(surface.contents.w), int(surface.contents.h))
        finally:
            sdl2.SDL_FreeSurface(surface)
        self._cache[key] = entry
        if len(self._cache) > self._cache_size:
            _, (old, _w, _h) = self._cache.popitem(last=False)
            sdl2.SDL_DestroyTexture(old)
        return entry

    def close(self) -> None:
        """Free every cached texture and the font."""
        for tex, _w, _h in self._cache.values():
            sdl2.SDL_DestroyTexture(tex)
        self._cache.clear()
        if self._font and self._owns:
            sdlttf.TTF_CloseFont(self._font)
        self._font = None
