"""games/asteroids: keys and a gamepad through SDL, hot edits across modules, pixels, types.

The game is copied into ``tmp_path/games/asteroids`` with the repository's ``assets/`` beside
``games/``, the layout it uses in the checkout (it loads the shared spark sprite and sounds).
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from gamefiles import edit
from golden import assert_matches_golden

from sandbox import Host
from sandbox.cli import main
from sandbox.sdl import VirtualPad, push_event, write_png

REPO = Path(__file__).resolve().parent.parent
STEP = 1 / 60


@pytest.fixture
def asteroids(tmp_path: Path) -> Path:
    dest = tmp_path / "games" / "asteroids"
    shutil.copytree(REPO / "games" / "asteroids", dest,
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "assets", tmp_path / "assets")
    return dest


@pytest.fixture
def playing(asteroids: Path) -> Iterator[Host]:
    """A game started with Space (the title screen's key), one step in."""
    with Host(asteroids, headless=True, watch=False) as host:
        host.step(1)
        assert host.game.mode is host.game.Mode.TITLE
        host.press("Space")
        host.step(1)
        assert host.game.mode is host.game.Mode.PLAY and host.last_error is None
        yield host


def hold(host: Host, key: str, down: bool = True) -> None:
    assert host.display is not None
    push_event({"type": "keydown" if down else "keyup", "key": key}, host.display.window_id)


def rocks_of(host: Host) -> list[tuple[float, float, int]]:
    return [(r.x, r.y, r.size) for r in host.game.field]


def test_runs_headless_for_120_frames(asteroids: Path) -> None:
    assert main([str(asteroids), "--headless", "--frames", "120", "--no-watch"]) == 0


def test_up_thrusts_and_left_turns_the_ship(playing: Host) -> None:
    ship = playing.game.ship
    player = playing.game.player
    assert (player.x, player.y, player.angle % 360) == (240, 180, 270)  # pointing up
    hold(playing, "Up")
    playing.step(30)  # the key-down is read in the first frame: 30 steps of thrust
    assert player.burning and player.vx == pytest.approx(0, abs=1e-9)
    assert player.vy == pytest.approx(-ship.THRUST * 30 * STEP)
    assert player.y == pytest.approx(180 - ship.THRUST * STEP * STEP * sum(range(31)))
    hold(playing, "Up", down=False)
    hold(playing, "Left")
    playing.step(10)
    assert not player.burning
    assert player.angle == pytest.approx((-90 - ship.TURN_SPEED * 10 * STEP) % 360)
    hold(playing, "Left", down=False)


def test_space_fires_shots_that_fly_from_the_nose(playing: Host) -> None:
    hold(playing, "Space")
    playing.step(1)
    (shot,) = playing.game.shots
    assert (shot.x, shot.vx) == pytest.approx((240, 0), abs=1e-6)
    assert shot.vy == pytest.approx(-playing.game.ship.SHOT_SPEED)
    playing.step(11)  # SHOT_GAP 0.2 s: no second shot within 12 steps of the first
    assert len(playing.game.shots) == 1
    playing.step(2)
    assert len(playing.game.shots) == 2
    hold(playing, "Space", down=False)


def test_a_gamepad_starts_the_game_and_steers(asteroids: Path) -> None:
    with Host(asteroids, headless=True, watch=False) as host:
        host.step(1)  # the first frame starts SDL's gamepads
        pad = VirtualPad("Asteroids Pad")
        try:
            host.step(1)
            pad.press("start")
            host.step(1)
            assert host.game.mode is host.game.Mode.PLAY
            pad.release("start")
            pad.move("leftx", 32767)  # full right
            host.step(6)
            turned = host.game.ship.TURN_SPEED * STEP
            assert host.game.player.angle == pytest.approx(270 + turned * 6)
            pad.move("leftx", 0)
            pad.press("a")
            host.step(1)
            assert len(host.game.shots) == 1
        finally:
            pad.detach()


def test_a_turn_speed_edit_in_ship_py_applies_and_keeps_the_game(playing: Host,
                                                                 asteroids: Path) -> None:
    playing.step(20)
    player = playing.game.player
    before = (playing.game.score, playing.game.lives, rocks_of(playing), player.x, player.y)
    edit(asteroids / "ship.py", "TURN_SPEED = 220.0", "TURN_SPEED = 440.0")
    report = playing.reload()
    assert report.ok and report.changed == ["ship"], report
    assert playing.game.player is player  # the same ship, not a new game
    assert (playing.game.score, playing.game.lives, rocks_of(playing), player.x,
            player.y) == before
    hold(playing, "Right")
    playing.step(10)
    assert player.angle == pytest.approx(-90 % 360 + 440 * 10 * STEP)
    hold(playing, "Right", down=False)


def test_a_rock_speed_edit_moves_the_rocks_already_flying_faster(playing: Host,
                                                                  asteroids: Path) -> None:
    playing.step(5)
    rock = playing.game.field[0]
    x, y = rock.x, rock.y
    edit(asteroids / "rocks.py", "ROCK_SPEED = 40.0", "ROCK_SPEED = 120.0")
    assert playing.reload().changed == ["rocks"]
    assert playing.game.field[0] is rock and (rock.x, rock.y) == (x, y)
    playing.step(1)
    moved = math.hypot(rock.x - x, rock.y - y)
    assert moved == pytest.approx(120 * STEP)


def test_a_new_mode_member_keeps_the_mode_the_game_is_in(playing: Host, asteroids: Path) -> None:
    mode_class = playing.game.Mode
    edit(asteroids / "main.py", "    OVER = auto()\n", "    OVER = auto()\n    PAUSED = auto()\n")
    report = playing.reload()
    assert report.ok, report
    game = playing.game
    assert game.Mode is mode_class and game.mode is game.Mode.PLAY  # patched in place
    assert [m.name for m in game.Mode] == ["TITLE", "PLAY", "OVER", "PAUSED"]
    playing.step(2)
    assert playing.last_error is None and game.mode is game.Mode.PLAY


def test_the_title_and_the_play_frames(asteroids: Path) -> None:
    with Host(asteroids, headless=True, watch=False) as host:
        host.step(2)
        assert_matches_golden(host, "asteroids_title")
        host.press("Space")
        hold(host, "Up")
        host.step(38)  # safe time blinks the ship on ticks // 6 % 2: tick 40 shows it
        assert host.game.ticks // 6 % 2 == 0
        player = host.game.player
        # The cockpit: blue at the ship's centre, one pixel ahead of it (pointing up).
        assert host.pixel(int(player.x), int(player.y) - 1)[:3] == (90, 170, 255)
        assert host.pixel(4, 350) == (*host.game.BACKGROUND, 255)
        assert_matches_golden(host, "asteroids_play")


def test_shooting_a_rock_splits_it_and_scores(playing: Host) -> None:
    game = playing.game
    game.field[:] = [game.rocks.Rock(240, 100, 0.0, 0.0, size=3, spin=0.0)]
    hold(playing, "Space")
    playing.step(20)
    hold(playing, "Space", down=False)
    assert game.score == game.rocks.POINTS[3]
    assert sorted(r.size for r in game.field) == [2, 2]
    assert game.sparks  # debris drawn through the sprite batch
    playing.step(1)
    assert playing.last_error is None


def test_game_over_after_the_last_life_and_space_starts_again(playing: Host) -> None:
    game = playing.game
    for _ in range(game.LIVES):
        game.player.safe = 0
        game.field[:] = [game.rocks.Rock(game.player.x, game.player.y, 0.0, 0.0)]
        playing.step(1)
    assert game.mode is game.Mode.OVER and game.lives == 0
    playing.press("Space")
    playing.step(1)
    assert game.mode is game.Mode.PLAY and game.lives == game.LIVES and game.score == 0


def test_the_game_type_checks_with_mypy_strict(asteroids: Path, tmp_path_factory:
                                               pytest.TempPathFactory) -> None:
    """mypy reads the game's own modules (a wrong use of ship.Ship in a file beside them is
    caught) and the sandbox's types; the game itself is clean."""
    wrong = asteroids / "wrong_use.py"
    wrong.write_text("import ship\n\nwhere: str = ship.Ship(0, 0).x\n")
    cache = tmp_path_factory.getbasetemp().parent / "potato-sandbox-mypy-cache"
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache),
                             str(asteroids / "main.py"), str(wrong)], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert 'Incompatible types in assignment (expression has type "float", variable has type ' \
           '"str")' in out, out
    assert out.count("error:") == 1 and "wrong_use.py:3" in out, out


