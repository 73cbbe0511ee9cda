"""potato-sandbox: a Python game-dev sandbox with hot code reloading.

Games need one import line: ``from sandbox import hot`` (reload handlers), with ``assets``,
``keyboard``, ``mouse`` and ``gamepads`` (``sandbox.input``) when they use them, and for
drawing ``Flip``, ``Renderer``, ``SpriteBatch`` (the type of ``draw``'s argument and its
helpers' types; see ``sandbox.sdl.draw``). The host, for tests and embedding, is
``from sandbox import Host``; it is imported lazily so that importing the engine never pulls
in SDL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox import hot
from sandbox.input import Gamepad, PadChange, gamepads, keyboard, mouse

if TYPE_CHECKING:
    from sandbox.host import Host
    from sandbox.sdl import Flip, Renderer, SpriteBatch

__all__ = ["Flip", "Gamepad", "Host", "PadChange", "Renderer", "SpriteBatch", "__version__",
           "gamepads", "hot", "keyboard", "mouse"]
_DRAWING = ("Flip", "Renderer", "SpriteBatch")  # sandbox.sdl: imported when first asked for
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Host imports SDL; keep ``from sandbox import hot`` free of it.
    if name == "Host":
        from sandbox.host import Host

        return Host
    if name in _DRAWING:
        import sandbox.sdl

        return getattr(sandbox.sdl, name)
    raise AttributeError(f"module 'sandbox' has no attribute {name!r}")
