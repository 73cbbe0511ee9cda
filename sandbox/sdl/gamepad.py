"""Gamepads and joysticks: SDL's GameController subsystem, their events as dicts, virtual pads.

``start_gamepads()`` starts the subsystem; from then on every pad plugged in (or already
there) arrives as an SDL_CONTROLLERDEVICEADDED event, and ``poll_events`` opens it (SDL sends
a pad's buttons and axes only once it is opened) and closes it when it goes;
``stop_gamepads()`` closes them all.

Recordings store pad and joystick events as plain dicts (``sandbox.recording``)::

    {"type": "padadded", "pad": 3, "name": "Xbox 360 Controller"}
    {"type": "padremoved", "pad": 3}
    {"type": "paddown" | "padup", "pad": 3, "button": "a"}
    {"type": "padaxis", "pad": 3, "axis": "leftx", "value": -32768}
    {"type": "joyaxis", "which": 3, "axis": 0, "value": 1200}   (and joyball, joyhat,
     joydown, joyup, joyadded, joyremoved with the fields of SDL's structs)

``pad`` is SDL's instance id. Quirk: a real SDL_CONTROLLERDEVICEADDED names the pad by its
*device index* (``which``); the dict stores the instance id and the pad's name instead. An
event made from the dict gets the pad's device index back while the pad is plugged in, and
its instance id when it is not (a replay: such an event is never read back into a dict).

``VirtualPad`` attaches one of SDL's virtual gamepads (SDL ≥ 2.24): the tests press its
buttons and move its sticks, and SDL turns that into the same events a real pad sends.
"""

from __future__ import annotations

import atexit
import ctypes
from typing import Any

import sdl2

from sandbox.sdl.errors import check, sdl_reason

__all__ = ["VirtualPad", "device_from_dict", "device_to_dict", "open_or_close_pad",
           "start_gamepads", "stop_gamepads"]

_controllers: dict[int, Any] = {}  # instance id → the SDL_GameController opened for it
_started = False  # the subsystem is up (for the rest of the process: see stop_gamepads)

_PAD_BUTTONS = {"paddown": sdl2.SDL_CONTROLLERBUTTONDOWN, "padup": sdl2.SDL_CONTROLLERBUTTONUP}
# kind → (SDL event type, the SDL_Event member, its fields in the dict's order)
_JOYSTICK = {
    "joyaxis": (sdl2.SDL_JOYAXISMOTION, "jaxis", ("which", "axis", "value")),
    "joyball": (sdl2.SDL_JOYBALLMOTION, "jball", ("which", "ball", "xrel", "yrel")),
    "joyhat": (sdl2.SDL_JOYHATMOTION, "jhat", ("which", "hat", "value")),
    "joydown": (sdl2.SDL_JOYBUTTONDOWN, "jbutton", ("which", "button", "state")),
    "joyup": (sdl2.SDL_JOYBUTTONUP, "jbutton", ("which", "button", "state")),
    "joyadded": (sdl2.SDL_JOYDEVICEADDED, "jdevice", ("which",)),
    "joyremoved": (sdl2.SDL_JOYDEVICEREMOVED, "jdevice", ("which",)),
}


def start_gamepads() -> str | None:
    """Start SDL's GameController subsystem; None, or SDL's reason when it cannot start.

    Every pad already plugged in is announced with an SDL_CONTROLLERDEVICEADDED, as SDL
    does when the subsystem starts.
    """
    global _started
    # A developer edits with the game window in the background: its pad should still work.
    sdl2.SDL_SetHint(sdl2.SDL_HINT_JOYSTICK_ALLOW_BACKGROUND_EVENTS, b"1")
    if _started:
        _announce_plugged_in()
        return None
    if sdl2.SDL_InitSubSystem(sdl2.SDL_INIT_GAMECONTROLLER) < 0:
        return sdl_reason()
    _started = True
    atexit.register(sdl2.SDL_QuitSubSystem, sdl2.SDL_INIT_GAMECONTROLLER)
    return None


def stop_gamepads() -> None:
    """Close every opened pad; the subsystem itself stays up until the process ends.

    Quitting it joins SDL's device threads: 12 ms (median, 10 runs), paid again by every
    ``Host`` a test run closes, against 0.02 ms to announce the plugged-in pads at the next
    ``start_gamepads``. It keeps SDL's event queue alive too (``drop_queued_events``).
    """
    for controller in _controllers.values():
        sdl2.SDL_GameControllerClose(controller)
    _controllers.clear()


