"""potato-sandbox: a Python game-dev sandbox with hot code reloading.

Games need one import line: ``from sandbox import hot`` (reload handlers), with ``assets``,
``keyboard``, ``mouse`` and ``gamepads`` (``sandbox.input``) when they use them. The host, for
tests and embedding, is ``from sandbox import Host``; it is imported lazily so that importing
the engine never pulls in SDL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox import hot
from sandbox.input import Gamepad, PadChange, gamepads, keyboard, mouse

if TYPE_CHECKING:
    from sandbox.host import Host

__all__ = ["Gamepad", "Host", "PadChange", "__version__", "gamepads", "hot", "keyboard",
           "mouse"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Host imports SDL; keep ``from sandbox import hot`` free of it.
    if name == "Host":
        from sandbox.host import Host

        return Host
    raise AttributeError(f"module 'sandbox' has no attribute {name!r}")
