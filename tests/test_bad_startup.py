"""The bad-input catalogue, part 3: start-up failures through the real CLI (issue 4).

Each case gets one clear message with what to do next, exit code 2 (bad usage) or 1 (the
game failed), and never a traceback of the sandbox's internals. In-process through
``sandbox.cli.main``, except where the process environment is the point (no display).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.cli import main

REPO = Path(__file__).resolve().parent.parent


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    captured = capsys.readouterr()
    err = captured.err
    assert "Traceback (most recent call last)" not in err + captured.out
    assert "sandbox/" not in err  # no frame or path of the sandbox's own code
    return code, err


def test_a_missing_folder_is_bad_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run([str(tmp_path / "nope"), "--headless"], capsys)
    assert code == 2
    assert "No game folder at" in err and "GAME is the folder that holds" in err


def test_a_folder_without_main_py_is_bad_usage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "game.py").write_text("x = 1\n")
    code, err = run([str(tmp_path), "--headless"], capsys)
    assert code == 2 and "has no main.py" in err


@pytest.mark.parametrize(("source", "message", "line"), [
    ("TITLE = 'x'\nspeed = 1 / 0\n", "ZeroDivisionError: division by zero at main.py:2", 2),
    ("import no_such_module\n", "ModuleNotFoundError: No module named 'no_such_module' "
     "at main.py:1", 1),
    ("def update(dt)\n    pass\n", "SyntaxError: expected ':' at main.py:1", 1),
    ("import sys\n\nsys.exit(4)\n", "GameExit: game code called sys.exit() at main.py:3", 3),
    ("raise KeyboardInterrupt\n", "GameExit: game code raised KeyboardInterrupt at main.py:1", 1),
    ("x = 1\nwhile True:\n    x += 1\n", "HookTimeout: importing main.py ran longer than 0.3 s "
     "and was interrupted (a slow start? allow more with --hang-timeout)", (2, 3)),
])
def test_a_main_py_that_fails_on_first_import_is_a_game_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str, message: str,
    line: int | tuple[int, int],
) -> None:
    (tmp_path / "main.py").write_text(source)
    argv = [str(tmp_path), "--headless", "--frames", "1", "--hang-timeout", "0.3"]
    code, err = run(argv, capsys)
    assert code == 1
    lines = line if isinstance(line, tuple) else (line,)
    if isinstance(line, tuple):  # a hang stops wherever the loop was
        message = message.split(" at ")[0]
    assert message in err, err
    assert any(f"main.py:{n}" in err for n in lines)
    assert f"fix it, then run potato-sandbox {tmp_path} --headless" in err


def _no_display_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    return {**env, "SDL_AUDIODRIVER": "dummy"}


def test_no_display_without_headless_says_to_use_headless(bounce_copy: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "sandbox", str(bounce_copy), "--frames", "1"],
                          cwd=REPO, env=_no_display_env(), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    assert "there is no display to open a window on" in done.stderr
    assert "--headless" in done.stderr and "Traceback" not in done.stderr


def test_an_sdl_error_at_start_is_one_clear_line(bounce_copy: Path) -> None:
    env = {**_no_display_env(), "SDL_VIDEODRIVER": "no-such-driver"}
    done = subprocess.run([sys.executable, "-m", "sandbox", str(bounce_copy), "--frames", "1"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "potato-sandbox: No display to open a window on (SDL: no-such-driver not available). "
        "Run with --headless to use SDL's dummy video driver.")
