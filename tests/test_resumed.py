"""Errors that go away say so (issue 15, item 3): the terminal's last line is never stale.

Each case: an error is shown, the user fixes it, and after the next frame the last event is
"resumed: <file> fixed" — the line the terminal prints last. A fix that fails again is not
called a fix. A failed hot restart (F5) is retried after the fix.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from gamefiles import edit

from sandbox.console import Console
from sandbox.events import GameError, Restarted, Resumed
from sandbox.host import Host
from sandbox.sdl import write_png


def last_line(host: Host) -> str:
    return str(host.events[-1])


def resumed(host: Host) -> list[str]:
    return [str(e) for e in host.events if isinstance(e, Resumed)]


def test_undoing_a_syntax_error_says_resumed(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    good = main.read_text()
    out = io.StringIO()
    with Host(bounce_copy, headless=True, watch=False,
              console=Console(file=out, color=False)) as host:
        host.step(5)
        main.write_text(good + "\ndef broken(:\n")
        assert not host.reload().ok and host.last_error is not None
        host.step(1)
        main.write_text(good)  # undo: the disk is the running code again
        assert host.reload().ok
        host.step(1)
        assert host.last_error is None
        assert last_line(host) == "resumed: main.py fixed"
        assert out.getvalue().rstrip().endswith("resumed: main.py fixed")


def test_undoing_an_import_of_a_missing_module_says_resumed(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    good = main.read_text()
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(5)
        main.write_text("import nonexistent\n" + good)
        assert not host.reload().ok
        main.write_text(good)
        host.reload()
        host.step(1)
        assert last_line(host) == "resumed: main.py fixed"


def test_a_fixed_hook_says_resumed_and_a_fix_that_fails_again_does_not(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(5)
        edit(main, "    pos_y += dy\n", "    pos_y += dy\n    raise ValueError('first')\n")
        assert host.reload().ok
        host.step(1)
        assert host.paused
        edit(main, "raise ValueError('first')", "raise ValueError('second')")
        assert host.reload().ok  # a reload that changed code, but update() fails again
        host.step(1)
        assert host.paused and resumed(host) == []
        assert isinstance(host.events[-1], GameError)
        edit(main, "raise ValueError('second')", "pass")
        assert host.reload().ok
        host.step(1)
        assert not host.paused
        assert last_line(host) == "resumed: main.py fixed"
        host.step(5)
        assert resumed(host) == ["resumed: main.py fixed"]  # told once


def test_a_missing_image_appearing_says_resumed(tmp_path: Path) -> None:
    game = tmp_path / "game"
    game.mkdir()
    (game / "main.py").write_text(
        "from sandbox import assets\n\nTEX = None\n\n\ndef load():\n    global TEX\n"
        "    TEX = assets.image('ball.png')\n\n\ndef draw(renderer):\n"
        "    renderer.copy(TEX, dstrect=(10, 10, 20, 20))\n")
    with Host(game, headless=True) as host:
        assert host.paused and host.last_error is not None
        tmp = game / "ball.png.tmp"
        write_png(tmp, (4, 4), bytes((0, 255, 0, 255)) * 16)
        os.replace(tmp, game / "ball.png")  # the file appears: load() is tried again
        assert host.wait_for_change(5)
        host.step(1)
        assert not host.paused and host.last_error is None
        assert last_line(host) == "resumed: ball.png fixed"


def test_a_failed_hot_restart_is_retried_after_the_fix(bounce_copy: Path) -> None:
    physics = bounce_copy / "physics.py"
    good = physics.read_text()
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(5)
        physics.write_text(good + "\ndef broken(:\n")  # saved, not yet reloaded
        assert not host.restart().ok
        assert "restart is retried after the next good reload" in last_line(host)
        physics.write_text(good)  # undo
        host.reload()
        host.step(1)
        assert any(isinstance(e, Restarted) for e in host.events)
        assert host.last_error is None and not host.paused
        assert last_line(host) == "resumed: physics.py fixed"
