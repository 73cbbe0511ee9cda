"""The SDL layer: the only package that imports SDL (window, renderer, text, media, input).

Everything else uses SDL through the names re-exported here (``from sandbox.sdl import
Display``); the engine, ``sandbox.hot``, never does.
"""

from __future__ import annotations

from sandbox.sdl.display import (
    FONT_PATH,
    FONT_SUFFIXES,
    IMAGE_SUFFIXES,
    SOUND_SUFFIXES,
    Audio,
    Display,
    Font,
    GameFont,
    NoDisplayError,
    SDLError,
    Sound,
    check,
    event_from_dict,
    event_to_dict,
    keycode_name,
    load_texture,
    read_png,
    swap_font,
    swap_sound,
    swap_texture,
    write_png,
)

__all__ = ["FONT_PATH", "FONT_SUFFIXES", "IMAGE_SUFFIXES", "SOUND_SUFFIXES", "Audio", "Display",
           "Font", "GameFont", "NoDisplayError", "SDLError", "Sound", "check",
           "event_from_dict", "event_to_dict", "keycode_name", "load_texture", "read_png",
           "swap_font", "swap_sound", "swap_texture", "write_png"]
