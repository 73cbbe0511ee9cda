"""Patching functions in place, and fixing the line numbers of functions that moved.

A function is patched by giving the existing function object the new one's code, defaults,
docstring, annotations and attributes, so every reference handed out before (a callback in
a list, a bound method, ``from main import update``) runs the new code, at no call cost:
it stays a plain function. A function behind ``functools.wraps`` decorators is patched
through its ``__wrapped__`` chain. When the free variables differ, ``__code__`` cannot be
assigned and the caller rebinds the name instead.
"""

from __future__ import annotations

from types import CodeType, FunctionType
from typing import Any

from sandbox.hot.transaction import Journal, get_annotations, set_annotations

__all__ = ["forward", "functions_in", "patch_callable", "patch_function", "shift_code",
           "shift_functions"]

_MAX_WRAPPED = 16  # a __wrapped__ chain longer than this is a cycle or not worth following


def _wrapped(obj: object) -> object | None:
    try:
        return obj.__dict__.get("__wrapped__") if hasattr(obj, "__dict__") else None
    except Exception:  # a hostile __dict__; treat as not wrapped
        return None


def patch_function(old: FunctionType, new: FunctionType, journal: Journal, depth: int = 0) -> bool:
    """Give ``old`` the code and metadata of ``new``; False (nothing changed) if impossible."""
    if old is new:
        return True
    if old.__code__.co_freevars != new.__code__.co_freevars:
        return False
    inner_old, inner_new = _wrapped(old), _wrapped(new)
    wraps = inner_old is not None and inner_new is not None
    if wraps and depth < _MAX_WRAPPED and not patch_callable(inner_old, inner_new, journal,
                                                             depth + 1):
        return False
    journal.save_function(old)
    if old.__code__ is not new.__code__:
        journal.replaced_code[old.__code__] = new.__code__
    old.__code__ = new.__code__
    for name, old_cell, new_cell in zip(old.__code__.co_freevars, old.__closure__ or (),
                                        new.__closure__ or (), strict=False):
        if name == "__class__":
            continue  # the old cell already points at the class being patched
        try:
            value = new_cell.cell_contents
        except ValueError:
            continue
        if wraps and value is inner_new:
            continue  # the old cell keeps the old wrapped function, now patched
        try:
            if old_cell.cell_contents is value:
                continue
        except ValueError:
            pass
        journal.save_cell(old_cell)
        old_cell.cell_contents = value
    old.__defaults__ = new.__defaults__
    old.__kwdefaults__ = new.__kwdefaults__
    old.__doc__ = new.__doc__
    set_annotations(old, get_annotations(new))  # not evaluated: lazy ones stay lazy (3.14)
    old.__name__ = new.__name__
    old.__qualname__ = new.__qualname__
    # Attributes the new definition sets (decorators) are refreshed; runtime ones are kept.
    for key, value in new.__dict__.items():
        if key != "__wrapped__" or not wraps:
            old.__dict__[key] = value
    return True


def patch_callable(old: object, new: object, journal: Journal, depth: int = 0) -> bool:
    """Patch a function, or a decorator's wrapper object through ``__wrapped__``."""
    if isinstance(old, FunctionType) and isinstance(new, FunctionType):
        return patch_function(old, new, journal, depth)
    inner_old, inner_new = _wrapped(old), _wrapped(new)
    if (inner_old is None or inner_new is None or type(old) is not type(new)
            or depth >= _MAX_WRAPPED):
        return False
    if not patch_callable(inner_old, inner_new, journal, depth + 1):
        return False
    clear = getattr(old, "cache_clear", None)
    if callable(clear):  # functools.lru_cache: results of the old code are stale
        clear()
    return True


_FORWARDERS: dict[tuple[str, ...], CodeType] = {}


def _forwarder(freevars: tuple[str, ...]) -> CodeType:
    """Code that calls ``__hot_target__`` (a keyword-only default) with its arguments.

    It has exactly the free variables given, so it can be assigned to a function with
    those (``__code__`` assignment requires the same closure size).
    """
    code = _FORWARDERS.get(freevars)
    if code is None:
        names = ", ".join(freevars)
        keep = f"        if __hot_target__ is None:\n            ({names},)\n" if freevars else ""
        source = (f"def _outer({names}):\n"
                  "    def forward(*args, __hot_target__=None, **kwargs):\n"
                  f"{keep}"
                  "        return __hot_target__(*args, **kwargs)\n"
                  "    return forward\n")
        outer = compile(source, "<hot forward>", "exec", dont_inherit=True)
        made = next(c for c in outer.co_consts if isinstance(c, CodeType))
        code = next(c for c in made.co_consts if isinstance(c, CodeType))
        _FORWARDERS[freevars] = code
    return code


