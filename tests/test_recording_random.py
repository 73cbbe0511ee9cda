"""Recordings carry ``random``'s state: the history saved mid-run replays the numbers played.

Real files in tmp_path, real SDL, real key events. The oracle is the play itself: the state
and frames recorded live at every tick, before the history was saved; for an old file without
the state, a fresh ``random.Random(seed)``, which is what seeding promises.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from gamefiles import game_folder
from test_timeline import RANDOM_GAME, frame, open_timeline, play, tap

from sandbox.host import Host
from sandbox.recording import Recording, RecordingError


def walk_state(host: Host) -> tuple[int, float]:
    return host.game.x, host.game.trail[-1]


def saved_history(tmp_path: Path) -> tuple[Path, Path, dict[int, Any], int]:
    """300 ticks of the random walk with 2 s of history, saved with S: (game, file, live, start)."""
    game = game_folder(tmp_path, "walk", RANDOM_GAME)
    path = tmp_path / "bug.json"
    with Host(game, headless=True, watch=False, history=2) as host:
        live = play(host, 300, state=walk_state)
        open_timeline(host)
        host.looping.record_to = path
        tap(host, "S")
        start = host.history.start
    return game, path, live, start


def test_the_history_saved_mid_run_replays_its_random_numbers_pixel_identically(
        tmp_path: Path) -> None:
    game, path, live, start = saved_history(tmp_path)
    assert start > 150  # the oldest keyframe of 2 s: well into play, random far from any seed
    doc = json.loads(path.read_text())
    assert doc["version"] == 3 and doc["random"]["version"] == 3
    assert len(doc["random"]["internal"]) == 625
    with Host(game, headless=True, watch=False) as replay:
        replay.looping.play(Recording.load(path, "walk", replay.reloader.modules))
        for tick in range(start + 1, 301):
            replay.step(1)
            assert walk_state(replay) == live[tick][0], tick
            assert frame(replay) == live[tick][1], tick
        replay.step(1)  # the second pass starts from the same state and numbers
        assert walk_state(replay) == live[start + 1][0]


def test_a_version_2_recording_without_random_state_still_replays_from_its_seed(
        tmp_path: Path) -> None:
    game, path, _, _ = saved_history(tmp_path)
    doc = json.loads(path.read_text())
    del doc["random"]
    doc["version"], doc["seed"] = 2, 4321
    path.write_text(json.dumps(doc))
    with Host(game, headless=True, watch=False) as replay:
        recording = Recording.load(path, "walk", replay.reloader.modules)
        assert recording.rng is None
        replay.looping.play(recording)
        replay.step(1)
        oracle = random.Random(4321)
        step = oracle.choice((-3, -1, 1, 3))
        assert walk_state(replay) == (max(0, min(199, doc["snapshot"]["main"]["x"] + step)),
                                      oracle.random())


@pytest.mark.parametrize(("damage", "why"), [
    (lambda rng: "3 internal", "an object with version, internal and gauss_next, not a str"),
    (lambda rng: {**rng, "internal": rng["internal"][:100]}, "state vector is the wrong size"),
    (lambda rng: {**rng, "internal": ["x"] * 625}, "internal must be a list of whole numbers"),
    (lambda rng: {"version": 3, "internal": rng["internal"]}, "'gauss_next' is missing"),
    (lambda rng: {**rng, "version": 99}, "state with version 99"),
])
def test_a_damaged_random_field_says_what_and_what_to_do(tmp_path: Path, damage: Any,
                                                        why: str) -> None:
    _, path, _, _ = saved_history(tmp_path)
    doc = json.loads(path.read_text())
    doc["random"] = damage(doc["random"])
    path.write_text(json.dumps(doc))
    with pytest.raises(RecordingError) as caught:
        Recording.load(path, "walk", {})
    message = str(caught.value)
    assert message.startswith(f'{path} has a damaged "random" field (')
    assert why in message
    assert message.endswith("record it again, or delete the field to replay with the "
                            "recording's seed (other random numbers than were played)")


def test_replay_of_a_damaged_random_field_exits_2_with_the_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sandbox.cli import main

    game, path, _, _ = saved_history(tmp_path)
    doc = json.loads(path.read_text())
    doc["random"]["internal"] = doc["random"]["internal"][:3]
    path.write_text(json.dumps(doc))
    capsys.readouterr()
    assert main([str(game), "--headless", "--no-watch", "--frames", "5",
                 "--replay", str(path)]) == 2
    assert 'has a damaged "random" field (state vector is the wrong size)' in \
        capsys.readouterr().err
