"""The CLI: exit codes and messages in-process, and the real program in a subprocess."""

from __future__ import annotations

import os
import re
import signal
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from sandbox.cli import build_parser, main

REPO = Path(__file__).resolve().parent.parent


def test_missing_folder_is_bad_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope"), "--headless"]) == 2
    err = capsys.readouterr().err
    assert "No game folder at" in err and "nope" in err
    assert "GAME is the folder that holds your game's main.py" in err
    assert "Traceback" not in err


def test_a_misspelt_example_name_gets_a_did_you_mean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # no folder called bouncee here
    assert main(["bouncee", "--headless"]) == 2
    err = capsys.readouterr().err
    assert "No game folder at bouncee" in err
    assert "Did you mean the example game 'bounce'? potato-sandbox bounce" in err
    assert main(["Breakout", "--headless"]) == 2  # a case slip is close too
    assert "Did you mean the example game 'breakout'?" in capsys.readouterr().err
    assert main(["games/bouncee", "--headless"]) == 2  # a path is not an example's name
    assert main(["zzz", "--headless"]) == 2
    assert "Did you mean" not in capsys.readouterr().err


def test_help_shows_new_from_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "potato-sandbox new PATH --from EXAMPLE" in out


def test_folder_without_main_is_bad_usage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path), "--headless"]) == 2
    err = capsys.readouterr().err
    assert "has no main.py" in err
    assert "Traceback" not in err


def test_broken_main_fails_to_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "main.py").write_text("TITLE = 'broken'\nspeed = 1 / 0\n")
    assert main([str(tmp_path), "--headless", "--frames", "1"]) == 1
    err = capsys.readouterr().err
    assert "main.py:2 in <module>" in err
    assert "speed = 1 / 0" in err
    assert "ZeroDivisionError: division by zero at main.py:2" in err
    assert f"fix it, then run potato-sandbox {tmp_path} --headless --frames 1 again" in err
    assert "sandbox/" not in err  # no frames of the sandbox's internals


def test_syntax_error_in_main_fails_to_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "main.py").write_text("def update(dt)\n    pass\n")
    assert main([str(tmp_path), "--headless"]) == 1
    err = capsys.readouterr().err
    assert "SyntaxError" in err and "main.py:1" in err


def test_no_display_suggests_headless(
    bounce_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The environment, not SDL, is what is changed here: a machine with no display.
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(name, raising=False)
    assert main([str(bounce_copy)]) == 2
    err = capsys.readouterr().err
    assert "no display" in err and "--headless" in err


def test_bad_numbers_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["games/bounce", "--fps", "0"]) == 2
    assert main(["games/bounce", "--hang-timeout", "-1"]) == 2
    assert main(["games/bounce", "--frames", "x"]) == 2
    assert "usage: potato-sandbox" in capsys.readouterr().err


def test_new_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "main.py").write_text("")
    assert main(["new", str(tmp_path)]) == 2
    assert "not overwriting" in capsys.readouterr().err


def test_parser_defaults() -> None:
    args = build_parser().parse_args(["games/bounce"])
    assert (args.headless, args.frames, args.watch, args.fps, args.hang_timeout) == (
        False, None, True, 60, 2.0)
    assert build_parser().parse_args(["g", "--no-watch"]).watch is False


