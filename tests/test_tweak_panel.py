"""The tweak panel end to end (F4): real SDL mouse and key events, real files, real reloads."""

from __future__ import annotations

import ctypes
import io
from pathlib import Path
from typing import Any

import pytest
import sdl2
from gamefiles import BLUE, edit
from golden import assert_matches_golden

from sandbox import Host
from sandbox.console import Console
from sandbox.events import Notice
from sandbox.events.tweaks import Tweaked
from sandbox.hot import ReloadReport
from sandbox.sdl import event_from_dict
from sandbox.tweak_edit import TweakError

CTRL, SHIFT = 0x0040, 0x0001  # SDL's KMOD_LCTRL, KMOD_LSHIFT


def push(data: dict[str, Any]) -> None:
    """A real SDL event into SDL's queue (handled at the next frame)."""
    assert sdl2.SDL_PushEvent(ctypes.byref(event_from_dict(data))) == 1


def key(host: Host, name: str, mod: int = 0) -> None:
    for kind in ("keydown", "keyup"):
        push({"type": kind, "key": name, "mod": mod})
    host.step(1)


def drag(host: Host, name: str, values: list[float], low: float, high: float) -> None:
    """Press on ``name``'s slider, move through ``values`` (one frame each), release."""
    where = host.tweak_panel.where(name)
    assert where is not None, f"{name} is not shown in the panel"
    left, y, width = where

    def x_of(v: float) -> int:
        return left + round((v - low) / (high - low) * width)

    push({"type": "mousedown", "button": 1, "clicks": 1, "x": x_of(values[0]), "y": y})
    host.step(1)
    for v in values[1:]:
        push({"type": "motion", "x": x_of(v), "y": y, "xrel": 0, "yrel": 0, "state": 1})
        host.step(1)
    push({"type": "mouseup", "button": 1, "clicks": 1, "x": x_of(values[-1]), "y": y})
    host.step(1)


def tweaks_told(host: Host) -> list[str]:
    return [str(e) for e in host.events if isinstance(e, Tweaked)]


def open_panel(host: Host) -> None:
    host.press("F4")
    host.step(1)  # opened, and drawn once: the sliders have their places


def test_dragging_speed_edits_that_literal_and_the_ball_speeds_up_where_it_was(
        bounce_copy: Path) -> None:
    physics = bounce_copy / "physics.py"
    before = physics.read_bytes()
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(30)
        open_panel(host)
        x0 = host.game.pos_x
        drag(host, "physics.SPEED", [3, 5, 7, 4], 0, 10)  # four frames of play meanwhile
        assert physics.read_bytes() == before.replace(b"SPEED = 2  #", b"SPEED = 4  #", 1)
        assert host.game.pos_x > x0  # the position was kept: no restart, still moving on
        assert abs(host.game.dx) == 4  # bounce's after_reload handler applied the new speed
        x1 = host.game.pos_x
        host.step(5)
        assert host.game.pos_x - x1 == 5 * host.game.dx  # the next frames move faster
        assert tweaks_told(host) == ["tweak physics.py:5 SPEED 2 → 4"]
        assert 1 <= host.tweaking.writes <= 3  # coalesced (the release always lands)


