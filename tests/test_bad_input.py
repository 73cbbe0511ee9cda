"""The bad-input catalogue, part 1: bad code (docs/design.md §4, issue 4).

Each case runs a real headless Host over a copy of games/bounce, breaks the game the way a
developer would, and checks: the host still runs frames; ``paused``/``last_error`` are as
expected; the message names the right file and line; the state (position, velocity, the
wall-hit counter) is untouched by the failure; and saving a fix resumes the game with the new
code (the rectangle is drawn in the new colour). Files gone wrong are in test_bad_files.py,
start-up failures in test_bad_startup.py.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from bad_input import (
    State,
    assert_old_code_runs_on,
    assert_stays_paused,
    edit,
    line_of,
    save_fix,
    state,
    warm,
)

from sandbox.events import GameError
from sandbox.host import Host

MOVE = "    pos_x += dx\n"
UPDATE_HEAD = '    """One fixed step: move, then bounce off the walls."""\n'
TOP = "dy = 1\n"  # the last top-level assignment of main.py


@pytest.fixture
def host(bounce_copy: Path) -> Iterator[Host]:
    """A headless host over the bounce copy, with a short hang limit (no watcher)."""
    with Host(bounce_copy, headless=True, watch=False, hang_timeout=0.3) as h:
        yield h


# -- a reload that fails: rolled back, the old code keeps running -------------------------------

RELOAD_CASES = {
    "syntax error": (TOP, TOP + "def broken(:\n", "def broken(:", "SyntaxError", "main.py"),
    "import error": (TOP, TOP + "import no_such_module\n", "import no_such_module",
                     "ModuleNotFoundError: No module named 'no_such_module'", "main.py"),
    "NameError at top level": (TOP, TOP + "speed = undefined_speed\n", "undefined_speed",
                               "NameError: name 'undefined_speed' is not defined", "main.py"),
    "raising top-level statement": (TOP, TOP + "ratio = 1 / 0\n", "ratio = 1 / 0",
                                    "ZeroDivisionError: division by zero", "main.py"),
    "raising after_reload handler": (
        TOP, TOP + "\n\n@hot.after_reload\ndef check():\n    raise RuntimeError('bad handler')\n",
        "raise RuntimeError", "RuntimeError: bad handler", "main.py"),
    "infinite recursion at top level": (
        TOP, TOP + "def deeper(n):\n    return deeper(n + 1)\n\n\nDEPTH = deeper(0)\n",
        "return deeper(n + 1)", "RecursionError: infinite recursion in deeper()", "main.py"),
    "sys.exit() at top level": (TOP, TOP + "import sys\nsys.exit('bye')\n", "sys.exit(",
                                "GameExit: game code called sys.exit()", "main.py"),
    "KeyboardInterrupt at top level": (TOP, TOP + "raise KeyboardInterrupt\n",
                                       "raise KeyboardInterrupt",
                                       "GameExit: game code raised KeyboardInterrupt", "main.py"),
    "hang in a top-level statement": (
        TOP, TOP + "while True:\n    pass\n", "while True:",
        "HookTimeout: reload ran longer than 0.3 s and was interrupted", "main.py"),
}


@pytest.mark.parametrize("case", list(RELOAD_CASES))
def test_a_failed_reload_keeps_the_old_code_running(host: Host, case: str) -> None:
    old, new, needle, message, file = RELOAD_CASES[case]
    main = host.root / "main.py"
    good = main.read_text()
    before = warm(host)
    edit(main, old, new)
    report = host.reload()
    assert not report.ok
    info = host.last_error
    assert info is not None and str(info).startswith(message), str(info)
    line = line_of(main, needle)
    # A hang is stopped wherever the loop was: its test or its body.
    lines = (line, line + 1) if "hang" in case else (line,)
    assert info.where in [f"{file}:{n}" for n in lines], str(info)
    assert info.where in str(report) and "save" in info.hint
    assert state(host) == before  # nothing of the failed reload stayed applied
    assert_old_code_runs_on(host, before)
    assert host.last_error is info  # the panel stays until a reload succeeds
    save_fix(host, main, good)


def test_a_circular_import_between_two_new_modules(host: Host) -> None:
    root = host.root
    main = root / "main.py"
    good = main.read_text()
    before = warm(host)
    (root / "left.py").write_text("from right import RIGHT\n\nLEFT = 1\n")
    (root / "right.py").write_text("from left import LEFT\n\nRIGHT = 2\n")
    edit(main, "import physics\n", "import physics\nimport left\n")
    report = host.reload()
    assert not report.ok
    assert "circular import" in str(report) and "right.py:1" in str(report), str(report)
    assert state(host) == before
    assert_old_code_runs_on(host, before)
    (root / "right.py").write_text("RIGHT = 2\n")  # the fix: break the cycle
    save_fix(host, main, good.replace("import physics\n", "import physics\nimport left\n"))
    assert host.game.left.RIGHT == 2


# -- an exception in a hook: the game pauses at that frame, state as it was -------------------

HOOK_CASES = {
    "update raises": (UPDATE_HEAD, UPDATE_HEAD + "    raise ValueError('bad step')\n",
                      "raise ValueError", "update", "ValueError: bad step"),
    "update hangs": (UPDATE_HEAD, UPDATE_HEAD + "    while True:\n        pass\n",
                     "while True:", "update",
                     "HookTimeout: update() ran longer than 0.3 s and was interrupted"),
    "update recurses forever": (
        UPDATE_HEAD, UPDATE_HEAD + "    def fall(n):\n        return fall(n + 1)\n    fall(0)\n",
        "return fall(n + 1)", "update", "RecursionError: infinite recursion in fall()"),
    "update calls sys.exit()": (UPDATE_HEAD, UPDATE_HEAD + "    import sys\n    sys.exit(3)\n",
                                "sys.exit(3)", "update",
                                "GameExit: game code called sys.exit()"),
    "update raises KeyboardInterrupt": (
        UPDATE_HEAD, UPDATE_HEAD + "    raise KeyboardInterrupt\n", "raise KeyboardInterrupt",
        "update", "GameExit: game code raised KeyboardInterrupt"),
    "draw raises": ("    renderer.clear(BACKGROUND)\n",
                    "    renderer.clear(BACKGROUND)\n    raise TypeError('bad colour')\n",
                    "raise TypeError", "draw", "TypeError: bad colour"),
    "on_event raises": (TOP, TOP + "\n\ndef on_event(event):\n    raise KeyError('A')\n",
                        "raise KeyError", "on_event", "KeyError: 'A'"),
}


@pytest.mark.parametrize("case", list(HOOK_CASES))
def test_an_exception_in_a_hook_pauses_then_a_fix_resumes(host: Host, case: str) -> None:
    old, new, needle, hook, message = HOOK_CASES[case]
    main = host.root / "main.py"
    good = main.read_text()
    warm(host)
    edit(main, old, new)
    assert host.reload().ok
    before = state(host)
    if hook == "on_event":
        host.press("A")  # a real SDL key event, handled at the next frame
    assert host.step(1) == 1
    assert host.paused and host.running
    info = host.last_error
    assert info is not None and str(info).startswith(message), str(info)
    assert info.where == f"main.py:{line_of(main, needle)}", str(info)
    stopped = state(host)
    if hook != "draw":  # update ran before draw() failed in the same frame
        assert stopped == before
    assert_stays_paused(host, stopped)
    errors = [e for e in host.events if isinstance(e, GameError)]
    assert len(errors) == 1 and errors[0].hook == hook  # reported once, not every frame
    assert f"{hook}() failed: {message}" in str(errors[0])
    host.press("F9")  # F9 retries the same code: it fails again, and says so once more
    if hook == "on_event":
        host.press("A")  # on_event fails only on a key
    host.step(2)
    assert host.paused and len([e for e in host.events if isinstance(e, GameError)]) == 2
    if hook == "draw":  # the retried frame's update() ran before draw() failed again
        stopped = State(stopped.x + stopped.dx, stopped.y + stopped.dy, stopped.dx, stopped.dy,
                        stopped.hits)
    assert state(host) == stopped
    save_fix(host, main, good)
    if "Exit" in message:  # the game asked to quit; the developer's Esc still does
        host.press("Escape")
        assert host.step(3) == 0 and not host.running


def test_load_that_raises_pauses_before_the_first_frame(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    good = main.read_text()
    edit(main, TOP, TOP + "\n\ndef load():\n    raise OSError('no level file')\n")
    with Host(bounce_copy, headless=True, watch=False) as host:
        start = state(host)
        info = host.last_error
        assert info is not None and host.paused
        assert str(info) == f"OSError: no level file at main.py:{line_of(main, 'raise OSError')}"
        assert_stays_paused(host, start)
        save_fix(host, main, good)


def test_a_reload_that_hangs_stops_in_time_and_the_watchdog_ends_with_the_host(
    bounce_copy: Path,
) -> None:
    main = bounce_copy / "main.py"
    good = main.read_text()
    with Host(bounce_copy, headless=True, watch=False, hang_timeout=0.3) as host:
        warm(host)
        edit(main, TOP, TOP + "while True:\n    pass\n")
        report = host.reload()
        assert not report.ok and 0.3 <= report.seconds < 3.0  # roomy: a shared machine
        assert "an endless loop?" in str(report)
        assert host.step(2) == 2
        save_fix(host, main, good)
    assert not [t for t in threading.enumerate() if t.name == "sandbox-watchdog"]


def test_a_restart_whose_import_hangs_keeps_the_running_game(host: Host) -> None:
    main = host.root / "main.py"
    good = main.read_text()
    before = warm(host)
    edit(main, TOP, TOP + "while True:\n    pass\n")
    report = host.restart()
    assert not report.ok and str(report).startswith("restart failed: HookTimeout"), str(report)
    assert host.last_error is not None
    assert host.last_error.where == f"main.py:{line_of(main, 'while')}"
    assert state(host) == before
    assert_old_code_runs_on(host, before)
    save_fix(host, main, good)


def test_the_fix_resumes_from_where_the_game_stopped(host: Host) -> None:
    main = host.root / "main.py"
    good = main.read_text()
    warm(host)
    edit(main, UPDATE_HEAD, UPDATE_HEAD + "    raise ValueError('bad step')\n")
    host.reload()
    host.step(3)
    stopped = state(host)
    main.write_text(good)
    assert host.reload().ok
    host.step(1)  # exactly one step of the old motion, from the stopped position
    assert state(host) == State(stopped.x + stopped.dx, stopped.y + stopped.dy,
                                stopped.dx, stopped.dy, stopped.hits)
    assert not host.paused and host.last_error is None


def test_kept_errors_keep_their_message_not_the_engines_frames(host: Host) -> None:
    """Every event is kept; its exception's frames (the reload plan, sources) must not be."""
    import gc
    import types

    main = host.root / "main.py"
    warm(host)
    for n in range(3):
        edit(main, TOP, TOP + f"ratio{n} = 1 / 0\n")
        report = host.reload()
        assert not report.ok and report.error is not None
        assert report.error.__traceback__ is None
        assert report.error_info is not None and report.error_info.where.startswith("main.py:")
    gc.collect()
    kept = [f for f in gc.get_objects()
            if isinstance(f, types.FrameType) and f.f_code.co_name in ("apply", "prepare")]
    assert kept == []


def test_a_restart_whose_import_calls_sys_exit_keeps_the_running_game(host: Host) -> None:
    main = host.root / "main.py"
    good = main.read_text()
    before = warm(host)
    edit(main, TOP, TOP + "import sys\nsys.exit()\n")
    report = host.restart()
    assert not report.ok and report.restart
    assert str(report).startswith("restart failed: GameExit: game code called sys.exit() at "
                                  f"main.py:{line_of(main, 'sys.exit()')}"), str(report)
    assert "the old code keeps running" in str(report) and host.running
    assert_old_code_runs_on(host, before)
    save_fix(host, main, good)
