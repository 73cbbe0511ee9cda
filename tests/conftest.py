"""Shared test set-up: real SDL on the dummy video driver, real files in tmp_path."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Real SDL, no display: the dummy video driver and no audio device.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

settings.register_profile("ci", deadline=None, print_blob=True)
settings.load_profile("ci")

REPO = Path(__file__).resolve().parent.parent
GAMES = REPO / "games"


@pytest.fixture
def bounce_copy(tmp_path: Path) -> Path:
    """A private copy of games/bounce that a test may edit freely."""
    dest = tmp_path / "bounce"
    shutil.copytree(GAMES / "bounce", dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


@pytest.fixture(autouse=True)
def _restore_sys_modules() -> Iterator[None]:
    """Game modules are plain top-level names (main, physics): drop them after each test."""
    before = set(sys.modules)
    path_before = list(sys.path)
    yield
    for name in set(sys.modules) - before:
        mod = sys.modules.get(name)
        file = getattr(mod, "__file__", None) or ""
        if not name.startswith(("sandbox", "sdl2", "hypothesis", "_pytest", "rich")) and (
            "/tmp" in file or "pytest-of" in file or name in {"main", "physics"}
        ):
            del sys.modules[name]
    sys.path[:] = path_before
