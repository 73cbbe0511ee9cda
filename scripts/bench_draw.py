"""Drawing throughput: the renderer's helpers against raw sdl2.ext calls and pygame-ce.

    python scripts/bench_draw.py --peer sandbox|pygame [--quick]   # prints JSON (a worker)

Each peer runs in its own process (pygame-ce ships its own copy of SDL). Everything draws
into a 640x480 window on SDL's dummy video driver with a software renderer (pygame-ce: the
display surface), so the figures compare the Python-to-pixels path of each API.

Times are the process's CPU time (``time.process_time``): every peer is single-threaded, and
on a shared machine wall time also counts the time other processes had the core.

- **items per frame**: a frame with N items minus an empty frame (both cleared and presented,
  because SDL's renderer queues commands until present) gives the cost of N items;
  ``N * 16.7 ms / cost`` is how many fit in a 60 fps frame. Rects are 16x16, opaque, at
  random positions fixed before timing; sprites are a 16x16 texture with alpha.
- **SDL alone**: the batch's own vertex arrays, built once before timing and handed to
  ``SDL_RenderGeometryRaw`` every frame: what SDL's software renderer costs with no Python
  at all, the ceiling of any Python-side work on the batch (a diagnostic, not a target).
- **text**: 20 lines whose text changes every frame (a counter), drawn after a first frame
  that has cached the glyphs; the median frame cost minus an empty frame.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

__all__ = ["FRAME", "main"]

FRAME = 1 / 60
SIZE = (640, 480)


def _positions(n: int, seed: int = 1) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    return [(rng.randrange(0, SIZE[0] - 16), rng.randrange(0, SIZE[1] - 16)) for _ in range(n)]


def _per_frame(frame: Callable[[int], None], n: int, repeats: int) -> dict[str, Any]:
    """Median cost of n items (frame(n) − frame(0)) and how many fit in 16.7 ms."""
    frame(n)  # warm-up: caches, textures, code paths
    full, empty = [], []
    for _ in range(repeats):
        t0 = time.process_time()
        frame(n)
        t1 = time.process_time()
        frame(0)
        t2 = time.process_time()
        full.append(t1 - t0)
        empty.append(t2 - t1)
    cost = max(statistics.median(full) - statistics.median(empty), 1e-9)
    return {"n": n, "full": full, "empty": empty, "per_frame": int(n * FRAME / cost)}


def _sandbox(n: int, repeats: int) -> dict[str, Any]:
    import sdl2
    import sdl2.ext

    from sandbox.sdl import Display

    display = Display("bench", SIZE, headless=True, readback=False)
    r = display.renderer
    rects = [(x, y, 16, 16) for x, y in _positions(n)]
    points = _positions(n)
    surf = sdl2.SDL_CreateRGBSurfaceWithFormat(0, 16, 16, 32, sdl2.SDL_PIXELFORMAT_RGBA32)
    sdl2.SDL_FillRect(surf, None, sdl2.SDL_MapRGBA(surf.contents.format, 255, 0, 0, 160))
    tex = sdl2.ext.Texture(r, surf.contents)
    sdl2.SDL_FreeSurface(surf)
    colour = (0, 200, 0)

    def framed(draw: Callable[[int], None]) -> Callable[[int], None]:
        def frame(k: int) -> None:
            r.clear((0, 0, 0))
            draw(k)
            display.present()
        return frame

    out: dict[str, Any] = {}
    out["rects: renderer.rects (one call)"] = _per_frame(
        framed(lambda k: r.rects(rects[:k], colour)), n, repeats)
    out["rects: renderer.fill_rect per rect"] = _per_frame(
        framed(lambda k: [r.fill_rect(rc, colour) for rc in rects[:k]]), n // 4, repeats)
    out["rects: sdl2.ext fill per rect"] = _per_frame(
        framed(lambda k: [r.fill(rc, colour) for rc in rects[:k]]), n // 8, repeats)
    out["sprites: renderer.sprites (one call)"] = _per_frame(
        framed(lambda k: r.sprites(tex, points[:k])), n, repeats)
    out["sprites: SDL alone (vertex arrays built once)"] = _per_frame(
        framed(_sdl_alone(r.sdlrenderer, tex.tx, points)), n, repeats)
    out["sprites: sdl2.ext copy per sprite"] = _per_frame(
        framed(lambda k: [r.copy(tex, dstrect=p) for p in points[:k]]), n // 4, repeats)
    out["text"] = _text(display, r, repeats)
    display.close()
    return out


def _sdl_alone(renderer: Any, texture: Any, points: list[tuple[int, int]]
               ) -> Callable[[int], None]:
    """Draw the first k of ``points`` from vertex arrays built once (see the module doc)."""
    import ctypes

    import sdl2

    from sandbox.sdl.geometry import quad_vertices
    from sandbox.sdl.sprites import quads_at

    n = len(points)
    xy, uv = quad_vertices(quads_at(points, (16, 16), None, (16, 16), "bench"))
    colours = bytearray(b"\xff" * (16 * n))
    indices = array("i", (4 * q + i for q in range(n) for i in (0, 1, 2, 0, 2, 3)))
    args = ((ctypes.c_float * len(xy)).from_buffer(xy),
            ctypes.cast((ctypes.c_ubyte * len(colours)).from_buffer(colours),
                        ctypes.POINTER(sdl2.SDL_Color)),
            (ctypes.c_float * len(uv)).from_buffer(uv),
            (ctypes.c_int * len(indices)).from_buffer(indices))

    def draw(k: int) -> None:
        if k:
            sdl2.SDL_RenderGeometryRaw(renderer, texture, args[0], 8, args[1], 4, args[2], 8,
                                       4 * k, args[3], 6 * k, 4)
    return draw


def _text(display: Any, r: Any, repeats: int) -> dict[str, Any]:
    """20 changing lines: the helper (glyph cache) and a texture per line (GameFont.render)."""
    from sandbox.sdl import FONT_PATH, GameFont

    counter = [0]

    def helper(k: int) -> None:
        r.clear((0, 0, 0))
        counter[0] += 1
        for i in range(k):
            r.text(f"line {i:2d}: frame {counter[0]} score {counter[0] * 7 + i}", (4, 4 + 22 * i),
                   size=16, colour=(255, 255, 255))
        display.present()

    font = GameFont(r.sdlrenderer, FONT_PATH, 16)

    def textures(k: int) -> None:
        r.clear((0, 0, 0))
        counter[0] += 1
        for i in range(k):
            tex = font.render(f"line {i:2d}: frame {counter[0]} score {counter[0] * 7 + i}",
                              (255, 255, 255))
            r.copy(tex, dstrect=(4, 4 + 22 * i))
            tex.destroy()
        display.present()

    result = {"renderer.text": _per_frame(helper, 20, repeats),
              "GameFont.render + copy per line": _per_frame(textures, 20, repeats)}
    font.close()
    return result


def _pygame(n: int, repeats: int) -> dict[str, Any]:
    os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
    import pygame

    pygame.display.init()
    screen = pygame.display.set_mode(SIZE)
    rects = [pygame.Rect(x, y, 16, 16) for x, y in _positions(n)]
    points = _positions(n)
    sprite = pygame.Surface((16, 16), pygame.SRCALPHA)
    sprite.fill((255, 0, 0, 160))
    sprite = sprite.convert_alpha()
    colour = (0, 200, 0)

    def framed(draw: Callable[[int], None]) -> Callable[[int], None]:
        def frame(k: int) -> None:
            screen.fill((0, 0, 0))
            draw(k)
            pygame.display.flip()
        return frame

    def fills(k: int) -> None:
        fill = screen.fill
        for rc in rects[:k]:
            fill(colour, rc)

    def blits(k: int) -> None:
        blit = screen.blit
        for p in points[:k]:
            blit(sprite, p)

    out = {
        "rects: pygame-ce fill per rect": _per_frame(framed(fills), n, repeats),
        "sprites: pygame-ce blit per sprite": _per_frame(framed(blits), n, repeats),
        "sprites: pygame-ce fblits (one call)": _per_frame(
            framed(lambda k: screen.fblits([(sprite, p) for p in points[:k]])), n, repeats),
    }
    pygame.quit()
    return out


def main(argv: list[str] | None = None) -> int:
    """Run one peer and print its numbers as JSON."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--peer", choices=("sandbox", "pygame"), required=True)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args(argv)
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    n, repeats = (200, 3) if a.quick else (4000, 21)
    try:
        result = _sandbox(n, repeats) if a.peer == "sandbox" else _pygame(n, repeats)
    except ImportError as exc:
        result = {"error": f"not installed (pip install -e '.[bench]'): {exc.name}"}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
