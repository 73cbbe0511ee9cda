"""Input events: SDL's event queue, key names, and events as plain dicts for recordings.

``Display`` polls and pushes through these functions (``Display.poll()``, ``push_key()``…).
Recordings (``sandbox.recording``) store key, text, mouse, gamepad and joystick events as the
JSON-able dicts of ``event_to_dict``; ``event_from_dict`` turns them back into real
``SDL_Event`` structs (pads and joysticks: ``sandbox.sdl.gamepad``). The game's plain input
(``sandbox.input_state``) is read from the same dicts.
"""

from __future__ import annotations

import ctypes
from typing import Any

import sdl2

from sandbox.sdl.errors import check
from sandbox.sdl.gamepad import device_from_dict, device_to_dict, open_or_close_pad

__all__ = ["drop_queued_events", "event_from_dict", "event_to_dict", "is_quit", "key_names",
           "key_of", "keycode_name", "poll_events", "push_event", "push_key", "push_quit"]


def keycode_name(sym: int) -> str:
    """SDL's name for a key code: ``"F9"``, ``"Escape"``, ``"A"``, ``"Space"``."""
    name: bytes = sdl2.SDL_GetKeyName(sym)
    return name.decode("utf-8", "replace")


def key_names() -> frozenset[str]:
    """SDL's name of every key it knows ("Left", "Space", "A", "Keypad 1", "F9")."""
    names = (keycode_name(sdl2.SDL_GetKeyFromScancode(code))
             for code in range(sdl2.SDL_NUM_SCANCODES))
    return frozenset(name for name in names if name)


# -- the queue ---------------------------------------------------------------------------------
def poll_events() -> list[Any]:
    """Every pending SDL event, as copies (SDL reuses the struct we poll into)."""
    events: list[Any] = []
    ev = sdl2.SDL_Event()
    while sdl2.SDL_PollEvent(ctypes.byref(ev)):
        events.append(sdl2.SDL_Event.from_buffer_copy(ev))
        open_or_close_pad(ev)
    return events


def drop_queued_events() -> None:
    """Forget every event still queued: a new game must not get the last one's.

    SDL's queue lives as long as a subsystem that needs it: the gamepads stay up for the
    whole process (``sandbox.sdl.gamepad.stop_gamepads``), so a key a test pushed, or the
    window events of a closed game, would otherwise reach the next one.
    """
    sdl2.SDL_FlushEvents(sdl2.SDL_FIRSTEVENT, sdl2.SDL_LASTEVENT)


def key_of(event: Any, released: bool = False) -> str | None:
    """``"F9"``, ``"Escape"``, … for a key-down (or with ``released``, key-up) event."""
    if event.type != (sdl2.SDL_KEYUP if released else sdl2.SDL_KEYDOWN):
        return None
    return keycode_name(event.key.keysym.sym)


def is_quit(event: Any) -> bool:
    """True for the window's close button (SDL_QUIT or a window-close event)."""
    if event.type == sdl2.SDL_QUIT:
        return True
    return bool(event.type == sdl2.SDL_WINDOWEVENT
                and event.window.event == sdl2.SDL_WINDOWEVENT_CLOSE)


def push_key(name: str, window_id: int) -> None:
    """Push a real key-down and key-up for ``name`` ("F9") into SDL's event queue."""
    sym = sdl2.SDL_GetKeyFromName(name.encode())
    if sym == sdl2.SDLK_UNKNOWN:
        raise ValueError(f"unknown key name {name!r} (SDL names: 'F9', 'Escape', 'A')")
    for kind, state in ((sdl2.SDL_KEYDOWN, sdl2.SDL_PRESSED),
                        (sdl2.SDL_KEYUP, sdl2.SDL_RELEASED)):
        ev = sdl2.SDL_Event()
        ev.type = kind
        ev.key.windowID = window_id
        ev.key.state = state
        ev.key.keysym.sym = sym
        ev.key.keysym.scancode = sdl2.SDL_GetScancodeFromKey(sym)
        # SDL_PushEvent returns 1 on success, 0 when filtered, <0 on error.
        check(sdl2.SDL_PushEvent(ctypes.byref(ev)), f"pushing the key {name}")


def push_event(data: dict[str, Any], window_id: int = 0) -> None:
    """Push the real SDL event ``data`` describes (``event_to_dict``'s form) into the queue."""
    ev = event_from_dict(data, window_id)
    check(sdl2.SDL_PushEvent(ctypes.byref(ev)), f"pushing a {data.get('type')} event")


def push_quit() -> None:
    """Push a real SDL_QUIT, as the window's close button does: used by tests."""
    ev = sdl2.SDL_Event()
    ev.type = sdl2.SDL_QUIT
    check(sdl2.SDL_PushEvent(ctypes.byref(ev)), "pushing a quit event")


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
    return device_to_dict(event)


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
        elif not device_from_dict(data, ev):
            raise ValueError(f"unknown event type {kind!r}")
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"cannot make an SDL event from {data!r}: {exc}") from None
    return ev
