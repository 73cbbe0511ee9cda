"""``potato-sandbox new PATH [--from EXAMPLE]``: a runnable new game, or an example's copy.

Nothing that exists is overwritten: a file the game would need that is already there stops it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sandbox.example_games import example_names, find_example
from sandbox.keys import kept_keys

__all__ = ["GAME_TEMPLATE", "ScaffoldError", "Scaffolded", "copy_example", "create_game"]

GAME_TEMPLATE = '''\
"""{title}: a potato-sandbox game. Run it with `potato-sandbox {folder}`.

Edit anything below and save: the running game changes within a frame and keeps its state.
Top-level values you did not edit keep their current values; edited ones take effect at once.
"""

from sandbox import hot, keyboard, mouse

TITLE = "{title}"
SIZE = (640, 480)
BACKGROUND = (20, 20, 30)

# State: these lines run once; a reload keeps their current values unless you edit them.
x = 320.0
y = 240.0
speed = 120.0  # pixels per second: change it and save


def load():
    """Runs once at start, and again after a hot restart (F5)."""
    global x, y
    x, y = 320.0, 240.0


def update(dt):
    """Runs at a fixed 60 steps a second; dt is in seconds. Up/Down (held) steer."""
    global x, y
    x += speed * dt
    if x > SIZE[0] + 20:
        x = -20.0
    if keyboard.up:
        y -= speed * dt
    if keyboard.down:
        y += speed * dt


def draw(renderer):
    """Runs once a frame; renderer is an sdl2.ext.Renderer with drawing helpers.

    fill_rect, rect, rects, line, circle, text, image, sprites: the README's Drawing section.
    """
    renderer.clear(BACKGROUND)
    renderer.fill_rect((int(x) - 20, int(y) - 20, 40, 40), (255, 200, 80))
    renderer.circle(mouse.pos, 3, (255, 255, 255))  # where the pointer is now
    renderer.text("edit main.py and save", (10, 10), colour=(160, 160, 170))


def on_key_down(key):
    """A key was pressed: "space", "left", "a" … (not {kept_keys}: the sandbox's)."""
    global x
    if key == "space":
        x = -20.0


def on_mouse_down(pos, button):
    """A click: pos is (x, y) in the window, button "left", "middle" or "right"."""
    global x, y
    if button == "left":
        x, y = pos


def on_event(event):
    """Every raw SDL event the sandbox does not keep for itself, for what the hooks lack."""


@hot.after_reload
def _reloaded():
    """Runs after every reload; hot.has_module_changed(module) says what changed."""
'''

README_TEMPLATE = """\
# {title}

A potato-sandbox game. Run it with `potato-sandbox {folder}`;
edit `main.py` and save to see the change live.
"""


class ScaffoldError(Exception):
    """The skeleton could not be created; the message says why and what to do."""


@dataclass(frozen=True)
class Scaffolded:
    """A new game was created in ``folder`` with ``files``."""

    folder: Path
    files: tuple[Path, ...]

    def __str__(self) -> str:
        names = ", ".join(f.name for f in self.files)
        return f"created {self.folder} ({names}) — run it with: potato-sandbox {self.folder}"


def create_game(path: str | Path) -> Scaffolded:
    """Create a game skeleton at ``path``; refuse to touch anything that already exists."""
    folder = Path(path)
    title = folder.name or "game"
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{folder} exists and is a file; choose another path for the new game")
    files = {
        folder / "main.py": GAME_TEMPLATE,
        folder / "README.md": README_TEMPLATE,
    }
    existing = [f for f in files if f.exists()]
    if existing:
        listed = ", ".join(str(f) for f in existing)
        raise ScaffoldError(
            f"not overwriting {listed}; choose a new folder (e.g. potato-sandbox new {folder}2)"
        )
    # The title lands inside a Python string literal: keep it to characters that are safe there.
    safe_title = title if title.isprintable() and not set(title) & set('"\\{}') else "game"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for file, template in files.items():
            # "x" mode: a file created meanwhile by someone else is still never overwritten.
            with file.open("x", encoding="utf-8") as handle:
                handle.write(template.format(title=safe_title, folder=folder.as_posix(),
                                              kept_keys=kept_keys()))
    except OSError as exc:
        raise ScaffoldError(f"could not create {folder}: {exc.strerror or exc}") from exc
    return Scaffolded(folder, tuple(files))


def copy_example(name: str, path: str | Path) -> Scaffolded:
    """Copy the example game ``name`` to ``path`` as a new game; never overwrite anything."""
    source = find_example(name)
    if source is None:
        raise ScaffoldError(f"there is no example game called {name!r}; the examples are: "
                            f"{', '.join(example_names()) or 'none (they are not installed)'}")
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{folder} exists and is a file; choose another path for the new game")
    files = {folder / f.relative_to(source): f for f in sorted(source.rglob("*"))
             if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc"}
    existing = [f for f in files if f.exists()]
    if existing:
        listed = ", ".join(str(f) for f in existing)
        raise ScaffoldError(
            f"not overwriting {listed}; choose a new folder (e.g. potato-sandbox new {folder}2 "
            f"--from {name})")
    try:
        for dest, src in files.items():
            dest.parent.mkdir(parents=True, exist_ok=True)
            with src.open("rb") as read, dest.open("xb") as write:  # "x": never overwrite
                shutil.copyfileobj(read, write)
    except OSError as exc:
        raise ScaffoldError(f"could not create {folder}: {exc.strerror or exc}") from exc
    return Scaffolded(folder, tuple(files))
