"""The drawing helpers of ``draw``'s renderer, on real SDL: pixels, golden images, errors.

Every helper draws into a small headless window; exact pixels are asserted where the shape
is simple, and a golden image (tests/expected/draw_*.png, see tests/golden.py) covers the
whole picture. Each bad argument gets its own message naming the helper.
"""

from __future__ import annotations

import ctypes
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sdl2
from golden import assert_matches_golden

from sandbox import Flip, Host, Renderer, SpriteBatch
from sandbox.sdl import Display, load_texture, write_png

BG = (20, 20, 40)
RED, GREEN, WHITE = (255, 0, 0), (0, 255, 0), (255, 255, 255)


@pytest.fixture
def display() -> Iterator[Display]:
    with Display("draw", (160, 120), headless=True) as d:
        d.clear(BG)
        yield d


@pytest.fixture
def sprite(display: Display, tmp_path: Path) -> Any:
    """A 16x16 texture: a translucent red frame around an opaque white 8x8 centre."""
    px = bytearray()
    for y in range(16):
        for x in range(16):
            centre = 4 <= x < 12 and 4 <= y < 12
            px += bytes((255, 255, 255, 255) if centre else (255, 0, 0, 128))
    write_png(tmp_path / "sprite.png", (16, 16), px)
    return load_texture(display.renderer, tmp_path / "sprite.png")


def at(display: Display, x: int, y: int) -> tuple[int, int, int]:
    return display.pixel(x, y)[:3]


def test_draw_gets_an_sdl2_ext_renderer_with_helpers(display: Display) -> None:
    import sdl2.ext

    assert isinstance(display.renderer, sdl2.ext.Renderer)
    assert isinstance(display.renderer, Renderer)


def test_fill_rect_rect_and_rects(display: Display) -> None:
    r = display.renderer
    r.fill_rect((10, 10, 20, 10), RED)
    r.fill_rect((20, 15, 20, 10), (0, 255, 0, 128))
    r.rect((50, 10, 30, 20), WHITE, width=3)
    r.rects([(90 + 6 * i, 10, 4, 4) for i in range(10)], (255, 255, 0))
    r.rects([(90.5, 20.25, 50, 2)], (0, 200, 255))  # floats too
    display.present()
    assert at(display, 12, 12) == RED
    red_over_green = at(display, 25, 17)
    assert 120 <= red_over_green[0] <= 135 and 120 <= red_over_green[1] <= 135
    r2, g2, b2 = at(display, 35, 22)  # green at alpha 128 over the background
    assert 8 <= r2 <= 12 and 135 <= g2 <= 140 and 18 <= b2 <= 22
    assert at(display, 50, 10) == WHITE and at(display, 52, 12) == WHITE
    assert at(display, 53, 13) == BG  # inside the 3-pixel outline
    assert at(display, 91, 11) == (255, 255, 0) and at(display, 94, 11) == BG
    assert at(display, 100, 21) == (0, 200, 255)
    assert_matches_golden(display, "draw_rects")


def test_line_and_circle(display: Display) -> None:
    r = display.renderer
    r.line((10, 10), (70, 10), WHITE)
    r.line((10, 30), (70, 60), (255, 128, 0), width=6)
    r.circle((110, 40), 20, (200, 0, 200))
    r.circle((110, 95), 15, WHITE, width=3)
    display.present()
    assert at(display, 40, 10) == WHITE and at(display, 40, 11) == BG
    assert at(display, 40, 45) == (255, 128, 0)
    assert at(display, 110, 40) == (200, 0, 200)
    assert at(display, 110, 21) == (200, 0, 200) and at(display, 110, 19) == BG
    assert at(display, 110, 95) == BG and at(display, 110, 81) == WHITE
    assert_matches_golden(display, "draw_shapes")


def test_text_returns_its_size_and_caches_lines(display: Display) -> None:
    r = display.renderer
    w, h = r.text("Hello 42", (5, 5), size=16, colour=(255, 255, 0))
    w2, h2 = r.text("two\nlines", (5, 40), size=12)
    r.text("faded", (80, 5), colour=(255, 255, 255, 100))
    display.present()
    assert w > 50 and 15 <= h <= 22
    assert h2 > 25 and w2 > 20
    yellow = [p for x in range(5, 5 + w) for y in range(5, 5 + h)
              if (p := at(display, x, y)) == (255, 255, 0)]
    assert yellow, "no glyph pixel in the text's colour"
    assert_matches_golden(display, "draw_text")


