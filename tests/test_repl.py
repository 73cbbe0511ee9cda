"""``--repl``: a Python prompt into the running game, on a real pty with the real CLI.

Lines run in the game's ``main`` namespace at the frame boundary; one that raises, hangs or
exits is reported and the game keeps running. In-process tests drive the same ``Repl`` through
a real pipe and a real headless host: a reload keeps what a line set, F5 starts over.
"""

from __future__ import annotations

import ast
import os
import re
import time
from pathlib import Path

from gamefiles import edit
from ptyrun import Session

from sandbox import Host
from sandbox.events import ReplFailed
from sandbox.repl import Repl

COUNTING = '''\
ticks = 0
x = 0
dx = 1


def update(dt):
    global ticks, x
    ticks += 1
    x += dx
'''


def _value(session: Session, expression: str) -> object:
    """Type ``expression`` at the prompt; the value it printed (a Python literal)."""
    session.type(expression)
    out = session.expect(">>> ")
    lines = [line.strip() for line in out.splitlines()]
    printed = [line for line in lines
               if line and line != ">>>" and not line.endswith(expression)]
    return ast.literal_eval(printed[-1] if printed else "None")


def test_repl_lines_change_the_running_game_and_failures_are_reported(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(COUNTING)
    session = Session([str(tmp_path), "--repl", "--no-watch", "--hang-timeout", "0.5"])
    try:
        session.expect(">>> ")
        session.type("dx = 5; t0, x0 = ticks, x")
        session.expect(">>> ")
        time.sleep(0.3)
        moved, ticks = _value(session, "(x - x0, ticks - t0)")  # type: ignore[misc]
        assert ticks > 0 and moved == 5 * ticks  # every frame since moved by the new dx
        session.type("1 / 0")
        failed = session.expect(">>> ")
        assert "repl: ZeroDivisionError: division by zero at <repl 3>:1" in failed
        assert "the game keeps running" in failed
        session.type("while True: pass")
        session.type("")  # the blank line that ends the block
        hung = session.expect(">>> ", timeout=20)
        assert re.search(r"repl: HookTimeout: repl\(\) ran longer than 0\.5 s", hung), hung
        session.type("import sys; sys.exit(3)")
        assert "repl: GameExit" in session.expect(">>> ")
        before = _value(session, "ticks")
        time.sleep(0.3)
        assert _value(session, "ticks") > before  # type: ignore[operator]
        assert session.proc.poll() is None  # the session is still up
    finally:
        session.close()


def _pipe_repl(host: Host) -> tuple[Repl, int]:
    """A Repl on the host's game reading a real pipe; returns it and the pipe's write end."""
    read_end, write_end = os.pipe()
    repl = Repl(lambda: vars(host.game), host.watchdog.call, host.events.emit, host.root,
                stream=os.fdopen(read_end, "r"))
    host.terminal.repl = repl
    repl.start()
    return repl, write_end


def _until(host: Host, check: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the REPL line never ran"
        host.step(1)
        time.sleep(0.005)


def test_a_reload_keeps_what_a_line_set_and_f5_starts_over(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(COUNTING)
    with Host(tmp_path, headless=True, watch=False) as host:
        repl, pipe = _pipe_repl(host)
        try:
            os.write(pipe, b"dx = 7\n")
            _until(host, lambda: host.game.dx == 7)
            x = host.game.x
            host.step(2)
            assert host.game.x == x + 14
            edit(tmp_path / "main.py", "ticks += 1", "ticks += 2")
            assert host.reload().ok
            host.step(1)
            assert host.game.dx == 7  # state, not code: the reload did not undo it
            host.restart()
            assert host.game.dx == 1  # F5: everything starts over
            os.write(pipe, b"def f():\n    return dx * 100\n\nresult = f()\n")
            _until(host, lambda: getattr(host.game, "result", None) == 100)
        finally:
            os.close(pipe)
            repl.stop()


def test_a_failing_line_is_an_event_and_changes_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(COUNTING)
    with Host(tmp_path, headless=True, watch=False) as host:
        repl, pipe = _pipe_repl(host)
        try:
            os.write(pipe, b"dx = undefined_name\n")
            _until(host, lambda: any(isinstance(e, ReplFailed) for e in host.events))
            failure = next(e for e in host.events if isinstance(e, ReplFailed))
            assert str(failure).startswith("repl: NameError: name 'undefined_name' is not "
                                           "defined at <repl 1>:1")
            assert host.game.dx == 1 and not host.paused
            ticks = host.game.ticks
            host.step(3)
            assert host.game.ticks == ticks + 3
            os.write(pipe, b"x = (1,\n")  # incomplete: waits for more
            os.write(pipe, b"2)\n")
            _until(host, lambda: host.game.x == (1, 2))
        finally:
            os.close(pipe)
            repl.stop()


def test_completion_offers_the_game_s_names(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(COUNTING + "tick_rate = 60\n")
    with Host(tmp_path, headless=True, watch=False) as host:
        repl = Repl(lambda: vars(host.game), host.watchdog.call, host.events.emit, host.root)
        found = []
        state = 0
        while (match := repl._complete("tick", state)) is not None:  # readline's protocol
            found.append(match)
            state += 1
        assert sorted(found) == ["tick_rate", "ticks"]
        assert repl._complete("upd", 0) == "update("


def test_the_terminals_keys_and_prompt_start_and_stop_with_the_host(tmp_path: Path) -> None:
    """No terminal on stdin: no key reader; ``--repl``'s prompt runs lines, and stops on close."""
    (tmp_path / "main.py").write_text(COUNTING)
    host = Host(tmp_path, headless=True, watch=False, repl=True, terminal_keys=True)
    terminal = host.terminal
    assert terminal.keys is None  # pytest's stdin is no terminal: nothing read, nothing changed
    repl = terminal.repl
    assert repl is not None and repl.execute("dx = 7")
    host.step(3)
    assert host.game.dx == 7
    host.close()
    assert terminal.repl is None and terminal.keys is None
    host.close()  # idempotent
