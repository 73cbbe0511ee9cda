"""A replay (``--replay FILE``) runs today's code: edited values come from the source.

Real games in tmp_path, real recordings written and read, real reloads as the oracle for
which names a change binds again (``sandbox.edits`` must agree with what the engine ran).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gamefiles import edit

from sandbox.cli import main
from sandbox.edits import changed_by_play, edited_names, running_sources
from sandbox.events import Notice
from sandbox.host import Host
from sandbox.looping import Mode
from sandbox.recording import Recording
from sandbox.sdl import read_png
from sandbox.snapshot import is_state

GAMES = Path(__file__).resolve().parent.parent / "games"

PADDLE = '''"""A paddle that moves one pixel right each tick."""

WIDTH = 40
HALF = WIDTH // 2
COLOUR = (200, 200, 255)
SPEED = 2
TOP = SPEED * 10
drift = SPEED / 2
x = 100


def update(dt):
    global x, drift
    x += 1
    drift += 0.25
'''

MAIN = '''import paddle
from paddle import COLOUR as PADDLE_COLOUR

TITLE = "replayed"
SIZE = (320, 240)
BACKGROUND = (0, 0, 0)
frames = 0


def update(dt):
    global frames
    frames += 1
    paddle.update(dt)


def draw(renderer):
    renderer.clear(BACKGROUND)
    renderer.fill((paddle.x - paddle.HALF, 100, paddle.WIDTH, 10), PADDLE_COLOUR)
'''

RED, LAVENDER, BLACK = (255, 0, 0, 255), (200, 200, 255, 255), (0, 0, 0, 255)


def make_game(tmp_path: Path) -> Path:
    game = tmp_path / "replayed"
    game.mkdir()
    (game / "main.py").write_text(MAIN)
    (game / "paddle.py").write_text(PADDLE)
    return game


def record_to(game: Path, rec: Path) -> None:
    """Play 10 ticks, then record 30 (saved when the loop starts)."""
    with Host(game, headless=True, watch=False) as host:
        host.looping.record_to = rec
        host.step(10)
        host.press("F6")
        host.step(30)
        host.press("F6")
        host.step(1)
        assert rec.exists()


def colours(png: Path) -> set[bytes]:
    """Every RGBA colour in the image."""
    _, _, rgba = read_png(png)
    return {rgba[i:i + 4] for i in range(0, len(rgba), 4)}


def test_a_replay_draws_todays_edit_and_keeps_what_play_changed(tmp_path: Path) -> None:
    game, rec = make_game(tmp_path), tmp_path / "play.json"
    record_to(game, rec)
    edit(game / "paddle.py", "COLOUR = (200, 200, 255)", "COLOUR = (255, 0, 0)")
    edit(game / "paddle.py", "WIDTH = 40", "WIDTH = 60")
    edit(game / "paddle.py", "x = 100", "x = 100  # where it starts")  # a comment: no edit
    with Host(game, headless=True, watch=False) as host:
        host.looping.play(Recording.load(rec, "replayed", host.reloader.modules))
        host.step(1)
        paddle = host.reloader.modules["paddle"]
        # Play had moved the paddle to 110 before recording: the recording's value stays.
        assert paddle.x == 111 and host.game.frames == 11
        # The edits, and what reads them (here and in main), as a reload would re-run them.
        assert (paddle.WIDTH, paddle.HALF, paddle.COLOUR) == (60, 30, (255, 0, 0))
        assert host.game.PADDLE_COLOUR == (255, 0, 0)
        assert host.pixel(111 - 30, 105) == RED  # left edge from the re-run HALF
        assert host.pixel(111 + 29, 105) == RED and host.pixel(111 + 30, 105) == BLACK
        assert host.looping.mode is Mode.LOOPING
        said = [str(ev) for ev in host.events if isinstance(ev, Notice)]
    assert ("edited since the recording, so today's code sets them: main.PADDLE_COLOUR, "
            "paddle.COLOUR, paddle.HALF, paddle.WIDTH") in said


def test_a_replay_keeps_what_play_changed_even_where_an_edit_is_read(tmp_path: Path) -> None:
    """``drift = SPEED / 2`` that play changed is kept, as a live reload keeps it."""
    game, rec = make_game(tmp_path), tmp_path / "play.json"
    record_to(game, rec)
    edit(game / "paddle.py", "SPEED = 2", "SPEED = 4")
    with Host(game, headless=True, watch=False) as host:
        recording = Recording.load(rec, "replayed", host.reloader.modules)
        assert recording.changed_by_play == {"main": ["frames"], "paddle": ["drift", "x"]}
        host.looping.play(recording)
        host.step(1)
        paddle = host.reloader.modules["paddle"]
        assert (paddle.SPEED, paddle.TOP) == (4, 40)  # edited, and re-run for reading it
        assert paddle.drift == 1.0 + 10 * 0.25 + 0.25  # recorded at 3.5, not 4 / 2


def test_a_replay_of_unedited_code_is_the_recorded_play(tmp_path: Path) -> None:
    game, rec = make_game(tmp_path), tmp_path / "play.json"
    record_to(game, rec)
    with Host(game, headless=True, watch=False) as host:
        host.looping.play(Recording.load(rec, "replayed", host.reloader.modules))
        host.step(1)
        assert host.reloader.modules["paddle"].x == 111
        assert host.pixel(111 - 20, 105) == LAVENDER and host.pixel(111 - 21, 105) == BLACK
        said = [str(ev) for ev in host.events if isinstance(ev, Notice)]
    assert not any("edited since" in line for line in said)


def test_breakout_replayed_after_a_colour_edit_shows_the_new_paddle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 15.1 as filed: record breakout, change COLOUR in paddle.py, replay headless."""
    game = tmp_path / "breakout"
    shutil.copytree(GAMES / "breakout", game, ignore=shutil.ignore_patterns("__pycache__"))
    rec, before, after = tmp_path / "play.json", tmp_path / "before.png", tmp_path / "after.png"
    args = ["--headless", "--no-watch", "--frames", "20"]
    with Host(game, headless=True, watch=False) as host:
        host.looping.record_to = rec
        host.press("F6")
        host.step(30)
        host.press("F6")
        host.step(1)
    assert main([str(game), "--replay", str(rec), *args, "--screenshot", str(before)]) == 0
    edit(game / "paddle.py", "COLOUR = (200, 200, 255)", "COLOUR = (255, 0, 0)")
    assert main([str(game), "--replay", str(rec), *args, "--screenshot", str(after)]) == 0
    out = capsys.readouterr().out
    assert "today's code sets them: paddle.COLOUR" in out
    lavender, red = bytes((200, 200, 255, 255)), bytes((255, 0, 0, 255))
    old, new = colours(before), colours(after)
    assert lavender in old and red not in old
    assert red in new and lavender not in new


