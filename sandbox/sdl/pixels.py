"""Pixels in memory and in PNG files: the RGBA32 layout, frame formats, ``read_png``/``write_png``.

Every RGBA buffer the sandbox hands out (``Display.pixels()``, ``read_png``) is RGBA32: bytes
r, g, b, a per pixel, rows packed, whatever the machine's endianness. A frame read back from
the window is kept in the window's own 32-bit format (see ``sandbox.sdl.readback``) and
converted with ``to_rgba`` only when someone asks for RGBA.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

import sdl2
import sdl2.sdlimage as sdlimage

from sandbox.sdl.errors import check

__all__ = ["PACKED32", "RGB", "RGBA", "RGBA32", "read_png", "to_rgba", "write_png"]

RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]
RGBA32 = sdl2.SDL_PIXELFORMAT_RGBA32  # byte order r, g, b, a whatever the endianness
# Window formats a frame can be read back in as is: four bytes a pixel, no conversion.
PACKED32 = frozenset({
    sdl2.SDL_PIXELFORMAT_ARGB8888, sdl2.SDL_PIXELFORMAT_RGB888, sdl2.SDL_PIXELFORMAT_ABGR8888,
    sdl2.SDL_PIXELFORMAT_BGR888, sdl2.SDL_PIXELFORMAT_RGBA8888, sdl2.SDL_PIXELFORMAT_BGRA8888,
    sdl2.SDL_PIXELFORMAT_RGBX8888, sdl2.SDL_PIXELFORMAT_BGRX8888,
})


def to_rgba(frame: bytearray, size: tuple[int, int], pixel_format: int) -> bytearray:
    """A new RGBA32 copy of ``frame``, four bytes a pixel in ``pixel_format`` (one of PACKED32)."""
    w, h = size
    if len(frame) != w * h * 4:
        raise ValueError(f"expected {w * h * 4} bytes for {w}x{h}, got {len(frame)}")
    rgba = bytearray(len(frame))
    src = (ctypes.c_ubyte * len(frame)).from_buffer(frame)
    dst = (ctypes.c_ubyte * len(rgba)).from_buffer(rgba)
    check(sdl2.SDL_ConvertPixels(w, h, pixel_format, src, w * 4, RGBA32, dst, w * 4),
          "converting the frame to RGBA")
    return rgba


def write_png(path: str | Path, size: tuple[int, int], rgba: bytes | bytearray) -> Path:
    """Write RGBA32 bytes (``w * h * 4``) as a PNG: tests and asset generators use it."""
    w, h = size
    if len(rgba) != w * h * 4:
        raise ValueError(f"expected {w * h * 4} bytes for {w}x{h}, got {len(rgba)}")
    # A bytearray (a held frame) is wrapped without a copy; bytes are immutable: copied.
    data = (ctypes.c_ubyte * len(rgba)).from_buffer(rgba) if isinstance(rgba, bytearray) \
        else (ctypes.c_ubyte * len(rgba)).from_buffer_copy(rgba)
    surface = check(sdl2.SDL_CreateRGBSurfaceWithFormatFrom(data, w, h, 32, w * 4, RGBA32),
                    "wrapping pixels in a surface")
    try:
        check(sdlimage.IMG_SavePNG(surface, str(path).encode()), f"writing {path}")
    finally:
        sdl2.SDL_FreeSurface(surface)
    return Path(path)


def read_png(path: str | Path) -> tuple[int, int, bytes]:
    """Decode an image file to (width, height, RGBA32 bytes), the layout of Display.pixels()."""
    loaded = check(sdlimage.IMG_Load(str(path).encode()), f"loading the image {path}")
    try:
        surface = check(sdl2.SDL_ConvertSurfaceFormat(loaded, RGBA32, 0), "converting to RGBA")
    finally:
        sdl2.SDL_FreeSurface(loaded)
    try:
        s = surface.contents
        w, h, pitch = int(s.w), int(s.h), int(s.pitch)
        raw = ctypes.string_at(s.pixels, pitch * h)
        return w, h, b"".join(raw[y * pitch:y * pitch + w * 4] for y in range(h))
    finally:
        sdl2.SDL_FreeSurface(surface)
