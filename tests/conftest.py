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


@pytest.fixture
def returned_heap() -> None:
    """Give the allocator's free memory back to the system before a memory-guard test.

    The guard watches the process's resident size. After hundreds of tests the heap holds
    hundreds of MB that are free but still resident, and a hog that reuses them never makes the
    process grow: seen as "DID NOT RAISE MemoryRunaway" in full runs only. ``malloc_trim``
    (glibc) returns those pages, so the hog's allocations must grow the process again.
    """
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    libc = ctypes.util.find_library("c")
    if libc and sys.platform.startswith("linux"):
        ctypes.CDLL(libc).malloc_trim(0)
