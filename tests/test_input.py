"""Input without SDL: keyboard, mouse and gamepads, and the plain hooks, driven by real SDL.

Keys and mouse events are pushed into SDL's queue (``push_event``); gamepads are SDL's virtual
gamepads, so SDL itself sends the connect, button, axis and disconnect events.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gamefiles import edit, game_folder

from sandbox import Host, gamepads, keyboard, mouse
from sandbox.events import GameError, Notice
from sandbox.input import Gamepad, Gamepads, PadChange
from sandbox.input_hooks import INPUT_HOOKS
from sandbox.input_state import AXIS_NAMES, BUTTON_NAMES, InputState
from sandbox.sdl import VirtualPad, event_from_dict, event_to_dict, push_event

GAME = '''
from sandbox import gamepads, keyboard, mouse

SIZE = (320, 240)
log = []
seen = []  # what update() read each tick


def update(dt):
    seen.append((keyboard.left, keyboard.is_down("space"), mouse.pos, sorted(mouse.buttons)))


def on_key_down(key):
    log.append(("down", key))


def on_key_up(key):
    log.append(("up", key))


def on_mouse_down(pos, button):
    log.append(("mdown", pos, button))


def on_mouse_up(button):
    log.append(("mup", button))


def on_mouse_move(rel, pos):
    log.append(("move", pos, rel))


def on_gamepad(pad, kind, control, value):
    log.append(("pad", pad.slot, str(kind), control, round(value, 3)))
'''


def push(host: Host, **data: Any) -> None:
    """One real SDL event (as a recording dict) into SDL's queue, for the game's window."""
    assert host.display is not None
    push_event(data, host.display.window_id)


@pytest.fixture
def game(tmp_path: Path) -> Path:
    return game_folder(tmp_path, "inputs", GAME)


@pytest.fixture
def pad_host(game: Path) -> Iterator[tuple[Host, list[VirtualPad]]]:
    """A running game with gamepads started; pads made through the list are unplugged after."""
    pads: list[VirtualPad] = []
    with Host(game, headless=True, watch=False) as host:
        host.step(1)  # the first frame starts SDL's gamepads
        try:
            yield host, pads
        finally:
            for pad in pads:
                pad.detach()


def test_held_keys_and_key_hooks(game: Path) -> None:
    with Host(game, headless=True, watch=False) as host:
        host.step(1)
        push(host, type="keydown", key="Left")
        host.step(2)
        assert host.game.log == [("down", "left")]
        assert host.game.seen[-1][0] is True and keyboard.left and keyboard.is_down("LEFT")
        push(host, type="keydown", key="Left", repeat=1)  # auto-repeat: no second press
        push(host, type="keydown", key="Space")
        host.step(1)
        assert host.game.log == [("down", "left"), ("down", "space")]
        assert host.game.seen[-1][:2] == (True, True) and keyboard.held == {"left", "space"}
        push(host, type="keyup", key="Left")
        host.step(1)
        assert host.game.log[-1] == ("up", "left")
        assert host.game.seen[-1][:2] == (False, True) and not keyboard.left


def test_the_sandbox_keys_never_reach_the_game(game: Path) -> None:
    with Host(game, headless=True, watch=False) as host:
        host.press("F10")
        host.press("F10")
        host.press("F3")
        host.step(1)
        assert host.game.log == [] and not keyboard.f10 and not keyboard.f3
        assert not host.paused


def test_mouse_position_buttons_and_hooks(game: Path) -> None:
    with Host(game, headless=True, watch=False) as host:
        push(host, type="mousedown", button=1, clicks=1, x=10, y=20)
        host.step(1)
        assert mouse.pos == (10, 20) and mouse.buttons == {"left"} and mouse.left
        assert host.game.seen[-1][2:] == ((10, 20), ["left"])
        push(host, type="motion", x=15, y=26, xrel=5, yrel=6, state=1)
        push(host, type="mouseup", button=1, clicks=1, x=15, y=26)
        push(host, type="mousedown", button=3, clicks=1, x=15, y=26)
        host.step(1)
        assert host.game.log == [("mdown", (10, 20), "left"), ("move", (15, 26), (5, 6)),
                                 ("mup", "left"), ("mdown", (15, 26), "right")]
        assert mouse.buttons == {"right"} and mouse.is_down("right") and not mouse.middle


def test_gamepads_connect_press_move_and_disconnect(pad_host: tuple[Host, list[VirtualPad]]
                                                    ) -> None:
    host, pads = pad_host
    pad = VirtualPad("Test Pad")
    pads.append(pad)
    host.step(1)
    first = gamepads.get(0)
    assert first is not None and first.name == "Test Pad" and len(gamepads) == 1
    assert host.game.log == [("pad", 0, "connected", "", 0.0)]
    pad.press("a")
    pad.move("leftx", 32767)
    pad.move("lefty", 3000)  # inside the dead zone (0.2 of 32767): no change to report
    host.step(1)
    assert first.is_down("a") and first.buttons == {"a"}
    assert first.left_stick == (1.0, 0.0)
    assert ("pad", 0, "button_down", "a", 1.0) in host.game.log
    assert ("pad", 0, "axis", "leftx", 1.0) in host.game.log
    assert not any(entry[3] == "lefty" for entry in host.game.log)
    pad.move("lefty", -32768)
    pad.release("a")
    host.step(1)
    assert first.axis("lefty") == -1.0 and not first.is_down("a")
    assert host.game.log[-2:] == [("pad", 0, "axis", "lefty", -1.0),
                                  ("pad", 0, "button_up", "a", 0.0)]
    gamepads.dead_zone = 0.5
    pad.move("rightx", 16384 + 8192)  # 0.75 → (0.75 - 0.5) / 0.5
    host.step(1)
    assert first.axis("rightx") == pytest.approx(0.5, abs=1e-3)
    pad.detach()
    host.step(1)
    assert host.game.log[-1] == ("pad", 0, "disconnected", "", 0.0)  # who left
    assert not first.connected and gamepads.get(0) is None and list(gamepads) == []
    assert first.buttons == frozenset() and first.axis("leftx") == 0.0


def test_a_second_pad_takes_the_next_slot_and_a_freed_slot_is_reused(
        pad_host: tuple[Host, list[VirtualPad]]) -> None:
    host, pads = pad_host
    one, two = VirtualPad("One"), VirtualPad("Two")
    pads += [one, two]
    host.step(1)
    assert [(p.slot, p.name) for p in gamepads] == [(0, "One"), (1, "Two")]
    one.detach()
    host.step(1)
    three = VirtualPad("Three")
    pads.append(three)
    host.step(1)
    assert [(p.slot, p.name) for p in gamepads] == [(0, "Three"), (1, "Two")]


def test_a_pad_plugged_in_before_the_game_starts_is_there(game: Path) -> None:
    with Host(game, headless=True, watch=False) as first:
        first.step(1)  # SDL's gamepads are up (they stay up between hosts)
        pad = VirtualPad("Early Pad")
        try:
            first.step(1)
            assert len(gamepads) == 1
            first.close()
            with Host(game, headless=True, watch=False) as second:
                assert len(gamepads) == 0  # a new game starts with nothing
                second.step(2)  # announced at the first frame, opened, seen at the next
                early = gamepads.get(0)
                assert early is not None and early.name == "Early Pad"
                assert second.game.log == [("pad", 0, "connected", "", 0.0)]
                pad.press("x")
                second.step(1)
                assert early.is_down("x")
        finally:
            pad.detach()


def test_events_queued_for_a_closed_game_never_reach_the_next(game: Path) -> None:
    with Host(game, headless=True, watch=False) as first:
        first.step(1)  # gamepads up: SDL's queue now outlives the window
        push(first, type="keydown", key="Left")
        first.press("F10")
    with Host(game, headless=True, watch=False) as second:
        second.step(2)
        assert second.game.log == [] and not keyboard.left and not second.paused


def _signatures() -> list[tuple[str, tuple[str, ...]]]:
    """Every hook with no argument, each argument alone, and all of them in reverse order."""
    cases = []
    for hook, offered in INPUT_HOOKS.items():
        cases += [(hook, ()), *((hook, (name,)) for name in offered),
                  (hook, tuple(reversed(offered)))]
    return cases


def _trigger(host: Host, hook: str, pads: list[VirtualPad]) -> dict[str, Any]:
    """Make ``hook`` run once with known arguments; returns them by name."""
    if hook in ("on_key_down", "on_key_up"):
        push(host, type="keydown", key="Space")
        push(host, type="keyup", key="Space")
        return {"key": "space"}
    if hook in ("on_mouse_down", "on_mouse_up"):
        push(host, type="mousedown", button=3, clicks=1, x=4, y=5)
        push(host, type="mouseup", button=3, clicks=1, x=4, y=5)
        return {"pos": (4, 5), "button": "right"}
    if hook == "on_mouse_move":
        push(host, type="motion", x=7, y=8, xrel=2, yrel=-1, state=0)
        return {"pos": (7, 8), "rel": (2, -1), "buttons": frozenset()}
    pads.append(VirtualPad("Sig Pad"))
    return {"pad": "Sig Pad", "kind": PadChange.CONNECTED, "control": "", "value": 0.0}


@pytest.mark.parametrize(("hook", "params"), _signatures())
def test_every_hook_signature_gets_its_arguments_by_name(
        tmp_path: Path, hook: str, params: tuple[str, ...]) -> None:
    listed = ", ".join(params)
    comma = "," if params else ""
    source = f"calls = []\n\n\ndef {hook}({listed}):\n    calls.append(({listed}{comma}))\n"
    game = game_folder(tmp_path, "sig", source)
    pads: list[VirtualPad] = []
    with Host(game, headless=True, watch=False) as host:
        host.step(1)
        try:
            expected = _trigger(host, hook, pads)
            host.step(1)
        finally:
            for pad in pads:
                pad.detach()
        calls = [tuple(a.name if isinstance(a, Gamepad) else a for a in c)
                 for c in host.game.calls]
        assert calls[:1] == [tuple(expected[name] for name in params)]
        assert host.last_error is None and not any(isinstance(e, Notice) for e in host.events)


def test_a_hook_asking_for_an_unknown_argument_is_reported_and_skipped_until_fixed(
        tmp_path: Path) -> None:
    game = game_folder(tmp_path, "bad", "keys = []\n\n\ndef on_key_down(k):\n"
                                        "    keys.append(k)\n")
    with Host(game, headless=True, watch=False) as host:
        said = [str(e) for e in host.events if isinstance(e, Notice)]
        assert said == ["main.py:4: on_key_down() asks for 'k', which it is not given; "
                        "on_key_down offers key (take any of them, by name); it is not "
                        "called until fixed"]
        push(host, type="keydown", key="A")
        host.step(1)
        assert host.game.keys == [] and not host.paused and keyboard.a  # state still moves
        edit(game / "main.py", "(k)", "(key)")
        edit(game / "main.py", "append(k)", "append(key)")
        assert host.reload().ok
        push(host, type="keydown", key="B")
        host.step(1)
        assert host.game.keys == ["b"]


def test_keyword_only_and_defaulted_parameters(tmp_path: Path) -> None:
    source = ("got = []\n\n\ndef on_key_down(*, key):\n    got.append(key)\n\n\n"
              "def on_key_up(extra=1, key=None):\n    got.append(key)\n\n\n"
              "def on_mouse_move(pos, scale=2, *args, **kwargs):\n    got.append(pos)\n")
    game = game_folder(tmp_path, "kw", source)
    with Host(game, headless=True, watch=False) as host:
        said = [str(e) for e in host.events if isinstance(e, Notice)]
        assert any("on_key_down() takes 'key' after *;" in s for s in said)
        assert any("on_key_up() takes 'key' after 'extra';" in s for s in said)
        assert not any("on_mouse_move" in s for s in said)
        push(host, type="keydown", key="A")
        push(host, type="keyup", key="A")
        push(host, type="motion", x=3, y=4, xrel=3, yrel=4, state=0)
        host.step(1)
        assert host.game.got == [(3, 4)]


def test_a_misspelt_input_hook_gets_did_you_mean(tmp_path: Path) -> None:
    game = game_folder(tmp_path, "typo", "def on_key_dwn(key):\n    pass\n\n\n"
                                         "def on_mouse_mve(pos):\n    pass\n")
    with Host(game, headless=True, watch=False) as host:
        said = [str(e) for e in host.events if isinstance(e, Notice)]
    assert "main.py:1: 'on_key_dwn' is not a hook; did you mean on_key_down?" in said
    assert "main.py:5: 'on_mouse_mve' is not a hook; did you mean on_mouse_move?" in said


def test_a_misspelt_key_pauses_with_the_closest_name(tmp_path: Path) -> None:
    game = game_folder(tmp_path, "key", "from sandbox import keyboard\n\n\n"
                                        "def update(dt):\n    keyboard.lefft\n")
    with Host(game, headless=True, watch=False) as host:
        host.step(2)
        error = next(e for e in host.events if isinstance(e, GameError))
    assert error.hook == "update" and error.error.where == "main.py:5"
    assert "keyboard key 'lefft' does not exist; did you mean 'left'?" in str(error)


def test_unknown_names_say_what_exists() -> None:
    state = InputState()
    pads = Gamepads(state)
    state.apply({"type": "padadded", "pad": 7, "name": "P"})
    pad = pads.pad(7)
    with pytest.raises(ValueError, match="button 'strat' does not exist; did you mean 'start'"):
        pad.is_down("strat")
    with pytest.raises(ValueError, match="axis 'left_x' does not exist; did you mean 'leftx'"):
        pad.axis("left_x")
    with pytest.raises(ValueError, match="mouse button 'lef' does not exist; did you mean 'left'"):
        mouse.is_down("lef")
    with pytest.raises(ValueError, match=r"at least 0\.0 and below 1\.0, not 1\.5"):
        pads.dead_zone = 1.5


def test_views_are_live_through_copies_and_snapshots() -> None:
    assert copy.deepcopy([keyboard, mouse, gamepads])[0] is keyboard
    assert copy.copy(mouse) is mouse
    from sandbox.snapshot import is_state

    assert not is_state("keyboard", keyboard) and not is_state("pads", gamepads)


def test_sdl_names_match_the_tables(game: Path) -> None:
    import sdl2

    with Host(game, headless=True, watch=False):
        buttons = tuple(sdl2.SDL_GameControllerGetStringForButton(b).decode()
                        for b in range(sdl2.SDL_CONTROLLER_BUTTON_MAX))
        axes = tuple(sdl2.SDL_GameControllerGetStringForAxis(a).decode()
                     for a in range(sdl2.SDL_CONTROLLER_AXIS_MAX))
        assert {"left", "space", "a", "1", "f1", "left_shift", "keypad_enter", "return"} \
            <= keyboard.names
        with pytest.raises(ValueError, match="key 'spcae' does not exist; did you mean 'space'"):
            keyboard.is_down("spcae")
        assert not hasattr(keyboard, "nonsense") and keyboard.k_1 is False
    assert buttons == BUTTON_NAMES and axes == AXIS_NAMES


@pytest.mark.parametrize("data", [
    {"type": "padremoved", "pad": 3},
    {"type": "paddown", "pad": 3, "button": "a"},
    {"type": "padup", "pad": 2, "button": "dpleft"},
    {"type": "padaxis", "pad": 3, "axis": "righttrigger", "value": -32768},
    {"type": "joyaxis", "which": 1, "axis": 2, "value": -300},
    {"type": "joyball", "which": 1, "ball": 0, "xrel": 3, "yrel": -4},
    {"type": "joyhat", "which": 1, "hat": 0, "value": 8},
    {"type": "joydown", "which": 1, "button": 5, "state": 1},
    {"type": "joyup", "which": 1, "button": 5, "state": 0},
    {"type": "joyadded", "which": 0},
    {"type": "joyremoved", "which": 4},
])
def test_pad_and_joystick_events_round_trip(data: dict[str, Any]) -> None:
    assert event_to_dict(event_from_dict(data)) == data


@pytest.mark.parametrize(("data", "message"), [
    ({"type": "paddown", "pad": 1, "button": "z"}, "unknown gamepad button 'z'"),
    ({"type": "padaxis", "pad": 1, "axis": "up", "value": 0}, "unknown gamepad axis 'up'"),
    ({"type": "joyaxis", "which": 1}, "cannot make an SDL event"),
])
def test_damaged_pad_events_are_refused(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        event_from_dict(data)


def test_a_builtin_as_a_hook_gets_every_argument(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """``print`` (only ``*args``) and a callable with no signature get every argument."""
    source = ("got = []\n\n\nclass NoSignature:\n    @property\n"
              "    def __signature__(self):\n        raise ValueError('none')\n\n"
              "    def __call__(self, *args):\n        got.append(args)\n\n\n"
              "on_mouse_down = print\non_mouse_up = NoSignature()\n")
    game = game_folder(tmp_path, "builtin", source)
    with Host(game, headless=True, watch=False) as host:
        push(host, type="mousedown", button=2, clicks=1, x=1, y=2)
        push(host, type="mouseup", button=2, clicks=1, x=1, y=2)
        host.step(1)
        assert host.last_error is None and host.game.got == [((1, 2), "middle")]
    assert "(1, 2) middle" in capsys.readouterr().out


def test_an_input_hook_that_raises_pauses_the_game_with_its_name_and_line(tmp_path: Path) -> None:
    game = game_folder(tmp_path, "raises", "def on_mouse_down(button):\n"
                                           "    raise ValueError(f'no {button} clicks')\n")
    with Host(game, headless=True, watch=False) as host:
        push(host, type="mousedown", button=3, clicks=1, x=1, y=1)
        push(host, type="mousedown", button=1, clicks=1, x=1, y=1)  # waits for the fix
        host.step(1)
        errors = [e for e in host.events if isinstance(e, GameError)]
        assert host.paused and len(errors) == 1
        assert errors[0].hook == "on_mouse_down" and errors[0].error.where == "main.py:2"
        assert "no right clicks" in str(errors[0])