def test_a_loop_replays_the_same_flight(playing: Host) -> None:
    """F6 snapshots the dataclasses, the Mode and the game's own Random; each pass repeats."""
    playing.press("F6")
    playing.step(1)
    hold(playing, "Up")
    hold(playing, "Space")
    playing.step(30)
    hold(playing, "Up", down=False)
    hold(playing, "Space", down=False)
    playing.step(5)
    game = playing.game
    end = (game.player.x, game.player.y, len(game.shots), rocks_of(playing), game.rng.random())
    playing.press("F6")  # loop: back to the snapshot, the keys replayed on their ticks
    playing.step(36)
    again = (game.player.x, game.player.y, len(game.shots), rocks_of(playing),
             game.rng.random())
    assert again == end and game.mode is game.Mode.PLAY and playing.last_error is None


def test_repainting_the_shared_spark_recolours_the_stars_in_the_next_frame(asteroids: Path
                                                                           ) -> None:
    """spark.png lives in the shared assets/ beside games/: saving it reloads it like the
    game's own files, and the stars (drawn with it, tinted grey) turn red."""
    spark = asteroids.parent.parent / "assets" / "sprites" / "spark.png"

    def redness(host: Host) -> int:
        """How much redder than green the reddest star pixel is."""
        return max(r - g for sx, sy in host.game.stars for x in range(int(sx), int(sx) + 2)
                   for y in range(int(sy), int(sy) + 2) if x < 480 and y < 360
                   for r, g, _b, _a in [host.pixel(x, y)])

    def reloaded(host: Host) -> bool:
        return "reloaded asset spark.png" in [str(e) for e in host.events]

    with Host(asteroids, headless=True) as host:
        host.step(1)
        assert redness(host) < 20  # grey stars (a rock over one is warm by 8 at most)
        tmp = spark.with_name("spark.tmp.png")
        write_png(tmp, (8, 8), bytes((255, 0, 0, 255)) * 64)
        tmp.replace(spark)
        # The watcher may queue spark.tmp.png's creation first (it is a .png in a watched
        # folder): step until the reload of spark.png itself has landed, at most 5 s.
        deadline = time.monotonic() + 5
        while not reloaded(host) and time.monotonic() < deadline:
            host.wait_for_change(0.5)
            host.step(1)
        assert reloaded(host)
        assert redness(host) == 150  # STAR_RGB's 150 red over a pure red sprite
        assert "reloaded asset spark.png" in [str(e) for e in host.events]
        assert host.game.mode is host.game.Mode.TITLE and host.last_error is None
