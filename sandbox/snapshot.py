"""Snapshots of a game's module-level state, for looped live editing (F6/F7).

A snapshot holds every module-level value of the game's modules that is not a function, class
or module, deep-copied. Values that cannot be copied (an SDL texture, a file) are kept by
reference and listed once, so the terminal can say which state a loop pass will not reset.
Restoring copies again, so the snapshot itself stays pristine across any number of passes.
All values of one snapshot are copied with one shared memo, so state that shares an object
(``player = balls[0]``, a ``from physics import world`` in main) still shares it after a restore.
Instances of game classes are copied with their class object, which the engine patches in
place, so a restored snapshot runs the new methods of a reload made during the loop.
The held input (keys, mouse, gamepads: ``sandbox.input.view``) is part of the snapshot as
plain data, so each pass starts with the keys that were held when recording started and no
key the last pass pressed stays down. The views games keep (``keyboard``, ``gamepads.get(0)``)
are live objects, never copied.
``carry_edits`` decides which values a reload during a loop carries into the snapshot (what
was edited is code; what play changed is not), with ``identities`` and ``rebound_names``; the
engine's report says which names the statements it ran bound (``ReloadReport.bound_names``).
"""

from __future__ import annotations

import copy
import inspect
import sys
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from sandbox.input import LiveView
from sandbox.input import view as held_input
from sandbox.input_state import InputState

__all__ = ["Snapshot", "carry_edits", "identities", "is_state", "rebound_names"]


def is_state(name: str, value: object) -> bool:
    """True for a module-level name that holds state rather than code or imports."""
    if name.startswith("__") or name == "hot":
        return False
    return not (
        isinstance(value, LiveView)  # keyboard, mouse, gamepads: the sandbox's, always live
        or inspect.ismodule(value)
        or inspect.isclass(value)
        or inspect.isroutine(value)
        or isinstance(value, (staticmethod, classmethod, property))
    )


@dataclass
class Snapshot:
    """Module-level state of a set of game modules at one moment."""

    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_reference: list[str] = field(default_factory=list)
    held: dict[str, Any] = field(default_factory=lambda: InputState().to_data())

    @classmethod
    def take(cls, modules: Mapping[str, ModuleType]) -> Snapshot:
        """Deep-copy the state of ``modules``; uncopyable values are kept by reference."""
        snap = cls(held=held_input.to_data())
        memo: dict[int, Any] = {}
        for mod_name, module in modules.items():
            saved: dict[str, Any] = {}
            for name, value in vars(module).items():
                if not is_state(name, value):
                    continue
                saved[name] = snap.copy_or_keep(f"{mod_name}.{name}", value, memo)
            snap.values[mod_name] = saved
        return snap

    def copy_or_keep(self, qualified: str, value: object,
                     memo: dict[int, Any] | None = None) -> object:
        """A deep copy of ``value``, or ``value`` itself (named in by_reference) if uncopyable."""
        memo = {} if memo is None else memo
        done = len(memo)
        # A failed copy leaves half-built objects whose __del__ complains on stderr
        # (sdl2.ext.Renderer does): drop them from the memo here, with the complaint muted.
        hook, sys.unraisablehook = sys.unraisablehook, _ignore
        try:
            try:
                return copy.deepcopy(value, memo)
            except Exception:  # any failure to copy (ctypes pointers, locks, files) means "keep"
                for key in list(memo)[done:]:
                    if key != id(memo):  # deepcopy's keep-alive list holds only originals
                        del memo[key]
                self.by_reference.append(qualified)
                return value
        finally:
            sys.unraisablehook = hook

    def restore(self, modules: Mapping[str, ModuleType]) -> None:
        """Put the saved values back into ``modules`` (copied again, so this can repeat).

        Names a reload removed stay removed; names it added keep their current values.
        The held input becomes the snapshot's too.
        """
        held_input.load(self.held)
        kept = set(self.by_reference)
        memo: dict[int, Any] = {}
        for mod_name, saved in self.values.items():
            module = modules.get(mod_name)
            if module is None:
                continue
            namespace = vars(module)
            for name, value in saved.items():
                if name not in namespace:
                    continue
                if f"{mod_name}.{name}" in kept:
                    namespace[name] = value
                else:
                    namespace[name] = copy.deepcopy(value, memo)

    def adopt(self, modules: Mapping[str, ModuleType], names: Iterable[tuple[str, str]]) -> None:
        """Take the current values of ``names`` into the snapshot (an edited constant).

        When a reload during a loop re-runs ``SPEED = 3``, the edit is code, not play: the
        next pass must start from the new value, not the recorded one.
        """
        for mod_name, name in names:
            module = modules.get(mod_name)
            if module is None or name not in vars(module):
                continue
            value = vars(module)[name]
            if is_state(name, value):
                self.values.setdefault(mod_name, {})[name] = self.copy_or_keep(
                    f"{mod_name}.{name}", value
                )

    def __str__(self) -> str:
        count = sum(len(v) for v in self.values.values())
        extra = f", {len(self.by_reference)} kept by reference" if self.by_reference else ""
        return f"snapshot of {count} values in {len(self.values)} modules{extra}"


