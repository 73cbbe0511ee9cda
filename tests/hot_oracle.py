"""The oracle for the engine's property test: random games of 2–5 modules, random edits.

A game is ``consts`` and ``main``, optionally ``ents`` and a chain of one or two links
(``consts`` → ``link1`` → ``link2`` → ``main``), each module a list of *items* drawn from a
library of the patterns real games use: derived constants, class-level derived attributes,
subclasses across modules, frozen dataclasses, enums and flag enums held in state,
registering and wrapping decorators, closure factories, module-level instances and
containers, ``import``, ``from … import`` and star imports (a link's import style is an
item's number, so an edit can switch it), and imports back up the chain that close a cycle
(some Python allows, some it refuses). An edit changes an item's numbers, removes, adds or
moves an item (within a module, or to another one), or breaks the file (a syntax error, a
statement that raises).

:func:`fresh_import` is the oracle: a real ``import main`` of the sources in a new folder,
with the game's modules put aside, as a fresh start would. :func:`observe` describes
everything a module reaches — values, what functions return, class attributes and methods,
enum members, registries — so a live game and a fresh import can be compared as plain data.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import shutil
import sys
import tempfile
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox.hot.tracking import GameFinder

__all__ = ["ALL_MODULES", "SIDE_EFFECTS", "TEMPLATES", "Model", "fresh_import", "observe"]

ALL_MODULES = ("consts", "link1", "link2", "ents", "main")
LINKS = ("link1", "link2")
# What each link reads from the module before it, and the value and function it makes.
READS = {"link1": ("consts", "SPEED"), "link2": ("link1", "BONUS"), "main": ("", "")}
MAKES = {"link1": ("BONUS", "bonus"), "link2": ("TOTAL", "total")}
# Names the headers bind: library objects, not the game's.
HEADER_NAMES = frozenset({"functools", "dataclass", "Enum", "Flag", "consts", "ents"})
# Calling these has side effects (``on(1)`` registers 1): the oracle never calls them.
SIDE_EFFECTS = frozenset({"on", "spawn"})  # calling them changes the game
# Items a game does not start with (an edit may add them): imports back up the chain.
LATER = frozenset({"back"})


def _header(module: str, modules: tuple[str, ...]) -> str:
    if module == "ents":
        return ("import functools\nfrom dataclasses import dataclass\n"
                "from enum import Enum, Flag\nimport consts\n")
    if module == "main":
        ents = "import ents\nfrom ents import Ent, State, Base\n" if "ents" in modules else ""
        return "import consts\n" + ents
    return ""


@dataclass(frozen=True)
class Ctx:
    """What an item's text depends on besides its numbers."""

    module: str
    style: int  # how the module imports the one before it (0 import, 1 from, 2 star)
    last: str  # the last link of the chain (what main imports), "" when none
    modules: tuple[str, ...]


def _prev(ctx: Ctx) -> tuple[str, str]:
    """The module this one imports along the chain, and the name it reads from it."""
    if ctx.module == "main":
        return ctx.last, MAKES[ctx.last][0] if ctx.last else ""
    return READS[ctx.module]


def _ref(ctx: Ctx) -> str:
    """How this module's statements name what it imported: ``consts.`` or nothing."""
    return f"{_prev(ctx)[0]}." if ctx.style == 0 else ""


def _imp(p: int, q: int, ctx: Ctx) -> str:
    prev, name = _prev(ctx)
    return [f"import {prev}\n", f"from {prev} import {name}\n",
            f"from {prev} import *\n"][p % 3]


def _val(p: int, q: int, ctx: Ctx) -> str:
    value, _ = MAKES[ctx.module]
    return f"{value} = {_ref(ctx)}{_prev(ctx)[1]} * {p} + {q}\n"


def _fn(p: int, q: int, ctx: Ctx) -> str:
    _, fn = MAKES[ctx.module]
    return f"def {fn}(x):\n    return x * {p} + {_ref(ctx)}{_prev(ctx)[1]}\n"


def _back(p: int, q: int, ctx: Ctx) -> str:
    """An import of main (or, from consts, of ents) back up the chain: a cycle."""
    if ctx.module == "consts" and p % 4 == 3 and "ents" in ctx.modules:
        return "from ents import Ent\n"  # ents star-imports consts, partly run: may fail
    return ["import main\ndef back(x):\n" f"    return main.VEL * x + {q}\n",  # allowed
            "import main\nBACK = main.VEL\n",  # a read of main, partly run: fails
            "from main import VEL\n"][p % 3]  # the same through a from-import


def _enum(p: int, q: int, ctx: Ctx) -> str:
    return ("class State(Enum):\n    IDLE = 1\n    RUN = 2\n" + "    JUMP = 3\n" * (p % 2)
            + f"    FALL = {4 + q % 3}\n" * (q % 2))


