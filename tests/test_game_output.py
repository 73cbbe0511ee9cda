"""The game's print output and warnings: still in the terminal, and in the window's output strip.

Real SDL (dummy driver): the backquote key is a real key event; the strip is asserted on the
presented frame's pixels and on a golden image.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from golden import assert_matches_golden

from sandbox import Host
from sandbox.game_output import ERR_RGB, STRIP_ROWS, GameOutput
from sandbox.panel import HUD_RGB

PRINTING_GAME = '''\
import warnings

BACKGROUND = (0, 0, 0)
frames = 0


def update(dt):
    global frames
    frames += 1
    if frames <= 3:
        print("frame", frames, "says hello")
    if frames == 2:
        warnings.warn("speed is too high")
'''


def _colour_in_row(host: Host, y0: int, y1: int, rgb: tuple[int, int, int]) -> int:
    """How many pixels in rows y0..y1 (left half) are close to ``rgb``."""
    count = 0
    for y in range(y0, y1):
        for x in range(0, 320, 2):
            r, g, b, _ = host.pixel(x, y)
            if abs(r - rgb[0]) + abs(g - rgb[1]) + abs(b - rgb[2]) < 60:
                count += 1
    return count


def test_print_and_warnings_show_in_the_output_strip(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        recwarn: pytest.WarningsRecorder) -> None:
    (tmp_path / "main.py").write_text(PRINTING_GAME)
    with Host(tmp_path, headless=True, watch=False) as host:
        host.step(5)
        assert [text for text, err in host.output.lines if not err] == [
            "frame 1 says hello", "frame 2 says hello", "frame 3 says hello"]
        assert ("main.py:13: UserWarning: speed is too high", True) in host.output.lines
        step = host.display.line_height if host.display else 0
        assert _colour_in_row(host, 0, 4 * step, HUD_RGB) == 0  # hidden until asked
        host.press("`")
        host.step(1)
        assert host.output_strip.visible
        # The title row, then one row a line: the printed lines are yellow text …
        assert _colour_in_row(host, step, 2 * step, HUD_RGB) > 20
        # … and the warning (stderr) is orange.
        rows = host.output_strip.rows()
        warned = next(i for i, (_, err) in enumerate(rows, start=1) if err)
        assert _colour_in_row(host, warned * step, (warned + 1) * step, ERR_RGB) > 20
        assert_matches_golden(host, "output_strip")
        host.press("`")
        host.step(1)
        assert _colour_in_row(host, step, 2 * step, HUD_RGB) == 0
    # The terminal still gets them (pytest records the warning where a terminal shows it).
    assert "frame 2 says hello" in capsys.readouterr().out
    assert [str(w.message) for w in recwarn] == ["speed is too high"]


SCROLLING_GAME = '''\
BACKGROUND = (0, 0, 0)
n = 0


def update(dt):
    global n
    n += 1
    print("line", n)
'''


def test_page_up_scrolls_the_strip_only_while_paused(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(SCROLLING_GAME)
    with Host(tmp_path, headless=True, watch=False) as host:
        host.step(30)
        host.press("`")
        host.press("PageUp")  # running: the strip follows the newest line
        host.step(1)
        assert host.output_strip.rows()[-1][0] == "line 31"
        host.press("F10")
        host.step(1)
        host.press("PageUp")
        host.step(1)
        assert host.output_strip.rows()[-1][0] == "line 27"  # four lines back
        assert len(host.output_strip.rows()) == STRIP_ROWS
        host.press("PageDown")
        host.step(1)
        assert host.output_strip.rows()[-1][0] == "line 31"
        for _ in range(20):
            host.press("PageUp")
        host.step(1)
        assert host.output_strip.rows()[0][0] == "line 1"  # not past the oldest
        host.press("F10")
        host.step(1)
        assert host.output_strip.rows()[-1][0] == "line 32"  # resumed: newest again


def test_only_the_game_code_s_writes_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    output = GameOutput()
    output.install()
    try:
        print("the sandbox's own line")
        with output.capturing():
            print("a game's", end="")
            print(" line")
            sys.stdout.write("unfinished")
        assert list(output.lines) == [("a game's line", False)]
        assert output.tail()[-1] == ("unfinished", False)
    finally:
        output.uninstall()
    assert sys.stdout is not None and not hasattr(sys.stdout, "_keep")
    assert "the sandbox's own line" in capsys.readouterr().out


def test_a_megabyte_without_a_newline_keeps_a_bounded_line() -> None:
    output = GameOutput(kept=3)
    with output.capturing():
        output._keep("x" * 1_000_000, False)
        for i in range(10):
            output._keep(f"{i}\n", False)
    assert len(output.lines) == 3
    assert all(len(text) <= 400 for text, _ in output.tail())


# The game presses the backquote key itself (a real SDL event), so the real CLI, headless,
# can show the strip with no one at the keyboard.
SELF_TOGGLING_GAME = '''\
import ctypes

import sdl2

BACKGROUND = (0, 0, 0)
frames = 0


def update(dt):
    global frames
    frames += 1
    print("frame", frames, "from the game")
    if frames == 3:
        event = sdl2.SDL_Event()
        event.type = sdl2.SDL_KEYDOWN
        event.key.state = sdl2.SDL_PRESSED
        event.key.keysym.sym = sdl2.SDLK_BACKQUOTE
        sdl2.SDL_PushEvent(ctypes.byref(event))
'''


def test_the_real_cli_shows_print_output_in_the_window(tmp_path: Path) -> None:
    from ptyrun import Session

    from sandbox.sdl import Display, read_png

    game = tmp_path / "game"
    game.mkdir()
    (game / "main.py").write_text(SELF_TOGGLING_GAME)
    shot = tmp_path / "shot.png"
    session = Session([str(game), "--headless", "--no-watch", "--frames", "20",
                       "--screenshot", str(shot), "--screenshot-overlays"])
    try:
        assert session.wait(60) == 0
        assert "frame 20 from the game" in session.seen  # the terminal still gets it
    finally:
        session.close()
    width, height, rgba = read_png(shot)
    probe = Display("probe", (64, 64), headless=True)
    line = probe.line_height  # rows of text: the strip's title, then the last lines printed
    probe.close()

    def yellow(y0: int, y1: int) -> int:
        count = 0
        for y in range(y0, y1):
            for x in range(0, width // 2):
                r, g, b = rgba[(y * width + x) * 4:(y * width + x) * 4 + 3]
                count += abs(r - HUD_RGB[0]) + abs(g - HUD_RGB[1]) + abs(b - HUD_RGB[2]) < 60
        return count

    assert yellow(line, 9 * line) > 200  # eight printed lines of yellow text
    assert yellow(10 * line, height) == 0  # and nothing below the strip
