"""The tweak panel's event: one committed tweak, undo or redo, as the terminal's one line.

Standard library only, like the rest of ``sandbox.events``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["TweakKind", "Tweaked"]


class TweakKind(enum.Enum):
    """Whether a tweak was made, undone (Ctrl+Z) or redone (Ctrl+Y)."""

    TWEAK = "tweak"
    UNDO = "undo tweak"
    REDO = "redo tweak"


@dataclass(frozen=True)
class Tweaked:
    """A value changed from the tweak panel (or ``host.tweak``): in the file and the game.

    ``where`` is ``physics.py:5``; ``old``/``new`` are the literals as written.
    """

    kind: TweakKind
    where: str
    name: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.kind.value} {self.where} {self.name} {self.old} → {self.new}"
