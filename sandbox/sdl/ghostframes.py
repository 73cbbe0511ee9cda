"""Ghost frames: frames drawn offscreen, faint copies blended over one, shown in one copy.

The timeline's ghosts (F8, then G: ``sandbox.ghosts``) draw the game at the ticks around the
cursor into an offscreen target, one slot each (the caller names them: a tick, the cursor's
frame). Each frame is read back into an SDL surface and kept until dropped, and
:meth:`GhostFrames.compose` blends the ghosts over the base slot with SDL's surface blitter,
each with its own alpha, into one texture that
:meth:`GhostFrames.show` draws over the window in a single copy. So a frame with ghosts costs
one texture copy; composing (a read-back and a blit a ghost) happens only when asked. A ghost
is blitted only in the bands of ``BAND`` rows where it drew anything but its background
(found once, when it is captured) and differs from the base, the cursor's frame (breakout's
bricks, the same in every ghost, are skipped): a bouncing rectangle's ghost is a few bands,
not a frame. Bands are compared with ``SDL_memcmp``, in C. The comparison is with the base,
not with the composite so far: once one ghost is blended over a band, no raw frame equals
the composite there, and every later ghost would be blitted in full there (breakout's bricks
under a faint ball); a band of a ghost the same as the cursor's frame adds nothing anyway.

A ghost leaves its background out: the colour the game's ``renderer.clear()`` filled it with
(``Renderer.cleared``) is the surface's colour key, so only what was drawn over it shows,
faintly, and the cursor's frame is not washed out by twelve layers of background. A game
that never calls ``clear()`` gets whole translucent frames.

Quirk: every surface here is XRGB8888, without alpha. pysdl2 turns an ``(r, g, b)`` colour
into alpha 0 (``sdl2.ext.convert_to_color``), so what a game fills with such a colour has
alpha 0 on a target with an alpha channel, and would vanish in a blend.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Collection, Hashable, Sequence
from typing import Any

import sdl2

from sandbox.sdl.draw import Renderer
from sandbox.sdl.errors import check

__all__ = ["GhostFrames"]

FORMAT = sdl2.SDL_PIXELFORMAT_RGB888  # XRGB8888: no alpha (see the module docstring)
BAND = 16  # rows: a ghost is blended band by band, only where it drew something
# SDL's memcmp (pysdl2 does not wrap it): compares bands in place, without copying them out.
_memcmp = sdl2.dll.dll.bind_function(
    "SDL_memcmp", [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t], ctypes.c_int)


class GhostFrames:
    """Offscreen frames in slots, and their composite: slot 0 with the others blended over."""

    def __init__(self, sdl_renderer: Any, renderer: Renderer, size: tuple[int, int]) -> None:
        self._sdl = sdl_renderer
        self._renderer = renderer
        self.size = size
        w, h = size
        self._target = check(sdl2.SDL_CreateTexture(
            sdl_renderer, FORMAT, sdl2.SDL_TEXTUREACCESS_TARGET, w, h), "creating a ghost target")
        self._shown = check(sdl2.SDL_CreateTexture(
            sdl_renderer, FORMAT, sdl2.SDL_TEXTUREACCESS_STREAMING, w, h),
            "creating the ghosts' texture")
        sdl2.SDL_SetTextureBlendMode(self._shown, sdl2.SDL_BLENDMODE_NONE)
        self._slots: dict[Hashable, Any] = {}  # SDL_Surface pointers, kept until dropped
        self._drawn: dict[Hashable, list[tuple[int, int]]] = {}  # rows (from, to) drawn on
        self._spare: list[Any] = []  # surfaces of dropped slots, reused before allocating
        self._composite: Any = None  # the base with the ghosts blended over: what show() draws

    def _slot(self, slot: Hashable) -> Any:
        surface = self._slots.get(slot)
        if surface is None:
            w, h = self.size
            surface = self._slots[slot] = self._spare.pop() if self._spare else check(
                sdl2.SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, FORMAT), "creating a ghost frame")
        return surface

    def __contains__(self, slot: Hashable) -> bool:
        return slot in self._slots

    def capture(self, slot: Hashable, draw: Callable[[], bool]) -> bool:
        """Run ``draw`` (the game's draw) offscreen and keep its frame in ``slot``.

        Returns what ``draw`` returned; when False (it failed) the slot is dropped. The window
        is the render target again afterwards, whatever ``draw`` did.
        """
        surface = self._slot(slot)
        renderer, sdl = self._renderer, self._sdl
        check(sdl2.SDL_SetRenderTarget(sdl, self._target), "drawing a ghost offscreen")
        try:
            renderer.cleared = None
            ok = draw()
            if ok:
                pixels = surface.contents
                check(sdl2.SDL_RenderReadPixels(sdl, None, FORMAT, pixels.pixels, pixels.pitch),
                      "reading a ghost frame back")
        finally:
            sdl2.SDL_SetRenderTarget(sdl, None)
            sdl2.SDL_RenderSetClipRect(sdl, None)
            sdl2.SDL_RenderSetViewport(sdl, None)
        if not ok:
            self.keep(set(self._slots) - {slot})
            return False
        background = renderer.cleared
        if background is None:
            sdl2.SDL_SetColorKey(surface, sdl2.SDL_FALSE, 0)
            self._drawn[slot] = [(0, self.size[1])]
        else:
            key = sdl2.SDL_MapRGB(surface.contents.format, *background)
            sdl2.SDL_SetColorKey(surface, sdl2.SDL_TRUE, key)
            self._drawn[slot] = _drawn_rows(surface.contents, key)
        return True

    def keep(self, slots: Collection[Hashable]) -> None:
        """Drop every slot but ``slots`` (their surfaces are reused for the next captures)."""
        for slot in [s for s in self._slots if s not in slots]:
            self._spare.append(self._slots.pop(slot))
            self._drawn.pop(slot, None)

    def compose(self, base: Hashable, ghosts: Sequence[tuple[Hashable, int]], *,
                more: bool = False) -> None:
        """Blend the ``(slot, alpha)`` ghosts over slot ``base``, in order (the last on top).

        The composite is what :meth:`show` draws. It is blended in a surface of its own, so
        ``base`` stays as captured; with ``more`` the ghosts are blended over the last
        composite instead (the ghosts arrive over a few frames: ``sandbox.ghosts``), so each
        is blended once.
        """
        frame = self._slots[base]
        target = self._composite if more and self._composite is not None else \
            self._composite_of(frame)
        for slot, alpha in ghosts:
            ghost = self._slots[slot]
            sdl2.SDL_SetSurfaceBlendMode(ghost, sdl2.SDL_BLENDMODE_BLEND)
            sdl2.SDL_SetSurfaceAlphaMod(ghost, max(0, min(255, alpha)))
            self._blend(ghost, target, frame, self._drawn[slot])
        pixels = target.contents
        check(sdl2.SDL_UpdateTexture(self._shown, None, pixels.pixels, pixels.pitch),
              "uploading the ghosts")

    def _composite_of(self, base: Any) -> Any:
        """The composite's surface, holding a copy of ``base`` (same size, format and pitch)."""
        if self._composite is None:
            w, h = self.size
            self._composite = check(sdl2.SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, FORMAT),
                                    "creating the ghosts' composite")
        target, frame = self._composite.contents, base.contents
        ctypes.memmove(target.pixels, frame.pixels, frame.pitch * frame.h)
        return self._composite

    def _blend(self, ghost: Any, target: Any, base: Any, drawn: list[tuple[int, int]]) -> None:
        """Blit ``ghost`` over ``target`` in its ``drawn`` rows, where it differs from ``base``."""
        here, there = ghost.contents.pixels, base.contents.pixels
        pitch, width = int(target.contents.pitch), self.size[0]

        def differs(y: int, rows: int) -> bool:
            return bool(_memcmp(here + y * pitch, there + y * pitch, rows * pitch) != 0)

        for first, last in drawn:
            for top, bottom in _bands(first, last, differs):
                rows = sdl2.SDL_Rect(0, top, width, bottom - top)
                # SDL_BlitSurface clips the destination rectangle in place: a new one each.
                check(sdl2.SDL_BlitSurface(ghost, rows, target, sdl2.SDL_Rect(0, top, 0, 0)),
                      "blending a ghost")

    def show(self) -> None:
        """Draw the last composite over the whole window."""
        check(sdl2.SDL_RenderCopy(self._sdl, self._shown, None, None), "drawing the ghosts")

    def close(self) -> None:
        """Free the textures and surfaces (idempotent)."""
        self.keep(())
        for surface in self._spare:
            sdl2.SDL_FreeSurface(surface)
        self._spare = []
        if self._composite is not None:
            sdl2.SDL_FreeSurface(self._composite)
            self._composite = None
        for texture in (self._target, self._shown):
            if texture:
                sdl2.SDL_DestroyTexture(texture)
        self._target = self._shown = None


