"""A re-run of the history spread over frames: a few ticks a frame, within a time budget.

A save while scrubbed back (``sandbox.timeline``) plays the history from the cursor to its
end twice: under the old code, for the fingerprints to compare with, and under the new code,
which becomes the history's future. Hundreds of updates do not fit one frame (breakout's
10 s took 160 ms), so each run is a :class:`Rerun` that goes on where it stopped, frame
after frame, for as long as ``budget`` seconds of the injected ``clock`` allow (at least one
tick a frame when asked to, so it always ends).

Between frames the modules hold the cursor's state (the frame shown is the cursor's): each
frame's slice keeps it aside (``History.hold``), puts back the state the run reached, runs
its ticks, keeps that state, and puts the cursor's back. Updates, logged input, ``random``
and fingerprints are the ones a run in one go gives (the same ``History.simulate``, tick by
tick, from the same states), so what the user sees when it ends is exactly that.

It gets the history alone.
"""

from __future__ import annotations

from collections.abc import Callable

from sandbox.history import History, fingerprint

__all__ = ["Rerun"]


class Rerun:
    """The history run again from ``start`` to its end under the code now, resumable.

    ``keyframes``: the run's keyframes replace those after ``start`` (the past under new
    code); without, it only takes fingerprints (the old run, to compare with). Made while the
    modules hold ``start``'s state.
    """

    def __init__(self, history: History, start: int, *, keyframes: bool) -> None:
        self.history = history
        self.start = start
        self.end = history.tick
        self.keyframes = keyframes
        self.fingerprints = [fingerprint(history.modules())]  # [i]: the state at start + i
        self.failed = False
        self._opaque: set[str] = set()  # names that did not pickle: walked from then on
        self._resume: Callable[[], None] | None = None  # puts back the state reached
        if keyframes:
            history.keyframes = [kf for kf in history.keyframes if kf.tick <= start]

    @property
    def reached(self) -> int:
        """The last tick run (``start`` before any)."""
        return self.start + len(self.fingerprints) - 1

    @property
    def done(self) -> bool:
        """True once every tick to the history's end has run."""
        return self.reached >= self.end

    @property
    def progress(self) -> str:
        """"40/300": ticks run of the ticks to run."""
        return f"{self.reached - self.start}/{self.end - self.start}"

    def fingerprints_from(self, tick: int) -> list[dict[str, bytes]]:
        """The fingerprints from ``tick`` (at or after ``start``) to the end."""
        return self.fingerprints[tick - self.start:]

    def advance(self, clock: Callable[[], float], began: float, budget: float, *,
                at_least_one: bool = True) -> bool:
        """Run ticks while ``clock() - began`` is under ``budget``; False when a hook failed.

        The modules hold the state they held before (the cursor's) afterwards, unless a hook
        failed: then the game is paused on the error and the state is no tick's, as in play.
        """
        if self.done or self.failed:
            return not self.failed
        if not at_least_one and clock() - began >= budget:
            return True
        history = self.history
        home = history.hold()  # the cursor's state, shown this frame
        if self._resume is not None:
            self._resume()
        if not history.simulate(self.reached, self.end, self.fingerprints, self.keyframes,
                                self._opaque, stop=lambda: clock() - began >= budget):
            self.failed = True
            return False
        self._resume = None if self.done else history.hold()
        home()
        return True
