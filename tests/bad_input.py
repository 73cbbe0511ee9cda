"""Helpers of the bad-input catalogue (tests/test_bad_input.py, tests/test_bad_files.py).

Every case runs a real headless Host over a copy of games/bounce. ``warm`` first runs the
game until the rectangle has hit a wall, so the state a failure must not lose is not the
initial one: a position away from the start, a non-zero wall-hit counter and a speed set by
the physics.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gamefiles import edit

from sandbox.host import Host

OLD_RGB = (255, 128, 128)   # bounce's rectangle
NEW_RGB = (255, 255, 128)   # the colour every fix saves
DRAW_LINE = "renderer.fill((pos_x - 25, pos_y - 25, 50, 50), (255, 128, 128))"


@dataclass(frozen=True)
class State:
    """What the game must keep: the rectangle, its velocity and the wall-hit counter."""

    x: int
    y: int
    dx: int
    dy: int
    hits: int


def state(host: Host) -> State:
    """The running game's state, read from its live modules."""
    game = host.game
    return State(game.pos_x, game.pos_y, game.dx, game.dy, game.physics.hits)



def line_of(path: Path, needle: str, text: str | None = None) -> int:
    """The 1-based number of the first line of ``path`` (or ``text``) containing ``needle``."""
    lines = (text if text is not None else path.read_text()).splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def warm(host: Host) -> State:
    """Run until the rectangle has bounced off the top wall once; return the state.

    The rectangle ends near the top of the window, which an error panel never covers.
    """
    host.step(3)
    host.game.pos_y, host.game.dy = 5, -1  # heading for the top wall: a hit within 5 frames
    host.step(15)
    now = state(host)
    assert now.hits == 1 and now.dy == 2, now
    assert not host.paused and host.last_error is None
    return now


def assert_old_code_runs_on(host: Host, before: State, frames: int = 5) -> None:
    """The failure changed nothing: the state continues exactly as the old code moves it."""
    assert not host.paused
    assert host.step(frames) == frames
    expected = State(before.x + frames * before.dx, before.y + frames * before.dy,
                     before.dx, before.dy, before.hits)
    assert state(host) == expected
    assert host.pixel(expected.x, expected.y)[:3] == OLD_RGB


def assert_stays_paused(host: Host, at: State, frames: int = 5) -> None:
    """A paused game runs frames but no hook: the state stays exactly where it stopped."""
    assert host.paused and host.running
    assert host.step(frames) == frames
    assert state(host) == at
    assert host.paused and host.running


def save_fix(host: Host, path: Path, text: str) -> None:
    """Save ``text`` (the fixed code) with the new colour, reload, and check the game resumes."""
    path.write_text(text)
    main = host.root / "main.py"
    edit(main, DRAW_LINE, DRAW_LINE.replace(repr(OLD_RGB), repr(NEW_RGB)))
    report = host.reload()
    assert report.ok, str(report)
    assert_resumed(host)


def assert_resumed(host: Host) -> None:
    """The game runs again with the new code: not paused, no error, moving, new colour."""
    before = state(host)
    assert host.step(3) == 3
    after = state(host)
    assert not host.paused and host.last_error is None
    assert (after.x, after.y) != (before.x, before.y)
    assert host.pixel(after.x, after.y)[:3] == NEW_RGB
