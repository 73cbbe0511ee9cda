"""The oracle for the engine's property test: random three-module games, random edits.

A game is three modules (``consts``, ``ents``, ``main``), each a list of *items* drawn from
a library of the patterns real games use: derived constants, class-level derived attributes,
subclasses across modules, frozen dataclasses, enums held in state, registering and wrapping
decorators, closure factories, module-level instances and containers, ``import``,
``from … import`` and star imports. An edit changes an item's numbers, removes, adds or
moves an item, or breaks the file (a syntax error, a statement that raises).

:func:`observe` describes everything a module reaches — values, what functions return,
class attributes and methods, enum members, registries — so a live game and a fresh
import of the same sources can be compared as plain data.
"""

from __future__ import annotations

import dataclasses
import enum
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["MODULES", "SIDE_EFFECTS", "TEMPLATES", "Model", "fresh_import", "observe"]

MODULES = ("consts", "ents", "main")
HEADERS = {
    "consts": "",
    "ents": "import functools\nfrom dataclasses import dataclass\nfrom enum import Enum\n"
            "import consts\n",
    "main": "import consts\nimport ents\nfrom ents import Ent, State, Base\n",
}
# Names the headers bind: library objects, not the game's.
HEADER_NAMES = frozenset({"functools", "dataclass", "Enum", "consts", "ents"})
# Calling these has side effects (``on(1)`` registers 1): the oracle never calls them.
SIDE_EFFECTS = frozenset({"on"})


def _enum(p: int, q: int) -> str:
    return ("class State(Enum):\n    IDLE = 1\n    RUN = 2\n" + "    JUMP = 3\n" * (p % 2)
            + f"    FALL = {4 + q % 3}\n" * (q % 2))


def _pos(p: int, q: int) -> str:
    extra = "    z: int = 0\n" if q % 2 else ""
    return f"@dataclass(frozen=True)\nclass Pos:\n    x: int = {p}\n{extra}    y: int = 1\n"


# (module, item key) -> source of the item for parameters p and q.
TEMPLATES: dict[tuple[str, str], Callable[[int, int], str]] = {
    ("consts", "speed"): lambda p, q: f"SPEED = {p}\n",
    ("consts", "grav"): lambda p, q: f"GRAV = {p} + {q}\n",
    ("consts", "tail"): lambda p, q: f"TAIL = SPEED * {p}\n",
    ("ents", "star"): lambda p, q: "from consts import *\n",
    ("ents", "base"): lambda p, q: (f"class Base:\n    HP = {p}\n    def hp(self):\n"
                                    f"        return self.HP + {q}\n"),
    ("ents", "ent"): lambda p, q: (f"class Ent(Base):\n    A = {p}\n    B = A * 2 + SPEED\n"
                                   f"    C = B + {q}\n    def act(self):\n"
                                   "        return self.C + self.hp()\n"),
    ("ents", "pos"): _pos,
    ("ents", "state"): _enum,
    ("ents", "make"): lambda p, q: (f"def make(n):\n    def inner(x):\n"
                                    f"        return x + n + {p}\n    return inner\n"),
    ("ents", "add"): lambda p, q: f"ADD = make({q})\n",
    ("ents", "reg"): lambda p, q: ("HANDLERS = []\ndef on(fn):\n    HANDLERS.append(fn)\n"
                                   "    return fn\n"),
    ("ents", "h1"): lambda p, q: f"@on\ndef h1(x):\n    return x + {p}\n",
    ("ents", "wrap"): lambda p, q: ("def wrap(fn):\n    @functools.wraps(fn)\n"
                                    f"    def w(*a):\n        return fn(*a) * {p}\n"
                                    "    return w\n"),
    ("ents", "g"): lambda p, q: f"@wrap\ndef g(x):\n    return x + {q}\n",
    ("ents", "events"): lambda p, q: "EVENTS = []\n",
    ("main", "boss"): lambda p, q: (f"class Boss(Ent):\n    A = {p}\n    def act(self):\n"
                                    f"        return super().act() + {q}\n"),
    ("main", "state"): lambda p, q: "state = State.IDLE\n",
    ("main", "score"): lambda p, q: f"score = {p}\n",
    ("main", "vy"): lambda p, q: f"vy = -consts.SPEED * {p}\n",
    ("main", "player"): lambda p, q: "PLAYER = Ent()\n",
    ("main", "vel"): lambda p, q: f"VEL = consts.SPEED * {p}\n",
    ("main", "fn"): lambda p, q: f"def speed_of(x):\n    return x * VEL + {q}\n",
}


