"""Patching classes in place, and moving instances when a class cannot be patched.

A changed class keeps its identity: its methods are patched (or replaced), properties,
classmethods, staticmethods and class attributes that the edit touched are updated, removed
ones are deleted, so instances made before the reload use the new code and stay
``isinstance`` of it. Class attributes whose statement did not change keep their current
value, as module globals do. A dataclass that gains or loses fields gets its generated
methods regenerated and its existing instances the new field defaults.

Changing the bases, ``__slots__`` or the metaclass cannot be done in place: the caller
rebinds the name and :func:`migrate_instances` moves what it can. An Enum's members are
patched in place (:mod:`enums`).
"""

from __future__ import annotations

import dataclasses
import enum
import gc
import types
from dataclasses import dataclass, field
from types import FunctionType
from typing import Any

from sandbox.hot.enums import is_enum, patch_members
from sandbox.hot.names import ClassBody
from sandbox.hot.patch import forward, functions_in, patch_callable, shift_functions
from sandbox.hot.transaction import Journal

__all__ = ["ClassPatch", "changed_names", "migrate_instances", "move_first_line", "patch_class",
           "unpatchable"]

_SKIP = frozenset({"__dict__", "__weakref__", "__module__", "__qualname__", "_abc_impl"})
_MISSING: Any = object()
_LAYOUT = (types.MemberDescriptorType, types.GetSetDescriptorType)


@dataclass
class ClassPatch:
    """What patching one class did (qualified names for the report)."""

    patched: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)
    rebound: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # "Player: field size added"


def unpatchable(old: type, new: type) -> str | None:
    """Why ``old`` cannot take ``new``'s definition in place, or None when it can."""
    if type(old) is not type(new):
        return "metaclass changed"
    if old.__bases__ != new.__bases__:
        return "bases changed"
    if old.__dict__.get("__slots__") != new.__dict__.get("__slots__"):
        return "__slots__ changed"
    if old.__basicsize__ != new.__basicsize__ or old.__itemsize__ != new.__itemsize__:
        return "memory layout changed"
    if issubclass(old, tuple) and getattr(old, "_fields", None) != getattr(new, "_fields", None):
        return "fields changed"
    return None


def _class_cell_to(new: type, old: type) -> None:
    """Point the new body's ``__class__`` cell (zero-argument super) at the old class."""
    for value in new.__dict__.values():
        for func in functions_in(value):
            code = func.__code__
            if "__class__" in code.co_freevars and func.__closure__:
                cell = func.__closure__[code.co_freevars.index("__class__")]
                if cell.cell_contents is new:
                    cell.cell_contents = old
                    return


def _instances(cls: type) -> list[object]:
    # Only called when fields change or a class is rebound: a full heap walk is acceptable.
    return [o for o in gc.get_objects() if isinstance(o, cls) and not isinstance(o, type)]


def _field_default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return _MISSING


def _migrate_fields(cls: type, before: dict[str, Any], after: dict[str, Any],
                    journal: Journal) -> None:
    """Give instances of ``cls`` the added fields' defaults; drop the removed fields."""
    added = [f for n, f in after.items() if n not in before]
    removed = [n for n in before if n not in after]
    for obj in _instances(cls):
        attrs = getattr(obj, "__dict__", None)
        if attrs is None:
            continue
        for f in added:
            value = _field_default(f)
            if value is not _MISSING and f.name not in attrs:
                journal.save_attr(obj, f.name)
                attrs[f.name] = value
        for name in removed:
            if name in attrs:
                journal.save_attr(obj, name)
                del attrs[name]


def migrate_instances(old: type, new: type, journal: Journal) -> int:
    """Move instances of exactly ``old`` to ``new`` where their layout allows; count them."""
    if isinstance(old, enum.EnumMeta):
        return 0  # members are the new Enum's own objects
    moved = 0
    for obj in _instances(old):
        if type(obj) is not old:
            continue
        journal.save_class_of(obj)
        try:
            obj.__class__ = new
        except TypeError:
            continue
        moved += 1
    before = old.__dict__.get("__dataclass_fields__")
    after = new.__dict__.get("__dataclass_fields__")
    if moved and before is not None and after is not None and list(before) != list(after):
        _migrate_fields(new, before, after, journal)
    return moved


