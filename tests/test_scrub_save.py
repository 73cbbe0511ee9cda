"""A save while scrubbed back re-runs the history over frames, ending where a run in one go ends.

Two copies of ``games/breakout`` played alike (held keys, real SDL events, the dummy driver),
the timeline open and scrubbed back in both, the same real edits saved in both and reloaded
with F9. One runs each re-run in one go (an infinite budget: the frame after the save does
it all, as the timeline did before); the other runs a few ticks a frame (an injected clock
that counts its own calls, so no test depends on the machine's speed). The oracle for the
spread-out run is the one-go run: the same state at every tick of the history (fingerprints
of every module), the same keyframes, the same frames drawn, the same divergence and words.
"""

from __future__ import annotations

import itertools
import math
import shutil
from pathlib import Path
from typing import Any

import pytest
from gamefiles import edit
from test_timeline import REPO, frame, key, play, settle

from sandbox.history import fingerprint
from sandbox.host import Host
from sandbox.timeline import PAD, RERUN_RGBA, TRACK_H

KEYS = {20: [key("Left")], 80: [key("Left", down=False)], 90: [key("Right")],
        200: [key("Right", down=False)]}
CURSOR = 150
EDITS = [("ball.py", "SPEED = 240.0", "SPEED = 300.0"),
         ("paddle.py", "SPEED = 360.0", "SPEED = 200.0")]