@dataclass(frozen=True)
class Item:
    """One item of a module: its template key and numbers."""

    key: str
    p: int = 1
    q: int = 1


@dataclass
class Model:
    """A game's three modules as lists of items."""

    items: dict[str, list[Item]] = field(default_factory=dict)
    tails: dict[str, str] = field(default_factory=dict)  # a broken line, for invalid edits

    @staticmethod
    def start() -> Model:
        """Every item, in an order a fresh import accepts."""
        items = {m: [Item(k) for (mod, k) in TEMPLATES if mod == m] for m in MODULES}
        return Model(items)

    def copy(self) -> Model:
        return Model({m: list(v) for m, v in self.items.items()}, {})

    def source(self, module: str) -> str:
        body = "".join(TEMPLATES[(module, it.key)](it.p, it.q) for it in self.items[module])
        return HEADERS[module] + body + self.tails.get(module, "")

    def text_of(self, module: str, key: str) -> str | None:
        """The source of item ``key``, or None when the module does not have it."""
        for it in self.items[module]:
            if it.key == key:
                return TEMPLATES[(module, key)](it.p, it.q)
        return None


def fresh_import(model: Model, root: Path) -> dict[str, dict[str, Any]] | None:
    """Every module's namespace after a fresh import of ``model`` (None when it fails).

    The modules are executed under their real names in ``sys.modules`` (the live ones put
    aside meanwhile), so ``import consts`` finds the fresh one.
    """
    saved = {m: sys.modules.pop(m) for m in MODULES if m in sys.modules}
    namespaces: dict[str, dict[str, Any]] = {}
    try:
        for name in MODULES:
            module = types.ModuleType(name)
            module.__file__ = str(root / f"{name}.py")
            sys.modules[name] = module
            code = compile(model.source(name), module.__file__, "exec", dont_inherit=True)
            exec(code, module.__dict__)
            namespaces[name] = module.__dict__
    except Exception:
        return None
    finally:
        for m in MODULES:
            sys.modules.pop(m, None)
        sys.modules.update(saved)
    return namespaces


def call(func: Any, *args: Any) -> object:
    """What calling ``func`` gives: its result, or the exception's type."""
    try:
        return ("ok", describe(func(*args), 2))
    except Exception as exc:
        return ("raised", type(exc).__name__)


def frozen(obj: object) -> object:
    try:
        obj.x = 5  # type: ignore[attr-defined]
    except dataclasses.FrozenInstanceError:
        return "frozen"
    except Exception as exc:
        return type(exc).__name__
    return "writable"


def _instance(value: object, depth: int) -> object:
    cls = type(value)
    methods = {k: call(getattr(value, k)) for k in sorted(dir(cls))
               if not k.startswith("_") and callable(getattr(cls, k, None))}
    attrs = {k: describe(v, depth + 1) for k, v in sorted(vars(value).items())}
    writable = frozen(value) if dataclasses.is_dataclass(cls) else None
    return ("obj", cls.__name__, attrs, methods, writable)


def _class(value: type, depth: int) -> object:
    if issubclass(value, enum.Enum):
        return ("enum", [(m.name, m.value) for m in value])
    attrs = {k: describe(v, depth + 1) for k in sorted(dir(value)) if not k.startswith("_")
             and not callable(v := getattr(value, k))}
    try:
        made = _instance(value(), depth + 1)
    except Exception as exc:
        made = type(exc).__name__
    return ("class", value.__name__, attrs, made)


def describe(value: object, depth: int = 0) -> object:
    """``value`` as plain data, the same for a live game and a fresh import of its source."""
    if depth > 3:
        return "…"
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return ("member", type(value).__name__, value.name, value.value)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [describe(v, depth + 1) for v in value])
    if isinstance(value, dict):
        return ("dict", [(k, describe(v, depth + 1)) for k, v in value.items()])
    if isinstance(value, type):
        return _class(value, depth)
    if isinstance(value, types.ModuleType):
        return ("module", value.__name__)
    if callable(value):
        return ("fn", call(value, 1))
    return _instance(value, depth)


def observe(namespaces: dict[str, dict[str, Any]]) -> dict[str, object]:
    """Everything the game's modules reach, described."""
    seen: dict[str, object] = {}
    for module, ns in namespaces.items():
        for name in sorted(ns):
            if name in SIDE_EFFECTS and callable(ns[name]):
                seen[f"{module}.{name}"] = "not called"
            elif not name.startswith("_") and name not in HEADER_NAMES:
                seen[f"{module}.{name}"] = describe(ns[name])
    return seen
