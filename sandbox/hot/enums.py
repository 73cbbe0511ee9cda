"""Patching an Enum's members in place: added, removed and revalued on the running class.

``state = State.RUN`` kept by play must stay ``State.RUN`` — the same object, still an
instance of ``State`` — when ``JUMP = 3`` is added. So the running class keeps its members
(a revalued one keeps its identity and takes the new value), adopts the new class's added
members (their class is set to the running one) and drops the removed ones. The Enum
machinery's tables (``_member_map_``, ``_member_names_``, ``_value2member_map_``) are
rebuilt from the new class in place; ``type.__setattr__`` bypasses EnumType's guard
against reassigning members.
"""

from __future__ import annotations

import enum
from types import FunctionType
from typing import Any

from sandbox.hot.transaction import Journal

__all__ = ["EnumPatch", "patch_members"]

_TABLES = ("_member_map_", "_member_names_", "_value2member_map_", "_unhashable_values_")


class EnumPatch:
    """What patching an Enum's members did, by member name."""

    def __init__(self) -> None:
        self.added: list[str] = []
        self.removed: list[str] = []
        self.revalued: list[str] = []


def _adopt(old: type, new: type, journal: Journal, patch: EnumPatch) -> dict[int, Any]:
    """Running member for each of ``new``'s members (by id): kept, revalued or adopted."""
    old_map: dict[str, Any] = old.__dict__["_member_map_"]
    same: dict[int, Any] = {}
    # Every member under its own name: a flag's multi-bit member (``BIG = 24``) is one too,
    # though not in ``_member_names_``; an alias (its member has another name) is not.
    for name, member in new.__dict__["_member_map_"].items():
        if member._name_ != name:
            continue
        running = old_map.get(name)
        if running is not None and running._name_ == name:
            if running._value_ != member._value_:
                journal.save_attr(running, "_value_")
                running._value_ = member._value_
                patch.revalued.append(name)
        else:
            journal.save_class_of(member)
            member.__class__ = old
            if "__objclass__" in member.__dict__:
                journal.save_attr(member, "__objclass__")
                member.__dict__["__objclass__"] = old
            running = member
            patch.added.append(name)
        same[id(member)] = running
    return same


def _pseudo_members(old: type, new: type) -> dict[Any, Any]:
    """A flag's combinations made while playing (``Perm.R | Perm.W``) that stay valid.

    They live only in ``_value2member_map_``; a fresh start gives back the same object for
    the same value (``perm == Perm.R | Perm.W``), so one still meaning what it meant is kept.
    """
    if not issubclass(old, enum.Flag):
        return {}
    named = old.__dict__["_member_map_"]
    theirs: dict[Any, Any] = new.__dict__["_value2member_map_"]
    made = set(theirs)
    kept: dict[Any, Any] = {}
    for value, member in list(old.__dict__["_value2member_map_"].items()):
        if named.get(member._name_) is member:
            continue
        try:
            again = new(value)
        except (ValueError, TypeError):
            continue
        if again._name_ == member._name_ and again._name_ not in new.__dict__["_member_map_"]:
            kept[value] = member
    for value in [v for v in theirs if v not in made]:
        del theirs[value]  # asking made combinations of the new class: not its own
    return kept


def _rebuild_tables(old: type, new: type, same: dict[int, Any], journal: Journal) -> None:
    """``old``'s member tables made like ``new``'s, holding the running members."""
    pseudo = _pseudo_members(old, new)
    for table in _TABLES:
        theirs = new.__dict__.get(table)
        ours = old.__dict__.get(table)
        if ours is None or theirs is None:
            continue
        journal.save_contents(ours)
        if isinstance(ours, dict):
            ours.clear()
            if table == "_value2member_map_":
                ours.update(pseudo)
            ours.update({k: same.get(id(v), v) for k, v in theirs.items()})
        else:
            ours[:] = [same.get(id(v), v) for v in theirs]


def patch_members(old: type, new: type, journal: Journal) -> EnumPatch:
    """Give Enum ``old`` the members of ``new`` in place (the caller saved ``old``'s dict)."""
    patch = EnumPatch()
    before = dict(old.__dict__["_member_map_"])
    same = _adopt(old, new, journal, patch)
    _rebuild_tables(old, new, same, journal)
    for name, value in new.__dict__.items():
        if name in new.__dict__["_member_map_"]:
            type.__setattr__(old, name, same.get(id(value), value))
        elif (name.startswith("_") and name.endswith("_") and not name.startswith("__")
              and name not in _TABLES
              and not isinstance(value, (FunctionType, classmethod, staticmethod))):
            type.__setattr__(old, name, value)  # Flag masks and the like follow the members
    for name in before:
        if name not in new.__dict__["_member_map_"]:
            if name in old.__dict__:
                type.__delattr__(old, name)
            patch.removed.append(name)
    return patch


def is_enum(cls: type) -> bool:
    """True for an Enum class (members to patch in place)."""
    return isinstance(cls, enum.EnumMeta)
