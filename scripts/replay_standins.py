"""Neutral stand-ins for the libraries a replayed game imports but cannot really import.

Real game files import arcade, pyxel, pgzero … and call into them at import time
(``pyxel.init(160, 120)``, ``App()``, ``class MyGame(arcade.Window)``). Opening a window or
running a library's main loop would stop the replay, and most of these libraries are not
installed. The policy (``scripts/replay_edits.py``'s docstring has all of it):

- ``FORCED`` libraries are always stand-ins, installed or not: they open windows or loop.
- Any other import *made by the game's own code* that no finder can satisfy becomes a
  stand-in too (a sibling module of the game in its repository, ``numpy`` …). An import a
  library makes for itself (pygame probing for numpy) is left to fail as it normally would.
- pgzero's builtins (``Actor``, ``screen``, ``keyboard`` …) are stand-ins put in
  ``builtins``, as ``pgzrun`` puts the real ones there.

A stand-in answers every attribute, call, item, operator and iteration with another
stand-in (or a neutral value: nothing to iterate, false comparisons), can be subclassed
(``class MyGame(arcade.Window)``), and describes itself by the path it was reached by
(``arcade.color.RED``). Both sides of a comparison (the live reload and the fresh import)
run in the same process and get the very same stand-ins, so they never differ because of one.
"""

from __future__ import annotations

import builtins
import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = ["FORCED", "PGZERO_BUILTINS", "StandIn", "StandInFinder", "StandInModule",
           "standin_class"]

FORCED = frozenset({"arcade", "pyxel", "pgzero", "pgzrun", "pyglet"})
PGZERO_BUILTINS = ("Actor", "Rect", "ZRect", "animate", "clock", "exit", "images", "keyboard",
                   "keymods", "keys", "mouse", "music", "screen", "sounds", "storage", "tone")

_classes: dict[str, type] = {}


def _path_of(obj: object) -> str:
    return str(object.__getattribute__(obj, "_path"))


class StandIn:
    """A neutral object standing for ``path`` (``arcade.color.RED``, ``pyxel.btn()``)."""

    __slots__ = ("_path",)

    def __init__(self, path: str) -> None:
        object.__setattr__(self, "_path", path)

    def __getattr__(self, name: str) -> StandIn:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return StandIn(f"{_path_of(self)}.{name}")

    def __setattr__(self, name: str, value: object) -> None:
        pass  # a stand-in keeps no state: both sides see the same one

    def __call__(self, *args: object, **kwargs: object) -> StandIn:
        return StandIn(f"{_path_of(self)}()")

    def __mro_entries__(self, bases: tuple[object, ...]) -> tuple[type, ...]:
        return (standin_class(_path_of(self)),)

    def __getitem__(self, key: object) -> StandIn:
        return StandIn(f"{_path_of(self)}[]")

    def __setitem__(self, key: object, value: object) -> None:
        pass

    def __iter__(self) -> Iterator[object]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        return True

    def __contains__(self, item: object) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StandIn) and _path_of(other) == _path_of(self)

    def __hash__(self) -> int:
        return hash(_path_of(self))

    def __lt__(self, other: object) -> bool:
        return False

    __le__ = __gt__ = __ge__ = __lt__

    def __int__(self) -> int:
        return 0

    def __index__(self) -> int:
        return 0

    def __float__(self) -> float:
        return 0.0

    def __enter__(self) -> StandIn:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __repr__(self) -> str:
        return f"<stand-in {_path_of(self)}>"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def _same(self, *other: object) -> StandIn:
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _same
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _same
    __pow__ = __rpow__ = __neg__ = __pos__ = __abs__ = __and__ = __or__ = __xor__ = _same
    __rand__ = __ror__ = __invert__ = __lshift__ = __rshift__ = _same


class _StandInMeta(type):
    def __getattr__(cls, name: str) -> StandIn:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return StandIn(f"{cls.__qualname__}.{name}")


class _StandInBase(metaclass=_StandInMeta):
    """What a game class subclassing a stand-in (``arcade.Window``) inherits."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def __getattr__(self, name: str) -> StandIn:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return StandIn(f"{type(self).__qualname__}().{name}")


def standin_class(path: str) -> type:
    """The one class standing for ``path`` as a base (the same object every time)."""
    cls = _classes.get(path)
    if cls is None:
        cls = _StandInMeta(path.rpartition(".")[2] or path, (_StandInBase,),
                           {"__module__": "standin", "__qualname__": path})
        _classes[path] = cls
    return cls


class StandInModule(types.ModuleType):
    """A stand-in module: a package (submodules import) whose every attribute is a stand-in."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__path__: list[str] = []
        self.__all__: list[str] = []  # ``from arcade import *`` gives nothing

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return StandIn(f"{self.__name__}.{name}")

    def __setattr__(self, name: str, value: object) -> None:
        # No state: a game monkeypatching ``pyxel.pal = _pal`` on the live side must not be
        # seen by the fresh import (both run in one process; a fresh start has a new one).
        if name.startswith("__") and name.endswith("__"):
            super().__setattr__(name, value)


class _Loader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return StandInModule(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        pass


class StandInFinder(importlib.abc.MetaPathFinder):
    """Gives stand-ins for ``FORCED`` libraries, and for imports the game's code made that
    nothing else found (``is_game_file`` says which files are the game's)."""

    def __init__(self, is_game_file: Callable[[str], bool]) -> None:
        self.is_game_file = is_game_file
        self.last = False  # True for the copy at the end of sys.meta_path

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: types.ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        top = fullname.partition(".")[0]
        if top in FORCED or (self.last and self._from_game()):
            return importlib.machinery.ModuleSpec(fullname, _Loader(), is_package=True)
        return None

    def _from_game(self) -> bool:
        frame = sys._getframe(2)
        while frame is not None and frame.f_code.co_filename.startswith("<frozen"):
            frame = frame.f_back  # type: ignore[assignment]
        return frame is not None and self.is_game_file(frame.f_code.co_filename)


def install(is_game_file: Callable[[str], bool]) -> None:
    """Put the finders first (``FORCED``) and last (the game's unfound imports), and
    pgzero's builtins in ``builtins``."""
    first, last = StandInFinder(is_game_file), StandInFinder(is_game_file)
    last.last = True
    sys.meta_path.insert(0, first)
    sys.meta_path.append(last)
    for name in PGZERO_BUILTINS:
        value: object = standin_class(f"pgzero.builtins.{name}") if name in (
            "Actor", "Rect", "ZRect") else StandIn(f"pgzero.builtins.{name}")
        setattr(builtins, name, value)
