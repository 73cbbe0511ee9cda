"""The SDL side of ``sandbox.assets``: images as textures, sounds and the mixer, game fonts.

Games keep what ``assets.image()`` returned in module globals (``BALL = assets.image(...)`` in
``load()``), so a reload cannot hand them a new object: each ``swap_*`` below moves the new
version's SDL resource *into the old Python object* and frees the old resource. A swap
exchanges the private pointers of two objects of the same class, so every reference the game
holds sees the new file at its next draw.
"""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any

import sdl2
import sdl2.ext
import sdl2.sdlimage as sdlimage
import sdl2.sdlttf as sdlttf

from sandbox.sdl.errors import SDLError, check, sdl_reason
from sandbox.sdl.pixels import RGB
from sandbox.sdl.quiet import without_lines
from sandbox.sdl.text import text_size

__all__ = ["FONT_SUFFIXES", "IMAGE_SUFFIXES", "SOUND_SUFFIXES", "Audio", "GameFont", "Sound",
           "load_texture", "swap_font", "swap_sound", "swap_texture"]

IMAGE_SUFFIXES = (".png", ".bmp", ".jpg", ".jpeg")
SOUND_SUFFIXES = (".wav", ".ogg")
FONT_SUFFIXES = (".ttf", ".otf")


# -- images ------------------------------------------------------------------------------------
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


# -- sounds ------------------------------------------------------------------------------------
def _mixer() -> Any:
    """pysdl2's SDL_mixer binding, loaded with the first sound: most games never play one.

    (Importing it loads libSDL2_mixer and its codecs: ~2 ms of every cold start otherwise.
    SDL_ttf and SDL_image are loaded by ``sdl2.ext`` itself, so they cannot wait.)
    """
    import sdl2.sdlmixer

    return sdl2.sdlmixer


class Sound:
    """A loaded sound: ``play()``. Silent (play does nothing) when no audio device opened."""

    def __init__(self, chunk: Any, name: str) -> None:
        self._chunk = chunk
        self.name = name

    def play(self, loops: int = 0) -> None:
        """Play on the first free channel; with every channel busy, SDL_mixer skips it."""
        if self._chunk:
            _mixer().Mix_PlayChannel(-1, self._chunk, loops)

    def close(self) -> None:
        """Free the sample (idempotent)."""
        if self._chunk:
            _mixer().Mix_FreeChunk(self._chunk)
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
        # Without a sound card ALSA prints eight lines of its own while SDL probes; the
        # reason that matters comes back through SDL_GetError (sandbox.sdl.quiet).
        with without_lines():
            self._subsystem = sdl2.SDL_InitSubSystem(sdl2.SDL_INIT_AUDIO) == 0
            opened = self._subsystem and _mixer().Mix_OpenAudio(
                44100, _mixer().MIX_DEFAULT_FORMAT, 2, 1024) == 0
        if not self._subsystem:
            self.error = f"no audio device ({sdl_reason()})"
            return
        if not opened:
            self.error = f"no audio device ({sdl_reason()})"
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
            chunk = check(_mixer().Mix_LoadWAV(str(path).encode()), f"loading the sound {name}")
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
            _mixer().Mix_CloseAudio()
            sdl2.SDL_QuitSubSystem(sdl2.SDL_INIT_AUDIO)
            self._subsystem = False


# -- fonts -------------------------------------------------------------------------------------
class GameFont:
    """A TTF font for games: ``render(text, rgb)`` returns an ``sdl2.ext.Texture``."""

    def __init__(self, renderer: Any, path: str | Path, size: int = 16) -> None:
        self._renderer = renderer
        self._font = check(sdlttf.TTF_OpenFont(str(path).encode(), size),
                           f"opening the font {Path(path).name}")
        self.version = 0  # counts the faces swapped in: text drawn with the old one is stale

    @property
    def face(self) -> Any:
        """The SDL_ttf font (valid until the next swap; check ``version``)."""
        return self._font

    @property
    def line_height(self) -> int:
        """Pixels between two lines."""
        return int(sdlttf.TTF_FontLineSkip(self._font))

    def size(self, text: str) -> tuple[int, int]:
        """Width and height in pixels of one line of ``text``."""
        return text_size(self._font, text)

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
    old.version += 1
    new.close()
    return old