def test_image_sprites_and_batch(display: Display, sprite: Any) -> None:
    r = display.renderer
    r.image(sprite, (4, 4))
    r.image(sprite, (30, 4), angle=45, scale=2, flip=Flip.HORIZONTAL)
    r.image(sprite, (70, 4), scale=(2, 1))
    r.sprites(sprite, [(4 + 10 * i, 60) for i in range(10)])
    r.sprites(sprite, [(4 + 10 * i, 80) for i in range(10)], src=(4, 4, 8, 8))
    batch = SpriteBatch(sprite)
    batch.add((4, 100))
    batch.add((30, 96), src=(0, 0, 8, 8), size=(24, 24))
    r.batch(batch)
    display.present()
    assert at(display, 8, 8) == WHITE
    frame = at(display, 4, 4)
    assert 130 <= frame[0] <= 140 and frame[1] < 30  # red at alpha 128 over the background
    assert at(display, 86, 84) == WHITE and len(batch) == 2
    assert_matches_golden(display, "draw_sprites")


def _one_call_per_sprite(r: Any, sprite: Any, positions: list[tuple[float, float]],
                         size: tuple[int, int], src: tuple[int, int, int, int]) -> None:
    """The oracle: SDL_RenderGeometry per sprite, its four corners written out one by one."""
    w, h = size
    u0, v0, u1, v1 = src[0] / 16, src[1] / 16, (src[0] + src[2]) / 16, (src[1] + src[3]) / 16
    white = sdl2.SDL_Color(255, 255, 255, 255)
    indices = (ctypes.c_int * 6)(0, 1, 2, 0, 2, 3)
    for x, y in positions:
        corners = ((x, y, u0, v0), (x + w, y, u1, v0), (x + w, y + h, u1, v1), (x, y + h, u0, v1))
        vertices = (sdl2.SDL_Vertex * 4)(*(sdl2.SDL_Vertex(sdl2.SDL_FPoint(cx, cy), white,
                                                           sdl2.SDL_FPoint(cu, cv))
                                           for cx, cy, cu, cv in corners))
        assert sdl2.SDL_RenderGeometry(r.sdlrenderer, sprite.tx, vertices, 4, indices, 6) == 0


def test_sprites_draw_exactly_what_a_call_per_sprite_draws(display: Display, sprite: Any) -> None:
    """The batch builds its vertices in bulk; SDL given each sprite on its own is the oracle."""
    rng = random.Random(7)
    whole = [(rng.randrange(-8, 150), rng.randrange(-8, 110)) for _ in range(60)]
    eighths = [(rng.randrange(-64, 1200) / 8, rng.randrange(-64, 880) / 8) for _ in range(60)]
    r = display.renderer

    def frame(draw: Callable[..., object], *args: Any, **kwargs: Any) -> bytes:
        display.clear(BG)
        draw(*args, **kwargs)
        display.present()
        return display.pixels()

    nothing = frame(lambda: None)
    for positions in (whole, eighths):
        for size, src in (((16, 16), None), ((10, 6), (4, 2, 8, 8))):
            batched = frame(r.sprites, sprite, positions, size=size, src=src)
            assert batched == frame(_one_call_per_sprite, r, sprite, positions, size,
                                    src or (0, 0, 16, 16))
            assert batched != nothing

    def copies() -> None:  # whole pixels: SDL_RenderCopy per sprite agrees too
        for x, y in whole:
            sdl2.SDL_RenderCopy(r.sdlrenderer, sprite.tx, None, sdl2.SDL_Rect(x, y, 16, 16))

    assert frame(r.sprites, sprite, whole) == frame(copies)


def test_bad_sprite_positions_say_what_was_expected(display: Display, sprite: Any) -> None:
    r = display.renderer
    for bad in (5, [(0, "a")], [{"x": 1, "y": 2}], [(1,)]):
        with pytest.raises(TypeError, match=r"renderer.sprites\(\): positions must be a list "
                                            r"of \(x, y\)"):
            r.sprites(sprite, bad)
    batch = SpriteBatch(sprite)
    batch.add(("a", 0))
    with pytest.raises(TypeError, match=r"renderer.batch\(\): every sprite's position and size "
                                        r"must be numbers"):
        r.batch(batch)


def test_helpers_give_the_game_its_colour_and_blend_mode_back(display: Display) -> None:
    r = display.renderer
    r.color = (0, 0, 255, 0)  # the seed's style: colour with alpha 0, no blending
    r.fill_rect((0, 0, 10, 10), (255, 0, 0, 100))  # a translucent helper: blending on
    r.fill((20, 20, 10, 10))  # the game's own colour and blend mode again
    display.present()
    assert at(display, 25, 25) == (0, 0, 255)
    assert tuple(r.color) == (0, 0, 255, 0)