def _announce_plugged_in() -> None:
    for index in range(max(0, sdl2.SDL_NumJoysticks())):
        if sdl2.SDL_IsGameController(index):
            ev = sdl2.SDL_Event()
            ev.type, ev.cdevice.which = sdl2.SDL_CONTROLLERDEVICEADDED, index
            check(sdl2.SDL_PushEvent(ctypes.byref(ev)), "announcing a plugged-in gamepad")


def open_or_close_pad(event: Any) -> None:
    """Open a pad SDL announced (so its buttons send events), close one that was removed."""
    if event.type == sdl2.SDL_CONTROLLERDEVICEADDED:
        pad_id = sdl2.SDL_JoystickGetDeviceInstanceID(event.cdevice.which)
        if pad_id >= 0 and pad_id not in _controllers:
            controller = sdl2.SDL_GameControllerOpen(event.cdevice.which)
            if controller:  # a pad already gone again opens as NULL: nothing to track
                _controllers[pad_id] = controller
    elif event.type == sdl2.SDL_CONTROLLERDEVICEREMOVED:
        controller = _controllers.pop(event.cdevice.which, None)
        if controller is not None:
            sdl2.SDL_GameControllerClose(controller)


def _find_index(pad_id: int) -> int | None:
    """The device index of the plugged-in pad ``pad_id``, or None when it is not plugged in."""
    for index in range(max(0, sdl2.SDL_NumJoysticks())):
        if sdl2.SDL_JoystickGetDeviceInstanceID(index) == pad_id:
            return index
    return None


def _device_index(pad_id: int) -> int:
    """The device index of the plugged-in pad ``pad_id``; ``pad_id`` itself when it is gone."""
    index = _find_index(pad_id)
    return pad_id if index is None else index


def _text(raw: bytes | None) -> str:
    return (raw or b"").decode("utf-8", "replace")


def device_to_dict(event: Any) -> dict[str, Any] | None:
    """A pad or joystick event as a plain dict; None for other kinds (and unnamed controls)."""
    kind = event.type
    if kind == sdl2.SDL_CONTROLLERDEVICEADDED:
        index = event.cdevice.which
        pad_id = int(sdl2.SDL_JoystickGetDeviceInstanceID(index))
        if pad_id < 0:
            return None  # gone before we looked
        return {"type": "padadded", "pad": pad_id,
                "name": _text(sdl2.SDL_GameControllerNameForIndex(index))}
    if kind == sdl2.SDL_CONTROLLERDEVICEREMOVED:
        return {"type": "padremoved", "pad": int(event.cdevice.which)}
    for name, value in _PAD_BUTTONS.items():
        if kind == value:
            button = _text(sdl2.SDL_GameControllerGetStringForButton(event.cbutton.button))
            return {"type": name, "pad": int(event.cbutton.which), "button": button} \
                if button else None
    if kind == sdl2.SDL_CONTROLLERAXISMOTION:
        axis = _text(sdl2.SDL_GameControllerGetStringForAxis(event.caxis.axis))
        return {"type": "padaxis", "pad": int(event.caxis.which), "axis": axis,
                "value": int(event.caxis.value)} if axis else None
    for name, (sdl_type, member, fields) in _JOYSTICK.items():
        if kind == sdl_type:
            struct = getattr(event, member)
            return {"type": name, **{f: int(getattr(struct, f)) for f in fields}}
    return None