def forward(old: FunctionType, new: object, journal: Journal) -> bool:
    """Make ``old`` call ``new``: references to ``old`` run the new behaviour.

    For a function that cannot take the new code (its free variables differ: a decorator
    added or removed, a wrapper rebuilt). Costs one extra call, only through old references.
    """
    code = _forwarder(old.__code__.co_freevars)
    if code.co_freevars != old.__code__.co_freevars or not callable(new) or id(old) == id(new):
        return False
    journal.save_function(old)
    old.__code__ = code.replace(co_name=old.__code__.co_name,
                                co_filename=old.__code__.co_filename,
                                co_firstlineno=old.__code__.co_firstlineno)
    old.__defaults__ = None
    old.__kwdefaults__ = {"__hot_target__": new}
    return True


def defined_in(code: CodeType, filename: str, first: int, last: int) -> bool:
    """True when ``code`` was compiled from ``filename`` and starts on lines first..last."""
    return code.co_filename == filename and first <= code.co_firstlineno <= last


def shift_code(code: CodeType, delta: int) -> CodeType:
    """``code`` with every line number (nested code objects included) moved by ``delta``."""
    consts = code.co_consts
    if any(isinstance(c, CodeType) for c in consts):
        consts = tuple(shift_code(c, delta) if isinstance(c, CodeType) else c for c in consts)
    return code.replace(co_firstlineno=code.co_firstlineno + delta, co_consts=consts)


def functions_in(value: object, depth: int = 0) -> list[FunctionType]:
    """The plain functions inside ``value``: itself, a wrapped chain, or a descriptor's."""
    found: list[FunctionType] = []
    if depth > _MAX_WRAPPED:
        return found
    if isinstance(value, FunctionType):
        found.append(value)
    elif isinstance(value, (classmethod, staticmethod)):
        found.extend(functions_in(value.__func__, depth + 1))
    elif isinstance(value, property):
        for part in (value.fget, value.fset, value.fdel):
            if part is not None:
                found.extend(functions_in(part, depth + 1))
    inner = _wrapped(value)
    if inner is not None:
        found.extend(functions_in(inner, depth + 1))
    return found


def _shift_first_line(cls: type, delta: int, first: int, last: int, journal: Journal) -> None:
    """A class's ``__firstlineno__`` (3.13: ``inspect.getsource`` reads it) moves too."""
    line = cls.__dict__.get("__firstlineno__")
    if isinstance(line, int) and first <= line <= last:
        journal.save_class(cls)
        type.__setattr__(cls, "__firstlineno__", line + delta)


def shift_functions(value: object, delta: int, filename: str, first: int, last: int,
                    journal: Journal, seen: set[int] | None = None) -> int:
    """Move the line numbers of functions defined in ``filename`` lines first..last.

    ``value`` is a function, a decorated function, a descriptor or a class (whose methods
    and nested classes are visited). Returns how many functions were moved.
    """
    seen = set() if seen is None else seen
    if id(value) in seen or delta == 0:
        return 0
    moved = 0
    members: list[Any] = [value]
    if isinstance(value, type):
        seen.add(id(value))
        _shift_first_line(value, delta, first, last, journal)
        members = [v for k, v in value.__dict__.items() if k not in ("__dict__", "__weakref__")]
        members = [v for v in members if not isinstance(v, type)
                   or v.__qualname__.startswith(value.__qualname__ + ".")]
    for member in members:
        if isinstance(member, type) and member is not value:
            moved += shift_functions(member, delta, filename, first, last, journal, seen)
            continue
        for func in functions_in(member):
            code = func.__code__
            if id(func) in seen or not defined_in(code, filename, first, last):
                continue
            seen.add(id(func))
            journal.save_function(func)
            func.__code__ = shift_code(code, delta)
            # Closures its inner functions made take the shifted code too (follow_closures):
            # a later edit of this function must still find them by their code.
            journal.replaced_code[code] = func.__code__
            moved += 1
    return moved
