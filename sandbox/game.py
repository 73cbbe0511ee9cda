"""The game contract: finding a game's entry module, checking hook names, reading settings.

A game is a folder with a ``main.py``. Hooks (``load``, ``update``, ``draw``, ``on_event``,
and the input hooks of ``sandbox.input_hooks``: ``on_key_down`` …) are optional; settings
(``TITLE``, ``SIZE``, ``BACKGROUND``) have defaults. Mistakes are reported with a message
that says what to do, never with a raw traceback.
"""

from __future__ import annotations

import ast
import difflib
import inspect
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from sandbox.events import ErrorInfo
from sandbox.input_hooks import INPUT_HOOKS, signature_problem

__all__ = ["DEFAULT_BACKGROUND", "DEFAULT_SIZE", "HOOKS", "GameFailed", "GameNotFound",
           "GameSettings", "GameSpec", "check_hooks", "find_game", "read_settings"]

HOOKS = ("load", "update", "draw", "on_event", *INPUT_HOOKS)  # input: + on_key_down …
DEFAULT_SIZE = (640, 480)
DEFAULT_BACKGROUND = (0, 0, 0)
ENTRY = "main.py"


class GameFailed(Exception):
    """The game's ``main.py`` failed on its first import; there is nothing to run."""

    exit_code = 1

    def __init__(self, info: ErrorInfo) -> None:
        super().__init__(f"{info} — fix it and start again")
        self.info = info


class GameNotFound(Exception):
    """The game folder or its entry module is missing; the message says what to do."""

    exit_code = 2


@dataclass(frozen=True)
class GameSpec:
    """A found game: its resolved folder, entry file and name."""

    root: Path
    entry: Path
    name: str


def find_game(path: str | Path) -> GameSpec:
    """Resolve ``path`` to a game folder that has a ``main.py``, or raise GameNotFound."""
    given = Path(path).expanduser()
    if given.is_file() and given.name == ENTRY:
        given = given.parent
    root = given.resolve()
    if not root.exists():
        hint = ""
        parent = root.parent
        if parent.is_dir():
            siblings = [p.name for p in parent.iterdir() if p.is_dir()
                        and not p.name.startswith((".", "__"))]
            close = difflib.get_close_matches(root.name, siblings, n=3, cutoff=0.6)
            if close:
                names = " or ".join(str(parent / c) for c in close)
                hint = f" Did you mean {names}?"
        raise GameNotFound(f"No game folder at {given}.{hint}")
    if not root.is_dir():
        raise GameNotFound(f"{given} is a file, not a game folder. Pass the folder that "
                           f"contains {ENTRY}.")
    entry = root / ENTRY
    if not entry.is_file():
        raise GameNotFound(
            f"{given} has no {ENTRY}. Create {entry} with the hooks you need "
            "(load, update(dt), draw(renderer), on_event(event)), or run "
            "`potato-sandbox new <folder>` for a skeleton.")
    return GameSpec(root=root, entry=entry, name=root.name)


def check_hooks(module: ModuleType) -> list[str]:
    """Warnings for top-level functions whose names look like misspelt hooks.

    Example: ``main.py:14: 'drow' is not a hook; did you mean draw?``. Only functions
    defined in ``module`` itself are checked (imported ones are not the game's hooks), and
    only when their name is close to a hook's; hooks that are not callable are reported too.
    """
    warnings: list[str] = []
    file = getattr(module, "__file__", None)
    shown = Path(file).name if file else module.__name__
    for name, value in sorted(vars(module).items()):
        if name in HOOKS:
            if not callable(value):
                warnings.append(f"{shown}: hook {name} is a {type(value).__name__}, not a "
                                f"function; define it with def {name}(...)")
            elif name in INPUT_HOOKS and (problem := signature_problem(value, name)):  # input
                line = getattr(getattr(value, "__code__", None), "co_firstlineno", "?")
                warnings.append(f"{shown}:{line}: {problem}; it is not called until fixed")
            continue
        if not inspect.isfunction(value) or value.__module__ != module.__name__:
            continue
        close = difflib.get_close_matches(name.lower(), HOOKS, n=1, cutoff=0.7)
        if not close:
            continue
        line = value.__code__.co_firstlineno
        warnings.append(f"{shown}:{line}: '{name}' is not a hook; did you mean {close[0]}?")
    return warnings


@dataclass(frozen=True)
class GameSettings:
    """TITLE, SIZE and BACKGROUND read from the entry module, plus any problems found."""

    title: str
    size: tuple[int, int]
    background: tuple[int, int, int]
    problems: tuple[str, ...] = ()

    @property
    def window_title(self) -> str:
        """The window's title: the game's, then the sandbox's (``bounce - potato-sandbox``),
        so task bars say what runs it and ``xdotool search --name potato-sandbox`` finds it."""
        return f"{self.title} - potato-sandbox"


def _where(module: ModuleType, name: str) -> str:
    """``main.py:3`` for the top-level assignment of ``name`` when it can be found."""
    file = getattr(module, "__file__", None)
    if not file:
        return module.__name__
    shown = Path(file).name
    try:
        tree = ast.parse(Path(file).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return shown
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return f"{shown}:{node.lineno}"
    return shown


def _ints(value: Any, n: int, low: int, high: int) -> tuple[int, ...] | None:
    if not isinstance(value, (tuple, list)) or len(value) != n:
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) and low <= v <= high
               for v in value):
        return None
    return tuple(value)


def read_settings(module: ModuleType, default_title: str = "game") -> GameSettings:
    """Read and validate TITLE, SIZE and BACKGROUND; bad values fall back to defaults."""
    problems: list[str] = []
    title = getattr(module, "TITLE", default_title)
    if not isinstance(title, str):
        problems.append(f"{_where(module, 'TITLE')}: TITLE must be a string, got "
                        f"{title!r}; using {default_title!r}")
        title = default_title
    raw_size = getattr(module, "SIZE", DEFAULT_SIZE)
    size = _ints(raw_size, 2, 1, 16384)
    if size is None:
        problems.append(f"{_where(module, 'SIZE')}: SIZE must be (width, height) in pixels, "
                        f"got {raw_size!r}; using {DEFAULT_SIZE}")
        size = DEFAULT_SIZE
    raw_bg = getattr(module, "BACKGROUND", DEFAULT_BACKGROUND)
    bg = _ints(raw_bg, 3, 0, 255)
    if bg is None:
        problems.append(f"{_where(module, 'BACKGROUND')}: BACKGROUND must be (r, g, b) with "
                        f"values 0-255, got {raw_bg!r}; using {DEFAULT_BACKGROUND}")
        bg = DEFAULT_BACKGROUND
    return GameSettings(title, (size[0], size[1]), (bg[0], bg[1], bg[2]), tuple(problems))