def device_from_dict(data: dict[str, Any], ev: Any) -> bool:
    """Fill ``ev`` from a dict ``device_to_dict`` made; False when ``data`` is not a device's.

    Raises KeyError, TypeError or ValueError for a damaged one.
    """
    kind = data["type"]
    if kind in ("padadded", "padremoved"):
        ev.type = (sdl2.SDL_CONTROLLERDEVICEADDED if kind == "padadded"
                   else sdl2.SDL_CONTROLLERDEVICEREMOVED)
        pad_id = int(data["pad"])
        ev.cdevice.which = _device_index(pad_id) if kind == "padadded" else pad_id
    elif kind in _PAD_BUTTONS:
        button = sdl2.SDL_GameControllerGetButtonFromString(str(data["button"]).encode())
        if button == sdl2.SDL_CONTROLLER_BUTTON_INVALID:
            raise ValueError(f"unknown gamepad button {data['button']!r}")
        ev.type = _PAD_BUTTONS[kind]
        ev.cbutton.which, ev.cbutton.button = int(data["pad"]), button
        ev.cbutton.state = sdl2.SDL_PRESSED if kind == "paddown" else sdl2.SDL_RELEASED
    elif kind == "padaxis":
        axis = sdl2.SDL_GameControllerGetAxisFromString(str(data["axis"]).encode())
        if axis == sdl2.SDL_CONTROLLER_AXIS_INVALID:
            raise ValueError(f"unknown gamepad axis {data['axis']!r}")
        ev.type = sdl2.SDL_CONTROLLERAXISMOTION
        ev.caxis.which, ev.caxis.axis = int(data["pad"]), axis
        ev.caxis.value = max(-32768, min(32767, int(data["value"])))
    elif kind in _JOYSTICK:
        sdl_type, member, fields = _JOYSTICK[kind]
        ev.type = sdl_type
        struct = getattr(ev, member)
        for name in fields:
            setattr(struct, name, int(data[name]))
    else:
        return False
    return True


class VirtualPad:
    """One of SDL's virtual gamepads: plugged in at creation, unplugged by ``detach()``.

    ``press``/``release``/``move`` change what the pad reports; SDL sends the events at its
    next poll, exactly as for a real pad. Needs ``start_gamepads()`` first.
    """

    def __init__(self, name: str = "Virtual Pad") -> None:
        desc = sdl2.SDL_VirtualJoystickDesc()
        desc.version = sdl2.SDL_VIRTUAL_JOYSTICK_DESC_VERSION
        desc.type = sdl2.SDL_JOYSTICK_TYPE_GAMECONTROLLER
        desc.naxes = sdl2.SDL_CONTROLLER_AXIS_MAX
        desc.nbuttons = sdl2.SDL_CONTROLLER_BUTTON_MAX
        self._name = name.encode()
        desc.name = self._name  # SDL copies it; the bytes must live until then
        index = check(sdl2.SDL_JoystickAttachVirtualEx(ctypes.byref(desc)),
                      "attaching a virtual gamepad")
        # Setting a virtual pad's inputs goes through a joystick handle of its own.
        self._joystick = check(sdl2.SDL_JoystickOpen(index), "opening the virtual pad")
        self.id = int(sdl2.SDL_JoystickInstanceID(self._joystick))

    def press(self, button: str) -> None:
        """Hold ``button`` ("a", "start", "dpup", …) down."""
        check(sdl2.SDL_JoystickSetVirtualButton(self._joystick, self._button(button), 1),
                  f"pressing {button} on the virtual pad")

    def release(self, button: str) -> None:
        """Let ``button`` go."""
        check(sdl2.SDL_JoystickSetVirtualButton(self._joystick, self._button(button), 0),
                  f"releasing {button} on the virtual pad")

    def move(self, axis: str, value: int) -> None:
        """Set ``axis`` ("leftx", "righttrigger", …) to ``value`` (-32768 .. 32767)."""
        index = sdl2.SDL_GameControllerGetAxisFromString(axis.encode())
        if index == sdl2.SDL_CONTROLLER_AXIS_INVALID:
            raise ValueError(f"unknown gamepad axis {axis!r}")
        check(sdl2.SDL_JoystickSetVirtualAxis(self._joystick, index, value),
                  f"moving {axis} on the virtual pad")

    @staticmethod
    def _button(name: str) -> int:
        button = int(sdl2.SDL_GameControllerGetButtonFromString(name.encode()))
        if button == sdl2.SDL_CONTROLLER_BUTTON_INVALID:
            raise ValueError(f"unknown gamepad button {name!r}")
        return button

    def detach(self) -> None:
        """Unplug the pad: SDL sends its release events and SDL_CONTROLLERDEVICEREMOVED."""
        if self._joystick is None:
            return
        sdl2.SDL_JoystickClose(self._joystick)
        self._joystick = None
        # By its index now: pads unplugged since it was attached moved it down the list.
        index = _find_index(self.id)
        if index is not None:
            check(sdl2.SDL_JoystickDetachVirtual(index), "detaching the virtual pad")
