"""The real window on a real X server (Xvfb): its class is potato-sandbox (issue 15.8).

Needs ``Xvfb`` and ``xwininfo`` (Debian: ``apt-get install xvfb x11-utils``); without them there
is no X server to ask, and the test says so as a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.sdl.display import WINDOW_CLASS

REPO = Path(__file__).resolve().parent.parent
TOOLS = ("Xvfb", "xwininfo")
pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in TOOLS),
                                reason="needs Xvfb and xwininfo (apt-get install xvfb x11-utils)")


@pytest.fixture
def x_display() -> Iterator[str]:
    """A private Xvfb; its display name (":N")."""
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "800x600x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as answer:
            number = answer.readline().strip()
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def window_tree(display: str) -> str:
    """``xwininfo -root -tree``: every window's title and class."""
    return subprocess.run(["xwininfo", "-root", "-tree"], env={**os.environ, "DISPLAY": display},
                          capture_output=True, text=True, timeout=30).stdout


def test_the_window_class_is_potato_sandbox(bounce_copy: Path, x_display: str) -> None:
    env = {key: value for key, value in os.environ.items()
           if key not in ("SDL_VIDEODRIVER", "SDL_VIDEO_X11_WMCLASS", "SDL_VIDEO_WAYLAND_WMCLASS")}
    env.update(DISPLAY=x_display, PYTHONPATH=str(REPO), SDL_AUDIODRIVER="dummy")
    game = subprocess.Popen([sys.executable, "-m", "sandbox", str(bounce_copy), "--no-watch"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        tree = ""
        deadline = time.monotonic() + 60  # a loaded machine starts slowly
        while '"bounce"' not in tree and time.monotonic() < deadline and game.poll() is None:
            time.sleep(0.2)
            tree = window_tree(x_display)
    finally:
        game.terminate()
        _, err = game.communicate(timeout=30)
    line = next((row for row in tree.splitlines() if '"bounce"' in row), None)
    assert line is not None, f"no window titled bounce appeared; stderr: {err}"
    assert f'("{WINDOW_CLASS}" "{WINDOW_CLASS}")' in line  # was ("python3.11" "python3.11")
