"""What a replayed game's module holds, as plain data, and where two such descriptions differ.

Like ``tests/hot_oracle.py``'s ``observe``/``describe``, for real game files: a live module
after a reload and a fresh import of the same source are described the same way and
compared as data. Unlike the oracle, nothing of the game is *called* (a real game's
functions open windows, loop, quit): functions are compared by their code — bytecode,
constants, names, flags, line numbers (``co_firstlineno`` and every instruction's line),
nested code, defaults, annotations, closure cells — classes by their own attributes
(every name in the class ``__dict__``, private and name-mangled ones too), enum members by
name and value, instances of game classes by type and attributes, plain data deeply, and
library objects by type and ``repr`` (memory addresses scrubbed).
"""

from __future__ import annotations

import dis
import enum
import functools
import re
import types
from dataclasses import dataclass
from typing import Any

from replay_standins import StandIn

__all__ = ["Difference", "compare", "describe", "describe_namespace"]

MAX_DEPTH = 6
MAX_REPR = 300
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
# Module-level names every module has, set by the import system, not by the game's source.
IMPORT_SYSTEM = frozenset({"__builtins__", "__loader__", "__spec__", "__cached__",
                           "__file__", "__package__", "__path__", "__name__"})
# Class attributes Python makes for every class (descriptors describing themselves).
CLASS_SLOTS = frozenset({"__dict__", "__weakref__"})
PLAIN = (type(None), bool, int, str, bytes)
UNSPELLED = frozenset({"EXTENDED_ARG", "PUSH_NULL"})  # see _instructions


@dataclass
class Describer:
    """Describes values; ``module`` is the game module's name (its objects are the game's)."""

    module: str
    raw: bool = False  # compare bytecode byte for byte (see _instructions)

    def of(self, value: object, depth: int = 0, path: frozenset[int] = frozenset()) -> object:
        if isinstance(value, PLAIN):
            return value
        if isinstance(value, (float, complex)):
            return ("float", repr(value))  # nan == nan as data
        if depth > MAX_DEPTH:
            return "…"
        if id(value) in path:
            return ("cycle", type(value).__name__)
        inner = path | {id(value)}
        if isinstance(value, StandIn):
            return ("stand-in", repr(value))
        if isinstance(value, enum.Enum):
            return ("member", type(value).__qualname__, value.name,
                    self.of(value.value, depth + 1, inner))
        return self._container(value, depth, inner)

    def _container(self, value: object, depth: int, path: frozenset[int]) -> object:
        if type(value) in (list, tuple):
            return (type(value).__name__, [self.of(v, depth + 1, path)
                                           for v in value])  # type: ignore[attr-defined]
        if type(value) in (set, frozenset):
            items = [self.of(v, depth + 1, path) for v in value]  # type: ignore[attr-defined]
            return (type(value).__name__, sorted(items, key=repr))
        if type(value) is dict:
            return ("dict", [(self.of(k, depth + 1, path), self.of(v, depth + 1, path))
                             for k, v in value.items()])
        return self._object(value, depth, path)

    def _object(self, value: object, depth: int, path: frozenset[int]) -> object:
        if isinstance(value, types.ModuleType):
            return ("module", value.__name__)
        if isinstance(value, type):
            return self._class(value, depth, path)
        if isinstance(value, types.FunctionType):
            return self._function(value, depth, path)
        if isinstance(value, (staticmethod, classmethod)):
            return (type(value).__name__, self.of(value.__func__, depth + 1, path))
        if isinstance(value, property):
            return ("property", [self.of(f, depth + 1, path)
                                 for f in (value.fget, value.fset, value.fdel)])
        if isinstance(value, functools.partial):
            return ("partial", self.of(value.func, depth + 1, path),
                    self.of(value.args, depth + 1, path), self.of(value.keywords, depth + 1, path))
        if isinstance(value, types.MethodType):
            return ("method", self.of(value.__func__, depth + 1, path))
        if getattr(type(value), "__module__", None) == self.module:
            attrs = getattr(value, "__dict__", None)
            return ("instance", type(value).__qualname__,
                    self.of(dict(attrs), depth + 1, path) if type(attrs) is dict else None)
        return ("object", f"{type(value).__module__}.{type(value).__qualname__}",
                _repr(value))

    def _class(self, cls: type, depth: int, path: frozenset[int]) -> object:
        if cls.__module__ != self.module:
            return ("library class", f"{cls.__module__}.{cls.__qualname__}")
        if issubclass(cls, enum.Enum):
            members = [(k, self.of(m.value, depth + 1, path))
                       for k, m in cls.__members__.items()]
            return ("enum", cls.__qualname__, members)
        attrs = {k: self.of(v, depth + 1, path) for k, v in sorted(vars(cls).items())
                 if k not in CLASS_SLOTS}
        bases = [f"{b.__module__}.{b.__qualname__}" for b in cls.__bases__]
        return ("class", cls.__qualname__, bases, type(cls).__qualname__, attrs)

    def _function(self, fn: types.FunctionType, depth: int, path: frozenset[int]) -> object:
        if fn.__module__ != self.module:
            return ("library function", f"{fn.__module__}.{fn.__qualname__}")
        cells = []
        for cell in fn.__closure__ or ():
            try:
                cells.append(self.of(cell.cell_contents, depth + 1, path))
            except ValueError:
                cells.append("<empty cell>")
        return ("function", {
            "qualname": fn.__qualname__, "code": code_of(fn.__code__, self.raw),
            "defaults": self.of(fn.__defaults__, depth + 1, path),
            "kwdefaults": self.of(fn.__kwdefaults__, depth + 1, path),
            "annotations": self.of(fn.__annotations__, depth + 1, path),
            "closure": cells, "dict": self.of(dict(vars(fn)), depth + 1, path)})


