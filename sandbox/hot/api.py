"""What games import: reload handlers and queries, acting on the active reloader.

``from sandbox import hot`` gives a game ``before_reload``, ``after_reload``,
``has_module_changed``, ``has_any_module_changed`` and ``perform_code_reload``. They act on
the *active* reloader (the most recent one not closed). With none active they are harmless
no-ops, so a game module can still be imported by plain Python.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Protocol, TypeVar

from sandbox.hot.handlers import HandlerRegistry

__all__ = [
    "after_reload",
    "before_reload",
    "get_active",
    "has_any_module_changed",
    "has_module_changed",
    "perform_code_reload",
    "set_active",
]

F = TypeVar("F", bound=Callable[[], object])


class Reloader(Protocol):
    """What the handler API needs of a reloader (the real one is ``hot.Reloader``).

    A protocol, not an import: the reloader imports this module to become active, so this
    module importing the reloader back would be a cycle.
    """

    handlers: HandlerRegistry
    changing: frozenset[str]
    reload_requested: bool

    def tracked(self, name: str) -> object | None:
        """The engine's record of module ``name``, if tracked."""

    def has_any_module_changed(self) -> bool:
        """True when a tracked file differs on disk from what runs."""

_active: list[Reloader] = []


def get_active() -> Reloader | None:
    """The active reloader (the most recent one not closed), or None."""
    return _active[-1] if _active else None


def set_active(reloader: Reloader, active: bool) -> None:
    """Make ``reloader`` the active one, or forget it (``active=False``)."""
    if reloader in _active:
        _active.remove(reloader)
    if active:
        _active.append(reloader)


def _owner(func: Callable[[], object]) -> Reloader | None:
    """The reloader tracking ``func``'s module (the active one when none does)."""
    module = getattr(func, "__module__", None)
    for r in reversed(_active):
        if module is not None and r.tracked(module) is not None:
            return r
    return get_active()


def before_reload(func: F) -> F:
    """Register ``func`` to run before every reload; returns it unchanged."""
    r = _owner(func)
    if r is not None:
        r.handlers.register("before", func)
    return func


def after_reload(func: F) -> F:
    """Register ``func`` to run after every reload (with the new code); returns it unchanged."""
    r = _owner(func)
    if r is not None:
        r.handlers.register("after", func)
    return func


def has_module_changed(module: ModuleType | str) -> bool:
    """True inside a handler when ``module`` (object or name) is changed by this reload."""
    r = get_active()
    if r is None:
        return False
    name = module if isinstance(module, str) else module.__name__
    return name in r.changing


def has_any_module_changed() -> bool:
    """True when a game file changed on disk and is not reloaded yet."""
    r = get_active()
    return r.has_any_module_changed() if r is not None else False


def perform_code_reload() -> None:
    """Ask the host to reload at the end of this frame."""
    r = get_active()
    if r is not None:
        r.reload_requested = True