def _flag(p: int, q: int, ctx: Ctx) -> str:
    return ("class Perm(Flag):\n    R = 1\n    W = 2\n" + "    X = 4\n" * (p % 2)
            + "    RW = R | W\n" * (q % 2) + f"    BIG = {8 * (1 + p % 3)}\n" * (p % 3 > 0))


def _pos(p: int, q: int, ctx: Ctx) -> str:
    extra = "    z: int = 0\n" if q % 2 else ""
    return f"@dataclass(frozen=True)\nclass Pos:\n    x: int = {p}\n{extra}    y: int = 1\n"


def _shared(p: int, q: int, ctx: Ctx) -> str:
    """An item any module may hold: edits move it between modules.

    (``HELPED`` does not call helper: a body edit patches a function without re-running the
    statements that called it at import time — docs/reloading.md, "What needs F5".)
    """
    return f"def helper(x):\n    return x * {p} + {q}\nHELPED = [{q}]\n"


Template = Callable[[int, int, Ctx], str]

# (module, item key) -> source of the item for parameters p and q.
TEMPLATES: dict[tuple[str, str], Template] = {
    ("consts", "speed"): lambda p, q, c: f"SPEED = {p}\n",
    ("consts", "scale"): lambda p, q, c: f"SPEED *= {p % 3 + 1}\n",  # a chain: docs/reloading
    ("consts", "grav"): lambda p, q, c: f"GRAV = {p} + {q}\n",
    ("consts", "tail"): lambda p, q, c: f"TAIL = SPEED * {p}\n",
    ("consts", "back"): _back,
    ("link1", "imp"): _imp,
    ("link1", "val"): _val,
    ("link1", "fn"): _fn,
    ("link1", "back"): _back,
    ("link2", "imp"): _imp,
    ("link2", "val"): _val,
    ("link2", "fn"): _fn,
    ("link2", "back"): _back,
    ("ents", "star"): lambda p, q, c: "from consts import *\n",
    ("ents", "base"): lambda p, q, c: (f"class Base:\n    HP = {p}\n    def hp(self):\n"
                                       f"        return self.HP + {q}\n"),
    ("ents", "ent"): lambda p, q, c: (f"class Ent(Base):\n    A = {p}\n    B = A * 2 + SPEED\n"
                                      f"    C = B + {q}\n    def act(self):\n"
                                      "        return self.C + self.hp()\n"),
    ("ents", "pos"): _pos,
    ("ents", "state"): _enum,
    ("ents", "perm"): _flag,
    ("ents", "make"): lambda p, q, c: (f"def make(n):\n    def inner(x):\n"
                                       f"        return x + n + {p}\n    return inner\n"),
    ("ents", "add"): lambda p, q, c: f"ADD = make({q})\n",
    ("ents", "reg"): lambda p, q, c: ("HANDLERS = []\ndef on(fn):\n    HANDLERS.append(fn)\n"
                                      "    return fn\n"),
    ("ents", "h1"): lambda p, q, c: f"@on\ndef h1(x):\n    return x + {p}\n",
    ("ents", "wrap"): lambda p, q, c: ("def wrap(fn):\n    @functools.wraps(fn)\n"
                                       f"    def w(*a):\n        return fn(*a) * {p}\n"
                                       "    return w\n"),
    ("ents", "g"): lambda p, q, c: f"@wrap\ndef g(x):\n    return x + {q}\n",
    ("ents", "events"): lambda p, q, c: "EVENTS = []\n",
    ("ents", "back"): _back,
    ("main", "imp"): _imp,
    ("main", "grand"): lambda p, q, c: f"GRAND = {_ref(c)}{_prev(c)[1]} + {p}\n",
    ("main", "boss"): lambda p, q, c: (f"class Boss(Ent):\n    A = {p}\n    def act(self):\n"
                                       f"        return super().act() + {q}\n"),
    ("main", "state"): lambda p, q, c: "state = State.IDLE\n",
    ("main", "perm"): lambda p, q, c: "perm = ents.Perm.R | ents.Perm.W\n",
    ("main", "score"): lambda p, q, c: f"score = {p}\n",
    ("main", "vy"): lambda p, q, c: f"vy = -consts.SPEED * {p}\n",
    ("main", "player"): lambda p, q, c: "PLAYER = Ent()\n",
    ("main", "vel"): lambda p, q, c: f"VEL = consts.SPEED * {p}\n",
    ("main", "fn"): lambda p, q, c: f"def speed_of(x):\n    return x * VEL + {q}\n",
    ("main", "items"): lambda p, q, c: f"ITEMS = [{p}]\n",
    ("main", "more"): lambda p, q, c: f"ITEMS.append({q})\nCOUNT = len(ITEMS)\n",
    ("main", "fill"): lambda p, q, c: f"for _ in range({p % 3}):\n    ITEMS.append({q})\n",
    # (Its body has no numbers: a body edit does not run the calls made at import again —
    # docs/reloading.md, "What needs F5".)
    ("main", "spawn"): lambda p, q, c: "def spawn(n):\n    ITEMS.append(n)\n",
    ("main", "call"): lambda p, q, c: f"spawn({q})\n",
}
TEMPLATES.update({(m, "shared"): _shared for m in ALL_MODULES})
# Items of main that need a module the game may not have.
NEEDS = {"boss": "ents", "state": "ents", "perm": "ents", "player": "ents", "imp": "link1",
         "grand": "link1"}


