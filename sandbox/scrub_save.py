"""A save while scrubbed back: the history run again under the new code, over frames.

With the timeline (F8) open and the cursor before now, a save (or a tweak) plays the rest of
the history twice from the cursor, with the same input: under the old code first, then under
the new, comparing a fingerprint of the state at every tick (``history.fingerprint``). The
first tick where they differ is the divergence the bar marks, and the run under the new code
becomes the history's future.

Neither run stops the game's frames: each is a :class:`~sandbox.rerun.Rerun` that goes on
over frames, ``budget`` seconds of the injected ``clock`` a frame (:meth:`ScrubSaves.frame`).
The old run is taken while the user edits (in the frames after the timeline opens or the
cursor goes back before where it started), and a finished run under new code is the old run
of the next save, so the frame of a save runs only the reload; the new run follows, its
progress on the bar ("re-simulating 40/300"). What shows when it ends is what a run in one
go gives. Two cases cost more than a frame's budget, both rare: a save before the old run
ended finishes it in its frame (the old code is gone after it), and a cursor moved back
before the old run's start runs it again from there.

A save that comes before the last one's run ended compares with the last run that did end
(a tweak drag: with the run from before the drag), and the names every reload since that
run bound are left out of the comparison (an edited ``SPEED = 3`` is code, not play).

It gets the history, an event sink, the clock and the budget; the timeline gives the cursor.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from sandbox.events import Notice
from sandbox.history import History
from sandbox.rerun import Rerun

if TYPE_CHECKING:
    from sandbox.hot import ReloadReport

__all__ = ["BUDGET", "ScrubSaves"]

BUDGET = 0.005  # seconds of re-running a frame: with the ghosts' (sandbox.ghosts), 8 ms or so


class ScrubSaves:
    """The runs of the history a save while scrubbed back needs, and where they diverge."""

    def __init__(self, history: History, emit: Callable[[object], None], *,
                 clock: Callable[[], float] = time.perf_counter, budget: float = BUDGET) -> None:
        self.history = history
        self.emit = emit
        self.clock, self.budget = clock, budget  # seconds of re-running the history a frame
        self.divergence: int | None = None  # first tick the last save's re-run differs at
        # Runs from a tick to the history's end: under the code now (the old run of the next
        # save), under the new code after a save (with the old run it is compared with and
        # the names the reloads since that run's code bound).
        self._old: Rerun | None = None
        self._new: Rerun | None = None
        self._against: Rerun | None = None
        self._edited: set[str] = set()
        self._saved = False  # a save landed: its run starts at the next frame

    @property
    def rerunning(self) -> bool:
        """True while a save's run of the history under the new code is going on."""
        return self._new is not None or self._saved

    @property
    def reached(self) -> int | None:
        """The last tick a save's run under the new code has run while it goes on, or None."""
        return None if self._new is None else self._new.reached

    @property
    def progress(self) -> str | None:
        """"40/300" while a save's run goes on: ticks run of the ticks to run."""
        return None if self._new is None else self._new.progress

    def preparing(self, cursor: int) -> bool:
        """True while the old run a save at ``cursor`` would compare with is being taken."""
        if self.rerunning or self._against is not None or cursor >= self.history.tick:
            return False
        return self._old is None or self._old.start > cursor or not self._old.done

    def forget(self) -> None:
        """Drop every run and the mark (the timeline opened, closed, or the game restarted)."""
        self._old = self._new = self._against = None
        self._edited, self._saved, self.divergence = set(), False, None

    # -- the save ----------------------------------------------------------------------------------
    def around_reload(self, reload: Callable[[], ReloadReport],
                      cursor: int | None) -> ReloadReport:
        """Run ``reload``; scrubbed back to ``cursor`` (None: not), the old run at hand first.

        The run under the new code starts at the next :meth:`frame` (the host shows the
        timeline after the reload resumed the game), so an error in it pauses the game and
        stays on screen. After such an error the next save compares with the same old run.
        """
        history = self.history
        baseline = None if cursor is None else self._baseline(cursor)
        if baseline is None:
            report = history.around_reload(reload)
            if report.ok and report.changed:
                self.forget()  # runs of the old code
            return report
        assert cursor is not None
        history.seek(cursor)  # the reload lands on the cursor's state
        report = history.around_reload(reload)
        if report.ok and report.changed:
            self._against, self._new, self._old, self._saved = baseline, None, None, True
            self._edited |= {f"{module}.{name}" for module, name in report.bound_names}
        return report

    def _baseline(self, cursor: int) -> Rerun | None:
        """The old run from ``cursor`` on, to compare the new code's with; None if it failed.

        The one the unfinished (or failed) run under new code was to be compared with; else
        the one under the code now, finished in this frame if it is not yet (the code is
        about to change); else one run now.
        """
        if self._against is not None and self._against.start <= cursor:
            return self._against
        self._against, self._edited = None, set()
        if self._new is not None and self._new.start <= cursor:
            run = self._new  # unfinished, no run to compare with: its code is the old code
        elif self._old is not None and self._old.start <= cursor:
            run = self._old
        else:
            if not self.history.seek(cursor):
                return None
            run = Rerun(self.history, cursor, keyframes=False)
        self._new = self._old = None
        if not run.advance(self.clock, self.clock(), math.inf):
            return None
        return run

    # -- the frames after ------------------------------------------------------------------------
    def frame(self, cursor: int) -> bool:
        """This frame's part of the runs (the modules hold ``cursor``'s state, and again after).

        A save's run under the new code, else the old run the next save compares with, while
        the frame has time. False when a hook failed on the way (the game is paused on the
        error, and the state is no tick's).
        """
        began = self.clock()
        if self._saved:
            self._saved = False
            self._start(cursor)
        if self._new is not None:
            return self._continue(began)
        return self._prepare(cursor, began)

    def _start(self, cursor: int) -> None:
        """The frame after a save: the run under the new code starts from the cursor."""
        self.history.anchor(cursor)  # after_reload handlers may have changed the cursor's state
        self._new = Rerun(self.history, cursor, keyframes=True)
        self.divergence = None

    def _continue(self, began: float) -> bool:
        """This frame's part of the run under the new code; when it ends, compare and tell."""
        run = self._new
        assert run is not None and self._against is not None
        first_frame = run.reached == run.start
        if not run.advance(self.clock, began, self.budget):
            self._new = None  # paused on the error; the next save compares with the same old run
            return False
        if not run.done:
            if first_frame:
                self.emit(Notice(f"re-simulating {run.end - run.start} ticks under the new code "
                                 "over the next frames (the timeline's bar shows how far)"))
            return True
        self._diverged(run.start, self._against.fingerprints_from(run.start), run.fingerprints)
        self._old, self._new, self._against, self._edited = run, None, None, set()
        return True

    def _prepare(self, cursor: int, began: float) -> bool:
        """Take the old run a save would compare with, while this frame has time left.

        A failed hook drops the run (the game pauses on it), so a fix starts it again.
        """
        if not self.preparing(cursor):
            return True
        old = self._old
        if old is None or old.start > cursor:
            if self.clock() - began >= self.budget:
                return True
            old = self._old = Rerun(self.history, cursor, keyframes=False)
        if not old.advance(self.clock, began, self.budget, at_least_one=False):
            self._old = None
            return False
        return True

    def _diverged(self, cursor: int, old: list[dict[str, bytes]],
                  new: list[dict[str, bytes]]) -> None:
        """Mark and tell the first tick where the new run's state differs from the old one.

        The names the reloads' statements bound (an edited ``HEIGHT = 400``) are code: they
        differ from the old run everywhere, so they are left out of the comparison.
        """
        edited = self._edited
        first = next((i for i, (a, b) in enumerate(zip(old, new, strict=True))
                      if _differs(a, b, edited)), None)
        self.divergence = None if first is None else cursor + first
        ticks = len(new) - 1
        if self.divergence is None:
            self.emit(Notice(f"re-ran {ticks} ticks under the new code: the state never differs "
                             "from the old run"))
        else:
            self.emit(Notice(f"re-ran {ticks} ticks under the new code: it diverges from the old "
                             f"run at tick {self.divergence} ({first} ticks after the cursor)"))


def _differs(old: dict[str, bytes], new: dict[str, bytes], edited: set[str]) -> bool:
    """True when a state value other than the ``edited`` names differs between the runs."""
    return any(old.get(name) != new.get(name) for name in old.keys() | new.keys()
               if name not in edited)