def _drawn_rows(surface: Any, key: int) -> list[tuple[int, int]]:
    """The runs of rows, in bands of ``BAND``, where ``surface`` has a pixel other than ``key``."""
    width, height, pitch = int(surface.w), int(surface.h), int(surface.pitch)
    # The unused byte of XRGB8888 is whatever the read-back wrote: take it from a pixel.
    pixel = (ctypes.c_uint32.from_address(surface.pixels).value & 0xFF000000) | (key & 0xFFFFFF)
    row = bytes(ctypes.c_uint32(pixel)) * width + bytes(pitch - 4 * width)
    blank = ctypes.create_string_buffer(row * BAND, pitch * BAND)
    pixels = surface.pixels
    return _bands(0, height, lambda y, n: _memcmp(pixels + y * pitch, blank, n * pitch) != 0)


def _bands(top: int, bottom: int, keep: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """The runs of rows from ``top`` to ``bottom``, band by band, whose bands ``keep``.

    ``keep(y, rows)`` is asked for each band of ``BAND`` rows (fewer at the bottom).
    """
    runs: list[tuple[int, int]] = []
    for y in range(top, bottom, BAND):
        rows = min(BAND, bottom - y)
        if not keep(y, rows):
            continue
        if runs and runs[-1][1] == y:
            runs[-1] = (runs[-1][0], y + rows)
        else:
            runs.append((y, y + rows))
    return runs