def _repr(value: object) -> str:
    try:
        text = repr(value)
    except Exception as exc:
        text = f"<repr failed: {type(exc).__name__}>"
    return ADDRESS.sub("", text)[:MAX_REPR]


def _instructions(code: types.CodeType) -> list[tuple[object, ...]]:
    """The instructions, with what a compile of the def alone may spell differently undone.

    Python 3.11 compiles ``random.randint()`` as ``LOAD_GLOBAL NULL + random; LOAD_ATTR``
    when the module's own ``import random`` is in the same compile (``is_import_originated``),
    and as ``LOAD_GLOBAL random; LOAD_METHOD`` otherwise: the same behaviour, other bytes
    and cache sizes (so a jump may need an ``EXTENDED_ARG`` in one and not the other), and
    ``random.choice(x)(y)`` gets a ``PUSH_NULL`` first in one of them. So the method load is
    one opcode here, globals are named, jumps point at instruction indexes, ``EXTENDED_ARG``
    and ``PUSH_NULL`` are left out. (``raw=True`` compares the bytes as they are.)
    """
    everything = list(dis.get_instructions(code))
    instructions = [i for i in everything if i.opname not in UNSPELLED]
    index: dict[int, int] = {}
    position = 0
    for inst in everything:  # a jump to an EXTENDED_ARG goes to the instruction it extends
        index[inst.offset] = position
        position += inst.opname not in UNSPELLED
    found: list[tuple[object, ...]] = []
    line: int | None = None
    for inst in instructions:
        name = "LOAD_ATTR" if inst.opname == "LOAD_METHOD" else inst.opname
        arg = index.get(inst.argval, inst.argval) if inst.opcode in dis.hasjabs + dis.hasjrel \
            else inst.argval
        if isinstance(arg, types.CodeType):
            arg = code_of(arg)
        elif not isinstance(arg, PLAIN):
            arg = repr(arg)
        # (``positions``: 3.11+; before, an instruction starting no line keeps the last one)
        positions = getattr(inst, "positions", None)
        line = positions.lineno if positions is not None else inst.starts_line or line
        found.append((name, arg, line))
    return found


def code_of(code: types.CodeType, raw: bool = False) -> dict[str, object]:
    """A code object as data: what a fresh compile of the same source gives, line numbers too."""
    consts = [code_of(c, raw) if isinstance(c, types.CodeType) else repr(c)
              for c in code.co_consts]
    found: dict[str, object] = {  # in the order differences are looked for
        "co_firstlineno": code.co_firstlineno, "co_flags": code.co_flags, "co_consts": consts,
        "co_varnames": code.co_varnames, "co_freevars": code.co_freevars,
        "co_cellvars": code.co_cellvars,
        "lines": [line for _, _, line in code.co_lines()] if raw else None,
        "co_code": code.co_code.hex() if raw else _instructions(code)}
    if raw:
        found["co_names"] = code.co_names
    return found


def describe(value: object, module: str, raw: bool = False) -> object:
    """``value`` as plain data (``module``: the game module's name)."""
    return Describer(module, raw).of(value)


