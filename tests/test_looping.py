"""Looped live editing (F6/F7): record play headless, loop it, edit during the loop, replay files.

Real SDL key events (``host.press`` pushes them into SDL's queue), real files in tmp_path.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from sandbox.cli import main
from sandbox.events import Notice
from sandbox.host import Host
from sandbox.hot import ReloadReport
from sandbox.looping import Mode
from sandbox.recording import Recording
from sandbox.sdl import event_from_dict, event_to_dict, read_png
from sandbox.snapshot import Snapshot, carry_edits, identities

# bounce ignores keys: give the copy arrow keys, so replayed events visibly steer it.
ARROWS = '''

import sdl2


def on_event(event):
    """Arrow keys turn the rectangle."""
    global dx, dy
    if event.type == sdl2.SDL_KEYDOWN:
        sym = event.key.keysym.sym
        if sym == sdl2.SDLK_LEFT:
            dx = -abs(dx)
        elif sym == sdl2.SDLK_RIGHT:
            dx = abs(dx)
        elif sym == sdl2.SDLK_UP:
            dy = -abs(dy)
        elif sym == sdl2.SDLK_DOWN:
            dy = abs(dy)
'''

PINK, YELLOW = (255, 128, 128, 255), (255, 255, 128, 255)
KEYS_AT = {20: "Left", 45: "Up", 70: "Right", 95: "Down"}  # tick -> key, while recording
Sample = tuple[int, int, tuple[int, int, int, int], str]


@pytest.fixture
def arrows(bounce_copy: Path) -> Path:
    """The bounce copy, steerable with the arrow keys."""
    main_py = bounce_copy / "main.py"
    main_py.write_text(main_py.read_text() + ARROWS)
    return bounce_copy


def sample(host: Host) -> Sample:
    """Where the rectangle is, the pixel at its centre and a digest of the whole frame."""
    assert host.display is not None
    x, y = host.game.pos_x, host.game.pos_y
    w, h = host.display.size
    centre = host.pixel(min(max(x, 0), w - 1), min(max(y, 0), h - 1))
    return x, y, centre, hashlib.sha1(host.display.pixels()).hexdigest()


def run(host: Host, frames: int, keys: dict[int, str] | None = None) -> list[Sample]:
    """Step ``frames`` frames, pressing ``keys[i]`` just before frame ``i``."""
    trace = []
    for i in range(frames):
        if keys and i in keys:
            host.press(keys[i])
        host.step(1)
        trace.append(sample(host))
    return trace


def record(host: Host, ticks: int = 120) -> list[Sample]:
    """F6, ``ticks`` frames of play with arrow keys, F6 again: the loop starts next frame."""
    host.step(10)
    host.press("F6")
    trace = run(host, ticks, KEYS_AT)
    host.press("F6")
    return trace


def game_folder(tmp_path: Path, name: str, main: str) -> Path:
    """A game folder ``tmp_path/name`` whose main.py is ``main``."""
    game = tmp_path / name
    game.mkdir()
    (game / "main.py").write_text(main)
    return game


def loop_over(host: Host, ticks: int) -> None:
    """F6, ``ticks`` frames of play as the game plays itself, F6: the loop starts next frame."""
    host.press("F6")
    host.step(ticks)
    host.press("F6")


def positions(trace: list[Sample]) -> list[tuple[int, int]]:
    return [(x, y) for x, y, _, _ in trace]


def notices(host: Host) -> list[str]:
    return [str(ev) for ev in host.events if isinstance(ev, Notice)]


def test_a_loop_replays_the_recorded_play_frame_for_frame(arrows: Path) -> None:
    with Host(arrows, headless=True, watch=False) as host:
        recorded = record(host)
        assert host.looping.recording is not None
        assert [t for t, ev in host.looping.recording.events if ev["type"] == "keydown"] \
            == list(KEYS_AT)
        pass1 = run(host, 120)
        assert host.looping.mode is Mode.LOOPING and host.looping.passes == 1
        pass2 = run(host, 120, {5: "Left", 60: "Up"})  # real input goes nowhere while looping
        assert host.looping.passes == 2
    assert pass1 == pass2  # every pixel of every frame, indicator included
    assert positions(pass1) == positions(recorded)
    # The keys steered it: without them it would keep moving right until the wall.
    xs = [x for x, _ in positions(pass1)]
    assert xs[21] < xs[20] and xs[71] > xs[70]
    assert any("looping 2.0 s (120 ticks, 8 events)" in n for n in notices(host))


def test_a_colour_edit_during_the_loop_shows_on_the_same_positions(arrows: Path) -> None:
    with Host(arrows, headless=True, watch=False) as host:
        record(host)
        pass1 = run(host, 120)
        main_py = arrows / "main.py"
        run(host, 30)
        main_py.write_text(main_py.read_text().replace("(255, 128, 128)", "(255, 255, 128)"))
        host.press("F9")
        run(host, 90)  # the rest of pass 2, now in the new colour
        pass3 = run(host, 120)
        assert host.last_error is None and host.looping.passes == 3
    assert positions(pass3) == positions(pass1)
    assert {centre for *_, centre, _ in pass1} == {PINK}
    assert {centre for *_, centre, _ in pass3} == {YELLOW}


def test_edited_constants_survive_into_the_next_pass(arrows: Path) -> None:
    with Host(arrows, headless=True, watch=False) as host:
        record(host)
        run(host, 50)
        main_py, physics_py = arrows / "main.py", arrows / "physics.py"
        main_py.write_text(main_py.read_text().replace("BACKGROUND = (0, 0, 255)",
                                                       "BACKGROUND = (0, 96, 0)"))
        physics_py.write_text(physics_py.read_text().replace("SPEED = 2", "SPEED = 5"))
        host.press("F9")
        run(host, 70)
        pass3 = run(host, 120)
        assert host.game.BACKGROUND == (0, 96, 0)
        assert host.game.physics.SPEED == 5
        assert host.pixel(3, 3) == (0, 96, 0, 255)
        pass4 = run(host, 120)
    assert pass3 == pass4  # after the edit, every pass is the same again
    xs = [x for x, _ in positions(pass3)]
    assert max(abs(b - a) for a, b in itertools.pairwise(xs)) == 5  # the new speed after a wall


def test_f7_ends_the_loop_and_the_game_goes_on_from_there(arrows: Path) -> None:
    with Host(arrows, headless=True, watch=False) as host:
        record(host)
        run(host, 30)
        where = (host.game.pos_x, host.game.pos_y)
        host.press("F7")
        host.step(1)
        assert host.looping.mode is Mode.IDLE
        assert abs(host.game.pos_x - where[0]) <= 2  # not restored to the snapshot
        host.press("Left")
        host.step(1)
        assert host.game.dx < 0  # real input reaches the game again
        assert "loop ended: the game goes on from here" in notices(host)


def test_nothing_recorded_does_not_loop_and_restart_ends_a_loop(arrows: Path) -> None:
    with Host(arrows, headless=True, watch=False) as host:
        host.press("F6")
        host.press("F6")
        host.step(1)
        assert host.looping.mode is Mode.IDLE
        assert any("nothing recorded" in n for n in notices(host))
        record(host, 30)
        host.step(5)
        host.press("F5")
        host.step(1)
        assert host.looping.mode is Mode.IDLE
        assert "hot restart: looping ended" in notices(host)


GAME = '''
import random
import threading
from dataclasses import dataclass

TITLE = "balls"
SIZE = (320, 240)
lock = threading.Lock()


@dataclass
class Ball:
    x: int = 0
    y: int = 0


ball = Ball()


def update(dt):
    ball.x += 1
    ball.y = random.randint(0, 200)


def draw(renderer):
    renderer.clear((0, 0, 0))
    renderer.fill((ball.x % 300, ball.y, 20, 20), (255, 255, 255))
'''


def test_random_is_seeded_per_pass_and_a_new_field_reaches_the_snapshot(tmp_path: Path) -> None:
    game = game_folder(tmp_path, "balls", GAME)
    with Host(game, headless=True, watch=False) as host:
        loop_over(host, 40)
        ys = [host.step(1) and host.game.ball.y for _ in range(80)]
        assert ys[:40] == ys[40:]  # the same random numbers in every pass
        assert any("kept by reference" in n and "main.lock" in n for n in notices(host))
        source = GAME.replace("from dataclasses import dataclass",
                              "from dataclasses import dataclass, field")
        source = source.replace("    y: int = 0\n",
                                "    y: int = 0\n    trail: list = field(default_factory=list)\n")
        source = source.replace("    ball.x += 1\n",
                                "    ball.x += 1\n    ball.trail.append(ball.x)\n")
        (game / "main.py").write_text(source)
        host.press("F9")
        host.step(10)  # the live instance was migrated
        assert host.last_error is None
        assert host.looping.recording is not None
        assert host.looping.recording.snapshot.values["main"]["ball"].trail == []
        host.step(30 + 10)  # the next pass starts from the snapshot's copy, migrated too
        assert host.last_error is None, host.last_error
        assert host.looping.passes == 4
        assert host.game.ball.trail == list(range(1, 11))


def test_a_saved_recording_replays_headless_to_the_same_screenshot(
    arrows: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec, live, replayed = tmp_path / "play.json", tmp_path / "live.png", tmp_path / "replay.png"
    with Host(arrows, headless=True, watch=False) as host:
        host.looping.record_to = rec
        record(host)
        run(host, 150)  # into the second pass: the replay loops too
        host.screenshot(live)
    doc = json.loads(rec.read_text())
    assert doc["ticks"] == 120 and doc["game"] == "bounce" and len(doc["events"]) == 8
    assert doc["events"][0] == {"tick": 20, "event": {
        "type": "keydown", "key": "Left", "scancode": 80, "mod": 0, "repeat": 0}}
    code = main([str(arrows), "--replay", str(rec), "--headless", "--no-watch",
                 "--frames", "150", "--screenshot", str(replayed)])
    assert code == 0, capsys.readouterr()
    assert read_png(replayed) == read_png(live)


def test_a_headless_replay_says_how_long_it_runs_not_that_f7_ends_it(
    arrows: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = tmp_path / "play.json"
    with Host(arrows, headless=True, watch=False) as host:
        host.looping.record_to = rec
        record(host)  # 120 ticks
    capsys.readouterr()
    for frames, passes in (("150", "1.25 passes"), ("240", "2 passes"), ("120", "1 pass)")):
        code = main([str(arrows), "--replay", str(rec), "--headless", "--no-watch",
                     "--frames", frames])
        out = capsys.readouterr().out
        assert code == 0, out
        assert (f"looping 2.0 s (120 ticks, 8 events); headless: it runs for the {frames} "
                f"frames of --frames ({passes}") in out and "ends by itself" in out
        assert "F7" not in out  # a headless run has no keys
    # Headless with no --frames: it never ends by itself, and the line says so.
    with Host(arrows, headless=True, watch=False) as host:
        host.looping.play(Recording.load(rec, "bounce", host.reloader.modules), headless=True)
        told = [str(e) for e in host.events if isinstance(e, Notice)]
        assert any("no key ends it: it repeats until the process is stopped (Ctrl+C); add "
                   "--frames N to end it by itself" in line for line in told), told
        host.step(250)
        assert host.looping.mode is Mode.LOOPING and host.looping.passes == 3
    # With a window, F7 still ends it, and the line still says so.
    with Host(arrows, headless=True, watch=False) as host:
        host.looping.play(Recording.load(rec, "bounce", host.reloader.modules))
        assert "real input is ignored until F7 ends the loop" in str(host.events[-1])


def test_record_writes_the_file_at_exit_when_still_recording(arrows: Path, tmp_path: Path) -> None:
    rec = tmp_path / "play.json"
    code = main([str(arrows), "--headless", "--no-watch", "--frames", "1", "--record", str(rec)])
    assert code == 0 and not rec.exists()  # nothing was recorded
    with Host(arrows, headless=True, watch=False) as host:
        host.looping.record_to = rec
        host.press("F6")
        host.step(30)
    assert json.loads(rec.read_text())["ticks"] == 30


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda text: text[: len(text) // 2], "not a complete recording"),
        (lambda text: text.replace('"version": 3', '"version": 7'), "version 7 recording"),
        (lambda text: text.replace('"version": 3', '"version": 1'),
         "is a version 1 recording; this sandbox reads versions 2 to 3 — record it again"),
        (lambda text: text.replace('"sources": {', '"sources": {"x": 3, '),
         "is damaged (TypeError: a source or a name is a int, not text)"),
        (lambda text: text.replace('"game": "bounce"', '"game": "pong"'),
         "recorded in game 'pong'"),
        (lambda text: text.replace('"ticks": 120', '"ticks": 0'), "no ticks"),
        (lambda text: text.replace('"key": "Left"', '"key": "NoSuchKey"'), "damaged at tick 20"),
        (lambda text: text.replace('"step": 0.016666666666666666', '"step": 0.05'),
         "made at 20 updates a second, this session runs 60; replay it with --fps 20"),
    ],
)
def test_bad_recordings_exit_2_with_a_message(
    arrows: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], mangle: Any, message: str
) -> None:
    rec = tmp_path / "play.json"
    with Host(arrows, headless=True, watch=False) as host:
        host.looping.record_to = rec
        record(host)
    rec.write_text(mangle(rec.read_text()))
    capsys.readouterr()
    code = main([str(arrows), "--replay", str(rec), "--headless", "--no-watch", "--frames", "5"])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("data", [
    {"type": "keydown", "key": "Left", "scancode": 80, "mod": 1, "repeat": 0},
    {"type": "keyup", "key": "A", "scancode": 4, "mod": 0, "repeat": 1},
    {"type": "text", "text": "hé"},
    {"type": "mousedown", "button": 1, "clicks": 2, "x": 3, "y": 4},
    {"type": "mouseup", "button": 3, "clicks": 1, "x": 30, "y": 40},
    {"type": "motion", "x": 1, "y": 2, "xrel": 3, "yrel": -4, "state": 1},
    {"type": "wheel", "x": 0, "y": -1, "direction": 0, "precise_x": 0.0, "precise_y": -1.0},
])
def test_the_event_codec_round_trips(data: dict[str, Any]) -> None:
    assert event_to_dict(event_from_dict(data)) == data
    assert json.loads(json.dumps(data)) == data


def test_the_event_codec_rejects_what_it_never_made() -> None:
    with pytest.raises(ValueError, match="unknown event type 'joystick'"):
        event_from_dict({"type": "joystick"})
    with pytest.raises(ValueError, match="text longer than 31 bytes"):
        event_from_dict({"type": "text", "text": "x" * 40})


def test_the_hud_shows_the_loop_and_edits_while_recording_are_kept(arrows: Path) -> None:
    with Host(arrows, headless=True, watch=False) as host:
        host.press("F3")
        host.press("F6")
        host.step(30)
        assert host.looping.hud_line() == "REC 0.5 s  0 events"
        main_py = arrows / "main.py"
        main_py.write_text(main_py.read_text().replace("BACKGROUND = (0, 0, 255)",
                                                       "BACKGROUND = (40, 0, 0)"))
        host.press("F9")
        host.step(30)
        host.press("F6")
        host.step(15)
        assert "LOOP 1.0 s  pass 1  tick 15/60" in " ".join(host._hud())
        assert host.game.BACKGROUND == (40, 0, 0)  # the edit is code: the loop keeps it


def test_carry_edits_adopts_code_but_not_play() -> None:
    module = ModuleType("game_main")
    module.SPEED, module.dx, module.pos = 2, 2, [0, 0]
    modules = {"game_main": module}
    snapshot = Snapshot.take(modules)
    module.dx = -2  # play changed it since the snapshot
    before = identities(modules)
    module.SPEED, module.dx, module.boost = 5, -5, 1  # the reload: a re-run, a handler, a new name
    adopted = carry_edits(snapshot, before, modules)
    assert sorted(adopted) == [("game_main", "SPEED"), ("game_main", "boost")]
    snapshot.restore(modules)
    assert (module.SPEED, module.dx, module.boost) == (5, 2, 1)


def test_f6_while_paused_jumps_back_and_f6_while_looping_records_afresh(arrows: Path) -> None:
    with Host(arrows, headless=True, watch=False) as host:
        host.press("F6")
        start = (host.game.pos_x, host.game.pos_y)
        host.step(40)
        host.press("F10")
        host.press("F6")
        host.step(3)
        assert host.paused and (host.game.pos_x, host.game.pos_y) == start
        assert host.looping.mode is Mode.LOOPING
        host.press("F10")
        host.step(10)
        host.press("F6")
        host.step(5)
        assert host.looping.mode is Mode.RECORDING and host.looping.tick == 5
        host.press("F6")
        host.step(1)
        assert host.looping.recording is not None and host.looping.recording.ticks == 5


LEVEL = '''
SIZE = (320, 240)
blocks = [10, 20]


def update(dt):
    blocks[0] += 1  # play changes the layout in place


def draw(renderer):
    renderer.clear((0, 0, 0))
    for x in blocks:
        renderer.fill((x % 300, 100, 10, 10), (255, 255, 255))
'''


def test_an_edited_layout_starts_the_next_pass_even_though_play_changed_it(
    tmp_path: Path,
) -> None:
    game = game_folder(tmp_path, "level", LEVEL)
    with Host(game, headless=True, watch=False) as host:
        loop_over(host, 20)
        host.step(5)
        assert host.game.blocks == [15, 20]
        (game / "main.py").write_text(LEVEL.replace("blocks = [10, 20]", "blocks = [50, 60, 70]"))
        host.press("F9")
        host.step(15 + 1)  # the rest of this pass, then the first tick of the next
        assert host.looping.passes == 2
        assert host.game.blocks == [51, 60, 70]


def test_the_names_carried_are_those_the_reload_ran_not_those_of_a_later_save(
    tmp_path: Path,
) -> None:
    game = tmp_path / "level"
    game.mkdir()
    main_py = game / "main.py"
    main_py.write_text(LEVEL)
    with Host(game, headless=True, watch=False) as host:
        loop_over(host, 20)
        host.step(5)
        assert host.game.blocks == [15, 20]  # play changed it: only an edit may carry it
        main_py.write_text(LEVEL.replace("blocks = [10, 20]", "blocks = [50, 60, 70]"))

        def reload_then_save_again() -> ReloadReport:
            """The reload, then the editor saving again (a comment on top) at once."""
            report = host.reloader.reload()
            main_py.write_text("# level one\n" + main_py.read_text())
            return report

        report = host.looping.around_reload(reload_then_save_again)
        # Line 3 ran; on disk line 3 is now ``SIZE = …``, which the reload did not run.
        assert report.ok and report.rerun == ["main.py:3"]
        host.step(15 + 1)  # the rest of this pass, then the first tick of the next
        assert host.looping.passes == 2
        assert host.game.blocks == [51, 60, 70]
        host.press("F9")  # the second save only moved statements: nothing runs again
        host.step(20)
        assert host.last_error is None and host.looping.passes == 3
        assert host.game.blocks == [51, 60, 70]


SPEEDUP = '''
from physics import SPEED

SIZE = (320, 240)


def update(dt):
    global SPEED
    SPEED += 1  # play speeds up this module's own SPEED
'''


def test_an_edit_reaching_a_dependent_through_from_import_is_carried(tmp_path: Path) -> None:
    game = game_folder(tmp_path, "speedup", SPEEDUP)
    (game / "physics.py").write_text("SPEED = 2\n")
    with Host(game, headless=True, watch=False) as host:
        loop_over(host, 10)
        host.step(5)
        assert host.game.SPEED == 7
        (game / "physics.py").write_text("SPEED = 40\n")
        host.press("F9")
        host.step(5 + 1)  # the rest of this pass, then the first tick of the next
        assert host.last_error is None and host.looping.passes == 2
        # The reload re-ran main's ``from physics import SPEED``: the edit is code, so every
        # pass now starts from 40, not from the recorded 2.
        assert host.game.SPEED == 41
        assert host.looping.recording is not None
        assert host.looping.recording.snapshot.values["main"]["SPEED"] == 40


LIVES = '''
LIVES = 3
SIZE = (320, 240)


def update(dt):
    global LIVES
    LIVES += 1
'''


def test_an_edit_to_the_value_play_already_reached_is_carried(tmp_path: Path) -> None:
    game = game_folder(tmp_path, "lives", LIVES)
    with Host(game, headless=True, watch=False) as host:
        loop_over(host, 10)
        host.step(5)
        assert host.game.LIVES == 8
        # The edit writes the value play reached: the same (shared) int object, so only the
        # report says the statement bound it.
        (game / "main.py").write_text(LIVES.replace("LIVES = 3", "LIVES = 8"))
        host.press("F9")
        host.step(5 + 1)  # the rest of this pass, then the first tick of the next
        assert host.last_error is None and host.looping.passes == 2
        assert host.game.LIVES == 9  # the pass starts from the edited 8, not the recorded 3
        assert host.looping.recording is not None
        assert host.looping.recording.snapshot.values["main"]["LIVES"] == 8


CLICKS = '''
import sdl2

SIZE = (320, 240)
clicks = []


def on_event(event):
    if event.type == sdl2.SDL_MOUSEBUTTONDOWN:
        clicks.append((event.button.x, event.button.y, event.button.button))
    elif event.type == sdl2.SDL_TEXTINPUT:
        clicks.append(event.text.text.decode())
'''


def test_mouse_and_text_events_are_recorded_and_replayed(tmp_path: Path) -> None:
    import ctypes

    import sdl2

    game = game_folder(tmp_path, "clicks", CLICKS)
    with Host(game, headless=True, watch=False) as host:
        host.press("F6")
        host.step(3)
        for data in ({"type": "mousedown", "button": 1, "clicks": 1, "x": 7, "y": 9},
                     {"type": "text", "text": "é"},
                     {"type": "mousedown", "button": 3, "clicks": 1, "x": 100, "y": 50}):
            sdl2.SDL_PushEvent(ctypes.byref(event_from_dict(data)))
            host.step(2)
        host.step(3)
        recorded = list(host.game.clicks)
        host.press("F6")
        host.step(12)  # one whole pass
        assert host.looping.tick == 12 and host.looping.passes == 1
        assert host.game.clicks == recorded == [(7, 9, 1), "é", (100, 50, 3)]
        host.step(1)
        assert host.game.clicks == []  # the next pass starts from the snapshot again
