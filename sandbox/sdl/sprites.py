"""Sprite batches: thousands of copies of one texture (or of parts of it) in one SDL call.

``renderer.sprites(STAR, positions)`` draws the whole texture at every (x, y) of a list; a
``SpriteBatch`` collects sprites with their own source rectangle (frames of a sprite sheet,
tiles of a tileset) and size, and ``renderer.batch(batch)`` draws them. Both end in one
``SDL_RenderGeometryRaw`` call (``sandbox.sdl.geometry``): per sprite, Python only appends
to lists, so the cost per sprite is SDL's copy of its pixels.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from sandbox.sdl.geometry import Quads, packed_floats

__all__ = ["SpriteBatch", "quads_at", "texture_of"]


def texture_of(image: Any, where: str) -> tuple[Any, int, int]:
    """(SDL_Texture, width, height) of an ``sdl2.ext.Texture``; TypeError otherwise."""
    tx, size = getattr(image, "tx", None), getattr(image, "size", None)
    if tx is None or size is None:
        raise TypeError(f"{where}: expected a texture (from assets.image()), got {image!r}")
    return tx, int(size[0]), int(size[1])


def quads_at(positions: Sequence[Sequence[float]], size: tuple[float, float],
             src: tuple[float, float, float, float] | None, tex_size: tuple[int, int],
             where: str) -> Quads:
    """Quads of one ``size`` at every (x, y) of ``positions``, all showing ``src`` (or all)."""
    try:
        n = len(positions)
        xs = packed_floats(map(itemgetter(0), positions), n)
        ys = packed_floats(map(itemgetter(1), positions), n)
    except (TypeError, IndexError, KeyError, struct.error):
        raise TypeError(f"{where}: positions must be a list of (x, y), got "
                        f"{_first(positions)!r}…") from None
    quads = Quads(xs, ys, array("f", (size[0],)), array("f", (size[1],)))
    if src is not None:
        tw, th = tex_size
        quads.u0, quads.v0 = array("f", (src[0] / tw,)), array("f", (src[1] / th,))
        quads.u1 = array("f", ((src[0] + src[2]) / tw,))
        quads.v1 = array("f", ((src[1] + src[3]) / th,))
    return quads


def _first(positions: Any) -> list[Any]:
    """The first few positions, for an error message (anything iterable, or the thing itself)."""
    try:
        return list(positions)[:3]
    except TypeError:
        return [positions]


class SpriteBatch:
    """Sprites of one texture, each with its own source rectangle and size.

    ``add((x, y), src=(sx, sy, sw, sh))`` adds one (``src`` defaults to the whole texture, the
    size to the source's); ``renderer.batch(batch)`` draws them all in one call; ``clear()``
    empties the batch for the next frame (or keep it: a static tile map is built once).
    """

    def __init__(self, texture: Any) -> None:
        self._tx, self._w, self._h = texture_of(texture, "SpriteBatch()")
        self.texture = texture
        self._columns: tuple[list[float], ...] = tuple([] for _ in range(8))

    def __len__(self) -> int:
        return len(self._columns[0])

    def add(self, pos: Sequence[float], src: Sequence[float] | None = None,
            size: Sequence[float] | None = None) -> None:
        """One sprite with its top-left corner at ``pos``."""
        sx, sy, sw, sh = (0, 0, self._w, self._h) if src is None else src
        w, h = (sw, sh) if size is None else size
        x, y = pos
        xs, ys, ws, hs, u0, v0, u1, v1 = self._columns
        xs.append(x)
        ys.append(y)
        ws.append(w)
        hs.append(h)
        u0.append(sx / self._w)
        v0.append(sy / self._h)
        u1.append((sx + sw) / self._w)
        v1.append((sy + sh) / self._h)

    def extend(self, sprites: Iterable[Sequence[float]]) -> None:
        """Many whole-texture sprites at once: an iterable of (x, y)."""
        for pos in sprites:
            self.add(pos)

    def clear(self) -> None:
        """Remove every sprite."""
        for column in self._columns:
            column.clear()

    def quads(self) -> Quads:
        """The batch as columns for ``sandbox.sdl.geometry.draw_quads``."""
        try:
            return Quads(*(packed_floats(column, len(column)) for column in self._columns))
        except struct.error:
            raise TypeError("renderer.batch(): every sprite's position and size must be "
                            "numbers") from None

    @property
    def sdl_texture(self) -> Any:
        """The SDL_Texture every sprite of the batch shows."""
        return self.texture.tx  # asset reloads swap the SDL_Texture in place
