"""The SDL layer: the only package that imports SDL (window, renderer, text, media, input).

Everything else uses SDL through the names re-exported here (``from sandbox.sdl import
Display``); the engine, ``sandbox.hot``, never does. One module per concept:

- ``libs``: where SDL's libraries are, told to pysdl2 before it searches;
- ``errors``: ``check()`` and ``SDLError``, "Error encountered <doing what>: <SDL's reason>";
- ``display``: the window and renderer, the overlay's drawing, frame read-back, as one object
  (``window`` opens it, ``overlay_draw`` draws the overlay, ``readback`` reads frames back);
- ``draw``: the ``Renderer`` games draw with: ``sdl2.ext.Renderer`` plus drawing helpers
  (``args`` checks their arguments, ``geometry`` batches them, ``sprites`` for sprite batches);
- ``ghostframes``: frames drawn offscreen and blended faintly over one (the timeline's ghosts);
- ``pixels``: RGBA32 buffers and PNG files;
- ``text``: the overlay's font;
- ``media``: textures, sounds and game fonts for ``sandbox.assets``, swapped in place;
- ``quiet``: ALSA's lines on stderr while SDL probes for a sound card, dropped;
- ``input``: the event queue, key names, events as dicts for recordings;
- ``gamepad``: the GameController subsystem, pad and joystick events as dicts, virtual pads.
"""

# ruff: noqa: E402 -- locate() must run before the submodules below import sdl2.
from __future__ import annotations

from sandbox.sdl.libs import locate

locate()  # before the first ``import sdl2``: skips pysdl2's library search (sandbox.sdl.libs)

from sandbox.sdl.display import Display
from sandbox.sdl.draw import Flip, Renderer
from sandbox.sdl.errors import NoDisplayError, SDLError, check
from sandbox.sdl.gamepad import VirtualPad, start_gamepads, stop_gamepads
from sandbox.sdl.input import (
    drop_queued_events,
    event_from_dict,
    event_to_dict,
    key_names,
    keycode_name,
    push_event,
)
from sandbox.sdl.media import (
    FONT_SUFFIXES,
    IMAGE_SUFFIXES,
    SOUND_SUFFIXES,
    Audio,
    GameFont,
    Sound,
    load_texture,
    swap_font,
    swap_sound,
    swap_texture,
)
from sandbox.sdl.pixels import read_png, write_png
from sandbox.sdl.sprites import SpriteBatch
from sandbox.sdl.text import FONT_PATH, Font

__all__ = ["FONT_PATH", "FONT_SUFFIXES", "IMAGE_SUFFIXES", "SOUND_SUFFIXES", "Audio", "Display",
           "Flip", "Font", "GameFont", "NoDisplayError", "Renderer", "SDLError", "Sound",
           "SpriteBatch", "VirtualPad", "check", "drop_queued_events", "event_from_dict",
           "event_to_dict", "key_names", "keycode_name", "load_texture", "push_event",
           "read_png", "start_gamepads", "stop_gamepads", "swap_font", "swap_sound",
           "swap_texture", "write_png"]
