"""Input and time travel agree: held keys across F6, a loop pass, F7, F5, an error and replays.

The game below steers with ``keyboard.right`` and also tracks keys itself from raw SDL events
in ``on_event``, as a game written before ``keyboard`` existed did (the user whose keys stuck
after F7). Real key and pad events go through SDL's queue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gamefiles import edit, game_folder

from sandbox import Host, gamepads, keyboard
from sandbox.looping import Mode
from sandbox.recording import Recording, RecordingError
from sandbox.sdl import VirtualPad, push_event

TRACKER = '''
import sdl2

from sandbox import gamepads, keyboard

SIZE = (320, 240)
boom = False
x = 0
own_held = set()  # key codes this game saw go down and not up, from raw events
pad_log = []


def update(dt):
    global x
    if boom:
        raise RuntimeError("boom")
    if keyboard.right:
        x += 1


def on_event(event):
    if event.type == sdl2.SDL_KEYDOWN:
        own_held.add(event.key.keysym.sym)
    elif event.type == sdl2.SDL_KEYUP:
        own_held.discard(event.key.keysym.sym)


def on_gamepad(pad, kind, control):
    pad_log.append((str(kind), control))
'''


def key(host: Host, name: str, down: bool) -> None:
    """A real key-down or key-up alone (a held key), pushed into SDL's queue."""
    assert host.display is not None
    push_event({"type": "keydown" if down else "keyup", "key": name}, host.display.window_id)


def stuck(host: Host) -> tuple[bool, int]:
    """Is Right held in the game's view, and how many keys the game's own tracking holds."""
    return keyboard.right, len(host.game.own_held)


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    return game_folder(tmp_path, "tracker", TRACKER)


def record_a_held_right(host: Host) -> None:
    """F6; Right goes down at tick 5 and stays down; F6 at tick 15: the loop starts."""
    host.step(1)
    host.press("F6")
    host.step(5)
    key(host, "Right", True)
    host.step(10)
    key(host, "Right", False)  # the player lets go before the loop starts …
    host.press("F6")
    host.step(1)  # … but the recording ends with Right held
    assert host.looping.mode is Mode.LOOPING and host.looping.tick == 1


def test_f7_releases_the_key_the_replay_pressed(tracker: Path) -> None:
    with Host(tracker, headless=True, watch=False) as host:
        record_a_held_right(host)
        host.step(8)
        assert stuck(host) == (True, 1)  # the replay pressed it at tick 5
        host.press("F7")
        host.step(1)
        assert host.looping.mode is Mode.IDLE
        assert stuck(host) == (False, 0)  # on_event got the key-up too
        x = host.game.x
        host.step(5)
        assert host.game.x == x


def test_f7_presses_the_key_the_player_holds(tracker: Path) -> None:
    with Host(tracker, headless=True, watch=False) as host:
        record_a_held_right(host)
        host.step(2)  # before tick 5: the replay has not pressed Right
        key(host, "Right", True)  # the player holds it during the loop: swallowed
        host.step(1)
        assert keyboard.right is False
        host.press("F7")
        host.step(1)
        assert stuck(host) == (True, 1)


def test_every_pass_starts_with_the_keys_held_at_the_snapshot(tracker: Path) -> None:
    with Host(tracker, headless=True, watch=False) as host:
        record_a_held_right(host)
        passes: list[list[tuple[bool, int]]] = [[], []]
        for trace in passes:
            for _ in range(15):
                trace.append((keyboard.right, host.game.x))
                host.step(1)
        assert host.looping.passes == 3
        assert passes[0] == passes[1]
        assert [held for held, _ in passes[1]] == [False] * 5 + [True] * 10


def test_a_key_held_when_recording_starts_is_held_at_every_pass(tracker: Path) -> None:
    with Host(tracker, headless=True, watch=False) as host:
        key(host, "Right", True)
        host.step(1)
        host.press("F6")
        host.step(3)
        key(host, "Right", False)
        host.step(3)
        host.press("F6")
        host.step(1)
        assert stuck(host) == (True, 1)  # the snapshot's: the pass started with Right held
        host.step(5)
        assert stuck(host) == (False, 0)  # the replayed key-up
        host.step(1)
        assert stuck(host) == (True, 1)  # the next pass


