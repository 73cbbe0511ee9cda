"""The window's name as X11 tools read it: ``WM_NAME`` set again as ``UTF8_STRING``.

Quirk: SDL 2.32 writes ``WM_NAME`` with ``XmbTextListToTextProperty(XTextStyle)``, whose
encoding is the locale's charset. Python runs with a UTF-8 ``LC_CTYPE`` (PEP 538 turns the C
locale into C.UTF-8), so the property's type is an atom named ``UTF-8`` that no client can
convert: ``xprop`` shows ``WM_NAME(UTF-8) = "bounce"`` and ``xdotool search --name bounce``
found nothing, whatever the title's characters. ``_NET_WM_NAME`` (``UTF8_STRING``) is right,
but xdotool reads ``WM_NAME``. :func:`name_window` writes ``WM_NAME`` again as ``UTF8_STRING``
(what SDL's own ``_NET_WM_NAME`` uses), after each title SDL sets.

Nothing happens without X11 (the dummy driver, Wayland, another OS) or without libX11.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache
from typing import Any

import sdl2

__all__ = ["name_window"]

XA_WM_NAME = 39  # X11's predefined atom (Xatom.h)
PROP_MODE_REPLACE = 0


@cache
def _libx11() -> Any:
    """libX11, the one SDL's X11 driver loaded (same soname), or None."""
    name = ctypes.util.find_library("X11") or "libX11.so.6"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    lib.XInternAtom.restype = ctypes.c_ulong
    lib.XChangeProperty.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong,
                                    ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                                    ctypes.c_char_p, ctypes.c_int]
    lib.XFlush.argtypes = [ctypes.c_void_p]
    return lib


def x11_handles(window: Any) -> tuple[int, int] | None:
    """The X ``Display*`` and window id of an SDL window, or None when it is not on X11."""
    info = sdl2.SDL_SysWMinfo()
    sdl2.SDL_VERSION(info.version)
    if not sdl2.SDL_GetWindowWMInfo(window, ctypes.byref(info)) \
            or info.subsystem != sdl2.SDL_SYSWM_X11:
        return None
    return int(info.info.x11.display or 0), int(info.info.x11.window)


def name_window(window: Any, title: str) -> bool:
    """Set X11 ``WM_NAME`` of ``window`` to ``title`` as ``UTF8_STRING``; False if not on X11."""
    handles = x11_handles(window)
    lib = _libx11() if handles is not None else None
    if handles is None or lib is None or not handles[0]:
        return False
    display, xwindow = handles
    utf8_string = lib.XInternAtom(display, b"UTF8_STRING", 0)
    data = title.encode("utf-8")
    lib.XChangeProperty(display, xwindow, XA_WM_NAME, utf8_string, 8, PROP_MODE_REPLACE,
                        data, len(data))
    lib.XFlush(display)
    return True
