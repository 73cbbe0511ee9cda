"""The golden-image helper itself (tests/golden.py), on a real headless Display."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from golden import HIGHLIGHT, Frame, assert_matches_golden

from sandbox.sdl import Display, read_png

SIZE = (64, 48)


@pytest.fixture
def display() -> Iterator[Display]:
    with Display("golden", SIZE, headless=True) as d:
        yield d


def show(d: Display, square: tuple[int, int, int]) -> None:
    """A grey frame with a 10x10 square of colour ``square`` at (20, 10)."""
    d.clear((40, 40, 40))
    d.fill_rect(20, 10, 10, 10, (*square, 255))
    d.present()


def test_a_frame_matches_the_image_it_was_saved_as(
    display: Display, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    show(display, (200, 0, 0))
    monkeypatch.setenv("POTATO_UPDATE_GOLDEN", "1")
    assert_matches_golden(display, "square", directory=tmp_path)
    assert read_png(tmp_path / "square.png")[:2] == SIZE
    monkeypatch.delenv("POTATO_UPDATE_GOLDEN")
    assert_matches_golden(display, "square", directory=tmp_path)
    show(display, (204, 0, 3))  # within the per-channel tolerance
    assert_matches_golden(display, "square", directory=tmp_path)
    assert not (tmp_path / "square.diff.png").exists()


def test_a_different_frame_fails_and_writes_a_side_by_side_image(
    display: Display, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    show(display, (200, 0, 0))
    monkeypatch.setenv("POTATO_UPDATE_GOLDEN", "1")
    assert_matches_golden(display, "square", directory=tmp_path)
    monkeypatch.delenv("POTATO_UPDATE_GOLDEN")
    show(display, (0, 200, 0))
    diff = tmp_path / "square.diff.png"
    with pytest.raises(AssertionError, match=r"100 of 3072 pixels differ .*/square\.diff\.png"):
        assert_matches_golden(display, "square", directory=tmp_path)
    w, h, rgba = read_png(diff)
    assert (w, h) == (3 * SIZE[0], SIZE[1])
    frame = Frame(w, h, rgba)

    def at(x: int, y: int) -> bytes:
        return frame.row(y)[x * 4:x * 4 + 4]

    assert at(25, 15)[:3] == bytes((200, 0, 0))           # expected
    assert at(64 + 25, 15)[:3] == bytes((0, 200, 0))      # actual
    assert at(128 + 25, 15) == HIGHLIGHT                  # the difference, highlighted
    assert at(128 + 5, 5)[:3] == bytes((13, 13, 13))      # the rest, dimmed


def test_a_few_differing_pixels_are_allowed_by_max_fraction(
    display: Display, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    show(display, (200, 0, 0))
    monkeypatch.setenv("POTATO_UPDATE_GOLDEN", "1")
    assert_matches_golden(display, "square", directory=tmp_path)
    monkeypatch.delenv("POTATO_UPDATE_GOLDEN")
    display.clear((40, 40, 40))
    display.fill_rect(20, 10, 10, 10, (200, 0, 0, 255))
    display.fill_rect(0, 0, 2, 2, (255, 255, 255, 255))  # 4 pixels of 3072 differ
    display.present()
    assert_matches_golden(display, "square", directory=tmp_path, max_fraction=0.002)
    with pytest.raises(AssertionError, match="4 of 3072 pixels differ"):
        assert_matches_golden(display, "square", directory=tmp_path, max_fraction=0.001)


def test_a_missing_golden_says_how_to_create_it(display: Display, tmp_path: Path) -> None:
    show(display, (200, 0, 0))
    with pytest.raises(AssertionError, match="POTATO_UPDATE_GOLDEN=1"):
        assert_matches_golden(display, "nothing", directory=tmp_path)
    assert (tmp_path / "nothing.diff.png").exists()


def test_a_frame_of_another_size_fails(
    display: Display, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    show(display, (200, 0, 0))
    monkeypatch.setenv("POTATO_UPDATE_GOLDEN", "1")
    assert_matches_golden(display, "square", directory=tmp_path)
    monkeypatch.delenv("POTATO_UPDATE_GOLDEN")
    display.set_size((32, 48))
    show(display, (200, 0, 0))
    with pytest.raises(AssertionError, match=r"frame is 32x48, golden square\.png is 64x48"):
        assert_matches_golden(display, "square", directory=tmp_path)
