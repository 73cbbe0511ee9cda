"""The sandbox's UI must not hide or pollute the game (issue 15, item 6).

The loop badge sits top right, out of the player's way (breakout's paddle is at the bottom);
the error panel folds to one line (F2); the HUD and the help are opaque, so the game's own
text never shows through theirs.
"""

from __future__ import annotations

import os
from pathlib import Path

from gamefiles import BLUE

from sandbox.host import Host
from sandbox.overlay import HUD_PANEL
from sandbox.sdl import write_png

GAME = '''\
from sandbox import assets

SIZE = (320, 240)
BACKGROUND = (200, 200, 200)


def load():
    global TEX
    TEX = assets.image("ball.png")


def draw(renderer):
    renderer.clear(BACKGROUND)
    renderer.copy(TEX, dstrect=(150, 10, 20, 20))
'''


def png(path: Path, rgba: tuple[int, int, int, int]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    write_png(tmp, (4, 4), bytes(rgba) * 16)
    os.replace(tmp, path)


def test_the_loop_badge_is_top_right_not_over_the_bottom(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        assert host.display is not None
        width, height = host.display.size
        host.step(5)
        host.press("F6")
        host.step(3)
        assert host.pixel(width - 3, height - 3) == BLUE  # the bottom right is the game's
        assert host.pixel(width - 3, 3) != BLUE           # the badge
        assert host.pixel(width - 3, 40) == BLUE          # and it is small


def test_the_error_panel_folds_to_one_line_and_back(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(GAME)
    png(tmp_path / "ball.png", (255, 0, 0, 255))
    with Host(tmp_path, headless=True, watch=False) as host:
        host.step(1)
        (tmp_path / "ball.png").write_bytes(b"not a png")
        host.press("F9")  # the broken image: the panel, the game keeps running
        host.step(1)
        assert host.last_error is not None and not host.paused
        grey = (200, 200, 200, 255)
        assert host.pixel(5, 200) != grey  # the panel covers the bottom rows
        host.press("F2")
        host.step(1)
        assert host.pixel(5, 200) == grey  # folded: the game shows
        assert host.pixel(5, 236) != grey  # one line is left at the very bottom
        host.press("F2")
        host.step(1)
        assert host.pixel(5, 200) != grey  # unfolded again


def test_the_help_and_hud_are_opaque(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(GAME)
    png(tmp_path / "ball.png", (255, 0, 0, 255))
    seen = []
    for background in ((255, 255, 255), (0, 0, 0)):
        (tmp_path / "main.py").write_text(GAME.replace("(200, 200, 200)", repr(background)))
        with Host(tmp_path, headless=True, watch=False) as host:
            host.step(1)
            host.press("F1")
            host.step(1)
            seen.append(host.pixel(310, 5))  # inside the help panel, right of its text
            host.press("F1")
            host.press("F3")
            host.step(1)
            seen.append(host.pixel(310, 5))
    assert seen == [HUD_PANEL] * 4