def _ignore(unraisable: Any) -> None:
    """An unraisablehook that drops the report (see ``Snapshot.copy_or_keep``)."""


def rebound_names(
    before: Mapping[str, Mapping[str, object]], modules: Mapping[str, ModuleType]
) -> list[tuple[str, str]]:
    """Names whose value is a different object after a reload than ``before`` it."""
    changed: list[tuple[str, str]] = []
    for mod_name, module in modules.items():
        old = before.get(mod_name, {})
        for name, value in vars(module).items():
            if name in old and old[name] is not value and is_state(name, value):
                changed.append((mod_name, name))
    return changed


def identities(modules: Mapping[str, ModuleType]) -> dict[str, dict[str, object]]:
    """A shallow view of every module's namespace, to compare with after a reload."""
    return {name: dict(vars(module)) for name, module in modules.items()}


def _same(a: object, b: object) -> bool:
    try:
        return bool(a == b)
    except Exception:  # an ambiguous comparison (arrays) counts as changed
        return False


def carry_edits(snapshot: Snapshot, before: Mapping[str, Mapping[str, object]],
                modules: Mapping[str, ModuleType],
                edited: Set[tuple[str, str]] = frozenset()) -> list[tuple[str, str]]:
    """Take into ``snapshot`` the values a reload rebound that are code, not play.

    A name bound by a statement the reload ran (``edited``, the report's ``bound_names``:
    ``SPEED = 3``, a new ``enemies = [...]`` layout, a dependent's ``from physics import SPEED``)
    is adopted. Any other name the reload rebound is adopted only when play had not changed it
    since the snapshot (its value just before the reload still equalled the snapshot's): ``dx``
    rebound mid-pass by an ``after_reload`` handler keeps its recorded start, so every pass
    still starts from the same situation. Names and modules the reload added are adopted too,
    so they start each pass from their fresh value.
    """
    # Every name an edited statement bound, even to the object it had (``LIVES = 8`` when play
    # had made it 8: small ints are shared, so its identity did not change).
    names = [pair for pair in sorted(edited)
             if pair[0] in modules and pair[1] in vars(modules[pair[0]])]
    for mod_name, name in rebound_names(before, modules):
        saved = snapshot.values.get(mod_name, {})
        if (mod_name, name) not in edited and (name not in saved
                                               or _same(before[mod_name][name], saved[name])):
            names.append((mod_name, name))
    for mod_name, module in modules.items():
        old = before.get(mod_name, {})
        for name, value in vars(module).items():
            if name not in old and is_state(name, value):
                names.append((mod_name, name))
    snapshot.adopt(modules, names)
    return names
