"""The only module that imports SDL: window, renderer, text, pixels and one error check.

The host creates one ``Display`` and never reloads it. Every SDL call that can fail goes
through ``check()`` so failures read "Error encountered <doing what>: <SDL's reason>".

Read-back policy: ``present()`` reads the finished frame (overlay included) into a fresh
buffer *before* presenting, because SDL_RenderReadPixels after SDL_RenderPresent is
undefined. It reads in the window's own pixel format, so the software renderer copies rather
than converts: 0.03 ms per frame at 640x480 instead of 0.19 ms for RGBA32. The RGBA32 copy
that ``pixels()``, ``pixel()`` and PNGs use is converted only when one of them asks.
``Display(readback=False)`` turns read-back off (e.g. on a GPU, where it is a pipeline sync).
"""

from __future__ import annotations

import ctypes
import os
from collections import OrderedDict
from pathlib import Path
from typing import Any

import sdl2
import sdl2.ext
import sdl2.sdlimage as sdlimage
import sdl2.sdlmixer as sdlmixer
import sdl2.sdlttf as sdlttf

__all__ = ["FONT_PATH", "FONT_SUFFIXES", "IMAGE_SUFFIXES", "SOUND_SUFFIXES", "Audio", "Display",
           "Font", "GameFont", "NoDisplayError", "SDLError", "Sound", "check",
           "event_from_dict", "event_to_dict", "keycode_name", "load_texture", "read_png",
           "swap_font", "swap_sound", "swap_texture", "write_png"]

FONT_PATH = Path(__file__).resolve().parent.parent / "data" / "fonts" / "DejaVuSansMono.ttf"
RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]
_FORMAT = sdl2.SDL_PIXELFORMAT_RGBA32  # byte order r, g, b, a whatever the endianness
# Window formats a frame can be read back in as is: four bytes a pixel, no conversion.
_PACKED32 = frozenset({
    sdl2.SDL_PIXELFORMAT_ARGB8888, sdl2.SDL_PIXELFORMAT_RGB888, sdl2.SDL_PIXELFORMAT_ABGR8888,
    sdl2.SDL_PIXELFORMAT_BGR888, sdl2.SDL_PIXELFORMAT_RGBA8888, sdl2.SDL_PIXELFORMAT_BGRA8888,
    sdl2.SDL_PIXELFORMAT_RGBX8888, sdl2.SDL_PIXELFORMAT_BGRX8888,
})


class SDLError(RuntimeError):
    """An SDL call failed; the message says what we were doing and SDL's reason."""


class NoDisplayError(SDLError):
    """There is no display to open a window on (suggest ``--headless``)."""


def _sdl_reason() -> str:
    reason = sdl2.SDL_GetError()
    text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
    return text or "unknown SDL error"


def check(result: Any, doing: str) -> Any:
    """Return ``result`` unless it signals an SDL failure (negative int or NULL pointer)."""
    failed = (isinstance(result, int) and result < 0) or result is None
    if not failed and not isinstance(result, int):
        try:
            failed = not bool(result)  # NULL ctypes pointers are falsy
        except (TypeError, ValueError):
            failed = False
    if failed:
        raise SDLError(f"Error encountered {doing}: {_sdl_reason()}")
    return result


def keycode_name(sym: int) -> str:
    """SDL's name for a key code: ``"F9"``, ``"Escape"``, ``"A"``, ``"Space"``."""
    name: bytes = sdl2.SDL_GetKeyName(sym)
    return name.decode("utf-8", "replace")


# -- the event codec: recordings store events as plain JSON-able dicts --------------------------
_KEY_KINDS = {"keydown": sdl2.SDL_KEYDOWN, "keyup": sdl2.SDL_KEYUP}
_BUTTON_KINDS = {"mousedown": sdl2.SDL_MOUSEBUTTONDOWN, "mouseup": sdl2.SDL_MOUSEBUTTONUP}