@pytest.mark.parametrize(("path", "old", "new"), [
    ("paddle.py", "WIDTH = 40", "WIDTH = 60"),  # and HALF, and nothing in main
    ("paddle.py", "COLOUR = (200, 200, 255)", "COLOUR = (1, 2, 3)"),  # main's import too
    ("paddle.py", "x = 100\n", "x = 100\ny = x * 2\n"),  # a new statement
    ("paddle.py", "SPEED = 2", "SPEED = 4"),  # TOP re-runs; drift, changed by play, is kept
    ("paddle.py", "HALF = WIDTH // 2\n", ""),  # a removed one: gone, no value to carry
    ("paddle.py", "    x += 1\n", "    x += 2\n"),  # a function body: patched, nothing bound
    ("main.py", "frames = 0", "frames = 0\nLIMIT = frames + paddle.WIDTH"),
])
def test_the_names_replayed_from_source_are_those_a_reload_binds(
    tmp_path: Path, path: str, old: str, new: str
) -> None:
    """The oracle is the engine itself: the names a real reload of the same edit bound."""
    game = make_game(tmp_path)
    with Host(game, headless=True, watch=False) as host:
        host.step(3)  # play changes x, drift and frames
        modules = host.reloader.modules
        recorded = running_sources(modules)
        played = changed_by_play(modules, host.reloader.tracked)
        edit(game / path, old, new)
        report = host.reload()
        assert report.ok, report
        bound = {(m, n) for m, n in report.bound_names
                 if n in vars(modules[m]) and is_state(n, vars(modules[m])[n])}
        found = {(m, n) for m, n in edited_names(recorded, modules, played)
                 if is_state(n, vars(modules[m])[n])}
    assert found == bound


def test_a_recorded_source_that_no_longer_parses_counts_as_wholly_edited(
    tmp_path: Path,
) -> None:
    game = make_game(tmp_path)
    with Host(game, headless=True, watch=False) as host:
        modules = host.reloader.modules
        found = edited_names({"paddle": "def (:\n", "main": MAIN}, modules)
    assert {n for m, n in found if m == "paddle"} >= {"WIDTH", "HALF", "COLOUR", "x", "TOP"}
    assert {n for m, n in found if m == "main"} == {"PADDLE_COLOUR"}  # it imports COLOUR


def test_a_name_edited_while_recording_is_no_longer_changed_by_play(tmp_path: Path) -> None:
    game = make_game(tmp_path)
    with Host(game, headless=True, watch=False) as host:
        host.step(5)
        host.press("F6")
        host.step(5)
        recording = host.looping.recording
        assert recording is not None and recording.changed_by_play["paddle"] == ["drift", "x"]
        edit(game / "paddle.py", "drift = SPEED / 2", "drift = SPEED / 4")
        assert host.reload().ok
        # The edit's value is carried into the snapshot: the statement's, not play's.
        assert recording.changed_by_play["paddle"] == ["x"]
        assert recording.snapshot.values["paddle"]["drift"] == 0.5
