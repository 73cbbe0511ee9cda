"""The timeline (F8): scrub the history, resume from the past, save while scrubbed back.

Real SDL on the dummy driver, real key and mouse events pushed through SDL's queue, real
files in tmp_path and real reloads. The oracle for what was played is the frames and state
recorded live, tick by tick, before any rewinding; for a physics edit it is a fresh import of
the edited module, stepped in plain Python.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Any

import pytest
from gamefiles import PINK, YELLOW, edit

from sandbox.history import NO_TICK
from sandbox.host import Host
from sandbox.sdl import push_event

REPO = Path(__file__).resolve().parent.parent
Live = dict[int, tuple[Any, bytes]]


def frame(host: Host) -> bytes:
    """The game's own frame as last presented (without the timeline's bar)."""
    assert host.display is not None
    held = host.screen.game_frame()
    return bytes(held) if held is not None else host.display.pixels()


def bounce_state(host: Host) -> tuple[int, int, int, int]:
    """Where bounce's rectangle is and where it heads."""
    game = host.game
    return game.pos_x, game.pos_y, game.dx, game.dy


def play(host: Host, frames: int, state: Any = bounce_state,
         keys: dict[int, list[dict[str, Any]]] | None = None) -> Live:
    """Step ``frames`` frames (pushing ``keys[i]`` before frame ``i``); tick -> (state, frame)."""
    assert host.display is not None
    live: Live = {}
    for i in range(frames):
        for data in (keys or {}).get(i, ()):
            push_event(data, host.display.window_id)
        host.step(1)
        live[host.history.tick] = (state(host), frame(host))
    return live


def key(name: str, down: bool = True, shift: bool = False) -> dict[str, Any]:
    """A key event dict (``event_to_dict``'s form); ``shift`` sets SDL's left-shift mod."""
    return {"type": "keydown" if down else "keyup", "key": name, "mod": 1 if shift else 0,
            "repeat": 0}


def tap(host: Host, name: str, shift: bool = False) -> None:
    """Press and release ``name`` (Shift held with ``shift``), then run a frame."""
    assert host.display is not None
    for down in (True, False):
        push_event(key(name, down, shift), host.display.window_id)
    host.step(1)


def settle(host: Host, limit: int = 1000) -> int:
    """Run frames until a save's re-run of the history ended (or paused on an error)."""
    for frames in range(limit):
        if not host.timeline.rerunning or host.paused:
            return frames
        host.step(1)
    raise AssertionError(f"the re-run did not end in {limit} frames")


def open_timeline(host: Host) -> None:
    host.press("F8")
    host.step(1)
    assert host.timeline.is_open


def test_scrub_back_and_forth_shows_the_frames_played(bounce_copy: Path) -> None:
    """120 ticks back (Left by 10s, Shift+Left by ones) and forth: every frame as played."""
    with Host(bounce_copy, headless=True, watch=False) as host:
        live = play(host, 400)
        open_timeline(host)
        assert host.timeline.cursor == 400 and host.history.tick == 400
        seen = []
        for _ in range(11):
            tap(host, "Left")
            seen.append(host.timeline.cursor)
        for _ in range(10):
            tap(host, "Left", shift=True)
            seen.append(host.timeline.cursor)
        assert seen[-1] == 280  # 120 ticks back
        for _ in range(7):
            tap(host, "Right", shift=True)
            seen.append(host.timeline.cursor)
        for _ in range(3):
            tap(host, "Right")
            seen.append(host.timeline.cursor)
        assert seen[-1] == 317
        tap(host, "Home")
        assert host.timeline.cursor == host.history.start
        tap(host, "Left")  # kept inside the history
        assert host.timeline.cursor == host.history.start
        tap(host, "End")
        assert host.timeline.cursor == 400
        tap(host, "Right", shift=True)
        assert host.timeline.cursor == 400
        assert host.history.tick == 400  # scrubbing runs no update of play
        assert f"TIMELINE tick 400/400  {len(host.history.keyframes)} keyframes " \
            f"{host.history.memory / 2**20:.2f} MB (cap 64 MB)" in [
                source() for source in host.hud_sources]  # F3's HUD shows it
        for cursor in seen:
            host.timeline.move_to(cursor)
            host.step(1)
            assert bounce_state(host) == live[cursor][0]
            assert frame(host) == live[cursor][1], f"tick {cursor} differs from play"
        # The bar is drawn over the game, at the bottom, and is no part of the game's frame.
        # The window shows the bar at the bottom (dark over the blue background) …
        assert host.pixel(3, 478)[2] < 100 and host.pixel(3, 10)[:3] == (0, 0, 255)


