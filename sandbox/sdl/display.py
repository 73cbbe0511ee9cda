"""The window and its renderer: drawing the overlay, reading each frame back, PNGs of it.

The host creates one ``Display`` and never reloads it; games draw with its ``renderer`` (an
``sdl2.ext.Renderer``) in ``draw()``, the host draws the overlay with ``fill_rect`` and ``text``.

Read-back policy: ``present()`` reads the finished frame (overlay included) *before*
presenting, because SDL_RenderReadPixels after SDL_RenderPresent is undefined. It cannot
wait until someone asks: ``Screen`` keeps every clean frame, because if the next ``draw()``
raises half-way, that frame is what the error panel is shown over, and by then the target
holds the half-drawn one. Buffers are reused instead: a frame nobody took (``last_frame``)
and one handed back (``recycle``) are filled by a later read, so a frame costs one copy and
no 1.2 MB allocation (0.136 -> 0.12 ms of host time per frame). It reads in the window's
own pixel format, so the software renderer copies rather than converts: 0.03 ms per frame
at 640x480 instead of 0.19 ms for RGBA32. The RGBA32 copy that ``pixels()``, ``pixel()``
and PNGs use is converted only when one of them asks.
``Display(readback=False)`` turns read-back off (e.g. on a GPU, where it is a pipeline sync).

Renderer state: games draw with ``renderer`` and expect the blend mode and draw colour they
left, while ``fill_rect`` needs blending and its own colour. Saving and restoring both around
every rectangle cost 7.6 us a call and the HUD draws 123 a frame, so the first ``fill_rect``
saves them, later ones set only a colour that differs, and both go back once: at
``present()``, or whenever ``renderer`` is fetched (the host fetches it for every ``draw()``).
Code that keeps the renderer must not draw with it between a ``fill_rect`` and ``present()``.
"""

from __future__ import annotations

import ctypes
import os
from array import array
from collections.abc import Sequence
from itertools import chain
from pathlib import Path
from typing import Any

import sdl2
import sdl2.ext
import sdl2.sdlimage as sdlimage
import sdl2.sdlttf as sdlttf

from sandbox.sdl.draw import Renderer
from sandbox.sdl.errors import NoDisplayError, SDLError, check, sdl_reason
from sandbox.sdl.geometry import fill_int_rects
from sandbox.sdl.ghostframes import GhostFrames
from sandbox.sdl.input import is_quit, key_of, poll_events, push_key, push_quit
from sandbox.sdl.pixels import PACKED32, RGB, RGBA, RGBA32, to_rgba, write_png
from sandbox.sdl.text import Font
from sandbox.sdl.x11_name import name_window

__all__ = ["WINDOW_CLASS", "Display"]

WINDOW_CLASS = "potato-sandbox"
WINDOW_CLASS_VARIABLES = ("SDL_VIDEO_X11_WMCLASS", "SDL_VIDEO_WAYLAND_WMCLASS")


