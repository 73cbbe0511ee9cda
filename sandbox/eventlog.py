"""The host's event sink: every event is told to the sinks and kept in a bounded window.

Components get :meth:`EventLog.emit` as their event sink (a callable), never the host. The
window keeps the last ``limit`` events for tests and tools (``host.events``); a session of
thousands of reloads would otherwise grow by one event (and its error) per reload forever.
``total`` counts every event ever emitted, so a reader can ask for what came after a mark
(:meth:`since`) even when older events have left the window.

Errors can be held back for a moment (:meth:`hold_errors`): after a save, a second file of the
same "save all" may be on its way and fix what the first one broke. Held errors are then either
told (:meth:`release`) or dropped (:meth:`drop_held`) by ``sandbox.changes``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import overload

from sandbox.events import ErrorInfo, GameError, drop_traceback

__all__ = ["LIMIT", "EventLog"]

LIMIT = 500  # events kept: ~3 KB each with a failed reload's ErrorInfo, so ~1.5 MB at most


def error_of(ev: object) -> ErrorInfo | None:
    """The ErrorInfo an event carries (a hook's failure, a failed reload's report), if any."""
    info = ev.error if isinstance(ev, GameError) else getattr(ev, "error_info", None)
    return info if isinstance(info, ErrorInfo) else None


class EventLog(Sequence[object]):
    """A bounded, ordered window of events, and the sinks each new one is told to."""

    def __init__(self, sinks: Sequence[Callable[[object], None]] = (),
                 limit: int = LIMIT) -> None:
        self.sinks = list(sinks)
        self.total = 0
        self._events: deque[object] = deque(maxlen=limit)
        self.holding = False
        self.held: list[object] = []

    def emit(self, ev: object) -> None:
        """Keep ``ev`` (its message, not its exception's frames) and tell every sink."""
        info = error_of(ev)
        if info is not None:
            drop_traceback(info.exception)
            error = getattr(ev, "error", None)  # a ReloadReport's exception
            if isinstance(error, BaseException):
                drop_traceback(error)
            if self.holding:
                self.held.append(ev)
                return
        self._tell(ev)

    def hold_errors(self) -> None:
        """From now on keep error events back (not told, not in the window) until released."""
        self.holding = True

    def release(self) -> None:
        """Tell the held errors after all, in order, and stop holding."""
        held, self.held, self.holding = self.held, [], False
        for ev in held:
            self._tell(ev)

    def drop_held(self) -> None:
        """Forget the held errors (something fixed them before they were shown); stop holding."""
        self.held, self.holding = [], False

    def _tell(self, ev: object) -> None:
        self._events.append(ev)
        self.total += 1
        for sink in self.sinks:
            sink(ev)

    def since(self, mark: int) -> list[object]:
        """The events emitted after ``total`` was ``mark`` (those still in the window)."""
        return list(self._events)[max(0, len(self._events) - (self.total - mark)):]

    def __len__(self) -> int:
        return len(self._events)

    @overload
    def __getitem__(self, index: int) -> object: ...
    @overload
    def __getitem__(self, index: slice) -> list[object]: ...
    def __getitem__(self, index: int | slice) -> object:
        if isinstance(index, slice):
            return list(self._events)[index]
        return self._events[index]

    def __iter__(self) -> Iterator[object]:
        return iter(self._events)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (EventLog, list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by content

    def __repr__(self) -> str:
        return f"EventLog({list(self._events)!r}, total={self.total})"
