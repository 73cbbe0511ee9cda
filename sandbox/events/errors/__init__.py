"""The one place that turns an exception into an ``ErrorInfo``: what, where, what to do next.

Everything outside the engine that shows an error builds it here: a hook that raised or hung
(:func:`error_info`), a start-up that failed (:func:`startup_error`), a reload the watchdog
interrupted (:func:`reload_error_info`), an asset that failed to load (:func:`asset_error`).
The engine (``sandbox.hot``, which may import only ``sandbox.events``) locates its reload
errors with the same :func:`error_info`. Nothing here imports SDL, rich or another sandbox
module, so the engine can use it.

One concept a module:

- ``info``: :class:`ErrorInfo` and how an exception is located (file:line, source, caret);
- ``tracebacks``: reading a traceback (the game's frames, a loop's head, very deep ones),
  :class:`FrameInfo`, and :func:`drop_traceback`;
- ``wording``: each kind of failure said clearly (hangs, runaways, recursion, exits,
  reloads, assets), and the exceptions the watchdog raises;
- ``attributes``: objects made before a reload added an attribute ("press F5 to restart").

Import the names from this package; the modules are its inside.
"""

from sandbox.events.errors.attributes import init_attributes, stale_object_hint
from sandbox.events.errors.info import DEFAULT_HINT, ErrorInfo
from sandbox.events.errors.tracebacks import FrameInfo, drop_traceback
from sandbox.events.errors.wording import (
    HANG_HINT,
    RUNAWAY_HINT,
    GameExit,
    HookTimeout,
    MemoryRunaway,
    asset_error,
    error_info,
    exit_message,
    failed_reload_info,
    recursion_info,
    reload_error_info,
    startup_error,
)

__all__ = [
    "DEFAULT_HINT",
    "HANG_HINT",
    "RUNAWAY_HINT",
    "ErrorInfo",
    "FrameInfo",
    "GameExit",
    "HookTimeout",
    "MemoryRunaway",
    "asset_error",
    "drop_traceback",
    "error_info",
    "exit_message",
    "failed_reload_info",
    "init_attributes",
    "recursion_info",
    "reload_error_info",
    "stale_object_hint",
    "startup_error",
]
