"""Many rectangles or textured quads in one SDL call, with the per-item work done in C.

Drawing thousands of things from Python is slow when every item is a call into SDL (a
ctypes call costs about a microsecond). These helpers take columns of numbers and build the
arrays SDL wants with ``array`` slice assignments and ``map`` over C functions, so no Python
statement runs per item:

- ``fill_rects``: ``SDL_RenderFillRectsF`` over a flat float array ``x, y, w, h, …``;
- ``draw_quads``: ``SDL_RenderGeometryRaw`` of axis-aligned textured quads, two triangles
  each. SDL's software renderer recognises such pairs and copies them as rectangles, so the
  pixels are those of ``SDL_RenderCopy`` (exact, and what the golden images check).

Numbers become C floats through ``struct.pack`` (``packed_floats``), not ``array('f', …)``:
the array parses every item with ``PyArg_Parse`` and cost ~40 ns an item against ~20 ns, a
third of the Python time of a 4,000-sprite batch. Both round a double to a float the same
way (a C cast), so the vertices, and the pixels, are the same.
"""

from __future__ import annotations

import ctypes
import struct
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import add
from typing import Any

import sdl2

from sandbox.sdl.errors import check

__all__ = ["Quads", "draw_quads", "fill_int_rects", "fill_rects", "fill_triangles", "floats",
           "packed_floats", "quad_vertices"]

_CORNER_UV = array("f", (0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0))
_indices = array("i")  # 0, 1, 2, 0, 2, 3, 4, 5, 6, … for as many quads as ever drawn


def floats(values: Any) -> array[float]:
    """``values`` as an ``array('f')`` (no copy when it already is one)."""
    return values if isinstance(values, array) and values.typecode == "f" else array("f", values)


def packed_floats(values: Iterable[Any], n: int) -> array[float]:
    """The ``n`` numbers of ``values`` as an ``array('f')``, converted by ``struct`` (module doc).

    Raises ``struct.error`` for a non-number or a count other than ``n``; a number beyond a
    float's range becomes infinite, as with ``array('f')``.
    """
    out = array("f")
    out.frombytes(struct.pack(f"{n}f", *values))
    return out


def fill_rects(renderer: Any, flat: array[float]) -> None:
    """Fill ``len(flat) // 4`` rectangles ``x, y, w, h`` with the current colour, one call."""
    _fill(renderer, flat, ctypes.c_float, sdl2.SDL_FRect, sdl2.SDL_RenderFillRectsF)


def fill_int_rects(renderer: Any, flat: array[int]) -> None:
    """``fill_rects`` for whole-pixel rectangles (an ``array('i')``: cheaper to build)."""
    _fill(renderer, flat, ctypes.c_int, sdl2.SDL_Rect, sdl2.SDL_RenderFillRects)


def _fill(renderer: Any, flat: array[Any], item: Any, rect: Any, fill: Any) -> None:
    """Hand ``flat``'s memory to SDL's ``fill`` as ``len(flat) // 4`` ``rect`` structs."""
    n = len(flat) // 4
    if n == 0:
        return
    ptr = ctypes.cast((item * len(flat)).from_buffer(flat), ctypes.POINTER(rect))
    check(fill(renderer, ptr, n), "filling rectangles")


@dataclass
class Quads:
    """Columns of axis-aligned quads: position and size on the target, corners in the texture.

    ``u0, v0, u1, v1`` are in texture coordinates (0–1); leave them empty to use the whole
    texture for every quad. ``ws``/``hs`` may hold a single value for quads of one size.
    """

    xs: array[float]
    ys: array[float]
    ws: array[float]
    hs: array[float]
    u0: array[float] | None = None
    v0: array[float] | None = None
    u1: array[float] | None = None
    v1: array[float] | None = None

    def __len__(self) -> int:
        return len(self.xs)


