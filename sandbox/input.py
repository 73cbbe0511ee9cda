"""Keyboard, mouse and gamepads for games, without SDL: ``from sandbox import keyboard``.

Three read-only views of what the player holds, valid in every hook::

    from sandbox import gamepads, keyboard, mouse

    def update(dt: float) -> None:
        if keyboard.left or keyboard.is_down("a"):
            ...
        if mouse.left:                       # or "left" in mouse.buttons
            x, y = mouse.pos
        pad = gamepads.get(0)                # the first connected pad, or None
        if pad is not None and pad.is_down("a"):
            dx, dy = pad.left_stick          # -1.0 .. 1.0, with the dead zone applied

Key names are SDL's in lower case, spaces as underscores: ``"left"``, ``"space"``, ``"a"``,
``"1"``, ``"f1"``, ``"left_shift"``, ``"return"``, ``"keypad_enter"``. A misspelt name raises
with the closest real one (``keyboard.lefft``: "did you mean 'left'?"). Mouse buttons are
``"left"``, ``"middle"``, ``"right"``, ``"x1"``, ``"x2"``; gamepad buttons and axes are SDL's
GameController names (``"a"``, ``"start"``, ``"dpup"``, ``"leftx"``, ``"righttrigger"``).

The views read the game's view of the input (``sandbox.input_state``): during a loop (F6) it
is the recording's, so ``keyboard.left`` replays with the events, and a snapshot restores it.
Copies of the views are the views themselves, so game state that holds one (a module-level
``pad = gamepads.get(0)``) survives a snapshot and a reload still live.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from sandbox.input_state import (
    AXIS_NAMES,
    BUTTON_NAMES,
    MOUSE_BUTTONS,
    InputState,
    PadChange,
    PadState,
    key_name,
)

__all__ = ["DEFAULT_DEAD_ZONE", "Gamepad", "Gamepads", "Keyboard", "LiveView", "Mouse",
           "PadChange", "gamepads", "keyboard", "mouse", "view"]

DEFAULT_DEAD_ZONE = 0.2


def _unknown(what: str, name: str, known: Iterable[str], examples: str) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else f" (names look like {examples})"
    return f"{what} {name!r} does not exist{hint}"


class LiveView:
    """A view of live state: copying it (a snapshot, deepcopy) gives the view itself."""

    def __copy__(self) -> LiveView:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> LiveView:
        return self


class Keyboard(LiveView):
    """The keys held now: ``keyboard.left``, ``keyboard.is_down("space")``."""

    def __init__(self, state: InputState) -> None:
        self._state = state
        # SDL's own key names (set by the host when SDL starts); empty means accept any.
        self.names: frozenset[str] = frozenset()

    def is_down(self, key: str) -> bool:
        """True while ``key`` ("left", "space", "a", "f1", "left_shift") is held."""
        name = key_name(key)
        if self.names and name not in self.names:
            raise ValueError(_unknown("key", key, self.names, "'left', 'space', 'a', 'f1'"))
        return name in self._state.keys

    @property
    def held(self) -> frozenset[str]:
        """The names of every key held now."""
        return frozenset(self._state.keys)

    def __getattr__(self, name: str) -> bool:
        """``keyboard.space`` is ``keyboard.is_down("space")``; ``keyboard.k_1`` is "1"."""
        if name.startswith("_"):
            raise AttributeError(name)
        key = name[2:] if name.startswith("k_") and name[2:].isdigit() else name
        if self.names and key not in self.names:
            raise AttributeError(_unknown("keyboard key", name, self.names,
                                          "'left', 'space', 'a', 'f1'"))
        return key in self._state.keys

    def __repr__(self) -> str:
        return f"<keyboard: {', '.join(sorted(self._state.keys)) or 'nothing'} held>"


class Mouse(LiveView):
    """Where the mouse is and which buttons are held: ``mouse.pos``, ``mouse.buttons``."""

    def __init__(self, state: InputState) -> None:
        self._state = state

    @property
    def pos(self) -> tuple[int, int]:
        """The pointer's position in the window, in pixels."""
        return self._state.mouse_pos

    @property
    def buttons(self) -> frozenset[str]:
        """The buttons held now: a set of "left", "middle", "right", "x1", "x2"."""
        return frozenset(self._state.mouse_buttons)

    def is_down(self, button: str) -> bool:
        """True while ``button`` ("left", "middle", "right", "x1", "x2") is held."""
        if button not in MOUSE_BUTTONS.values():
            raise ValueError(_unknown("mouse button", button, MOUSE_BUTTONS.values(),
                                      "'left', 'right'"))
        return button in self._state.mouse_buttons

    @property
    def left(self) -> bool:
        """True while the left button is held."""
        return "left" in self._state.mouse_buttons

    @property
    def middle(self) -> bool:
        """True while the middle button is held."""
        return "middle" in self._state.mouse_buttons

    @property
    def right(self) -> bool:
        """True while the right button is held."""
        return "right" in self._state.mouse_buttons

    def __repr__(self) -> str:
        return f"<mouse at {self.pos}, buttons {sorted(self._state.mouse_buttons)}>"


