"""The window and its renderer: drawing the overlay, reading each frame back, PNGs of it.

The host creates one ``Display`` and never reloads it; games draw with its ``renderer`` (an
``sdl2.ext.Renderer``) in ``draw()``, the host draws the overlay with ``fill_rect`` and ``text``.
``Display`` is the one object the rest of the sandbox holds; its parts are modules of their
own: opening the window and picking a renderer (``sandbox.sdl.window``), the overlay's
blended rectangles and text, which hand the game's renderer state back at ``present()`` and
whenever ``renderer`` is fetched (``sandbox.sdl.overlay_draw``), and reading each frame back
before it is presented, reusing buffers (``sandbox.sdl.readback``, where the policy is).
``Display(readback=False)`` turns read-back off (e.g. on a GPU, where it is a pipeline sync).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sdl2
import sdl2.sdlimage as sdlimage
import sdl2.sdlttf as sdlttf

from sandbox.sdl.draw import Renderer
from sandbox.sdl.errors import NoDisplayError, check
from sandbox.sdl.ghostframes import GhostFrames
from sandbox.sdl.input import is_quit, key_of, poll_events, push_key, push_quit
from sandbox.sdl.overlay_draw import OverlayPainter
from sandbox.sdl.pixels import RGB, RGBA
from sandbox.sdl.readback import FrameReadback
from sandbox.sdl.text import Font
from sandbox.sdl.window import (
    WINDOW_CLASS,
    create_renderer,
    create_window,
    frame_format,
    no_display_driver,
    start_video,
    waits_for_vsync,
)
from sandbox.sdl.x11_name import name_window

__all__ = ["WINDOW_CLASS", "Display"]  # WINDOW_CLASS: from sandbox.sdl.window


class Display:
    """The window and the ``sdl2.ext.Renderer`` handed to the game's ``draw()``."""

    def __init__(self, title: str, size: tuple[int, int], headless: bool = False,
                 vsync: bool = True, readback: bool = True) -> None:
        self.headless = headless
        self.readback = readback
        self._closed = True
        start_video(headless)  # raises NoDisplayError, saying to run with --headless
        self._closed = False
        driver = no_display_driver(headless)
        if driver is not None:
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
        self._ghosts: GhostFrames | None = None  # the timeline's ghosts, made when first asked
        check(sdlttf.TTF_Init(), "starting SDL_ttf")
        self._ttf = True
        sdlimage.IMG_Init(sdlimage.IMG_INIT_PNG)  # PNG writing needs no loader flags
        self._window = create_window(title, size, headless)
        self._renderer_obj: Renderer = create_renderer(self._window, title, headless, vsync)
        self._sdl_renderer: Any = self._renderer_obj.sdlrenderer
        self.vsync = waits_for_vsync(self._sdl_renderer, headless)  # else the host paces
        self._size = (int(size[0]), int(size[1]))
        self._frames = FrameReadback(self._sdl_renderer, self._size, frame_format(self._window))
        self._font = Font(self._sdl_renderer)
        self._painter = OverlayPainter(self._sdl_renderer, self._font)

    @property
    def renderer(self) -> Renderer:
        """The renderer games draw with (an ``sdl2.ext.Renderer``), as they left it."""
        self._painter.restore()
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
        self._frames.resize(self._size)  # the held frame and its texture are dropped
        self._drop_ghosts()

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
        """Alpha-blended rectangle; the renderer's state comes back at present (overlay_draw)."""
        self._painter.fill_rect(x, y, w, h, rgba)

    def fill_rects(self, rects: Sequence[tuple[int, int, int, int]], rgba: RGB | RGBA) -> None:
        """``fill_rect`` for every ``(x, y, w, h)`` of ``rects``, in one SDL call."""
        self._painter.fill_rects(rects, rgba)

    def text(self, x: int, y: int, text: str, rgb: RGB = (255, 255, 255)) -> int:
        """Draw one line in the monospaced overlay font at (x, y); returns its width."""
        return self._painter.text(x, y, text, rgb)

    def text_size(self, text: str) -> tuple[int, int]:
        """Width and height of one line of ``text`` in the overlay font."""
        return self._painter.text_size(text)

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

    # -- frames (sandbox.sdl.readback) -------------------------------------------------------
    def read_frame(self) -> bytearray:
        """Read what has been drawn so far (not yet presented), in the window's pixel format.

        The buffer is the caller's, never written to again unless handed back to ``recycle``.
        """
        return self._frames.read()

    def draw_frame(self, frame: bytes | bytearray) -> None:
        """Copy a frame from ``read_frame()``/``last_frame`` onto the whole target."""
        self._frames.draw(frame)

    def present(self) -> None:
        """Read the frame back (``sandbox.sdl.readback``), then show it."""
        self._painter.restore()
        if self.readback:
            self._frames.keep()
        self._renderer_obj.present()

    @property
    def last_frame(self) -> bytearray | None:
        """The last presented frame for ``draw_frame()`` (not a copy; never written to again)."""
        return self._frames.last_frame

    def recycle(self, frame: bytearray) -> None:
        """Hand back a frame from ``read_frame()``/``last_frame`` that nobody reads any more.

        The next read-back then fills it instead of allocating (and zeroing) a new one.
        """
        self._frames.recycle(frame)

    def pixels(self) -> bytes:
        """RGBA32 bytes of the last presented frame (w * h * 4)."""
        return bytes(self._frames.last_rgba())

    def pixel(self, x: int, y: int) -> tuple[int, int, int, int]:
        """(r, g, b, a) at (x, y) of the last presented frame."""
        return self._frames.pixel(x, y)

    def save_png(self, path: str | Path, frame: bytes | bytearray | None = None) -> Path:
        """Write the last presented frame (or ``frame``, from ``read_frame()``) as a PNG."""
        return self._frames.save_png(path, frame)

    def close(self) -> None:
        """Destroy the renderer and window and release SDL (idempotent)."""
        if self._closed:
            return
        self._closed = True
        font = getattr(self, "_font", None)
        if font is not None:
            font.close()
        frames: FrameReadback | None = getattr(self, "_frames", None)
        if frames is not None:
            frames.close()  # the held frame's texture
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