def event_to_dict(event: Any) -> dict[str, Any] | None:
    """A key, text or mouse event as a plain dict (for recordings); None for other kinds."""
    kind = event.type
    for name, value in _KEY_KINDS.items():
        if kind == value:
            sym = event.key.keysym
            out: dict[str, Any] = {"type": name, "key": keycode_name(sym.sym),
                                   "scancode": int(sym.scancode), "mod": int(sym.mod),
                                   "repeat": int(event.key.repeat)}
            if not out["key"]:
                out["sym"] = int(sym.sym)  # a key SDL has no name for: keep its code
            return out
    for name, value in _BUTTON_KINDS.items():
        if kind == value:
            b = event.button
            return {"type": name, "button": int(b.button), "clicks": int(b.clicks),
                    "x": int(b.x), "y": int(b.y)}
    if kind == sdl2.SDL_TEXTINPUT:
        return {"type": "text", "text": bytes(event.text.text).decode("utf-8", "replace")}
    if kind == sdl2.SDL_MOUSEMOTION:
        m = event.motion
        return {"type": "motion", "x": int(m.x), "y": int(m.y), "xrel": int(m.xrel),
                "yrel": int(m.yrel), "state": int(m.state)}
    if kind == sdl2.SDL_MOUSEWHEEL:
        w = event.wheel
        return {"type": "wheel", "x": int(w.x), "y": int(w.y), "direction": int(w.direction),
                "precise_x": float(w.preciseX), "precise_y": float(w.preciseY)}
    return None


def event_from_dict(data: dict[str, Any], window_id: int = 0) -> Any:
    """The SDL_Event that ``event_to_dict`` described; ValueError for a dict it never made."""
    ev = sdl2.SDL_Event()
    kind = data.get("type") if isinstance(data, dict) else None
    try:
        if kind in _KEY_KINDS:
            ev.type = _KEY_KINDS[kind]
            sym = int(data["sym"]) if "sym" in data else sdl2.SDL_GetKeyFromName(
                str(data["key"]).encode())
            if sym == sdl2.SDLK_UNKNOWN:
                raise ValueError(f"unknown key {data['key']!r}")
            ev.key.windowID, ev.key.repeat = window_id, int(data.get("repeat", 0))
            ev.key.state = sdl2.SDL_PRESSED if kind == "keydown" else sdl2.SDL_RELEASED
            ev.key.keysym.sym, ev.key.keysym.mod = sym, int(data.get("mod", 0))
            ev.key.keysym.scancode = int(data.get("scancode", sdl2.SDL_GetScancodeFromKey(sym)))
        elif kind in _BUTTON_KINDS:
            ev.type = _BUTTON_KINDS[kind]
            b = ev.button
            b.windowID, b.button, b.clicks = window_id, int(data["button"]), int(data["clicks"])
            b.state = sdl2.SDL_PRESSED if kind == "mousedown" else sdl2.SDL_RELEASED
            b.x, b.y = int(data["x"]), int(data["y"])
        elif kind == "text":
            text = str(data["text"]).encode("utf-8")
            if len(text) >= 32:  # SDL's text event holds at most 31 bytes and a NUL
                raise ValueError("text longer than 31 bytes")
            ev.type, ev.text.windowID, ev.text.text = sdl2.SDL_TEXTINPUT, window_id, text
        elif kind == "motion":
            ev.type = sdl2.SDL_MOUSEMOTION
            m = ev.motion
            m.windowID, m.state = window_id, int(data["state"])
            m.x, m.y, m.xrel, m.yrel = (int(data[k]) for k in ("x", "y", "xrel", "yrel"))
        elif kind == "wheel":
            ev.type = sdl2.SDL_MOUSEWHEEL
            w = ev.wheel
            w.windowID, w.x, w.y = window_id, int(data["x"]), int(data["y"])
            w.direction = int(data["direction"])
            w.preciseX = float(data.get("precise_x", w.x))
            w.preciseY = float(data.get("precise_y", w.y))
        else:
            raise ValueError(f"unknown event type {kind!r}")
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"cannot make an SDL event from {data!r}: {exc}") from None
    return ev


def _text_size(font: Any, text: str) -> tuple[int, int]:
    """Width and height in pixels of one line of ``text`` in the TTF ``font``."""
    w, h = ctypes.c_int(0), ctypes.c_int(0)
    check(sdlttf.TTF_SizeUTF8(font, text.encode(), ctypes.byref(w), ctypes.byref(h)),
          "measuring text")
    return w.value, h.value


