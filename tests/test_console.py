"""The console: output written to a StringIO, one line per event, game-only tracebacks."""

from __future__ import annotations

import importlib.util
import io
import re
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.console import Console, style_of
from sandbox.events import ErrorInfo, GameError, Notice, Restarted, ScreenshotSaved
from sandbox.hot.report import ReloadReport

KEYS = [("F9", "reload now"), ("F5", "hot restart"), ("Esc", "quit")]


def render(color: bool = False) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, color=color), buffer


def game_error(tmp_path: Path) -> ErrorInfo:
    """A real exception raised in a real game file, called through a non-game frame."""
    (tmp_path / "main.py").write_text("def update(dt):\n    speed = 0\n    return dt / speed\n")
    spec = importlib.util.spec_from_file_location("console_game_main", tmp_path / "main.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        module.update(1 / 60)  # this test file plays the part of the sandbox's internals
    except ZeroDivisionError as exc:
        return ErrorInfo.from_exception(exc, tmp_path)
    raise AssertionError("update() did not raise")


def test_banner_shows_game_folder_and_keys() -> None:
    console, out = render()
    console.banner("bounce", "/home/me/games/bounce", KEYS)
    text = out.getvalue()
    for expected in ("potato-sandbox", "bounce", "/home/me/games/bounce", "F9", "reload now",
                     "hot restart", "Esc"):
        assert expected in text


def test_one_timestamped_line_per_event() -> None:
    console, out = render()
    events: list[object] = [
        ReloadReport(ok=True, changed=["main"], patched=["main.update"], seconds=0.0013),
        Notice("paused"),
        Restarted(modules=2, seconds=0.004),
        ScreenshotSaved("shot.png"),
    ]
    for ev in events:
        console.event(ev)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(events)
    for line, ev in zip(lines, events, strict=True):
        assert re.match(r"^\d\d:\d\d:\d\d ", line)
        assert line[9:] == str(ev)
    assert "reloaded main.py: 1 function patched (1.3 ms)" in lines[0]


def test_failures_are_red_reloads_green_notices_dim() -> None:
    info = ErrorInfo("ZeroDivisionError", "division by zero", "main.py", 3)
    failed = ReloadReport(ok=False, error_info=info)
    assert style_of(failed) == "bold red"
    assert style_of(GameError("update", info)) == "bold red"
    assert style_of(ReloadReport(ok=True, changed=["main"])) == "green"
    assert style_of(ReloadReport(ok=True)) == "dim"  # nothing changed
    assert style_of(Notice("resumed")) == "dim"
    console, out = render(color=True)
    console.event(GameError("update", info))
    console.event(ReloadReport(ok=True, changed=["main"]))
    first, second = out.getvalue().splitlines()
    assert "\x1b[1;31m" in first and "update() failed" in first
    assert "\x1b[32m" in second


def test_plain_output_has_no_escape_codes() -> None:
    console, out = render(color=False)
    console.event(Notice("paused"))
    console.info("hello")
    assert "\x1b" not in out.getvalue()
    assert out.getvalue().splitlines()[1] == "hello"


def test_error_shows_only_the_games_frames(tmp_path: Path) -> None:
    console, out = render()
    console.error(game_error(tmp_path))
    text = out.getvalue()
    assert "main.py:3 in update" in text
    assert "return dt / speed" in text
    # Python's own words for a float divided by zero: "float division by zero" up to 3.13,
    # "division by zero" from 3.14 on.
    with pytest.raises(ZeroDivisionError) as python_says:
        _ = 1 / 60 / 0
    assert f"ZeroDivisionError: {python_says.value} at main.py:3" in text
    assert "fix and save to retry (F9)" in text
    assert "test_console.py" not in text  # the caller's frames are trimmed away
    assert "sandbox/" not in text


def test_syntax_error_shows_the_line_and_a_caret(tmp_path: Path) -> None:
    path = tmp_path / "main.py"
    path.write_text("x = 1\ny = (2 +\n")
    with pytest.raises(SyntaxError) as caught:
        compile(path.read_text(), str(path), "exec")
    console, out = render()
    console.error(ErrorInfo.from_exception(caught.value, tmp_path))
    lines = out.getvalue().splitlines()
    assert lines[0] == "  main.py:2"
    assert lines[1] == "    y = (2 +"
    assert lines[2].strip() == "^"
    assert lines[3].startswith("SyntaxError: ") and lines[3].endswith("at main.py:2")


def test_lines_are_cheap() -> None:
    """Not a benchmark: a reload line must not cost a frame (16 ms); it costs ~0.1 ms."""
    console, _ = render(color=True)
    started = time.perf_counter()
    for _ in range(100):
        console.event(Notice("resumed"))
    assert (time.perf_counter() - started) / 100 < 0.005


def test_an_error_outside_the_game_shows_no_internal_source(tmp_path: Path) -> None:
    try:
        int("not a number")  # raised here, a file outside the game folder
    except ValueError as exc:
        info = ErrorInfo.from_exception(exc, tmp_path)
    assert info.frames == ()
    console, out = render()
    console.error(info)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("ValueError: invalid literal")
    assert 'int("not a number")' not in out.getvalue()


def test_banner_without_watching_says_f9() -> None:
    buffer = io.StringIO()
    Console(file=buffer, color=False, watching=False).banner("bounce", "/g/bounce", KEYS)
    text = buffer.getvalue()
    assert "watching" not in text and "not watched: press F9 to reload" in text


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=300))
def test_any_message_is_printed_verbatim_on_one_line(text: str) -> None:
    """No markup, emoji codes or highlighting: "[red]x[/]" or ":smile:" print as written."""
    console, out = render(color=False)
    console.event(Notice(text))
    printed = out.getvalue()
    assert printed.endswith("\n") and printed.count("\n") == 1
    assert printed[9:-1].rstrip() == text.rstrip()
