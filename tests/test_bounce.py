"""The reference game, headless: the seed's pixels, then live edits that keep the state."""

from __future__ import annotations

from pathlib import Path

from gamefiles import BLUE, PINK, YELLOW, edit

from sandbox import Host


def test_seed_window_and_first_frames(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        assert host.display is not None
        assert host.display.title == "bounce - potato-sandbox" and host.display.size == (640, 480)
        host.step(100)
        # pos starts (1, 0) and moves (1, 1) per fixed update: one update per headless frame.
        assert (host.game.pos_x, host.game.pos_y) == (101, 100)
        assert host.pixel(101, 100) == PINK
        assert host.pixel(101 - 25, 100 - 25) == PINK  # the 50x50 rect's top-left corner
        assert host.pixel(101 + 25, 100) == BLUE       # just right of it
        assert host.pixel(600, 20) == BLUE
        assert host.events == []  # no warnings, no errors


def test_walls_bounce_at_speed_two(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(480)  # pos_y reaches 480: the bottom wall
        assert (host.game.pos_y, host.game.dy) == (480, -2)
        host.step(10)
        assert host.game.pos_y == 460 and host.game.pos_x == 491
        assert host.game.physics.hits == 1


def test_colour_edit_applies_at_the_current_position(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(100)
        edit(main, "(255, 128, 128)", "(255, 255, 128)")
        report = host.reload()
        assert report.ok and report.changed == ["main"], str(report)
        host.step(1)
        assert (host.game.pos_x, host.game.pos_y) == (102, 101)  # continued, not restarted
        assert (host.game.dx, host.game.dy) == (1, 1)  # the physics handler stayed quiet
        assert host.pixel(102, 101) == YELLOW
        assert host.pixel(300, 400) == BLUE


def test_speed_edit_changes_motion_at_once(bounce_copy: Path) -> None:
    physics = bounce_copy / "physics.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(490)  # past the bottom wall: d is (1, -2)
        x, y = host.game.pos_x, host.game.pos_y
        edit(physics, "SPEED = 2", "SPEED = 5")
        report = host.reload()
        assert report.ok and "physics" in report.changed, str(report)
        # the after_reload handler (guarded by has_module_changed) applied the new speed
        assert (host.game.dx, host.game.dy) == (5, -5)
        host.step(2)
        assert (host.game.pos_x, host.game.pos_y) == (x + 10, y - 10)
        assert host.game.physics.hits == 1  # physics state survived its own reload


def test_wall_edit_turns_the_rectangle_earlier(bounce_copy: Path) -> None:
    physics = bounce_copy / "physics.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(100)
        edit(physics, "WIDTH = 640", "WIDTH = 100")
        assert host.reload().ok
        # physics changed, so main's after_reload handler moved d to SPEED at once
        assert (host.game.pos_x, host.game.dx, host.game.dy) == (101, 2, 2)
        host.step(1)  # x = 103 >= 100: bounce left
        assert host.game.dx == -2
        host.step(3)
        assert host.game.pos_x == 97
        assert host.pixel(97, host.game.pos_y) == PINK


def test_function_edit_changes_behaviour_and_keeps_state(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(40)
        edit(main, "    pos_x += dx\n", "    pos_x += 3 * dx\n")
        report = host.reload()
        assert report.ok and "main.update" in report.patched, str(report)
        host.step(10)
        assert (host.game.pos_x, host.game.pos_y) == (41 + 30, 50)
        assert host.pixel(71, 50) == PINK


def test_physics_save_reaches_the_screen_through_the_watcher(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True) as host:
        host.step(490)
        edit(bounce_copy / "physics.py", "SPEED = 2", "SPEED = 4")
        assert host.wait_for_change(5)
        host.step(1)
        assert (host.game.dx, host.game.dy) == (4, -4)
        assert host.pixel(host.game.pos_x, host.game.pos_y) == PINK