class Font:
    """A TTF font with a small cache of rendered lines (texture, width, height) per colour."""

    def __init__(self, renderer: Any, path: Path = FONT_PATH, size: int = 14,
                 cache_size: int = 256) -> None:
        self._renderer = renderer
        self._font = check(sdlttf.TTF_OpenFont(str(path).encode(), size),
                           f"opening the font {path}")
        self.line_height: int = int(sdlttf.TTF_FontLineSkip(self._font))
        self._cache: OrderedDict[tuple[str, RGB], tuple[Any, int, int]] = OrderedDict()
        self._cache_size = cache_size

    def size(self, text: str) -> tuple[int, int]:
        """Width and height in pixels of one line of ``text``."""
        return _text_size(self._font, text)

    def texture(self, text: str, rgb: RGB) -> tuple[Any, int, int]:
        """The cached texture of ``text`` in ``rgb``: overlays redraw the same lines each frame."""
        key = (text, rgb)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        colour = sdl2.SDL_Color(rgb[0], rgb[1], rgb[2], 255)
        surface = check(sdlttf.TTF_RenderUTF8_Blended(self._font, text.encode(), colour),
                        "rendering text")
        try:
            tex = check(sdl2.SDL_CreateTextureFromSurface(self._renderer, surface),
                        "creating a text texture")
            entry = (tex, int(surface.contents.w), int(surface.contents.h))
        finally:
            sdl2.SDL_FreeSurface(surface)
        self._cache[key] = entry
        if len(self._cache) > self._cache_size:
            _, (old, _w, _h) = self._cache.popitem(last=False)
            sdl2.SDL_DestroyTexture(old)
        return entry

    def close(self) -> None:
        """Free every cached texture and the font."""
        for tex, _w, _h in self._cache.values():
            sdl2.SDL_DestroyTexture(tex)
        self._cache.clear()
        if self._font:
            sdlttf.TTF_CloseFont(self._font)
            self._font = None


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
        if sdl2.SDL_InitSubSystem(sdl2.SDL_INIT_VIDEO) < 0:
            reason = _sdl_reason()
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
        self._renderer_obj: Any = None
        self._font: Font | None = None
        self._held_tex: Any = None
        self._frame: bytearray | None = None  # the last presented frame, in _frame_format
        self._rgba: bytearray | None = None  # the same frame as RGBA32, made when asked for
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
        for mode in modes:
            try:
                # ext.Renderer wants the SDL_Window struct, not the pointer SDL returns.
                self._renderer_obj = sdl2.ext.Renderer(self._window.contents, flags=mode)
                break
            except Exception as exc:  # sdl2.ext raises its own SDLError type
                error = exc
        if self._renderer_obj is None:
            raise SDLError(f"Error encountered creating the renderer: {error}")
        self._sdl_renderer: Any = self._renderer_obj.sdlrenderer
        # SDL's software renderer reports PRESENTVSYNC without ever waiting for a display
        # (seen with SDL 2.32 on dummy/X11), so only an accelerated renderer's vsync counts;
        # otherwise the host paces frames itself. Headless never waits.
        info = self._info()
        self.vsync = (not headless and bool(info.flags & sdl2.SDL_RENDERER_PRESENTVSYNC)
                      and bytes(info.name) != b"software")
        self._size = (int(size[0]), int(size[1]))
        window_format = sdl2.SDL_GetWindowPixelFormat(self._window)
        self._frame_format = window_format if window_format in _PACKED32 else _FORMAT
        self._font = Font(self._sdl_renderer)

    def _info(self) -> Any:
        info = sdl2.SDL_RendererInfo()
        check(sdl2.SDL_GetRendererInfo(self._sdl_renderer, ctypes.byref(info)),
              "reading the renderer's info")
        return info

    @property
    def renderer(self) -> Any:
        """The ``sdl2.ext.Renderer`` games draw with."""
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
        if self._held_tex:
            sdl2.SDL_DestroyTexture(self._held_tex)
            self._held_tex = None

    # -- events ------------------------------------------------------------------------------
    def poll(self) -> list[Any]:
        """Every pending SDL event, as copies (SDL reuses the struct we poll into)."""
        events: list[Any] = []
        ev = sdl2.SDL_Event()
        while sdl2.SDL_PollEvent(ctypes.byref(ev)):
            events.append(sdl2.SDL_Event.from_buffer_copy(ev))
        return events

    def key_of(self, event: Any, released: bool = False) -> str | None:
        """``"F9"``, ``"Escape"``, … for a key-down (or with ``released``, key-up) event."""
        if event.type != (sdl2.SDL_KEYUP if released else sdl2.SDL_KEYDOWN):
            return None
        return keycode_name(event.key.keysym.sym)

    def is_quit(self, event: Any) -> bool:
        """True for the window's close button (SDL_QUIT or a window-close event)."""
        if event.type == sdl2.SDL_QUIT:
            return True
        return bool(event.type == sdl2.SDL_WINDOWEVENT
                    and event.window.event == sdl2.SDL_WINDOWEVENT_CLOSE)

    def push_key(self, name: str) -> None:
        """Push a real key-down and key-up for ``name`` ("F9") into SDL's event queue."""
        sym = sdl2.SDL_GetKeyFromName(name.encode())
        if sym == sdl2.SDLK_UNKNOWN:
            raise ValueError(f"unknown key name {name!r} (SDL names: 'F9', 'Escape', 'A')")
        for kind, state in ((sdl2.SDL_KEYDOWN, sdl2.SDL_PRESSED),
                            (sdl2.SDL_KEYUP, sdl2.SDL_RELEASED)):
            ev = sdl2.SDL_Event()
            ev.type = kind
            ev.key.windowID = sdl2.SDL_GetWindowID(self._window)
            ev.key.state = state
            ev.key.keysym.sym = sym
            ev.key.keysym.scancode = sdl2.SDL_GetScancodeFromKey(sym)
            # SDL_PushEvent returns 1 on success, 0 when filtered, <0 on error.
            check(sdl2.SDL_PushEvent(ctypes.byref(ev)), f"pushing the key {name}")

    def push_quit(self) -> None:
        """Push a real SDL_QUIT, as the window's close button does: used by tests."""
        ev = sdl2.SDL_Event()
        ev.type = sdl2.SDL_QUIT
        check(sdl2.SDL_PushEvent(ctypes.byref(ev)), "pushing a quit event")

    # -- drawing -----------------------------------------------------------------------------
    def clear(self, rgb: RGB | RGBA) -> None:
        """Fill the whole frame with ``rgb`` (the renderer's draw colour is kept)."""
        self._renderer_obj.clear(tuple(rgb))

    def fill_rect(self, x: int, y: int, w: int, h: int, rgba: RGB | RGBA) -> None:
        """Alpha-blended rectangle; the renderer's blend mode and colour are restored."""
        r = self._sdl_renderer
        mode = ctypes.c_int(0)
        old = [ctypes.c_uint8(0) for _ in range(4)]
        sdl2.SDL_GetRenderDrawBlendMode(r, ctypes.byref(mode))
        sdl2.SDL_GetRenderDrawColor(r, *(ctypes.byref(c) for c in old))
        a = rgba[3] if len(rgba) == 4 else 255
        check(sdl2.SDL_SetRenderDrawBlendMode(r, sdl2.SDL_BLENDMODE_BLEND), "setting blending")
        sdl2.SDL_SetRenderDrawColor(r, rgba[0], rgba[1], rgba[2], a)
        check(sdl2.SDL_RenderFillRect(r, ctypes.byref(sdl2.SDL_Rect(x, y, w, h))),
              "filling a rectangle")
        sdl2.SDL_SetRenderDrawBlendMode(r, mode.value)
        sdl2.SDL_SetRenderDrawColor(r, *(c.value for c in old))

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

    # -- frames ------------------------------------------------------------------------------
    def read_frame(self) -> bytearray:
        """Read what has been drawn so far (not yet presented), in the window's pixel format."""
        w, h = self._size
        buf = bytearray(w * h * 4)
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
        data = (ctypes.c_ubyte * len(frame)).from_buffer_copy(frame)
        check(sdl2.SDL_UpdateTexture(self._held_tex, None, data, w * 4), "updating a texture")
        check(sdl2.SDL_RenderCopy(self._sdl_renderer, self._held_tex, None, None),
              "drawing the held frame")

    def present(self) -> None:
        """Read the frame back (see the module docstring), then show it."""
        if self.readback:
            self._frame, self._rgba = self.read_frame(), None
        self._renderer_obj.present()

    @property
    def last_frame(self) -> bytearray | None:
        """The last presented frame for ``draw_frame()`` (not a copy; never written to again)."""
        return self._frame

    def _last(self) -> bytearray:
        """The last presented frame as RGBA32 (converted once, on first use)."""
        if self._frame is None:
            raise SDLError("no frame has been presented (or read-back is off)")
        if self._frame_format == _FORMAT:
            return self._frame
        if self._rgba is None:
            w, h = self._size
            rgba = bytearray(len(self._frame))
            src = (ctypes.c_ubyte * len(self._frame)).from_buffer(self._frame)
            dst = (ctypes.c_ubyte * len(rgba)).from_buffer(rgba)
            check(sdl2.SDL_ConvertPixels(w, h, self._frame_format, src, w * 4, _FORMAT, dst,
                                         w * 4), "converting the frame to RGBA")
            self._rgba = rgba
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

    def save_png(self, path: str | Path) -> Path:
        """Write the last presented frame to ``path`` as a PNG (SDL_image)."""
        return write_png(path, self._size, self._last())

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


