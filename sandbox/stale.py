"""Objects a reload cannot reach: made before an edit to how their class builds them.

Hot reload patches a class in place, so its methods change for every object, but no
object is built again: an Enemy made before ``self.age = 0`` was added to ``__init__`` has
no ``age``, and one made before ``speed: int = 4`` (was 2) of a dataclass still holds 2. A
person who made the edit expects to see it, so after each reload that changed code the host
asks :meth:`StaleObjects.check`, which tells one Notice: "existing Enemy objects were made
before this change: press F5 to restart" (Flutter's "hot restart needed"). When the game
trips over a missing attribute anyway, the panel's hint says the same
(``events.errors.stale_object_hint``).

The rule, chosen to be sound rather than to guess:

- only classes bound at the top level of a game module and defined there count;
- a class counts when this reload made its ``__init__`` (or a method it calls on the
  object) assign an attribute it did not assign before (``init_attributes``), or changed
  the plain ``default`` of one of its dataclass fields (a ``default_factory`` would have to
  be called, which runs game code); "before" is what was remembered after start-up, the
  last reload that changed code, or the last hot restart;
- an object counts when it is an instance of that class reachable from a game module's
  globals (a name, or inside lists, tuples, sets, dicts and objects' attributes, a few
  levels deep, at most ``_MAX_OBJECTS`` objects) that lacks the new attribute (neither it nor
  its class has one), or whose field still holds the old default. One whose value play
  changed since is not told about: a restart's default would not have reached it either.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from types import CodeType, ModuleType
from typing import TYPE_CHECKING, Any

from sandbox.events import Notice
from sandbox.events.errors import init_attributes

if TYPE_CHECKING:
    from sandbox.hot import ReloadReport

__all__ = ["StaleObjects", "changed_defaults", "class_facts", "stale_notice"]

Key = tuple[str, str]  # (module, class name)
Defaults = dict[Key, dict[str, Any]]  # class -> {field: default}
Attributes = dict[Key, frozenset[str]]  # class -> what its __init__ assigns
_MAX_DEPTH = 4  # module global -> list -> object -> list of objects: deep enough for games
_MAX_OBJECTS = 20_000  # a bounded walk: a huge world is sampled, never stalls the frame


def _game_classes(modules: dict[str, ModuleType]) -> Iterator[tuple[Key, type]]:
    for mod_name, module in modules.items():
        for name, value in list(vars(module).items()):
            if isinstance(value, type) and value.__module__ == mod_name:
                yield (mod_name, name), value


def class_facts(modules: dict[str, ModuleType]) -> tuple[Defaults, Attributes]:
    """Per game class: its dataclass fields' plain defaults, and what its ``__init__`` assigns."""
    defaults: Defaults = {}
    attributes: Attributes = {}
    for key, cls in _game_classes(modules):
        if dataclasses.is_dataclass(cls):
            defaults[key] = {f.name: f.default for f in dataclasses.fields(cls)
                             if f.default is not dataclasses.MISSING}
        if isinstance(getattr(getattr(cls, "__init__", None), "__code__", None), CodeType):
            attributes[key] = init_attributes(cls)
    return defaults, attributes


def _differs(a: object, b: object) -> bool:
    try:
        return not bool(a == b)
    except Exception:  # an ambiguous comparison (arrays) counts as a change
        return True


def changed_defaults(before: Defaults, after: Defaults) -> Defaults:
    """Per class, the fields whose default changed: field -> the old default."""
    changed: Defaults = {}
    for key, fields in after.items():
        old = before.get(key, {})
        moved = {f: old[f] for f, default in fields.items()
                 if f in old and _differs(old[f], default)}
        if moved:
            changed[key] = moved
    return changed


def _new_attributes(before: Attributes, after: Attributes) -> Attributes:
    """Per class whose ``__init__`` was known before, the attributes it assigns only now."""
    return {key: names - before[key] for key, names in after.items()
            if key in before and names - before[key]}


def _reachable(modules: dict[str, ModuleType]) -> Iterator[object]:
    """Objects reachable from the modules' globals, breadth first, each once, bounded."""
    seen: set[int] = set()
    level: list[object] = [v for m in modules.values() for v in list(vars(m).values())]
    for _ in range(_MAX_DEPTH):
        following: list[object] = []
        for obj in level:
            if id(obj) in seen or isinstance(obj, (type, ModuleType, str, bytes, int, float)):
                continue
            seen.add(id(obj))
            if len(seen) > _MAX_OBJECTS:
                return
            yield obj
            following.extend(_children(obj))
        level = following


