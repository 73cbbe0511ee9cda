"""The input hooks a game may define, and how each is called: by its parameters' names.

As in Pygame Zero, a hook takes any of its arguments, in any order, by name, so all of these
work::

    def on_mouse_down(): ...
    def on_mouse_down(pos): ...
    def on_mouse_down(button, pos): ...

A parameter that is not one of the hook's arguments is reported (``check_hooks`` lists it at
load and on every reload, with what the hook offers) and the hook is not called until it is
fixed. A parameter with a default and ``**kwargs`` are left alone; ``*args`` with no named
argument (``on_mouse_down = print``) gets all of them in the order above, as does a callable
with no signature to read.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import CodeType
from typing import Any

__all__ = ["INPUT_HOOKS", "HookSignatureError", "arguments_for", "signature_problem"]

# hook → the arguments it offers (names and meanings in README.md's "Input").
INPUT_HOOKS: dict[str, tuple[str, ...]] = {
    "on_key_down": ("key",),
    "on_key_up": ("key",),
    "on_mouse_down": ("pos", "button"),
    "on_mouse_up": ("pos", "button"),
    "on_mouse_move": ("pos", "rel", "buttons"),
    "on_gamepad": ("pad", "kind", "control", "value"),
}


class HookSignatureError(TypeError):
    """A hook asks for an argument its event does not have."""


# The names to pass, by code object: a reload patches a function's __code__ in place, so
# the function object alone would keep a stale answer.
_cache: dict[tuple[CodeType, str], tuple[str, ...] | str] = {}


def _plan(fn: Callable[..., object], hook: str) -> tuple[str, ...] | str:
    """The argument names to pass positionally, or a message saying what is wrong."""
    offered = INPUT_HOOKS[hook]
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return offered  # no signature to read (a builtin): pass everything
    names: list[str] = []
    star = any(param.kind is param.VAR_POSITIONAL for param in params)
    skipped = ""  # a parameter left to its default: any later one could not be positional
    for param in params:
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if param.name not in offered:
            if param.default is param.empty:
                return (f"{hook}() asks for '{param.name}', which it is not given; "
                        f"{hook} offers {', '.join(offered)} (take any of them, by name)")
            skipped = skipped or param.name
            continue
        if param.kind is param.KEYWORD_ONLY or skipped:
            return (f"{hook}() takes '{param.name}' after "
                    f"{'*' if not skipped else repr(skipped)}; put the arguments it is "
                    f"given ({', '.join(offered)}) first, as plain parameters")
        names.append(param.name)
    return tuple(names) if names or not star else offered  # f(*args) (print): all of them


def _planned(fn: Callable[..., object], hook: str) -> tuple[str, ...] | str:
    code = getattr(fn, "__code__", None)
    if not isinstance(code, CodeType):
        return _plan(fn, hook)
    key = (code, hook)
    if key not in _cache:
        _cache[key] = _plan(fn, hook)
    return _cache[key]


def signature_problem(fn: Callable[..., object], hook: str) -> str | None:
    """What is wrong with ``fn``'s parameters as the ``hook`` hook, or None when it fits."""
    plan = _planned(fn, hook)
    return plan if isinstance(plan, str) else None


def arguments_for(fn: Callable[..., object], hook: str, values: dict[str, Any]) -> tuple[Any, ...]:
    """The positional arguments to call ``fn`` with; HookSignatureError when it cannot be."""
    plan = _planned(fn, hook)
    if isinstance(plan, str):
        raise HookSignatureError(plan)
    return tuple(values[name] for name in plan)