def test_headless_run_in_process(bounce_copy: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    shot = tmp_path / "shot.png"
    assert main([str(bounce_copy), "--headless", "--frames", "5", "--screenshot", str(shot)]) == 0
    out = capsys.readouterr().out
    assert "potato-sandbox" in out and "bounce" in out
    assert f"screenshot saved to {shot}" in out
    assert shot.stat().st_size > 0


def test_a_game_paused_on_an_error_fails_a_frames_run(
    bounce_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main_py = bounce_copy / "main.py"
    main_py.write_text(main_py.read_text().replace("    pos_x += dx\n",
                                                   "    pos_x += dx / 0\n"))
    assert main([str(bounce_copy), "--headless", "--frames", "3", "--no-watch"]) == 1
    out = capsys.readouterr().out
    assert "update() failed: ZeroDivisionError" in out and "main.py:" in out


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA, non-interlaced PNG into rows of pixels (pure Python)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and color in (2, 6) and interlace == 0
    bpp = 4 if color == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def pixel(rows: list[bytes], x: int, y: int, bpp: int) -> tuple[int, ...]:
    return tuple(rows[y][x * bpp:x * bpp + 3])


def test_the_real_program_headless(tmp_path: Path) -> None:
    """``python -m sandbox games/bounce --headless --frames 30 --screenshot out.png``."""
    shot = tmp_path / "out.png"
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "sandbox", "games/bounce", "--headless", "--frames", "30",
         "--screenshot", str(shot)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert "potato-sandbox" in lines[0]  # the banner's title
    assert any("bounce" in line and "game" in line for line in lines)
    assert any("watching" in line and "games/bounce" in line for line in lines)
    # Headless there is no window to press F9 in: no key banner (issue 15.8).
    assert not any("reload now" in line or "Escape" in line for line in lines)
    assert lines[-1].endswith(f"screenshot saved to {shot}")
    width, height, rows = read_png(shot)
    assert (width, height) == (640, 480)
    bpp = len(rows[0]) // width
    assert pixel(rows, 600, 400, bpp) == (0, 0, 255)  # the background
    assert pixel(rows, 31, 30, bpp) == (255, 128, 128)  # the rectangle, 30 frames in


def test_ctrl_c_exits_quietly(tmp_path: Path) -> None:
    """A real SIGINT to a running session: exit code 130, no traceback."""
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "games/bounce", "--headless", "--no-watch"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # wait for the banner: the loop is running
            if "not watched" in line:  # the banner's last row
                break
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


def test_no_watch_banner(bounce_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(bounce_copy), "--headless", "--frames", "1", "--no-watch"]) == 0
    assert "not watched: press F9" in capsys.readouterr().out


def test_a_save_prints_one_reload_line(bounce_copy: Path) -> None:
    """The real program, headless and watching: a save shows up as a green reload line."""
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandbox", str(bounce_copy), "--headless", "--fps", "60"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # the banner's last line: the watcher is running
            if line.startswith("╰"):
                break
        main_py = bounce_copy / "main.py"
        main_py.write_text(main_py.read_text().replace("(255, 128, 128)", "(255, 255, 128)"))
        line = proc.stdout.readline()
        assert re.match(r"^\d\d:\d\d:\d\d reloaded main\.py: .*\(\d+\.\d ms\)$", line), line
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130, err


def test_a_value_that_is_not_a_number_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    """``--frames abc`` said "invalid _count value": our function's name, not the problem."""
    assert main(["games/bounce", "--frames", "abc"]) == 2
    err = capsys.readouterr().err
    assert "--frames: 'abc' is not a whole number" in err and "_count" not in err
    assert main(["games/bounce", "--fps", "sixty"]) == 2
    assert "--fps: 'sixty' is not a whole number" in capsys.readouterr().err
    assert main(["games/bounce", "--hang-timeout", "2s"]) == 2
    assert "--hang-timeout: '2s' is not a number of seconds" in capsys.readouterr().err


def test_new_help_is_refused_as_a_mistyped_help(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "help"]) == 2
    err = capsys.readouterr().err
    assert "'help' looks like a mistyped --help" in err and "potato-sandbox new ./help" in err
    assert not (tmp_path / "help").exists()
    assert main(["new", "./help"]) == 0  # what the message says to do for such a folder
    assert (tmp_path / "help" / "main.py").is_file()


def test_a_headless_banner_has_no_window_keys(
        bounce_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(bounce_copy), "--headless", "--frames", "2", "--no-watch"]) == 0
    out = capsys.readouterr().out
    assert "bounce" in out and "keys" not in out
    assert "reload now" not in out and "Escape" not in out and "hot restart" not in out
