"""Games type-check: ``mypy --strict`` on a game that uses hot, assets and the input API.

mypy runs from the repository root (its configuration: SDL's modules have no stubs) on a game
in tmp_path, with a negative control in the same run showing it really reads the sandbox's
types. The package build
ships ``py.typed``, so the same holds for an installed (not editable) sandbox.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from gamefiles import game_folder

from sandbox import Host, keyboard, mouse
from sandbox.sdl import push_event

REPO = Path(__file__).resolve().parent.parent

TYPED = '''
"""A typed game: every hook annotated, input read through the sandbox's API."""

from __future__ import annotations

from sandbox import Gamepad, PadChange, Renderer, assets, gamepads, hot, keyboard, mouse

TITLE = "typed"
SIZE = (320, 240)
x = 0.0
clicks: list[tuple[tuple[int, int], str]] = []
moves: list[tuple[tuple[int, int], tuple[int, int], frozenset[str]]] = []
keys: list[str] = []
pad_events: list[tuple[int, PadChange, str, float]] = []


def load() -> None:
    """Nothing to fetch yet: the font is fetched where it is drawn."""


def update(dt: float) -> None:
    global x
    if keyboard.left or keyboard.is_down("a"):
        x -= 60 * dt
    if keyboard.right:
        x += 60 * dt
    pad = gamepads.get(0)
    if pad is not None and pad.is_down("dpright"):
        stick_x, _stick_y = pad.left_stick
        x += stick_x * 60 * dt


def draw(renderer: Renderer) -> None:
    renderer.clear((0, 0, 0))
    left: bool = mouse.left
    if left:
        renderer.fill_rect((*mouse.pos, 4, 4), (255, 255, 255))
    renderer.text(f"held: {sorted(keyboard.held)}", (4, 4), size=12)


def on_key_down(key: str) -> None:
    keys.append(key)


def on_key_up(key: str) -> None:
    keys.append("-" + key)


def on_mouse_down(pos: tuple[int, int], button: str) -> None:
    clicks.append((pos, button))


def on_mouse_up(button: str) -> None:
    pass


def on_mouse_move(pos: tuple[int, int], rel: tuple[int, int], buttons: frozenset[str]) -> None:
    moves.append((pos, rel, buttons))


def on_gamepad(pad: Gamepad, kind: PadChange, control: str, value: float) -> None:
    pad_events.append((pad.slot, kind, control, value))


@hot.after_reload
def _reloaded() -> None:
    if hot.has_module_changed("main"):
        print("reloaded; the font would be", assets.font(size=12))
'''


def mypy(cache: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` from the repository root, its cache in ``cache`` (the checkout may be
    read-only, as in a CI chroot)."""
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache),
                           *map(str, files)], cwd=REPO, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Beside pytest's numbered temporary folders: kept between runs, so later ones are warm."""
    return tmp_path_factory.getbasetemp().parent / "potato-sandbox-mypy-cache"


WRONG = """from sandbox import gamepads, keyboard, mouse

held: int = keyboard.is_down(3)
where: str = mouse.pos
n: str = len(gamepads)
"""


def test_a_typed_game_checks_clean_with_mypy_strict(tmp_path: Path, mypy_cache: Path) -> None:
    """One mypy run (a cold one takes ~5 s): the typed game is clean, and a wrong use of the
    API in another file is caught, so the clean result means mypy read the sandbox's types."""
    game = game_folder(tmp_path, "typed", TYPED)
    wrong = tmp_path / "wrong_use.py"
    wrong.write_text(WRONG)
    result = mypy(mypy_cache, game / "main.py", wrong)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "main.py" not in out, out
    assert 'Argument 1 to "is_down" of "Keyboard" has incompatible type "int"' in out
    assert 'has type "tuple[int, int]", variable has type "str"' in out
    assert out.count("error:") == 3, out


def test_the_typed_game_runs(tmp_path: Path) -> None:
    game = game_folder(tmp_path, "typed", TYPED)
    with Host(game, headless=True, watch=False) as host:
        assert host.display is not None
        for data in ({"type": "keydown", "key": "Left"},
                     {"type": "mousedown", "button": 1, "clicks": 1, "x": 5, "y": 6},
                     {"type": "motion", "x": 7, "y": 6, "xrel": 2, "yrel": 0, "state": 1}):
            push_event(data, host.display.window_id)
        host.step(2)
        assert host.last_error is None and keyboard.left and mouse.pos == (7, 6)
        assert host.game.keys == ["left"] and host.game.clicks == [((5, 6), "left")]
        assert host.game.moves == [((7, 6), (2, 0), frozenset({"left"}))]
        assert host.game.x < 0
