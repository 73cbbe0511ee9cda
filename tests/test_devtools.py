"""Developer tools on a headless host: F5, F10/F11, F3, F12, F1, window settings, `new`, r/R/q.

Every key is a real SDL key event (``host.press``), handled at the next frame like a user's.
"""

from __future__ import annotations

import io
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from gamefiles import BLUE, PINK, YELLOW, edit
from golden import assert_matches_golden

from sandbox import Host
from sandbox.cli import main
from sandbox.console import Console
from sandbox.devtools import DevTools, FrameTimes, screenshot_path
from sandbox.events import Notice, Restarted, ScreenshotSaved
from sandbox.hot import ReloadReport
from sandbox.sdl import read_png

REPO = Path(__file__).resolve().parent.parent

COUNTING_GAME = '''\
BACKGROUND = (0, 0, 0)
loads = 0
steps = []
x = 0


def load():
    global loads, x
    loads += 1
    x = 100


def update(dt):
    global x
    steps.append(dt)
    x += 1


def draw(renderer):
    renderer.clear(BACKGROUND)
    renderer.fill((x, 10, 4, 4), (255, 0, 0))
'''



def pos(host: Host) -> tuple[int, int]:
    return host.game.pos_x, host.game.pos_y


# -- F5 hot restart -----------------------------------------------------------------------------
def test_f5_restart_resets_state_and_calls_load_once(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(COUNTING_GAME)
    out = io.StringIO()
    with Host(tmp_path, headless=True, watch=False, console=Console(file=out, color=False)) as host:
        assert host.game.loads == 1
        host.step(30)
        assert host.game.x == 130
        before = out.getvalue().count("\n")
        host.press("F5")
        host.step(1)
        assert host.game.loads == 1          # a fresh module: load() ran exactly once
        assert host.game.x == 101            # state started over, then one update ran
        assert host.pixel(101, 11) == (255, 0, 0, 255)
        new_lines = out.getvalue().splitlines()[before:]
        assert len(new_lines) == 1 and "restarted: 1 modules imported fresh" in new_lines[0]
        assert sum(isinstance(e, Restarted) for e in host.events) == 1


# -- F10 pause / F11 step -----------------------------------------------------------------------
def test_paused_game_still_shows_a_reload(bounce_copy: Path) -> None:
    main_py = bounce_copy / "main.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(10)
        host.press("F10")
        host.step(1)
        frozen = pos(host)
        assert host.paused and host.pixel(*frozen) == PINK
        edit(main_py, "(255, 128, 128)", "(255, 255, 128)")
        host.press("F9")
        host.step(3)
        assert pos(host) == frozen                 # update stays frozen ...
        assert host.pixel(*frozen) == YELLOW       # ... but draw shows the new code
        assert host.paused


def test_f11_advances_exactly_one_fixed_step(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(COUNTING_GAME)
    with Host(tmp_path, headless=True, watch=False, fps=50) as host:
        host.step(5)
        host.press("F10")
        host.step(4)
        n = len(host.game.steps)
        host.press("F11")
        host.step(1)
        assert host.game.steps[n:] == [0.02]       # one update, with the fixed dt
        host.step(5)
        assert len(host.game.steps) == n + 1
        host.press("F11")
        host.press("F11")                          # two presses in one frame: still one step
        host.step(1)
        assert len(host.game.steps) == n + 2


# -- F3 HUD -------------------------------------------------------------------------------------
def test_frame_times_keep_120_frames() -> None:
    times = FrameTimes()
    for i in range(200):
        times.add(i / 50, 0.001 * (i % 10))
    assert len(times.work) == 120 and len(times.intervals) == 120
    assert times.fps == pytest.approx(50)
    assert times.worst == pytest.approx(0.009)
    assert times.average == pytest.approx(0.0045)


def test_hud_lines_name_fps_step_reload_and_changed_modules(bounce_copy: Path) -> None:
    tools = DevTools(1 / 60)
    tools.times.fill([0.004] * 120, 1 / 60)
    lines = tools.hud_lines(7, paused=True, extra=["LOOP 2.4 s"])
    assert lines == ["60 fps  frame 4.0 ms (max 4.0 ms)  fixed step 60 Hz", "reload: none yet",
                     "LOOP 2.4 s", "frame 7  paused"]
    tools.reloaded(ReloadReport(ok=True, changed=["physics", "main"], files=["physics.py"],
                                patched=["physics.bounce"], seconds=0.0013))
    assert tools.hud_lines(8, paused=False)[1:3] == [
        "reload: reloaded physics.py: 1 function patched (1.3 ms)",
        "has_module_changed: physics, main"]


def test_hud_shows_the_hosts_last_reload_and_extra_lines(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.hud_sources.append(lambda: "LOOP 2.4 s")
        host.hud_sources.append(lambda: None)
        edit(bounce_copy / "physics.py", "SPEED = 2", "SPEED = 3")
        report = host.reload()
        assert report.ok and host.devtools.last_reload is report
        host.press("F3")
        host.step(3)
        lines = host.devtools.hud_lines(host.frames, host.paused, ["LOOP 2.4 s"])
        assert "physics" in lines[2] and lines[3] == "LOOP 2.4 s"
        assert len(host.overlay.graph) == 3  # the graph is fed every frame
        host.step(150)
        assert len(host.devtools.times.work) == 120  # ... and keeps the last 120


def test_hud_golden(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(100)
        edit(bounce_copy / "physics.py", "SPEED = 2", "SPEED = 3")
        report = host.reload()
        assert report.ok
        report.seconds = 0.0012  # pinned: the picture must not depend on this machine's speed
        host.press("F3")
        # 120 frames: mostly fast, a slow one every 30 (red bars above the budget line)
        host.devtools.times.fill([0.030 if i % 30 == 29 else 0.002 + 0.0001 * (i % 20)
                                  for i in range(120)], 1 / 60)
        host.step(1)
        assert host.pixel(600, 470) == BLUE  # the HUD sits at the top
        assert_matches_golden(host, "devtools_hud")


# -- F1 help ------------------------------------------------------------------------------------
def test_help_golden(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(200)
        host.press("F1")
        host.step(1)
        assert_matches_golden(host, "devtools_help")


# -- F12 screenshot -----------------------------------------------------------------------------
def test_f12_saves_a_named_screenshot_that_matches_the_frame(
        bounce_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    out = io.StringIO()
    with Host(bounce_copy, headless=True, watch=False,
              console=Console(file=out, color=False)) as host:
        host.step(20)
        host.press("F12")
        host.press("F12")  # same second: the second one must not overwrite the first
        host.step(1)
        shots = [e for e in host.events if isinstance(e, ScreenshotSaved)]
        assert len(shots) == 2
        first, second = (Path(s.path) for s in shots)
        assert first.parent == work / "screenshots"
        assert re.fullmatch(r"bounce-\d{8}-\d{6}(-2)?\.png", first.name)
        # Within one second the second shot gets -2; across a second boundary a new stamp.
        assert second != first and second.parent == first.parent
        assert first.stat().st_size > 0 and second.stat().st_size > 0
        assert f"screenshot saved to {first}" in out.getvalue()
        assert f"screenshot saved to {second}" in out.getvalue()


def test_screenshot_is_exactly_the_presented_frame(bounce_copy: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(33)
        assert host.display is not None
        shown = host.display.pixels()
        host.press("F12")
        host.step(1)  # F12 is handled before this frame draws: it saves frame 33
        shot = next(e for e in host.events if isinstance(e, ScreenshotSaved))
        w, h, rgba = read_png(shot.path)
        assert (w, h) == (640, 480) and rgba == shown


def test_screenshot_names_never_collide(tmp_path: Path) -> None:
    when = time.mktime((2026, 11, 21, 14, 5, 9, 0, 0, -1))
    folder = tmp_path / "new" / "screenshots"
    names = [screenshot_path("bounce", folder, when).name for _ in range(3)]
    assert names == ["bounce-20261121-140509.png", "bounce-20261121-140509-2.png",
                     "bounce-20261121-140509-3.png"]


# -- the window follows the game ----------------------------------------------------------------
def test_title_size_and_background_apply_on_reload(tmp_path: Path) -> None:
    main_py = tmp_path / "main.py"
    main_py.write_text('TITLE = "one"\nSIZE = (200, 100)\nBACKGROUND = (10, 20, 30)\n')
    with Host(tmp_path, headless=True, watch=False) as host:
        assert host.display is not None
        host.step(1)
        assert host.display.title == "one - potato-sandbox"
        assert host.pixel(5, 5) == (10, 20, 30, 255)
        edit(main_py, '"one"', '"two"')
        assert host.reload().ok
        assert host.display.title == "two - potato-sandbox" and host.display.size == (200, 100)
        edit(main_py, "(200, 100)", "(300, 150)")
        assert host.reload().ok
        host.step(1)
        assert host.display.size == (300, 150) and host.pixel(299, 149) == (10, 20, 30, 255)
        edit(main_py, "(10, 20, 30)", "(200, 100, 0)")
        assert host.reload().ok
        host.step(1)
        assert host.pixel(299, 149) == (200, 100, 0, 255)
        assert host.display.title == "two - potato-sandbox"


def test_a_bad_setting_on_reload_is_noticed_and_the_window_keeps_going(tmp_path: Path) -> None:
    main_py = tmp_path / "main.py"
    main_py.write_text("BACKGROUND = (10, 20, 30)\n")
    with Host(tmp_path, headless=True, watch=False) as host:
        edit(main_py, "(10, 20, 30)", "(10, 20)")
        assert host.reload().ok
        host.step(1)
        assert host.pixel(5, 5) == (0, 0, 0, 255)
        assert any(isinstance(e, Notice) and "BACKGROUND must be" in str(e) for e in host.events)


# -- potato-sandbox new -------------------------------------------------------------------------
def test_new_creates_a_game_that_runs_headless(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    game = tmp_path / "mygame"
    assert main(["new", str(game)]) == 0
    assert "created" in capsys.readouterr().out
    assert (game / "main.py").is_file()
    assert main([str(game), "--headless", "--frames", "60", "--no-watch"]) == 0
    assert main(["new", str(game)]) == 2
    assert "not overwriting" in capsys.readouterr().err


def test_new_without_a_path_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new"]) == 2
    assert "usage" in capsys.readouterr().err


# -- terminal keys ------------------------------------------------------------------------------
def _read_until(fd: int, needle: str, timeout: float = 30.0) -> str:
    seen = ""
    deadline = time.monotonic() + timeout
    while needle not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"{needle!r} not seen; output so far:\n{seen}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                raise AssertionError(f"output ended before {needle!r}:\n{seen}")
            seen += chunk.decode("utf-8", "replace")
    return seen


def test_terminal_keys_reload_and_quit(bounce_copy: Path) -> None:
    """The real CLI on a pseudo-terminal: ``r`` reloads an edit, ``R`` restarts, ``q`` quits."""
    import termios

    controller, terminal = os.openpty()
    before = termios.tcgetattr(terminal)
    out_r, out_w = os.pipe()
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandbox", str(bounce_copy), "--headless", "--no-watch"],
        cwd=REPO, env=env, stdin=terminal, stdout=out_w, stderr=subprocess.STDOUT)
    os.close(out_w)
    try:
        banner = _read_until(out_r, "in this terminal")  # the banner: the loop is running
        assert "r / R / q" in banner
        edit(bounce_copy / "main.py", "(255, 128, 128)", "(255, 255, 128)")
        os.write(controller, b"r")
        assert "reloaded main.py" in _read_until(out_r, "reloaded main.py")
        os.write(controller, b"R")
        assert "modules imported fresh" in _read_until(out_r, "restarted:")
        os.write(controller, b"q")
        assert proc.wait(timeout=30) == 0
        # the terminal got its settings back (cbreak undone)
        assert termios.tcgetattr(terminal)[3] == before[3]
    finally:
        proc.kill()
        proc.wait()
        for fd in (controller, terminal, out_r):
            os.close(fd)


def test_f12_before_any_frame_is_a_notice_not_a_crash(
        bounce_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.press("F12")
        assert host.step(2) == 2
        notices = [str(e) for e in host.events if isinstance(e, Notice)]
        assert any(n.startswith("screenshot failed: ") for n in notices)
        assert list((tmp_path / "screenshots").iterdir()) == []  # no empty file left behind


def test_terminal_keys_queue_keys_and_restore_the_terminal() -> None:
    import termios

    from sandbox.devtools import TerminalKeys

    assert TerminalKeys(io.StringIO()).start() is False  # not a terminal: nothing happens
    controller, terminal = os.openpty()
    stream = os.fdopen(terminal, "rb", buffering=0)
    before = termios.tcgetattr(terminal)
    keys = TerminalKeys(stream)
    try:
        assert keys.start()
        assert not termios.tcgetattr(terminal)[3] & termios.ICANON  # cbreak: no line buffering
        os.write(controller, b"rRq")
        deadline = time.monotonic() + 5
        got: list[str] = []
        while len(got) < 3 and time.monotonic() < deadline:
            got += keys.drain()
            time.sleep(0.01)
        assert got == ["r", "R", "q"]
    finally:
        keys.stop()
        assert termios.tcgetattr(terminal)[3] == before[3]
        stream.close()
        os.close(controller)
