"""Golden-image comparison of the last presented frame with ``tests/expected/<name>.png``.

``assert_matches_golden(host_or_display, "panel_syntax")`` compares the RGBA bytes of the last
presented frame (what the user saw, overlay included) with the stored PNG. Two pixels match
when every channel differs by at most ``tolerance``; the frame matches when at most
``max_fraction`` of its pixels do not. Text is drawn with the shipped DejaVu Sans Mono on the
software renderer, which is deterministic, but anti-aliasing may shift by a level between
SDL_ttf/FreeType builds: hence a small tolerance rather than an exact match.

``POTATO_UPDATE_GOLDEN=1`` writes the current frame as the new expected image instead of
comparing (review the PNGs before committing them). On a mismatch, ``<name>.diff.png`` is
written next to the expected image: expected | actual | differences (differing pixels in
magenta over a dimmed copy of the actual frame), and the failure message names it.

PNGs are read and written through ``sandbox.sdl`` (the only package that imports SDL).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from sandbox.sdl import read_png, write_png

__all__ = ["EXPECTED", "Frame", "assert_matches_golden", "compare", "side_by_side"]

EXPECTED = Path(__file__).resolve().parent / "expected"
HIGHLIGHT = b"\xff\x00\xff\xff"  # magenta: a pixel that differs beyond the tolerance


class _Display(Protocol):
    @property
    def size(self) -> tuple[int, int]: ...
    def pixels(self) -> bytes: ...


class Frame:
    """A width, a height and RGBA32 bytes (row-major, no padding)."""

    def __init__(self, width: int, height: int, rgba: bytes) -> None:
        if len(rgba) != width * height * 4:
            raise ValueError(f"{width}x{height} needs {width * height * 4} bytes, got {len(rgba)}")
        self.width, self.height, self.rgba = width, height, bytes(rgba)

    @classmethod
    def of(cls, host_or_display: object) -> Frame:
        """The last presented frame of a Host (its display) or of a Display."""
        display = getattr(host_or_display, "display", host_or_display)
        if display is None:
            raise ValueError("the host has no display (closed?)")
        d: _Display = display  # type: ignore[assignment]
        w, h = d.size
        return cls(w, h, d.pixels())

    def row(self, y: int) -> bytes:
        """The bytes of row ``y``."""
        stride = self.width * 4
        return self.rgba[y * stride:(y + 1) * stride]


def compare(expected: Frame, actual: Frame, tolerance: int) -> list[bool]:
    """Per pixel, True where some channel differs by more than ``tolerance`` (same sizes)."""
    assert (expected.width, expected.height) == (actual.width, actual.height)
    differs = [False] * (actual.width * actual.height)
    for y in range(actual.height):
        a, b = expected.row(y), actual.row(y)
        if a == b:  # the common case: whole rows identical, no per-pixel work
            continue
        base = y * actual.width
        for x in range(actual.width):
            i = x * 4
            if any(abs(a[i + c] - b[i + c]) > tolerance for c in range(4)):
                differs[base + x] = True
    return differs


def side_by_side(expected: Frame | None, actual: Frame, differs: list[bool] | None) -> Frame:
    """expected | actual | differences, on one image (a missing expected image is black)."""
    exp_w = expected.width if expected is not None else actual.width
    height = max(actual.height, expected.height if expected is not None else 0)
    width = exp_w + 2 * actual.width
    black = b"\x00\x00\x00\xff"
    rows: list[bytes] = []
    for y in range(height):
        left = expected.row(y) if expected is not None and y < expected.height else b""
        left = left.ljust(exp_w * 4, b"\x00")
        mid = actual.row(y) if y < actual.height else black * actual.width
        right = bytearray(
            black * actual.width if y >= actual.height
            else bytes(v // 3 if i % 4 != 3 else 255 for i, v in enumerate(mid))
        )
        if differs is not None and y < actual.height:
            for x in range(actual.width):
                if differs[y * actual.width + x]:
                    right[x * 4:x * 4 + 4] = HIGHLIGHT
        rows.append(left + mid + bytes(right))
    return Frame(width, height, b"".join(rows))


def assert_matches_golden(host_or_display: object, name: str, tolerance: int = 8,
                          max_fraction: float = 0.002, directory: Path = EXPECTED) -> None:
    """Fail unless the last presented frame matches ``<directory>/<name>.png``.

    ``directory`` is ``tests/expected`` except in the helper's own tests.
    """
    actual = Frame.of(host_or_display)
    path = directory / f"{name}.png"
    diff_path = directory / f"{name}.diff.png"
    if os.environ.get("POTATO_UPDATE_GOLDEN") == "1":
        directory.mkdir(parents=True, exist_ok=True)
        write_png(path, (actual.width, actual.height), actual.rgba)
        diff_path.unlink(missing_ok=True)
        return
    if not path.exists():
        _write(diff_path, side_by_side(None, actual, None))
        raise AssertionError(f"no golden image {path}; run with POTATO_UPDATE_GOLDEN=1 to create "
                             f"it (the frame is in {diff_path})")
    expected = Frame(*read_png(path))
    if (expected.width, expected.height) != (actual.width, actual.height):
        _write(diff_path, side_by_side(expected, actual, None))
        raise AssertionError(f"frame is {actual.width}x{actual.height}, golden {path.name} is "
                             f"{expected.width}x{expected.height}; see {diff_path}")
    if expected.rgba == actual.rgba:
        diff_path.unlink(missing_ok=True)
        return
    differs = compare(expected, actual, tolerance)
    bad = sum(differs)
    if bad > max_fraction * len(differs):
        _write(diff_path, side_by_side(expected, actual, differs))
        raise AssertionError(
            f"{bad} of {len(differs)} pixels differ from {path.name} by more than {tolerance} "
            f"(allowed: {max_fraction:.2%}); expected | actual | differences in {diff_path}")
    diff_path.unlink(missing_ok=True)


def _write(path: Path, frame: Frame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_png(path, (frame.width, frame.height), frame.rgba)
