"""Snapshots of module state and the recording file format (looped live editing)."""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from sandbox.recording import FORMAT, Recording, RecordingError
from sandbox.snapshot import Snapshot, identities, rebound_names

MakeModule = Callable[[], types.ModuleType]

SOURCE = '''
import enum
from dataclasses import dataclass, field

class Mood(enum.Enum):
    HAPPY = 1
    SAD = 2

@dataclass
class Ball:
    x: float = 0.0
    trail: list = field(default_factory=list)

    def speed(self):
        return 1

pos = (1, 2)
score = 0
balls = [Ball(1.0), Ball(2.0, [(1, 2)])]
seen = {"a", "b"}
grid = {(0, 0): "wall"}
mood = Mood.HAPPY
far = float("inf")

def update():
    global score
    score += 1
'''


@pytest.fixture
def make_module(tmp_path: Path) -> Callable[[], types.ModuleType]:
    """Import SOURCE from a real file as module ``game_main``."""

    def make() -> types.ModuleType:
        path = tmp_path / "game_main.py"
        path.write_text(SOURCE)
        spec = importlib.util.spec_from_file_location("game_main", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["game_main"] = module
        spec.loader.exec_module(module)
        return module

    return make


def test_snapshot_restores_state_and_stays_pristine(make_module: MakeModule) -> None:
    mod = make_module()
    snap = Snapshot.take({"game_main": mod})
    for _ in range(3):
        mod.update()
        mod.balls[0].x = 99.0
        mod.balls[1].trail.append((5, 5))
        snap.restore({"game_main": mod})
        assert mod.score == 0
        assert mod.balls[0].x == 1.0
        assert mod.balls[1].trail == [(1, 2)]
    assert "update" not in snap.values["game_main"]  # code is not state
    assert "Ball" not in snap.values["game_main"]


def test_shared_objects_stay_shared_after_a_restore(make_module: MakeModule) -> None:
    mod = make_module()
    mod.player = mod.balls[0]
    other = types.ModuleType("game_physics")
    other.world = mod.balls  # what ``from game_main import balls`` leaves in another module
    modules = {"game_main": mod, "game_physics": other}
    snap = Snapshot.take(modules)
    for _ in range(2):
        mod.player.x = 50.0
        snap.restore(modules)
        assert mod.player is mod.balls[0] and other.world is mod.balls
        assert mod.player.x == 1.0


def test_uncopyable_values_are_kept_by_reference_and_listed(make_module: MakeModule) -> None:
    mod = make_module()
    mod.lock = threading.Lock()
    snap = Snapshot.take({"game_main": mod})
    assert snap.by_reference == ["game_main.lock"]
    assert "1 kept by reference" in str(snap)
    snap.restore({"game_main": mod})
    assert isinstance(mod.lock, type(threading.Lock()))


def test_restored_instances_use_methods_patched_after_the_snapshot(make_module: MakeModule) -> None:
    mod = make_module()
    snap = Snapshot.take({"game_main": mod})
    mod.Ball.speed = lambda self: 7  # what an in-place class patch does
    snap.restore({"game_main": mod})
    assert mod.balls[0].speed() == 7


def test_adopt_takes_edited_constants_into_the_snapshot(make_module: MakeModule) -> None:
    mod = make_module()
    snap = Snapshot.take({"game_main": mod})
    before = identities({"game_main": mod})
    mod.pos = (5, 5)  # a re-run statement rebinding a name
    names = rebound_names(before, {"game_main": mod})
    assert names == [("game_main", "pos")]
    snap.adopt({"game_main": mod}, names)
    mod.pos = (0, 0)
    snap.restore({"game_main": mod})
    assert mod.pos == (5, 5)


def test_recording_round_trips_plain_data(
    tmp_path: Path, make_module: MakeModule
) -> None:
    mod = make_module()
    mods = {"game_main": mod}
    events = [(3, {"type": "keydown", "key": "Left"})]
    rec = Recording("bounce", 1 / 60, Snapshot.take(mods), events, ticks=120, seed=42)
    mod.sprite = object()  # not plain data, but taken after: not in the snapshot
    rec.snapshot.values["game_main"]["texture"] = object()
    path = tmp_path / "rec.json"
    rec.save(path, mods)
    assert rec.skipped == ["game_main.texture (a object, not plain data)"]
    doc = json.loads(path.read_text())
    assert doc["format"] == FORMAT and doc["version"] == 3 and doc["ticks"] == 120
    assert doc["sources"] == {"game_main": SOURCE}  # the code the values belong to

    loaded = Recording.load(path, "bounce", mods)
    assert loaded.events == [(3, {"type": "keydown", "key": "Left"})]
    assert loaded.seed == 42 and loaded.ticks == 120 and loaded.sources == {"game_main": SOURCE}
    values = loaded.snapshot.values["game_main"]
    assert values["pos"] == (1, 2)
    assert values["seen"] == {"a", "b"}
    assert values["grid"] == {(0, 0): "wall"}
    assert values["mood"] is mod.Mood.HAPPY
    assert values["far"] == float("inf")
    assert isinstance(values["balls"][1], mod.Ball)
    assert values["balls"][1].trail == [(1, 2)]
    assert "texture" not in values


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": "potato-sandbox-recording", "vers', "not a complete recording"),
        ('{"hello": 1}', "not a potato-sandbox recording"),
        ('{"format": "potato-sandbox-recording", "version": 99}', "version 99 recording"),
        ('{"format": "potato-sandbox-recording", "version": 1, "game": "bounce"}',
         "version 1 recording; this sandbox reads versions 2 to 3 — record it again"),
        ('{"format": "potato-sandbox-recording", "version": 2, "game": "pong"}',
         "recorded in game 'pong'"),
        ('{"format": "potato-sandbox-recording", "version": 2, "game": "bounce"}', "damaged"),
    ],
)
def test_bad_recordings_give_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(RecordingError, match=message):
        Recording.load(path, "bounce", {})


def test_missing_recording_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="--record"):
        Recording.load(tmp_path / "nope.json", "bounce", {})


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_sdl_objects_in_state_are_kept_by_reference_quietly(tmp_path: Path) -> None:
    from sandbox.sdl import Display, load_texture, write_png

    with Display("snap", (64, 64), headless=True) as display:
        write_png(tmp_path / "a.png", (4, 4), bytes(64))
        mod = types.ModuleType("game_main")
        mod.texture = load_texture(display.renderer, tmp_path / "a.png")
        mod.renderer = display.renderer
        mod.sprites = [[1, 2], display.renderer]  # a half-copied list must not leak a copy
        mod.after = [1, 2]
        snap = Snapshot.take({"game_main": mod})
        assert snap.by_reference == ["game_main.texture", "game_main.renderer",
                                     "game_main.sprites"]
        snap.restore({"game_main": mod})
        assert mod.renderer is display.renderer and mod.texture is not None
        assert mod.after == [1, 2]
        import gc

        gc.collect()
        mod.texture.destroy()