def test_the_same_span_twice_is_pixel_identical(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        play(host, 300)
        open_timeline(host)
        runs = []
        for _ in range(2):
            frames = []
            for tick in range(150, 240, 3):
                host.timeline.move_to(tick)
                host.step(1)
                frames.append(frame(host))
            host.timeline.move_to(300)
            host.step(1)
            runs.append(frames)
        assert runs[0] == runs[1]
        assert len(set(runs[0])) > 20  # the span moves: the frames differ from each other


RANDOM_GAME = '''
import random

SIZE = (200, 100)
x = 100
trail = []


def update(dt):
    global x
    x = max(0, min(199, x + random.choice((-3, -1, 1, 3))))
    trail.append(random.random())


def draw(renderer):
    renderer.clear((0, 0, 0))
    renderer.fill_rect((x, 40, 4, 20), (255, 255, 255))
'''

HELD_KEYS_GAME = '''
from sandbox import keyboard

SIZE = (200, 100)
x = 100


def update(dt):
    global x
    x += keyboard.right - keyboard.left


def draw(renderer):
    renderer.clear((0, 0, 0))
    renderer.fill_rect((x, 40, 4, 20), (0, 255, 0))
'''


def test_random_numbers_are_the_ones_played(tmp_path: Path) -> None:
    """``random`` is restored per keyframe: a re-run draws the numbers play drew."""
    game = tmp_path / "walk"
    game.mkdir()
    (game / "main.py").write_text(RANDOM_GAME)
    with Host(game, headless=True, watch=False) as host:
        live = play(host, 200, state=lambda h: (h.game.x, h.game.trail[-1]))
        open_timeline(host)
        for tick in (199, 150, 101, 77, 120, 200):
            host.timeline.move_to(tick)
            host.step(1)
            assert (host.game.x, host.game.trail[-1]) == live[tick][0]
            assert frame(host) == live[tick][1]


def test_held_keys_are_replayed_on_their_ticks(tmp_path: Path) -> None:
    """Real key-downs and key-ups during play: the log replays them, the held state too."""
    game = tmp_path / "held"
    game.mkdir()
    (game / "main.py").write_text(HELD_KEYS_GAME)
    keys = {10: [key("Right")], 40: [key("Right", down=False)], 45: [key("Left")],
            100: [key("Left", down=False)], 130: [key("Right")]}
    with Host(game, headless=True, watch=False) as host:
        live = play(host, 160, state=lambda h: h.game.x, keys=keys)
        assert live[160][0] != 100  # the keys moved it
        open_timeline(host)
        for tick in range(160, 30, -7):
            host.timeline.move_to(tick)
            host.step(1)
            assert host.game.x == live[tick][0], tick
            assert frame(host) == live[tick][1]
        host.timeline.move_to(42)
        host.step(1)
        # At tick 42 the replayed view holds nothing (Right went up at 40), but the real
        # keyboard still holds Right (pressed at frame 130): resuming tells the game so.
        host.press("F8")
        host.step(1)
        assert not host.timeline.is_open
        assert host.history.tick == 43
        assert host.game.x == live[42][0] + 1


def test_f8_again_resumes_from_the_scrubbed_tick(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        live = play(host, 300)
        open_timeline(host)
        for _ in range(5):
            tap(host, "Left")
        assert host.timeline.cursor == 250
        host.press("F8")
        host.step(1)
        assert not host.timeline.is_open
        assert host.history.tick == 251  # play went on from 250: the old future is gone
        assert "resumed 0.83 s back (50 ticks of the old future dropped)" in [
            str(ev) for ev in host.events]
        again = play(host, 20)
        for tick, (state, picture) in again.items():
            assert state == live[tick][0] and picture == live[tick][1]
        assert max(kf.tick for kf in host.history.keyframes) <= 271


def test_dragging_the_bar_scrubs(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        live = play(host, 300)
        open_timeline(host)
        assert host.display is not None
        window = host.display.window_id
        start = host.history.start
        left = host.timeline.x_of(start)
        right = host.timeline.x_of(300)
        y = host.display.size[1] - 6
        push_event({"type": "mousedown", "button": 1, "clicks": 1, "x": left, "y": y}, window)
        host.step(1)
        assert host.timeline.cursor == start
        middle = (left + right) // 2
        push_event({"type": "motion", "x": middle, "y": y, "xrel": 1, "yrel": 0, "state": 1},
                   window)
        host.step(1)
        cursor = host.timeline.cursor
        assert abs(cursor - (start + 300) // 2) <= 1
        assert frame(host) == live[cursor][1]
        push_event({"type": "mouseup", "button": 1, "clicks": 1, "x": middle, "y": y}, window)
        push_event({"type": "motion", "x": right, "y": y, "xrel": 1, "yrel": 0, "state": 0},
                   window)
        host.step(1)
        assert host.timeline.cursor == cursor  # released: moving no longer scrubs
        # A click above the bar is the game's picture, not the bar: it does not scrub.
        push_event({"type": "mousedown", "button": 1, "clicks": 1, "x": right, "y": 5}, window)
        host.step(1)
        assert host.timeline.cursor == cursor


def test_a_colour_edit_while_scrubbed_back_shows_on_every_frame(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        live = play(host, 400)
        open_timeline(host)
        host.timeline.move_to(280)
        host.step(1)
        assert host.pixel(*live[280][0][:2]) == PINK
        edit(bounce_copy / "main.py", "(255, 128, 128)", "(255, 255, 128)")
        host.press("F9")
        host.step(1)
        settle(host)
        assert host.timeline.cursor == 280 and host.timeline.divergence is None
        assert bounce_state(host) == live[280][0]
        assert any("never differs" in str(ev) for ev in host.events)
        for tick in range(280, 401, 4):
            host.timeline.move_to(tick)
            host.step(1)
            assert bounce_state(host) == live[tick][0]  # positions unchanged
            x, y = live[tick][0][:2]
            assert host.pixel(min(x, 639), min(y, 400)) == YELLOW, tick


def fresh_physics(path: Path) -> Any:
    """The edited physics.py imported fresh, as plain Python would."""
    spec = importlib.util.spec_from_file_location("physics_oracle", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_physics_edit_changes_the_rerun_from_the_cursor_and_marks_the_divergence(
        bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        live = play(host, 800)
        cursor = 700  # past the first walls: bounce moves at SPEED, heading up and left
        open_timeline(host)
        host.timeline.move_to(cursor)
        host.step(1)
        # The top wall moves down to 20: nothing changes until the rectangle gets there.
        edit(bounce_copy / "physics.py", "if y <= 0:\n        dy = +SPEED",
             "if y <= 20:\n        dy = +SPEED")
        host.press("F9")
        host.step(1)
        settle(host)
        # The oracle: the edited module imported fresh, stepped from the cursor's state after
        # bounce's after_reload handler (which sets the speed again: the same here).
        physics = fresh_physics(bounce_copy / "physics.py")
        x, y, dx, dy = live[cursor][0]
        dx, dy = physics.with_speed(dx), physics.with_speed(dy)
        expected = {cursor: (x, y, dx, dy)}
        for tick in range(cursor + 1, 801):
            x, y = x + dx, y + dy
            dx, dy = physics.bounce(x, y, dx, dy)
            expected[tick] = (x, y, dx, dy)
        assert expected[cursor] == live[cursor][0]
        diverges = min(t for t in expected if expected[t] != live[t][0])
        assert cursor + 5 < diverges < 790
        assert host.timeline.divergence == diverges
        assert any(f"diverges from the old run at tick {diverges}" in str(ev)
                   for ev in host.events)
        for tick in range(cursor, 801, 5):
            host.timeline.move_to(tick)
            host.step(1)
            assert bounce_state(host) == expected[tick], tick
            if tick < diverges:
                assert frame(host) == live[tick][1]
        assert min(s[1] for s in expected.values()) >= 20 - 2 > min(
            live[t][0][1] for t in expected)
        # The bar marks it: red at the divergence's x, on the track.
        assert host.display is not None
        mark_x = host.timeline.x_of(diverges)
        track_y = host.display.size[1] - 6 - 8 // 2
        assert host.pixel(mark_x, track_y - 6)[:3] == (255, 80, 80)
        # Resuming there plays on under the new code.
        host.timeline.move_to(diverges + 10)
        host.step(1)
        host.press("F8")
        host.step(3)
        assert bounce_state(host) == expected[diverges + 13]


def test_f8_without_history_and_before_any_update_says_why(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False, history=0) as host:
        host.step(30)
        open_attempt = host.events.total
        host.press("F8")
        host.step(2)
        assert not host.timeline.is_open
        said = [str(ev) for ev in host.events.since(open_attempt)]
        assert "the timeline needs a history: run without --history 0" in said
        assert host.history.keyframes == [] and host.history.tick == 0


def test_f8_while_looping_and_after_a_hot_restart(bounce_copy: Path) -> None:
    """A loop's passes are not history; a hot restart forgets the old modules' history."""
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(40)
        host.press("F6")
        host.step(30)
        host.press("F6")  # looping now
        host.step(10)
        assert host.history.keyframes == []
        host.press("F8")
        host.step(1)
        assert not host.timeline.is_open
        assert any(str(ev).startswith("nothing to rewind yet") for ev in host.events)
        host.press("F7")
        host.step(40)
        assert host.history.tick == 40  # counted again from the update after F7
        open_timeline(host)
        host.press("F5")
        host.step(1)
        assert not host.timeline.is_open and host.history.tick <= 1


def test_breakout_scrub_matches_play(tmp_path: Path) -> None:
    """A game in four modules, with an image, a sound and the paddle moved by held keys."""
    game = tmp_path / "breakout"
    shutil.copytree(REPO / "games" / "breakout", game,
                    ignore=shutil.ignore_patterns("__pycache__"))
    keys = {20: [key("Left")], 80: [key("Left", down=False)], 90: [key("Right")],
            200: [key("Right", down=False)]}

    def state(h: Host) -> tuple[float, ...]:
        mods = h.reloader.modules
        return (mods["ball"].x, mods["ball"].y, mods["paddle"].x, h.game.score)

    with Host(game, headless=True, watch=False) as host:
        live = play(host, 600, state=state, keys=keys)
        open_timeline(host)
        for tick in (600, 480, 333, 250, 90, 91, 42, 400):
            if tick < host.history.start:
                continue
            host.timeline.move_to(tick)
            host.step(1)
            assert state(host) == live[tick][0], tick
            assert frame(host) == live[tick][1], tick


@pytest.mark.parametrize("bad", ["-1", "soon", "inf"])
def test_history_seconds_on_the_command_line(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    from sandbox.cli import main

    assert main(["games/bounce", "--history", bad]) == 2
    err = capsys.readouterr().err
    assert "--history" in err and ("0 or more seconds" in err or "not a number" in err)


def test_a_save_that_fails_in_the_rerun_pauses_on_the_error_and_a_fix_goes_on(
        bounce_copy: Path) -> None:
    """The new code raises 10 ticks into the re-run: the error shows, the session goes on."""
    with Host(bounce_copy, headless=True, watch=False) as host:
        play(host, 800)
        open_timeline(host)
        host.timeline.move_to(700)
        host.step(1)
        main_py = bounce_copy / "main.py"
        edit(main_py, "    pos_x += dx\n", "    pos_x += dx\n    assert pos_y > 20, 'too high'\n")
        host.press("F9")
        host.step(1)
        settle(host)
        assert host.paused and host.last_error is not None
        assert "too high" in host.last_error.message and host.last_error.where.startswith(
            "main.py:")
        assert host.timeline.is_open and host.timeline.divergence is None
        assert host.history.shown == NO_TICK  # half an update ran: the state is no tick's
        edit(main_py, "    assert pos_y > 20, 'too high'\n", "")
        host.press("F9")
        host.step(1)
        settle(host)
        assert not host.paused
        # Compared with the old run, not the broken one: the fix behaves as the old code did.
        assert "re-ran 100 ticks under the new code: the state never differs from the old run" \
            in [str(ev) for ev in host.events]
        host.timeline.move_to(790)
        host.step(1)
        assert host.history.shown == 790
        host.press("F8")
        host.step(2)
        assert not host.timeline.is_open and host.history.tick == 792


def test_history_seconds_reach_the_host(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """``--history 0`` and ``--history 2`` run headless, each host keeping what it was told."""
    from sandbox.cli import main

    windows: list[int] = []
    real_init = Host.__init__

    def init(self: Host, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        windows.append(self.history.window)

    monkeypatch.setattr(Host, "__init__", init)
    for seconds in ("0", "2"):
        shot = tmp_path / f"h{seconds}.png"
        assert main(["games/bounce", "--headless", "--frames", "30", "--no-watch",
                     "--history", seconds, "--screenshot", str(shot)]) == 0
        assert shot.stat().st_size > 0
    assert windows == [0, 120]  # ticks at 60 Hz


CRASHING_GAME = '''
SIZE = (200, 100)
x = 0


def update(dt):
    global x
    x += 1
    if x == 90:
        raise ValueError("x reached 90")


def draw(renderer):
    renderer.clear((0, 0, 0))
    renderer.fill_rect((x, 40, 4, 20), (255, 255, 255))
'''


def test_the_timeline_over_an_error_pause_rewinds_to_before_it(tmp_path: Path) -> None:
    """Paused on an error: F8, back before it, F8 resumes there and the error comes again."""
    game = tmp_path / "crash"
    game.mkdir()
    (game / "main.py").write_text(CRASHING_GAME)
    with Host(game, headless=True, watch=False) as host:
        host.step(100)
        assert host.paused and host.last_error is not None
        assert host.history.tick == 89  # the failed update is no tick
        open_timeline(host)
        for _ in range(3):
            tap(host, "Left")
        assert host.timeline.cursor == 59
        host.press("F8")
        host.step(1)
        assert not host.timeline.is_open and host.history.tick == 59
        assert host.game.x == 59 and host.paused  # still on the error until a fix
        (game / "main.py").write_text(CRASHING_GAME.replace("x == 90", "x == 1000"))
        host.press("F9")
        host.step(20)
        assert not host.paused and host.game.x == 79 and host.history.tick == 79


def test_s_in_the_timeline_saves_the_history_and_replay_plays_it(tmp_path: Path) -> None:
    """With --record FILE, S writes the history; a fresh session's --replay ends where it did."""
    from sandbox.recording import Recording

    game = tmp_path / "breakout"
    shutil.copytree(REPO / "games" / "breakout", game,
                    ignore=shutil.ignore_patterns("__pycache__"))
    keys = {20: [key("Left")], 80: [key("Left", down=False)], 90: [key("Right")],
            200: [key("Right", down=False)]}

    def state(h: Host) -> tuple[float, ...]:
        mods = h.reloader.modules
        return (mods["ball"].x, mods["ball"].y, mods["paddle"].x, h.game.score, h.game.lives)

    path = tmp_path / "bug.json"
    with Host(game, headless=True, watch=False) as host:
        host.press("F8")  # before any update: nothing to rewind
        live = play(host, 300, state=state, keys=keys)
        assert not host.timeline.is_open
        assert any(str(ev).startswith("nothing to rewind yet") for ev in host.events)
        open_timeline(host)
        tap(host, "S")
        assert any("start with --record FILE" in str(ev) for ev in host.events)
        host.looping.record_to = tmp_path  # a folder: the save fails, the session goes on
        tap(host, "S")
        assert any(str(ev).startswith(f"could not write recording {tmp_path}")
                   for ev in host.events)
        host.looping.record_to = path
        tap(host, "S")
        start = host.history.start
        assert f"history saved to {path} ({300 - start} ticks, 4 events): --replay it" in [
            str(ev) for ev in host.events]
    with Host(game, headless=True, watch=False) as replay:
        replay.looping.play(Recording.load(path, "breakout", replay.reloader.modules))
        replay.step(300 - start)
        assert state(replay) == live[300][0]
        assert frame(replay) == live[300][1]
