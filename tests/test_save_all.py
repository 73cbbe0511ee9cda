"""A multi-file "save all" is applied together (issue 15, item 2), through the real watcher.

main.py starts calling ``entities.g()`` and entities.py, saved 20 ms later, defines it. Each
save is applied at once (save -> screen is not delayed), but an error that the next file of
the same save fixes is never shown, and a save that failed is applied again with the next.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sandbox.events import GameError
from sandbox.host import Host
from sandbox.hot import ReloadReport

MAIN = """\
import entities

X = 1


def draw(renderer):
    renderer.clear((0, 0, 255))
    entities.f()
"""
ENTITIES = "def f():\n    return 1\n"


@pytest.fixture
def game(tmp_path: Path) -> Path:
    folder = tmp_path / "game"
    folder.mkdir()
    (folder / "main.py").write_text(MAIN)
    (folder / "entities.py").write_text(ENTITIES)
    return folder


def settle(host: Host, seconds: float = 0.5) -> None:
    """Run frames while the watcher delivers what was saved, until it has been quiet a while."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        host.wait_for_change(0.05)
        host.step(1)


def step_until(host: Host, done: Callable[[], bool], seconds: float = 2.0) -> None:
    """Run frames until ``done()`` is true (the watcher may split a write in two batches)."""
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        host.wait_for_change(0.02)
        host.step(1)


def failures(host: Host) -> list[object]:
    return [e for e in host.events
            if isinstance(e, GameError) or (isinstance(e, ReloadReport) and not e.ok)]


def test_a_save_all_whose_second_file_fixes_the_first_shows_no_error(game: Path) -> None:
    with Host(game, headless=True) as host:
        host.changes.grace = 2.0  # the test's own pauses must not count on a busy machine
        host.step(2)
        (game / "main.py").write_text(MAIN.replace("entities.f()", "entities.g()"))
        assert host.wait_for_change(5)
        step_until(host, lambda: host.paused)  # main.py is live at once: draw() fails ...
        assert host.paused and host.status.shown_error is None  # ... and that is held back
        time.sleep(0.02)
        (game / "entities.py").write_text(ENTITIES + "\n\ndef g():\n    return 2\n")
        settle(host)
        assert not host.paused and host.last_error is None
        assert failures(host) == []
        assert not any("resumed" in str(e) for e in host.events)  # nothing was shown
        assert host.pixel(5, 5) == (0, 0, 255, 255)


def test_a_failed_save_is_applied_again_with_the_file_that_fixes_it(game: Path) -> None:
    """main.py imports a name entities.py defines a moment later: main.py's edit lands too."""
    with Host(game, headless=True) as host:
        host.changes.grace = 2.0
        host.step(2)
        (game / "main.py").write_text(MAIN.replace("X = 1", "from entities import g\nX = 2"))
        assert host.wait_for_change(5)
        step_until(host, lambda: host.last_error is not None)  # fails (no g yet), rolled back
        assert host.game.X == 1 and host.status.shown_error is None  # its error is held
        (game / "entities.py").write_text(ENTITIES + "\n\ndef g():\n    return 2\n")
        settle(host)
        assert host.game.X == 2 and host.game.g() == 2  # not left stale
        assert host.last_error is None and failures(host) == []


def test_an_error_no_later_save_fixes_is_shown_once_the_grace_is_over(game: Path) -> None:
    now = [1000.0]
    with Host(game, headless=True) as host:
        host.changes.now = lambda: now[0]
        host.step(2)
        (game / "main.py").write_text(MAIN.replace("entities.f()", "entities.nothing()"))
        assert host.wait_for_change(5)
        step_until(host, lambda: host.paused)
        assert host.paused and failures(host) == [] and host.status.shown_error is None
        now[0] += host.changes.grace
        host.step(1)
        assert [str(e).split(":")[0] for e in failures(host)] == ["draw() failed"]
        assert host.status.shown_error is host.last_error is not None
        height = host.display.size[1] if host.display else 0
        assert host.pixel(5, height - 5) != (0, 0, 255, 255)  # the panel, at the bottom
