"""What a game's modules reach: their globals, their classes, their module-level containers.

Some edits must find objects no name points at: the function a registering decorator put in
a list, the closures an edited factory made. Walking the whole heap (``gc.get_objects()``)
costs tens of milliseconds in a large game, so the search starts at the game's module
namespaces and goes a few levels down through containers, plain instances, closures and
``__wrapped__`` chains — where games keep these things — and stops there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from types import CodeType, FunctionType, ModuleType
from typing import Any

from sandbox.hot.patch import defined_in
from sandbox.hot.transaction import Journal

__all__ = ["find_function", "follow_closures", "inner_cells_changed", "purge", "reachable"]

_CONTAINERS = (list, dict, set)
_MAX_DEPTH = 3
_MAX_OBJECTS = 20_000  # a data-heavy module: stop rather than freeze the frame
_COMPREHENSIONS = frozenset({"<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>"})


def _children(obj: object) -> Iterable[Any]:
    """What ``obj`` holds that a game would keep a function or a registry in."""
    if isinstance(obj, (list, tuple, set, frozenset)):
        return obj
    if isinstance(obj, dict):
        return obj.values()
    if isinstance(obj, FunctionType):
        found: list[Any] = [c.cell_contents for c in obj.__closure__ or () if _filled(c)]
        wrapped = obj.__dict__.get("__wrapped__")
        return found if wrapped is None else [wrapped, *found]
    if isinstance(obj, (classmethod, staticmethod)):
        return [obj.__func__]
    if isinstance(obj, (type, ModuleType, str, bytes, int, float)):
        return ()
    attrs = getattr(obj, "__dict__", None)
    return attrs.values() if isinstance(attrs, dict) else ()


def _filled(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018 - an empty cell raises
    except ValueError:
        return False
    return True


def reachable(roots: Iterable[object], depth: int = _MAX_DEPTH) -> Iterator[object]:
    """Objects reachable from ``roots`` within ``depth`` steps, each once, roots first."""
    seen: set[int] = set()
    level = list(roots)
    for _ in range(depth + 1):
        following: list[Any] = []
        for obj in level:
            if id(obj) in seen or len(seen) > _MAX_OBJECTS:
                continue
            seen.add(id(obj))
            yield obj
            following.extend(_children(obj))
        level = following


def find_function(roots: Iterable[object], name: str, filename: str, first: int,
                  last: int) -> FunctionType | None:
    """The function ``name`` compiled from ``filename`` lines first..last, if reachable."""
    for obj in reachable(roots):
        if (isinstance(obj, FunctionType) and obj.__code__.co_name == name
                and defined_in(obj.__code__, filename, first, last)):
            return obj
    return None


def _without(obj: object, ids: set[int], journal: Journal) -> int:
    """Remove the objects in ``ids`` from a list, dict (by value) or set; count them."""
    if isinstance(obj, list):
        if not any(id(x) in ids for x in obj):
            return 0
        journal.save_contents(obj)
        before = len(obj)
        obj[:] = [x for x in obj if id(x) not in ids]
        return before - len(obj)
    if isinstance(obj, dict):
        keys = [k for k, x in obj.items() if id(x) in ids]
    elif isinstance(obj, set):
        keys = [x for x in obj if id(x) in ids]
    else:
        return 0
    if keys:
        journal.save_contents(obj)
    for key in keys:
        if isinstance(obj, dict):
            del obj[key]
        else:
            obj.discard(key)
    return len(keys)


def purge(namespaces: Iterable[dict[str, Any]], gone: list[object], journal: Journal) -> int:
    """Remove ``gone`` objects from the containers the game's modules reach; count them.

    A registering decorator run again registers the new function; the old one must leave
    the lists, dicts and sets it was registered in, as after a fresh start.
    """
    ids = {id(o) for o in gone}
    roots = [v for ns in namespaces for v in ns.values()]
    return sum(_without(obj, ids, journal) for obj in reachable(roots)
               if isinstance(obj, _CONTAINERS))


def _nested(old: CodeType, new: CodeType, pairs: dict[CodeType, CodeType]) -> None:
    """Pair the code of inner functions of ``old`` with ``new``'s, by qualified name."""
    olds = [c for c in old.co_consts if isinstance(c, CodeType)]
    news = {_qualname(c): c for c in new.co_consts if isinstance(c, CodeType)}
    for code in olds:
        twin = news.get(_qualname(code))
        if twin is None:
            continue
        if (twin != code and code.co_name not in _COMPREHENSIONS
                and twin.co_freevars == code.co_freevars):
            pairs[code] = twin
        _nested(code, twin, pairs)


def inner_cells_changed(old: CodeType, new: CodeType) -> bool:
    """True when an inner function of ``new`` closes over other names than ``old``'s.

    Closures the old code made cannot take the new inner code (their cells differ): the
    statements that made them must run again, as a fresh start would run them.
    """
    news = {_qualname(c): c for c in new.co_consts if isinstance(c, CodeType)}
    for code in old.co_consts:
        if not isinstance(code, CodeType):
            continue
        twin = news.get(_qualname(code))
        if twin is not None and (twin.co_freevars != code.co_freevars
                                 or inner_cells_changed(code, twin)):
            return True
    return False


def _qualname(code: CodeType) -> str:
    return str(getattr(code, "co_qualname", code.co_name))


def follow_closures(namespaces: Callable[[], Iterable[dict[str, Any]]],
                    replaced: dict[CodeType, CodeType], journal: Journal) -> int:
    """Give functions made by replaced code's inner functions the new inner code; count them.

    ``def crunch(fn): def deco(*a): ...`` edited: ``munch = crunch(munch)`` made before holds
    the old ``deco`` code; it runs the new one after this, through old references too.
    """
    pairs: dict[CodeType, CodeType] = {}
    for old, new in replaced.items():
        _nested(old, new, pairs)
    if not pairs:
        return 0  # the usual edit: no inner function changed, nothing to look for
    roots: list[object] = []
    for ns in namespaces():
        for value in ns.values():
            roots.append(value)
            if isinstance(value, type):
                roots.extend(value.__dict__.values())
    moved = 0
    for obj in reachable(roots):
        if isinstance(obj, FunctionType) and obj.__code__ in pairs:
            journal.save_function(obj)
            obj.__code__ = pairs[obj.__code__]
            moved += 1
    return moved
