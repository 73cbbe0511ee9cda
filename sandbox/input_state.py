"""What is held: keys, mouse buttons and gamepads, as plain data that snapshots can copy.

``InputState`` is the sandbox's model of the player's hands. The host keeps two: the game's
view (what ``keyboard``, ``mouse`` and ``gamepads`` report, driven by the events the game was
given, real or replayed) and the real one (driven by every real event, even those a loop
swallows). Both move only through :meth:`InputState.apply`, which takes an event in the
recording's plain-dict form (``sandbox.recording`` documents it), so a live event, a replayed
one and a synthesised one change the state in exactly the same way. :func:`differences` says
which events would bring one state to another: the host delivers them after F7, a hot restart
or an error pause, so no key stays stuck down in the game's view.

Nothing here imports SDL. SDL's numbers that reach the dicts (mouse buttons 1-5, axis values
in -32768..32767) are translated here into names and floats.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = ["AXIS_NAMES", "BUTTON_NAMES", "MOUSE_BUTTONS", "HookCall", "InputState", "PadChange",
           "PadState", "differences", "key_name", "sdl_key_name"]

# SDL's mouse button numbers (SDL_BUTTON_LEFT = 1 …) and the names games see.
MOUSE_BUTTONS = {1: "left", 2: "middle", 3: "right", 4: "x1", 5: "x2"}
# SDL's GameController names (SDL_GameControllerGetStringForButton/-Axis), in SDL's order;
# tests/test_input.py checks them against SDL itself.
BUTTON_NAMES = ("a", "b", "x", "y", "back", "guide", "start", "leftstick", "rightstick",
                "leftshoulder", "rightshoulder", "dpup", "dpdown", "dpleft", "dpright", "misc1",
                "paddle1", "paddle2", "paddle3", "paddle4", "touchpad")
AXIS_NAMES = ("leftx", "lefty", "rightx", "righty", "lefttrigger", "righttrigger")
AXIS_MAX = 32767


class PadChange(str, enum.Enum):
    """What happened to a gamepad: the ``kind`` argument of ``on_gamepad``."""

    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    BUTTON_DOWN = "button_down"
    BUTTON_UP = "button_up"
    AXIS = "axis"

    def __str__(self) -> str:
        return self.value


def key_name(sdl_name: str) -> str:
    """The game's name of a key from SDL's: ``"Left"`` → ``"left"``, ``"Left Shift"`` →
    ``"left_shift"``, ``"A"`` → ``"a"``, ``"Keypad 1"`` → ``"keypad_1"``."""
    return sdl_name.strip().lower().replace(" ", "_")


def sdl_key_name(name: str) -> str:
    """SDL's name back from the game's (SDL looks names up ignoring case): ``"left shift"``."""
    return name.replace("_", " ")


def axis_value(raw: int) -> float:
    """SDL's axis reading (-32768..32767) as -1.0..1.0."""
    return max(-1.0, min(1.0, raw / AXIS_MAX))


@dataclass
class PadState:
    """One connected gamepad: its player slot, name, held buttons and raw axis readings."""

    slot: int
    name: str
    buttons: set[str] = field(default_factory=set)
    axes: dict[str, float] = field(default_factory=dict)


# A hook to call and its arguments by name: ("on_key_down", {"key": "left"}).
HookCall = tuple[str, dict[str, Any]]


