"""The host's event sink: a bounded window of events, told to every sink (issue 14: memory)."""

from __future__ import annotations

from pathlib import Path

from sandbox.eventlog import LIMIT, EventLog
from sandbox.events import ErrorInfo, GameError, Notice
from sandbox.host import Host


def test_the_window_keeps_the_last_events_and_counts_them_all() -> None:
    told: list[object] = []
    log = EventLog([told.append], limit=3)
    for i in range(5):
        log.emit(Notice(str(i)))
    assert [str(e) for e in log] == ["2", "3", "4"]
    assert len(log) == 3 and log.total == 5 and len(told) == 5
    assert str(log[-1]) == "4" and [str(e) for e in log[1:]] == ["3", "4"]
    assert log == [Notice("2"), Notice("3"), Notice("4")]
    assert EventLog() == []


def test_since_a_mark_gives_what_came_after_even_as_the_window_moves() -> None:
    log = EventLog(limit=4)
    log.emit(Notice("a"))
    mark = log.total
    for text in "bcdef":
        log.emit(Notice(text))
    assert [str(e) for e in log.since(mark)] == ["c", "d", "e", "f"]  # b left the window
    assert log.since(log.total) == []


def test_an_event_keeps_its_message_not_its_traceback() -> None:
    try:
        raise ValueError("boom")
    except ValueError as exc:
        info = ErrorInfo.from_exception(exc)
    assert info.exception is not None and info.exception.__traceback__ is not None
    EventLog().emit(GameError("update", info))
    assert info.exception.__traceback__ is None
    assert str(info).startswith("ValueError: boom")


def test_a_long_session_keeps_a_bounded_window(bounce_copy: Path) -> None:
    """One event per reload used to be kept forever: now the last ``LIMIT`` are."""
    with Host(bounce_copy, headless=True, watch=False) as host:
        for _ in range(LIMIT + 20):
            host.reload()  # explicit: each reports "nothing changed"
        host.press("F10")
        host.step(1)
        assert len(host.events) == LIMIT and host.events.total == LIMIT + 21
        assert str(host.events[-1]) == "paused (F10 resumes, F11 steps)"
        assert str(host.events[0]) == "nothing changed"
