"""Opening the window: SDL's video, the window's class, a renderer that works, and its vsync.

``Display`` opens its window in these steps, each of which raises a clear error: SDL's video
started (headless: the dummy driver; with no display: ``NoDisplayError`` saying to run with
``--headless``), the window created with the class and name that window managers and
``xdotool`` look for, a renderer made (accelerated with vsync first, then software), and
whether that renderer's vsync really paces frames.
"""

from __future__ import annotations

import ctypes
import os
from typing import Any

import sdl2

from sandbox.sdl.draw import Renderer
from sandbox.sdl.errors import NoDisplayError, SDLError, check, sdl_reason
from sandbox.sdl.pixels import PACKED32, RGBA32
from sandbox.sdl.x11_name import name_window

__all__ = ["WINDOW_CLASS", "create_renderer", "create_window", "frame_format", "start_video",
           "waits_for_vsync"]

WINDOW_CLASS = "potato-sandbox"
WINDOW_CLASS_VARIABLES = ("SDL_VIDEO_X11_WMCLASS", "SDL_VIDEO_WAYLAND_WMCLASS")


def start_video(headless: bool) -> None:
    """Start SDL's video subsystem (headless: the dummy driver); raise when it cannot."""
    if headless:
        # OVERRIDE beats an SDL_VIDEODRIVER set in the environment.
        sdl2.SDL_SetHintWithPriority(b"SDL_VIDEODRIVER", b"dummy", sdl2.SDL_HINT_OVERRIDE)
    # The window's class (X11 WM_CLASS, Wayland app id) is the executable's name,
    # "python3.11", unless these are set; task bars, window rules and
    # `xdotool search --class potato-sandbox` go by it. SDL 2.32 reads them from the
    # environment when it creates a window (SDL_SetHint does not reach them).
    for variable in WINDOW_CLASS_VARIABLES:
        os.environ.setdefault(variable, WINDOW_CLASS)
    if sdl2.SDL_InitSubSystem(sdl2.SDL_INIT_VIDEO) < 0:
        reason = sdl_reason()
        if headless:
            raise SDLError(f"Error encountered starting SDL's video: {reason}")
        raise NoDisplayError(f"No display to open a window on (SDL: {reason}). "
                             "Run with --headless to use SDL's dummy video driver.")


def no_display_driver(headless: bool) -> str | None:
    """The invisible driver SDL fell back to when there is no display (else None).

    SDL 2.32 silently falls back to an invisible driver when there is no display; one the
    environment asked for (``SDL_VIDEODRIVER=dummy``) is no fallback.
    """
    driver = (sdl2.SDL_GetCurrentVideoDriver() or b"").decode()
    asked = os.environ.get("SDL_VIDEODRIVER", "")
    if not headless and driver in ("offscreen", "dummy") and asked != driver:
        return driver
    return None


def create_window(title: str, size: tuple[int, int], headless: bool) -> Any:
    """A centred window (hidden when headless); SDL's pointer to it."""
    flags = sdl2.SDL_WINDOW_HIDDEN if headless else sdl2.SDL_WINDOW_SHOWN
    return check(sdl2.SDL_CreateWindow(
        title.encode(), sdl2.SDL_WINDOWPOS_CENTERED, sdl2.SDL_WINDOWPOS_CENTERED,
        size[0], size[1], flags), "creating the window")


def create_renderer(window: Any, title: str, headless: bool, vsync: bool) -> Renderer:
    """The first renderer that works: accelerated (with vsync) then software; headless, software."""
    if headless:
        modes = [sdl2.SDL_RENDERER_SOFTWARE]
    else:
        fast = sdl2.SDL_RENDERER_ACCELERATED | (sdl2.SDL_RENDERER_PRESENTVSYNC if vsync else 0)
        modes = [fast, sdl2.SDL_RENDERER_SOFTWARE]
    error: Exception | None = None
    renderer: Renderer | None = None
    for mode in modes:
        try:
            # ext.Renderer wants the SDL_Window struct, not the pointer SDL returns.
            renderer = Renderer(window.contents, flags=mode)
            break
        except Exception as exc:  # sdl2.ext raises its own SDLError type
            error = exc
    if renderer is None:
        raise SDLError(f"Error encountered creating the renderer: {error}")
    # After the renderer: an OpenGL one makes SDL recreate the X window, titled anew.
    name_window(window, title)  # findable by `xdotool search --name` (x11_name)
    return renderer


def waits_for_vsync(sdl_renderer: Any, headless: bool) -> bool:
    """True when presenting waits for the display, so the host need not pace frames.

    SDL's software renderer reports PRESENTVSYNC without ever waiting for a display (seen
    with SDL 2.32 on dummy/X11), so only an accelerated renderer's vsync counts; otherwise
    the host paces frames itself. Headless never waits.
    """
    info = sdl2.SDL_RendererInfo()
    check(sdl2.SDL_GetRendererInfo(sdl_renderer, ctypes.byref(info)),
          "reading the renderer's info")
    return (not headless and bool(info.flags & sdl2.SDL_RENDERER_PRESENTVSYNC)
            and bytes(info.name) != b"software")


def frame_format(window: Any) -> int:
    """The pixel format frames are read back in: the window's own when it is a packed
    32-bit one (a copy, not a conversion), else RGBA32."""
    window_format = sdl2.SDL_GetWindowPixelFormat(window)
    return int(window_format) if window_format in PACKED32 else RGBA32