def changed_names(old_body: ClassBody, new_body: ClassBody,
                  rebound: frozenset[str]) -> set[str]:
    """Class attributes whose statements changed, read a rebound name, or read one of those.

    Class bodies follow the module's rules: ``A = 1; B = A * 2`` edited to ``A = 5`` makes
    ``B`` run again (10), as in a fresh start.
    """
    changed = {n for n, texts in new_body.texts.items()
               if old_body.texts.get(n) != texts
               or not rebound.isdisjoint(new_body.reads.get(n, ()))}
    grew = bool(changed)
    while grew:
        grew = False
        for n, reads in new_body.reads.items():
            if n not in changed and not changed.isdisjoint(reads):
                changed.add(n)
                grew = True
    return changed


class _ClassPatcher:
    """Moves one class statement's new definition onto the running class, step by step."""

    def __init__(self, old: type, new: type, journal: Journal, old_body: ClassBody | None,
                 new_body: ClassBody | None, rebound: frozenset[str],
                 recompile: bool = False) -> None:
        self.old, self.new, self.journal = old, new, journal
        self.old_body, self.new_body, self.rebound = old_body, new_body, rebound
        self.recompile = recompile
        self.result = ClassPatch()
        # None: no bodies to compare, so every attribute is updated.
        self.changed: set[str] | None = None
        self.stated: dict[str, tuple[str, ...]] = {}
        if old_body is not None and new_body is not None:
            self.stated = new_body.texts
            self.changed = changed_names(old_body, new_body, rebound)
            if recompile:  # new ``from __future__`` flags: every method's code is new
                self.changed |= {n for n, v in new.__dict__.items()
                                 if functions_in(v) or isinstance(v, type)}
        self.is_enum = is_enum(old)
        self.members: set[str] = set()
        if self.is_enum:
            self.members = (set(old.__dict__["_member_map_"])
                            | set(new.__dict__["_member_map_"]))
        self.prefix = old.__qualname__

    def run(self) -> ClassPatch:
        old, new = self.old, self.new
        fields_before = dict(old.__dict__.get("__dataclass_fields__") or {})
        self.journal.save_class(old)
        _class_cell_to(new, old)
        if self.is_enum:
            self._members()
        for name, value in new.__dict__.items():
            if name in _SKIP or name in self.members or isinstance(value, _LAYOUT):
                continue  # slot descriptors belong to the layout of the class that made them
            if self.is_enum and not (name in self.stated or isinstance(value, FunctionType)):
                continue  # the Enum machinery's own bookkeeping stays as it is
            self._attribute(name, value)
        self._remove_gone()
        fields_after = old.__dict__.get("__dataclass_fields__")
        if fields_after is not None and list(fields_before) != list(fields_after):
            _migrate_fields(old, fields_before, fields_after, self.journal)
            self._fields(list(fields_before), list(fields_after))
        return self.result

    def _fields(self, before: list[str], after: list[str]) -> None:
        """Say what happened to a dataclass's fields, rather than to its attributes."""
        result, prefix = self.result, self.prefix
        for verb, names, listed in (("added", [n for n in after if n not in before],
                                     result.added),
                                    ("removed", [n for n in before if n not in after],
                                     result.removed)):
            if names:
                listed[:] = [q for q in listed if q not in {f"{prefix}.{n}" for n in names}]
                word = "field" if len(names) == 1 else "fields"
                result.fields.append(f"{prefix}: {word} {', '.join(names)} {verb}")
        if not result.fields:
            result.fields.append(f"{prefix}: fields reordered")

    def _members(self) -> None:
        patch = patch_members(self.old, self.new, self.journal)
        self.result.added.extend(f"{self.prefix}.{n}" for n in patch.added)
        self.result.removed.extend(f"{self.prefix}.{n}" for n in patch.removed)
        self.result.attributes.extend(f"{self.prefix}.{n}" for n in patch.revalued)

    def _attribute(self, name: str, value: Any) -> None:
        current = self.old.__dict__.get(name, _MISSING)
        in_body = name in self.stated
        if (self.changed is not None and in_body and name not in self.changed
                and current is not _MISSING):
            self._keep(current, value)
            return
        if (isinstance(current, type) and isinstance(value, type)
                and unpatchable(current, value) is None):
            self._nested(name, current, value)
            return
        self._update(name, current, value)
        if not in_body:
            return
        qualname = f"{self.prefix}.{name}"
        if current is _MISSING:
            self.result.added.append(qualname)
        elif functions_in(value):
            self.result.patched.append(qualname)
        else:
            self.result.attributes.append(qualname)

    def _keep(self, current: Any, value: Any) -> None:
        """Unchanged statement: keep the value, fix line numbers if it moved."""
        for old_f, new_f in zip(functions_in(current), functions_in(value), strict=False):
            delta = new_f.__code__.co_firstlineno - old_f.__code__.co_firstlineno
            code = old_f.__code__
            shift_functions(old_f, delta, code.co_filename, code.co_firstlineno,
                            code.co_firstlineno, self.journal)
        if isinstance(current, type) and isinstance(value, type):
            move_first_line(current, value, self.journal)

    def _nested(self, name: str, current: type, value: type) -> None:
        old_body, new_body = self.old_body, self.new_body
        inner = patch_class(current, value, self.journal,
                            old_body=old_body.nested.get(name) if old_body else None,
                            new_body=new_body.nested.get(name) if new_body else None,
                            rebound=self.rebound, recompile=self.recompile)
        for part in ("patched", "added", "attributes", "rebound", "removed", "fields"):
            getattr(self.result, part).extend(getattr(inner, part))

    def _update(self, name: str, current: Any, value: Any) -> None:
        """Patch the attribute in place, or set the new value."""
        if current is not _MISSING and _patch_member(self.old, name, current, value,
                                                     self.journal):
            return
        setattr(self.old, name, value)
        if (current is not _MISSING and not isinstance(current, property)
                and functions_in(current) and functions_in(value)):
            self.result.rebound.append(f"{self.prefix}.{name}: free variables changed")
            _forward_member(current, value, self.journal)

    def _remove_gone(self) -> None:
        """Attributes the new body no longer binds leave the class."""
        old, new = self.old, self.new
        for name in list(old.__dict__):
            if (name in _SKIP or name in new.__dict__ or name in self.members
                    or isinstance(old.__dict__[name], _LAYOUT)):
                continue
            bound_before = self.old_body is not None and name in self.old_body.texts
            if bound_before or self.changed is None or name.startswith("__"):
                delattr(old, name)
                self.result.removed.append(f"{self.prefix}.{name}")


