"""The drawing helpers' arguments checked once, with messages that say what was expected.

A game passes colours, points and rectangles as plain tuples. A wrong one (``"red"``, a
rectangle of three numbers, a negative radius) should fail in the game's own line with a
message naming the helper and the expected shape, not deep inside ctypes.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any

__all__ = ["Colour", "Point", "RectLike", "colour", "numbers", "point", "positive", "rect"]

Colour = tuple[int, int, int] | tuple[int, int, int, int]
Point = tuple[float, float]
RectLike = tuple[float, float, float, float]


_PLAIN = (int, float)  # checked by type first: isinstance against the Real ABC is slow


def numbers(value: Any, count: int) -> bool:
    """True for a sequence (not a str) of ``count`` real numbers."""
    if type(value) not in (tuple, list) and (
            not isinstance(value, Sequence) or isinstance(value, str)):
        return False
    if len(value) != count:
        return False
    for v in value:
        if type(v) not in _PLAIN and (not isinstance(v, Real) or isinstance(v, bool)):
            return False
    return True


_checked: dict[Any, tuple[int, int, int, int]] = {}  # colours seen: a game reuses a few


def colour(value: Any, where: str) -> tuple[int, int, int, int]:
    """``value`` as (r, g, b, a); TypeError/ValueError naming ``where`` otherwise."""
    if type(value) is tuple:
        seen = _checked.get(value)
        if seen is not None:
            return seen
    rgba = _colour(value, where)
    if type(value) is tuple:
        if len(_checked) > 1024:
            _checked.clear()
        _checked[value] = rgba
    return rgba


def _colour(value: Any, where: str) -> tuple[int, int, int, int]:
    if not (numbers(value, 3) or numbers(value, 4)):
        raise TypeError(f"{where}: colour must be (r, g, b) or (r, g, b, a), each 0-255, "
                        f"got {value!r}")
    if not all(0 <= v <= 255 for v in value):
        raise ValueError(f"{where}: colour values must be 0-255, got {tuple(value)!r}")
    r, g, b = int(value[0]), int(value[1]), int(value[2])
    return (r, g, b, int(value[3]) if len(value) == 4 else 255)


def point(value: Any, where: str, name: str = "pos") -> tuple[float, float]:
    """``value`` as (x, y); TypeError naming ``where`` and the argument otherwise."""
    if not numbers(value, 2):
        raise TypeError(f"{where}: {name} must be (x, y), got {value!r}")
    return (value[0], value[1])


def rect(value: Any, where: str) -> tuple[float, float, float, float]:
    """``value`` as (x, y, w, h) with w, h ≥ 0; TypeError/ValueError otherwise."""
    if not numbers(value, 4):
        raise TypeError(f"{where}: rect must be (x, y, w, h), got {value!r}")
    if value[2] < 0 or value[3] < 0:
        raise ValueError(f"{where}: rect width and height must be ≥ 0, got {tuple(value)!r}")
    return (value[0], value[1], value[2], value[3])


def positive(value: Any, where: str, name: str, zero: bool = False) -> float:
    """A number > 0 (≥ 0 with ``zero``); TypeError/ValueError naming the argument otherwise."""
    if not isinstance(value, Real) or isinstance(value, bool):
        raise TypeError(f"{where}: {name} must be a number, got {value!r}")
    if value < 0 or (value == 0 and not zero):
        raise ValueError(f"{where}: {name} must be {'≥' if zero else '>'} 0, got {value!r}")
    return float(value)
