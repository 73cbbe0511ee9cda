"""The host's side of input: SDL events into the game's view, ``on_event`` and the plain hooks.

Every event meant for the game passes through here, live or replayed, in one way
(:meth:`InputRouter.deliver`): it moves the game's view (``sandbox.input.view``, which
``keyboard``, ``mouse`` and ``gamepads`` read), then ``on_event(event)`` gets the raw SDL
event, then the plain hook (``on_key_down(key)``, ``on_gamepad(pad, kind, control, value)``…)
gets its arguments by name (``sandbox.input_hooks``).

The router also keeps the *real* state, moved by every real event the host does not keep
(:meth:`observe`), even those a loop swallows or an error pause drops. Whenever the two differ
and the game is live again (after F7, a hot restart that ended a loop, a fix after an error
pause), :meth:`sync` delivers the events that make the view the real state: the key the
replay pressed gets its key-up, the key held through F7 its key-down. The host's parts it
needs come in as callables, so it knows nothing of the ``Host``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox.input import DEFAULT_DEAD_ZONE, gamepads, keyboard, view
from sandbox.input_hooks import HookSignatureError, arguments_for
from sandbox.input_state import HookCall, InputState, PadChange, differences, key_name
from sandbox.sdl import (
    drop_queued_events,
    event_from_dict,
    event_to_dict,
    key_names,
    start_gamepads,
    stop_gamepads,
)

__all__ = ["InputRouter"]


class InputRouter:
    """Routes the game's input: see the module's docstring."""

    def __init__(self, call: Callable[..., bool], hook: Callable[[str], object],
                 admit: Callable[[Any], bool], window_id: Callable[[], int],
                 say: Callable[[str], None]) -> None:
        """``call(name, *args)`` runs a hook (False when it failed and paused the game),
        ``hook(name)`` is the game's function of that name or None, ``admit(event)`` is False
        while a loop drives the game (and records the event while recording), ``window_id()``
        addresses the events made here, ``say`` tells the developer one line."""
        self._call, self._hook, self._admit = call, hook, admit
        self._window_id, self._say = window_id, say
        self.real = InputState()
        self._started = False
        self._gamepads = False
        view.load(InputState().to_data())  # a new game starts with nothing held …
        drop_queued_events()  # … and none of the last game's events
        gamepads.dead_zone = DEFAULT_DEAD_ZONE

    def start(self) -> None:
        """Start SDL's gamepads and learn its key names (once; SDL's video must be up)."""
        if self._started:
            return
        self._started = True
        keyboard.names = frozenset(key_name(name) for name in key_names())
        problem = start_gamepads()
        self._gamepads = problem is None
        if problem is not None:
            self._say(f"gamepads are off: SDL could not start them ({problem})")

    def close(self) -> None:
        """Close the gamepads SDL opened for this game (at the host's exit)."""
        if self._gamepads:
            stop_gamepads()
            self._gamepads = False

    def observe(self, event: Any) -> dict[str, Any] | None:
        """A real event for the game (delivered or not): it moves the real state.

        Returns the event as a recording dict (None for kinds that hold nothing), for
        :meth:`deliver`.
        """
        data = event_to_dict(event)
        if data is not None:
            self.real.apply(data)
        return data

    def deliver(self, event: Any, data: dict[str, Any] | None) -> bool:
        """Give ``event`` (``data`` is its dict) to the game; False when a hook failed."""
        call: HookCall | None = None
        before = 0.0
        if data is not None:
            before = self._axis(data)
            call = view.apply(data)
        if not self._call("on_event", event):
            return False
        return call is None or self._plain(call, before)

    def replay(self, data: dict[str, Any]) -> bool:
        """Deliver a recorded event (see ``deliver``)."""
        return self.deliver(event_from_dict(data, self._window_id()), data)

    def sync(self) -> None:
        """Bring the game's view to the real state with the events between them.

        Nothing happens while a loop drives the game (``admit`` says no); while recording,
        the events are recorded like any other, so the replay agrees.
        """
        self.start()
        if view == self.real:
            return
        for data in differences(view, self.real):
            try:
                event = event_from_dict(data, self._window_id())
            except ValueError:  # a key SDL cannot name back: the view catches up silently
                view.apply(data)
                continue
            if not self._admit(event) or not self.deliver(event, data):
                return

    def _axis(self, data: dict[str, Any]) -> float:
        """The dead-zoned value of the axis ``data`` moves, before it moves it (else 0.0)."""
        if data.get("type") != "padaxis":
            return 0.0
        pad = view.pads.get(int(data["pad"]))
        return gamepads.dead_zoned(pad.axes.get(str(data["axis"]), 0.0)) if pad else 0.0

    def _plain(self, call: HookCall, before: float) -> bool:
        name, values = call
        fn = self._hook(name)
        if fn is None or not callable(fn):
            return True
        if name == "on_gamepad":
            values = dict(values, pad=gamepads.pad(values["pad"]))
            if values["kind"] is PadChange.AXIS:
                values["value"] = gamepads.dead_zoned(values["value"])
                if values["value"] == before:
                    return True  # a wobble inside the dead zone is no change
        try:
            args = arguments_for(fn, name, values)
        except HookSignatureError:
            return True  # check_hooks reported it at load and reload: not called till fixed
        return self._call(name, *args)
