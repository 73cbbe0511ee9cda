"""Fixed-step clock with an injectable time function; no SDL.

``FixedClock.tick()`` is called once per frame and says how many fixed updates to run. Time
accumulates; a frame that took too long runs at most ``max_steps`` updates and the rest of
the backlog is dropped, so a slow frame never causes a spiral of death.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["FixedClock", "ManualTime", "StepPerFrame"]


class ManualTime:
    """A time function that only moves when told to (tests, headless runs)."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``."""
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        self.now += seconds


class StepPerFrame(ManualTime):
    """Advances exactly ``step`` seconds each time it is read: one fixed update per frame.

    ``FixedClock.tick()`` reads its time function once per frame, so a headless host runs
    exactly one ``update(dt)`` per frame and never sleeps.
    """

    def __init__(self, step: float, start: float = 0.0) -> None:
        super().__init__(start)
        self.step = step
        self._first = True

    def __call__(self) -> float:
        if self._first:
            # The clock's constructor reads the start time; that read must not count a step.
            self._first = False
        else:
            self.now += self.step
        return self.now


class FixedClock:
    """Accumulator for fixed updates: ``tick()`` returns how many to run this frame."""

    def __init__(self, step: float = 1 / 60,
                 time_function: Callable[[], float] = time.perf_counter,
                 max_steps: int = 5) -> None:
        if step <= 0:
            raise ValueError(f"step must be positive, got {step}")
        if max_steps < 1:
            raise ValueError(f"max_steps must be at least 1, got {max_steps}")
        self.step = step
        self.max_steps = max_steps
        self.time_function = time_function
        self.frame_seconds = 0.0
        self.dropped_seconds = 0.0
        self._accumulator = 0.0
        self._last = time_function()

    def tick(self) -> int:
        """Count this frame's fixed updates; time beyond ``max_steps`` steps is dropped."""
        now = self.time_function()
        self.frame_seconds = max(0.0, now - self._last)
        self._last = now
        self._accumulator += self.frame_seconds
        # A tiny epsilon so 1/60 accumulated from float frame times still counts as a step.
        steps = int((self._accumulator + 1e-9) // self.step)
        if steps > self.max_steps:
            self.dropped_seconds += self._accumulator - self.max_steps * self.step
            steps = self.max_steps
            self._accumulator = 0.0
        else:
            self._accumulator = max(0.0, self._accumulator - steps * self.step)
        return steps

    def reset(self) -> None:
        """Forget accumulated time (after a pause, so it does not arrive as a burst)."""
        self._accumulator = 0.0
        self._last = self.time_function()

    @property
    def alpha(self) -> float:
        """Fraction of a step left in the accumulator (for interpolating draws)."""
        return self._accumulator / self.step
