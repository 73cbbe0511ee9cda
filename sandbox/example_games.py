"""The example games that ship with the sandbox: `potato-sandbox bounce`, `new --from NAME`.

In a wheel they are installed inside the package (``sandbox/examples/``); in a checkout of
the repository they are its ``games/`` folder, which pyproject.toml maps to that place.
"""

from __future__ import annotations

import difflib
from pathlib import Path

__all__ = ["close_example", "example_names", "examples_folder", "find_example", "installed_copy",
           "resolve_game"]

_PACKAGE = Path(__file__).resolve().parent


def examples_folder() -> Path | None:
    """The folder that holds the example games, or None if there is none."""
    for folder in (_PACKAGE / "examples", _PACKAGE.parent / "games"):
        if folder.is_dir():
            return folder
    return None


def example_names() -> list[str]:
    """The example games' names, sorted (``["bounce", "breakout"]``)."""
    folder = examples_folder()
    if folder is None:
        return []
    return sorted(p.name for p in folder.iterdir() if (p / "main.py").is_file())


def find_example(name: str) -> Path | None:
    """The folder of the example game called ``name``, or None."""
    folder = examples_folder()
    if folder is None or name not in example_names():
        return None
    return folder / name


def close_example(name: str) -> str | None:
    """The example game whose name ``name`` is a likely typo of (``bouncee``: ``bounce``)."""
    if len(Path(name).parts) != 1:
        return None  # a path (``games/bouncee``) is not an example's name
    near = difflib.get_close_matches(name.lower(), example_names(), n=1, cutoff=0.75)
    return near[0] if near else None


def installed_copy(game: str) -> str | None:
    """The example's name when ``game`` is its copy inside the installed package, else None.

    That copy lives among the installed files (site-packages), not in a checkout's
    ``games/``: the user should edit a copy of their own.
    """
    folder = Path(game).resolve()
    return folder.name if folder.parent == _PACKAGE / "examples" else None


def resolve_game(game: str) -> str:
    """``game`` as given when it is a path that exists (or looks like one), else the example
    game of that name if there is one; otherwise ``game`` unchanged, for the caller to report.

    A folder of the same name in the current directory wins over an example.
    """
    given = Path(game).expanduser()
    if given.exists() or len(given.parts) != 1:
        return game
    example = find_example(game)
    return str(example) if example is not None else game
