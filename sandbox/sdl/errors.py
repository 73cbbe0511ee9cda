"""SDL's errors as exceptions: ``check()`` turns a failed call into an ``SDLError``.

Every SDL call that can fail goes through ``check()`` so failures read
"Error encountered <doing what>: <SDL's reason>".
"""

from __future__ import annotations

from typing import Any

import sdl2

__all__ = ["NoDisplayError", "SDLError", "check", "sdl_reason"]


class SDLError(RuntimeError):
    """An SDL call failed; the message says what we were doing and SDL's reason."""


class NoDisplayError(SDLError):
    """There is no display to open a window on (suggest ``--headless``)."""


def sdl_reason() -> str:
    """SDL's last error message (``SDL_GetError``), or a placeholder when it has none."""
    reason = sdl2.SDL_GetError()
    text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
    return text or "unknown SDL error"


def check(result: Any, doing: str) -> Any:
    """Return ``result`` unless it signals an SDL failure (negative int or NULL pointer)."""
    failed = (isinstance(result, int) and result < 0) or result is None
    if not failed and not isinstance(result, int):
        try:
            failed = not bool(result)  # NULL ctypes pointers are falsy
        except (TypeError, ValueError):
            failed = False
    if failed:
        raise SDLError(f"Error encountered {doing}: {sdl_reason()}")
    return result
