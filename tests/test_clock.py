"""FixedClock: accumulator, max_steps, injected time (never sleeps)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.clock import FixedClock, ManualTime, StepPerFrame

STEP = 1 / 60


def test_one_step_per_step_of_time() -> None:
    t = ManualTime()
    clock = FixedClock(STEP, t)
    assert clock.tick() == 0
    t.advance(STEP)
    assert clock.tick() == 1
    t.advance(STEP / 2)
    assert clock.tick() == 0
    t.advance(STEP / 2)
    assert clock.tick() == 1  # the remainder accumulated


def test_slow_frame_is_capped_and_the_backlog_dropped() -> None:
    t = ManualTime()
    clock = FixedClock(STEP, t, max_steps=5)
    t.advance(1.0)  # a one-second hitch
    assert clock.tick() == 5
    assert clock.dropped_seconds == pytest.approx(1.0 - 5 * STEP)
    t.advance(STEP)
    assert clock.tick() == 1  # no spiral of death: the next frame is normal again


def test_step_per_frame_time_runs_exactly_one_update_a_frame() -> None:
    clock = FixedClock(STEP, StepPerFrame(STEP))
    assert [clock.tick() for _ in range(1000)] == [1] * 1000
    assert clock.frame_seconds == pytest.approx(STEP)


def test_reset_forgets_paused_time() -> None:
    t = ManualTime()
    clock = FixedClock(STEP, t)
    t.advance(10 * STEP)
    clock.reset()
    t.advance(STEP)
    assert clock.tick() == 1


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        FixedClock(0)
    with pytest.raises(ValueError):
        FixedClock(STEP, max_steps=0)
    with pytest.raises(ValueError):
        ManualTime().advance(-1)


@given(st.lists(st.floats(min_value=0, max_value=0.2), max_size=200))
def test_ticks_never_exceed_elapsed_time(frames: list[float]) -> None:
    t = ManualTime()
    clock = FixedClock(STEP, t, max_steps=5)
    total = 0
    for dt in frames:
        t.advance(dt)
        n = clock.tick()
        assert 0 <= n <= 5
        total += n
    assert total * STEP <= sum(frames) + 1e-6
    assert clock.alpha < 1.0 + 1e-6