def _column(values: array[float], n: int) -> array[float]:
    """``values`` stretched to ``n`` entries when it holds a single one."""
    return values * n if len(values) == 1 and n != 1 else values


def _corners(a: array[float], b: array[float], n: int) -> array[float]:
    """Interleave the four corners a0 b0 | a1 b0 | a1 b1 | a0 b1 of n quads (8 floats each)."""
    out = array("f")
    out.frombytes(bytes(32 * n))
    a0, b0 = a[0::2], b[0::2]
    a1, b1 = a[1::2], b[1::2]
    out[0::8], out[1::8], out[2::8], out[3::8] = a0, b0, a1, b0
    out[4::8], out[5::8], out[6::8], out[7::8] = a1, b1, a0, b1
    return out


def _pairs(start: array[float], size: array[float], n: int) -> array[float]:
    """start0, start0+size0, start1, start1+size1, … (built in C: map over operator.add)."""
    out = array("f")
    out.frombytes(bytes(8 * n))
    out[0::2] = start
    out[1::2] = packed_floats(map(add, start, size if len(size) == n else repeat(size[0], n)), n)
    return out


def _indices_for(n: int) -> array[int]:
    """Two triangles per quad, shared by every call (grown when more quads are drawn)."""
    have = len(_indices) // 6
    if n <= have:
        return _indices
    for q in range(have, max(n, 2 * have)):
        v = 4 * q
        _indices.extend((v, v + 1, v + 2, v, v + 2, v + 3))
    return _indices


def quad_vertices(quads: Quads) -> tuple[array[float], array[float]]:
    """The corners of every quad (x, y, four per quad) and their texture coordinates (u, v)."""
    n = len(quads)
    xy = _corners(_pairs(quads.xs, quads.ws, n), _pairs(quads.ys, quads.hs, n), n)
    if quads.u0 is None or quads.v0 is None or quads.u1 is None or quads.v1 is None:
        uv = _CORNER_UV * n
    else:
        us, vs = array("f"), array("f")
        us.frombytes(bytes(8 * n))
        vs.frombytes(bytes(8 * n))
        us[0::2], us[1::2] = _column(quads.u0, n), _column(quads.u1, n)
        vs[0::2], vs[1::2] = _column(quads.v0, n), _column(quads.v1, n)
        uv = _corners(us, vs, n)
    return xy, uv


def draw_quads(renderer: Any, texture: Any, quads: Quads, colour: Sequence[int]) -> None:
    """Draw every quad of ``texture`` tinted by ``colour`` (r, g, b, a) in one SDL call."""
    n = len(quads)
    if n == 0:
        return
    xy, uv = quad_vertices(quads)
    colours = bytearray(bytes(colour) * (4 * n))
    indices = _indices_for(n)
    check(sdl2.SDL_RenderGeometryRaw(
        renderer, texture,
        (ctypes.c_float * len(xy)).from_buffer(xy), 8,
        ctypes.cast((ctypes.c_ubyte * len(colours)).from_buffer(colours),
                    ctypes.POINTER(sdl2.SDL_Color)), 4,
        (ctypes.c_float * len(uv)).from_buffer(uv), 8,
        4 * n, (ctypes.c_int * len(indices)).from_buffer(indices), 6 * n, 4),
        "drawing textured quads")


def fill_triangles(renderer: Any, xy: array[float], colour: Sequence[int]) -> None:
    """Fill the triangles of ``xy`` (x, y per corner, three corners each) in one colour."""
    corners = len(xy) // 2
    colours = bytearray(bytes(colour) * corners)
    check(sdl2.SDL_RenderGeometryRaw(
        renderer, None, (ctypes.c_float * len(xy)).from_buffer(xy), 8,
        ctypes.cast((ctypes.c_ubyte * len(colours)).from_buffer(colours),
                    ctypes.POINTER(sdl2.SDL_Color)), 4,
        None, 0, corners, None, 0, 0), "filling triangles")
