"""The host loop, headless: keys, pause on hook errors, failed reloads, settings, the watcher."""

from __future__ import annotations

from pathlib import Path

import pytest
from gamefiles import BLUE, PINK, YELLOW, edit

from sandbox import Host
from sandbox.events import ErrorInfo, GameError, Notice, Restarted, ScreenshotSaved
from sandbox.host import GameFailed
from sandbox.hot import ReloadReport
from sandbox.overlay import error_lines, wrap


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def pos(host: Host) -> tuple[int, int]:
    return host.game.pos_x, host.game.pos_y


def errors(host: Host) -> list[GameError]:
    return [e for e in host.events if isinstance(e, GameError)]


def test_update_exception_pauses_then_a_fix_resumes(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(20)
        edit(main, "    pos_y += dy\n", "    pos_y += dy\n    if pos_x > 25:\n"
                                        "        raise ValueError('too far')\n")
        assert host.reload().ok
        host.step(10)  # pos_x reaches 26 on the 5th of these frames, then the game pauses
        assert pos(host) == (26, 25)
        assert host.paused and host.last_error is not None
        assert host.last_error.kind == "ValueError"
        assert host.last_error.where == f"main.py:{line_of(main, 'too far')}"
        frozen = pos(host)
        host.step(30)
        assert pos(host) == frozen            # state untouched while paused
        assert len(errors(host)) == 1         # reported once, not every frame
        assert "update() failed: ValueError: too far at main.py:" in str(errors(host)[0])
        # the last good frame stays visible above the panel (which sits at the bottom)
        assert host.pixel(frozen[0] - 1, frozen[1] - 1) == PINK
        edit(main, "raise ValueError('too far')", "pass")
        assert host.reload().ok
        assert not host.paused and host.last_error is None
        host.step(1)
        assert pos(host) == (frozen[0] + 1, frozen[1] + 1)


def test_draw_exception_keeps_the_last_good_frame(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(50)
        good = pos(host)
        # draws the background then fails: a half-drawn frame must never be presented
        edit(main, "    renderer.fill(", "    1 / 0\n    renderer.fill(")
        assert host.reload().ok
        host.step(3)
        assert host.paused and host.last_error is not None
        assert host.last_error.kind == "ZeroDivisionError"
        assert errors(host)[0].hook == "draw"
        assert host.pixel(*good) == PINK
        assert host.pixel(5, 5) == BLUE
        assert host.pixel(5, 475) != BLUE  # the error panel


def test_failed_reload_keeps_running_the_old_code(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(10)
        edit(main, "50), (255, 128, 128))", "50), (255, 255, 128)")  # unbalanced parenthesis
        report = host.reload()
        assert not report.ok and "reload failed: SyntaxError" in str(report)
        assert host.last_error is not None and host.last_error.path == "main.py"
        assert not host.paused
        host.step(5)
        assert pos(host)[0] == 16 and host.pixel(*pos(host)) == PINK  # old code runs
        assert host.pixel(5, 475) != BLUE  # panel drawn over the running game
        edit(main, "50), (255, 255, 128)", "50), (255, 255, 128))")
        assert host.reload().ok and host.last_error is None
        host.step(1)
        assert host.pixel(*pos(host)) == YELLOW and host.pixel(5, 475) == BLUE


def test_title_and_size_changes_reach_the_window(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(1)
        edit(main, 'TITLE = "bounce"', 'TITLE = "boing"')
        edit(main, "SIZE = (640, 480)", "SIZE = (320, 240)")
        assert host.reload().ok
        assert host.display is not None
        assert host.display.title == "boing - potato-sandbox" and host.display.size == (320, 240)
        host.step(1)
        assert host.pixel(319, 239) == BLUE


def test_keys_pause_step_reload_and_quit(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(5)
        host.press("F10")
        host.step(3)
        assert host.paused and pos(host) == (6, 5)
        host.press("F11")
        host.step(1)
        assert pos(host) == (7, 6)
        host.step(2)
        assert pos(host) == (7, 6)
        host.press("F10")
        host.step(1)
        assert not host.paused and pos(host) == (8, 7)
        assert [str(e) for e in host.events if isinstance(e, Notice)] == [
            "paused (F10 resumes, F11 steps)", "resumed"]
        edit(main, "(255, 128, 128)", "(255, 255, 128)")
        host.press("F9")
        host.step(1)
        assert isinstance(host.events[-1], ReloadReport) and host.events[-1].ok
        assert host.pixel(*pos(host)) == YELLOW
        host.press("Escape")
        assert host.step(5) == 0 and not host.running


def test_hot_restart_starts_the_state_over(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(30)
        host.press("F5")
        host.step(1)
        assert pos(host) == (2, 1)
        assert any(isinstance(e, Restarted) for e in host.events)


def test_other_events_reach_on_event_and_typos_are_noticed(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    with main.open("a") as f:
        f.write("\nkeys = []\n\n\ndef on_event(event):\n    keys.append(event.type)\n\n\n"
                "def drow(renderer):\n    pass\n")
    with Host(bounce_copy, headless=True, watch=False) as host:
        assert [str(e) for e in host.events] == [
            f"main.py:{line_of(main, 'def drow')}: 'drow' is not a hook; did you mean draw?"]
        host.press("A")
        host.step(1)
        assert len(host.game.keys) == 2  # key-down and key-up


def test_game_without_draw_clears_to_background(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("BACKGROUND = (10, 200, 30)\n")
    with Host(tmp_path, headless=True, watch=False) as host:
        host.step(1)
        assert host.pixel(0, 0) == (10, 200, 30, 255)


def test_load_failure_pauses_and_import_failure_is_game_failed(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("def load():\n    raise KeyError('level1')\n")
    with Host(tmp_path, headless=True, watch=False) as host:
        assert host.paused and host.last_error is not None
        assert str(errors(host)[0]).startswith("load() failed: KeyError: 'level1' at main.py:2")
        host.step(2)
    (tmp_path / "main.py").write_text("x = 1 +\n")
    with pytest.raises(GameFailed, match="SyntaxError") as err:
        Host(tmp_path, headless=True, watch=False)
    assert err.value.exit_code == 1


def test_screenshot(bounce_copy: Path, tmp_path: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(3)
        out = host.screenshot(tmp_path / "shot.png")
        assert out.read_bytes()[:4] == b"\x89PNG"
        assert isinstance(host.events[-1], ScreenshotSaved)


def test_save_with_the_watcher_reaches_the_screen(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    with Host(bounce_copy, headless=True) as host:
        host.step(10)
        edit(main, "(255, 128, 128)", "(255, 255, 128)")
        assert host.wait_for_change(5)
        host.step(1)
        assert host.pixel(*pos(host)) == YELLOW
        assert not host.wait_for_change(0)


def test_perform_code_reload_reloads_at_the_next_frame_boundary(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    edit(main, "    pos_x += dx\n", "    pos_x += dx\n    if pos_x == 5:\n"
                                    "        hot.perform_code_reload()\n")
    with Host(bounce_copy, headless=True, watch=False) as host:
        edit(main, "50), (255, 128, 128)", "50), (255, 255, 128)")
        host.step(3)
        assert host.pixel(*pos(host)) == PINK  # nobody asked for a reload yet
        host.step(2)  # update() asks during frame 4; frame 5 reloads before updating
        assert [e.ok for e in host.events if isinstance(e, ReloadReport)] == [True]
        assert host.pixel(*pos(host)) == YELLOW


def test_help_and_hud_keys_draw_at_the_top(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(1)
        assert host.pixel(600, 5) == BLUE
        host.press("F1")
        host.step(1)
        assert host.pixel(600, 5) != BLUE
        host.press("F1")
        host.press("F3")
        host.step(1)
        assert host.pixel(600, 5) != BLUE
        host.press("F3")
        host.step(1)
        assert host.pixel(600, 5) == BLUE


def test_error_panel_lines_name_the_place_and_the_fix() -> None:
    try:
        compile("x = (1,\n", "main.py", "exec")
    except SyntaxError as exc:
        info = ErrorInfo.from_exception(exc)
    texts = [text for text, _ in error_lines(info)]
    assert texts[0].startswith("SyntaxError: ")
    assert texts[1] == "at main.py:1"
    assert texts[2] == "    x = (1,"
    assert texts[-1] == "fix and save to retry (F9)"
    assert wrap("a" * 25, 10) == ["a" * 10, "a" * 10, "a" * 5]


def test_host_keys_do_not_reach_on_event(bounce_copy: Path) -> None:
    with (bounce_copy / "main.py").open("a") as f:
        f.write("\nseen = []\n\n\ndef on_event(event):\n    seen.append(event.type)\n")
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.press("F10")
        host.press("F10")
        host.step(1)
        assert host.game.seen == [] and not host.paused


def test_window_close_ends_run(bounce_copy: Path) -> None:
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(2)
        assert host.display is not None
        host.display.push_quit()
        assert host.run() == 2 and not host.running


def test_windowed_run_paces_frames(bounce_copy: Path) -> None:
    # SDL_VIDEODRIVER=dummy is set explicitly (conftest), so a windowed host may open.
    with Host(bounce_copy, watch=False, fps=200) as host:
        assert host.display is not None and not host.display.vsync
        assert host.run(max_frames=10) == 10
        assert host.pixel(*pos(host)) == PINK


def test_undoing_a_bad_edit_clears_the_panel(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    original = main.read_text()
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(2)
        main.write_text(original + "\ndef broken(:\n")
        assert not host.reload().ok and host.last_error is not None
        main.write_text(original)  # the editor's undo: back to exactly what is running
        report = host.reload()
        assert report.ok and report.changed == [] and host.last_error is None
        host.step(1)
        assert host.pixel(5, 475) == BLUE


def test_draw_failing_inside_a_texture_target_still_shows_the_panel(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(30)
        good = pos(host)
        edit(main, "    renderer.clear(BACKGROUND)\n",
             "    import sdl2\n    sdl2.SDL_RenderSetClipRect(renderer.sdlrenderer,"
             " sdl2.SDL_Rect(0, 0, 10, 10))\n    renderer.clear(BACKGROUND)\n    1 / 0\n")
        assert host.reload().ok
        host.step(2)
        assert host.paused and host.pixel(*good) == PINK
        assert host.pixel(5, 475) != BLUE  # the panel is not clipped away


def test_a_vanished_game_folder_is_told_once(bounce_copy: Path) -> None:
    import shutil

    with Host(bounce_copy, headless=True) as host:
        host.step(1)
        shutil.rmtree(bounce_copy)
        assert host.wait_for_change(5)

        def told() -> list[str]:
            return [str(e) for e in host.events if "saves are not seen" in str(e)]

        # The deletions wake the waiter first; the watcher stops (root gone) a moment later,
        # so frames run until the notice shows (seen on a loaded 3.14 run), then three more.
        for _ in range(100):
            host.step(1)
            if told():
                break
            host.wait_for_change(0.05)
        host.step(3)
        assert len(told()) == 1 and host.running


def test_sys_exit_in_a_hook_pauses_instead_of_ending_the_session(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(3)
        edit(main, "    pos_x += dx\n", "    pos_x += dx\n    raise SystemExit(3)\n")
        assert host.reload().ok
        host.step(3)
        assert host.paused and host.running and host.last_error is not None
        # Reported by the watchdog, which the host runs every hook under.
        assert str(host.last_error) == "GameExit: game code called sys.exit() at main.py:25"


def test_missing_game_folder_raises_game_not_found(tmp_path: Path) -> None:
    from sandbox.game import GameNotFound

    with pytest.raises(GameNotFound, match="No game folder"):
        Host(tmp_path / "nope", headless=True)


def test_console_gets_the_banner_reload_lines_and_tracebacks(bounce_copy: Path) -> None:
    import io

    from sandbox.console import Console

    out = io.StringIO()
    main = bounce_copy / "main.py"
    with Host(bounce_copy, headless=True, watch=False, console=Console(file=out)) as host:
        host.step(2)
        edit(main, "50), (255, 128, 128)", "50), (255, 255, 128)")
        host.reload()
        edit(main, "    pos_x += dx\n", "    pos_x += dx\n    {}['missing']\n")
        host.reload()
        host.step(2)
    text = out.getvalue()
    assert "bounce" in text and "F9" in text and str(bounce_copy.resolve()) in text
    assert "reloaded main.py" in text
    assert "update() failed: KeyError: 'missing' at main.py:" in text
    assert text.count("update() failed") == 1


def test_a_huge_error_message_fits_in_the_panel(bounce_copy: Path) -> None:
    main = bounce_copy / "main.py"
    with Host(bounce_copy, headless=True, watch=False) as host:
        host.step(2)
        edit(main, "    pos_x += dx\n", "    pos_x += dx\n    raise ValueError('x' * 5_000_000)\n")
        assert host.reload().ok
        host.step(1)
        assert host.paused
        host.step(5)
        assert host.pixel(5, 475) != BLUE and host.pixel(600, 5) == BLUE  # the top stays visible


class _BrokenConsole:
    """A console whose terminal went away: writing the banner fails (a closed pipe)."""

    def banner(self, game_name: str, folder: Path, keys: object) -> None:
        raise BrokenPipeError("stdout closed")

    def event(self, ev: object) -> None: ...
    def error(self, info: ErrorInfo) -> None: ...
    def info(self, text: str) -> None: ...


def test_a_failure_late_in_start_up_closes_what_was_opened(bounce_copy: Path) -> None:
    import sys
    import threading

    threads = {t.name for t in threading.enumerate()}
    with pytest.raises(BrokenPipeError):
        Host(bounce_copy, headless=True, watch=True, console=_BrokenConsole())
    # The game's modules and the engine's import hook are gone, and so is the watcher thread.
    assert "main" not in sys.modules and "physics" not in sys.modules
    assert str(bounce_copy.resolve()) not in sys.path
    assert {t.name for t in threading.enumerate()} <= threads
    with Host(bounce_copy, headless=True) as host:  # the next session starts clean
        host.step(2)
        assert host.last_error is None
