"""Breakpoints alongside hot reload: pdb's prompt in a hook, and file:line breaks after a reload.

The real CLI on a pty (``tests/ptyrun.py``): a hook calls ``breakpoint()``, the test waits at
pdb's prompt well past the hang limit, types ``c``, and the game goes on with no HookTimeout.
"""

from __future__ import annotations

import bdb
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import FrameType

from ptyrun import REPO, Session

from sandbox.watchdog import HookTimeout, Watchdog

BREAKING_GAME = '''\
frames = 0


def update(dt):
    global frames
    frames += 1
    if frames == 5:
        breakpoint()
        print("went on after the breakpoint")
    if frames == 40:
        print("frame 40 ran")
'''


def test_breakpoint_in_a_hook_stops_at_pdb_and_c_goes_on(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(BREAKING_GAME)
    session = Session([str(tmp_path), "--headless", "--frames", "60", "--no-watch",
                       "--hang-timeout", "0.3"])
    try:
        session.expect("(Pdb)")
        time.sleep(1.2)  # four hang limits at the prompt: the watchdog must stand down
        session.type("p frames")
        assert "5" in session.expect("(Pdb)")
        session.type("c")
        session.expect("went on after the breakpoint")
        session.expect("frame 40 ran")
        assert session.wait() == 0
        assert "ran longer than" not in session.seen
        assert "paused" not in session.seen
    finally:
        session.close()


PATCHED = '''\
speed = 1


def update(dt):
    global speed
    speed = speed + 1
    return speed
'''

PATCHED_EDIT = '''\
speed = 1


def update(dt):
    global speed
    boost = 10
    speed = speed + boost
    return speed
'''


class _Recorder(bdb.Bdb):
    """A debugger that notes each file:line it stops at, then continues."""

    def __init__(self) -> None:
        super().__init__()
        self.stops: list[tuple[str, int]] = []

    def user_line(self, frame: FrameType) -> None:
        self.stops.append((frame.f_code.co_filename, frame.f_lineno))
        self.set_continue()


# Run in a fresh interpreter: a process-wide trace function is no place for the suite's
# shared state (threads and modules left by earlier tests).
BREAK_AFTER_RELOAD = """
import bdb, json, sys
from pathlib import Path
from sandbox.hot import Reloader

root = Path(sys.argv[1])
main_py = root / "main.py"


class Recorder(bdb.Bdb):
    def __init__(self):
        super().__init__()
        self.stops = []

    def user_line(self, frame):
        self.stops.append([frame.f_code.co_filename, frame.f_lineno])
        self.set_continue()


reloader = Reloader(root)
game = reloader.import_module("main")
update = game.update  # a reference held before the reload runs the new code
main_py.write_text(sys.argv[2])
report = reloader.reload()
debugger = Recorder()
failed = debugger.set_break(str(main_py), 7)
result = debugger.runcall(update, 0.1)
print(json.dumps({"ok": report.ok, "set": failed, "result": result, "stops": debugger.stops,
                  "file": game.update.__code__.co_filename}))
"""


def test_a_file_line_breakpoint_hits_the_patched_code_after_a_reload(tmp_path: Path) -> None:
    main_py = tmp_path / "main.py"
    main_py.write_text(PATCHED)
    done = subprocess.run([sys.executable, "-c", BREAK_AFTER_RELOAD, str(tmp_path),
                           PATCHED_EDIT], cwd=REPO, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["ok"] and found["set"] is None  # reloaded; None: the break was set
    assert found["result"] == 11  # the patched code ran: speed 1 + boost 10
    # Line 7 is ``speed = speed + boost``: only the patched code has it there.
    assert [str(main_py), 7] in found["stops"]
    assert found["file"] == str(main_py)


def test_the_watchdog_still_interrupts_a_hang_with_no_debugger() -> None:
    with Watchdog(0.2) as dog:
        started = time.perf_counter()
        try:
            dog.call(_spin, 30.0)
        except HookTimeout:
            pass
        else:
            raise AssertionError("a hang with no debugger was not interrupted")
        assert time.perf_counter() - started < 10


def _spin(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def test_terminal_keys_step_aside_while_a_debugger_holds_the_game() -> None:
    """While ``hold()`` is true the reader gives the terminal back and reads nothing."""
    import termios

    from sandbox.devtools import TerminalKeys

    controller, terminal = os.openpty()
    stream = os.fdopen(terminal, "rb", buffering=0)
    before = termios.tcgetattr(terminal)
    held = threading.Event()
    keys = TerminalKeys(stream, hold=held.is_set)
    try:
        assert keys.start()
        assert not termios.tcgetattr(terminal)[3] & termios.ICANON  # cbreak
        held.set()
        deadline = time.monotonic() + 5
        while not termios.tcgetattr(terminal)[3] & termios.ICANON:  # cooked again, for pdb
            assert time.monotonic() < deadline, "the terminal was not given back"
            time.sleep(0.01)
        os.write(controller, b"c\n")
        time.sleep(0.3)
        assert keys.drain() == []  # pdb's line stays for pdb
        assert stream.read(2) == b"c\n"
        held.clear()
        while termios.tcgetattr(terminal)[3] & termios.ICANON:  # cbreak once more
            assert time.monotonic() < deadline + 5, "cbreak did not come back"
            time.sleep(0.01)
        os.write(controller, b"r")
        got: list[str] = []
        while not got and time.monotonic() < deadline + 5:
            got = keys.drain()
            time.sleep(0.01)
        assert got == ["r"]
    finally:
        keys.stop()
        assert termios.tcgetattr(terminal)[3] == before[3]
        stream.close()
        os.close(controller)
