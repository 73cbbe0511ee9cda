"""Shared helpers for the engine tests: a game folder in tmp_path and a Reloader on it.

Collected by pytest like any test module (it holds no tests); the other ``test_hot*``
modules import ``Game`` and the ``game`` fixture from here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from sandbox.hot import Reloader, ReloadReport

__all__ = ["Game", "game"]


class Game:
    """A game folder with a Reloader: write sources, import them, edit and reload."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.r = Reloader(root)

    def write(self, source: str, name: str = "main") -> Path:
        """Write ``root/<name>.py`` (dedented)."""
        path = self.root / f"{name.replace('.', '/')}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path

    def load(self, source: str, name: str = "main") -> ModuleType:
        """Write and import a module."""
        self.write(source, name)
        return self.r.import_module(name)

    def edit(self, source: str, name: str = "main") -> ReloadReport:
        """Rewrite a module and reload."""
        self.write(source, name)
        return self.r.reload()

    def close(self) -> None:
        """Close the reloader."""
        self.r.close()


@pytest.fixture
def game(tmp_path: Path) -> Iterator[Game]:
    """A fresh game folder with an active Reloader, closed after the test."""
    root = tmp_path / "game"
    root.mkdir()
    g = Game(root)
    try:
        yield g
    finally:
        g.close()