def _children(obj: object) -> list[object]:
    if isinstance(obj, dict):
        return list(obj.values())
    if isinstance(obj, (list, tuple, set, frozenset)):
        return list(obj)
    return list(_state(obj).values())


def _state(obj: object) -> dict[str, Any]:
    try:
        attributes = getattr(obj, "__dict__", None)
    except Exception:  # a __dict__ property that raises: nothing to look into
        return {}
    return attributes if isinstance(attributes, dict) else {}


def _reasons(obj: object, defaults: dict[str, Any], attributes: frozenset[str]) -> list[str]:
    """Why ``obj`` is stale: "Enemy.__init__ now sets age", "Enemy.speed keeps ... 2"."""
    cls, state = type(obj), _state(obj)
    reasons = [f"{cls.__name__}.__init__ now sets {a}" for a in sorted(attributes)
               if a not in state and not hasattr(cls, a)]
    reasons += [f"{cls.__name__}.{f} keeps its old default {old!r}"
                for f, old in defaults.items() if f in state and not _differs(state[f], old)]
    return reasons


def stale_notice(defaults: Defaults, attributes: Attributes,
                 modules: dict[str, ModuleType]) -> Notice | None:
    """One Notice for the objects made before the changes, or None when there are none.

    ``defaults``: per class the fields whose default changed (field -> old default);
    ``attributes``: per class the attributes its ``__init__`` assigns only now.
    """
    classes: dict[type, Key] = {}
    for key in (*defaults, *attributes):
        cls = getattr(modules.get(key[0]), key[1], None)
        if isinstance(cls, type):
            classes[cls] = key
    if not classes:
        return None
    stale: dict[type, list[str]] = {}
    for obj in _reachable(modules):
        found = classes.get(type(obj))
        if found is None:
            continue
        for reason in _reasons(obj, defaults.get(found, {}), attributes.get(found, frozenset())):
            told = stale.setdefault(type(obj), [])
            if reason not in told:
                told.append(reason)
    if not stale:
        return None
    names = ", ".join(cls.__name__ for cls in stale)
    why = "; ".join(reason for reasons in stale.values() for reason in reasons)
    return Notice(f"existing {names} objects were made before this change: press F5 to "
                  f"restart ({why})")


class StaleObjects:
    """Remembers how game classes build objects, and tells when a reload left some behind.

    The host calls :meth:`remember` after start-up and after a hot restart, wraps every
    reload in :meth:`around_reload` (which notes the modules it changed) and calls
    :meth:`check` once the reload's line is out, so the Notice follows it.
    """

    def __init__(self, modules: Callable[[], dict[str, ModuleType]],
                 emit: Callable[[object], None]) -> None:
        self.modules = modules
        self.emit = emit
        self.defaults: Defaults = {}
        self.attributes: Attributes = {}
        self.changed: set[str] = set()  # modules reloaded since the last check

    def remember(self) -> None:
        """Take every game class as it is now (after start-up and after a hot restart)."""
        self.defaults, self.attributes = class_facts(self.modules())
        self.changed.clear()

    def around_reload(self, reload: Callable[[], ReloadReport]) -> ReloadReport:
        """Run ``reload``, noting the modules whose new code is live."""
        report = reload()
        if report.ok:
            self.changed.update(report.changed)
        return report

    def check(self) -> None:
        """After a reload that changed code: one Notice if objects were made the old way.

        Only the reloaded modules' classes are looked at again (a class changes only when
        its module is reloaded); their objects are looked for in every module.
        """
        modules = self.modules()
        reloaded = {name: modules[name] for name in sorted(self.changed) if name in modules}
        self.changed.clear()
        defaults, attributes = class_facts(reloaded)
        changed = changed_defaults(self.defaults, defaults)
        added = _new_attributes(self.attributes, attributes)
        self.defaults.update(defaults)
        self.attributes.update(attributes)
        notice = stale_notice(changed, added, modules) if changed or added else None
        if notice is not None:
            self.emit(notice)