def breakout(folder: Path) -> Path:
    shutil.copytree(REPO / "games" / "breakout", folder,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def ticking(host: Host, per_frame: int) -> None:
    """A clock that moves one unit a call: about ``per_frame`` ticks of re-running a frame."""
    counter = itertools.count()
    saves = host.timeline.saves
    saves.clock, saves.budget = lambda: float(next(counter)), float(per_frame)


def scrubbed(host: Host) -> None:
    play(host, 400, state=lambda h: None, keys=KEYS)
    host.press("F8")
    host.step(1)
    host.timeline.move_to(CURSOR)
    host.step(1)


def save(host: Host, folder: Path, change: tuple[str, str, str]) -> None:
    name, old, new = change
    edit(folder / name, old, new)
    host.press("F9")
    host.step(1)


def every_tick(host: Host) -> list[tuple[int, dict[str, bytes], bytes]]:
    """The state and the frame at each tick from the cursor to now, scrubbed to one by one."""
    out = []
    for tick in range(CURSOR, host.history.tick + 1):
        host.timeline.move_to(tick)
        host.step(1)
        out.append((tick, fingerprint(host.reloader.modules), frame(host)))
    return out


def session(folder: Path, *, per_frame: int | None, when: str = "prepared",
            overlap: bool = False) -> dict[str, Any]:
    """Play, scrub back, save both edits; what the history holds afterwards.

    ``per_frame`` None: each re-run in one go; else about that many ticks a frame.
    ``when``: "prepared" lets the old run come over the frames before the first save; "at
    once" saves in the frame after the cursor moved back. ``overlap``: the second save lands
    while the first's re-run still goes on (a tweak drag).
    """
    out: dict[str, Any] = {"frames": [], "shown": []}
    with Host(breakout(folder), headless=True, watch=False) as host:
        saves = host.timeline.saves
        if per_frame is None:
            saves.budget = math.inf
        else:
            ticking(host, per_frame)
        scrubbed(host)
        assert host.timeline.preparing == (per_frame is not None)
        out["prepared"] = 0
        while when == "prepared" and host.timeline.preparing:
            host.step(1)
            out["prepared"] += 1
        for change in EDITS:
            save(host, folder, change)
            out["shown"].append(frame(host))
            run = saves._new
            out["progress"] = saves.progress
            out["ran"] = None if run is None else run.reached - run.start
            if overlap and change is EDITS[0]:
                host.step(3)
                assert host.timeline.rerunning  # the next save lands in the middle of this run
                continue
            out["frames"].append(settle(host))
            assert saves.progress is None and not host.paused
        out["events"] = [str(ev) for ev in host.events]
        out["divergence"] = host.timeline.divergence
        out["keyframes"] = [kf.tick for kf in host.history.keyframes]
        out["ticks"] = every_tick(host)
    return out


@pytest.mark.parametrize("when", ["prepared", "at once"])
def test_a_rerun_spread_over_frames_ends_where_one_in_one_go_does(tmp_path: Path,
                                                                  when: str) -> None:
    """Two real saves; "prepared": the old run was taken in the frames before the first save;
    "at once": the first save comes in the frame after the cursor moved back (it finishes the
    old run in its frame)."""
    one_go = session(tmp_path / "one_go", per_frame=None)
    spread = session(tmp_path / "spread", per_frame=4, when=when)
    assert one_go["frames"] == [0, 0] and min(spread["frames"]) > 40
    assert when == "at once" or spread["prepared"] > 20
    # The save's own frame ran 4 ticks of the new run; the bar says how far.
    assert spread["ran"] <= 4 and spread["progress"] == f"{spread['ran']}/250"
    # Meanwhile the frame shown is the cursor's under the new code: the one-go frame.
    assert spread["shown"] == one_go["shown"]
    assert "re-simulating 250 ticks under the new code over the next frames (the timeline's " \
        "bar shows how far)" in spread["events"]
    told = [[text for text in out["events"] if text.startswith("re-ran ")]
            for out in (one_go, spread)]
    assert told[0] == told[1] and len(told[0]) == 2
    assert one_go["divergence"] is not None  # a faster ball: it differs soon
    assert spread["divergence"] == one_go["divergence"]
    assert spread["keyframes"] == one_go["keyframes"] and one_go["keyframes"][-1] > CURSOR
    assert spread["ticks"] == one_go["ticks"]


def test_a_save_during_the_last_ones_rerun_ends_in_the_same_state(tmp_path: Path) -> None:
    """A tweak drag's writes come faster than a re-run: the state ends as in one go."""
    one_go = session(tmp_path / "one_go", per_frame=None)
    spread = session(tmp_path / "spread", per_frame=4, overlap=True)
    assert len(spread["frames"]) == 1
    # Compared with the run before the first save, with both saves' names left out.
    told = [text for text in spread["events"] if text.startswith("re-ran ")]
    assert len(told) == 1 and told[0].startswith("re-ran 250 ticks under the new code")
    assert spread["keyframes"] == one_go["keyframes"]
    assert spread["ticks"] == one_go["ticks"]


COUNTER_GAME = '''
SIZE = (200, 100)
WINDOW = (0, 0)  # updates whose count falls in here fail
count = 0


def update(dt):
    global count
    count += 1
    assert not WINDOW[0] <= count < WINDOW[1], f"count {count} is in {WINDOW}"


def draw(renderer):
    renderer.clear((count % 256, 0, 0))
'''


def test_the_old_run_failing_under_the_code_now_pauses_once_and_a_fix_takes_it_again(
        tmp_path: Path) -> None:
    """The code now fails on a past tick after the cursor: told as any hook failure, once."""
    game = tmp_path / "counter"
    game.mkdir()
    (game / "main.py").write_text(COUNTER_GAME)
    with Host(game, headless=True, watch=False) as host:
        ticking(host, per_frame=4)
        host.step(200)
        edit(game / "main.py", "WINDOW = (0, 0)", "WINDOW = (100, 120)")  # only the past
        host.press("F9")
        host.step(2)
        assert not host.paused and host.game.count == 202
        host.press("F8")
        host.step(1)
        host.timeline.move_to(60)
        for _ in range(30):  # the old run reaches count 100 four ticks a frame
            host.step(1)
            if host.paused:
                break
        assert host.paused and host.last_error is not None
        assert "count 100 is in (100, 120)" in host.last_error.message
        assert host.last_error.where.startswith("main.py:")
        assert host.timeline.is_open and not host.timeline.rerunning
        errors = [ev for ev in host.events if "count 100" in str(ev)]
        host.step(5)
        assert [ev for ev in host.events if "count 100" in str(ev)] == errors  # told once
        edit(game / "main.py", "WINDOW = (100, 120)", "WINDOW = (0, 0)")
        host.press("F9")
        host.step(1)
        assert not host.paused
        while host.timeline.preparing:  # taken again from the cursor, under the fix
            host.step(1)
        assert host.timeline.saves._old is not None and host.timeline.saves._old.done
        host.timeline.move_to(150)
        host.step(1)
        assert host.game.count == 150 and not host.paused


def test_the_bar_shows_how_far_the_rerun_has_come(tmp_path: Path) -> None:
    """While the re-run goes on, the track's top half is gold from the cursor to where it is."""
    folder = breakout(tmp_path / "breakout")
    with Host(folder, headless=True, watch=False) as host:
        assert host.display is not None
        ticking(host, per_frame=4)
        scrubbed(host)
        while host.timeline.preparing:
            host.step(1)
        save(host, folder, EDITS[0])
        host.step(20)
        timeline, (width, height) = host.timeline, host.display.size
        reached = timeline.saves.reached
        assert reached is not None and CURSOR + 40 < reached < 350
        stripe = height - PAD - TRACK_H + 1  # a row of the track's top half
        gold = RERUN_RGBA[:3]
        assert host.pixel(timeline.x_of((CURSOR + reached) // 2), stripe)[:3] == gold
        assert host.pixel(timeline.x_of(reached) + 3, stripe)[:3] != gold
        assert host.pixel(timeline.x_of((CURSOR + reached) // 2), height - PAD - 2)[:3] != gold
        settle(host)
        assert timeline.saves.reached is None
        assert gold not in {host.pixel(x, stripe)[:3] for x in range(width)}