# -- assets: the SDL side of sandbox.assets ----------------------------------------------------
# Games keep what assets.image() returned in module globals (``BALL = assets.image(...)`` in
# load()), so a reload cannot hand them a new object: each swap_* below moves the new version's
# SDL resource *into the old Python object* and frees the old resource. A swap exchanges the
# private pointers of two objects of the same class, so every reference the game holds sees
# the new file at its next draw.

IMAGE_SUFFIXES = (".png", ".bmp", ".jpg", ".jpeg")
SOUND_SUFFIXES = (".wav", ".ogg")
FONT_SUFFIXES = (".ttf", ".otf")


def load_texture(renderer: Any, path: str | Path) -> Any:
    """An ``sdl2.ext.Texture`` for ``renderer`` from an image file (SDL_image)."""
    surface = check(sdlimage.IMG_Load(str(path).encode()), f"loading the image {Path(path).name}")
    try:
        return sdl2.ext.Texture(renderer, surface.contents)
    finally:
        sdl2.SDL_FreeSurface(surface)


def swap_texture(old: Any, new: Any) -> Any:
    """Give ``old`` the pixels of ``new`` in place and free ``old``'s former texture.

    Quirk: ``sdl2.ext.Texture`` has no public way to replace its SDL_Texture, so this swaps its
    ``_tx`` and ``_size`` (stable across PySDL2 0.9.x); with any other object, ``new`` is kept.
    """
    if not all(hasattr(t, "_tx") and hasattr(t, "_size") for t in (old, new)):
        return new
    old._tx, new._tx = new._tx, old._tx
    old._size, new._size = new._size, old._size
    new.destroy()
    return old


