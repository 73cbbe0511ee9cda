"""The renderer a game's ``draw(renderer)`` gets: an ``sdl2.ext.Renderer`` with drawing helpers.

Everything ``sdl2.ext.Renderer`` does still works (``fill``, ``copy``, ``clear`` …); the
helpers add what a game reaches for, each one call however much it draws::

    renderer.fill_rect((x, y, 16, 16), (255, 0, 0))       # alpha 255: opaque; < 255: blended
    renderer.rect((x, y, 16, 16), (255, 255, 255), width=2)
    renderer.rects(list_of_rects, (0, 200, 0))            # one SDL_RenderFillRects
    renderer.line((0, 0), (100, 50), (255, 255, 0), width=3)
    renderer.circle((320, 240), 40, (0, 128, 255))        # width=0 fills; > 0 outlines
    renderer.text(f"score {score}", (10, 10), size=20, colour=(255, 255, 255))
    renderer.image("ball.png", (x, y), angle=30, scale=2, flip=Flip.HORIZONTAL)
    renderer.sprites(STAR, positions)                     # thousands, one SDL_RenderGeometry
    renderer.batch(sprite_batch)                          # each sprite its own frame and size

Renderer state: a helper draws in its own colour and blend mode, and the game gets back the
draw colour and blend mode it set (``renderer.color = …``, ``renderer.blendmode = …``)
before any ``sdl2.ext`` method runs or either property is read. The give-back is lazy, so a
run of helpers in one colour costs one SDL call each. Quirk: SDL functions called on
``renderer.sdlrenderer`` directly bypass this; call ``give_back()`` before them.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from itertools import chain
from numbers import Real
from pathlib import Path
from typing import Any

import sdl2
import sdl2.ext

from sandbox.sdl import args
from sandbox.sdl.errors import check
from sandbox.sdl.geometry import draw_quads, fill_int_rects, fill_rects, fill_triangles
from sandbox.sdl.sprites import SpriteBatch, quads_at, texture_of
from sandbox.sdl.text import FONT_PATH, Font

__all__ = ["WHITE", "Flip", "Renderer"]

WHITE = (255, 255, 255)
_State = tuple[tuple[int, int, int, int], int]  # draw colour, blend mode


class Flip(Enum):
    """How ``renderer.image`` mirrors a picture."""

    NONE = sdl2.SDL_FLIP_NONE
    HORIZONTAL = sdl2.SDL_FLIP_HORIZONTAL
    VERTICAL = sdl2.SDL_FLIP_VERTICAL
    BOTH = sdl2.SDL_FLIP_HORIZONTAL | sdl2.SDL_FLIP_VERTICAL


class Renderer(sdl2.ext.Renderer):  # type: ignore[misc]  # pysdl2 is untyped
    """``sdl2.ext.Renderer`` plus the drawing helpers of the module docstring."""

    def __init__(self, target: Any, **kwargs: Any) -> None:
        # Before super().__init__, which sets ``color`` through the property below.
        self._game: _State = ((0, 0, 0, 0), sdl2.SDL_BLENDMODE_NONE)
        self._now: _State = self._game  # what SDL has, as far as the helpers know
        self._fonts: dict[tuple[str, int], Font] = {}  # by path, or "asset:" name, and size
        self._versions: dict[tuple[str, int], int] = {}  # the asset font's version cached
        self._load_image: Callable[[str], Any] | None = None
        self._load_font: Callable[[str, int], Any] | None = None
        # The colour the last clear() filled with: the background a ghost frame leaves out
        # (sandbox.sdl.ghostframes); None until a clear.
        self.cleared: tuple[int, int, int] | None = None
        super().__init__(target, **kwargs)

    # -- the game's state, lent to the helpers ---------------------------------------------------
    @property
    def color(self) -> Any:
        """The game's draw colour (``sdl2.ext.Color``), as ``sdl2.ext.Renderer`` has it."""
        self.give_back()
        return sdl2.ext.Renderer.color.fget(self)

    @color.setter
    def color(self, value: Any) -> None:
        self.give_back()
        sdl2.ext.Renderer.color.fset(self, value)
        c = sdl2.ext.convert_to_color(value)
        self._game = self._now = ((c.r, c.g, c.b, c.a), self._game[1])

    @property
    def blendmode(self) -> Any:
        """The game's blend mode for ``fill`` and lines (an ``SDL_BLENDMODE_*``)."""
        self.give_back()
        return sdl2.ext.Renderer.blendmode.fget(self)

    @blendmode.setter
    def blendmode(self, value: Any) -> None:
        self.give_back()
        sdl2.ext.Renderer.blendmode.fset(self, value)
        self._game = self._now = (self._game[0], int(value))

    def give_back(self) -> None:
        """Set the draw colour and blend mode the game chose, if a helper changed them."""
        if self._now != self._game:
            self._set(self._game)

    def _set(self, state: _State) -> None:
        r = self.sdlrenderer
        if state[0] != self._now[0]:
            sdl2.SDL_SetRenderDrawColor(r, *state[0])
        if state[1] != self._now[1]:
            sdl2.SDL_SetRenderDrawBlendMode(r, state[1])
        self._now = state

    def _paint(self, rgba: tuple[int, int, int, int]) -> Any:
        """Lend SDL this colour (blended when translucent); returns the SDL_Renderer."""
        state = (rgba, sdl2.SDL_BLENDMODE_BLEND if rgba[3] < 255 else sdl2.SDL_BLENDMODE_NONE)
        if state != self._now:
            self._set(state)
        return self.sdlrenderer

    def clear(self, color: Any = None) -> None:
        """``sdl2.ext.Renderer.clear`` with the game's colour given back first."""
        self.give_back()
        super().clear(color)
        c = self.color if color is None else sdl2.ext.convert_to_color(color)
        self.cleared = (c.r, c.g, c.b)

    def fill(self, rects: Any, color: Any = None) -> None:
        """``sdl2.ext.Renderer.fill``; a ``color`` is lent, as the helpers lend theirs.

        pysdl2 sets a fill's colour through the ``color`` property and back again (three
        conversions and three SDL calls: most of breakout's draw). Lent, it is converted once
        and given back only when the game's own colour is next needed, blend mode unchanged.
        """
        if color is None:
            self.give_back()
        else:
            c = sdl2.ext.convert_to_color(color)
            self._set(((c.r, c.g, c.b, c.a), self._game[1]))
        super().fill(rects)

    def draw_line(self, points: Any, color: Any = None) -> None:
        """``sdl2.ext.Renderer.draw_line`` with the game's state given back first."""
        self.give_back()
        super().draw_line(points, color)

    def draw_point(self, points: Any, color: Any = None) -> None:
        """``sdl2.ext.Renderer.draw_point`` with the game's state given back first."""
        self.give_back()
        super().draw_point(points, color)

    def draw_rect(self, rects: Any, color: Any = None) -> None:
        """``sdl2.ext.Renderer.draw_rect`` with the game's state given back first."""
        self.give_back()
        super().draw_rect(rects, color)

    # -- shapes ------------------------------------------------------------------------------
    def fill_rect(self, rect: Sequence[float], colour: args.Colour) -> None:
        """Fill ``(x, y, w, h)``; alpha below 255 blends."""
        x, y, w, h = args.rect(rect, "renderer.fill_rect()")
        r = self._paint(args.colour(colour, "renderer.fill_rect()"))
        check(sdl2.SDL_RenderFillRectF(r, sdl2.SDL_FRect(x, y, w, h)), "filling a rectangle")

    def rect(self, rect: Sequence[float], colour: args.Colour, width: int = 1) -> None:
        """The outline of ``(x, y, w, h)``, ``width`` pixels thick, inside the rectangle."""
        x, y, w, h = args.rect(rect, "renderer.rect()")
        t = args.positive(width, "renderer.rect()", "width")
        r = self._paint(args.colour(colour, "renderer.rect()"))
        if 2 * t >= w or 2 * t >= h:
            edges = array("f", (x, y, w, h))
        else:
            edges = array("f", (x, y, w, t, x, y + h - t, w, t,
                                x, y + t, t, h - 2 * t, x + w - t, y + t, t, h - 2 * t))
        fill_rects(r, edges)

    def rects(self, rects: Iterable[Sequence[float]], colour: args.Colour) -> None:
        """Fill every ``(x, y, w, h)`` of ``rects`` in one colour, with one SDL call."""
        rgba = args.colour(colour, "renderer.rects()")
        rects = rects if isinstance(rects, list | tuple) else list(rects)
        if set(map(len, rects)) <= {4}:  # per rect, only C: no Python statement runs
            flat = list(chain.from_iterable(rects))
            try:  # ints convert to C twice as fast as to float: SDL has both kinds of rect
                fill_int_rects(self._paint(rgba), array("i", flat))
                return
            except (TypeError, OverflowError):
                if all(isinstance(v, Real) for v in flat):
                    fill_rects(self._paint(rgba), array("f", flat))
                    return
        bad = next((rc for rc in rects if not args.numbers(rc, 4)), rects[:1])
        raise TypeError(f"renderer.rects(): every rect must be (x, y, w, h), got {bad!r}")

    def line(self, start: Sequence[float], end: Sequence[float], colour: args.Colour,
             width: float = 1) -> None:
        """A straight line from ``start`` to ``end``; ``width`` > 1 draws it as a band."""
        where = "renderer.line()"
        (x1, y1), (x2, y2) = args.point(start, where, "start"), args.point(end, where, "end")
        t = args.positive(width, where, "width")
        rgba = args.colour(colour, where)
        if t <= 1:
            check(sdl2.SDL_RenderDrawLineF(self._paint(rgba), x1, y1, x2, y2), "drawing a line")
            return
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        nx, ny = -(y2 - y1) / length * t / 2, (x2 - x1) / length * t / 2
        band = array("f", (x1 + nx, y1 + ny, x2 + nx, y2 + ny, x2 - nx, y2 - ny,
                           x1 + nx, y1 + ny, x2 - nx, y2 - ny, x1 - nx, y1 - ny))
        fill_triangles(self._paint(rgba), band, rgba)  # untextured geometry: draw blend mode

    def circle(self, center: Sequence[float], radius: float, colour: args.Colour,
               width: int = 0) -> None:
        """A disc (``width`` 0) or a ring ``width`` pixels thick, as rows of pixels."""
        where = "renderer.circle()"
        cx, cy = args.point(center, where, "center")
        rad = args.positive(radius, where, "radius", zero=True)
        t = args.positive(width, where, "width", zero=True)
        rgba = args.colour(colour, where)
        # A pixel is in when its centre is within radius + 0.5: round, no one-pixel nubs.
        outer_sq = (rad + 0.5) ** 2
        hole_sq = (rad - t + 0.5) ** 2 if 0 < t < rad else -1.0
        rows = array("f")
        for dy in range(-int(rad), int(rad) + 1):
            half = math.floor(math.sqrt(outer_sq - dy * dy))
            if dy * dy >= hole_sq:
                rows.extend((cx - half, cy + dy, 2 * half + 1, 1))
                continue
            hole = math.floor(math.sqrt(hole_sq - dy * dy))
            if half > hole:
                band = half - hole
                rows.extend((cx - half, cy + dy, band, 1, cx + hole + 1, cy + dy, band, 1))
        fill_rects(self._paint(rgba), rows)

    # -- text and images ---------------------------------------------------------------------
    def use_assets(self, load_image: Callable[[str], Any],
                   load_font: Callable[[str, int], Any]) -> None:
        """Let ``image("ball.png")`` and ``text(font="name.ttf")`` load assets (the host).

        ``load_font(name, size)`` returns a ``GameFont`` that asset reloads update in place.
        """
        self._load_image, self._load_font = load_image, load_font

    def text(self, text: str, pos: Sequence[float], size: int = 16,
             colour: args.Colour = WHITE, font: str | Path | None = None) -> tuple[int, int]:
        """Draw ``text`` (lines split at "\\n") with its top-left at ``pos``; returns (w, h).

        ``font`` is a font file's asset name (``"fonts/pixel.ttf"``) or path; the default is
        the bundled DejaVu Sans Mono. Each line's texture is cached (``sandbox.sdl.text``).
        """
        where = "renderer.text()"
        if not isinstance(text, str):
            raise TypeError(f"{where}: text must be a str, got {text!r} (use str() or an f-string)")
        x, y = args.point(pos, where)
        if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
            raise ValueError(f"{where}: size must be a whole number of pixels > 0, got {size!r}")
        rgba = args.colour(colour, where)
        face = self._font(font, size)
        r = self.sdlrenderer
        width = 0
        lines = text.expandtabs(4).split("\n")  # SDL_ttf draws a tab as a missing-glyph box
        for i, line in enumerate(lines):
            if not line:
                continue
            tex, w, h = face.texture(line, rgba[:3])
            sdl2.SDL_SetTextureAlphaMod(tex, rgba[3])
            at = sdl2.SDL_Rect(int(x), int(y) + i * face.line_height, w, h)
            check(sdl2.SDL_RenderCopy(r, tex, None, at), "drawing text")
            width = max(width, w)
        return width, face.line_height * (len(lines) - 1) + face.height

    def _font(self, font: str | Path | None, size: int) -> Font:
        if isinstance(font, str) and self._load_font is not None:
            return self._asset_font(self._load_font, font, size)
        if font is not None and not isinstance(font, str | Path):
            raise TypeError(f"renderer.text(): font must be a file name or None, got {font!r}")
        path = FONT_PATH if font is None else Path(font)
        key = (str(path), size)
        face = self._fonts.get(key)
        if face is None:
            face = self._fonts[key] = Font(self.sdlrenderer, path, size)
        return face

    def _asset_font(self, load_font: Callable[[str, int], Any], name: str, size: int) -> Font:
        """The line cache over the asset library's font (a dict lookup once loaded).

        When the font file is saved, the library swaps a new face into the same ``GameFont``
        and closes the old one: lines drawn with it are dropped, never drawn with it again.
        """
        game_font = load_font(name, size)
        key = ("asset:" + name, size)
        face = self._fonts.get(key)
        if face is None or self._versions.get(key) != game_font.version:
            if face is not None:
                face.close()  # frees its textures; the face itself belongs to the GameFont
            face = self._fonts[key] = Font(self.sdlrenderer, size=size, face=game_font.face)
            self._versions[key] = game_font.version
        return face

    def image(self, image: str | Any, pos: Sequence[float], angle: float = 0.0,
              scale: float | Sequence[float] = 1.0, flip: Flip = Flip.NONE) -> None:
        """Draw a picture (an asset name or a texture) with its top-left at ``pos``.

        ``angle`` turns it clockwise in degrees about its centre; ``scale`` is one factor or
        (sx, sy); ``flip`` mirrors it.
        """
        where = "renderer.image()"
        if isinstance(image, str):
            if self._load_image is None:
                raise RuntimeError(f"{where}: no asset library in this session to load "
                                   f"{image!r}; pass a texture instead")
            image = self._load_image(image)
        tx, w, h = texture_of(image, where)
        x, y = args.point(pos, where)
        sx, sy = (scale, scale) if isinstance(scale, int | float) else args.point(
            scale, where, "scale")
        if not isinstance(flip, Flip):
            raise TypeError(f"{where}: flip must be a Flip (Flip.HORIZONTAL …), got {flip!r}")
        if not isinstance(angle, int | float):
            raise TypeError(f"{where}: angle must be a number of degrees, got {angle!r}")
        dst = sdl2.SDL_FRect(x, y, w * sx, h * sy)
        check(sdl2.SDL_RenderCopyExF(self.sdlrenderer, tx, None, dst, float(angle), None,
                                     flip.value), "drawing an image")

    def sprites(self, image: Any, positions: Sequence[Sequence[float]],
                size: Sequence[float] | None = None, src: Sequence[float] | None = None,
                colour: args.Colour = WHITE) -> None:
        """Draw ``image`` at every (x, y) of ``positions`` in one SDL call.

        ``src`` (x, y, w, h) draws that part of the texture; ``size`` scales every copy;
        ``colour`` tints (and with alpha < 255 fades) them all.
        """
        where = "renderer.sprites()"
        tx, w, h = texture_of(image, where)
        part = None if src is None else args.rect(src, where)
        dw, dh = (part[2], part[3]) if part is not None else (w, h)
        if size is not None:
            dw, dh = args.point(size, where, "size")
        quads = quads_at(positions, (dw, dh), part, (w, h), where)
        draw_quads(self.sdlrenderer, tx, quads, args.colour(colour, where))

    def batch(self, batch: SpriteBatch, colour: args.Colour = WHITE) -> None:
        """Draw every sprite of a ``SpriteBatch`` in one SDL call."""
        if not isinstance(batch, SpriteBatch):
            raise TypeError(f"renderer.batch(): expected a SpriteBatch, got {batch!r}")
        draw_quads(self.sdlrenderer, batch.sdl_texture, batch.quads(),
                   args.colour(colour, "renderer.batch()"))

    def destroy(self) -> None:
        """Free the text caches, then the renderer (``sdl2.ext.Renderer.destroy``)."""
        for face in getattr(self, "_fonts", {}).values():
            face.close()
        self._fonts = {}
        super().destroy()
