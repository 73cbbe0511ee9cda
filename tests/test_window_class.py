"""The real window on a real X server (Xvfb): its class is potato-sandbox, and
``xdotool search --name`` finds it by the game's title and by "potato-sandbox" (issue 15.8).

Needs ``Xvfb`` and ``xwininfo`` (Debian: ``apt-get install xvfb x11-utils``), and ``xdotool``
for the name search; without them there is no X server to ask, and the tests say so as a skip.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from gamefiles import edit

from sandbox.sdl.display import WINDOW_CLASS

REPO = Path(__file__).resolve().parent.parent
TOOLS = ("Xvfb", "xwininfo")
pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in TOOLS),
                                reason="needs Xvfb and xwininfo (apt-get install xvfb x11-utils)")


@pytest.fixture
def x_display() -> Iterator[str]:
    """A private Xvfb; its display name (":N"), one test at a time across processes.

    CI runs two Pythons' suites side by side. Twice, a game started on a freshly announced
    Xvfb said "No display to open a window on" while the other suite had its own Xvfb up;
    alone it passes every time. A lock file serialises these few tests across processes.
    """
    with open(Path("/tmp") / "potato-sandbox-xvfb-tests.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield from _xvfb()


def _xvfb() -> Iterator[str]:
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


def start(game: Path, display: str, *options: str) -> subprocess.Popen[str]:
    """``python -m sandbox GAME`` in a real window on ``display`` (a UTF-8 locale, as usual)."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("SDL_VIDEODRIVER", "SDL_VIDEO_X11_WMCLASS", "SDL_VIDEO_WAYLAND_WMCLASS")}
    env.update(DISPLAY=display, PYTHONPATH=str(REPO), SDL_AUDIODRIVER="dummy", LC_ALL="C.UTF-8")
    return subprocess.Popen([sys.executable, "-m", "sandbox", str(game), *options],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_the_window_class_is_potato_sandbox(bounce_copy: Path, x_display: str) -> None:
    game = start_on_answering_display(bounce_copy, x_display, "--no-watch")
    title = '"bounce - potato-sandbox"'
    try:
        tree = ""
        deadline = time.monotonic() + 60  # a loaded machine starts slowly
        while title not in tree and time.monotonic() < deadline and game.poll() is None:
            time.sleep(0.2)
            tree = window_tree(x_display)
    finally:
        game.terminate()
        _, err = game.communicate(timeout=30)
    line = next((row for row in tree.splitlines() if title in row), None)
    assert line is not None, f"no window titled {title} appeared; stderr: {err}"
    assert f'("{WINDOW_CLASS}" "{WINDOW_CLASS}")' in line  # was ("python3.11" "python3.11")


def xdotool_search(display: str, *query: str) -> list[str]:
    """The ids of the windows ``xdotool search`` finds (run in a UTF-8 locale)."""
    env = {**os.environ, "DISPLAY": display, "LC_ALL": "C.UTF-8"}
    found = subprocess.run(["xdotool", "search", *query], env=env, capture_output=True,
                           text=True, timeout=30).stdout
    return found.split()


def start_on_answering_display(game: Path, display: str,
                               *options: str) -> subprocess.Popen[str]:
    """``start``, once the Xvfb answers; again once if SDL still could not open the display.

    Seen once in CI, with two Pythons' suites running side by side on 2 cores: the game
    started on a fresh Xvfb said "No display to open a window on" and exited, although the
    server had announced its display. The server is asked first; a second start is the retry.
    """
    deadline = time.monotonic() + 30
    while "root window" not in window_tree(display) and time.monotonic() < deadline:
        time.sleep(0.2)
    process = start(game, display, *options)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        return process  # still running: it has its window
    _, err = process.communicate(timeout=30)
    assert "No display" in err, f"the game exited at start: {err}"
    return start(game, display, *options)


def wait_for_name(display: str, name: str, game: subprocess.Popen[str]) -> list[str]:
    """The windows ``xdotool search --name NAME`` finds, once there are some (or 60 s)."""
    deadline = time.monotonic() + 60  # a loaded machine starts slowly
    found = xdotool_search(display, "--name", name)
    while not found and time.monotonic() < deadline and game.poll() is None:
        time.sleep(0.2)
        found = xdotool_search(display, "--name", name)
    return found


@pytest.mark.skipif(shutil.which("xdotool") is None,
                    reason="needs xdotool (apt-get install xdotool)")
def test_xdotool_finds_the_window_by_its_title_and_by_potato_sandbox(
        bounce_copy: Path, x_display: str) -> None:
    # SDL wrote WM_NAME in the locale's encoding, an atom "UTF-8" no client converts:
    # `xdotool search --name` found nothing, even for a plain ASCII title.
    edit(bounce_copy / "main.py", 'TITLE = "bounce"', 'TITLE = "bounce · café"')
    game = start_on_answering_display(bounce_copy, x_display)  # watching: TITLE saves retitle
    try:
        by_name = wait_for_name(x_display, "potato-sandbox", game)
        by_class = xdotool_search(x_display, "--class", WINDOW_CLASS)
        by_title = xdotool_search(x_display, "--name", "^bounce · café - potato-sandbox$")
        edit(bounce_copy / "main.py", 'TITLE = "bounce · café"', 'TITLE = "hop"')
        renamed = wait_for_name(x_display, "^hop - potato-sandbox$", game)
    finally:
        game.terminate()
        _, err = game.communicate(timeout=30)
    assert len(by_name) == 1, f"xdotool search --name potato-sandbox: {by_name}; stderr: {err}"
    assert by_class == by_name and by_title == by_name
    assert renamed == by_name, f"the new TITLE was not found by name; stderr: {err}"