def test_a_fill_in_its_own_colour_leaves_the_game_its_colour_and_blend_mode(
        display: Display) -> None:
    """pysdl2's ``fill(rects, color)``: that colour there, in the game's blend mode; after it
    the game's colour for a fill without one, and from ``color``."""
    r = display.renderer
    r.clear((0, 0, 0))
    r.color = (0, 0, 255, 255)  # opaque: pysdl2 gives (r, g, b) alpha 0, invisible blended
    r.blendmode = sdl2.SDL_BLENDMODE_BLEND
    r.fill((0, 0, 10, 10), (255, 0, 0, 128))  # blended, as the game's blend mode says
    r.fill((20, 0, 10, 10), sdl2.ext.Color(0, 255, 0))
    assert tuple(r.color) == (0, 0, 255, 255) and r.blendmode.value == sdl2.SDL_BLENDMODE_BLEND
    r.fill((40, 0, 10, 10))  # no colour: the game's
    r.clear()  # nothing left lent either: the game's colour, all over
    display.present()
    assert at(display, 5, 5) == at(display, 45, 5) == (0, 0, 255)
    r.clear((0, 0, 0))
    r.fill((0, 0, 10, 10), (255, 0, 0, 128))
    r.fill((20, 0, 10, 10), (0, 255, 0, 255))
    r.fill((40, 0, 10, 10))
    display.present()
    red = at(display, 5, 5)
    assert abs(red[0] - 128) <= 1 and red[1:] == (0, 0)
    assert at(display, 25, 5) == (0, 255, 0)
    assert at(display, 45, 5) == (0, 0, 255)


def test_image_by_name_and_text_in_a_game_font_through_the_host(tmp_path: Path) -> None:
    game = tmp_path / "drawgame"
    game.mkdir()
    write_png(game / "ball.png", (4, 4), bytes((0, 255, 0, 255)) * 16)
    (game / "main.py").write_text(
        "SIZE = (64, 48)\n"
        "def draw(renderer):\n"
        "    renderer.clear((0, 0, 0))\n"
        "    renderer.image('ball.png', (10, 10), scale=2)\n"
        "    renderer.text('hi', (30, 10), font='fonts/DejaVuSansMono.ttf', size=10)\n")
    with Host(game, headless=True) as host:
        host.step(1)
        assert host.last_error is None
        assert host.display is not None
        assert host.display.pixel(17, 17)[:3] == (0, 255, 0)
        assert host.display.pixel(18, 18)[:3] == (0, 0, 0)


@pytest.mark.parametrize(("call", "message"), [
    (lambda r: r.fill_rect((0, 0, 5, 5), "red"), "renderer.fill_rect(): colour must be (r, g, b)"),
    (lambda r: r.fill_rect((0, 0, 5, 5), (255, 0, 300)), "colour values must be 0-255"),
    (lambda r: r.fill_rect((0, 0, 5), RED), "renderer.fill_rect(): rect must be (x, y, w, h)"),
    (lambda r: r.rect((0, 0, -5, 5), RED), "width and height must be ≥ 0"),
    (lambda r: r.rect((0, 0, 5, 5), RED, width=0), "renderer.rect(): width must be > 0"),
    (lambda r: r.rects([(0, 0, 5, 5), (1, 2, 3)], RED), "every rect must be (x, y, w, h)"),
    (lambda r: r.rects([(0, 0, 5, "x")], RED), "got (0, 0, 5, 'x')"),
    (lambda r: r.line((0, 0), (5,), RED), "renderer.line(): end must be (x, y)"),
    (lambda r: r.circle((5, 5), -1, RED), "renderer.circle(): radius must be ≥ 0"),
    (lambda r: r.circle((5, 5), "3", RED), "radius must be a number"),
    (lambda r: r.text(42, (0, 0)), "text must be a str, got 42 (use str() or an f-string)"),
    (lambda r: r.text("x", (0, 0), size=0), "size must be a whole number of pixels > 0"),
    (lambda r: r.text("x", (0, 0), font=3), "font must be a file name or None"),
    (lambda r: r.image(3, (0, 0)), "renderer.image(): expected a texture"),
    (lambda r: r.image("ball.png", (0, 0)), "no asset library in this session"),
    (lambda r: r.sprites(None, [(0, 0)]), "renderer.sprites(): expected a texture"),
    (lambda r: r.batch([]), "renderer.batch(): expected a SpriteBatch"),
])
def test_bad_arguments_say_what_was_expected(display: Display, call: Any, message: str) -> None:
    with pytest.raises((TypeError, ValueError, RuntimeError)) as info:
        call(display.renderer)
    assert message in str(info.value)


