"""Cold start: ``potato-sandbox games/bounce --headless --frames 1`` against plain scripts.

Every command is a whole process, run in turn (A, B, C, A, B, C …) after one warm-up each, so a
drift in the machine's speed hits all of them alike. Wall time comes from ``perf_counter``
around ``subprocess.run``; CPU time (user + system, the process and everything it waited
for, e.g. pysdl2's ``ldconfig``/``gcc`` searches) from ``getrusage(RUSAGE_CHILDREN)``.

The processes run *with* bytecode caches, as an installed program does: the warm-up writes
them (``PYTHONDONTWRITEBYTECODE`` is removed from their environment, so a shell that sets it
does not turn the benchmark into a measurement of the compiler).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["COMMANDS", "startup"]

REPO = Path(__file__).resolve().parent.parent

# The baseline of issue 14: what a pysdl2 user writes to open a window and show one frame.
PLAIN_PYSDL2 = """
import sdl2, sdl2.ext
sdl2.SDL_SetHint(b"SDL_VIDEODRIVER", b"dummy")
sdl2.SDL_Init(sdl2.SDL_INIT_VIDEO)
window = sdl2.SDL_CreateWindow(b"plain", 0, 0, 640, 480, sdl2.SDL_WINDOW_HIDDEN)
renderer = sdl2.ext.Renderer(window.contents, flags=sdl2.SDL_RENDERER_SOFTWARE)
renderer.clear((0, 0, 0))
renderer.present()
"""

PLAIN_PYGAME = """
import os
os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
import pygame
pygame.display.init()
screen = pygame.display.set_mode((640, 480))
screen.fill((0, 0, 0))
pygame.display.flip()
"""

COMMANDS: dict[str, list[str]] = {
    "potato-sandbox games/bounce --headless --frames 1":
        [sys.executable, "-m", "sandbox", "games/bounce", "--headless", "--frames", "1"],
    "plain pysdl2 script (the baseline)": [sys.executable, "-c", PLAIN_PYSDL2],
    "plain pygame-ce script": [sys.executable, "-c", PLAIN_PYGAME],
    "python -c pass (the interpreter alone)": [sys.executable, "-c", "pass"],
}


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["SDL_VIDEODRIVER"] = env["SDL_AUDIODRIVER"] = "dummy"
    return env


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall, cpu, exit code) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def _available(cmd: list[str], env: dict[str, str]) -> str | None:
    """None when the command runs; otherwise why not (e.g. pygame-ce not installed)."""
    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if done.returncode == 0:
        return None
    last = (done.stderr.strip().splitlines() or ["failed"])[-1]
    return "not installed (pip install -e '.[bench]')" if "No module named" in last else last


def startup(runs: int) -> dict[str, Any]:
    """Wall and CPU seconds of each command over ``runs`` interleaved runs (after a warm-up)."""
    env = _environment()
    errors = {name: _available(cmd, env) for name, cmd in COMMANDS.items()}  # also the warm-up
    live = [name for name, err in errors.items() if err is None]
    wall: dict[str, list[float]] = {name: [] for name in live}
    cpu: dict[str, list[float]] = {name: [] for name in live}
    for _ in range(runs):
        for name in live:
            w, c, code = _run(COMMANDS[name], env)
            if code != 0:
                errors[name] = f"exit code {code}"
            wall[name].append(w)
            cpu[name].append(c)
    return {"wall": wall, "cpu": cpu, "errors": {k: v for k, v in errors.items() if v}}
