"""Who gets the game's input and its ticks: the open timeline, the looper, the history, the game.

Each frame's events and fixed updates are given out in one order. While the timeline (F8) is
open it takes both: keys and the mouse move its cursor, and instead of updates the scrubbed
tick's state is shown. Otherwise the looper has its say first (``pass_event``: recorded while
recording, kept from the game while a loop drives it; ``before_update`` restarts a pass), the
history logs every event the game is given and counts every update that ran, and an error
pause gives the game nothing. The real held state (``InputRouter.observe``) sees every event,
so nothing is stuck when play goes on.

It gets the parts it arbitrates between, the run state and the hook caller; not the host.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox.history import History
from sandbox.input_router import InputRouter
from sandbox.looping import Looper
from sandbox.status import Status
from sandbox.timeline import Timeline

__all__ = ["PlayGate"]


class PlayGate:
    """Gives each event and each fixed update to whoever has them now."""

    def __init__(self, router: InputRouter, timeline: Timeline, looping: Looper,
                 history: History, status: Status, call_hook: Callable[..., bool],
                 step: float) -> None:
        self.router = router  # made with this gate's ``admit`` as its own
        self.timeline = timeline
        self.looping = looping
        self.history = history
        self.status = status
        self.call_hook = call_hook
        self.step = step

    def to_game(self, event: object) -> None:
        """An event no host key took: to the timeline while open, else the looper, the game."""
        data = self.router.observe(event)  # input: the real held state sees every game event
        if self.timeline.is_open:
            self.timeline.handle(data)  # scrubbing: keys and the mouse move the cursor
        elif not self.status.paused and self.admit(event):
            self.router.deliver(event, data)  # input: held state, on_event, the plain hooks

    def admit(self, event: Any) -> bool:
        """True when ``event`` may reach the game now: the looper's say, then the history's log."""
        if self.timeline.is_open or not self.looping.pass_event(event):
            return False
        self.history.log(event)
        return True

    def advance(self, ticks: int) -> None:
        """Run up to ``ticks`` updates (none while paused); with the timeline open, show it."""
        if self.timeline.is_open and not self.status.paused:
            ticks = 0
            self.timeline.show()  # F8: the scrubbed tick's state instead of updates
        for _ in range(0 if self.status.paused else ticks):
            if not self.looping.before_update() or not self.call_hook("update", self.step):
                break
            self.history.after_update()
