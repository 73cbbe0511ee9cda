"""Debuggers alongside hot reload: is one holding the main thread, and ``--debug``'s debugpy.

The watchdog interrupts a hook that runs too long, and the terminal's key reader takes every
key typed: both would break a breakpoint. A hook stopped at pdb's prompt looks like a hang,
and pdb's input would go to the key reader. So both ask :func:`debugger_holds` first and
stand down while it is true.

How a debugger is recognised, from another thread (``sys.gettrace()`` is per thread, so the
watchdog's thread cannot ask it about the main thread):

- a trace function on any frame of that thread's stack: ``pdb``/``bdb`` (``breakpoint()``)
  and debugpy on Python before 3.12 set ``frame.f_trace`` on every frame up the stack;
- on 3.12+, a tool registered under ``sys.monitoring.DEBUGGER_ID`` (debugpy uses it);
- the process is traced (``TracerPid`` in ``/proc/self/status``: gdb, a native debugger).

Coverage measurement also traces frames (its C tracer sets ``f_trace``) and registers its own
``sys.monitoring`` tool: it is not a debugger, so the watchdog must keep working under it.

``--debug`` starts debugpy listening on 127.0.0.1 only (:func:`listen`); debugpy is the
optional extra ``potato-sandbox[debug]`` and is imported here alone.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

__all__ = ["INSTALL_HINT", "DebugpyMissing", "Listening", "debugger_holds", "listen",
           "process_traced", "trace_on_stack"]

INSTALL_HINT = "pip install 'potato-sandbox[debug]'  (or: pip install debugpy)"
_NOT_DEBUGGERS = ("coverage",)  # tracers that measure, not stop: see the module docstring
# debugpy traces every thread from ``listen()`` on, attached or not: it holds the game only
# once a client is connected (otherwise ``--debug`` would switch the hang limit off).
_DEBUGPY = ("_pydevd", "pydevd", "_pydev", "debugpy")


def _client_connected() -> bool:
    debugpy = sys.modules.get("debugpy")
    return debugpy is not None and bool(debugpy.is_client_connected())


def _is_debugger(owner: str) -> bool:
    """Whether a tracer from module (or tool) ``owner`` is a debugger that may hold the game."""
    if owner.startswith(_NOT_DEBUGGERS):
        return False
    if owner.startswith(_DEBUGPY):
        return _client_connected()
    return True


def _is_debugger_trace(trace: Any) -> bool:
    """False for a coverage tracer or an unattached debugpy; True for pdb and the like."""
    owner = getattr(trace, "__self__", trace)
    module = getattr(type(owner), "__module__", "") or ""
    if module == "builtins":  # a plain function: its own module says whose it is
        module = getattr(owner, "__module__", "") or ""
    return _is_debugger(module)


def trace_on_stack(frame: FrameType | None) -> bool:
    """True when a debugger's trace function is set on ``frame`` or any frame that called it."""
    while frame is not None:
        trace = frame.f_trace
        if trace is not None and _is_debugger_trace(trace):
            return True
        frame = frame.f_back
    return False


def _monitoring_debugger() -> bool:
    """True when a debugger holds ``sys.monitoring``'s DEBUGGER_ID (Python 3.12+)."""
    monitoring = getattr(sys, "monitoring", None)
    if monitoring is None:
        return False
    tool = monitoring.get_tool(monitoring.DEBUGGER_ID)
    return tool is not None and _is_debugger(str(tool).lower())


def process_traced(status: Path = Path("/proc/self/status")) -> bool:
    """True when another process traces this one (``TracerPid`` is not 0); False off Linux."""
    try:
        text = status.read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    for line in text.splitlines():
        if line.startswith("TracerPid:"):
            return line.split(":", 1)[1].strip() not in ("", "0")
    return False


def debugger_holds(thread_id: int) -> bool:
    """True while a debugger is active in thread ``thread_id`` or on the whole process.

    Cheap enough for a check every 50 ms, not for every frame: it walks the thread's stack.
    """
    if _monitoring_debugger():
        return True
    if trace_on_stack(sys._current_frames().get(thread_id)):
        return True
    return process_traced()


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