def test_a_colour_channel_drag_changes_the_pixels_and_undo_puts_file_and_pixels_back(
        bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    before = main.read_bytes()
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(5)
        assert host.pixel(5, 400) == BLUE
        open_panel(host)
        drag(host, "main.BACKGROUND[0]", [100, 200], 0, 255)
        assert main.read_bytes() == before.replace(b"(0, 0, 255)", b"(200, 0, 255)", 1)
        assert host.pixel(5, 400) == (200, 0, 255, 255)
        assert tweaks_told(host) == ["tweak main.py:13 BACKGROUND (0, 0, 255) → (200, 0, 255)"]
        key(host, "Z", CTRL)
        host.step(1)
        assert main.read_bytes() == before
        assert host.pixel(5, 400) == BLUE
        key(host, "Y", CTRL)
        host.step(1)
        assert host.pixel(5, 400) == (200, 0, 255, 255)
        assert tweaks_told(host)[1:] == [
            "undo tweak main.py:13 BACKGROUND (200, 0, 255) → (0, 0, 255)",
            "redo tweak main.py:13 BACKGROUND (0, 0, 255) → (200, 0, 255)"]


def test_a_file_edited_between_two_drags_is_not_clobbered(bounce_copy: Path) -> None:
    physics = bounce_copy / "physics.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(3)
        open_panel(host)
        drag(host, "physics.SPEED", [4], 0, 10)
        # The user edits the file in an editor (not yet reloaded): a new line, another value.
        edit(physics, "WIDTH = 640\n", "# walls\nWIDTH = 600\n")
        edited = physics.read_bytes()
        host.step(1)
        drag(host, "physics.SPEED", [6], 0, 10)
        assert physics.read_bytes() == edited.replace(b"SPEED = 4  #", b"SPEED = 6  #", 1)
        assert host.game.physics.WIDTH == 600 and host.game.physics.SPEED == 6
        assert tweaks_told(host)[-1] == "tweak physics.py:6 SPEED 4 → 6"
        # An undo now puts back 4, the file's other edit stays.
        key(host, "Z", CTRL)
        assert physics.read_bytes() == edited


def test_undo_refuses_a_value_changed_in_the_file_since(bounce_copy: Path) -> None:
    physics = bounce_copy / "physics.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.tweak("physics.SPEED", 4)
        edit(physics, "SPEED = 4", "SPEED = 9")
        open_panel(host)
        key(host, "Z", CTRL)
        assert b"SPEED = 9" in physics.read_bytes()
        notice = [str(e) for e in host.events if isinstance(e, Notice)][-1]
        assert "undo skipped: SPEED in physics.py was changed in the file since" in notice
        key(host, "Z", CTRL)
        assert "nothing to undo" in str(host.events[-1])


def test_the_watcher_does_not_apply_a_tweak_twice_and_the_terminal_has_one_line(
        bounce_copy: Path) -> None:
    out = io.StringIO()
    with Host(bounce_copy, headless=True, console=Console(file=out, color=False)) as host:
        host.step(2)
        host.tweak("physics.SPEED", 4.5)
        assert host.wait_for_change(5.0)
        for _ in range(20):
            host.step(1)
        reports = [e for e in host.events if isinstance(e, ReloadReport)]
        assert len(reports) == 1 and reports[0].changed  # one real reload, by the tweak
        lines = [ln for ln in out.getvalue().splitlines() if "physics.py" in ln]
        assert len(lines) == 1 and lines[0].endswith("tweak physics.py:5 SPEED 2 → 4.5")
        assert host.game.physics.SPEED == 4.5


def test_host_tweak_errors_say_what_and_what_next(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        with pytest.raises(TweakError, match=r"'physics.SPED': did you mean physics.SPEED\?"):
            host.tweak("physics.SPED", 3)
        with pytest.raises(TweakError, match="is a number: give a finite int or float"):
            host.tweak("physics.SPEED", "fast")
        with pytest.raises(TweakError, match="is a number"):
            host.tweak("physics.SPEED", float("nan"))
        with pytest.raises(TweakError, match=r"colour channel: give a whole number 0\.\.255"):
            host.tweak("main.BACKGROUND[1]", 300)
        with pytest.raises(TweakError, match="has 3 channels, got 2"):
            host.tweak("main.BACKGROUND", (1, 2))
        with pytest.raises(TweakError, match="is a one-line string"):
            host.tweak("main.TITLE", 5)
        assert host.tweaking.writes == 0
        ev = host.tweak("main.BACKGROUND", (10, 20, 30))
        assert str(ev) == "tweak main.py:13 BACKGROUND (0, 0, 255) → (10, 20, 30)"
        host.step(1)
        assert host.pixel(5, 400) == (10, 20, 30, 255)


def test_tweaks_lists_module_name_line_live_value_and_range(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(10)
        found = {t.key: t for t in host.tweaks()}
        speed = found["physics.SPEED"]
        assert (speed.module, speed.name, speed.line, speed.value, speed.range) == \
            ("physics", "SPEED", 5, 2, (0, 10))
        assert found["main.pos_x"].source == 1 and found["main.pos_x"].value == 11  # live
        assert "main.SIZE[0]" not in found  # two ints are not a colour


GAME = '''\
GRAVITY = 0.5  # tweak 0..1
SHOW = True
events = []


def on_event(event):
    events.append(event.type)


def draw(renderer):
    renderer.clear((255, 255, 255) if SHOW else (0, 0, 0))
'''


def test_keys_change_the_selected_value_and_never_reach_the_game(tmp_path: Path) -> None:
    game = tmp_path / "keys"
    game.mkdir()
    (game / "main.py").write_text(GAME)
    with Host(game, headless=True, watch=False) as host:
        open_panel(host)
        key(host, "Right")  # GRAVITY is selected first: +range/100
        assert host.game.GRAVITY == 0.51
        key(host, "Right", SHIFT)  # fine: +range/1000
        key(host, "Left", CTRL)    # coarse: -range/10
        host.step(10)  # a run of key presses is one gesture, written when due
        assert pytest.approx(0.411) == host.game.GRAVITY
        assert "GRAVITY = 0.411  # tweak 0..1" in (game / "main.py").read_text()
        key(host, "Down")
        key(host, "Space")  # SHOW toggles
        host.step(10)
        assert host.game.SHOW is False and "SHOW = False" in (game / "main.py").read_text()
        assert host.pixel(5, 5) == (0, 0, 0, 255)
        assert host.game.events == []  # every key above was the panel's
        key(host, "A")  # a key the panel does not use reaches the game
        push({"type": "mousedown", "button": 1, "clicks": 1, "x": 5, "y": 5})  # beside it
        host.step(1)
        assert host.game.events == [sdl2.SDL_KEYDOWN, sdl2.SDL_KEYUP, sdl2.SDL_MOUSEBUTTONDOWN]
        host.press("F4")  # closed: arrows are the game's again
        key(host, "Right")
        assert host.game.events[-2:] == [sdl2.SDL_KEYDOWN, sdl2.SDL_KEYUP]


def test_tweaks_apply_while_paused_and_while_looping(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(5)
        host.press("F10")
        host.step(1)
        frozen = (host.game.pos_x, host.game.pos_y)
        host.tweak("main.BACKGROUND", (0, 90, 0))
        host.step(2)
        assert host.pixel(5, 400) == (0, 90, 0, 255)  # draw keeps running while paused
        assert (host.game.pos_x, host.game.pos_y) == frozen
        host.press("F10")
        host.press("F6")  # record …
        host.step(10)
        host.press("F6")  # … and loop
        host.step(3)
        open_panel(host)
        drag(host, "main.BACKGROUND[2]", [60, 120], 0, 255)  # a real drag, while looping
        assert host.pixel(5, 400) == (0, 90, 120, 255)  # shows on the looping seconds
        passes = host.looping.passes
        host.step(12)  # past the loop's end: the next pass keeps the tweak
        assert host.looping.passes > passes
        assert host.pixel(5, 400) == (0, 90, 120, 255)


def test_a_tweak_to_a_file_that_does_not_parse_is_not_written(bounce_copy: Path) -> None:
    physics = bounce_copy / "physics.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        open_panel(host)
        drag(host, "physics.SPEED", [3], 0, 10)
        broken = physics.read_text().replace("WIDTH = 640", "WIDTH = (")
        physics.write_text(broken)
        with pytest.raises(TweakError):  # the list comes from the file: SPEED is not in it
            host.tweak("physics.SPEED", 5)
        assert physics.read_text() == broken


def test_the_panel_looks_like_this(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(40)
        host.tweak("physics.SPEED", 3)
        host.press("F4")
        host.step(1)
        assert_matches_golden(host, "tweak_panel")


def test_a_long_drag_writes_at_most_ten_times_a_second_and_the_last_value_lands(
        bounce_copy: Path) -> None:
    physics = bounce_copy / "physics.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        open_panel(host)
        # 120 frames (2 s of headless time) of dragging: a new value every frame.
        drag(host, "physics.SPEED", [1 + (i % 9) for i in range(119)] + [7], 0, 10)
        assert 2 <= host.tweaking.writes <= 21  # ≤ 10 a second, plus the release
        assert b"SPEED = 7  #" in physics.read_bytes() and host.game.physics.SPEED == 7
        assert tweaks_told(host) == ["tweak physics.py:5 SPEED 2 → 7"]  # one gesture, one line
        assert len([e for e in host.events if isinstance(e, ReloadReport)]) == \
            host.tweaking.writes


def test_a_crlf_file_keeps_its_line_endings(tmp_path: Path) -> None:
    game = tmp_path / "crlf"
    game.mkdir()
    source = GAME.replace("\n", "\r\n").encode()
    (game / "main.py").write_bytes(source)
    with Host(game, headless=True, watch=False) as host:
        host.tweak("main.GRAVITY", 0.25)
        assert (game / "main.py").read_bytes() == source.replace(b"0.5  #", b"0.25  #", 1)


def test_a_value_gone_from_the_file_mid_gesture_is_not_written_and_says_why(
        bounce_copy: Path) -> None:
    physics = bounce_copy / "physics.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        open_panel(host)
        for _ in range(10):
            key(host, "Down")  # TITLE, 3 channels, pos_x, pos_y, dx, dy, WIDTH, HEIGHT: SPEED
        key(host, "Right")  # written at once: 3
        key(host, "Right")  # pending: 4, due in 0.1 s
        edit(physics, "SPEED = 3", "SPEED = WIDTH // 100")  # meanwhile, in an editor
        edited = physics.read_bytes()
        host.step(10)
        assert physics.read_bytes() == edited
        told = [str(e) for e in host.events if isinstance(e, Notice)]
        assert any("tweak not written: physics.py no longer assigns a literal to SPEED" in t
                   for t in told)
        # a drag on a row whose file no longer parses is refused with a line, not an exception
        physics.write_text("SPEED = (\n")
        assert host.tweaking.problems() and "physics.py does not parse" in \
            host.tweaking.problems()[0]
        host.step(1)
        assert host.tweak_panel.where("physics.SPEED") is None  # the row is gone


def test_class_level_values_are_listed_with_their_live_value(tmp_path: Path) -> None:
    game = tmp_path / "cls"
    game.mkdir()
    (game / "main.py").write_text("class Ball:\n    RADIUS = 10\n\n\nBall.RADIUS = 12\n")
    with Host(game, headless=True, watch=False) as host:
        (ball,) = host.tweaks()
        assert (ball.key, ball.source, ball.value) == ("main.Ball.RADIUS", 10, 12)
        host.tweak("main.Ball.RADIUS", 15)
        assert "    RADIUS = 15\n" in (game / "main.py").read_text()


def test_the_wheel_over_the_panel_scrolls_a_long_list(tmp_path: Path) -> None:
    game = tmp_path / "many"
    game.mkdir()
    (game / "main.py").write_text("".join(f"V{i} = {i}\n" for i in range(40)))
    with Host(game, headless=True, watch=False) as host:
        open_panel(host)
        assert host.tweak_panel.where("main.V0") is not None
        assert host.tweak_panel.where("main.V39") is None
        left, y, _ = host.tweak_panel.where("main.V0") or (0, 0, 0)
        push({"type": "motion", "x": left, "y": y, "xrel": 0, "yrel": 0, "state": 0})
        push({"type": "wheel", "x": 0, "y": -30, "direction": 0})
        host.step(1)
        assert host.tweak_panel.where("main.V0") is None
        assert host.tweak_panel.where("main.V35") is not None


def test_a_tweak_that_breaks_a_statement_fails_like_a_save_and_once(bounce_copy: Path) -> None:
    physics = bounce_copy / "physics.py"
    edit(physics, "hits = 0", "STEP = 1 / SPEED\nhits = 0")
    out = io.StringIO()
    with Host(bounce_copy, headless=True, console=Console(file=out, color=False)) as host:
        host.step(2)
        host.tweak("physics.SPEED", 0)
        assert host.last_error is not None and host.last_error.kind == "ZeroDivisionError"
        assert host.game.physics.SPEED == 2  # rolled back: the old code runs
        assert host.wait_for_change(5.0)
        host.step(20)  # the watcher sees the same write: no second error line
        assert out.getvalue().count("reload failed: ZeroDivisionError") == 1
        assert host.last_error is not None  # and the error is still shown: it is still true
        host.tweak("physics.SPEED", 3)
        host.step(2)
        assert host.last_error is None and pytest.approx(1 / 3) == host.game.physics.STEP


def test_shift_while_dragging_is_ten_times_finer(tmp_path: Path) -> None:
    game = tmp_path / "fine"
    game.mkdir()
    (game / "main.py").write_text(GAME)
    with Host(game, headless=True, watch=False) as host:
        open_panel(host)
        where = host.tweak_panel.where("main.GRAVITY")
        assert where is not None
        left, y, width = where
        push({"type": "mousedown", "button": 1, "clicks": 1, "x": left + width // 2, "y": y})
        host.step(1)
        assert host.tweaking.current(host.tweaking.find("main.GRAVITY")) == pytest.approx(
            round((width // 2) / width, 3))
        start = host.tweaking.current(host.tweaking.find("main.GRAVITY"))
        push({"type": "keydown", "key": "Left Shift", "mod": SHIFT})
        push({"type": "motion", "x": left + width // 2 + 50, "y": y, "xrel": 50, "yrel": 0,
              "state": 1})
        push({"type": "mouseup", "button": 1, "clicks": 1, "x": left + width // 2 + 50, "y": y})
        host.step(1)
        assert pytest.approx(start + 50 / width / 10, abs=0.001) == host.game.GRAVITY
        assert host.game.events == []  # Shift was the panel's too


def test_a_file_that_cannot_be_read_mid_gesture_is_told(bounce_copy: Path) -> None:
    physics = bounce_copy / "physics.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.tweak("physics.SPEED", 3)
        host.tweaking.set("physics.SPEED", 4)  # written at once? no: 0.1 s have not passed
        assert host.tweaking.writes == 1
        physics.unlink()
        physics.mkdir()  # a directory where the file was
        host.tweaking.commit(force=True)
        told = str(host.events[-1])
        assert told.startswith("tweak not written: physics.py") and "fix the file" in told
        assert host.tweaking.problems() == ["physics.py cannot be read: Is a directory"]


def test_a_string_is_typed_in_the_panel_and_escape_while_typing_does_not_quit(
        bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        open_panel(host)
        key(host, "Return")  # TITLE is the first row: type a new one
        for _ in range(6):
            key(host, "Backspace")
        push({"type": "text", "text": "hop!"})
        key(host, "Return")
        assert 'TITLE = "hop!"' in main.read_text()
        assert host.display is not None  # applied like a save:
        assert host.display.title == "hop! - potato-sandbox"
        key(host, "Return")
        key(host, "Escape")  # cancels the typing, and is not the host's quit
        assert host.running and 'TITLE = "hop!"' in main.read_text()
        key(host, "Escape")  # not typing: Escape quits as always
        assert not host.running


def test_a_drag_on_a_value_removed_meanwhile_stops_with_a_line(bounce_copy: Path) -> None:
    physics = bounce_copy / "physics.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        open_panel(host)
        left, y, width = host.tweak_panel.where("physics.SPEED") or (0, 0, 0)
        push({"type": "mousedown", "button": 1, "clicks": 1, "x": left + width // 2, "y": y})
        host.step(1)
        edit(physics, "SPEED = 5", "SPEED = WIDTH // 100")  # saved in an editor mid-drag
        edited = physics.read_bytes()
        push({"type": "motion", "x": left + width, "y": y, "xrel": 9, "yrel": 0, "state": 1})
        host.step(1)
        assert host.tweak_panel.dragging is None
        assert "no tweakable value 'physics.SPEED'" in str(host.events[-1])
        push({"type": "mouseup", "button": 1, "clicks": 1, "x": left + width, "y": y})
        host.step(1)
        assert physics.read_bytes() == edited


def test_undo_into_a_file_that_does_not_parse_is_told_and_kept_for_later(
        bounce_copy: Path) -> None:
    physics = bounce_copy / "physics.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.tweak("physics.SPEED", 4)
        good = physics.read_text()
        physics.write_text(good.replace("WIDTH = 640", "WIDTH = ("))
        assert "physics.py does not parse" in host.tweaking.problems()[0]
        assert host.tweaking.undo() is None
        assert str(host.events[-1]).startswith("tweak not written: physics.py does not parse")
        physics.write_text(good)  # fixed: the undo step was kept
        ev = host.tweaking.undo()
        assert str(ev) == "undo tweak physics.py:5 SPEED 4 → 2"
        assert "SPEED = 2  #" in physics.read_text()


def test_the_panel_is_not_part_of_the_games_frame_in_a_screenshot(bounce_copy: Path,
                                                                   tmp_path: Path) -> None:
    from sandbox.sdl import read_png

    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(3)
        open_panel(host)
        assert host.pixel(600, 100) != BLUE  # the window shows the panel …
        w, _, rgba = read_png(host.screenshot(tmp_path / "game.png"))
        i = (100 * w + 600) * 4
        assert tuple(rgba[i:i + 4]) == BLUE  # … the game's frame does not


def test_a_key_held_when_the_panel_opens_is_released_in_the_game(tmp_path: Path) -> None:
    game = tmp_path / "held"
    game.mkdir()
    (game / "main.py").write_text(GAME)
    with Host(game, headless=True, watch=False) as host:
        push({"type": "keydown", "key": "Right", "mod": 0})
        host.step(1)
        open_panel(host)
        push({"type": "keyup", "key": "Right", "mod": 0})  # released while the panel is open
        host.step(1)
        assert host.game.events == [sdl2.SDL_KEYDOWN, sdl2.SDL_KEYUP]  # not stuck down
        assert host.game.GRAVITY == 0.5  # and the panel did not take it as its own


def _yellow_in_value_column(host: Host, name: str) -> int:
    """Pixels of the live-value text of ``name``'s row drawn in the HUD's yellow (changed)."""
    where = host.tweak_panel.where(name)
    assert where is not None
    left, y, _ = where
    count = 0
    for py in range(y - 6, y + 6):
        for px in range(left - 9 * 8, left - 4):  # the value column, before the slider
            r, g, b, _a = host.pixel(px, py)
            count += r > 200 and g > 200 and b < r - 40
    return count


def test_the_rows_follow_play_reloads_and_modules_imported_later(tmp_path: Path) -> None:
    game = tmp_path / "later"
    game.mkdir()
    (game / "main.py").write_text("SPEED = 3\nframes = 0\n\n\ndef update(dt):\n"
                                  "    global frames\n    frames += 1\n"
                                  "    if frames == 5:\n        import extra  # noqa: F401\n")
    (game / "extra.py").write_text("DELAY = 2\n")
    with Host(game, headless=True, watch=False) as host:
        open_panel(host)
        assert _yellow_in_value_column(host, "main.SPEED") == 0  # as the file says: dim
        host.game.SPEED = 7  # play changes it: shown at the next frame, in yellow
        host.step(1)
        assert _yellow_in_value_column(host, "main.SPEED") > 10
        assert host.tweak_panel.where("extra.DELAY") is None
        host.step(5)  # the game imports a module: its values get rows, no event needed
        assert host.tweak_panel.where("extra.DELAY") is not None
        edit(game / "main.py", "SPEED = 3\n", "SPEED = 3\nGRAVITY = 9.8\n")
        assert host.tweak_panel.where("main.GRAVITY") is None
        host.reload()  # F9: the reload's report tells the panel to list its rows again
        host.step(1)
        assert host.tweak_panel.where("main.GRAVITY") is not None