class Gamepad(LiveView):
    """One gamepad (SDL's GameController layout): buttons, sticks and triggers."""

    def __init__(self, pads: Gamepads, pad_id: int) -> None:
        self._pads = pads
        self.id = pad_id  # SDL's instance id: unique for as long as the sandbox runs

    @property
    def connected(self) -> bool:
        """False once the pad was unplugged (its buttons then read as released)."""
        return self._pads.state_of(self.id) is not None

    @property
    def slot(self) -> int:
        """Which player: 0 for the first pad connected (a freed slot is reused).

        An unplugged pad keeps the slot it had, so ``on_gamepad`` can tell who left.
        """
        pad = self._pads.state_of(self.id, departed=True)
        return pad.slot if pad is not None else -1

    @property
    def name(self) -> str:
        """The pad's name as SDL reports it ("Xbox 360 Controller")."""
        pad = self._pads.state_of(self.id, departed=True)
        return pad.name if pad is not None else ""

    @property
    def buttons(self) -> frozenset[str]:
        """The buttons held now ("a", "start", "dpup", …)."""
        pad = self._pads.state_of(self.id)
        return frozenset(pad.buttons) if pad is not None else frozenset()

    def is_down(self, button: str) -> bool:
        """True while ``button`` ("a", "b", "x", "y", "start", "dpleft", …) is held."""
        if button not in BUTTON_NAMES:
            raise ValueError(_unknown("gamepad button", button, BUTTON_NAMES, "'a', 'start'"))
        return button in self.buttons

    def axis(self, name: str) -> float:
        """An axis ("leftx", "lefty", "rightx", "righty", "lefttrigger", "righttrigger").

        Sticks read -1.0 .. 1.0 (y grows downwards), triggers 0.0 .. 1.0; readings inside
        the dead zone (``gamepads.dead_zone``) are 0.0 and the rest is rescaled to reach 1.0.
        """
        if name not in AXIS_NAMES:
            raise ValueError(_unknown("gamepad axis", name, AXIS_NAMES, "'leftx', 'righttrigger'"))
        pad = self._pads.state_of(self.id)
        raw = pad.axes.get(name, 0.0) if pad is not None else 0.0
        return self._pads.dead_zoned(raw)

    @property
    def left_stick(self) -> tuple[float, float]:
        """The left stick's (x, y), dead zone applied."""
        return self.axis("leftx"), self.axis("lefty")

    @property
    def right_stick(self) -> tuple[float, float]:
        """The right stick's (x, y), dead zone applied."""
        return self.axis("rightx"), self.axis("righty")

    def __repr__(self) -> str:
        return f"<gamepad {self.slot} {self.name!r}: {sorted(self.buttons)}>"


class Gamepads(LiveView):
    """The connected gamepads, by player slot: ``gamepads.get(0)``, ``for pad in gamepads``."""

    def __init__(self, state: InputState) -> None:
        self._state = state
        self._views: dict[int, Gamepad] = {}
        self._dead_zone = DEFAULT_DEAD_ZONE

    @property
    def dead_zone(self) -> float:
        """Stick and trigger readings below this (0.0 .. 1.0, default 0.2) read as 0.0."""
        return self._dead_zone

    @dead_zone.setter
    def dead_zone(self, value: float) -> None:
        if not 0.0 <= value < 1.0:
            raise ValueError(f"gamepads.dead_zone must be at least 0.0 and below 1.0, not {value}")
        self._dead_zone = float(value)

    def dead_zoned(self, raw: float) -> float:
        """``raw`` (-1.0 .. 1.0) with the dead zone cut out and the rest rescaled."""
        size = abs(raw)
        if size <= self._dead_zone:
            return 0.0
        scaled = (size - self._dead_zone) / (1.0 - self._dead_zone)
        return scaled if raw > 0 else -scaled

    def state_of(self, pad_id: int, departed: bool = False) -> PadState | None:
        """The held state of the pad with SDL instance id ``pad_id``; None once it is gone
        (with ``departed``: its slot and name as they were, with nothing held)."""
        pad = self._state.pads.get(pad_id)
        return self._state.departed.get(pad_id) if pad is None and departed else pad

    def pad(self, pad_id: int) -> Gamepad:
        """The view of the pad with SDL instance id ``pad_id`` (the same object every time)."""
        if pad_id not in self._views:
            self._views[pad_id] = Gamepad(self, pad_id)
        return self._views[pad_id]

    def get(self, slot: int) -> Gamepad | None:
        """The pad in player slot ``slot`` (0 for the first), or None when there is none."""
        for pad_id, pad in self._state.pads.items():
            if pad.slot == slot:
                return self.pad(pad_id)
        return None

    def __iter__(self) -> Iterator[Gamepad]:
        by_slot = sorted(self._state.pads.items(), key=lambda item: item[1].slot)
        return iter([self.pad(pad_id) for pad_id, _ in by_slot])

    def __len__(self) -> int:
        return len(self._state.pads)

    def __repr__(self) -> str:
        return f"<gamepads: {len(self)} connected>"


# The game's view of the input: the host drives it, games read it through these three.
view = InputState()
keyboard = Keyboard(view)
mouse = Mouse(view)
gamepads = Gamepads(view)
