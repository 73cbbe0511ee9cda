"""Where SDL's libraries are: tell pysdl2 before it goes looking (a third of the cold start).

pysdl2's ``sdl2.dll._findlib`` first looks in ``PYSDL2_DLL_PATH`` and then, *always*, asks
``ctypes.util.find_library`` for six spellings of each library (``SDL2``, ``SDL2-2.0``, …, each
with a debug ``d``). On Linux every call runs ``ldconfig -p``, ``gcc`` and ``ld`` as
subprocesses: 54 of them and ~200 ms before the first frame, to find libraries that
``pysdl2-dll`` ships in a folder we know. ``locate()`` points ``PYSDL2_DLL_PATH`` at that folder
(what ``import sdl2dll`` would do, minus pysdl2's "Using SDL2 binaries" warning) and, for a
library that folder holds, answers pysdl2's system search with "not found" instead of
spawning; any other library (and every library when the folder lacks it, or the user set
``PYSDL2_DLL_PATH=system``) still goes through the real ``find_library``.

It must run before the first ``import sdl2``: ``sandbox/sdl/__init__.py`` calls it first.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import sys
from collections.abc import Callable

__all__ = ["bundled_dir", "locate"]

_LIBRARY_FILE = re.compile(r"(?:lib)?(SDL2(?:_[A-Za-z]+)?)(?:-[\d.]+)?\.(?:so|dylib|dll)")


def bundled_dir() -> str | None:
    """The folder of pysdl2-dll's libraries, or None when it is not installed (or an sdist)."""
    try:
        import sdl2dll
    except ImportError:
        return None
    path = str(sdl2dll.get_dllpath())
    return path if os.path.isdir(path) else None


def _family(name: str) -> str:
    """``SDL2_ttf`` for pysdl2's spellings ``SDL2_ttf``, ``SDL2_ttf-2.0``, ``SDL2_ttfd`` …"""
    name = name.split("-", 1)[0]
    return name[:-1] if name.endswith("d") else name  # no real name ends in "d"


def skipping_search(folder: str, real: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """``find_library`` that says "not found" without a search for libraries in ``folder``."""
    held = {m.group(1) for f in os.listdir(folder) if (m := _LIBRARY_FILE.match(f))}

    def find_library(name: str) -> str | None:
        return None if _family(name) in held else real(name)

    return find_library


def locate() -> None:
    """Point pysdl2 at pysdl2-dll's folder and skip its system search (see the module doc)."""
    if "sdl2.dll" in sys.modules:  # too late: pysdl2 already searched
        return
    folder = os.environ.get("PYSDL2_DLL_PATH") or bundled_dir()
    if folder is None or not os.path.isdir(folder):
        return  # "system", unset without pysdl2-dll, or a bad path: pysdl2 searches as before
    os.environ["PYSDL2_DLL_PATH"] = folder
    real = ctypes.util.find_library
    quick = skipping_search(folder, real)
    # sdl2.dll binds ``from ctypes.util import find_library`` at import and loads SDL2 there;
    # SDL_ttf/image/mixer are loaded later through that module-level name, so it stays ours.
    ctypes.util.find_library = quick  # type: ignore[assignment]  # same signature
    try:
        import sdl2.dll
    finally:
        ctypes.util.find_library = real
    sdl2.dll.find_library = quick