@dataclass(frozen=True)
class Item:
    """One item of a module: its template key and numbers."""

    key: str
    p: int = 1
    q: int = 1


@dataclass
class Model:
    """A game's modules as lists of items."""

    items: dict[str, list[Item]] = field(default_factory=dict)
    tails: dict[str, str] = field(default_factory=dict)  # a broken line, for invalid edits

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(m for m in ALL_MODULES if m in self.items)

    @staticmethod
    def start(ents: bool = True, links: int = 0) -> Model:
        """A game with ``consts``, ``main``, maybe ``ents`` and ``links`` links; every item
        it can have (but the later ones), in an order a fresh import accepts."""
        modules = ["consts", *LINKS[:links], *(["ents"] if ents else []), "main"]
        items: dict[str, list[Item]] = {}
        for m in modules:
            keys = [k for (mod, k) in TEMPLATES if mod == m and k not in LATER
                    and (k != "shared" or m == "consts")]
            if m == "main":
                keys = [k for k in keys if NEEDS.get(k, "main") in modules]
            items[m] = [Item(k) for k in keys]
        return Model(items)

    def keys(self, module: str) -> list[str]:
        """Every item key module ``module`` of this game may have."""
        return [k for (m, k) in TEMPLATES if m == module
                and (module != "main" or NEEDS.get(k, "main") in self.items)]

    def copy(self) -> Model:
        return Model({m: list(v) for m, v in self.items.items()}, {})

    def ctx(self, module: str) -> Ctx:
        style = next((it.p % 3 for it in self.items[module] if it.key == "imp"), 0)
        last = next((m for m in reversed(LINKS) if m in self.items), "")
        return Ctx(module, style, last, self.modules)

    def source(self, module: str) -> str:
        ctx = self.ctx(module)
        body = "".join(TEMPLATES[(module, it.key)](it.p, it.q, ctx)
                       for it in self.items[module])
        return _header(module, self.modules) + body + self.tails.get(module, "")

    def text_of(self, module: str, key: str) -> str | None:
        """The source of item ``key``, or None when the module does not have it."""
        for it in self.items.get(module, []):
            if it.key == key:
                return TEMPLATES[(module, key)](it.p, it.q, self.ctx(module))
        return None


def fresh_import(model: Model, tmp: Path) -> dict[str, dict[str, Any]] | None:
    """Every module's namespace after a fresh ``import main`` (None when it fails).

    The sources are written to a new folder under ``tmp`` and imported by Python's own
    import system (the engine's import hook and the live modules put aside meanwhile), so
    imports, cycles and partly run modules behave exactly as on a fresh start. Only modules
    the import reached are returned.
    """
    folder = Path(tempfile.mkdtemp(dir=tmp))
    for m in model.modules:
        (folder / f"{m}.py").write_text(model.source(m), encoding="utf-8")
    saved = {m: sys.modules.pop(m) for m in ALL_MODULES if m in sys.modules}
    meta = sys.meta_path[:]
    sys.meta_path[:] = [f for f in meta if not isinstance(f, GameFinder)]
    sys.path.insert(0, str(folder))
    bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        importlib.import_module("main")
        return {m: sys.modules[m].__dict__ for m in model.modules if m in sys.modules}
    except Exception:
        return None
    finally:
        for m in ALL_MODULES:
            sys.modules.pop(m, None)
        sys.modules.update(saved)
        sys.meta_path[:] = meta
        sys.path.remove(str(folder))
        sys.path_importer_cache.pop(str(folder), None)
        sys.dont_write_bytecode = bytecode
        shutil.rmtree(folder, ignore_errors=True)


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
        return ("enum", [(m.name, m.value) for m in value],
                sorted((k, m.value) for k, m in value.__members__.items()))
    attrs = {k: describe(v, depth + 1) for k in sorted(dir(value)) if not k.startswith("_")
             and not callable(v := getattr(value, k))}
    try:
        made = _instance(value(), depth + 1)
    except Exception as exc:
        made = type(exc).__name__
    return ("class", value.__name__, attrs, made)


def _member(value: enum.Enum) -> object:
    # ``Perm(3) is perm``: in a fresh start a value always gives back the same member (a
    # flag's combination too), so ``perm == Perm.R | Perm.W`` holds; it must after a reload.
    try:
        same = type(value)(value.value) is value
    except ValueError:
        same = None
    return ("member", type(value).__name__, value.name, value.value, same)


def describe(value: object, depth: int = 0) -> object:
    """``value`` as plain data, the same for a live game and a fresh import of its source."""
    if depth > 3:
        return "…"
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return _member(value)
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
