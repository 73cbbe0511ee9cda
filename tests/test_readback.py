"""Frame read-back reuses its buffers, yet every frame someone keeps stays as it was read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox import Host
from sandbox.sdl import Display


@pytest.fixture
def display() -> Iterator[Display]:
    with Display("readback", (64, 48), headless=True) as d:
        yield d


def shown(display: Display, rgb: tuple[int, int, int]) -> None:
    display.clear(rgb)
    display.present()


def test_a_frame_taken_from_last_frame_is_never_written_again(display: Display) -> None:
    shown(display, (10, 20, 30))
    kept = display.last_frame
    assert kept is not None
    before = bytes(kept)
    for colour in ((200, 0, 0), (0, 200, 0), (0, 0, 200), (9, 9, 9)):
        shown(display, colour)
        assert display.pixel(3, 3) == (*colour, 255)
    assert bytes(kept) == before


def test_a_recycled_buffer_is_filled_by_the_next_read(display: Display) -> None:
    shown(display, (1, 2, 3))
    frame = display.read_frame()
    display.recycle(frame)
    display.recycle(frame)  # twice is harmless
    again = display.read_frame()
    assert again is frame
    display.recycle(bytearray(10))  # a wrong size is not kept
    assert len(display.read_frame()) == 64 * 48 * 4


def test_the_presented_frame_is_never_recycled(display: Display) -> None:
    shown(display, (5, 6, 7))
    current = display.last_frame
    assert current is not None
    display.recycle(current)
    assert display.read_frame() is not current
    assert display.pixel(0, 0) == (5, 6, 7, 255)


def test_a_draw_that_fails_again_and_again_still_freezes_the_last_good_frame(
        tmp_path: Path) -> None:
    game = tmp_path / "failing"
    game.mkdir()
    (game / "main.py").write_text(
        "SIZE = (64, 48)\n"
        "frames = 0\n"
        "def draw(renderer):\n"
        "    global frames\n"
        "    frames += 1\n"
        "    renderer.clear((frames * 20, 0, 0))\n"
        "    if frames >= 5:\n"
        "        raise RuntimeError('draw broke')\n")
    with Host(game, headless=True) as host:
        host.step(4)
        assert host.display is not None and host.display.last_frame is not None
        assert host.display.pixel(60, 2)[:3] == (80, 0, 0)
        fourth = bytes(host.display.last_frame)
        host.step(3)  # frame 5 fails: the panel over frame 4, then frozen frames
        assert host.last_error is not None
        host.reload()  # retries draw(), which fails again: frozen again, on the same frame
        host.step(3)
        frozen = host.screen.frozen
        assert frozen is not None and bytes(frozen) == fourth