class Display:
    """The window and the ``sdl2.ext.Renderer`` handed to the game's ``draw()``."""

    def __init__(self, title: str, size: tuple[int, int], headless: bool = False,
                 vsync: bool = True, readback: bool = True) -> None:
        self.headless = headless
        self.readback = readback
        self._closed = True
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
        self._closed = False
        driver = (sdl2.SDL_GetCurrentVideoDriver() or b"").decode()
        asked = os.environ.get("SDL_VIDEODRIVER", "")
        if not headless and driver in ("offscreen", "dummy") and asked != driver:
            # SDL 2.32 silently falls back to an invisible driver when there is no display.
            self.close()
            raise NoDisplayError(f"No display to open a window on (SDL picked its '{driver}' "
                                 "driver). Run with --headless, or set DISPLAY.")
        try:
            self._open(title, size, headless, vsync)
        except BaseException:
            self.close()
            raise

    def _open(self, title: str, size: tuple[int, int], headless: bool, vsync: bool) -> None:
        self._window: Any = None
        self._font: Font | None = None
        self._held_tex: Any = None
        self._saved: tuple[int, tuple[int, ...]] | None = None  # blend mode, colour to restore
        self._drawn: tuple[int, ...] | None = None  # the colour fill_rect last set
        self._frame: bytearray | None = None  # the last presented frame, in _frame_format
        self._rgba: bytearray | None = None  # the same frame as RGBA32, made when asked for
        self._spare: list[bytearray] = []  # frame buffers nobody holds, filled again next
        self._handed_out = False  # last_frame gave _frame away: never reuse it ourselves
        self._ghosts: GhostFrames | None = None  # the timeline's ghosts, made when first asked
        check(sdlttf.TTF_Init(), "starting SDL_ttf")
        self._ttf = True
        sdlimage.IMG_Init(sdlimage.IMG_INIT_PNG)  # PNG writing needs no loader flags
        flags = sdl2.SDL_WINDOW_HIDDEN if headless else sdl2.SDL_WINDOW_SHOWN
        self._window = check(sdl2.SDL_CreateWindow(
            title.encode(), sdl2.SDL_WINDOWPOS_CENTERED, sdl2.SDL_WINDOWPOS_CENTERED,
            size[0], size[1], flags), "creating the window")
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
                renderer = Renderer(self._window.contents, flags=mode)
                break
            except Exception as exc:  # sdl2.ext raises its own SDLError type
                error = exc
        if renderer is None:
            raise SDLError(f"Error encountered creating the renderer: {error}")
        self._renderer_obj: Renderer = renderer
        # After the renderer: an OpenGL one makes SDL recreate the X window, titled anew.
        name_window(self._window, title)  # findable by `xdotool search --name` (x11_name)
        self._sdl_renderer: Any = self._renderer_obj.sdlrenderer
        # SDL's software renderer reports PRESENTVSYNC without ever waiting for a display
        # (seen with SDL 2.32 on dummy/X11), so only an accelerated renderer's vsync counts;
        # otherwise the host paces frames itself. Headless never waits.
        info = self._info()
        self.vsync = (not headless and bool(info.flags & sdl2.SDL_RENDERER_PRESENTVSYNC)
                      and bytes(info.name) != b"software")
        self._size = (int(size[0]), int(size[1]))
        window_format = sdl2.SDL_GetWindowPixelFormat(self._window)
        self._frame_format = window_format if window_format in PACKED32 else RGBA32
        self._font = Font(self._sdl_renderer)

    def _info(self) -> Any:
        info = sdl2.SDL_RendererInfo()
        check(sdl2.SDL_GetRendererInfo(self._sdl_renderer, ctypes.byref(info)),
              "reading the renderer's info")
        return info

    @property
    def renderer(self) -> Renderer:
        """The renderer games draw with (an ``sdl2.ext.Renderer``), as they left it."""
        self._restore()
        self._renderer_obj.give_back()
        return self._renderer_obj

    @property
    def size(self) -> tuple[int, int]:
        """Logical size of the window (and of every frame) in pixels."""
        return self._size

    @property
    def line_height(self) -> int:
        """Pixels between two lines of overlay text."""
        assert self._font is not None
        return self._font.line_height

    @property
    def window_id(self) -> int:
        """SDL's id of the window (the ``windowID`` of its events)."""
        return int(sdl2.SDL_GetWindowID(self._window))

    def set_title(self, title: str) -> None:
        """Change the window's title."""
        sdl2.SDL_SetWindowTitle(self._window, title.encode())
        name_window(self._window, title)

    @property
    def title(self) -> str:
        """The window's current title."""
        return str(sdl2.SDL_GetWindowTitle(self._window).decode("utf-8", "replace"))

    def set_size(self, size: tuple[int, int]) -> None:
        """Resize the window and the renderer's logical size; the held frame is dropped."""
        w, h = int(size[0]), int(size[1])
        if w <= 0 or h <= 0:
            raise ValueError(f"window size must be positive, got {size!r}")
        sdl2.SDL_SetWindowSize(self._window, w, h)
        self._renderer_obj.logical_size = (w, h)
        self._size = (w, h)
        self._frame = self._rgba = None
        self._spare.clear()
        self._drop_ghosts()
        if self._held_tex:
            sdl2.SDL_DestroyTexture(self._held_tex)
            self._held_tex = None

    # -- events (sandbox.sdl.input) ------------------------------------------------------------
    def poll(self) -> list[Any]:
        """Every pending SDL event, as copies (SDL reuses the struct we poll into)."""
        return poll_events()

    def key_of(self, event: Any, released: bool = False) -> str | None:
        """``"F9"``, ``"Escape"``, … for a key-down (or with ``released``, key-up) event."""
        return key_of(event, released)

    def is_quit(self, event: Any) -> bool:
        """True for the window's close button (SDL_QUIT or a window-close event)."""
        return is_quit(event)

    def push_key(self, name: str) -> None:
        """Push a real key-down and key-up for ``name`` ("F9") into SDL's event queue."""
        push_key(name, self.window_id)

    def push_quit(self) -> None:
        """Push a real SDL_QUIT, as the window's close button does: used by tests."""
        push_quit()

    # -- drawing -----------------------------------------------------------------------------
    def clear(self, rgb: RGB | RGBA) -> None:
        """Fill the whole frame with ``rgb`` (the renderer's draw colour is kept)."""
        self._renderer_obj.clear(tuple(rgb))

    def fill_rect(self, x: int, y: int, w: int, h: int, rgba: RGB | RGBA) -> None:
        """Alpha-blended rectangle; the renderer's state comes back at present (module doc)."""
        check(sdl2.SDL_RenderFillRect(self._blend(rgba), ctypes.byref(sdl2.SDL_Rect(x, y, w, h))),
              "filling a rectangle")

    def fill_rects(self, rects: Sequence[tuple[int, int, int, int]], rgba: RGB | RGBA) -> None:
        """``fill_rect`` for every ``(x, y, w, h)`` of ``rects``, in one SDL call."""
        fill_int_rects(self._blend(rgba), array("i", chain.from_iterable(rects)))

    def _blend(self, rgba: RGB | RGBA) -> Any:
        """Lend SDL's renderer to a blended fill in ``rgba``; returns the SDL_Renderer."""
        r = self._sdl_renderer
        colour = tuple(rgba) if len(rgba) == 4 else (*rgba, 255)
        if self._saved is None:
            mode = ctypes.c_int(0)
            old = [ctypes.c_uint8(0) for _ in range(4)]
            sdl2.SDL_GetRenderDrawBlendMode(r, ctypes.byref(mode))
            sdl2.SDL_GetRenderDrawColor(r, *(ctypes.byref(c) for c in old))
            check(sdl2.SDL_SetRenderDrawBlendMode(r, sdl2.SDL_BLENDMODE_BLEND),
                  "setting blending")
            self._saved, self._drawn = (mode.value, tuple(c.value for c in old)), None
        if colour != self._drawn:
            sdl2.SDL_SetRenderDrawColor(r, *colour)
            self._drawn = colour
        return r

    def _restore(self) -> None:
        """Give the renderer back the blend mode and colour the first ``fill_rect`` found."""
        if self._saved is not None:
            (mode, colour), self._saved = self._saved, None
            sdl2.SDL_SetRenderDrawBlendMode(self._sdl_renderer, mode)
            sdl2.SDL_SetRenderDrawColor(self._sdl_renderer, *colour)

    def text(self, x: int, y: int, text: str, rgb: RGB = (255, 255, 255)) -> int:
        """Draw one line in the monospaced overlay font at (x, y); returns its width."""
        assert self._font is not None
        text = text.expandtabs(4)  # SDL_ttf draws a tab as a missing-glyph box
        if not text:
            return 0
        tex, w, h = self._font.texture(text, rgb)
        check(sdl2.SDL_RenderCopy(self._sdl_renderer, tex, None,
                                  ctypes.byref(sdl2.SDL_Rect(x, y, w, h))), "drawing text")
        return w

    def text_size(self, text: str) -> tuple[int, int]:
        """Width and height of one line of ``text`` in the overlay font."""
        assert self._font is not None
        return self._font.size(text) if text else (0, self._font.line_height)

    def reset_target(self) -> None:
        """Draw to the window again, unclipped: after a ``draw()`` that raised half-way."""
        r = self._sdl_renderer
        check(sdl2.SDL_SetRenderTarget(r, None), "resetting the render target")
        sdl2.SDL_RenderSetClipRect(r, None)
        sdl2.SDL_RenderSetViewport(r, None)

    # -- ghosts (sandbox.sdl.ghostframes) ----------------------------------------------------
    def ghost_frames(self) -> GhostFrames:
        """Offscreen frames at the window's size, blended into one (the timeline's ghosts)."""
        if self._ghosts is None:
            self._ghosts = GhostFrames(self._sdl_renderer, self._renderer_obj, self._size)
        return self._ghosts

    def _drop_ghosts(self) -> None:
        ghosts: GhostFrames | None = getattr(self, "_ghosts", None)
        if ghosts is not None:
            ghosts.close()
            self._ghosts = None

    # -- frames ------------------------------------------------------------------------------
    def read_frame(self) -> bytearray:
        """Read what has been drawn so far (not yet presented), in the window's pixel format.

        The buffer is the caller's, never written to again unless handed back to ``recycle``.
        """
        w, h = self._size
        buf = self._spare.pop() if self._spare else bytearray(w * h * 4)
        ptr = (ctypes.c_ubyte * len(buf)).from_buffer(buf)
        check(sdl2.SDL_RenderReadPixels(self._sdl_renderer, None, self._frame_format, ptr, w * 4),
              "reading back the frame")
        return buf

    def draw_frame(self, frame: bytes | bytearray) -> None:
        """Copy a frame from ``read_frame()``/``last_frame`` onto the whole target."""
        w, h = self._size
        if len(frame) != w * h * 4:
            raise ValueError("frame does not match the window size")
        if not self._held_tex:
            self._held_tex = check(sdl2.SDL_CreateTexture(
                self._sdl_renderer, self._frame_format, sdl2.SDL_TEXTUREACCESS_STREAMING, w, h),
                "creating the frame texture")
        data = (ctypes.c_ubyte * len(frame)).from_buffer(frame) if isinstance(frame, bytearray) \
            else (ctypes.c_ubyte * len(frame)).from_buffer_copy(frame)  # bytes are read-only
        check(sdl2.SDL_UpdateTexture(self._held_tex, None, data, w * 4), "updating a texture")
        check(sdl2.SDL_RenderCopy(self._sdl_renderer, self._held_tex, None, None),
              "drawing the held frame")

    def present(self) -> None:
        """Read the frame back (see the module docstring), then show it."""
        self._restore()
        if self.readback:
            old, self._frame, self._rgba = self._frame, self.read_frame(), None
            if old is not None and not self._handed_out:
                self._spare.append(old)  # nobody else has it: the next read reuses it
            self._handed_out = False
        self._renderer_obj.present()

    @property
    def last_frame(self) -> bytearray | None:
        """The last presented frame for ``draw_frame()`` (not a copy; never written to again)."""
        self._handed_out = True
        return self._frame

    def recycle(self, frame: bytearray) -> None:
        """Hand back a frame from ``read_frame()``/``last_frame`` that nobody reads any more.

        The next read-back then fills it instead of allocating (and zeroing) a new one.
        """
        w, h = self._size
        if (frame is not self._frame and len(frame) == w * h * 4 and len(self._spare) < 2
                and all(frame is not s for s in self._spare)):
            self._spare.append(frame)

    def _last(self) -> bytearray:
        """The last presented frame as RGBA32 (converted once, on first use)."""
        if self._frame is None:
            raise SDLError("no frame has been presented (or read-back is off)")
        if self._frame_format == RGBA32:
            return self._frame
        if self._rgba is None:
            self._rgba = to_rgba(self._frame, self._size, self._frame_format)
        return self._rgba

    def pixels(self) -> bytes:
        """RGBA32 bytes of the last presented frame (w * h * 4)."""
        return bytes(self._last())

    def pixel(self, x: int, y: int) -> tuple[int, int, int, int]:
        """(r, g, b, a) at (x, y) of the last presented frame."""
        w, h = self._size
        if not (0 <= x < w and 0 <= y < h):
            raise IndexError(f"pixel ({x}, {y}) is outside the {w}x{h} frame")
        i = (y * w + x) * 4
        r, g, b, a = self._last()[i:i + 4]
        return (r, g, b, a)

    def save_png(self, path: str | Path, frame: bytes | bytearray | None = None) -> Path:
        """Write the last presented frame (or ``frame``, from ``read_frame()``) as a PNG."""
        if frame is None:
            return write_png(path, self._size, self._last())
        if self._frame_format != RGBA32:
            frame = to_rgba(bytearray(frame), self._size, self._frame_format)
        return write_png(path, self._size, frame)

    def close(self) -> None:
        """Destroy the renderer and window and release SDL (idempotent)."""
        if self._closed:
            return
        self._closed = True
        font = getattr(self, "_font", None)
        if font is not None:
            font.close()
        if getattr(self, "_held_tex", None):
            sdl2.SDL_DestroyTexture(self._held_tex)
        self._drop_ghosts()
        renderer = getattr(self, "_renderer_obj", None)
        if renderer is not None:
            renderer.destroy()
        if getattr(self, "_window", None):
            sdl2.SDL_DestroyWindow(self._window)
        if getattr(self, "_ttf", False):
            sdlttf.TTF_Quit()
        sdl2.SDL_QuitSubSystem(sdl2.SDL_INIT_VIDEO)

    def __enter__(self) -> Display:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
