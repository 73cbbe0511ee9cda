"""potato-sandbox: a Python game-dev sandbox with hot code reloading.

Games need at most one import: ``from sandbox import hot`` (reload handlers), and for drawing
``from sandbox import Flip, Renderer, SpriteBatch`` (the type of ``draw``'s argument and its
helpers' types; see ``sandbox.sdl.draw``). The host, for tests and embedding, is ``from
sandbox import Host``. Both are imported lazily, so importing the engine never pulls in SDL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox import hot

if TYPE_CHECKING:
    from sandbox.host import Host
    from sandbox.sdl import Flip, Renderer, SpriteBatch

__all__ = ["Flip", "Host", "Renderer", "SpriteBatch", "__version__", "hot"]
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