def describe_namespace(ns: dict[str, Any], module: str,
                       raw: bool = False) -> dict[str, object]:
    """Every name the game's source binds in ``ns``, described (import-system names left out)."""
    d = Describer(module, raw)
    return {k: d.of(v) for k, v in sorted(ns.items()) if k not in IMPORT_SYSTEM}


@dataclass(frozen=True)
class Difference:
    """One name whose value differs: where inside it, the engine's and the fresh value."""

    name: str
    where: str  # a path into the description: "code.co_firstlineno", "attrs._A__priv"
    engine: object
    fresh: object
    category: str

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "where": self.where, "category": self.category,
                "engine": _short(self.engine), "fresh": _short(self.fresh)}


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 600 else text[:600] + "…"


def _items(a: list[object], b: list[object]) -> list[tuple[str, object, object]]:
    """Two lists item by item, then what one has beyond the other (``[3:]``)."""
    parts: list[tuple[str, object, object]] = [(f"[{i}]", x, y)
                                               for i, (x, y) in enumerate(zip(a, b, strict=False))]
    if len(a) != len(b):
        n = min(len(a), len(b))
        parts.append((f"[{n}:]", a[n:], b[n:]))
    return parts


def _step(a: object, b: object) -> tuple[list[tuple[str, object, object]], bool]:
    """The parts of two descriptions of one shape, labelled (``[key]``, ``.attr``, ``[i]``)."""
    if isinstance(a, list) and isinstance(b, list):
        return _items(a, b), True
    if isinstance(a, dict) and isinstance(b, dict):
        keys = list(dict.fromkeys([*a, *b]))
        return [(f".{k}", a.get(k, "<missing>"), b.get(k, "<missing>")) for k in keys], True
    if not (isinstance(a, tuple) and isinstance(b, tuple) and a and b and a[0] == b[0]
            and isinstance(a[0], str) and len(a) == len(b)):
        return [], False
    if a[0] == "dict":  # ("dict", [(key, value), …]): by key
        da, db = dict(a[1]), dict(b[1])
        keys = list(dict.fromkeys([*da, *db]))
        return [(f"[{k}]", da.get(k, "<missing>"), db.get(k, "<missing>")) for k in keys], True
    if a[0] in ("list", "tuple", "set", "frozenset"):
        return _items(a[1], b[1]), True
    return [(f"[{i}]", x, y) for i, (x, y) in enumerate(zip(a, b, strict=True)) if i], True


def _first_difference(a: object, b: object, where: str) -> tuple[str, object, object]:
    """The first place two descriptions differ, as a path into them (``.code.co_firstlineno``,
    ``[2].attrs[lives]``), and the two differing parts."""
    parts, ok = _step(a, b)
    if ok:
        for label, x, y in parts:
            if x != y and label.endswith(":]"):  # what one list has beyond the other
                return where + label, x, y
            if x != y:
                return _first_difference(x, y, where + label)
    return where, a, b


def _kind(description: object) -> str:
    if isinstance(description, tuple) and description and isinstance(description[0], str):
        return description[0]
    return "value"


def _category(engine: object, fresh: object, where: str) -> str:
    """A divergence's kind, from the two whole descriptions and where they first differ."""
    if engine == "<missing>":
        return "name missing after reload"
    if fresh == "<missing>":
        return "name left over after reload"
    if _kind(engine) != _kind(fresh):
        return f"kind differs ({_kind(engine)} vs {_kind(fresh)})"
    owner = {"class": "class ", "instance": "instance's "}.get(_kind(fresh), "")
    if ".code" in where:
        if ".co_code" in where and where.endswith("[2]"):
            return f"{owner}function line numbers differ"
        for field in ("co_firstlineno", "co_flags", "co_consts", "co_code"):
            if field in where:
                return f"{owner}function {field} differs"
    for field in ("annotations", "closure", "defaults", "kwdefaults"):
        if f".{field}" in where:
            return f"{owner}function {field} differ"
    if _kind(fresh) == "enum":
        return "enum members differ"
    if _kind(fresh) == "class":
        return "class attribute differs"
    return f"value differs ({_kind(fresh)})"


def compare(engine: dict[str, object], fresh: dict[str, object]) -> list[Difference]:
    """Every name whose description differs between the engine's module and a fresh import."""
    found = []
    for name in sorted(set(engine) | set(fresh)):
        a, b = engine.get(name, "<missing>"), fresh.get(name, "<missing>")
        if a == b:
            continue
        where, x, y = _first_difference(a, b, "")
        category = _category(a, b, where)
        found.append(Difference(name, where.lstrip("."), x, y, category))
    return found
