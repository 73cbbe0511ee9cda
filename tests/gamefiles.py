"""Shared helpers for tests that edit a game's files: the edit itself and bounce's colours."""

from __future__ import annotations

from pathlib import Path

BLUE = (0, 0, 255, 255)
PINK = (255, 128, 128, 255)
YELLOW = (255, 255, 128, 255)


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in ``path`` with ``new`` (``old`` must be there)."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def game_folder(tmp_path: Path, name: str, main: str) -> Path:
    """A game folder ``tmp_path/name`` whose main.py is ``main``."""
    game = tmp_path / name
    game.mkdir()
    (game / "main.py").write_text(main)
    return game