def test_bad_arguments_needing_a_texture(display: Display, sprite: Any) -> None:
    r = display.renderer
    with pytest.raises(TypeError, match=r"flip must be a Flip \(Flip.HORIZONTAL …\), got 'h'"):
        r.image(sprite, (0, 0), flip="h")
    with pytest.raises(TypeError, match=r"angle must be a number of degrees"):
        r.image(sprite, (0, 0), angle="90")
    with pytest.raises(TypeError, match=r"positions must be a list of \(x, y\)"):
        r.sprites(sprite, [(0, 0), 5])
    with pytest.raises(TypeError, match=r"SpriteBatch\(\): expected a texture"):
        SpriteBatch("sprite.png")
    with pytest.raises(TypeError, match=r"renderer.image\(\): scale must be \(x, y\), got '2'"):
        r.image(sprite, (0, 0), scale="2")
    with pytest.raises(TypeError, match=r"renderer.sprites\(\): size must be \(x, y\)"):
        r.sprites(sprite, [(0, 0)], size=16)
    with pytest.raises(ValueError, match=r"renderer.sprites\(\): rect width and height"):
        r.sprites(sprite, [(0, 0)], src=(0, 0, -4, 4))


def test_a_bad_argument_in_draw_is_shown_and_the_session_goes_on(tmp_path: Path) -> None:
    game = tmp_path / "badgame"
    game.mkdir()
    (game / "main.py").write_text(
        "SIZE = (64, 48)\n"
        "def draw(renderer):\n"
        "    renderer.fill_rect((0, 0, 8, 8), 'red')\n")
    with Host(game, headless=True) as host:
        host.step(2)
        assert host.last_error is not None and host.running
        assert "colour must be (r, g, b)" in host.last_error.message
        assert host.last_error.line == 3


def test_a_game_using_the_helpers_type_checks_and_a_wrong_call_does_not(tmp_path: Path) -> None:
    import subprocess
    import sys

    good = tmp_path / "good.py"
    good.write_text(
        "from sandbox import Flip, Renderer, SpriteBatch\n"
        "def draw(renderer: Renderer, batch: SpriteBatch) -> None:\n"
        "    renderer.fill_rect((1, 2, 3, 4), (255, 0, 0))\n"
        "    renderer.rects([(1, 2, 3, 4)], (0, 0, 0, 128))\n"
        "    renderer.circle((5, 5), 3.5, (1, 2, 3), width=1)\n"
        "    w, h = renderer.text('score', (0, 0), size=12)\n"
        "    renderer.image('ship.png', (w, h), angle=90, flip=Flip.VERTICAL)\n"
        "    renderer.batch(batch)\n")
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from sandbox import Renderer\n"
        "def draw(renderer: Renderer) -> None:\n"
        "    renderer.circle((5, 5), 'big', (1, 2, 3))\n")
    cmd = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
           "--cache-dir", str(tmp_path / "cache")]
    ok = subprocess.run([*cmd, str(good)], capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stdout
    wrong = subprocess.run([*cmd, str(bad)], capture_output=True, text=True, check=False)
    assert wrong.returncode == 1
    assert 'bad.py:3: error: Argument 2 to "circle" of "Renderer"' in wrong.stdout


def test_text_in_a_game_font_follows_the_font_file_when_it_is_saved(tmp_path: Path) -> None:
    import os
    import shutil

    from sandbox.sdl import FONT_PATH

    game = tmp_path / "fontgame"
    game.mkdir()
    shutil.copy(FONT_PATH, game / "face.ttf")
    (game / "main.py").write_text(
        "SIZE = (96, 32)\n"
        "label = 'Hi 7'\n"
        "def draw(renderer):\n"
        "    renderer.clear((0, 0, 0))\n"
        "    renderer.text(label, (2, 2), font='face.ttf', size=14)\n")
    with Display("expected", (96, 32), headless=True) as expected:
        expected.clear((0, 0, 0))
        expected.renderer.text("Yo 8", (2, 2), font=FONT_PATH, size=14)
        expected.present()
        want = expected.pixels()
    with Host(game, headless=True, watch=False) as host:
        host.step(1)
        assert host.display is not None and host.assets is not None
        stat = (game / "face.ttf").stat()  # saved again: a later mtime, the same face
        os.utime(game / "face.ttf", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
        assert [e.error for e in host.assets.refresh(None)] == [None]
        host.game.label = "Yo 8"  # a new line: rendered with the swapped-in face
        host.step(1)
        assert host.last_error is None
        assert host.display.pixels() == want
