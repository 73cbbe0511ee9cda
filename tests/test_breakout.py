"""games/breakout: several modules, an image and a sound, exercised through the dev tools."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gamefiles import edit

from sandbox import Host
from sandbox.cli import main
from sandbox.sdl import write_png

GAMES = Path(__file__).resolve().parent.parent / "games"
RED_ROW = (230, 80, 80, 255)
BALL_WHITE = (250, 250, 250, 255)


@pytest.fixture
def breakout(tmp_path: Path) -> Path:
    dest = tmp_path / "breakout"
    shutil.copytree(GAMES / "breakout", dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest



def state(host: Host) -> tuple[object, ...]:
    g = host.game
    return (g.score, g.lives, g.bricks.left(), g.ball.x, g.ball.y, g.paddle.x)


def test_runs_headless_for_120_frames(breakout: Path) -> None:
    assert main([str(breakout), "--headless", "--frames", "120", "--no-watch"]) == 0


def test_play_is_deterministic_and_breaks_bricks(breakout: Path) -> None:
    runs = []
    for _ in range(2):
        with Host(breakout, headless=True, watch=False) as host:
            host.step(120)
            assert host.last_error is None and not host.paused
            assert host.display is not None
            runs.append((state(host), host.display.pixels()))
    assert runs[0] == runs[1]
    score, _lives, left, *_ = runs[0][0]
    assert score == 10 and left == 31  # the serve hits one brick within two seconds


def test_a_brick_colour_edit_shows_and_state_survives(breakout: Path) -> None:
    with Host(breakout, headless=True, watch=False) as host:
        host.step(120)
        x, y, _w, _h = host.game.bricks.rect(0, 0)
        assert host.pixel(x + 5, y + 5) == RED_ROW
        before = state(host)
        edit(breakout / "bricks.py", "(230, 80, 80)", "(90, 90, 250)")
        report = host.reload()
        assert report.ok and report.changed == ["bricks"]
        assert state(host) == before  # score, lives, bricks left, ball and paddle kept
        host.step(1)
        assert host.pixel(x + 5, y + 5) == (90, 90, 250, 255)
        assert host.game.bricks.left() == before[2]


def test_a_new_ball_image_shows_in_the_next_frame(breakout: Path) -> None:
    with Host(breakout, headless=True) as host:
        host.step(30)
        ball = host.game.ball
        assert host.pixel(int(ball.x), int(ball.y)) == BALL_WHITE
        write_png(breakout / "ball.png", (10, 10), bytes((255, 0, 200, 255)) * 100)
        assert host.wait_for_change(5)
        host.step(1)
        assert host.pixel(int(ball.x), int(ball.y)) == (255, 0, 200, 255)
        assert host.game.score == 0 and host.game.lives == 3


def test_the_paddle_follows_the_keys(breakout: Path) -> None:
    with Host(breakout, headless=True, watch=False) as host:
        host.step(1)
        start = host.game.paddle.x
        host.press("Left")  # a tap: key down and up in one frame still moves one step
        host.step(1)
        assert host.game.paddle.x == pytest.approx(start - 6)
        host.press("D")
        host.press("D")
        host.step(1)
        assert host.game.paddle.x == pytest.approx(start)


def test_more_rows_keep_the_broken_bricks(breakout: Path) -> None:
    with Host(breakout, headless=True, watch=False) as host:
        host.step(120)
        left = host.game.bricks.left()
        edit(breakout / "bricks.py", "ROWS = 4", "ROWS = 5")
        assert host.reload().ok
        assert host.game.bricks.left() == left + 8  # the after_reload handler added a row
        host.step(2)
        assert host.last_error is None


def test_restart_starts_a_new_game(breakout: Path) -> None:
    with Host(breakout, headless=True, watch=False) as host:
        host.step(120)
        assert host.game.score == 10
        host.press("F5")
        host.step(1)
        assert (host.game.score, host.game.lives, host.game.bricks.left()) == (0, 3, 32)


def test_a_held_key_keeps_the_paddle_moving_until_released(breakout: Path) -> None:
    from sandbox.sdl import push_event

    with Host(breakout, headless=True, watch=False) as host:
        assert host.display is not None
        host.step(1)
        start = host.game.paddle.x
        push_event({"type": "keydown", "key": "Right"}, host.display.window_id)
        host.step(3)
        assert host.game.paddle.x == pytest.approx(start + 18)  # 6 pixels a step, held
        push_event({"type": "keyup", "key": "Right"}, host.display.window_id)
        host.step(3)
        assert host.game.paddle.x == pytest.approx(start + 18)
    assert "import sdl2" not in "".join(p.read_text() for p in breakout.glob("*.py"))


def test_a_gamepad_moves_the_paddle(breakout: Path) -> None:
    from sandbox.sdl import VirtualPad

    with Host(breakout, headless=True, watch=False) as host:
        host.step(1)  # gamepads start with the first frame
        pad = VirtualPad("Breakout Pad")
        try:
            host.step(1)
            start = host.game.paddle.x
            pad.press("dpleft")
            host.step(2)
            assert host.game.paddle.x == pytest.approx(start - 12)
            pad.release("dpleft")
            pad.move("leftx", 32767)  # full right: full speed
            host.step(2)
            assert host.game.paddle.x == pytest.approx(start)
            pad.move("leftx", 2000)  # inside the dead zone: still
            host.step(2)
            assert host.game.paddle.x == pytest.approx(start)
        finally:
            pad.detach()