@dataclass
class InputState:
    """Held keys, the mouse and connected gamepads; changed only by :meth:`apply`."""

    keys: set[str] = field(default_factory=set)
    mouse_pos: tuple[int, int] = (0, 0)
    mouse_buttons: set[str] = field(default_factory=set)
    pads: dict[int, PadState] = field(default_factory=dict)  # by SDL instance id
    # Pads unplugged since: their slot and name stay readable (on_gamepad's "disconnected").
    departed: dict[int, PadState] = field(default_factory=dict, compare=False, repr=False)

    def apply(self, data: dict[str, Any]) -> HookCall | None:
        """Take one event (a recording dict) into the state; the plain hook it calls, if any.

        A pad's instance id stands in the ``pad`` argument: the host turns it into the
        ``Gamepad`` the game sees.
        """
        kind = data.get("type")
        if kind in ("keydown", "keyup"):
            return self._key(kind == "keydown", data)
        if kind in ("mousedown", "mouseup", "motion"):
            return self._mouse(kind, data)
        if kind in ("padadded", "padremoved", "paddown", "padup", "padaxis"):
            return self._pad(kind, data)
        return None

    def _key(self, down: bool, data: dict[str, Any]) -> HookCall | None:
        key = key_name(str(data.get("key", "")))
        if not key:
            return None  # a key SDL has no name for: on_event still gets it
        if down:
            if int(data.get("repeat", 0)) or key in self.keys:
                return None  # auto-repeat: the key is held already
            self.keys.add(key)
            return "on_key_down", {"key": key}
        if key not in self.keys:
            return None  # the release of a key pressed before the game saw it (F-keys too)
        self.keys.discard(key)
        return "on_key_up", {"key": key}

    def _mouse(self, kind: str, data: dict[str, Any]) -> HookCall | None:
        pos = (int(data["x"]), int(data["y"]))
        if kind == "motion":
            rel = (int(data["xrel"]), int(data["yrel"]))
            self.mouse_pos = pos
            return "on_mouse_move", {"pos": pos, "rel": rel,
                                     "buttons": frozenset(self.mouse_buttons)}
        button = MOUSE_BUTTONS.get(int(data["button"]), f"button{int(data['button'])}")
        self.mouse_pos = pos
        if kind == "mousedown":
            self.mouse_buttons.add(button)
            return "on_mouse_down", {"pos": pos, "button": button}
        if button not in self.mouse_buttons:
            return None
        self.mouse_buttons.discard(button)
        return "on_mouse_up", {"pos": pos, "button": button}

    def _pad(self, kind: str, data: dict[str, Any]) -> HookCall | None:
        pad_id = int(data["pad"])
        if kind == "padadded":
            if pad_id in self.pads:
                return None  # SDL announces a pad once at start and again when opened
            taken = {p.slot for p in self.pads.values()}
            slot = next(i for i in range(len(taken) + 1) if i not in taken)
            self.pads[pad_id] = PadState(slot, str(data.get("name", "")))
            return _pad_call(pad_id, PadChange.CONNECTED, "", 0.0)
        pad = self.pads.get(pad_id)
        if pad is None:
            return None  # an event of a pad the game never saw connect
        if kind == "padremoved":
            self.departed[pad_id] = PadState(pad.slot, pad.name)
            del self.pads[pad_id]
            return _pad_call(pad_id, PadChange.DISCONNECTED, "", 0.0)
        if kind == "padaxis":
            axis = str(data["axis"])
            pad.axes[axis] = axis_value(int(data["value"]))
            return _pad_call(pad_id, PadChange.AXIS, axis, pad.axes[axis])
        button = str(data["button"])
        if kind == "paddown" and button not in pad.buttons:
            pad.buttons.add(button)
            return _pad_call(pad_id, PadChange.BUTTON_DOWN, button, 1.0)
        if kind == "padup" and button in pad.buttons:
            pad.buttons.discard(button)
            return _pad_call(pad_id, PadChange.BUTTON_UP, button, 0.0)
        return None

    # -- plain data for snapshots and recordings -------------------------------------------------
    def to_data(self) -> dict[str, Any]:
        """The state as JSON-able plain data (lists, numbers, strings)."""
        return {"keys": sorted(self.keys), "mouse": list(self.mouse_pos),
                "buttons": sorted(self.mouse_buttons),
                "pads": [{"pad": pad_id, "slot": p.slot, "name": p.name,
                          "buttons": sorted(p.buttons), "axes": dict(sorted(p.axes.items()))}
                         for pad_id, p in sorted(self.pads.items())]}

    def load(self, data: dict[str, Any]) -> None:
        """Become the state ``to_data`` described, in place; ValueError for anything else."""
        try:
            keys = {str(k) for k in data.get("keys", [])}
            x, y = (int(v) for v in data.get("mouse", (0, 0)))
            buttons = {str(b) for b in data.get("buttons", [])}
            pads = {int(p["pad"]): PadState(int(p["slot"]), str(p["name"]),
                                            {str(b) for b in p["buttons"]},
                                            {str(a): float(v) for a, v in p["axes"].items()})
                    for p in data.get("pads", [])}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"not a held-input state ({type(exc).__name__}: {exc})") from None
        self.keys, self.mouse_pos, self.mouse_buttons, self.pads = keys, (x, y), buttons, pads


def _pad_call(pad_id: int, kind: PadChange, control: str, value: float) -> HookCall:
    return "on_gamepad", {"pad": pad_id, "kind": kind, "control": control, "value": value}


def differences(have: InputState, want: InputState) -> list[dict[str, Any]]:
    """The events (recording dicts) that take ``have`` to ``want``: releases first."""
    events: list[dict[str, Any]] = [{"type": "keyup", "key": sdl_key_name(k)}
                                    for k in sorted(have.keys - want.keys)]
    x, y = want.mouse_pos
    for button in sorted(have.mouse_buttons - want.mouse_buttons):
        events.append({"type": "mouseup", "button": _button_number(button), "clicks": 1,
                       "x": x, "y": y})
    for pad_id in sorted(set(have.pads) - set(want.pads)):
        events.append({"type": "padremoved", "pad": pad_id})
    events += [{"type": "keydown", "key": sdl_key_name(k)}
               for k in sorted(want.keys - have.keys)]
    if want.mouse_pos != have.mouse_pos:
        hx, hy = have.mouse_pos
        events.append({"type": "motion", "x": x, "y": y, "xrel": x - hx, "yrel": y - hy,
                       "state": 0})
    for button in sorted(want.mouse_buttons - have.mouse_buttons):
        events.append({"type": "mousedown", "button": _button_number(button), "clicks": 1,
                       "x": x, "y": y})
    for pad_id, pad in sorted(want.pads.items()):
        events += _pad_differences(pad_id, have.pads.get(pad_id), pad)
    return events


def _pad_differences(pad_id: int, have: PadState | None, want: PadState) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    if have is None:
        events.append({"type": "padadded", "pad": pad_id, "name": want.name})
        have = PadState(want.slot, want.name)
    events += [{"type": "padup", "pad": pad_id, "button": b}
               for b in sorted(have.buttons - want.buttons)]
    events += [{"type": "paddown", "pad": pad_id, "button": b}
               for b in sorted(want.buttons - have.buttons)]
    for axis in sorted(set(have.axes) | set(want.axes)):
        if have.axes.get(axis, 0.0) != want.axes.get(axis, 0.0):
            events.append({"type": "padaxis", "pad": pad_id, "axis": axis,
                           "value": round(want.axes.get(axis, 0.0) * AXIS_MAX)})
    return events


def _button_number(button: str) -> int:
    for number, name in MOUSE_BUTTONS.items():
        if name == button:
            return number
    return int(button.removeprefix("button"))
