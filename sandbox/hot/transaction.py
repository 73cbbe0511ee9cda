"""An undo journal: everything a reload mutates is recorded first, so it can be put back.

Each ``save_*`` call records how to restore one thing as it is now; :meth:`Journal.rollback`
restores them in reverse order. Saving the same object twice is harmless (the earliest
record is restored last, so it wins).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import CellType, CodeType, FunctionType, ModuleType
from typing import Any

__all__ = ["LAZY_ANNOTATIONS", "Journal", "get_annotations", "set_annotations"]

_MISSING: Any = object()
# Attributes of a class that cannot (and need not) be written back.
_UNWRITABLE = frozenset({"__dict__", "__weakref__"})
# PEP 649 (3.14): reading ``__annotations__`` evaluates them, which may raise (a name imported
# under TYPE_CHECKING); ``__annotate__`` is what to save and copy instead.
LAZY_ANNOTATIONS = sys.version_info >= (3, 14)


def get_annotations(func: FunctionType) -> tuple[bool, Any]:
    """``(lazy, value)``: the function's ``__annotate__`` when lazy, else ``__annotations__``."""
    if LAZY_ANNOTATIONS:
        annotate = getattr(func, "__annotate__", None)
        if annotate is not None:
            return True, annotate
    return False, func.__annotations__


def set_annotations(func: FunctionType, saved: tuple[bool, Any]) -> None:
    """Put back what :func:`get_annotations` returned (of this function or another)."""
    lazy, value = saved
    if lazy:
        func.__annotate__ = value  # type: ignore[attr-defined,unused-ignore]
    else:
        func.__annotations__ = value


class Journal:
    """Records how to undo each mutation; :meth:`rollback` undoes them all."""

    def __init__(self) -> None:
        self._undo: list[Callable[[], None]] = []
        self._functions: set[int] = set()
        self._classes: set[int] = set()
        self._namespaces: set[int] = set()
        self._contents: set[int] = set()
        # Code objects this reload replaced, old to new: functions their inner functions made
        # (closures) follow them (``reach.follow_closures``).
        self.replaced_code: dict[CodeType, CodeType] = {}

    def __len__(self) -> int:
        return len(self._undo)

    def save_namespace(self, ns: dict[str, Any]) -> None:
        """Record a module namespace (a shallow copy: names, not the objects they hold)."""
        if id(ns) in self._namespaces:
            return
        self._namespaces.add(id(ns))
        copy = dict(ns)

        def undo() -> None:
            ns.clear()
            ns.update(copy)

        self._undo.append(undo)

    def save_function(self, func: FunctionType) -> None:
        """Record a function's code, defaults, doc, annotations, names and attributes."""
        if id(func) in self._functions:
            return
        self._functions.add(id(func))
        state = (func.__code__, func.__defaults__, func.__kwdefaults__, func.__doc__,
                 dict(func.__dict__), func.__name__, func.__qualname__)
        annotations = get_annotations(func)

        def undo() -> None:
            (func.__code__, func.__defaults__, func.__kwdefaults__, func.__doc__,
             attrs, func.__name__, func.__qualname__) = state
            set_annotations(func, annotations)
            func.__dict__.clear()
            func.__dict__.update(attrs)

        self._undo.append(undo)

    def save_contents(self, container: list[Any] | dict[Any, Any] | set[Any]) -> None:
        """Record what a module-level list, dict or set holds (a shallow copy)."""
        if id(container) in self._contents:
            return
        self._contents.add(id(container))
        if isinstance(container, list):
            items = list(container)

            def undo() -> None:
                container[:] = items
        else:
            copy = container.copy()

            def undo() -> None:
                container.clear()
                container.update(copy)

        self._undo.append(undo)

    def save_cell(self, cell: CellType) -> None:
        """Record a closure cell's contents."""
        try:
            value = cell.cell_contents
        except ValueError:
            value = _MISSING

        def undo() -> None:
            if value is _MISSING:
                del cell.cell_contents
            else:
                cell.cell_contents = value

        self._undo.append(undo)

    def save_class(self, cls: type) -> None:
        """Record a class's own attributes (its ``__dict__``)."""
        if id(cls) in self._classes:
            return
        self._classes.add(id(cls))
        copy = dict(cls.__dict__)

        # type's own setattr: a metaclass guarding its attributes (EnumType refuses to
        # reassign or delete a member) must not stop the class being put back as it was.
        def undo() -> None:
            for name in [n for n in cls.__dict__ if n not in copy]:
                type.__delattr__(cls, name)
            for name, value in copy.items():
                if name not in _UNWRITABLE and cls.__dict__.get(name, _MISSING) is not value:
                    type.__setattr__(cls, name, value)

        self._undo.append(undo)

    def save_attr(self, obj: object, name: str) -> None:
        """Record one entry of an instance's ``__dict__`` (present or not)."""
        attrs = obj.__dict__
        value = attrs.get(name, _MISSING)

        def undo() -> None:
            if value is _MISSING:
                attrs.pop(name, None)
            else:
                attrs[name] = value

        self._undo.append(undo)

    def save_class_of(self, obj: object) -> None:
        """Record which class an instance belongs to (before moving it to another)."""
        cls = obj.__class__

        def undo() -> None:
            obj.__class__ = cls

        self._undo.append(undo)

    def save_new_module(self, name: str, forget: Callable[[str], None]) -> None:
        """Record a module imported during the reload: rollback removes it again."""

        def undo() -> None:
            module: ModuleType | None = sys.modules.pop(name, None)
            del module
            forget(name)

        self._undo.append(undo)

    def call(self, undo: Callable[[], None]) -> None:
        """Record an arbitrary undo step."""
        self._undo.append(undo)

    def rollback(self) -> list[BaseException]:
        """Undo everything, newest first; returns the errors of undo steps that failed."""
        errors: list[BaseException] = []
        while self._undo:
            step = self._undo.pop()
            try:
                step()
            except Exception as exc:  # keep undoing the rest; report what could not be undone
                errors.append(exc)
        self._functions.clear()
        self._classes.clear()
        self._namespaces.clear()
        self._contents.clear()
        self.replaced_code.clear()
        return errors