def write_png(path: str | Path, size: tuple[int, int], rgba: bytes | bytearray) -> Path:
    """Write RGBA32 bytes (``w * h * 4``) as a PNG: tests and asset generators use it."""
    w, h = size
    if len(rgba) != w * h * 4:
        raise ValueError(f"expected {w * h * 4} bytes for {w}x{h}, got {len(rgba)}")
    # A bytearray (a held frame) is wrapped without a copy; bytes are immutable: copied.
    data = (ctypes.c_ubyte * len(rgba)).from_buffer(rgba) if isinstance(rgba, bytearray) \
        else (ctypes.c_ubyte * len(rgba)).from_buffer_copy(rgba)
    surface = check(sdl2.SDL_CreateRGBSurfaceWithFormatFrom(data, w, h, 32, w * 4, _FORMAT),
                    "wrapping pixels in a surface")
    try:
        check(sdlimage.IMG_SavePNG(surface, str(path).encode()), f"writing {path}")
    finally:
        sdl2.SDL_FreeSurface(surface)
    return Path(path)


def read_png(path: str | Path) -> tuple[int, int, bytes]:
    """Decode an image file to (width, height, RGBA32 bytes), the layout of Display.pixels()."""
    loaded = check(sdlimage.IMG_Load(str(path).encode()), f"loading the image {path}")
    try:
        surface = check(sdl2.SDL_ConvertSurfaceFormat(loaded, _FORMAT, 0), "converting to RGBA")
    finally:
        sdl2.SDL_FreeSurface(loaded)
    try:
        s = surface.contents
        w, h, pitch = int(s.w), int(s.h), int(s.pitch)
        raw = ctypes.string_at(s.pixels, pitch * h)
        return w, h, b"".join(raw[y * pitch:y * pitch + w * 4] for y in range(h))
    finally:
        sdl2.SDL_FreeSurface(surface)


class Sound:
    """A loaded sound: ``play()``. Silent (play does nothing) when no audio device opened."""

    def __init__(self, chunk: Any, name: str) -> None:
        self._chunk = chunk
        self.name = name

    def play(self, loops: int = 0) -> None:
        """Play on the first free channel; with every channel busy, SDL_mixer skips it."""
        if self._chunk:
            sdlmixer.Mix_PlayChannel(-1, self._chunk, loops)

    def close(self) -> None:
        """Free the sample (idempotent)."""
        if self._chunk:
            sdlmixer.Mix_FreeChunk(self._chunk)
        self._chunk = None


def swap_sound(old: Sound, new: Sound) -> Sound:
    """Give ``old`` the sample of ``new`` in place (freeing a chunk stops it where it plays)."""
    old._chunk, new._chunk = new._chunk, old._chunk
    new.close()
    return old