def _forward_member(current: Any, value: Any, journal: Journal) -> None:
    """A method replaced, not patched: references taken before (``foo = Foo.foo``) follow."""
    unwrap = (classmethod, staticmethod)
    old_func = current.__func__ if isinstance(current, unwrap) else current
    new_func = value.__func__ if isinstance(value, unwrap) else value
    if isinstance(old_func, FunctionType) and type(current) is type(value):
        forward(old_func, new_func, journal)  # same kind: the same arguments arrive


def move_first_line(old: type, new: type, journal: Journal) -> None:
    """``__firstlineno__`` (3.13, ``inspect.getsource``) of ``old`` taken from ``new``."""
    line = new.__dict__.get("__firstlineno__")
    if line is not None and old.__dict__.get("__firstlineno__") != line:
        journal.save_class(old)
        type.__setattr__(old, "__firstlineno__", line)


def patch_class(old: type, new: type, journal: Journal, *, old_body: ClassBody | None = None,
                new_body: ClassBody | None = None,
                rebound: frozenset[str] = frozenset(), recompile: bool = False) -> ClassPatch:
    """Update ``old`` in place from ``new`` (check :func:`unpatchable` first).

    With the bodies of both class statements, only the attributes whose statements changed
    (or read a name in ``rebound``, or an attribute that changed) are updated; without them,
    every attribute is.
    """
    return _ClassPatcher(old, new, journal, old_body, new_body, rebound, recompile).run()


def _patch_member(owner: type, name: str, current: Any, value: Any, journal: Journal) -> bool:
    """Patch one class attribute in place; False when it must be replaced instead."""
    # Before the __wrapped__ test: since 3.10 classmethod and staticmethod have a __wrapped__
    # member, which patch_callable (it follows __dict__) does not see, so they were replaced,
    # and a method captured before the edit (``spawn = Enemy.spawn``) kept the old code.
    if isinstance(current, (classmethod, staticmethod)):
        return type(current) is type(value) and patch_callable(current.__func__, value.__func__,
                                                               journal)
    if isinstance(current, FunctionType) or hasattr(current, "__wrapped__"):
        return patch_callable(current, value, journal)
    if type(current) is property and type(value) is property:
        # Patch getter, setter and deleter in place; a property that gained or lost one
        # (a new ``@x.setter``) is then replaced, its kept functions patched all the same.
        parts = [(current.fget, value.fget), (current.fset, value.fset),
                 (current.fdel, value.fdel)]
        patched = [patch_callable(a, b, journal) for a, b in parts if a is not None
                   and b is not None]
        return all(patched) and all((a is None) == (b is None) for a, b in parts)
    return False
