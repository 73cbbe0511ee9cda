"""The host's keys bound to the session's parts: each ``Action`` of the key table to a callable.

``sandbox.keys`` says which key does what; ``sandbox.controls`` reads the events and calls
what this map gives for the action. Binding them here keeps both free of the parts: the
looper (F6/F7), the tweak panel (F4), the timeline (F8), the overlay's toggles (F1, F2, F3)
and the output strip (` and PageUp/PageDown).
"""

from __future__ import annotations

from collections.abc import Callable

from sandbox.game_output import OutputStrip
from sandbox.keys import Action
from sandbox.looping import Looper
from sandbox.overlay import Overlay
from sandbox.timeline import Timeline
from sandbox.tweak_panel import TweakPanel

__all__ = ["OUTPUT_PAGE", "key_actions"]

OUTPUT_PAGE = 4  # lines PageUp/PageDown move the output strip


def key_actions(*, reload: Callable[[], object], restart: Callable[[], object],
                stop: Callable[[], object], looping: Looper, tweak_panel: TweakPanel,
                timeline: Timeline, overlay: Overlay,
                output_strip: OutputStrip) -> dict[Action, Callable[[], object]]:
    """What each host key does, for ``Controls``: F9 ``reload``, F5 ``restart``, Esc ``stop``."""
    return {
        Action.RELOAD: reload, Action.RESTART: restart,
        Action.RECORD: looping.toggle, Action.END_LOOP: looping.stop,
        Action.QUIT: stop, Action.TWEAK: tweak_panel.toggle,
        Action.TIMELINE: timeline.toggle,
        Action.HUD: lambda: setattr(overlay, "show_hud", not overlay.show_hud),
        Action.HELP: lambda: setattr(overlay, "show_help", not overlay.show_help),
        Action.FOLD: lambda: setattr(overlay, "fold_errors", not overlay.fold_errors),
        Action.OUTPUT: output_strip.toggle,
        Action.SCROLL_BACK: lambda: output_strip.scroll(OUTPUT_PAGE),
        Action.SCROLL_ON: lambda: output_strip.scroll(-OUTPUT_PAGE)}