class Audio:
    """SDL_mixer for one session; when no device opens, sounds load but stay silent.

    Headless sessions use SDL's dummy audio driver (a real mixer that outputs nothing).
    ``error`` says why audio is off; the host shows it once as a Notice.
    """

    def __init__(self, headless: bool = False) -> None:
        self.error: str | None = None
        self._sounds: list[Sound] = []
        if headless:
            sdl2.SDL_SetHintWithPriority(b"SDL_AUDIODRIVER", b"dummy", sdl2.SDL_HINT_OVERRIDE)
        self._subsystem = sdl2.SDL_InitSubSystem(sdl2.SDL_INIT_AUDIO) == 0
        if not self._subsystem:
            self.error = f"no audio device ({_sdl_reason()})"
            return
        if sdlmixer.Mix_OpenAudio(44100, sdlmixer.MIX_DEFAULT_FORMAT, 2, 1024) < 0:
            self.error = f"no audio device ({_sdl_reason()})"
            sdl2.SDL_QuitSubSystem(sdl2.SDL_INIT_AUDIO)
            self._subsystem = False
        # Starting audio queues SDL_AUDIODEVICEADDED for every device found: the game never
        # asked for those, and on_event would see them as noise.
        sdl2.SDL_FlushEvents(sdl2.SDL_AUDIODEVICEADDED, sdl2.SDL_AUDIODEVICEREMOVED)

    @property
    def available(self) -> bool:
        """True when sounds really play."""
        return self.error is None and self._subsystem

    def load(self, path: str | Path) -> Sound:
        """A Sound from a WAV/OGG file; without audio, a WAV is still checked by SDL_LoadWAV."""
        name = Path(path).name
        if self.available:
            chunk = check(sdlmixer.Mix_LoadWAV(str(path).encode()), f"loading the sound {name}")
            sound = Sound(chunk, name)
            self._sounds.append(sound)
            return sound
        if Path(path).suffix.lower() == ".wav":  # validate what we can without a device
            spec, buf, length = sdl2.SDL_AudioSpec(0, 0, 0, 0), ctypes.POINTER(ctypes.c_uint8)(), \
                ctypes.c_uint32(0)
            check(sdl2.SDL_LoadWAV(str(path).encode(), ctypes.byref(spec), ctypes.byref(buf),
                                   ctypes.byref(length)), f"loading the sound {name}")
            sdl2.SDL_FreeWAV(buf)
        elif not Path(path).read_bytes():
            raise SDLError(f"Error encountered loading the sound {name}: the file is empty")
        return Sound(None, name)

    def close(self) -> None:
        """Free every sound, then close the mixer (idempotent)."""
        for sound in self._sounds:
            sound.close()
        self._sounds.clear()
        if self._subsystem:
            sdlmixer.Mix_CloseAudio()
            sdl2.SDL_QuitSubSystem(sdl2.SDL_INIT_AUDIO)
            self._subsystem = False


class GameFont:
    """A TTF font for games: ``render(text, rgb)`` returns an ``sdl2.ext.Texture``."""

    def __init__(self, renderer: Any, path: str | Path, size: int = 16) -> None:
        self._renderer = renderer
        self._font = check(sdlttf.TTF_OpenFont(str(path).encode(), size),
                           f"opening the font {Path(path).name}")

    @property
    def line_height(self) -> int:
        """Pixels between two lines."""
        return int(sdlttf.TTF_FontLineSkip(self._font))

    def size(self, text: str) -> tuple[int, int]:
        """Width and height in pixels of one line of ``text``."""
        return _text_size(self._font, text)

    def render(self, text: str, rgb: RGB = (255, 255, 255)) -> Any:
        """A new texture of one line of ``text`` (cache it if you draw it every frame)."""
        colour = sdl2.SDL_Color(rgb[0], rgb[1], rgb[2], 255)
        surface = check(sdlttf.TTF_RenderUTF8_Blended(self._font, (text or " ").encode(), colour),
                        "rendering text")
        try:
            return sdl2.ext.Texture(self._renderer, surface.contents)
        finally:
            sdl2.SDL_FreeSurface(surface)

    def close(self) -> None:
        """Close the font (idempotent)."""
        if self._font:
            sdlttf.TTF_CloseFont(self._font)
        self._font = None


def swap_font(old: GameFont, new: GameFont) -> GameFont:
    """Give ``old`` the face of ``new`` in place and close the former one."""
    old._font, new._font = new._font, old._font
    new.close()
    return old
