"""The always-on history: keyframes and the input log, bounded in time and in memory.

Real games in real hosts (SDL's dummy driver); the long run drives ``update`` and the history
directly, without drawing, so 10 minutes of breakout at 60 Hz take seconds.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from gamefiles import edit, game_folder

from sandbox.history import DEFAULT_BUDGET, History, deep_size, fingerprint
from sandbox.host import Host

REPO = Path(__file__).resolve().parent.parent


def test_ten_minutes_of_breakout_stay_inside_the_window_and_the_cap(tmp_path: Path) -> None:
    game = tmp_path / "breakout"
    shutil.copytree(REPO / "games" / "breakout", game,
                    ignore=shutil.ignore_patterns("__pycache__"))
    with Host(game, headless=True, watch=False) as host:
        history = host.history
        assert history.budget == DEFAULT_BUDGET == 64 * 1024 * 1024
        assert history.window == 600 and history.every == 30
        step = host.clock.step
        most = 0
        for _ in range(36_000):  # 10 minutes at 60 Hz
            assert host.call_hook("update", step)
            history.after_update()
            most = max(most, history.memory)
        assert history.tick == 36_000
        assert most <= history.budget
        # The window: 10 s back, and no more than one keyframe beyond it.
        assert history.start <= 36_000 - 600 < history.keyframes[1].tick
        assert len(history.keyframes) <= 600 // 30 + 1
        assert min(history.events, default=history.start) >= history.start
        # Sizes are measured, not guessed: each keyframe holds the game's state and random's.
        frame = history.keyframes[-1]
        assert deep_size(frame.rng) < frame.size < 1024 * 1024


BIG = '''
data = list(range(50_000))
n = 0


def update(dt):
    global n
    n += 1
    data[n % len(data)] = -n
'''


def test_over_budget_the_oldest_keyframes_go_first(tmp_path: Path) -> None:
    with Host(game_folder(tmp_path, "big", BIG), headless=True, watch=False) as host:
        history = host.history
        host.step(1)
        one = history.keyframes[0].size
        assert one > deep_size(list(range(50_000))) * 0.9  # the copy of data is counted
        history.budget = 4 * one + one // 2
        host.step(600)
        ticks = [kf.tick for kf in history.keyframes]
        assert len(ticks) == 4 and history.memory <= history.budget
        assert ticks == [history.tick - 90, history.tick - 60, history.tick - 30, history.tick]
        # What is kept still shows: the oldest tick re-simulates to what was played.
        host.press("F8")
        host.step(1)
        host.timeline.move_to(history.start + 7)
        host.step(1)
        assert host.game.n == history.start + 7
        assert host.game.data[(history.start + 7) % 50_000] == -(history.start + 7)


def test_history_off_keeps_nothing(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False, history=0) as host:
        host.step(100)
        assert not host.history.enabled
        assert host.history.keyframes == [] and host.history.events == {}


def test_bad_settings_and_ticks_say_what_is_wrong(bounce_copy: Path) -> None:
    with pytest.raises(ValueError, match="seconds >= 0, every >= 1 and budget >= 1"):
        History(dict, replay=lambda data: True, update=lambda: True, step=1 / 60, every=0)
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(100)
        with pytest.raises(ValueError, match=r"tick 0 is older than the history \(it starts"):
            host.history.keyframe_at(0)


def test_an_edited_constant_survives_a_rewind_to_before_the_edit(bounce_copy: Path) -> None:
    """A save during play carries ``SPEED = 3`` into every keyframe, as the looper does."""
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(200)
        edit(bounce_copy / "physics.py", "SPEED = 2", "SPEED = 3")
        assert host.reload().ok
        host.step(10)
        host.press("F8")
        host.step(1)
        host.timeline.move_to(100)
        host.step(1)
        physics = sys.modules["physics"]
        assert physics.SPEED == 3
        assert (host.game.pos_x, host.game.pos_y) == (101, 100)  # no wall yet: as played


def test_fingerprints_follow_content_not_identity(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(50)
        modules = host.reloader.modules
        first = fingerprint(modules)
        host.history.seek(host.history.tick)  # a re-simulated copy of the same state
        assert fingerprint(modules) == first
        host.game.pos_x += 1
        changed = fingerprint(modules)
        assert [name for name in first if first[name] != changed[name]] == ["main.pos_x"]


@pytest.mark.parametrize("at_now", [True, False])
def test_a_held_state_comes_back_after_a_detour(bounce_copy: Path, at_now: bool) -> None:
    """``hold``: the modules, ``random`` and the tick shown, as they were before a seek away."""
    import random

    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(100)
        history, modules = host.history, host.reloader.modules
        if not at_now:
            assert history.seek(77)
        random.seed(5)
        shown, before, rng = history.shown, fingerprint(modules), random.getstate()
        put_back = history.hold()
        assert history.seek(40) and fingerprint(modules) != before
        random.random()
        put_back()
        assert fingerprint(modules) == before and random.getstate() == rng
        assert history.shown == shown == (None if at_now else 77)
        assert (host.game.pos_x, host.game.pos_y) == ((101, 100) if at_now else (78, 77))


def test_the_history_benchmark_runs(tmp_path: Path) -> None:
    """``bench.py history --quick``: both games' cost a frame and the scrub, in one table."""
    import json
    import os
    import subprocess

    out = tmp_path / "history.json"
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "bench.py"), "history",
                           "--quick", "--json", str(out)], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "bounce: frame, history on" in proc.stdout and "scrub: ticks" in proc.stdout
    data = json.loads(out.read_text())["history"]
    for game in ("bounce", "breakout"):
        assert len(data[game]["on"]) == len(data[game]["off"]) == 3
        assert all(t > 0 for t in data[game]["inside"])
    assert len(data["scrub"]["show"]) == len(data["scrub"]["worst"]) == 5
    assert data["scrub"]["span"][1] == 600 and len(data["rerun"]["rerun"]) == 2
