"""The sandbox's UI must not hide or pollute the game (issue 15, item 6).

The loop badge sits top right, out of the player's way (breakout's paddle is at the bottom);
the error panel folds to one line (F2); the HUD and the help are opaque, so the game's own
text never shows through theirs.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from gamefiles import BLUE

from sandbox.host import Host
from sandbox.overlay import HUD_PANEL, strip_height
from sandbox.sdl import push_event, write_png
from sandbox.tweak_layout import TOP

REPO = Path(__file__).resolve().parent.parent

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


def test_the_folded_strip_leaves_breakouts_paddle_whole(tmp_path: Path) -> None:
    """Breakout's paddle is rows 330-339 of 360: the folded strip fits the 20 rows below."""
    game = tmp_path / "breakout"
    shutil.copytree(REPO / "games" / "breakout", game,
                    ignore=shutil.ignore_patterns("__pycache__"))
    with Host(game, headless=True, watch=False) as host:
        host.step(1)
        paddle, main = host.game.paddle, host.game
        left = int(paddle.x - paddle.WIDTH / 2)
        rows = range(paddle.Y, paddle.Y + paddle.HEIGHT)
        colour = (*paddle.COLOUR, 255)
        assert all(host.pixel(left + 5, y) == colour for y in rows)  # the paddle, no overlay
        (game / "ball.png").write_bytes(b"not a png")
        host.press("F9")  # the broken image: the error panel, the game keeps running
        host.press("F2")  # folded to one line
        host.step(1)
        assert host.last_error is not None and host.overlay.fold_errors and not host.paused
        width, height = main.SIZE
        for x in (left + 1, left + paddle.WIDTH // 2, left + paddle.WIDTH - 2):
            assert [host.pixel(x, y) for y in rows] == [colour] * len(rows)
        below = (*main.BACKGROUND, 255)
        assert host.pixel(left + 5, paddle.Y + paddle.HEIGHT) == below  # a row of game between
        assert host.pixel(left + 5, height - 1) != below  # the strip, at the very bottom
        assert host.pixel(width - 1, height - 1) != below  # across the whole width


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


def test_screenshots_save_the_games_frame_not_the_overlays(bounce_copy: Path,
                                                          tmp_path: Path) -> None:
    from sandbox.sdl import read_png

    def at(png: Path, x: int, y: int) -> tuple[int, ...]:
        w, _, rgba = read_png(png)
        i = (y * w + x) * 4
        return tuple(rgba[i:i + 4])

    with Host(bounce_copy, headless=True, watch=False) as host:
        assert host.display is not None
        width = host.display.size[0]
        host.step(5)
        host.press("F6")  # the loop badge, top right
        host.press("F3")  # the HUD, top
        host.step(2)
        assert host.pixel(width - 3, 3) != BLUE and host.pixel(400, 100) != BLUE
        game, shown = tmp_path / "game.png", tmp_path / "shown.png"
        host.screenshot(game)
        host.screenshot(shown, overlays=True)
        assert at(game, width - 3, 3) == BLUE and at(game, 400, 100) == BLUE
        assert at(shown, width - 3, 3) == host.pixel(width - 3, 3)
        assert read_png(shown)[2] == host.display.pixels()


def test_a_screenshot_while_paused_on_an_error_is_the_frozen_game(bounce_copy: Path,
                                                                  tmp_path: Path) -> None:
    from gamefiles import edit

    from sandbox.sdl import read_png

    main = bounce_copy / "main.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(10)
        assert host.display is not None
        before = host.display.pixels()
        edit(main, "    pos_y += dy\n", "    pos_y += dy\n    raise ValueError('stop')\n")
        assert host.reload().ok
        host.step(2)
        assert host.paused and host.display.pixels() != before  # the panel is shown
        shot = host.screenshot(tmp_path / "paused.png")
        assert read_png(shot)[2] == before  # the last good frame, without the panel


def test_the_command_line_can_ask_for_the_overlays(bounce_copy: Path, tmp_path: Path) -> None:
    from sandbox.cli import main
    from sandbox.sdl import read_png

    plain, with_hud = tmp_path / "plain.png", tmp_path / "overlays.png"
    with (bounce_copy / "main.py").open("a") as f:
        f.write("\n\ndef drow(renderer):\n    pass\n")
    assert main([str(bounce_copy), "--headless", "--no-watch", "--frames", "3",
                 "--screenshot", str(plain)]) == 0
    assert main([str(bounce_copy), "--headless", "--no-watch", "--frames", "3",
                 "--screenshot", str(with_hud), "--screenshot-overlays"]) == 0
    w, h, rgba = read_png(plain)
    bottom_left = ((h - 3) * w + 2) * 4
    assert tuple(rgba[bottom_left:bottom_left + 4]) == BLUE  # no notice strip in the game
    assert read_png(with_hud)[2][bottom_left:bottom_left + 4] != bytes(BLUE)


def test_f10_shows_a_pause_badge_top_right_under_the_loop_badge_not_in_screenshots(
        bounce_copy: Path, tmp_path: Path) -> None:
    """A newcomer pressed F10 and saw a frozen game with no sign why: the window says so.

    Top right, small (breakout's score line is at the top, centred it covered "lives"),
    under the loop badge when both show; F12 / --screenshot save the game's frame only.
    """
    from sandbox.controls import PAUSE_BADGE
    from sandbox.overlay import loop_indicator_height
    from sandbox.sdl import read_png

    with Host(bounce_copy, headless=True, watch=False) as host:
        assert host.display is not None
        width = host.display.size[0]
        host.step(5)
        assert host.pixel(width - 3, 3) == BLUE
        host.press("F10")
        host.step(2)
        assert host.paused
        text_w, text_h = host.display.text_size(PAUSE_BADGE)
        badge = [x for x in range(width // 2, width) if host.pixel(x, 3) != BLUE]
        assert badge and badge[-1] == width - 1 and len(badge) <= text_w + 16  # small, right
        assert host.pixel(width - 3, text_h + 20) == BLUE and host.pixel(width // 2, 3) == BLUE
        shot = tmp_path / "paused.png"
        host.screenshot(shot)  # F12 / --screenshot: the game's frame, without the badge
        w, _, rgba = read_png(shot)
        i = (3 * w + width - 3) * 4
        assert tuple(rgba[i:i + 4]) == BLUE
        host.press("F10")
        host.step(2)
        assert not host.paused and host.pixel(width - 3, 3) == BLUE
        host.press("F6")  # recording: the loop badge takes the corner
        host.step(2)
        host.press("F10")
        host.step(2)
        below = loop_indicator_height(host.display)
        assert host.pixel(width - 3, 3) != BLUE                  # the loop badge
        assert host.pixel(width - 3, below + text_h // 2) != BLUE  # the pause badge under it
        assert host.pixel(width - 3, below + text_h + 20) == BLUE


def test_the_notice_strip_leaves_breakouts_paddle_whole_at_the_far_left(tmp_path: Path) -> None:
    """Two misspelt hooks: one thin row at the bottom left, under the paddle, never over it."""
    game = tmp_path / "breakout"
    shutil.copytree(REPO / "games" / "breakout", game,
                    ignore=shutil.ignore_patterns("__pycache__"))
    with (game / "main.py").open("a") as f:
        f.write("\n\ndef drow(renderer):\n    pass\n\n\ndef updat(dt):\n    pass\n")
    with Host(game, headless=True, watch=False) as host:
        assert host.display is not None
        push_event({"type": "keydown", "key": "Left", "mod": 0, "repeat": 0},
                   host.display.window_id)
        host.step(60)  # held: the paddle goes to the window's left edge and stays there
        paddle, main = host.game.paddle, host.game
        assert paddle.x == paddle.WIDTH / 2 and len(host.overlay.notices) == 2
        height = main.SIZE[1]
        colour = (*paddle.COLOUR, 255)
        for x in range(0, paddle.WIDTH):
            assert [host.pixel(x, y) for y in range(paddle.Y, paddle.Y + paddle.HEIGHT)] == \
                [colour] * paddle.HEIGHT, x
        below = (*main.BACKGROUND, 255)
        assert host.pixel(5, paddle.Y + paddle.HEIGHT) == below  # a row of game between
        strip = strip_height(host.display)
        assert strip < height - paddle.Y - paddle.HEIGHT
        assert host.pixel(2, height - 1) != below and host.pixel(2, height - strip) != below
        assert host.pixel(2, height - strip - 1) == below  # one row, no more
        assert "(+1 more in the terminal)" in host.overlay.notices[0] + \
            "  (+1 more in the terminal)"  # told on the same row (the terminal has both)


TWEAKABLE = '''\
SIZE = (480, 240)
BACKGROUND = (40, 120, 40)
''' + "".join(f"VALUE_{i} = {i}.5\n" for i in range(20)) + '''

def draw(renderer):
    renderer.clear(BACKGROUND)
'''


def test_the_tweak_panel_ends_above_the_error_panel(tmp_path: Path) -> None:
    """F4 with twenty values, then a draw() that raises: both panels whole, apart."""
    game = tmp_path / "knobs"
    game.mkdir()
    (game / "main.py").write_text(TWEAKABLE)
    with Host(game, headless=True, watch=False) as host:
        assert host.display is not None
        host.press("F4")
        host.step(1)
        width, height = host.display.size
        column_x = width - 5  # inside the tweak panel's column, right of its sliders
        game_rgba = (40, 120, 40, 255)

        def panel_bottom() -> int:
            """The first row under the tweak panel's column where the game shows again."""
            return next(y for y in range(TOP, height) if host.pixel(column_x, y) == game_rgba)
        alone = panel_bottom()
        assert alone > height * 3 // 4  # nearly to the bottom, alone
        (game / "main.py").write_text(TWEAKABLE + "    return 1 / 0\n")
        host.press("F9")
        host.step(2)
        error = host.last_error
        assert error is not None and host.paused and error.kind == "ZeroDivisionError"
        top = height - host.overlay.bottom_height(host.display, error)
        assert height // 3 < top < height - 40
        # Below the top: the error panel alone, the same colour across the whole width.
        for y in (top + 1, height - 2):
            assert host.pixel(column_x, y) == host.pixel(3, y), y
        # Above it: the tweak panel, fewer rows (it scrolls), ending within a row of the top.
        line = host.display.line_height
        assert top - line <= panel_bottom() < top < alone
        # F2 folds the error to its strip: the tweak panel takes the room back.
        host.press("F2")
        host.step(1)
        assert host.overlay.bottom_height(host.display, error) == strip_height(host.display)
        assert panel_bottom() > top