def test_a_hot_restart_during_the_loop_leaves_no_key_held(tracker: Path) -> None:
    with Host(tracker, headless=True, watch=False) as host:
        record_a_held_right(host)
        host.step(8)
        assert keyboard.right
        host.press("F5")
        host.step(1)
        assert host.looping.mode is Mode.IDLE and host.last_error is None
        assert stuck(host) == (False, 0)
        x = host.game.x
        host.step(3)
        assert host.game.x == x


def test_a_key_released_during_an_error_pause_is_released_after_the_fix(tracker: Path) -> None:
    with Host(tracker, headless=True, watch=False) as host:
        key(host, "Right", True)
        host.step(1)
        host.game.boom = True
        host.step(1)
        assert host.paused
        key(host, "Right", False)  # seen by nobody but the sandbox
        host.step(1)
        assert keyboard.right
        edit(tracker / "main.py", "boom = False", "boom = 0")
        assert host.reload().ok
        host.step(1)
        assert not host.paused and stuck(host) == (False, 0)


def test_a_saved_recording_holds_its_keys_and_replays_its_pad(tracker: Path,
                                                               tmp_path: Path) -> None:
    saved = tmp_path / "play.json"
    with Host(tracker, headless=True, watch=False) as host:
        host.looping.record_to = saved
        host.step(1)
        pad = VirtualPad("Rec Pad")
        try:
            key(host, "Right", True)
            host.step(1)
            host.press("F6")
            host.step(2)
            pad.press("b")
            host.step(2)
            pad.move("righttrigger", 32767)
            host.step(2)
            recorded = list(host.game.pad_log)
            host.press("F6")
            host.step(1)
        finally:
            pad.detach()
        assert host.looping.recording is not None
        kinds = {ev["type"] for _, ev in host.looping.recording.events}
        assert {"paddown", "padaxis", "joydown", "joyaxis"} <= kinds  # none dropped any more
        assert not any("not recorded" in str(e) for e in host.events)
    assert recorded == [("connected", ""), ("button_down", "b"), ("axis", "righttrigger")]
    with Host(tracker, headless=True, watch=False) as host:
        rec = Recording.load(saved, "tracker", host.reloader.modules)
        assert rec.snapshot.held["keys"] == ["right"]
        assert [p["name"] for p in rec.snapshot.held["pads"]] == ["Rec Pad"]
        host.looping.play(rec)
        assert keyboard.right and gamepads.get(0) is not None
        host.step(rec.ticks)
        first = gamepads.get(0)
        assert first is not None and first.is_down("b") and first.axis("righttrigger") == 1.0
        assert host.game.pad_log == recorded  # the snapshot's "connected", then the replay
        host.press("F7")
        host.step(1)  # no pad is plugged in here, and no key held
        assert len(gamepads) == 0 and not keyboard.right
        assert host.game.pad_log[-1] == ("disconnected", "")


@pytest.mark.parametrize(("held", "message"), [
    ([], "damaged"),
    ({"keys": 3}, "damaged"),
    ({"pads": [{"pad": 1}]}, "damaged"),
])
def test_a_damaged_held_input_is_refused(tracker: Path, tmp_path: Path, held: Any,
                                         message: str) -> None:
    saved = tmp_path / "play.json"
    with Host(tracker, headless=True, watch=False) as host:
        host.looping.record_to = saved
        host.press("F6")
        host.step(3)
        host.press("F6")
        host.step(1)
        text = saved.read_text()
        assert '"held"' in text
        import json

        doc = json.loads(text)
        doc["held"] = held
        saved.write_text(json.dumps(doc))
        with pytest.raises(RecordingError, match=message):
            Recording.load(saved, "tracker", host.reloader.modules)


def test_a_held_key_sdl_cannot_name_back_is_synced_without_an_event(tracker: Path) -> None:
    with Host(tracker, headless=True, watch=False) as host:
        host.input.real.keys.add("no_such_key")  # as if SDL had named a key it cannot find
        host.step(1)
        assert host.last_error is None and not host.paused
        assert "no_such_key" in keyboard.held and host.game.own_held == set()
