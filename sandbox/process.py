"""What the process is doing, as another thread can see it: its memory, a debugger in a thread.

The watchdog's thread asks these on its ticks about the thread that runs game code.
"""

from __future__ import annotations

import os
import sys
from typing import Any

__all__ = ["debugger_in", "memory_text", "resident_bytes"]


def resident_bytes() -> int:
    """This process's resident memory now (Linux), or its peak where that is all there is."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except OSError:
        import resource  # not on Windows; macOS reports the peak, in bytes

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def debugger_in(tid: int) -> str | None:
    """The debugger active in thread ``tid``, or None.

    A tool registered as sys.monitoring's debugger (3.12+: pdb's monitoring backend,
    debugpy), or a debugger's own code on the thread's stack: a ``sys.settrace`` debugger
    stopped at its prompt, or stepping, is running inside its trace function (bdb's for pdb
    and the debuggers built on it, pydevd's for debugpy). Another thread cannot call the
    thread's ``sys.gettrace()``, and ``f_trace`` is no sign: pdb leaves it set on the
    outermost frame after ``c``.
    """
    monitoring: Any = getattr(sys, "monitoring", None)
    if monitoring is not None:
        tool = monitoring.get_tool(monitoring.DEBUGGER_ID)
        if tool is not None:
            return str(tool)
    frame = sys._current_frames().get(tid)
    while frame is not None:
        path = frame.f_code.co_filename
        if os.path.basename(path) == "bdb.py" or "pydevd" in path:
            return path
        frame = frame.f_back
    return None


def memory_text(size: int) -> str:
    """A size for people: ``62 MB``, ``1.0 GB``."""
    return f"{size / 1e9:.1f} GB" if size >= 10**8 else f"{size / 1e6:.0f} MB"
