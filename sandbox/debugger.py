"""``--debug``: debugpy listening on 127.0.0.1 only, so VS Code or any DAP client attaches.

debugpy is the optional extra ``potato-sandbox[debug]`` and is imported here alone. Whether a
debugger holds the game (the watchdog's stand-down, the terminal keys stepping aside for pdb)
is ``sandbox.process.debugger_in``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["INSTALL_HINT", "DebugpyMissing", "Listening", "listen"]

INSTALL_HINT = "pip install 'potato-sandbox[debug]'  (or: pip install debugpy)"


class DebugpyMissing(Exception):
    """``--debug`` was asked for but debugpy is not installed."""

    def __str__(self) -> str:
        return f"--debug needs debugpy, which is not installed: {INSTALL_HINT}"


@dataclass(frozen=True)
class Listening:
    """debugpy listens at ``host:port``; ``str`` is the line the terminal prints."""

    host: str
    port: int

    def __str__(self) -> str:
        return (f"debugpy listening on {self.host}:{self.port} — attach a debugger "
                f"(VS Code: \"Python Debugger: Attach\", port {self.port}); only this machine "
                "can connect")


def listen(port: int = 5678) -> Listening:
    """Start debugpy's listener on 127.0.0.1 (never another interface); DebugpyMissing without it.

    Port 0 picks a free port; the returned ``Listening`` holds the real one.
    """
    # debugpy warns on stderr that the standard library's frozen modules may miss breakpoints:
    # true, and no concern of a game's code, which is never frozen.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    try:
        import debugpy
    except ImportError:
        raise DebugpyMissing() from None
    host, real_port = debugpy.listen(("127.0.0.1", port))
    return Listening(str(host), int(real_port))
