"""Display on real SDL (dummy driver): pixels, text, PNG, key events, errors."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.sdl import Display, SDLError, check

BLUE = (0, 0, 255)


@pytest.fixture
def display() -> Iterator[Display]:
    with Display("test", (640, 480), headless=True) as d:
        yield d


def test_clear_fill_and_pixels(display: Display) -> None:
    display.renderer.clear(BLUE)
    display.renderer.fill((100, 100, 50, 50), (255, 128, 128))
    display.present()
    assert display.pixel(0, 0) == (0, 0, 255, 255)
    assert display.pixel(125, 125) == (255, 128, 128, 255)
    assert display.pixel(150, 150) == (0, 0, 255, 255)
    data = display.pixels()
    assert len(data) == 640 * 480 * 4
    assert data[:4] == bytes((0, 0, 255, 255))


def test_pixel_is_the_presented_frame_not_the_next_one(display: Display) -> None:
    display.clear((10, 20, 30))
    display.present()
    display.clear((200, 200, 200))  # drawn but not presented
    assert display.pixel(5, 5) == (10, 20, 30, 255)


def test_fill_rect_blends_and_restores_renderer_state(display: Display) -> None:
    display.clear((0, 0, 0))
    display.fill_rect(0, 0, 10, 10, (255, 0, 0, 128))
    # A game that draws with alpha 0 (as the seed does) must still draw opaquely afterwards.
    display.renderer.fill((20, 20, 10, 10), (0, 255, 0, 0))
    display.present()
    r, g, b, _ = display.pixel(5, 5)
    assert 120 <= r <= 135 and g == 0 and b == 0
    assert display.pixel(25, 25)[:3] == (0, 255, 0)


def test_fill_rect_gives_the_game_its_blend_mode_and_colour_back_at_present(
    display: Display,
) -> None:
    import sdl2

    game = display.renderer
    game.blendmode, game.color = sdl2.SDL_BLENDMODE_ADD, (1, 2, 3, 4)
    display.fill_rect(0, 0, 10, 10, (255, 0, 0, 128))
    display.fill_rect(10, 0, 10, 10, (0, 255, 0))  # another colour, opaque
    display.fill_rect(20, 0, 10, 10, (0, 255, 0))
    display.present()
    # Read through the renderer the game kept, so the property's own restore is not used.
    assert game.blendmode.value == sdl2.SDL_BLENDMODE_ADD
    assert tuple(game.color) == (1, 2, 3, 4)
    assert display.pixel(25, 5)[:3] == (0, 255, 0)


def test_fill_rect_after_the_game_drew_uses_its_own_colour(display: Display) -> None:
    import sdl2

    display.clear((0, 0, 0))
    display.fill_rect(0, 0, 10, 10, (255, 0, 0, 255))
    # Fetching the renderer hands it back as the game left it: blending off, its colour.
    game = display.renderer
    assert game.blendmode.value == sdl2.SDL_BLENDMODE_NONE
    game.color = (0, 0, 255, 255)
    game.fill((40, 0, 10, 10))
    display.fill_rect(20, 0, 10, 10, (255, 0, 0, 255))  # the same red as before the game drew
    display.present()
    assert display.pixel(45, 5)[:3] == (0, 0, 255)
    assert display.pixel(25, 5)[:3] == (255, 0, 0)
    assert tuple(game.color) == (0, 0, 255, 255)


def test_text_draws_and_measures(display: Display) -> None:
    display.clear((0, 0, 0))
    width = display.text(10, 10, "Hello", (255, 255, 0))
    display.present()
    w, h = display.text_size("Hello")
    assert width == w > 0 and h > 0 and display.line_height >= h - 2
    assert display.text_size("MMMM")[0] == 4 * display.text_size("M")[0]  # monospaced
    lit = [display.pixel(x, y) for x in range(10, 10 + w) for y in range(10, 10 + h)]
    assert any(p[0] > 200 and p[1] > 200 and p[2] < 50 for p in lit)
    assert display.text(0, 0, "") == 0


def test_save_png(display: Display, tmp_path: Path) -> None:
    display.clear((1, 2, 3))
    display.present()
    out = display.save_png(tmp_path / "shot.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_draw_frame_restores_a_read_back_frame(display: Display) -> None:
    display.clear(BLUE)
    display.renderer.fill((0, 0, 5, 5), (255, 255, 255))
    held = display.read_frame()
    display.clear((0, 0, 0))
    display.draw_frame(held)
    display.present()
    assert display.pixel(2, 2) == (255, 255, 255, 255)
    assert display.pixel(300, 300) == (0, 0, 255, 255)


def test_push_key_round_trips_through_sdl(display: Display) -> None:
    display.push_key("F9")
    display.push_key("Escape")
    names = [display.key_of(e) for e in display.poll()]
    assert names == ["F9", None, "Escape", None]  # key-down named, key-up not
    with pytest.raises(ValueError, match="unknown key name"):
        display.push_key("NoSuchKey")


def test_fill_rects_draws_what_as_many_fill_rects_would_and_gives_state_back(
    display: Display,
) -> None:
    import sdl2

    rects = [(0, 0, 10, 10), (5, 5, 10, 10), (30, 0, 4, 4)]  # overlapping: blended twice
    frames = []
    for batched in (False, True):
        display.clear((0, 0, 200))
        if batched:
            display.fill_rects(rects, (255, 0, 0, 128))
        else:
            for rect in rects:
                display.fill_rect(*rect, (255, 0, 0, 128))
        display.fill_rects([], (0, 255, 0, 255))  # nothing to fill: no SDL error
        display.present()
        frames.append(display.pixels())
    assert frames[0] == frames[1]
    assert display.pixel(7, 7) != display.pixel(2, 2) != display.pixel(50, 50)
    game = display.renderer
    game.blendmode, game.color = sdl2.SDL_BLENDMODE_ADD, (1, 2, 3, 4)
    display.fill_rects(rects, (0, 255, 0))
    display.present()
    assert game.blendmode.value == sdl2.SDL_BLENDMODE_ADD and tuple(game.color) == (1, 2, 3, 4)


def test_the_x11_name_is_left_alone_without_x11(display: Display) -> None:
    import sdl2

    from sandbox.sdl.x11_name import name_window, x11_handles

    window = sdl2.SDL_CreateWindow(b"x", 0, 0, 10, 10, sdl2.SDL_WINDOW_HIDDEN)
    try:
        assert x11_handles(window) is None  # the dummy driver: no X display, no X window
        assert name_window(window, "x") is False
    finally:
        sdl2.SDL_DestroyWindow(window)
    display.set_title("still renamed")  # set_title calls it: nothing raised, SDL's title set
    assert display.title == "still renamed"


def test_title_and_size(display: Display) -> None:
    display.set_title("renamed")
    assert display.title == "renamed"
    display.set_size((320, 200))
    display.clear((9, 9, 9))
    display.present()
    assert display.size == (320, 200)
    assert display.pixel(319, 199) == (9, 9, 9, 255)
    assert len(display.pixels()) == 320 * 200 * 4
    with pytest.raises(IndexError):
        display.pixel(320, 0)


def test_check_turns_failures_into_sdl_errors() -> None:
    assert check(0, "doing nothing") == 0
    with pytest.raises(SDLError, match=r"^Error encountered opening a thing: "):
        check(-1, "opening a thing")
    with pytest.raises(SDLError, match="Error encountered getting a pointer"):
        check(None, "getting a pointer")


def test_no_display_suggests_headless() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY")}
    code = ("from sandbox.sdl import Display, NoDisplayError\n"
            "try:\n    Display('x', (64, 64))\n"
            "except NoDisplayError as e:\n    print('ERR', e)\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=60)
    assert "ERR No display" in out.stdout and "--headless" in out.stdout


def test_to_rgba_converts_a_window_format_frame_and_refuses_a_wrong_size() -> None:
    import sdl2

    from sandbox.sdl.pixels import to_rgba

    # ARGB8888 packs a pixel as the native-endian 32-bit value 0xAARRGGBB.
    argb = sdl2.SDL_PIXELFORMAT_ARGB8888
    frame = bytearray((0x80102030).to_bytes(4, sys.byteorder) * 2)
    assert to_rgba(frame, (2, 1), argb) == bytearray((0x10, 0x20, 0x30, 0x80) * 2)
    with pytest.raises(ValueError, match="expected 12 bytes for 3x1, got 8"):
        to_rgba(frame, (3, 1), argb)  # SDL would read past the end of the buffer
